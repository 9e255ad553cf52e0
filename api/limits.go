package api

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
)

// Limits bound what one write request may carry. Every field has a safe
// default (DefaultLimits) used when it is zero.
type Limits struct {
	// MaxBodyBytes bounds the request body, after gzip decoding.
	MaxBodyBytes int64
	// MaxGzipRatio bounds how many times larger a gzip body may grow when
	// decoded (a gzip bomb expands a thousandfold).
	MaxGzipRatio int64
	// MaxQuads bounds the quads of one request.
	MaxQuads int
	// MaxLiteralBytes bounds one literal's lexical form.
	MaxLiteralBytes int
	// MaxIRIBytes bounds one IRI.
	MaxIRIBytes int
	// MaxJSONDepth bounds JSON-LD nesting.
	MaxJSONDepth int
	// MaxPrefixes bounds Turtle/TriG prefix declarations and JSON-LD context
	// terms.
	MaxPrefixes int
}

// DefaultLimits are the limits of a server configured with none: generous
// for a curator's upload, small enough that one request cannot exhaust the
// server's memory.
func DefaultLimits() Limits {
	return Limits{
		MaxBodyBytes:    16 << 20,
		MaxGzipRatio:    20,
		MaxQuads:        200_000,
		MaxLiteralBytes: 256 << 10,
		MaxIRIBytes:     4096,
		MaxJSONDepth:    64,
		MaxPrefixes:     1000,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	if l.MaxGzipRatio <= 0 {
		l.MaxGzipRatio = d.MaxGzipRatio
	}
	if l.MaxQuads <= 0 {
		l.MaxQuads = d.MaxQuads
	}
	if l.MaxLiteralBytes <= 0 {
		l.MaxLiteralBytes = d.MaxLiteralBytes
	}
	if l.MaxIRIBytes <= 0 {
		l.MaxIRIBytes = d.MaxIRIBytes
	}
	if l.MaxJSONDepth <= 0 {
		l.MaxJSONDepth = d.MaxJSONDepth
	}
	if l.MaxPrefixes <= 0 {
		l.MaxPrefixes = d.MaxPrefixes
	}
	return l
}

func (l Limits) doc() rdfio.Limits {
	return rdfio.Limits{
		MaxQuads:        l.MaxQuads,
		MaxLiteralBytes: l.MaxLiteralBytes,
		MaxIRIBytes:     l.MaxIRIBytes,
		MaxJSONDepth:    l.MaxJSONDepth,
		MaxPrefixes:     l.MaxPrefixes,
	}
}

// readBody reads the whole request body within the limits, decoding a gzip
// Content-Encoding. It returns a TooLarge error for a body over
// MaxBodyBytes (before or after decoding) or a gzip body that expands more
// than MaxGzipRatio times, Invalid for a corrupt gzip stream, and
// Unsupported for another content coding.
func (s *Server) readBody(c *gin.Context) ([]byte, error) {
	const op = "read request body"
	lim := s.cfg.WriteLimits
	if c.Request.ContentLength > lim.MaxBodyBytes {
		return nil, graph.Errorf(op, graph.TooLarge, "body of %d bytes exceeds the limit of %d bytes", c.Request.ContentLength, lim.MaxBodyBytes)
	}
	raw, err := io.ReadAll(io.LimitReader(c.Request.Body, lim.MaxBodyBytes+1))
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return nil, &httpError{status: http.StatusRequestTimeout,
			detail: fmt.Sprintf("the body did not arrive within %s", s.cfg.Timeouts.Body),
			header: map[string]string{"Connection": "close"}}
	}
	if err != nil {
		return nil, graph.Errorf(op, graph.Invalid, "reading the body failed: %v", err)
	}
	if int64(len(raw)) > lim.MaxBodyBytes {
		return nil, graph.Errorf(op, graph.TooLarge, "body exceeds the limit of %d bytes", lim.MaxBodyBytes)
	}
	switch enc := strings.ToLower(strings.TrimSpace(c.GetHeader("Content-Encoding"))); enc {
	case "", "identity":
		return raw, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, graph.Errorf(op, graph.Invalid, "Content-Encoding gzip, but the body is not gzip: %v", err)
		}
		// The output may grow to ratio times the input, and never past the
		// body limit; reading one byte more tells which was crossed.
		maxOut := min(lim.MaxGzipRatio*max(int64(len(raw)), 1), lim.MaxBodyBytes)
		out, err := io.ReadAll(io.LimitReader(zr, maxOut+1))
		if err != nil {
			return nil, graph.Errorf(op, graph.Invalid, "corrupt gzip body: %v", err)
		}
		if int64(len(out)) > maxOut {
			if maxOut == lim.MaxBodyBytes {
				return nil, graph.Errorf(op, graph.TooLarge, "gzip body expands past the limit of %d bytes", lim.MaxBodyBytes)
			}
			return nil, graph.Errorf(op, graph.TooLarge, "gzip body of %d bytes expands more than %d times (gzip expansion ratio limit)", len(raw), lim.MaxGzipRatio)
		}
		return out, nil
	default:
		return nil, graph.Errorf(op, graph.Unsupported, "Content-Encoding %q is not supported (use gzip or none)", enc)
	}
}
