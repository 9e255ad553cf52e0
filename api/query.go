package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// maxQueryBody bounds the body of POST /paths and of Gizmo and GraphQL
// queries.
const maxQueryBody = 1 << 20

// neighbourhoodSuffix ends the path of an entity's neighbourhood. Entity
// IDs may contain '/', so /entities/*id is one catch-all route that
// dispatches on this suffix.
const neighbourhoodSuffix = "/neighbourhood"

// queryRoutes registers the query API under v1. Every query runs under the
// configured timeout.
func (s *Server) queryRoutes(v1 *gin.RouterGroup) {
	q := v1.Group("", s.queryTimeout)
	handleGet(q, "/entities", s.entities)
	handleGet(q, "/entities/*id", s.entityOrNeighbourhood)
	handleGet(q, "/connections", s.connections)
	q.POST("/paths", s.paths)
	handleGet(q, "/shortest-path", s.shortestPath)
	q.POST("/query/gizmo", s.langQuery(graph.Gizmo))
	q.POST("/query/graphql", s.langQuery(graph.GraphQL))
	handleGet(v1, "/openapi.json", s.openAPI)
}

// queryTimeout gives the request the configured query deadline, for the
// query and for reading its body: a body that trickles in past the deadline
// fails to read rather than hold the connection.
func (s *Server) queryTimeout(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.queryTimeout())
	defer cancel()
	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		// Only while a body is read: without one the server's own
		// background read owns the connection's read deadline. Not every
		// ResponseWriter supports deadlines (httptest's recorder); then
		// only the context bounds the request.
		deadline, _ := ctx.Deadline()
		_ = http.NewResponseController(c.Writer).SetReadDeadline(deadline)
	}
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// jsonFormat is the native JSON answer of the query API, offered first so
// that a client asking for anything gets it.
var jsonFormat = rdfio.Format{Name: "json", MediaTypes: []string{"application/json"}, Extensions: []string{".json"}}

// answerFormats are the representations of a path answer: the JSON
// answer, or the subgraph it covers in any RDF format.
func answerFormats() []rdfio.Format {
	out := []rdfio.Format{jsonFormat}
	for _, f := range rdfio.Formats() {
		if f.Writable {
			out = append(out, f)
		}
	}
	return out
}

// answer writes a path answer: v as JSON (answer.go), or the quads behind
// cover in the negotiated RDF format, encoded as documents are (the context served to
// this client; ?frame or a profile for the framed viewer JSON-LD, whose
// every node has its label and type). An RDF body is rendered whole first,
// so an error can still become a problem response.
func (s *Server) answer(c *gin.Context, v any, cover func() graph.Subgraph) {
	f, err := negotiateLD(c, s.formats)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Vary", "Accept")
	if f.Name == jsonFormat.Name {
		// Written as it is walked (answer.go): an error can only come
		// from the connection, after the body has started.
		c.Header("Content-Type", "application/json; charset=utf-8")
		c.Status(http.StatusOK)
		if err := s.writeAnswerJSON(c.Writer, c.Writer.Header(), v); err != nil {
			s.writeError(c, err) // the body has started: logs and aborts
		}
		return
	}
	ctx := c.Request.Context()
	quads, err := s.store.CoverQuads(ctx, cover())
	if err != nil {
		s.writeError(c, err)
		return
	}
	opt, contentType, err := rdfEncoding(c, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	graphs := documentGraphs(f)
	if opt.JSONLD.Profile == rdfio.ProfileVisual && f.Name == rdfio.JSONLD {
		if quads, err = s.ld.viewQuads(ctx, quads); err != nil {
			s.writeError(c, err)
			return
		}
		graphs = false
	}
	if !graphs {
		quads = withoutGraphs(quads)
	}
	quads = sortForFormat(quads, graphs)
	var buf bytes.Buffer
	w, err := rdfio.NewWriter(&buf, f, opt)
	if err != nil {
		s.writeError(c, graph.E("write answer", graph.Internal, err))
		return
	}
	for _, q := range quads {
		if err := w.WriteQuad(q); err != nil {
			s.writeError(c, graph.E("write answer", graph.Internal, err))
			return
		}
	}
	if err := w.Close(); err != nil {
		s.writeError(c, graph.E("write answer", graph.Internal, err))
		return
	}
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

// invalid is a 400 for a malformed request parameter.
func invalid(format string, args ...any) error {
	return graph.Errorf("parse request", graph.Invalid, format, args...)
}

// intParam reads an optional non-negative whole number from the query
// string; absent means 0.
func intParam(c *gin.Context, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, invalid("%s=%q is not a non-negative whole number", name, v)
	}
	return n, nil
}

// resolveTerm turns what a client may write for an entity, class or
// predicate into an IRI: a full IRI ("https://..."), a prefixed name of the
// ontology's prefixes ("ig:University", "region:dk04"), a short form under
// ontology.IDBase ("region/dk04"), or a local name of the ontology
// ("University", "memberOf"). "" stays "".
func resolveTerm(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", nil
	case strings.Contains(s, "://") || strings.HasPrefix(s, "urn:"):
		return s, nil
	case strings.HasPrefix(s, "https:/"), strings.HasPrefix(s, "http:/"):
		// A client or proxy merged the "//" of an IRI in a URL path.
		scheme, rest, _ := strings.Cut(s, ":/")
		return scheme + "://" + rest, nil
	}
	if pfx, local, ok := strings.Cut(s, ":"); ok {
		for _, p := range ontology.Prefixes() {
			if p.Name == pfx {
				return p.NS + local, nil
			}
		}
		return "", invalid("%s %q: unknown prefix %q", what, s, pfx)
	}
	if strings.Contains(s, "/") {
		if iri, ok := ontology.Expand(s); ok {
			return string(iri), nil
		}
		return "", invalid("%s %q is neither an IRI nor a short form like region/dk04", what, s)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "", invalid("%s %q is not a local name of the ontology, a short form or an IRI", what, s)
		}
	}
	return ontology.NS + s, nil
}

