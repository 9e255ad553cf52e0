package api

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"
)

// problemPages explains each problem type, by the slug of its status.
var problemPages = map[string]struct {
	status int
	text   string
}{
	"bad-request":              {http.StatusBadRequest, "The request is malformed: a parameter, a pattern or a body that cannot be read. The detail says what and, for a body, the line and column."},
	"unauthorized":             {http.StatusUnauthorized, "The request needs a bearer token (Authorization: Bearer ...) that this server accepts."},
	"forbidden":                {http.StatusForbidden, "The token may not do this, or writes are off on this server (no write tokens configured)."},
	"not-found":                {http.StatusNotFound, "Nothing is known about the resource, entity, graph or route named in the request."},
	"method-not-allowed":       {http.StatusMethodNotAllowed, "The resource does not answer this HTTP method."},
	"not-acceptable":           {http.StatusNotAcceptable, "No representation on offer matches the Accept header or ?format=; the problem's offered member lists the media types on offer."},
	"conflict":                 {http.StatusConflict, "The request conflicts with the store's state, such as restoring into a store that is not empty."},
	"request-entity-too-large": {http.StatusRequestEntityTooLarge, "The body or the answer exceeds a configured limit (bytes, quads, literal or IRI length, nesting)."},
	"unsupported-media-type":   {http.StatusUnsupportedMediaType, "The body's Content-Type is missing or not a format this endpoint reads; POST /api/v1/paths reads application/json."},
	"unprocessable-entity":     {http.StatusUnprocessableEntity, "The body is well-formed but cannot be accepted: for writes, the ontology's SHACL shapes are violated (listed in violations)."},
	"internal-server-error":    {http.StatusInternalServerError, "A fault of the server. Quote the requestId when reporting it; the detail is in the server's log."},
	"service-unavailable":      {http.StatusServiceUnavailable, "The query ran out of time or the store is not reachable. Retry after the Retry-After seconds, or ask for less (fewer hops, a smaller page)."},
	"read-only":                {http.StatusForbidden, "This server is read-only: it serves a replica and refuses every write (Graph Store Protocol PUT, POST and DELETE, SPARQL Update). Send writes to the read-write server; primary names it when the server knows it."},
	"replica-lag":              {http.StatusServiceUnavailable, "The hot standby this server reads is further behind its primary than the server allows (-max-replica-lag): /readyz is unready until replay catches up, so a load balancer sends reads elsewhere."},
	"replica-behind":           {http.StatusServiceUnavailable, "The request asked, with Innograph-Min-Generation, for data at least as new as a write's Innograph-Generation, and this server's store did not reach it in time. Retry after Retry-After seconds, or read from the read-write server."},
}

var problemTemplate = template.Must(template.New("problem").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}} · innograph problem type</title><link rel="icon" href="/favicon.ico"></head>
<body style="font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.45">
<h1>{{.Title}} ({{.Status}})</h1>
<p>{{.Text}}</p>
<p>innograph answers every error as <code>application/problem+json</code> (RFC 9457) whose
<code>type</code> is this page; <code>detail</code> says what went wrong and where, and
<code>requestId</code> finds the request in the server's log.</p>
</body>
</html>
`))

// problemPage serves GET /problems/{slug}: what a problem type means.
func (s *Server) problemPage(c *gin.Context) {
	p, ok := problemPages[c.Param("slug")]
	if !ok {
		s.writeError(c, &httpError{status: http.StatusNotFound, detail: "no problem type " + c.Param("slug")})
		return
	}
	var buf bytes.Buffer
	if err := problemTemplate.Execute(&buf, map[string]any{"Title": http.StatusText(p.status), "Status": p.status, "Text": p.text}); err != nil {
		s.writeError(c, err)
		return
	}
	sendDocument(c, "text/html; charset=utf-8", buf.Bytes())
}

// favicon is the site icon: a small SVG graph.
const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><g stroke="#2a6f97" stroke-width="2"><line x1="8" y1="8" x2="24" y2="12"/><line x1="8" y1="8" x2="14" y2="24"/><line x1="24" y1="12" x2="14" y2="24"/></g><g fill="#2a6f97"><circle cx="8" cy="8" r="4"/><circle cx="24" cy="12" r="4"/><circle cx="14" cy="24" r="4"/></g></svg>`

// faviconHandler serves /favicon.ico (an SVG, which browsers accept there).
func (s *Server) faviconHandler(c *gin.Context) {
	sendDocument(c, "image/svg+xml", []byte(favicon))
}
