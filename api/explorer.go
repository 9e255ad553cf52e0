package api

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// explorerFiles are the web explorer's pages, scripts and styles, and the
// vendored cytoscape.js build: served from the binary, so the explorer
// works with no network beyond this server and no build step.
//
//go:embed explorer
var explorerFiles embed.FS

// explorerAssets is where the explorer's files are served.
const explorerAssets = "/explore/assets/"

// explorerRoutes registers the explorer: the landing page at /, the path
// finder and the SPARQL editor (one page, routed by its script), and the
// assets. Entity pages are the HTML of /doc/... (ld_html.go).
func (s *Server) explorerRoutes() {
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		s.engine.Handle(m, "/", s.explorerPage)
		s.engine.Handle(m, "/explore/paths", s.explorerPage)
		s.engine.Handle(m, "/explore/sparql", s.explorerPage)
		s.engine.Handle(m, explorerAssets+"*file", s.explorerAsset)
	}
}

// explorerPage serves the explorer's page; its script draws the view the
// path names, from the state in the query string.
func (s *Server) explorerPage(c *gin.Context) {
	body, err := explorerFiles.ReadFile("explorer/index.html")
	if err != nil {
		s.writeError(c, err)
		return
	}
	sendDocument(c, "text/html; charset=utf-8", body)
}

// explorerAsset serves one file of the explorer.
func (s *Server) explorerAsset(c *gin.Context) {
	name := path.Clean(strings.TrimPrefix(c.Param("file"), "/"))
	if name == "index.html" || !fs.ValidPath(name) {
		s.writeError(c, &httpError{status: http.StatusNotFound, detail: "no resource at " + c.Request.URL.Path})
		return
	}
	body, err := explorerFiles.ReadFile("explorer/" + name)
	if err != nil {
		s.writeError(c, &httpError{status: http.StatusNotFound, detail: "no resource at " + c.Request.URL.Path})
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".mjs", ".js":
		ct = "text/javascript; charset=utf-8"
	case ".md", "":
		ct = "text/plain; charset=utf-8"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	sendDocument(c, ct, body)
}
