package api

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// A read-only server (Config.ReadOnly) answers every read and refuses every
// write with a 403 problem of type read-only naming the read-write server
// (Config.PrimaryURL). The rule is by request, not by route, so that it
// covers routes added later: a route the access table (access.go) classes
// as a write; every method but GET, HEAD, OPTIONS and POST; a POST writes when it goes to the Graph Store Protocol, or is a
// SPARQL Update (an application/sparql-update body, or a form with an
// update parameter, sent to a path ending in /sparql). requireWrite, the
// gate of every write route, refuses too, for any POST route that writes
// and is not named here.

// refuseWrites is the middleware of the rule.
func (s *Server) refuseWrites(c *gin.Context) {
	if s.cfg.ReadOnly && (accessOf(c.Request.Method, c.FullPath()) == write || isWrite(c.Request)) {
		s.writeError(c, s.readOnlyError(c))
		return
	}
	c.Next()
}

// readOnlyError is the refusal of a write on a read-only server.
func (s *Server) readOnlyError(c *gin.Context) error {
	detail := "this server is read-only (it serves a replica); send " + c.Request.Method + " " + c.Request.URL.Path + " to the read-write server"
	if s.cfg.PrimaryURL != "" {
		detail += " at " + s.cfg.PrimaryURL
	}
	return &httpError{status: http.StatusForbidden, typ: "read-only", detail: detail, primary: s.cfg.PrimaryURL}
}

// isWrite reports whether r asks to change the store (see above).
func isWrite(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	case http.MethodPost:
	default:
		return true
	}
	if strings.HasPrefix(r.URL.Path, "/api/v1/graphs") {
		return true
	}
	if !strings.HasSuffix(r.URL.Path, "/sparql") {
		return false
	}
	if r.URL.Query().Has("update") {
		return true
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/sparql-update":
		return true
	case "application/x-www-form-urlencoded":
		// Peek at the form and put the body back for the handler. A
		// body too large to peek at is refused: reading it is the
		// handler's, and a write must not slip through unseen.
		const peek = 16 << 20
		b, err := io.ReadAll(io.LimitReader(r.Body, peek+1))
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), r.Body))
		if err != nil || len(b) > peek {
			return true
		}
		form, err := url.ParseQuery(string(b))
		return err != nil || form.Has("update")
	}
	return false
}