// resolveTerms resolves each of ss.
func resolveTerms(what string, ss []string) ([]string, error) {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		iri, err := resolveTerm(what, s)
		if err != nil {
			return nil, err
		}
		if iri != "" {
			out = append(out, iri)
		}
	}
	return out, nil
}

// entities lists and searches entities: GET /entities?type=&q=&limit=&cursor=.
func (s *Server) entities(c *gin.Context) {
	class, err := resolveTerm("type", c.Query("type"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	limit, err := intParam(c, "limit")
	if err != nil {
		s.writeError(c, err)
		return
	}
	page, err := s.store.Entities(c.Request.Context(), graph.EntityQuery{
		Type: class, Q: c.Query("q"), Limit: limit, Cursor: c.Query("cursor"), Limits: s.cfg.QueryLimits,
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// entityOrNeighbourhood serves GET /entities/{id} and
// GET /entities/{id}/neighbourhood.
func (s *Server) entityOrNeighbourhood(c *gin.Context) {
	raw := strings.TrimPrefix(c.Param("id"), "/")
	raw, hood := strings.CutSuffix(raw, neighbourhoodSuffix)
	if raw == "" {
		s.writeError(c, invalid("no entity id in the path"))
		return
	}
	id, err := resolveTerm("id", raw)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if hood {
		s.neighbourhood(c, id)
		return
	}
	e, err := s.store.Entity(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

// neighbourhood serves GET /entities/{id}/neighbourhood?hops=&limit=.
func (s *Server) neighbourhood(c *gin.Context, id string) {
	hops, err := intParam(c, "hops")
	if err != nil {
		s.writeError(c, err)
		return
	}
	limit, err := intParam(c, "limit")
	if err != nil {
		s.writeError(c, err)
		return
	}
	g, err := s.store.Neighbourhood(c.Request.Context(), graph.NeighbourhoodQuery{ID: id, Hops: hops, Limit: limit, Limits: s.cfg.QueryLimits})
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.answer(c, g, func() graph.Subgraph { return g })
}

// connections serves GET /connections?from=&to=&through=&maxHops=&limit=&cursor=.
func (s *Server) connections(c *gin.Context) {
	var q graph.ConnectionQuery
	var err error
	for _, t := range []struct {
		name string
		dst  *string
	}{{"from", &q.From}, {"to", &q.To}, {"through", &q.Through}} {
		if *t.dst, err = resolveTerm(t.name, c.Query(t.name)); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if q.MaxHops, err = intParam(c, "maxHops"); err != nil {
		s.writeError(c, err)
		return
	}
	if q.Limit, err = intParam(c, "limit"); err != nil {
		s.writeError(c, err)
		return
	}
	q.Cursor, q.Limits = c.Query("cursor"), s.cfg.QueryLimits
	page, err := s.store.Connections(c.Request.Context(), q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.answer(c, page, page.Cover)
}

// shortestPath serves GET /shortest-path?from=&to=&maxHops=&predicates=&direction=.
func (s *Server) shortestPath(c *gin.Context) {
	var q graph.ShortestQuery
	var err error
	if q.From, err = resolveTerm("from", c.Query("from")); err != nil {
		s.writeError(c, err)
		return
	}
	if q.To, err = resolveTerm("to", c.Query("to")); err != nil {
		s.writeError(c, err)
		return
	}
	if q.MaxHops, err = intParam(c, "maxHops"); err != nil {
		s.writeError(c, err)
		return
	}
	var preds []string
	for _, v := range c.QueryArray("predicates") {
		preds = append(preds, strings.Split(v, ",")...)
	}
	if q.Predicates, err = resolveTerms("predicate", preds); err != nil {
		s.writeError(c, err)
		return
	}
	q.Direction, q.Limits = graph.Direction(c.Query("direction")), s.cfg.QueryLimits
	res, err := s.store.ShortestPaths(c.Request.Context(), q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.answer(c, res, res.Cover)
}

// readBody reads a query body of at most maxQueryBody bytes.
func readBody(c *gin.Context) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxQueryBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, graph.Errorf("read request", graph.TooLarge, "the body is larger than %d bytes", maxQueryBody)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return nil, graph.Errorf("read request", graph.Timeout, "the body did not arrive within the query timeout")
	}
	if err != nil {
		return nil, invalid("read the body: %v", err)
	}
	return b, nil
}

// paths serves POST /paths: a graph.Pattern as JSON, decoded strictly (an
// unknown field is a 400 naming it).
func (s *Server) paths(c *gin.Context) {
	if err := jsonBody(c); err != nil {
		s.writeError(c, err)
		return
	}
	body, err := readBody(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	p, err := decodePattern(body)
	if err != nil {
		s.writeError(c, err)
		return
	}
	p.Limits = s.cfg.QueryLimits
	res, err := s.store.Paths(c.Request.Context(), p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.answer(c, res, res.Cover)
}

// jsonBody refuses a body whose Content-Type says it is not JSON (a form,
// say); no Content-Type at all is read as JSON, for curl's sake.
func jsonBody(c *gin.Context) error {
	ct := c.GetHeader("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return graph.Errorf("parse request", graph.Unsupported, "Content-Type %q: send the pattern as application/json", ct)
	}
	return nil
}

// decodePattern parses a pattern strictly and resolves its terms.
func decodePattern(body []byte) (graph.Pattern, error) {
	var p graph.Pattern
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return p, invalid("the body is empty; send a JSON pattern")
		}
		return p, invalid("pattern: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return p, invalid("pattern: data after the JSON object")
	}
	var err error
	if p.Start.IDs, err = resolveTerms("start id", p.Start.IDs); err != nil {
		return p, err
	}
	if p.Start.Type, err = resolveTerm("start type", p.Start.Type); err != nil {
		return p, err
	}
	for i := range p.Steps {
		st := &p.Steps[i]
		if st.Type, err = resolveTerm(fmt.Sprintf("step %d type", i+1), st.Type); err != nil {
			return p, err
		}
		if st.Predicates, err = resolveTerms(fmt.Sprintf("step %d predicate", i+1), st.Predicates); err != nil {
			return p, err
		}
	}
	return p, nil
}

// langQuery serves POST /query/gizmo and /query/graphql: the query text is
// the body; ?limit= bounds the results.
func (s *Server) langQuery(lang graph.Language) gin.HandlerFunc {
	return func(c *gin.Context) {
		if lang == graph.Gizmo && !s.cfg.Gizmo {
			s.writeError(c, &httpError{status: http.StatusForbidden,
				detail: "Gizmo queries are off on this server: a script's memory cannot be bounded, so an operator turns them on with -gizmo (INNOGRAPH_GIZMO=true) for trusted readers"})
			return
		}
		select {
		case s.scripts <- struct{}{}:
			defer func() { <-s.scripts }()
		default:
			s.writeError(c, graph.Errorf("query "+string(lang), graph.Unavailable,
				"%d Gizmo and GraphQL queries are running, the most this server runs at once; retry shortly", cap(s.scripts)))
			return
		}
		limit, err := intParam(c, "limit")
		if err != nil {
			s.writeError(c, err)
			return
		}
		body, err := readBody(c)
		if err != nil {
			s.writeError(c, err)
			return
		}
		res, err := s.store.Query(c.Request.Context(), graph.LangQuery{Language: lang, Text: string(body), Limit: limit, Limits: s.cfg.QueryLimits})
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.PureJSON(http.StatusOK, res) // keeps Gizmo's "<iri>" readable
	}
}
