package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Caching. Every answer is tagged in one place, the cache middleware:
//
//   - A successful GET or HEAD answer carries a strong ETag made of the
//     store generation read before the handler ran and of the representation
//     (the server URL the request used, path and query, Content-Type and
//     Content-Encoding of the answer), and Cache-Control public with the
//     configured max-age and stale-while-revalidate. An If-None-Match that
//     matches turns it into a 304 before its body is sent.
//   - Writes, other POSTs, failures, health and metrics are no-store; reads
//     of stored data (access.go) are private, no-store on a server whose
//     reads need a token and for every request that carried one, so that no
//     shared cache keeps what only a token may see.
//   - Every answer says the generation it reflects in Innograph-Generation
//     (for a write, the generation once it is applied); a request carrying
//     Innograph-Min-Generation waits until the store has reached that
//     generation, up to MinGenerationWait, or is refused with a 503.
//
// The generation is read before the handler reads the store, so an answer
// is never tagged newer than its data: at worst a cache fetches a body it
// already had.

// Header names of read-your-writes.
const (
	// GenerationHeader carries the store generation an answer reflects.
	GenerationHeader = "Innograph-Generation"
	// MinGenerationHeader asks for an answer from a store at least at this
	// generation (one a write answered with).
	MinGenerationHeader = "Innograph-Min-Generation"
)

// Defaults of the caching configuration.
const (
	DefaultCacheMaxAge       = 60 * time.Second
	DefaultMinGenerationWait = 2 * time.Second
	DefaultMaxReplicaLag     = 10 * time.Second
)

func (c Config) cacheControl() string {
	switch {
	case c.CacheMaxAge < 0:
		return "public, no-cache"
	case c.CacheMaxAge == 0:
		return cacheDirectives(DefaultCacheMaxAge, c.CacheStale)
	}
	return cacheDirectives(c.CacheMaxAge, c.CacheStale)
}

func cacheDirectives(maxAge, stale time.Duration) string {
	s := "public, max-age=" + strconv.Itoa(int(maxAge/time.Second))
	if stale > 0 {
		s += ", stale-while-revalidate=" + strconv.Itoa(int(stale/time.Second))
	}
	return s
}

func (c Config) minGenerationWait() time.Duration {
	if c.MinGenerationWait <= 0 {
		return DefaultMinGenerationWait
	}
	return c.MinGenerationWait
}

func (c Config) maxReplicaLag() time.Duration {
	if c.MaxReplicaLag <= 0 {
		return DefaultMaxReplicaLag
	}
	return c.MaxReplicaLag
}

// errNotModified is what a handler's write gets once the answer has become a
// 304: a streaming handler stops at its first write, and writeError knows
// the response is complete.
var errNotModified = errors.New("answered 304 Not Modified")

// uncached are the routes no cache may keep, whatever the method.
var uncached = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// cache is the caching middleware (see above).
func (s *Server) cache(c *gin.Context) {
	if err := s.awaitGeneration(c); err != nil {
		s.writeError(c, err)
		return
	}
	gen := s.store.Generation()
	w := &cacheWriter{ResponseWriter: c.Writer, s: s, c: c, gen: gen}
	switch {
	case c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead:
		w.policy = cacheWrite
	case uncached[c.FullPath()]:
		w.policy = cacheNone
	case accessOf(c.Request.Method, c.FullPath()) == public:
		w.policy = cachePublic // no stored data: the same for every caller
	case len(s.cfg.ReadTokens) > 0 || c.GetHeader("Authorization") != "":
		w.policy = cachePrivate
	default:
		w.policy = cachePublic
	}
	c.Writer = w
	c.Next()
	w.decide() // a handler that wrote nothing, such as a bare status
}

