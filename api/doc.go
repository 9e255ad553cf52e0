// Package api is innograph's HTTP interface: one route table (routes.go; the
// query routes are registered from it by queryRoutes in query.go, and every
// route is described in openapi.json, which a test keeps in step),
// request validation, content negotiation, request logging, Prometheus
// metrics per route pattern (metrics.go, registry from Config), and the one
// mapping from domain errors to RFC 9457 problem responses (errors.go).
//
// Writes (graphs.go, the SPARQL 1.1 Graph Store Protocol) pass through
// bearer-token authentication (auth.go: tokens held as SHA-256 hashes,
// compared in constant time; no token configured means writes are off),
// the request limits (limits.go), a whole-body parse, shape validation and
// one transaction; each applied write is one audit log line.
//
// The linked-data side (ld*.go, registered by linkedDataRoutes) serves every
// IRI under the published base (DefaultBaseURL) and under Config.BaseURL at
// the same path: /id/... redirects (303) to its document /doc/..., which,
// like the ontology, its context and shapes and the VoID description, is
// negotiated between the RDF formats of rdfio and an html/template page
// (preferRDF: RDF for any client that accepts it, unless it rates text/html
// higher), with ETags and 304s; /api/v1/export streams dumps (gzip when
// accepted) whose error body can only precede the first byte. What a client
// must fetch next (the JSON-LD context, dumps, problem pages) is linked at
// serverURL, the address the client used, never at the published base,
// which only reaches this server through a redirect that may not exist.
// Path answers share the documents' encoding (rdfEncoding) and the framed
// profile's completion of every node with its label and type (ld_view.go).
//
// The web explorer (explorer.go, the files under explorer/, embedded) is
// served at / and /explore/...: plain ES modules over the public API only,
// with a vendored cytoscape.js build; the HTML page of an entity's /doc/...
// loads its picture script and reads whole without it (docs/explorer.md).
//
// api translates HTTP to calls on graph.Store and back; it holds no graph
// logic of its own and never imports Cayley's store packages.
package api
