package api_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
)

// realServer serves h as innograph serve does: h's own http.Server
// settings and the guarded listener.
func realServer(t *testing.T, h *api.Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config = h.HTTPServer(context.Background())
	srv.Listener = api.GuardListener(srv.Listener)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// bigStore is a memory store holding n quads in graph g.
func bigStore(t *testing.T, g quad.IRI, n int) *graph.Store {
	t.Helper()
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Write(context.Background(), func(b *graph.Batch) error {
		for i := 0; i < n; i++ {
			b.Add(quad.Quad{Subject: quad.IRI(fmt.Sprintf("https://example.org/s%d", i)), Predicate: quad.IRI("https://example.org/p"),
				Object: quad.String(strings.Repeat("x", 80) + fmt.Sprint(i)), Label: g})
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return store
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestIdleConnectionsClosed: a keep-alive connection that sends nothing
// more is closed after the idle timeout (issue 18: never, and 1,015 idle
// connections exhausted the descriptors).
func TestIdleConnectionsClosed(t *testing.T) {
	store := bigStore(t, "https://example.org/g", 1)
	srv := realServer(t, api.New(api.Config{Timeouts: api.Timeouts{Idle: 200 * time.Millisecond}}, store, discardLog()))
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("idle connection: read %v, want EOF (closed by the server)", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("idle connection closed after %s, want about 200ms", d)
	}
}

// TestAmbiguousFramingRefused: a request with both Content-Length and
// Transfer-Encoding is a 400 and the connection is closed, so what
// follows it on the connection is never served (request smuggling).
func TestAmbiguousFramingRefused(t *testing.T) {
	store := bigStore(t, "https://example.org/g", 1)
	srv := realServer(t, api.New(api.Config{WriteTokens: mustTokens(t, "w:write-secret-0123456789")}, store, discardLog()))
	for _, tc := range []struct{ name, req string }{
		{"CL then TE", "POST /api/v1/graphs?default HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"TE then CL", "GET /healthz HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 0\r\n\r\n0\r\n\r\nGET /api/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"after a good request", "POST /api/v1/paths HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\nGET /api/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			io.WriteString(conn, tc.req)
			br := bufio.NewReader(conn)
			var statuses []int
			for {
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					break
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				statuses = append(statuses, resp.StatusCode)
			}
			if len(statuses) == 0 || statuses[len(statuses)-1] != http.StatusBadRequest {
				t.Errorf("statuses %v: want the ambiguous request answered 400 and nothing after it", statuses)
			}
			for _, s := range statuses {
				if s == http.StatusOK && strings.Contains(tc.req, "stats") && len(statuses) > 1 && statuses[len(statuses)-1] != 400 {
					t.Errorf("the request after the ambiguous one was served: %v", statuses)
				}
			}
		})
	}
	// An ordinary chunked write still works on a guarded connection.
	req, _ := http.NewRequest("PUT", srv.URL+"/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fh", io.MultiReader(strings.NewReader("<https://example.org/a> <https://example.org/p> \"x\" .\n")))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer write-secret-0123456789")
	req.Header.Set("Content-Type", "application/n-triples")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("chunked PUT = %d, want 201", resp.StatusCode)
	}
}

// TestNeverEndingBodyTimesOut: an authenticated write whose chunked body
// never ends is cut off at the body timeout with 408 (issue 18: never).
func TestNeverEndingBodyTimesOut(t *testing.T) {
	store := bigStore(t, "https://example.org/g", 1)
	srv := realServer(t, api.New(api.Config{WriteTokens: mustTokens(t, "w:write-secret-0123456789"),
		Timeouts: api.Timeouts{Body: 300 * time.Millisecond}}, store, discardLog()))
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "PUT /api/v1/graphs?default HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer write-secret-0123456789\r\nContent-Type: application/n-triples\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<https://ex.org/\r\n")
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a never-ending body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("never-ending body = %d, want 408", resp.StatusCode)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("answered after %s, want about 300ms", d)
	}
}

// TestSlowReaderDoesNotBlockWrites: a client that stops reading a whole
// graph or the whole dataset delays no write and no other read (issue 18:
// the snapshot held the writer lock while waiting on the client), and is
// cut off at the progress timeout.
func TestSlowReaderDoesNotBlockWrites(t *testing.T) {
	g := quad.IRI("https://example.org/big")
	store := bigStore(t, g, 60000) // about 8 MB of N-Quads: more than the socket buffers
	// A write that waited for the stalled reader would end only when the
	// server cuts that reader off, at the progress timeout; a write that
	// does not wait ends long before. The bound below tells the two apart
	// without timing the write itself, so a loaded machine cannot fail it.
	const progress = 8 * time.Second
	srv := realServer(t, api.New(api.Config{WriteTokens: mustTokens(t, "w:write-secret-0123456789"),
		Timeouts: api.Timeouts{Progress: progress}}, store, discardLog()))
	for i, path := range []string{"/api/v1/graphs", "/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fbig", "/api/v1/export"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			conn, err := slowDial(srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nAccept: application/n-quads\r\n\r\n", path)
			time.Sleep(300 * time.Millisecond) // the server is now blocked on us
			start := time.Now()
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fw"+strconv.Itoa(i), strings.NewReader("<https://example.org/a> <https://example.org/p> \"x\" .\n"))
			req.Header.Set("Authorization", "Bearer write-secret-0123456789")
			req.Header.Set("Content-Type", "application/n-triples")
			ctx, cancel := context.WithTimeout(context.Background(), 2*progress)
			defer cancel()
			resp, err := http.DefaultClient.Do(req.WithContext(ctx))
			if err != nil {
				t.Fatalf("a write while a client stalls a read: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				t.Errorf("write = %d", resp.StatusCode)
			}
			if d := time.Since(start); d >= progress-time.Second {
				t.Errorf("the write took %s while a client stalled a read: it waited for the reader to be cut off", d)
			}
			// The stalled stream is cut at the progress timeout.
			time.Sleep(time.Until(start.Add(progress + 500*time.Millisecond)))
			conn.SetReadDeadline(time.Now().Add(20 * time.Second))
			n, err := io.Copy(io.Discard, conn)
			if err != nil {
				t.Errorf("the stalled stream was not closed by the server (read %d bytes): %v", n, err)
			}
		})
	}
}

// slowDial connects with a receive buffer of 4 KB set before the
// handshake, so that a client that stops reading stalls the server's
// writes soon (shrinking the buffer after the handshake makes the kernel
// drop data and back off instead).
func slowDial(addr string) (net.Conn, error) {
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		}); err != nil {
			return err
		}
		return serr
	}}
	return d.Dial("tcp", addr)
}

