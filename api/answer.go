package api

import (
	"github.com/innograph/innograph/internal/jsontext"
	"io"
	"net/http"
	"strconv"

	"github.com/innograph/innograph/graph"
)

// The JSON path answers, written as they are walked: no answer is
// marshalled whole and re-scanned. A path names its nodes by ID and each
// node's description (label, types) is written once per answer, in the
// "nodes" list after the paths:
//
//	connections:  {"pairs":[{"from":{"id":X},"to":{"id":Y},"paths":[P...],"truncated":true}],"nodes":[N...],"next":C}
//	shortest:     {"hops":3,"paths":[P...],"nodes":[N...],"truncated":true}
//	paths tuples: {"matches":[{"nodes":[X,...],"path":P}],"nodes":[N...],"next":C}
//	paths nodes:  {"nodes":[N...],"next":C}
//	subgraph:     {"nodes":[N...],"edges":[E...],"truncated":true}  (neighbourhood; paths "subgraph" wraps it as {"subgraph":...,"next":C})
//
// where P is {"nodes":[X,Y,...],"edges":[{"predicate":P,"direction":"out"|"in"}...]}
// (edges[i] joins nodes[i] and nodes[i+1]; "in" means the quad is stated
// from nodes[i+1] to nodes[i]), N is {"id":X,"label":L,"types":[T...]}
// and E is {"from":X,"to":Y,"predicate":P,"direction":"out"}. Empty
// "nodes" lists of connections, shortest and tuples answers are left
// out, and so are false "truncated" flags and empty "next" cursors.
// docs/paths.md and openapi.json describe the same shapes.

// answerChunk is how much of an answer is held before it is sent: an
// answer that fits goes out whole, with its Content-Length, so the
// connection sends it in one piece rather than as chunks and a
// terminating chunk; a longer one streams in pieces of about this size.
const answerChunk = 64 << 10

// jsonOut writes one JSON answer. It keeps the first write error and
// ignores everything after it, so callers check once, at the end.
// Server.jsonOut hands them out and keeps them between answers.
type jsonOut struct {
	w io.Writer
	// header, when set, gets the Content-Length of an answer sent whole.
	header http.Header
	buf    []byte // written, not yet sent
	sent   bool   // some of the answer has been sent
	err    error
	// seen and order collect the nodes the paths name, for the table.
	seen  map[string]bool
	order []graph.Node
}

// jsonOut returns a jsonOut writing to w (and setting the Content-Length
// in header, if given) and the func that gives it back.
func (s *Server) jsonOut(w io.Writer, header http.Header) (*jsonOut, func()) {
	o, _ := s.outs.Get().(*jsonOut)
	if o == nil {
		o = &jsonOut{seen: map[string]bool{}}
	}
	o.w, o.header = w, header
	return o, func() {
		if cap(o.buf) > 2*answerChunk || len(o.seen) > 4096 {
			return // a rare big one is left to the collector
		}
		clear(o.seen)
		clear(o.order)
		*o = jsonOut{buf: o.buf[:0], seen: o.seen, order: o.order[:0]}
		s.outs.Put(o)
	}
}

// send writes what is held.
func (o *jsonOut) send() {
	if o.err == nil && len(o.buf) > 0 {
		_, o.err = o.w.Write(o.buf)
		o.sent = true
	}
	o.buf = o.buf[:0]
}

func (o *jsonOut) raw(s string) {
	o.buf = append(o.buf, s...)
	if len(o.buf) >= answerChunk {
		o.send()
	}
}

// str writes s as a JSON string, escaped as encoding/json escapes it
// (HTML characters too, as the other JSON answers are).
func (o *jsonOut) str(s string) {
	o.buf = jsontext.AppendString(o.buf, s)
	if len(o.buf) >= answerChunk {
		o.send()
	}
}

// key writes "k": after a comma unless first.
func (o *jsonOut) key(k string, first bool) {
	if !first {
		o.raw(",")
	}
	o.str(k)
	o.raw(":")
}

func (o *jsonOut) int(n int) { o.raw(strconv.Itoa(n)) }

// flush ends the answer and returns the first error.
func (o *jsonOut) flush() error {
	if !o.sent && o.header != nil {
		o.header.Set("Content-Length", strconv.Itoa(len(o.buf)))
	}
	o.send()
	return o.err
}

// node writes a Node in full.
func (o *jsonOut) node(n graph.Node) {
	o.raw(`{"id":`)
	o.str(n.ID)
	if n.Label != "" {
		o.raw(`,"label":`)
		o.str(n.Label)
	}
	if len(n.Types) > 0 {
		o.raw(`,"types":[`)
		for i, t := range n.Types {
			if i > 0 {
				o.raw(",")
			}
			o.str(t)
		}
		o.raw("]")
	}
	o.raw("}")
}

