package api

import (
	"compress/gzip"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// exportFormats are the dump formats, N-Quads first: a client that takes
// anything gets every named graph.
func exportFormats() []rdfio.Format {
	var out []rdfio.Format
	for _, name := range []string{rdfio.NQuads, rdfio.TriG, rdfio.Turtle, rdfio.NTriples, rdfio.RDFXML, rdfio.JSONLD} {
		f, _ := rdfio.Lookup(name)
		out = append(out, f)
	}
	return out
}

// export streams the store, one named graph (?graph=) or the descriptions
// of one class's instances (?type=) in the negotiated format, gzipped when
// the client accepts it. An error before the first byte gets a problem
// body; after it the response is aborted, so the client sees a truncated
// transfer rather than a short document that looks whole.
func (l *linkedData) export(c *gin.Context) {
	const op = "export"
	f, err := negotiateLD(c, exportFormats())
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	var sel graph.Selection
	ctx := c.Request.Context()
	for _, p := range []struct {
		name string
		dst  *quad.Value
	}{{"graph", &sel.Graph}, {"type", &sel.Type}} {
		raw := c.Query(p.name)
		if raw == "" {
			continue
		}
		v, err := termParam(op, p.name, raw)
		if err != nil {
			l.s.writeError(c, err)
			return
		}
		ok, err := l.s.store.Has(ctx, v)
		if err != nil {
			l.s.writeError(c, err)
			return
		}
		if !ok {
			l.s.writeError(c, graph.Errorf(op, graph.NotFound, "the store holds nothing about %s %s", p.name, raw))
			return
		}
		*p.dst = v
	}
	opt, contentType, err := l.encoding(c, f)
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	l.s.streamed(c)
	out := &lazyBody{c: c, contentType: contentType, gzip: acceptsGzip(c.GetHeader("Accept-Encoding")),
		filename: "innograph" + f.Extensions[0]}
	if c.Request.Method == http.MethodHead {
		out.start()
		return
	}
	release, err := l.s.acquireExport(op)
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	defer release()
	enc, err := rdfio.NewWriter(out, f, opt)
	if err != nil {
		l.s.writeError(c, graph.E(op, graph.Internal, err))
		return
	}
	// Formats without graphs (and the framed profile, one node per
	// resource) get each triple once; the others every quad.
	each := l.s.store.EachQuad
	visual := opt.JSONLD.Profile == rdfio.ProfileVisual && f.Name == rdfio.JSONLD
	if !f.Graphs || visual {
		each = l.s.store.EachTriple
	}
	write := enc.WriteQuad
	var nodes *viewNodes
	if visual {
		// A viewer draws every node a link points to: the nodes are
		// noted as the dump streams and completed at its end (memory
		// grows with the nodes, which a drawable graph bounds anyway).
		nodes = newViewNodes()
		write = func(q quad.Quad) error {
			if err := enc.WriteQuad(q); err != nil {
				return err
			}
			nodes.see(q)
			return nil
		}
	}
	err = each(ctx, sel, write)
	if err == nil && visual {
		var extra []quad.Quad
		if extra, err = l.complete(ctx, nodes); err == nil {
			for _, q := range extra {
				if err = enc.WriteQuad(q); err != nil {
					break
				}
			}
		}
	}
	if err == nil {
		// Only now: Close writes what the encoder buffered (TriG's prefixes
		// even for an empty store), which would start the response.
		err = enc.Close()
	}
	if err == nil {
		err = out.finish()
	}
	if err != nil {
		l.s.writeError(c, err)
		if out.started && !errors.Is(err, errNotModified) {
			panic(http.ErrAbortHandler) // cut the connection: the dump is incomplete
		}
	}
}

// termParam reads a query parameter naming a node: an absolute IRI, a
// prefixed name with one of the ontology's prefixes (ig:Company), or a
// blank node (_:b1).
func termParam(op, name, raw string) (quad.Value, error) {
	if b, ok := strings.CutPrefix(raw, "_:"); ok && b != "" {
		return quad.BNode(b), nil
	}
	if pfx, local, ok := strings.Cut(raw, ":"); ok {
		for _, p := range ontology.Prefixes() {
			if p.Name == pfx {
				return quad.IRI(p.NS + local), nil
			}
		}
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return nil, graph.Errorf(op, graph.Invalid, "parameter %s=%q is not an absolute IRI, a prefixed name or a blank node", name, raw)
	}
	return quad.IRI(raw), nil
}

// acceptsGzip reports whether Accept-Encoding allows gzip (q > 0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}

// lazyBody is the body of a streamed response. Headers (and the status)
// are only sent with the first byte, so an error before it can still be a
// problem response.
type lazyBody struct {
	c           *gin.Context
	contentType string
	filename    string
	gzip        bool
	zw          *gzip.Writer
	started     bool
}

func (b *lazyBody) start() {
	if b.started {
		return
	}
	b.started = true
	h := b.c.Writer.Header()
	h.Set("Content-Type", b.contentType)
	h.Add("Vary", "Accept")
	h.Add("Vary", "Accept-Encoding")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": b.filename}))
	if b.gzip {
		h.Set("Content-Encoding", "gzip")
		b.zw, _ = gzip.NewWriterLevel(b.c.Writer, gzip.BestSpeed)
	}
	b.c.Writer.WriteHeader(http.StatusOK)
	b.c.Writer.WriteHeaderNow()
}

// Write implements io.Writer.
func (b *lazyBody) Write(p []byte) (int, error) {
	b.start()
	if b.zw != nil {
		return b.zw.Write(p)
	}
	return b.c.Writer.Write(p)
}

// finish sends the headers of an empty body and ends the gzip stream.
func (b *lazyBody) finish() error {
	b.start()
	if b.zw != nil {
		if err := b.zw.Close(); err != nil {
			return fmt.Errorf("finish gzip stream: %w", err)
		}
	}
	return nil
}
