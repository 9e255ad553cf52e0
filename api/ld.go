package api

import (
	"bytes"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// DefaultBaseURL is the public base of the IRIs this server publishes when
// Config.BaseURL is empty.
const DefaultBaseURL = "https://w3id.org/innograph/"

// Paths under the base URL of the published documents.
const (
	ontologyPath = "ontology"
	contextPath  = "ontology/context.jsonld"
	shapesPath   = "ontology/shapes"
	voidPath     = ".well-known/void"
	exportPath   = "api/v1/export"
)

// linkedData serves the linked-data side of the API: dereferenceable
// entity IRIs (/id/... answers 303 to /doc/...), the ontology, its JSON-LD
// context and SHACL shapes, the VoID description and the dumps. Everything
// under the base URL is served under the same path, so a deployment behind
// a redirect of the base (w3id.org) answers for the IRIs it publishes.
type linkedData struct {
	s    *Server
	base string // the base URL, ending in "/"
	page *template.Template

	// The ontology and the shapes as quads, parsed once; terms labels the
	// ontology's terms for HTML pages (the store holds only instance data).
	ontology, shapes  []quad.Quad
	ontologyBySubject map[quad.Value][]quad.Quad
	terms             map[quad.Value]string
}

// linkedDataRoutes registers the linked-data routes (GET and HEAD).
func (s *Server) linkedDataRoutes() {
	l := s.ld
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		s.engine.Handle(m, "/id/*path", l.redirect)
		s.engine.Handle(m, "/doc/*path", l.document)
		s.engine.Handle(m, "/"+ontologyPath, l.ontologyDoc)
		s.engine.Handle(m, "/"+contextPath, l.context)
		s.engine.Handle(m, "/"+shapesPath, l.shapesDoc)
		s.engine.Handle(m, "/"+voidPath, l.void)
		s.engine.Handle(m, "/"+exportPath, l.export)
	}
}

// newLinkedData serves the ontology and shapes as parsed by graph.Vocabulary.
func newLinkedData(s *Server, onto, shapes []quad.Quad) *linkedData {
	base := s.cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	l := &linkedData{s: s, base: base, page: template.Must(template.New("page").Parse(pageTemplate)), ontology: onto, shapes: shapes}
	l.ontologyBySubject = make(map[quad.Value][]quad.Quad)
	for _, q := range l.ontology {
		l.ontologyBySubject[q.Subject] = append(l.ontologyBySubject[q.Subject], q)
	}
	// Each term's label by the one label rule of the service, as path
	// answers and entity pages pick theirs.
	best := make(map[quad.Value]quad.Value)
	for _, q := range append(append([]quad.Quad(nil), l.ontology...), l.shapes...) {
		if q.Predicate == rdfsLabel && frontier.PreferLabel(q.Object, best[q.Subject]) {
			best[q.Subject] = q.Object
		}
	}
	l.terms = make(map[quad.Value]string, len(best))
	for term, v := range best {
		l.terms[term] = frontier.LabelText(v)
	}
	return l
}

const (
	rdfType   = frontier.RDFType
	rdfsLabel = frontier.RDFSLabel
)

// serverURL is this server's URL as the client reached it, ending in "/".
// What a client must be able to fetch (the JSON-LD context, dumps, problem
// pages) is linked here, whatever base the IRIs are published under: the
// published base (w3id.org) only reaches this server once its redirect
// exists, and a client that reached the server can reach it again.
// X-Forwarded-Proto gives the scheme when the request came through a proxy
// gin trusts (one whose X-Forwarded-For it believed: ClientIP differs from
// the connection's address), such as a TLS-terminating one.
func serverURL(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	if p := strings.ToLower(c.GetHeader("X-Forwarded-Proto")); (p == "https" || p == "http") && c.ClientIP() != c.RemoteIP() {
		scheme = p
	}
	host := c.Request.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host + "/"
}

// contextURL is where the JSON-LD context is served to this client; JSON-LD
// output refers to it by this URL.
func contextURL(c *gin.Context) string { return serverURL(c) + contextPath }

// bases are the bases whose IRIs this server serves: the configured one
// and, when that differs, the published one, so that the seed graph's IRIs
// stay served whatever -base-url says.
func (l *linkedData) bases() []string {
	if l.base == DefaultBaseURL {
		return []string{l.base}
	}
	return []string{l.base, DefaultBaseURL}
}

