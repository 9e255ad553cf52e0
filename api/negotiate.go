package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph/rdfio"
)

// htmlFormat is the readable page offered beside the RDF formats. It is not
// an RDF syntax, so it lives here and not in the rdfio registry.
var htmlFormat = rdfio.Format{Name: "html", MediaTypes: []string{"text/html", "application/xhtml+xml"}, Extensions: []string{".html"}}

// documentFormats are the representations of a described resource, in order
// of preference when the client accepts anything: RDF first (a client that
// asks for */* is a program), HTML for browsers, which name it.
func documentFormats() []rdfio.Format {
	var out []rdfio.Format
	for _, f := range rdfio.Formats() {
		if f.Writable {
			out = append(out, f)
		}
	}
	return append(out, htmlFormat)
}

// negotiate picks the representation: ?format= (a name, extension or media
// type) overrides the Accept header. The error is a 406 listing what is
// offered.
func negotiate(c *gin.Context, offered []rdfio.Format) (rdfio.Format, error) {
	if name := c.Query("format"); name != "" {
		for _, f := range offered {
			if strings.EqualFold(f.Name, name) {
				return f, nil
			}
			for _, m := range f.MediaTypes {
				if strings.EqualFold(m, name) {
					return f, nil
				}
			}
			for _, e := range f.Extensions {
				if strings.EqualFold(strings.TrimPrefix(e, "."), name) {
					return f, nil
				}
			}
		}
		return rdfio.Format{}, notAcceptable("format "+name+" is not offered here", offered)
	}
	accept := c.GetHeader("Accept")
	if f, ok := preferRDF(accept, offered); ok {
		return f, nil
	}
	if f, ok := rdfio.Negotiate(accept, offered); ok {
		return f, nil
	}
	return rdfio.Format{}, notAcceptable("no offered representation matches Accept: "+c.GetHeader("Accept"), offered)
}

// preferRDF decides between RDF and the HTML page when both are offered: a
// client that accepts some RDF type at all gets RDF, unless it names
// text/html itself and rates it above every RDF type it accepts. Browsers
// name text/html first and get the page; RDF clients whose Accept keeps
// HTML as a fallback (rdflib's application/xhtml+xml;q=0.5, a */*) get
// RDF. ok is false when the offer has no page or no RDF type is acceptable.
func preferRDF(accept string, offered []rdfio.Format) (rdfio.Format, bool) {
	var rdf []rdfio.Format
	page := false
	for _, f := range offered {
		if f.Name == htmlFormat.Name {
			page = true
		} else {
			rdf = append(rdf, f)
		}
	}
	if !page {
		return rdfio.Format{}, false
	}
	f, ok := rdfio.Negotiate(accept, rdf)
	if !ok {
		return rdfio.Format{}, false
	}
	best := -1.0
	for j, m := range f.MediaTypes {
		if q, named := rdfio.Quality(accept, m); (j == 0 || named) && q > best {
			best = q
		}
	}
	if q, named := rdfio.Quality(accept, "text/html"); named && q > best {
		return htmlFormat, true
	}
	return f, true
}

func notAcceptable(detail string, offered []rdfio.Format) error {
	var types []string
	for _, f := range offered {
		types = append(types, f.MediaType())
	}
	return &httpError{status: http.StatusNotAcceptable, detail: detail, offered: types}
}

// writeDocument sends a small, fully rendered representation; the cache
// middleware tags it (ETag, Cache-Control) and answers If-None-Match.
func writeDocument(c *gin.Context, contentType string, body []byte) {
	c.Writer.Header().Add("Vary", "Accept") // keep the Vary: Origin of cors
	c.Data(http.StatusOK, contentType, body)
}

// etagMatch implements If-None-Match's weak comparison over a list.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// cors lets browser-based viewers read: the configured origins (default
// "*") on GET and HEAD, and preflight answers for them.
func (s *Server) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	if origin == "" {
		c.Next()
		return
	}
	allowed := ""
	for _, o := range s.cfg.corsOrigins() {
		if o == "*" || o == origin {
			allowed = o
			break
		}
	}
	if allowed == "" {
		c.Next()
		return
	}
	if allowed != "*" {
		c.Header("Vary", "Origin")
	}
	c.Header("Access-Control-Allow-Origin", allowed)
	c.Header("Access-Control-Expose-Headers", "ETag, Link, Location, X-Request-Id, "+GenerationHeader+", "+maxRowsHeader)
	if c.Request.Method == http.MethodOptions {
		c.Header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
		// Authorization: browser SPARQL clients (YASGUI) send tokens.
		c.Header("Access-Control-Allow-Headers", "Accept, Accept-Encoding, If-None-Match, Content-Type, Authorization, "+MinGenerationHeader+", "+explainHeader)
		c.Header("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}
