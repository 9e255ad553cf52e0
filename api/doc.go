// Package api is innograph's HTTP interface: one route table (routes.go),
// request validation, content negotiation, request logging, Prometheus
// metrics per route pattern (metrics.go, registry from Config), and the one
// mapping from domain errors to RFC 9457 problem responses (errors.go).
//
// api translates HTTP to calls on graph.Store and back; it holds no graph
// logic of its own and never imports Cayley's store packages.
package api