// redirect answers /id/... with 303 See Other to the describing document
// /doc/... (Cool URIs for the Semantic Web), keeping the query.
func (l *linkedData) redirect(c *gin.Context) {
	rest := strings.TrimPrefix(c.Request.URL.EscapedPath(), "/id/")
	if rest == "" || rest == c.Request.URL.EscapedPath() {
		l.s.writeError(c, &httpError{status: http.StatusNotFound, detail: "no entity at " + c.Request.URL.Path})
		return
	}
	loc := "/doc/" + rest
	if q := c.Request.URL.RawQuery; q != "" {
		loc += "?" + q
	}
	c.Header("Location", loc)
	c.Status(http.StatusSeeOther)
}

// entityIRIs maps /doc/P to the IRIs it may name, in order: base+"id/"+P
// for each of l.bases. Percent-encoded UTF-8 is decoded to the characters
// an IRI holds (RFC 3987, 3.2) and %2F to "/" (clients generated from the
// OpenAPI description encode the slashes of short forms); an IRI that
// itself holds %2F is tried last, as written. Other percent-encodings stay.
func (l *linkedData) entityIRIs(c *gin.Context) []quad.IRI {
	rest, ok := strings.CutPrefix(c.Request.URL.EscapedPath(), "/doc/")
	if !ok || rest == "" {
		return nil
	}
	rest = uriToIRI(rest)
	paths := []string{rest}
	if slashed := decodeSlashes(rest); slashed != rest {
		paths = []string{slashed, rest}
	}
	var out []quad.IRI
	for _, p := range paths {
		for _, b := range l.bases() {
			out = append(out, quad.IRI(b+"id/"+p))
		}
	}
	return out
}

// decodeSlashes turns each %2F (either case) of s into "/".
func decodeSlashes(s string) string {
	return strings.NewReplacer("%2F", "/", "%2f", "/").Replace(s)
}

