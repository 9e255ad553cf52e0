package api

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// GuardListener wraps ln so that the server can refuse a request whose
// framing is ambiguous: one with both Content-Length and
// Transfer-Encoding. net/http follows Transfer-Encoding and drops the
// Content-Length header before a handler sees the request, so the
// handler cannot tell; a proxy in front that trusts Content-Length would
// then read a different request boundary than we do (request smuggling).
// The wrapped connections watch their own bytes for such a header block;
// the server answers 400 and closes the connection.
func GuardListener(ln net.Listener) net.Listener { return guardListener{ln} }

type guardListener struct{ net.Listener }

func (l guardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &guardConn{Conn: c}, nil
}

// guardConn follows HTTP/1.1 message framing over what it reads: header
// blocks line by line, then bodies by Content-Length or chunks, so it
// knows where each header block begins.
type guardConn struct {
	net.Conn
	ambiguous atomic.Bool
	f         framer
}

func (c *guardConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.ambiguous.Load() && c.f.feed(p[:n]) {
		c.ambiguous.Store(true)
	}
	return n, err
}

type connKey struct{}

// connContext notes the connection in each request's context.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if g, ok := c.(*guardConn); ok {
		return context.WithValue(ctx, connKey{}, g)
	}
	return ctx
}

// checkFraming answers 400 and closes the connection when it carried a
// header block with both Content-Length and Transfer-Encoding.
func (s *Server) checkFraming(c *gin.Context) {
	if g, ok := c.Request.Context().Value(connKey{}).(*guardConn); ok && g.ambiguous.Load() {
		c.Header("Connection", "close")
		s.writeError(c, &httpError{status: http.StatusBadRequest,
			detail: "the request has both Content-Length and Transfer-Encoding; send one (the connection is closed)"})
		return
	}
	c.Next()
}

// framer states.
const (
	inHeaders   = iota
	inBody      // remaining bytes of a Content-Length body
	inChunkSize // a chunk-size line
	inChunkData // remaining bytes of a chunk and its CRLF
	inTrailer   // trailer lines after the last chunk
	lost        // something it cannot follow: it stops watching
)

// maxLine bounds a line the framer keeps; net/http refuses longer headers
// anyway.
const maxLine = 1 << 16

// framer is a small HTTP/1.1 request framing parser: just enough to find
// every header block of a connection.
type framer struct {
	state       int
	line        []byte
	remain      int64
	first       bool // the next header line is a request line
	clen, chunk bool
	started     bool
}

// feed consumes p and reports whether a header block with both
// Content-Length and Transfer-Encoding ended in it.
func (f *framer) feed(p []byte) bool {
	if !f.started {
		f.started, f.first = true, true
	}
	for len(p) > 0 {
		switch f.state {
		case lost:
			return false
		case inBody:
			n := min(int64(len(p)), f.remain)
			p, f.remain = p[n:], f.remain-n
			if f.remain == 0 {
				f.startMessage()
			}
		case inChunkData:
			n := min(int64(len(p)), f.remain)
			p, f.remain = p[n:], f.remain-n
			if f.remain == 0 {
				f.state = inChunkSize
			}
		default:
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				f.keep(p)
				return false
			}
			f.keep(p[:i])
			p = p[i+1:]
			line := bytes.TrimRight(f.line, "\r")
			f.line = f.line[:0]
			if f.lineDone(line) {
				return true
			}
		}
	}
	return false
}

func (f *framer) keep(b []byte) {
	if len(f.line)+len(b) > maxLine {
		f.state = lost
		return
	}
	f.line = append(f.line, b...)
}

func (f *framer) startMessage() {
	f.state, f.first, f.clen, f.chunk = inHeaders, true, false, false
}

// lineDone handles one complete line and reports an ambiguous header
// block.
func (f *framer) lineDone(line []byte) bool {
	switch f.state {
	case inHeaders:
		if f.first {
			if len(line) == 0 {
				return false // blank lines before a request line are allowed
			}
			f.first = false
			return false
		}
		if len(line) > 0 {
			name, value, _ := bytes.Cut(line, []byte(":"))
			name = bytes.TrimSpace(name)
			switch {
			case bytes.EqualFold(name, []byte("Content-Length")):
				n, err := strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64)
				if err != nil || n < 0 {
					f.state = lost // net/http refuses the request and closes
					return false
				}
				f.clen, f.remain = true, n
			case bytes.EqualFold(name, []byte("Transfer-Encoding")):
				f.chunk = true
			}
			return false
		}
		// The end of the header block.
		switch {
		case f.clen && f.chunk:
			f.state = lost
			return true
		case f.chunk:
			f.state = inChunkSize
		case f.clen && f.remain > 0:
			f.state = inBody
		default:
			f.startMessage()
		}
	case inChunkSize:
		if len(line) == 0 {
			return false // the CRLF after a chunk's data
		}
		size, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 {
			f.state = lost
			return false
		}
		if n == 0 {
			f.state = inTrailer
			return false
		}
		f.state, f.remain = inChunkData, n
	case inTrailer:
		if len(line) == 0 {
			f.startMessage()
		}
	}
	return false
}
