package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// ProfileMediaType is the media type of a body in the regional profile
// template text (the text innograph load -format profile reads).
const ProfileMediaType = "text/x-innograph-profile"

// graphStoreRoutes registers the SPARQL 1.1 Graph Store HTTP Protocol at
// /api/v1/graphs: ?graph=IRI names a graph, ?default the default graph.
// Writes need a write token (requireWrite).
func (s *Server) graphStoreRoutes(v1 *gin.RouterGroup) {
	v1.GET("/graphs", s.getGraph)
	v1.HEAD("/graphs", s.getGraph)
	v1.PUT("/graphs", s.requireWrite, s.putGraph)
	v1.POST("/graphs", s.requireWrite, s.postGraph)
	v1.DELETE("/graphs", s.requireWrite, s.deleteGraph)
}

// target is the graph a request addresses.
type target struct {
	graph quad.Value // nil: the default graph
	all   bool       // GET without a parameter: the whole dataset
}

func (t target) String() string {
	switch {
	case t.all:
		return "all graphs"
	case t.graph == nil:
		return "default graph"
	}
	return "graph <" + string(t.graph.(quad.IRI)) + ">"
}

// graphTarget reads ?graph= and ?default. Only a GET may name neither (the
// whole dataset, for backups).
func graphTarget(c *gin.Context, allowAll bool) (target, error) {
	const op = "graph store request"
	q := c.Request.URL.Query()
	_, def := q["default"]
	names, named := q["graph"]
	switch {
	case def && named:
		return target{}, graph.Errorf(op, graph.Invalid, "give either ?graph=IRI or ?default, not both")
	case named:
		if len(names) != 1 {
			return target{}, graph.Errorf(op, graph.Invalid, "give one ?graph parameter, not %d", len(names))
		}
		if err := rdfio.CheckIRI(names[0]); err != nil {
			return target{}, graph.Errorf(op, graph.Invalid, "?graph: %v", err)
		}
		return target{graph: quad.IRI(names[0])}, nil
	case def:
		return target{}, nil
	case allowAll:
		return target{all: true}, nil
	}
	return target{}, graph.Errorf(op, graph.Invalid, "name the graph: ?graph=IRI or ?default")
}

