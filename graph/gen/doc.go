// Package gen writes synthetic innovation ecosystems in the innograph
// ontology, for benchmarks and load tests at sizes the seed graph cannot
// reach.
//
// Generate is deterministic: the same Config writes the same quads in the
// same order. Each region gets its own random stream (seeded from
// Config.Seed and the region's number), so region r's entities do not change
// when more regions are added, apart from the links that cross to region
// r+1. A region holds about 1,300 quads: the region itself, universities,
// business clusters, innovation networks, companies, projects, funders,
// funding awards and strategies, with English (and some Danish) labels,
// memberships, partnerships, funding links and located-in links, all in
// the named graph id/source/synthetic-<region code>.
//
// The package imports only the standard library, the quad module and
// ontology; it knows nothing of stores.
package gen
