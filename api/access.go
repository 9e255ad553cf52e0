package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// access is what a route needs from the caller. Every route of the router
// is classified here, by method and route pattern; TestEveryRouteIsClassified
// fails for a route that is not, so a new route cannot skip the read check.
type access int

const (
	unclassified access = iota
	// public routes return no stored data: health, metrics, the API
	// description, problem pages, the embedded ontology documents and the
	// web explorer's pages and files.
	public
	// read routes return stored data: with read tokens configured they
	// need a read or write token, whatever the method (a POST query reads
	// as much as a GET).
	read
	// write routes change the store: they need a write token
	// (requireWrite); a read token is not enough.
	write
)

func (a access) String() string {
	switch a {
	case public:
		return "public"
	case read:
		return "read"
	case write:
		return "write"
	}
	return "unclassified"
}

// routeAccess is the one table of route classes, keyed by route pattern
// (gin's FullPath); an entry with no method applies to every method of the
// pattern. HEAD always follows GET.
var routeAccess = map[string]map[string]access{
	"/healthz":             {"": public},
	"/readyz":              {"": public},
	"/metrics":             {"": public},
	"/problems/:slug":      {"": public},
	"/favicon.ico":         {"": public},
	"/api/v1/openapi.json": {"": public},
	"/" + ontologyPath:     {"": public},
	"/" + contextPath:      {"": public},
	"/" + shapesPath:       {"": public},
	// The explorer's pages and files are the same for everyone; the data
	// they show comes from read routes.
	"/":                      {"": public},
	"/explore/paths":         {"": public},
	"/explore/sparql":        {"": public},
	explorerAssets + "*file": {"": public},

	"/api/v1/stats":         {"": read},
	"/api/v1/entities":      {"": read},
	"/api/v1/entities/*id":  {"": read},
	"/api/v1/connections":   {"": read},
	"/api/v1/paths":         {"": read},
	"/api/v1/shortest-path": {"": read},
	"/api/v1/query/gizmo":   {"": read},
	"/api/v1/query/graphql": {"": read},
	"/id/*path":             {"": read},
	"/doc/*path":            {"": read},
	"/" + voidPath:          {"": read},
	"/" + exportPath:        {"": read},

	"/api/v1/graphs": {
		http.MethodGet: read, http.MethodHead: read,
		http.MethodPut: write, http.MethodPost: write, http.MethodDelete: write,
	},
	// The SPARQL 1.1 Protocol endpoints: queries read (by GET or POST);
	// an update, which only POST carries, must also pass requireWrite in
	// its handler.
	"/sparql":        {"": read},
	"/api/v1/sparql": {"": read},
}

// accessOf classifies a request by its method and matched route pattern.
// A request no route matched (404, 405) is treated as a read, so that an
// unauthenticated caller learns nothing about which paths exist.
func accessOf(method, route string) access {
	if route == "" {
		return read
	}
	m, ok := routeAccess[route]
	if !ok {
		return unclassified
	}
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if a, ok := m[method]; ok {
		return a
	}
	return m[""]
}

// readAuth applies the read rule: when read tokens are configured, every
// route that returns stored data needs a read or write token, whatever the
// method. Write routes are left to requireWrite; an unclassified route is
// refused outright (a programming error the route test catches first).
func (s *Server) readAuth(c *gin.Context) {
	switch accessOf(c.Request.Method, c.FullPath()) {
	case public, write:
		c.Next()
		return
	case unclassified:
		s.writeError(c, &httpError{status: http.StatusInternalServerError, detail: "route " + c.FullPath() + " has no access class"})
		return
	}
	if len(s.cfg.ReadTokens) == 0 {
		c.Next()
		return
	}
	if err := s.authenticate(c, s.readTokens, "reads"); err != nil {
		s.writeError(c, err)
		return
	}
	c.Next()
}

// handleGet registers h for GET and HEAD: whatever can be read can be
// asked about (net/http drops a HEAD's body).
func handleGet(r gin.IRoutes, path string, h ...gin.HandlerFunc) {
	r.GET(path, h...)
	r.HEAD(path, h...)
}

// knownMethods are the methods the metrics name; any other is "other", so
// that invented methods cannot grow the label set.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodDelete: true, http.MethodOptions: true, http.MethodPatch: true,
}

func methodLabel(m string) string {
	if knownMethods[strings.ToUpper(m)] && m == strings.ToUpper(m) {
		return m
	}
	return "other"
}