// TestExportsBounded: whole-graph reads and exports beyond MaxExports get
// 503 with Retry-After instead of each holding a graph in memory (issue
// 18: 150 concurrent GETs of a 15 MB graph took memory to 4.3 GB).
func TestExportsBounded(t *testing.T) {
	g := quad.IRI("https://example.org/big")
	store := bigStore(t, g, 60000)
	srv := realServer(t, api.New(api.Config{MaxExports: 1, Timeouts: api.Timeouts{Progress: 20 * time.Second}}, store, discardLog()))
	conn, err := slowDial(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /api/v1/graphs?graph=https%%3A%%2F%%2Fexample.org%%2Fbig HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(500 * time.Millisecond) // the slot is now held by a stalled stream
	for _, path := range []string{"/api/v1/graphs", "/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fbig", "/api/v1/export"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s while the export slot is taken = %d (Retry-After %q), want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	// Other reads go on.
	resp, err := http.Get(srv.URL + "/api/v1/stats")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("stats while exports are full = %d", resp.StatusCode)
	}
	// HEAD needs no slot.
	resp, err = http.Head(srv.URL + "/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fbig")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD of the graph while exports are full = %d", resp.StatusCode)
	}
	conn.Close()
	// The slot comes back once the stalled client is gone.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(srv.URL + "/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fbig")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the export slot was not released after the client left: %d", resp.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestScriptsBounded: Gizmo is off unless configured (issue 18: one
// script's string killed the process), and Gizmo and GraphQL queries
// beyond MaxScripts get 503 with Retry-After instead of each taking a core.
func TestScriptsBounded(t *testing.T) {
	store := bigStore(t, "https://example.org/g", 10)
	off := httptest.NewServer(api.New(api.Config{}, store, discardLog()))
	defer off.Close()
	resp, err := http.Post(off.URL+"/api/v1/query/gizmo", "application/javascript", strings.NewReader(`g.V().All()`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Gizmo on a default server = %d, want 403", resp.StatusCode)
	}

	on := httptest.NewServer(api.New(api.Config{Gizmo: true, MaxScripts: 1, QueryTimeout: 3 * time.Second}, store, discardLog()))
	defer on.Close()
	done := make(chan int)
	go func() {
		resp, err := http.Post(on.URL+"/api/v1/query/gizmo", "application/javascript", strings.NewReader(`while (true) {}`))
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	time.Sleep(500 * time.Millisecond)
	resp, err = http.Post(on.URL+"/api/v1/query/graphql", "application/graphql", strings.NewReader(`{ nodes { id } }`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("GraphQL while the one script slot is taken = %d, want 503 with Retry-After", resp.StatusCode)
	}
	if code := <-done; code != http.StatusServiceUnavailable {
		t.Errorf("endless script = %d, want 503 at the deadline", code)
	}
	resp, err = http.Post(on.URL+"/api/v1/query/graphql", "application/graphql", strings.NewReader(`{ nodes { id } }`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GraphQL after the script ended = %d, want 200", resp.StatusCode)
	}
}
