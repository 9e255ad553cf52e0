// Package frontiertest is the conformance suite for implementations of
// frontier.Reader, in the manner of Cayley's graphtest and Perkeep's kvtest:
// one table of named subtests, run by each implementation's test in a few
// lines:
//
//	func TestFrontier(t *testing.T) {
//		frontiertest.Run(t, func(t testing.TB, quads []quad.Quad) frontier.Source {
//			s := openStoreHolding(t, quads) // registers its own t.Cleanup
//			return s
//		})
//	}
//
// Every subtest opens its own Source with the quads it needs and checks
// each answer against a plain model of the same quads (a list scanned in
// full), plus a few answers stated by hand, so a wrong model cannot hide a
// wrong reader. The semantics checked are those documented on
// frontier.Reader: Lookup of known and unknown values of every kind (IRIs,
// blank nodes, plain, language-tagged and typed literals with their lexical
// form kept), Values round trips, Quads by every direction with and without
// a predicate set (nil gives all, empty gives none), the same triple in
// several graphs, default-graph quads (G zero), fn stopping a walk, nodes
// listed twice, All, Describe (distinct types, the label BetterLabel
// prefers), Count (exact, or else an upper bound), cancellation of ctx, and
// Close.
//
// What the suite cannot see it does not check: snapshot isolation from later
// writes (the Reader interface has no writes; an implementation tests that
// itself), and answers for ID zero in the Label direction (whether it names
// the default graph is not settled by the contract).
//
// The package imports only frontier, the quad data model and the standard
// library (testing among them); it is imported by tests only.
package frontiertest
