package api

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/sparql/results"
	"github.com/innograph/innograph/ontology"
)

// SPARQL protocol media types.
const (
	sparqlQueryType  = "application/sparql-query"
	sparqlUpdateType = "application/sparql-update"
	formType         = "application/x-www-form-urlencoded"
	// explainHeader, set to anything but "" or "0", asks for the plan
	// instead of the answer, as ?explain does.
	explainHeader = "X-Innograph-Explain"
	// maxRowsHeader tells a client the row limit of every answer.
	maxRowsHeader = "X-Innograph-Max-Rows"
)

// DefaultMaxSPARQLRows is the row limit of a SPARQL answer when Config
// gives none.
const DefaultMaxSPARQLRows = 1_000_000

// maxSPARQLQuery bounds the text of a query (an update may be as large as
// any write body).
const maxSPARQLQuery = 1 << 20

// sparqlRoutes registers the SPARQL 1.1 Protocol endpoint at path: queries
// by GET or POST, updates by POST, the service description on a GET
// without a query. Each request runs under the query timeout.
func (s *Server) sparqlRoutes(g gin.IRoutes) {
	handleGet(g, "/sparql", s.queryTimeout, s.sparql)
	g.POST("/sparql", s.queryTimeout, s.sparql)
}

// sparqlOp is one protocol request: a query or an update with its
// dataset.
type sparqlOp struct {
	query, update   string
	hasQ, hasU      bool
	defaults, named []string
	explain         bool
}

// sparql answers one SPARQL protocol request.
func (s *Server) sparql(c *gin.Context) {
	op, err := s.sparqlOperation(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	switch {
	case op.hasU:
		s.sparqlUpdate(c, op)
	case op.hasQ:
		s.sparqlQuery(c, op)
	default:
		s.serviceDescription(c)
	}
}

// sparqlOperation reads the request as the SPARQL 1.1 Protocol defines it:
// GET with ?query=; POST with a form (query= or update=, and the dataset
// in the form), or a query or update as the body (the dataset in the URL).
func (s *Server) sparqlOperation(c *gin.Context) (sparqlOp, error) {
	const op = "read SPARQL request"
	var params url.Values
	var o sparqlOp
	urlParams, err := url.ParseQuery(c.Request.URL.RawQuery)
	if err != nil {
		return o, graph.Errorf(op, graph.Invalid, "malformed query string: %v", err)
	}
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		params = urlParams
		if _, ok := params["update"]; ok {
			return o, graph.Errorf(op, graph.Invalid, "an update must be sent with POST (form field update= or Content-Type %s), never with GET", sparqlUpdateType)
		}
	} else {
		ct := c.GetHeader("Content-Type")
		mt, ps, perr := mime.ParseMediaType(ct)
		if strings.TrimSpace(ct) == "" || perr != nil {
			return o, graph.Errorf(op, graph.Unsupported, "Content-Type %q: send %s, %s or %s", ct, sparqlQueryType, sparqlUpdateType, formType)
		}
		if cs, ok := ps["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
			return o, graph.Errorf(op, graph.Unsupported, "charset %q: SPARQL requests must be UTF-8", cs)
		}
		switch mt {
		case formType, sparqlQueryType, sparqlUpdateType:
		default:
			return o, graph.Errorf(op, graph.Unsupported, "Content-Type %s is not a SPARQL request: send %s, %s or %s", mt, sparqlQueryType, sparqlUpdateType, formType)
		}
		body, err := s.readBody(c)
		if err != nil {
			return o, err
		}
		if !utf8.Valid(body) {
			return o, graph.Errorf(op, graph.Invalid, "the body is not UTF-8")
		}
		switch mt {
		case formType:
			if params, err = url.ParseQuery(string(body)); err != nil {
				return o, graph.Errorf(op, graph.Invalid, "malformed form body: %v", err)
			}
			for _, k := range []string{"query", "update"} {
				if _, ok := urlParams[k]; ok {
					return o, graph.Errorf(op, graph.Invalid, "a form POST carries %s= in its body, not in the URL", k)
				}
			}
			// The protocol puts a form's dataset in the body; one given in
			// the URL (as some clients do) counts too, rather than being
			// silently dropped.
			for _, k := range []string{"explain", "default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"} {
				if v, ok := urlParams[k]; ok {
					params[k] = append(params[k], v...)
				}
			}
		case sparqlQueryType:
			params = urlParams
			if _, ok := params["query"]; ok {
				return o, graph.Errorf(op, graph.Invalid, "the query is the body of a %s POST; drop ?query= from the URL", sparqlQueryType)
			}
			params["query"] = []string{string(body)}
		case sparqlUpdateType:
			params = urlParams
			if _, ok := params["update"]; ok {
				return o, graph.Errorf(op, graph.Invalid, "the update is the body of a %s POST; drop ?update= from the URL", sparqlUpdateType)
			}
			params["update"] = []string{string(body)}
		}
	}
	qs, hasQ := params["query"]
	us, hasU := params["update"]
	switch {
	case hasQ && hasU:
		return o, graph.Errorf(op, graph.Invalid, "give either a query or an update, not both")
	case len(qs) > 1 || len(us) > 1:
		return o, graph.Errorf(op, graph.Invalid, "give one query or update, not several")
	}
	o.hasQ, o.hasU = hasQ, hasU
	if hasQ {
		o.query = qs[0]
		if strings.TrimSpace(o.query) == "" {
			return o, graph.Errorf(op, graph.Invalid, "the query is empty")
		}
		if len(o.query) > maxSPARQLQuery {
			return o, graph.Errorf(op, graph.TooLarge, "a query of %d bytes exceeds the limit of %d bytes", len(o.query), maxSPARQLQuery)
		}
		o.defaults, o.named = params["default-graph-uri"], params["named-graph-uri"]
		for _, k := range []string{"using-graph-uri", "using-named-graph-uri"} {
			if _, ok := params[k]; ok {
				return o, graph.Errorf(op, graph.Invalid, "%s belongs to updates; a query takes default-graph-uri and named-graph-uri", k)
			}
		}
	}
	if hasU {
		o.update = us[0]
		if strings.TrimSpace(o.update) == "" {
			return o, graph.Errorf(op, graph.Invalid, "the update is empty")
		}
		o.defaults, o.named = params["using-graph-uri"], params["using-named-graph-uri"]
		for _, k := range []string{"default-graph-uri", "named-graph-uri"} {
			if _, ok := params[k]; ok {
				return o, graph.Errorf(op, graph.Invalid, "%s belongs to queries; an update takes using-graph-uri and using-named-graph-uri", k)
			}
		}
	}
	if v, ok := params["explain"]; ok && (len(v) == 0 || v[0] != "0" && v[0] != "false") {
		o.explain = true
	}
	if h := c.GetHeader(explainHeader); h != "" && h != "0" && h != "false" {
		o.explain = true
	}
	if !hasQ && !hasU && len(params) > 0 {
		for k := range params {
			switch k {
			case "format", "output", "results":
				continue
			}
			return o, graph.Errorf(op, graph.Invalid, "parameter %s without a query: give ?query= (or POST an update)", k)
		}
	}
	return o, nil
}

