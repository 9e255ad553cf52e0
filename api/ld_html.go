package api

import (
	"bytes"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/ontology"
)

// page is the view model of an HTML page: one or more resources with their
// statements, the statements pointing at the first, and the sources.
type page struct {
	Title      string
	IRI        string
	Types      []pageRef
	Resources  []pageResource
	Incoming   []pageRow // Subject, Pred and Graph set
	Sources    []pageSource
	Alternates []alternate
	Truncated  bool
	// Entity is set on an entity's page, which the explorer's script
	// enhances with a picture of its neighbourhood.
	Entity bool
}

// pageSource is a source document of a page with the quotations it gives:
// text the graph keeps exactly as the source wrote it (ig:statedAs, a
// profile's ig:question and ig:answerText).
type pageSource struct {
	pageRef
	Quotes []string
}

// quotePredicates are the predicates whose literals quote a source.
var quotePredicates = map[quad.Value]bool{ontology.StatedAs: true, ontology.Question: true, ontology.AnswerText: true}

// pageRef is a link to a node: where it is served (Href) and how to call it.
type pageRef struct {
	Href, Label, IRI string
}

type pageResource struct {
	Anchor string // the id of its section, "" for the page's own resource
	Title  string
	IRI    string
	Types  []pageRef
	Rows   []pageRow
}

// pageRow is one statement: a link (Object) or a literal (Text).
type pageRow struct {
	Subject        *pageRef
	Pred           pageRef
	Object         *pageRef
	Text, Lang, DT string
	DTRef          *pageRef
	Graphs         []pageRef // the sources stating it
}

// labeller names the nodes of a page: labels from the store, then from the
// ontology, then prefixed names.
type labeller struct {
	l      *linkedData
	labels map[quad.Value]string
}

func (l *linkedData) newLabeller(c *gin.Context, quads []quad.Quad) (*labeller, error) {
	var vs []quad.Value
	for _, q := range quads {
		vs = append(vs, q.Subject, q.Object)
		if q.Label != nil {
			vs = append(vs, q.Label)
		}
	}
	labels, err := l.s.store.Labels(c.Request.Context(), vs)
	if err != nil {
		return nil, err
	}
	return &labeller{l: l, labels: labels}, nil
}

func (lb *labeller) ref(v quad.Value) pageRef {
	switch v := v.(type) {
	case quad.BNode:
		r := pageRef{Href: "#" + bnodeAnchor(v), Label: "_:" + string(v)}
		if t, ok := lb.labels[v]; ok {
			r.Label = t
		}
		return r
	case quad.IRI:
		r := pageRef{Href: lb.l.href(v), IRI: string(v)}
		if t, ok := lb.labels[v]; ok {
			r.Label = t
		} else if t, ok := lb.l.terms[v]; ok {
			r.Label = t
		} else {
			r.Label = shortName(v)
		}
		return r
	}
	return pageRef{Label: v.String()}
}

func (lb *labeller) opt(v quad.Value) *pageRef {
	if v == nil {
		return nil
	}
	r := lb.ref(v)
	return &r
}

func bnodeAnchor(b quad.BNode) string { return "b-" + string(b) }

// href is where this server serves iri: its path under the base (entity
// IRIs /id/... by their document /doc/...), or iri itself when it is not
// under the base.
func (l *linkedData) href(iri quad.IRI) string {
	rest, ok := strings.CutPrefix(string(iri), l.base)
	if !ok {
		return string(iri)
	}
	if r, ok := strings.CutPrefix(rest, "id/"); ok {
		return "/doc/" + r
	}
	return "/" + rest
}

// shortName abbreviates iri with the ontology's prefixes.
func shortName(iri quad.IRI) string {
	best, name := "", string(iri)
	for _, p := range ontology.Prefixes() {
		if strings.HasPrefix(string(iri), p.NS) && len(p.NS) > len(best) && len(iri) > len(p.NS) {
			best, name = p.NS, p.Name+":"+string(iri)[len(p.NS):]
		}
	}
	return name
}

// row renders one statement of a resource.
func (lb *labeller) row(q quad.Quad) pageRow {
	r := pageRow{Pred: lb.ref(q.Predicate)}
	if q.Label != nil {
		r.Graphs = []pageRef{lb.ref(q.Label)}
	}
	switch o := q.Object.(type) {
	case quad.IRI, quad.BNode:
		r.Object = lb.opt(o)
	case quad.String:
		r.Text = string(o)
	case quad.LangString:
		r.Text, r.Lang = string(o.Value), o.Lang
	case quad.TypedString:
		r.Text, r.DTRef = string(o.Value), lb.opt(o.Type)
	default:
		r.Text = quad.StringOf(o)
	}
	return r
}

