package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
)

// problemType is the base of the problem "type" URIs.
const problemType = "https://w3id.org/innograph/problems/"

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	// Offered lists the media types on offer, for 406 responses.
	Offered []string `json:"offered,omitempty"`
	// Line and Column locate a syntax error in a request body.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Violations lists the shape violations of a 422 write: the first
	// 100 of ViolationCount; ViolationsTruncated says the list was cut.
	Violations          []graph.Violation `json:"violations,omitempty"`
	ViolationCount      int               `json:"violationCount,omitempty"`
	ViolationsTruncated bool              `json:"violationsTruncated,omitempty"`
	// Primary is the read-write server's URL, in a read-only server's
	// refusal of a write (when -primary-url is set).
	Primary string `json:"primary,omitempty"`
}

// httpError is a failure that only exists at the HTTP level (no route, not
// acceptable, method not allowed); domain failures are graph.Error values.
type httpError struct {
	status  int
	typ     string // the problem type's slug when not the status's own
	primary string // Problem.Primary
	detail  string
	offered []string
	header  map[string]string // response headers, e.g. WWW-Authenticate
}

func (e *httpError) Error() string { return e.detail }

// kindStatus is the one table from error kinds to HTTP status.
var kindStatus = map[graph.Kind]int{
	graph.Invalid:       http.StatusBadRequest,
	graph.NotFound:      http.StatusNotFound,
	graph.Conflict:      http.StatusConflict,
	graph.TooLarge:      http.StatusRequestEntityTooLarge,
	graph.Unsupported:   http.StatusUnsupportedMediaType,
	graph.Timeout:       http.StatusServiceUnavailable,
	graph.Unprocessable: http.StatusUnprocessableEntity,
	graph.Unavailable:   http.StatusServiceUnavailable,
	graph.Internal:      http.StatusInternalServerError,
}

// problemFor builds the problem body for err. Internal errors get a generic
// detail: their text may reveal internals and goes to the log instead.
func problemFor(err error) Problem {
	var he *httpError
	if errors.As(err, &he) {
		typ := he.typ
		if typ == "" {
			typ = slug(he.status)
		}
		return Problem{
			Type:    problemType + typ,
			Title:   http.StatusText(he.status),
			Status:  he.status,
			Detail:  he.detail,
			Offered: he.offered,
			Primary: he.primary,
		}
	}
	kind := graph.KindOf(err)
	status := kindStatus[kind]
	p := Problem{Type: problemType + slug(status), Title: http.StatusText(status), Status: status}
	if kind == graph.Internal {
		p.Detail = "an internal error occurred; quote the request id when reporting it"
		return p
	}
	p.Detail = err.Error()
	var se interface{ Position() (int, int) }
	if errors.As(err, &se) {
		p.Line, p.Column = se.Position()
	}
	var ve *graph.ValidationError
	if errors.As(err, &ve) {
		p.Violations = ve.Violations
		p.ViolationCount = max(ve.Total, len(ve.Violations))
		p.ViolationsTruncated = ve.Truncated()
	}
	return p
}

func slug(status int) string {
	b := []byte(http.StatusText(status))
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == ' ':
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return strconv.Itoa(status)
	}
	return string(b)
}

// writeError is the one function that writes an error response. If the
// response has already started it can only log and abort.
func (s *Server) writeError(c *gin.Context, err error) {
	if errors.Is(err, errNotModified) {
		c.Abort() // the 304 is sent; the handler's write was cut short
		return
	}
	p := problemFor(err)
	// The type names the page on this server that explains it, so that it
	// resolves for the client that got it.
	p.Type = serverURL(c) + "problems/" + strings.TrimPrefix(p.Type, problemType)
	p.Instance = c.Request.URL.Path
	p.RequestID = c.GetString(requestIDKey)
	level := slog.LevelInfo
	if p.Status >= 500 {
		level = slog.LevelError
	}
	s.log.Log(c.Request.Context(), level, "request failed",
		"request_id", p.RequestID, "status", p.Status, "err", err.Error())
	if c.Writer.Written() {
		c.Abort()
		return
	}
	var he *httpError
	if errors.As(err, &he) {
		for k, v := range he.header {
			c.Header(k, v)
		}
	}
	if p.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(p.Status, p)
}
