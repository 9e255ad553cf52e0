// Command innograph-peers compares innograph with two other RDF stores on
// the same generated graph: Oxigraph (npm oxigraph, in memory, under node)
// and Virtuoso (Debian virtuoso-opensource). It is the instrument of issue
// 17's acceptance; docs/performance.md ("Peer comparison") says how to run
// it and what it measures.
//
//	go run ./cmd/innograph-peers -quads 1000000
//
// One run writes a graph/gen ecosystem as N-Quads once (kept in -dir for
// later runs) and loads that file into each system: "innograph load" into
// a fresh bolt store, then "innograph serve" on 127.0.0.1;
// testdata/peers/oxigraph-server.js, which loads it into an in-memory
// Oxigraph store and answers SPARQL over a small HTTP server; and a
// virtuoso-t started in the foreground with a private virtuoso.ini in the
// run's directory (loopback ports only), bulk-loaded with ld_dir and
// rdf_loader_run through isql. Each load is timed alone. innograph's
// server builds its read tier before it listens: the command waits for
// its log line "read tier: N quads in memory (M MB), built in D" (tier.go
// reads it) and reports the build beside the server's memory.
//
// Then each of the four canonical questions (questions.go) is asked of
// every system with the same inputs, drawn from a fixed seed: innograph
// through its HTTP endpoints, the peers through SPARQL queries written to
// give the same answers (the union of all graphs as the default graph).
// A warm-up pass compares the answers input by input; an answer that
// differs is an error, reported with what differs, and that system gets
// no figure for that question. The timed repetitions are interleaved (all
// inputs on A, then on B, then on C, then again A, ...), one request at a
// time unless -clients says otherwise; the report gives p50 and p99 per
// system and question, and innograph's p50 over each peer's in every
// repetition. Finally every system exports its quads over HTTP, and its
// serving memory is read from /proc.
//
// The output is a Markdown table for docs/performance.md on stdout and the
// raw figures as JSON. Every server is stopped and the run's directory
// removed when the command ends, on an error or an interrupt too; on
// Linux the servers are also killed should the command itself be killed.
//
// The command imports the project's packages but nothing imports it; its
// SPARQL queries are also asked of innograph's own /sparql with
// -systems innograph,innograph-sparql,oxigraph once that endpoint exists.
package main
