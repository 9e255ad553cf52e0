// Package api is innograph's HTTP interface: one route table (routes.go; the
// query routes are registered from it by queryRoutes in query.go, and every
// route is described in openapi.json, which a test keeps in step),
// request validation, content negotiation, request logging, and the one
// mapping from domain errors to RFC 9457 problem responses (errors.go).
//
// api translates HTTP to calls on graph.Store and back; it holds no graph
// logic of its own and never imports Cayley's store packages.
package api