// resources groups quads by subject, in order of first appearance, with
// rdf:type statements as the resource's types.
func (lb *labeller) resources(quads []quad.Quad, self quad.Value) []pageResource {
	var out []pageResource
	index := map[quad.Value]int{}
	type rowKey struct{ s, p, o quad.Value }
	rows := map[rowKey]int{}
	for _, q := range quads {
		i, ok := index[q.Subject]
		if !ok {
			i = len(out)
			index[q.Subject] = i
			r := lb.ref(q.Subject)
			res := pageResource{Title: r.Label, IRI: r.IRI}
			if q.Subject != self {
				// Where links to it point: the fragment of a term of the
				// page (/ontology#Region), or an anchor of its own.
				if _, frag, ok := strings.Cut(r.Href, "#"); ok && frag != "" {
					res.Anchor = frag
				} else {
					res.Anchor = "r-" + anchorSafe(r.IRI)
				}
			}
			out = append(out, res)
		}
		if q.Predicate == rdfType {
			if t, ok := q.Object.(quad.IRI); ok {
				out[i].Types = appendRef(out[i].Types, lb.ref(t))
				continue
			}
		}
		// A statement made by several sources is one row listing them.
		k := rowKey{q.Subject, q.Predicate, q.Object}
		if j, ok := rows[k]; ok {
			if q.Label != nil {
				out[i].Rows[j].Graphs = appendRef(out[i].Rows[j].Graphs, lb.ref(q.Label))
			}
			continue
		}
		rows[k] = len(out[i].Rows)
		out[i].Rows = append(out[i].Rows, lb.row(q))
	}
	for i := range out {
		sort.SliceStable(out[i].Rows, func(a, b int) bool { return out[i].Rows[a].Pred.Label < out[i].Rows[b].Pred.Label })
	}
	return out
}

func appendRef(refs []pageRef, r pageRef) []pageRef {
	for _, x := range refs {
		if x.IRI == r.IRI {
			return refs
		}
	}
	return append(refs, r)
}

func anchorSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// entityPage builds the page of one entity: its statements, those of its
// blank nodes, the statements pointing at it and the graphs they come from.
func (l *linkedData) entityPage(c *gin.Context, d graph.Description) (page, error) {
	quads := append(sortForFormat(append([]quad.Quad(nil), d.Quads...), true), d.Incoming...)
	lb, err := l.newLabeller(c, quads)
	if err != nil {
		return page{}, err
	}
	// The entity's own statements first, then its blank nodes'.
	own := make([]quad.Quad, 0, len(d.Quads))
	var rest []quad.Quad
	for _, q := range sortForFormat(append([]quad.Quad(nil), d.Quads...), true) {
		if q.Subject == d.Subject {
			own = append(own, q)
		} else {
			rest = append(rest, q)
		}
	}
	self := lb.ref(d.Subject)
	p := page{Title: self.Label, IRI: self.IRI, Alternates: alternateLinks(c), Truncated: d.Truncated, Entity: true}
	p.Resources = lb.resources(append(own, rest...), d.Subject)
	if len(p.Resources) > 0 && p.Resources[0].Anchor == "" {
		p.Types = p.Resources[0].Types
		p.Resources[0].Title, p.Resources[0].Types = "", nil
	}
	in := append([]quad.Quad(nil), d.Incoming...)
	sort.SliceStable(in, func(i, j int) bool {
		a, b := in[i], in[j]
		if a.Subject != b.Subject {
			return a.Subject.String() < b.Subject.String()
		}
		return a.Predicate.String() < b.Predicate.String()
	})
	for _, q := range in {
		r := lb.row(q)
		r.Subject, r.Object = lb.opt(q.Subject), nil
		if n := len(p.Incoming); n > 0 && p.Incoming[n-1].Subject.Href == r.Subject.Href && p.Incoming[n-1].Pred.IRI == r.Pred.IRI {
			p.Incoming[n-1].Graphs = append(p.Incoming[n-1].Graphs, r.Graphs...)
			continue
		}
		p.Incoming = append(p.Incoming, r)
	}
	p.Sources = lb.sources(quads)
	return p, nil
}

// listPage builds a page of every subject of quads, for the ontology, the
// shapes and the VoID description.
func (l *linkedData) listPage(c *gin.Context, title string, iri quad.IRI, quads []quad.Quad, lb *labeller) page {
	if lb == nil {
		lb = &labeller{l: l}
	}
	p := page{Title: title, IRI: string(iri), Alternates: alternateLinks(c)}
	p.Resources = lb.resources(quads, nil)
	p.Sources = lb.sources(quads)
	return p
}

