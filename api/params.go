package api

import (
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
)

// checkQuery refuses a request whose query string does not decode: gin
// (like url.Values) drops a parameter with a bad %-escape silently, so
// ?graph=<bad escape>&default would write into the default graph. The 400
// names the parameter.
func (s *Server) checkQuery(c *gin.Context) {
	if err := queryError(c.Request.URL.RawQuery); err != nil {
		s.writeError(c, err)
		return
	}
	c.Next()
}

// queryError reports the first parameter of raw that does not decode.
func queryError(raw string) error {
	const op = "read request"
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		if strings.Contains(part, ";") {
			return graph.Errorf(op, graph.Invalid, "malformed query string: parameter %q holds ';': separate parameters with '&' and encode ';' in values as %%3B", preview(part))
		}
		k, v, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			return graph.Errorf(op, graph.Invalid, "malformed query string: parameter name %q is not valid %%-encoding", preview(k))
		}
		if _, err := url.QueryUnescape(v); err != nil {
			return graph.Errorf(op, graph.Invalid, "malformed query string: parameter %s: its value %q is not valid %%-encoding (a '%%' must be followed by two hex digits)", preview(name), preview(v))
		}
	}
	return nil
}

// preview shortens s for a message.
func preview(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
