package api

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
)

// ProfileMediaType is the media type of a body in the regional profile
// template text (the text innograph load -format profile reads).
const ProfileMediaType = "text/x-innograph-profile"

// graphStoreRoutes registers the SPARQL 1.1 Graph Store HTTP Protocol at
// /api/v1/graphs: ?graph=IRI names a graph, ?default the default graph.
// Writes need a write token (requireWrite).
func (s *Server) graphStoreRoutes(v1 *gin.RouterGroup) {
	handleGet(v1, "/graphs", s.getGraph)
	v1.PUT("/graphs", s.requireWrite, s.bodyDeadline, s.putGraph)
	v1.POST("/graphs", s.requireWrite, s.bodyDeadline, s.postGraph)
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
		iri, err := graph.GraphName(names[0])
		if err != nil {
			return target{}, graph.Errorf(op, graph.Invalid, "?graph: %v", err)
		}
		return target{graph: iri}, nil
	case def:
		return target{}, nil
	case allowAll:
		return target{all: true}, nil
	}
	return target{}, graph.Errorf(op, graph.Invalid, "name the graph: ?graph=IRI or ?default")
}

// getGraph sends one graph (or, with no parameter, the whole dataset in a
// format that carries graphs) in the negotiated format. A named graph that
// holds no quad is 404. Both are one consistent state of the store, and a
// slow client delays no write: the answer is encoded into a spool file
// with writers held off (at disk speed), then sent from the file. At most
// MaxExports run at once (503 with Retry-After beyond), so memory and
// disk stay bounded whatever many clients ask.
func (s *Server) getGraph(c *gin.Context) {
	const op = "get graph"
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
	c.Header("Vary", "Accept")
	if c.Request.Method == http.MethodHead {
		if !t.all {
			ok, err := s.store.HasGraph(ctx, t.graph)
			if err == nil && !ok {
				err = graph.Errorf(op, graph.NotFound, "graph <%s> holds no quads", t.graph.(quad.IRI))
			}
			if err != nil {
				s.writeError(c, err)
				return
			}
		}
		c.Header("Content-Type", f.MediaType()+"; charset=utf-8")
		c.Status(http.StatusOK)
		return
	}
	release, err := s.acquireExport(op)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer release()
	spool, err := os.CreateTemp(s.cfg.SpoolDir, "innograph-graph-*")
	if err != nil {
		s.writeError(c, graph.E(op, graph.Internal, err))
		return
	}
	defer func() {
		spool.Close()
		os.Remove(spool.Name())
	}()
	bw := bufio.NewWriterSize(spool, 1<<16)
	enc, err := rdfio.NewWriter(bw, f, graph.WriteOptions(""))
	if err != nil {
		s.writeError(c, graph.E(op, graph.Internal, err))
		return
	}
	if t.all {
		err = s.store.Snapshot(ctx, enc.WriteQuad)
	} else {
		err = s.store.SnapshotGraph(ctx, t.graph, enc.WriteQuad)
	}
	if err == nil {
		err = enc.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	var size int64
	if err == nil {
		size, err = spool.Seek(0, io.SeekCurrent)
	}
	if err == nil {
		_, err = spool.Seek(0, io.SeekStart)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.streamed(c)
	c.Header("Content-Type", f.MediaType()+"; charset=utf-8")
	c.Header("Content-Length", strconv.FormatInt(size, 10))
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, spool); err != nil {
		if errors.Is(err, errNotModified) {
			return // answered 304 (cache.go)
		}
		s.writeError(c, graph.E(op, graph.Internal, err)) // the body has started: logs and aborts
		panic(http.ErrAbortHandler)                       // cut the connection: the answer is incomplete
	}
}

// acquireExport takes one of the MaxExports slots of whole-graph reads and
// exports, or returns an Unavailable error (503 with Retry-After) when all
// are taken. The caller calls release when done.
func (s *Server) acquireExport(op string) (release func(), err error) {
	select {
	case s.exports <- struct{}{}:
		return func() { <-s.exports }, nil
	default:
		return nil, graph.Errorf(op, graph.Unavailable, "%d whole-graph reads and exports are running, the most this server runs at once; retry shortly", cap(s.exports))
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
	doc, err := s.document(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ch, err := s.store.WriteGraph(c.Request.Context(), t.graph, doc, replace)
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
		"client_request_id", c.GetString(clientRequestIDKey),
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

// document reads the whole body within the limits, before anything is
// written, as a document for Store.WriteGraph (which parses, checks and
// validates it).
func (s *Server) document(c *gin.Context) (graph.Upload, error) {
	f, profile, err := s.bodyFormat(c)
	if err != nil {
		return graph.Upload{}, err
	}
	body, err := s.readBody(c)
	if err != nil {
		return graph.Upload{}, err
	}
	doc := graph.Upload{Body: body, Format: f, Limits: s.cfg.WriteLimits.doc(), MaxBytes: s.cfg.WriteLimits.MaxBodyBytes}
	if profile {
		doc.Parse = s.cfg.ParseProfile
	}
	return doc, nil
}