// uriToIRI decodes the percent-encoded octets of s that form non-ASCII
// UTF-8 characters and leaves every other percent-encoding as it is.
func uriToIRI(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		// Collect a run of %XX with the high bit set.
		j := i
		var raw []byte
		for j+2 < len(s) && s[j] == '%' {
			v, err := strconv.ParseUint(s[j+1:j+3], 16, 8)
			if err != nil || v < 0x80 {
				break
			}
			raw = append(raw, byte(v))
			j += 3
		}
		if len(raw) > 0 {
			for len(raw) > 0 {
				r, n := utf8.DecodeRune(raw)
				if r == utf8.RuneError {
					fmt.Fprintf(&b, "%%%02X", raw[0])
				} else {
					b.WriteString(string(raw[:n]))
				}
				raw = raw[n:]
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// document serves the description of one entity in the negotiated
// representation.
func (l *linkedData) document(c *gin.Context) {
	f, err := negotiateLD(c, documentFormats())
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	iris := l.entityIRIs(c)
	if len(iris) == 0 {
		l.s.writeError(c, &httpError{status: http.StatusNotFound, detail: "no entity at " + c.Request.URL.Path})
		return
	}
	ctx := c.Request.Context()
	var d graph.Description
	for _, iri := range iris {
		if d, err = l.describe(ctx, iri); graph.KindOf(err) != graph.NotFound {
			break
		}
	}
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	quads := append(append([]quad.Quad(nil), d.Quads...), d.Incoming...)
	if f.Name == htmlFormat.Name {
		p, err := l.entityPage(c, d)
		if err != nil {
			l.s.writeError(c, err)
			return
		}
		l.writeHTML(c, p)
		return
	}
	l.writeRDF(c, f, quads)
}

// ontologyDoc serves the ontology. Its Turtle is the authored document,
// comments and all; other formats are encoded from its quads.
func (l *linkedData) ontologyDoc(c *gin.Context) {
	l.vocabulary(c, "innograph ontology", quad.IRI(l.base+ontologyPath), ontology.Turtle(), l.ontology)
}

// shapesDoc serves the SHACL shapes like the ontology.
func (l *linkedData) shapesDoc(c *gin.Context) {
	l.vocabulary(c, "innograph SHACL shapes", quad.IRI(l.base+shapesPath), ontology.Shapes(), l.shapes)
}

func (l *linkedData) vocabulary(c *gin.Context, title string, iri quad.IRI, turtle []byte, quads []quad.Quad) {
	f, err := negotiateLD(c, documentFormats())
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	switch f.Name {
	case htmlFormat.Name:
		l.writeHTML(c, l.listPage(c, title, iri, quads, nil))
	case rdfio.Turtle:
		l.alternates(c)
		sendDocument(c, f.MediaType()+"; charset=utf-8", turtle)
	default:
		l.writeRDF(c, f, quads)
	}
}

// context serves the JSON-LD context document.
func (l *linkedData) context(c *gin.Context) {
	jsonld, _ := rdfio.Lookup(rdfio.JSONLD)
	if _, err := negotiate(c, []rdfio.Format{jsonld}); err != nil {
		l.s.writeError(c, err)
		return
	}
	sendDocument(c, jsonld.MediaType(), ontology.Context())
}

// encoding returns the encoder options and the Content-Type of format f for
// this request: the ontology's prefixes and published context, and for
// JSON-LD the profile the request asks for (an Invalid error for an unknown
// one).
func (l *linkedData) encoding(c *gin.Context, f rdfio.Format) (rdfio.WriteOptions, string, error) {
	return rdfEncoding(c, f)
}

// rdfEncoding is the encoding of format f for this request, for documents,
// dumps and path answers alike: the ontology's prefixes, the context served
// to this client, and for JSON-LD the profile the request asks for.
func rdfEncoding(c *gin.Context, f rdfio.Format) (rdfio.WriteOptions, string, error) {
	opt := graph.WriteOptions(contextURL(c))
	if f.Name != rdfio.JSONLD {
		return opt, mediaType(f), nil
	}
	profile, err := jsonldProfile(c)
	if err != nil {
		return opt, "", err
	}
	opt.JSONLD.Profile = profile
	return opt, jsonldMediaType(profile), nil
}

// writeRDF encodes quads (sorted for grouping) in format f, with the
// JSON-LD profile the request asks for, and sends them as a document.
func (l *linkedData) writeRDF(c *gin.Context, f rdfio.Format, quads []quad.Quad) {
	opt, contentType, err := l.encoding(c, f)
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	graphs := documentGraphs(f)
	if opt.JSONLD.Profile == rdfio.ProfileVisual && f.Name == rdfio.JSONLD {
		if quads, err = l.viewQuads(c.Request.Context(), quads); err != nil {
			l.s.writeError(c, err)
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
	if err == nil {
		for _, q := range quads {
			if err = w.WriteQuad(q); err != nil {
				break
			}
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		l.s.writeError(c, graph.E("encode "+f.Name, graph.Internal, err))
		return
	}
	l.alternates(c)
	sendDocument(c, contentType, buf.Bytes())
}

// documentGraphs reports whether a document (or path answer) in format f
// keeps the named graphs of its quads: in TriG and N-Quads, which readers
// take as datasets. JSON-LD carries the triples in its default graph, as
// Turtle does, because the clients that dereference IRIs read JSON-LD into
// a graph (rdflib's Graph().parse keeps only the default graph); the sources
// of each statement are in the TriG and N-Quads documents, the HTML page,
// and the JSON-LD dumps, which keep every graph.
func documentGraphs(f rdfio.Format) bool { return f.Graphs && f.Name != rdfio.JSONLD }

// sendDocument is writeDocument with a Content-Length, so HEAD answers
// carry the length GET would send.
func sendDocument(c *gin.Context, contentType string, body []byte) {
	c.Header("Content-Length", strconv.Itoa(len(body)))
	writeDocument(c, contentType, body)
}

// mediaType is the Content-Type of an RDF format's representation.
func mediaType(f rdfio.Format) string {
	switch f.Name {
	case rdfio.Turtle, rdfio.TriG, rdfio.RDFXML:
		return f.MediaType() + "; charset=utf-8"
	}
	return f.MediaType()
}

// alternates lists the other representations in a Link header.
func (l *linkedData) alternates(c *gin.Context) {
	var links []string
	for _, a := range alternateLinks(c) {
		links = append(links, fmt.Sprintf("<%s>; rel=\"alternate\"; type=\"%s\"", a.Href, a.Type))
	}
	c.Header("Link", strings.Join(links, ", "))
}

// alternate is one other representation of the requested document.
type alternate struct{ Href, Type, Name string }

func alternateLinks(c *gin.Context) []alternate {
	var out []alternate
	for _, f := range documentFormats() {
		out = append(out, alternate{Href: c.Request.URL.EscapedPath() + "?format=" + f.Name, Type: f.MediaType(), Name: f.Name})
	}
	return out
}

// sortForFormat orders quads by graph (when the format keeps graphs), then
// subject, predicate and object, so encoders group them, and drops
// duplicates: formats without graphs write a triple stated in several
// graphs once.
func sortForFormat(qs []quad.Quad, graphs bool) []quad.Quad {
	type keyed struct {
		k string
		q quad.Quad
	}
	ks := make([]keyed, len(qs))
	for i, q := range qs {
		g := ""
		if graphs && q.Label != nil {
			g = q.Label.String()
		}
		ks[i] = keyed{g + "\x00" + q.Subject.String() + "\x00" + q.Predicate.String() + "\x00" + q.Object.String(), q}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].k < ks[j].k })
	out := make([]quad.Quad, 0, len(ks))
	for i, k := range ks {
		if i > 0 && ks[i-1].k == k.k {
			continue
		}
		out = append(out, k.q)
	}
	return out
}

// withoutGraphs drops the graph labels: the framed (visual) profile shows
// one node per resource, merged across the source documents.
func withoutGraphs(qs []quad.Quad) []quad.Quad {
	out := make([]quad.Quad, len(qs))
	for i, q := range qs {
		q.Label = nil
		out[i] = q
	}
	return out
}

// negotiateLD is negotiate, except that a JSON-LD profile or frame
// parameter without ?format= asks for JSON-LD whatever Accept says
// (?frame alone is how a viewer asks for its graph).
func negotiateLD(c *gin.Context, offered []rdfio.Format) (rdfio.Format, error) {
	_, frame := c.GetQuery("frame")
	if c.Query("format") == "" && (frame || c.Query("profile") != "") {
		for _, f := range offered {
			if f.Name == rdfio.JSONLD {
				return f, nil
			}
		}
	}
	return negotiate(c, offered)
}

// JSON-LD profiles as the client names them.
const (
	profileFramed = "http://www.w3.org/ns/json-ld#framed"
)

// jsonldProfile reads the JSON-LD profile the client asks for: ?profile=
// (an IRI or compacted, expanded, framed), a frame parameter (framed), or
// the profile parameter of application/ld+json in Accept. Framed output is
// rdfio's visual profile: nodes with @id, @type, label and links.
func jsonldProfile(c *gin.Context) (string, error) {
	byName := func(p string) (string, bool) {
		switch strings.TrimSpace(p) {
		case "", "compacted", rdfio.ProfileCompacted:
			return rdfio.ProfileCompacted, true
		case "expanded", rdfio.ProfileExpanded:
			return rdfio.ProfileExpanded, true
		case "framed", "visual", profileFramed, rdfio.ProfileVisual:
			return rdfio.ProfileVisual, true
		}
		return "", false
	}
	if p := c.Query("profile"); p != "" {
		if prof, ok := byName(p); ok {
			return prof, nil
		}
		return "", graph.Errorf("choose JSON-LD profile", graph.Invalid,
			"unknown JSON-LD profile %q (want compacted, expanded or framed, or their IRIs)", p)
	}
	if _, ok := c.GetQuery("frame"); ok {
		return rdfio.ProfileVisual, nil
	}
	for _, part := range strings.Split(c.GetHeader("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			mt, params = looseMediaType(part)
		}
		if mt != "application/ld+json" && mt != "application/json" {
			continue
		}
		for _, p := range strings.Fields(params["profile"]) {
			if prof, ok := byName(p); ok {
				return prof, nil
			}
		}
	}
	return rdfio.ProfileCompacted, nil
}

// looseMediaType splits a media range whose parameters mime rejects
// (profile=http://... without quotes) at its semicolons.
func looseMediaType(s string) (string, map[string]string) {
	parts := strings.Split(s, ";")
	params := map[string]string{}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		params[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	return strings.ToLower(strings.TrimSpace(parts[0])), params
}

// jsonldMediaType is the Content-Type of JSON-LD in a profile.
func jsonldMediaType(profile string) string {
	p := profile
	if profile == rdfio.ProfileVisual {
		p = profileFramed
	}
	return `application/ld+json; profile="` + p + `"`
}
