package api

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Timeouts bound how long a connection may hold the server. Zero fields
// take the defaults of DefaultTimeouts.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers.
	ReadHeader time.Duration
	// Idle closes a keep-alive connection that sends no request for this
	// long.
	Idle time.Duration
	// Write bounds writing the response of a route that does not stream
	// (everything but whole-graph reads and exports).
	Write time.Duration
	// Progress bounds each write of a streamed response: a client that
	// takes longer to accept the next piece is cut off. A stream may run
	// as long as the client keeps reading.
	Progress time.Duration
	// Body bounds reading the body of a write.
	Body time.Duration
}

// DefaultTimeouts are the timeouts of a server configured with none.
func DefaultTimeouts() Timeouts {
	return Timeouts{
		ReadHeader: 10 * time.Second,
		Idle:       60 * time.Second,
		Write:      60 * time.Second,
		Progress:   30 * time.Second,
		Body:       60 * time.Second,
	}
}

func (t Timeouts) withDefaults() Timeouts {
	d := DefaultTimeouts()
	for _, f := range []struct{ v, d *time.Duration }{
		{&t.ReadHeader, &d.ReadHeader}, {&t.Idle, &d.Idle}, {&t.Write, &d.Write},
		{&t.Progress, &d.Progress}, {&t.Body, &d.Body},
	} {
		if *f.v <= 0 {
			*f.v = *f.d
		}
	}
	return t
}

// HTTPServer returns the http.Server to serve s with: the configured
// header and idle timeouts, request contexts derived from base (cancel it
// to end every in-flight request, as Drain does), and connections that
// refuse ambiguous message framing (see GuardListener, which the listener
// must be wrapped in for that). Write deadlines are set per request by the
// server itself, so that streamed responses can run long while each write
// makes progress.
func (s *Server) HTTPServer(base context.Context) *http.Server {
	t := s.cfg.Timeouts
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: t.ReadHeader,
		IdleTimeout:       t.Idle,
		BaseContext:       func(net.Listener) context.Context { return base },
		ConnContext:       connContext,
	}
}

// Drain waits until no request is in flight, or ctx ends.
func (s *Server) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		s.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// track counts the request as in flight until its handlers return, and
// sets the write deadline of a response that does not stream (streaming
// handlers replace it with a progress deadline: streamed).
func (s *Server) track(c *gin.Context) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	// Not every ResponseWriter supports deadlines (httptest's recorder).
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(s.cfg.Timeouts.Write))
	c.Next()
}

// streamed lifts the write deadline of a streaming response and gives
// each write of the body its own (Timeouts.Progress): the response may run
// as long as the client keeps taking it.
func (s *Server) streamed(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		return // no deadlines on this writer: nothing to lift or renew
	}
	c.Writer = &progressWriter{ResponseWriter: c.Writer, rc: rc, d: s.cfg.Timeouts.Progress}
}

// progressWriter renews the write deadline before each write.
type progressWriter struct {
	gin.ResponseWriter
	rc *http.ResponseController
	d  time.Duration
}

func (w *progressWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.d))
	return w.ResponseWriter.Write(p)
}

func (w *progressWriter) WriteString(s string) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.d))
	return w.ResponseWriter.WriteString(s)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *progressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// bodyDeadline bounds reading the request body of a write: a body that
// trickles in (or a chunked body that never ends) fails to read rather
// than hold the connection and the handler.
func (s *Server) bodyDeadline(c *gin.Context) {
	if c.Request.Body != nil && c.Request.Body != http.NoBody {
		_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(s.cfg.Timeouts.Body))
	}
	c.Next()
}