// maxRows is the row limit of one answer; 0 means none.
func (s *Server) maxRows() int64 {
	switch n := s.cfg.MaxSPARQLRows; {
	case n == 0:
		return DefaultMaxSPARQLRows
	case n < 0:
		return 0
	default:
		return n
	}
}

// sparqlQuery runs a query and streams its answer in the negotiated
// format. Errors found before the first bytes of the answer leave (a
// syntax error, the row limit or the timeout within the first few
// thousand rows) are problem responses; later ones cut the connection, so
// that no client takes a truncated answer for a whole one.
func (s *Server) sparqlQuery(c *gin.Context, o sparqlOp) {
	ctx := c.Request.Context()
	lim := s.maxRows()
	q, err := s.store.PrepareSPARQL(ctx, graph.SPARQLRequest{
		Text: o.query, Base: ontology.IDBase, DefaultGraphs: o.defaults, NamedGraphs: o.named, MaxRows: lim,
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer q.Close()
	form := q.Form()
	if o.explain {
		p := q.Plan()
		c.JSON(http.StatusOK, gin.H{"form": form, "plan": p, "text": p.String()})
		return
	}
	var rf results.Format
	var gf rdfio.Format
	switch form {
	case graph.FormSelect, graph.FormAsk:
		rf, err = negotiateResults(c, form == graph.FormAsk)
	default:
		gf, err = negotiateGraph(c)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Vary", "Accept")
	if lim > 0 {
		c.Header(maxRowsHeader, strconv.FormatInt(lim, 10))
	}
	switch form {
	case graph.FormAsk:
		ok, err := q.Ask(ctx)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.Header("Content-Type", rf.MediaTypes[0]+"; charset=utf-8")
		c.Status(http.StatusOK)
		if err := results.WriteBoolean(c.Writer, rf, ok); err != nil {
			s.abortStream(c, graph.E("write SPARQL answer", graph.Internal, err))
		}
	case graph.FormSelect:
		c.Header("Content-Type", rf.MediaTypes[0]+"; charset=utf-8")
		// A long answer (under a long -query-timeout) runs past the
		// response's write deadline while each write makes progress.
		s.streamed(c)
		w, err := results.NewWriter(c.Writer, rf, q.Vars())
		if err != nil {
			s.writeError(c, graph.E("write SPARQL answer", graph.Internal, err))
			return
		}
		// Nothing reaches the client before the writer's first flush: an
		// error until then is still a problem response.
		c.Status(http.StatusOK)
		if err := q.Select(ctx, w.Write); err != nil {
			s.abortStream(c, err)
			return
		}
		if err := w.Close(); err != nil {
			s.abortStream(c, err)
		}
	default:
		opt, contentType, err := rdfEncoding(c, gf)
		if err != nil {
			s.writeError(c, err)
			return
		}
		s.streamed(c)
		sw := &startWriter{c: c, contentType: contentType}
		enc, err := rdfio.NewWriter(sw, gf, opt)
		if err != nil {
			s.writeError(c, graph.E("write SPARQL answer", graph.Internal, err))
			return
		}
		if err := q.Construct(ctx, enc.WriteQuad); err != nil {
			s.abortStream(c, err)
			return
		}
		if err := enc.Close(); err != nil {
			s.abortStream(c, err)
			return
		}
		sw.start()
	}
}

// startWriter sets the status and Content-Type of a streamed answer when
// its first bytes are written, so an error before that is still a problem
// response.
type startWriter struct {
	c           *gin.Context
	contentType string
	started     bool
}

func (w *startWriter) start() {
	if !w.started {
		w.started = true
		w.c.Header("Content-Type", w.contentType)
		w.c.Status(http.StatusOK)
		w.c.Writer.WriteHeaderNow()
	}
}

func (w *startWriter) Write(p []byte) (int, error) {
	w.start()
	return w.c.Writer.Write(p)
}

// abortStream reports an error of a streamed answer: as a problem when
// nothing was sent yet, otherwise by logging it and cutting the
// connection, so the client sees an incomplete response rather than a
// well-formed but truncated one (CSV and TSV have no way to say so).
func (s *Server) abortStream(c *gin.Context, err error) {
	started := c.Writer.Written()
	s.writeError(c, err)
	if started && !errors.Is(err, errNotModified) {
		panic(http.ErrAbortHandler)
	}
}

// negotiateResults picks the results format of a SELECT (or ASK: JSON or
// XML): ?format= (json, xml, csv, tsv or a media type) overrides Accept.
func negotiateResults(c *gin.Context, ask bool) (results.Format, error) {
	var offered []rdfio.Format
	var fs []results.Format
	for _, f := range results.Formats() {
		if ask && !f.Boolean {
			continue
		}
		fs = append(fs, f)
		offered = append(offered, rdfio.Format{Name: f.Name, MediaTypes: f.MediaTypes, Extensions: f.Extensions})
	}
	f, err := negotiate(c, offered)
	if err != nil {
		return results.Format{}, err
	}
	for _, r := range fs {
		if r.Name == f.Name {
			return r, nil
		}
	}
	return results.Format{}, notAcceptable("no results format matches", offered)
}

// negotiateGraph picks the RDF format of a CONSTRUCT or DESCRIBE answer.
// SPARQL clients name formats loosely (SPARQLWrapper's format=xml asks
// for RDF/XML, format=n3 for Turtle): those names are understood too.
func negotiateGraph(c *gin.Context) (rdfio.Format, error) {
	var offered []rdfio.Format
	for _, f := range rdfio.Formats() {
		if f.Writable {
			offered = append(offered, f)
		}
	}
	alias := map[string]string{"xml": rdfio.RDFXML, "rdf+xml": rdfio.RDFXML, "n3": rdfio.Turtle, "json-ld": rdfio.JSONLD}
	if name, ok := alias[strings.ToLower(c.Query("format"))]; ok {
		f, _ := rdfio.Lookup(name)
		return f, nil
	}
	return negotiate(c, offered)
}

// sparqlUpdate applies an update: write tokens as for the Graph Store
// Protocol, one transaction, validated, audited. The answer says how many
// quads were added and removed.
func (s *Server) sparqlUpdate(c *gin.Context, o sparqlOp) {
	if err := s.authorizeWrite(c); err != nil {
		s.writeError(c, err)
		return
	}
	if o.explain {
		s.writeError(c, graph.Errorf("SPARQL update", graph.Invalid, "explain is offered for queries only"))
		return
	}
	ch, err := s.store.UpdateSPARQL(c.Request.Context(), graph.SPARQLRequest{
		Text: o.update, Base: ontology.IDBase, DefaultGraphs: o.defaults, NamedGraphs: o.named,
		MaxUpdateQuads: int64(s.cfg.WriteLimits.MaxQuads),
	}, s.store.Validator())
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.noteChange(int(ch.Added), int(ch.Removed))
	graphs := make([]string, 0, len(ch.Graphs))
	def := false
	for _, g := range ch.Graphs {
		if g == nil {
			def = true
			continue
		}
		graphs = append(graphs, graphName(g))
	}
	s.audit.Info("write",
		"request_id", c.GetString(requestIDKey),
		"token", c.GetString(tokenIDKey),
		"method", c.Request.Method,
		"operation", "sparql update",
		"graphs", graphs,
		"default_graph", def,
		"added", ch.Added,
		"removed", ch.Removed,
		"remote", c.ClientIP(),
	)
	c.JSON(http.StatusOK, gin.H{"added": ch.Added, "removed": ch.Removed, "graphs": graphs, "defaultGraph": def})
}

func graphName(g quad.Value) string {
	if iri, ok := g.(quad.IRI); ok {
		return string(iri)
	}
	return g.String()
}

// serviceDescription answers GET /sparql without a query: a SPARQL 1.1
// Service Description of this endpoint, in any RDF format.
func (s *Server) serviceDescription(c *gin.Context) {
	f, err := negotiateGraph(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	st, err := s.store.Stats(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	const (
		sd   = "http://www.w3.org/ns/sparql-service-description#"
		fmts = "http://www.w3.org/ns/formats/"
		rdfT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
		rdfs = "http://www.w3.org/2000/01/rdf-schema#"
	)
	endpoint := quad.IRI(strings.TrimSuffix(serverURL(c), "/") + c.Request.URL.Path)
	svc, ds, dg := quad.BNode("service"), quad.BNode("dataset"), quad.BNode("defaultGraph")
	var qs []quad.Quad
	add := func(s quad.Value, p string, o quad.Value) {
		qs = append(qs, quad.Quad{Subject: s, Predicate: quad.IRI(p), Object: o})
	}
	add(svc, rdfT, quad.IRI(sd+"Service"))
	add(svc, sd+"endpoint", endpoint)
	add(svc, sd+"supportedLanguage", quad.IRI(sd+"SPARQL11Query"))
	add(svc, sd+"supportedLanguage", quad.IRI(sd+"SPARQL11Update"))
	add(svc, sd+"feature", quad.IRI(sd+"UnionDefaultGraph"))
	for _, r := range []string{"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML"} {
		add(svc, sd+"resultFormat", quad.IRI(fmts+r))
	}
	add(svc, rdfs+"comment", quad.String("The default graph is the union (RDF merge) of all the named graphs: every source document and every written graph is a named graph. FROM, FROM NAMED, default-graph-uri and named-graph-uri narrow the dataset. LOAD and SERVICE are refused: this service fetches no URLs."))
	add(svc, sd+"defaultDataset", ds)
	add(ds, rdfT, quad.IRI(sd+"Dataset"))
	add(ds, sd+"defaultGraph", dg)
	add(dg, rdfT, quad.IRI(sd+"Graph"))
	add(dg, rdfs+"comment", quad.String("The union of all named graphs"))
	for i, g := range st.Graphs {
		if g.Graph == "" || rdfio.CheckIRI(g.Graph) != nil {
			continue
		}
		ng, gr := quad.BNode("named"+strconv.Itoa(i)), quad.BNode("graph"+strconv.Itoa(i))
		add(ds, sd+"namedGraph", ng)
		add(ng, rdfT, quad.IRI(sd+"NamedGraph"))
		add(ng, sd+"name", quad.IRI(g.Graph))
		add(ng, sd+"graph", gr)
		add(gr, rdfT, quad.IRI(sd+"Graph"))
		add(gr, "http://rdfs.org/ns/void#triples", quad.Int(g.Quads))
	}
	opt, contentType, err := rdfEncoding(c, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	opt.Prefixes = append(opt.Prefixes, rdfio.Prefix{Name: "sd", IRI: sd}, rdfio.Prefix{Name: "formats", IRI: fmts})
	var buf strings.Builder
	w, err := rdfio.NewWriter(&buf, f, opt)
	if err == nil {
		for _, q := range qs {
			if err = w.WriteQuad(q); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		s.writeError(c, graph.E("write service description", graph.Internal, err))
		return
	}
	c.Header("Vary", "Accept")
	c.Data(http.StatusOK, contentType, []byte(buf.String()))
}