// awaitGeneration holds a request that carries Innograph-Min-Generation until
// the store has reached it, polling, for up to MinGenerationWait. It returns
// a 400 for a malformed value and a 503 when the store has not caught up.
func (s *Server) awaitGeneration(c *gin.Context) error {
	v := c.GetHeader(MinGenerationHeader)
	if v == "" {
		return nil
	}
	want, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return &httpError{status: http.StatusBadRequest, detail: MinGenerationHeader + " must be a generation (a decimal number from an " + GenerationHeader + " header), not " + strconv.Quote(v)}
	}
	if s.store.Generation() >= want {
		return nil
	}
	wait := s.cfg.minGenerationWait()
	ctx, cancel := context.WithTimeout(c.Request.Context(), wait)
	defer cancel()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			got := s.store.Generation()
			if got >= want {
				return nil
			}
			detail := fmt.Sprintf("this server's store is at generation %d and did not reach %d within %s; retry later", got, want, wait)
			if s.cfg.PrimaryURL != "" {
				detail += ", or read from the primary at " + s.cfg.PrimaryURL
			}
			return &httpError{status: http.StatusServiceUnavailable, typ: "replica-behind", detail: detail}
		case <-t.C:
			if s.store.Generation() >= want {
				return nil
			}
		}
	}
}

type cachePolicy int

const (
	cachePublic  cachePolicy = iota // a read anyone may cache
	cachePrivate                    // a read that needed, or carried, a token
	cacheNone                       // health and metrics
	cacheWrite                      // a write or a POST query: no-store
)

// cacheWriter sets the caching headers just before the status line is sent,
// when the handler's status and Content-Type are known.
type cacheWriter struct {
	gin.ResponseWriter
	s           *Server
	c           *gin.Context
	gen         uint64
	policy      cachePolicy
	decided     bool
	notModified bool
}

// decide sets the headers once, and answers 304 for a matching
// If-None-Match.
func (w *cacheWriter) decide() {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	status := w.Status()
	if w.policy == cacheWrite {
		// The generation once the write is applied: the one to ask for.
		h.Set(GenerationHeader, strconv.FormatUint(w.s.store.Generation(), 10))
		h.Set("Cache-Control", "no-store")
		return
	}
	h.Set(GenerationHeader, strconv.FormatUint(w.gen, 10))
	if w.policy == cacheNone || status >= 400 || status == http.StatusNotModified {
		h.Del("ETag")
		h.Set("Cache-Control", "no-store")
		return
	}
	etag := w.etag()
	h.Set("ETag", etag)
	if !hasVary(h, "Accept") {
		h.Add("Vary", "Accept")
	}
	if w.policy == cachePrivate {
		h.Set("Cache-Control", "private, no-store")
	} else {
		h.Set("Cache-Control", w.s.cfg.cacheControl())
	}
	if status == http.StatusOK && etagMatch(w.c.GetHeader("If-None-Match"), etag) {
		w.notModified = true
		h.Del("Content-Length")
		w.ResponseWriter.WriteHeader(http.StatusNotModified)
		w.ResponseWriter.WriteHeaderNow()
		// On the wire now: a streaming handler that aborts the
		// connection when its write fails must not take the 304 with it.
		w.ResponseWriter.Flush()
	}
}

// etag is the strong validator of the answer being sent: the generation and
// a digest of what selects the representation.
func (w *cacheWriter) etag() string {
	h := w.Header()
	sum := sha256.New()
	for _, part := range []string{serverURL(w.c), w.c.Request.URL.Path, w.c.Request.URL.RawQuery,
		h.Get("Content-Type"), h.Get("Content-Encoding"), h.Get("Content-Language")} {
		sum.Write([]byte(part))
		sum.Write([]byte{0})
	}
	return `"` + strconv.FormatUint(w.gen, 36) + "-" + hex.EncodeToString(sum.Sum(nil)[:9]) + `"`
}

func hasVary(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if t := strings.TrimSpace(f); strings.EqualFold(t, name) || t == "*" {
				return true
			}
		}
	}
	return false
}

func (w *cacheWriter) WriteHeader(code int) {
	if !w.decided {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *cacheWriter) WriteHeaderNow() {
	w.decide()
	if !w.notModified {
		w.ResponseWriter.WriteHeaderNow()
	}
}

func (w *cacheWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.notModified {
		return 0, errNotModified
	}
	return w.ResponseWriter.Write(b)
}

func (w *cacheWriter) WriteString(s string) (int, error) {
	w.decide()
	if w.notModified {
		return 0, errNotModified
	}
	return w.ResponseWriter.WriteString(s)
}

func (w *cacheWriter) Flush() {
	w.decide()
	if !w.notModified {
		w.ResponseWriter.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (w *cacheWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