// ref writes the ID of n and notes n for the nodes table.
func (o *jsonOut) ref(n graph.Node) {
	if !o.seen[n.ID] {
		o.seen[n.ID] = true
		o.order = append(o.order, n)
	}
	o.str(n.ID)
}

// path writes a path by node IDs.
func (o *jsonOut) path(p graph.Path) {
	o.raw(`{"nodes":[`)
	for i, n := range p.Nodes {
		if i > 0 {
			o.raw(",")
		}
		o.ref(n)
	}
	o.raw(`],"edges":[`)
	for i, e := range p.Edges {
		if i > 0 {
			o.raw(",")
		}
		o.raw(`{"predicate":`)
		o.str(e.Predicate)
		o.raw(`,"direction":`)
		o.str(string(e.Direction))
		o.raw("}")
	}
	o.raw("]}")
}

func (o *jsonOut) paths(ps []graph.Path) {
	o.raw("[")
	for i, p := range ps {
		if i > 0 {
			o.raw(",")
		}
		o.path(p)
	}
	o.raw("]")
}

// table writes the nodes the answer's paths named, each once, if any.
func (o *jsonOut) table() {
	if len(o.order) == 0 {
		return
	}
	o.raw(`,"nodes":`)
	o.nodeList(o.order)
}

func (o *jsonOut) nodeList(ns []graph.Node) {
	o.raw("[")
	for i, n := range ns {
		if i > 0 {
			o.raw(",")
		}
		o.node(n)
	}
	o.raw("]")
}

// tail writes the optional "truncated" and "next" members and closes the
// object.
func (o *jsonOut) tail(truncated bool, next string) {
	if truncated {
		o.raw(`,"truncated":true`)
	}
	if next != "" {
		o.raw(`,"next":`)
		o.str(next)
	}
	o.raw("}")
}

// subgraph writes g with its nodes in full.
func (o *jsonOut) subgraph(g graph.Subgraph) {
	o.raw(`{"nodes":`)
	o.nodeList(g.Nodes)
	o.raw(`,"edges":[`)
	for i, e := range g.Edges {
		if i > 0 {
			o.raw(",")
		}
		o.raw(`{"from":`)
		o.str(e.From)
		o.raw(`,"to":`)
		o.str(e.To)
		o.raw(`,"predicate":`)
		o.str(e.Predicate)
		o.raw(`,"direction":`)
		o.str(string(e.Direction))
		o.raw("}")
	}
	o.raw("]")
	o.tail(g.Truncated, "")
}

// writeAnswerJSON writes a path answer (the result of Connections,
// ShortestPaths, Paths or Neighbourhood) in its JSON shape to w, setting
// the Content-Length in header (if given) when the answer is sent whole.
func (s *Server) writeAnswerJSON(w io.Writer, header http.Header, v any) error {
	o, done := s.jsonOut(w, header)
	defer done()
	switch v := v.(type) {
	case graph.ConnectionPage:
		o.raw(`{"pairs":[`)
		for i, p := range v.Pairs {
			if i > 0 {
				o.raw(",")
			}
			o.raw(`{"from":{"id":`)
			o.ref(p.From)
			o.raw(`},"to":{"id":`)
			o.ref(p.To)
			o.raw(`},"paths":`)
			o.paths(p.Paths)
			o.tail(p.Truncated, "")
		}
		o.raw("]")
		o.table()
		o.tail(false, v.Next)
	case graph.ShortestResult:
		o.raw(`{"hops":`)
		o.int(v.Hops)
		o.raw(`,"paths":`)
		o.paths(v.Paths)
		o.table()
		o.tail(v.Truncated, "")
	case graph.PatternResult:
		switch {
		case v.Nodes != nil:
			o.raw(`{"nodes":`)
			o.nodeList(v.Nodes)
		case v.Subgraph != nil:
			o.raw(`{"subgraph":`)
			o.subgraph(*v.Subgraph)
		default:
			o.raw(`{"matches":[`)
			for i, m := range v.Matches {
				if i > 0 {
					o.raw(",")
				}
				o.raw(`{"nodes":[`)
				for j, n := range m.Nodes {
					if j > 0 {
						o.raw(",")
					}
					o.ref(n)
				}
				o.raw(`],"path":`)
				o.path(m.Path)
				o.raw("}")
			}
			o.raw("]")
			o.table()
		}
		o.tail(false, v.Next)
	case graph.Subgraph:
		o.subgraph(v)
	default:
		return graph.Errorf("write answer", graph.Internal, "no JSON shape for %T", v)
	}
	return o.flush()
}
