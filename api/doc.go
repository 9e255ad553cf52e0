// Package api is innograph's HTTP interface: one route table (routes.go),
// request validation, content negotiation, request logging, and the one
// mapping from domain errors to RFC 9457 problem responses (errors.go).
//
// The linked-data side (ld*.go, registered by linkedDataRoutes) serves every
// IRI under Config.BaseURL at the same path: /id/... redirects (303) to its
// document /doc/..., which, like the ontology, its context and shapes and
// the VoID description, is negotiated between the RDF formats of rdfio and
// an html/template page, with ETags and 304s; /api/v1/export streams dumps
// (gzip when accepted) whose error body can only precede the first byte.
//
// api translates HTTP to calls on graph.Store and back; it holds no graph
// logic of its own and never imports Cayley's store packages.
package api