// getGraph sends one graph (or, with no parameter, the whole dataset in a
// format that carries graphs) in the negotiated format. A named graph that
// holds no quad is 404. Both are one consistent state of the store: a graph
// is read whole before it is sent; the whole dataset streams with writers
// held off until it is sent (backups use it).
func (s *Server) getGraph(c *gin.Context) {
	t, err := graphTarget(c, true)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var offered []rdfio.Format
	for _, f := range rdfio.Formats() {
		if f.Writable && (!t.all || f.Graphs) {
			offered = append(offered, f)
		}
	}
	f, err := negotiate(c, offered)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	var qs []quad.Quad
	if !t.all {
		// Read whole, with writers held off only while reading, so the
		// answer is one state of the graph and a slow client delays no write.
		if qs, err = s.store.ReadGraph(ctx, t.graph); err != nil {
			s.writeError(c, err)
			return
		}
	}
	enc, err := rdfio.NewWriter(c.Writer, f, graph.WriteOptions(""))
	if err != nil {
		s.writeError(c, graph.E("get graph", graph.Internal, err))
		return
	}
	c.Header("Content-Type", f.MediaType()+"; charset=utf-8")
	c.Header("Vary", "Accept")
	c.Status(http.StatusOK)
	if c.Request.Method == http.MethodHead {
		return
	}
	if t.all {
		err = s.store.Snapshot(ctx, enc.WriteQuad)
	} else {
		for _, q := range qs {
			if err = enc.WriteQuad(q); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		s.writeError(c, err) // the body has started: logs and aborts
	}
}

// putGraph replaces the graph with the body's triples: 201 when the graph
// is new, 204 otherwise.
func (s *Server) putGraph(c *gin.Context) { s.writeGraph(c, true) }

// postGraph merges the body's triples into the graph: 201 when the graph
// is new, 204 otherwise.
func (s *Server) postGraph(c *gin.Context) { s.writeGraph(c, false) }

func (s *Server) writeGraph(c *gin.Context, replace bool) {
	t, err := graphTarget(c, false)
	if err != nil {
		s.writeError(c, err)
		return
	}
	qs, err := s.decodeBody(c, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	var ch graph.GraphChange
	if replace {
		ch, err = s.store.ReplaceGraph(ctx, t.graph, qs, s.validator)
	} else {
		ch, err = s.store.MergeGraph(ctx, t.graph, qs, s.validator)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.auditWrite(c, t, ch)
	if ch.Created && ch.Added > 0 {
		c.Header("Location", c.Request.URL.RequestURI())
		c.Status(http.StatusCreated)
		return
	}
	c.Status(http.StatusNoContent)
}

// deleteGraph removes the graph: 204, or 404 when it holds no quads.
func (s *Server) deleteGraph(c *gin.Context) {
	t, err := graphTarget(c, false)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ch, err := s.store.DeleteGraph(c.Request.Context(), t.graph)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.auditWrite(c, t, ch)
	c.Status(http.StatusNoContent)
}

// noteChange records the time of a write that changed the graph, for
// GET /api/v1/stats.
func (s *Server) noteChange(added, removed int) {
	if added > 0 || removed > 0 {
		s.lastChange.Store(time.Now().UnixNano())
	}
}

// auditWrite logs one applied write: who, which graph, what changed.
func (s *Server) auditWrite(c *gin.Context, t target, ch graph.GraphChange) {
	s.noteChange(ch.Added, ch.Removed)
	name := ""
	if t.graph != nil {
		name = string(t.graph.(quad.IRI))
	}
	s.audit.Info("write",
		"request_id", c.GetString(requestIDKey),
		"token", c.GetString(tokenIDKey),
		"method", c.Request.Method,
		"graph", name,
		"default_graph", t.graph == nil,
		"created", ch.Created,
		"added", ch.Added,
		"removed", ch.Removed,
		"remote", c.ClientIP(),
	)
}

// bodyFormat is the syntax of a write body, from its Content-Type.
func (s *Server) bodyFormat(c *gin.Context) (f rdfio.Format, profile bool, err error) {
	const op = "read request body"
	ct := c.GetHeader("Content-Type")
	accepted := s.acceptedTypes()
	if strings.TrimSpace(ct) == "" {
		return f, false, graph.Errorf(op, graph.Unsupported, "no Content-Type: send one of %s", strings.Join(accepted, ", "))
	}
	mt, params, perr := mime.ParseMediaType(ct)
	if perr != nil {
		return f, false, graph.Errorf(op, graph.Unsupported, "malformed Content-Type %q: send one of %s", ct, strings.Join(accepted, ", "))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return f, false, graph.Errorf(op, graph.Unsupported, "charset %q: bodies must be UTF-8", cs)
	}
	if mt == ProfileMediaType && s.cfg.ParseProfile != nil {
		return f, true, nil
	}
	if f, ok := rdfio.Lookup(mt); ok && f.Readable && strings.Contains(mt, "/") {
		return f, false, nil
	}
	return f, false, graph.Errorf(op, graph.Unsupported, "Content-Type %s is not accepted: send one of %s", mt, strings.Join(accepted, ", "))
}

// acceptedTypes lists the canonical media types a write body may have.
func (s *Server) acceptedTypes() []string {
	var out []string
	for _, f := range rdfio.Formats() {
		if f.Readable {
			out = append(out, f.MediaType())
		}
	}
	if s.cfg.ParseProfile != nil {
		out = append(out, ProfileMediaType)
	}
	return out
}

// decodeBody reads and parses the whole body before anything is written,
// within the limits. Every quad must belong to the target graph: triples go
// into it, and a quad naming another graph is refused, so a request never
// writes outside the graph it names.
func (s *Server) decodeBody(c *gin.Context, t target) ([]quad.Quad, error) {
	f, profile, err := s.bodyFormat(c)
	if err != nil {
		return nil, err
	}
	body, err := s.readBody(c)
	if err != nil {
		return nil, err
	}
	lim := s.cfg.WriteLimits.doc()
	if profile {
		return s.decodeProfile(body, lim)
	}
	sum := sha256.Sum256(body)
	base := ontology.IDBase
	if t.graph != nil {
		base = string(t.graph.(quad.IRI))
	}
	opt := rdfio.ReadOptions{
		Base:            base,
		Graph:           t.graph,
		BlankNodePrefix: "b" + hex.EncodeToString(sum[:8]) + "_",
		MaxBytes:        s.cfg.WriteLimits.MaxBodyBytes,
	}
	op := "parse " + f.Name + " body"
	qs, err := rdfio.ReadAll(body, f, opt, lim)
	if err != nil {
		var le *rdfio.LimitError
		if errors.As(err, &le) || errors.Is(err, rdfio.ErrTooLarge) {
			return nil, graph.E(op, graph.TooLarge, err)
		}
		return nil, graph.E(op, graph.Invalid, err)
	}
	for _, q := range qs {
		if !sameGraph(q.Label, t.graph) {
			return nil, graph.Errorf(op, graph.Invalid,
				"the body puts quads in graph %v, but this request writes the %s only (send triples, or quads of that graph)", q.Label, t)
		}
	}
	return qs, nil
}

func sameGraph(a, b quad.Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a == b
}

// decodeProfile parses a profile text with the configured parser and
// applies the term limits to its quads.
func (s *Server) decodeProfile(body []byte, lim rdfio.Limits) ([]quad.Quad, error) {
	const op = "parse profile body"
	if err := rdfio.CheckUTF8(body); err != nil {
		return nil, graph.E(op, graph.Invalid, err)
	}
	qs, err := s.cfg.ParseProfile(bytes.NewReader(body))
	if err != nil {
		return nil, graph.E(op, graph.Invalid, err)
	}
	if lim.MaxQuads > 0 && len(qs) > lim.MaxQuads {
		return nil, graph.E(op, graph.TooLarge, &rdfio.LimitError{Limit: "quads", Max: int64(lim.MaxQuads), Msg: "the profile gives too many quads"})
	}
	for _, q := range qs {
		if err := rdfio.CheckQuad(q, lim); err != nil {
			var le *rdfio.LimitError
			if errors.As(err, &le) {
				return nil, graph.E(op, graph.TooLarge, err)
			}
			return nil, graph.E(op, graph.Invalid, err)
		}
	}
	return qs, nil
}