// sources lists the distinct graphs of quads, each with its quotations.
func (lb *labeller) sources(quads []quad.Quad) []pageSource {
	var out []pageSource
	index := map[quad.Value]int{}
	quoted := map[[2]string]bool{}
	for _, q := range quads {
		if q.Label == nil {
			continue
		}
		i, ok := index[q.Label]
		if !ok {
			i = len(out)
			index[q.Label] = i
			out = append(out, pageSource{pageRef: lb.ref(q.Label)})
		}
		if !quotePredicates[q.Predicate] {
			continue
		}
		var text string
		switch o := q.Object.(type) {
		case quad.LangString:
			text = string(o.Value)
		case quad.String:
			text = string(o)
		default:
			continue
		}
		if k := [2]string{q.Label.String(), text}; !quoted[k] {
			quoted[k] = true
			out[i].Quotes = append(out[i].Quotes, text)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// writeHTML renders p and sends it as a document.
func (l *linkedData) writeHTML(c *gin.Context, p page) {
	var buf bytes.Buffer
	if err := l.page.Execute(&buf, p); err != nil {
		l.s.writeError(c, graph.E("render page", graph.Internal, err))
		return
	}
	l.alternates(c)
	sendDocument(c, "text/html; charset=utf-8", buf.Bytes())
}

// pageTemplate is the one HTML page; html/template escapes every value for
// its context (text, attribute, URL).
const pageTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}} · innograph</title>
<link rel="icon" href="/favicon.ico">
{{range .Alternates}}<link rel="alternate" type="{{.Type}}" href="{{.Href}}">
{{end}}<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/explore/assets/explorer.css">
{{if .Entity}}<script type="module" src="/explore/assets/entity.js"></script>
{{end}}</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="bar">
<nav aria-label="Explorer">
<a href="/" class="brand">innograph</a>
<a href="/explore/paths">Path finder</a>
<a href="/explore/sparql">SPARQL</a>
<a href="/api/v1/openapi.json">API</a>
</nav>
<form class="search" action="/" method="get" role="search">
<label for="q" class="visually-hidden">Search entities by name</label>
<input id="q" name="q" type="search" placeholder="Search, e.g. tvaerspor" autocomplete="off">
<button type="submit">Search</button>
</form>
</header>
<div class="page">
<div class="intro">
<h1>{{.Title}}</h1>
<p class="iri">{{.IRI}}</p>
{{with .Types}}<p>Type: {{range $i, $t := .}}{{if $i}}, {{end}}<a href="{{$t.Href}}" title="{{$t.IRI}}">{{$t.Label}}</a>{{end}}</p>{{end}}
{{if .Truncated}}<p class="meta">This description was cut short: it is too large to show whole. Download the dump for everything.</p>{{end}}
</div>
<main id="main" tabindex="-1">
{{if .Entity}}<section id="picture" aria-labelledby="picture-h" hidden>
<h2 id="picture-h">Neighbourhood</h2>
<p class="status" role="status"></p>
<figure data-entity="{{.IRI}}"></figure>
</section>
{{end}}{{range .Resources}}<section{{with .Anchor}} id="{{.}}"{{end}}>
{{with .Title}}<h2>{{.}}</h2>{{end}}
{{with .Types}}<p>Type: {{range $i, $t := .}}{{if $i}}, {{end}}<a href="{{$t.Href}}" title="{{$t.IRI}}">{{$t.Label}}</a>{{end}}</p>{{end}}
{{if .Rows}}<table>
<tr><th>property</th><th>value</th><th>source</th></tr>
{{range .Rows}}<tr><td><a href="{{.Pred.Href}}" title="{{.Pred.IRI}}">{{.Pred.Label}}</a></td>
<td>{{with .Object}}<a href="{{.Href}}" title="{{.IRI}}">{{.Label}}</a>{{else}}{{.Text}}{{with .Lang}} <span class="meta">@{{.}}</span>{{end}}{{with .DTRef}} <span class="meta">(<a href="{{.Href}}" title="{{.IRI}}">{{.Label}}</a>)</span>{{end}}{{end}}</td>
<td class="meta">{{range $i, $g := .Graphs}}{{if $i}}; {{end}}<a href="{{$g.Href}}" title="{{$g.IRI}}">{{$g.Label}}</a>{{end}}</td></tr>
{{end}}</table>{{end}}
</section>
{{end}}
{{with .Incoming}}<section id="incoming">
<h2>Links here</h2>
<table>
<tr><th>from</th><th>property</th><th>source</th></tr>
{{range .}}<tr><td>{{with .Subject}}<a href="{{.Href}}" title="{{.IRI}}">{{.Label}}</a>{{end}}</td>
<td><a href="{{.Pred.Href}}" title="{{.Pred.IRI}}">{{.Pred.Label}}</a></td>
<td class="meta">{{range $i, $g := .Graphs}}{{if $i}}; {{end}}<a href="{{$g.Href}}" title="{{$g.IRI}}">{{$g.Label}}</a>{{end}}</td></tr>
{{end}}</table>
</section>{{end}}
{{with .Sources}}<section id="sources">
<h2>Sources</h2>
<p>The facts on this page come from these source documents (named graphs):</p>
<ul>
{{range .}}<li><a href="{{.Href}}">{{.Label}}</a> <span class="iri">{{.IRI}}</span>{{range .Quotes}}
<blockquote class="quote">{{.}}</blockquote>{{end}}</li>
{{end}}</ul>
</section>{{end}}
</main>
<footer>
<p class="meta">Other formats: {{range $i, $a := .Alternates}}{{if $i}} · {{end}}<a href="{{$a.Href}}" type="{{$a.Type}}">{{$a.Name}}</a>{{end}}</p>
</footer>
</div>
</body>
</html>
`
