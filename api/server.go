package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/prometheus/client_golang/prometheus"
)

// Config configures the HTTP interface.
type Config struct {
	// BaseURL is a public base of entity IRIs served here beside the
	// published one (DefaultBaseURL), e.g. "https://data.example.org/kg/".
	// Empty means the published base only. It does not need to match the
	// server's address: links clients follow use the request's own.
	BaseURL string
	// CORSOrigins lists the origins allowed to read from a browser; empty
	// means every origin ("*").
	CORSOrigins []string
	// QueryTimeout bounds each query request (entities, connections,
	// paths, shortest paths, neighbourhoods, Gizmo, GraphQL); zero means
	// DefaultQueryTimeout. A query that runs out of time gets a 503 with
	// Retry-After.
	QueryTimeout time.Duration
	// MaxSPARQLRows bounds the rows of a SPARQL SELECT answer (the
	// triples of a CONSTRUCT or DESCRIBE); zero means
	// DefaultMaxSPARQLRows, negative no bound.
	MaxSPARQLRows int64
	// QueryLimits bound hop counts, page sizes and search sizes of queries;
	// zero fields take graph.DefaultQueryLimits.
	QueryLimits graph.QueryLimits
	// WriteTokens are the bearer tokens that may write. Empty means writes
	// are off (403), never open.
	WriteTokens []Token
	// ReadTokens, when set, make reads need a token (a write token also
	// reads). Empty means reads are public.
	ReadTokens []Token
	// WriteLimits bound what one write request may carry; zero fields take the
	// defaults of DefaultLimits.
	WriteLimits Limits
	// Audit receives one line per applied write (who, when, which graph,
	// quads added and removed); nil means the request logger.
	Audit *slog.Logger
	// ParseProfile, when set, accepts bodies in the profile template text
	// (ProfileMediaType): it returns the quads of the text (their graph is
	// replaced by the request's), or an error (a located *rdfio.SyntaxError
	// for text off the template).
	ParseProfile func(r io.Reader) ([]quad.Quad, error)
	// ReadOnly makes the server refuse every write (readonly.go), as one
	// serving a hot standby must.
	ReadOnly bool
	// PrimaryURL is the base URL of the read-write server, named in a
	// read-only server's refusals and replica-behind answers.
	PrimaryURL string
	// MaxReplicaLag is how far behind its primary a hot standby may be
	// before /readyz answers 503; zero means DefaultMaxReplicaLag.
	MaxReplicaLag time.Duration
	// CacheMaxAge is the max-age of cacheable answers: zero means
	// DefaultCacheMaxAge, negative means no-cache (caches revalidate every
	// time). CacheStale, when positive, adds stale-while-revalidate.
	CacheMaxAge, CacheStale time.Duration
	// MinGenerationWait bounds how long a request with
	// Innograph-Min-Generation waits for the store; zero means
	// DefaultMinGenerationWait.
	MinGenerationWait time.Duration
	// TrustedProxies lists the addresses or CIDR ranges of proxies whose
	// X-Forwarded-For and X-Forwarded-Proto are believed (the audit log's
	// client address, the scheme of served links). Empty means none: the
	// connection's own address is logged, whatever a client claims.
	TrustedProxies []string
	// Gizmo turns on POST /api/v1/query/gizmo. Off by default: the
	// JavaScript runtime can be interrupted at the deadline, but not while
	// a built-in (a string repeat, a sort, a backtracking regular
	// expression) runs, and nothing bounds the memory a script allocates,
	// so one script can exhaust the process. Turn it on for trusted
	// readers only.
	Gizmo bool
	// MaxScripts bounds the Gizmo and GraphQL queries that run at once;
	// more get 503 with Retry-After. Zero means DefaultMaxScripts.
	MaxScripts int
	// MaxExports bounds the whole-graph reads and exports that run at once
	// (each holds a spool file or a store iterator); more get 503 with
	// Retry-After. Zero means DefaultMaxExports.
	MaxExports int
	// SpoolDir is where whole-graph reads are spooled before they are
	// sent; empty means the system's temporary directory.
	SpoolDir string
	// Timeouts bound connections, response writes and write bodies; zero
	// fields take DefaultTimeouts. They take effect through HTTPServer
	// (header, idle) and the server's own handlers (write, progress, body).
	Timeouts Timeouts
	// Metrics is the Prometheus registry GET /metrics serves and the HTTP
	// instruments register with; pass the one the store's metrics went to
	// (graph.Config.Metrics). Nil means a registry of the server's own.
	Metrics *prometheus.Registry
}

// DefaultMaxScripts is the number of Gizmo and GraphQL queries that run at
// once when Config gives none.
const DefaultMaxScripts = 2

// DefaultMaxExports is the number of whole-graph reads and exports that
// run at once when Config gives none.
const DefaultMaxExports = 4

// DefaultQueryTimeout is the query timeout when Config gives none.
const DefaultQueryTimeout = 10 * time.Second

func (c Config) queryTimeout() time.Duration {
	if c.QueryTimeout <= 0 {
		return DefaultQueryTimeout
	}
	return c.QueryTimeout
}

func (c Config) corsOrigins() []string {
	if len(c.CORSOrigins) == 0 {
		return []string{"*"}
	}
	return c.CORSOrigins
}

// Server serves the HTTP API over one store.
type Server struct {
	cfg    Config
	store  *graph.Store
	log    *slog.Logger
	engine *gin.Engine
	// readTokens are the tokens accepted for reads: read and write tokens.
	readTokens  []Token
	audit       *slog.Logger
	httpMetrics *httpMetrics
	// ld is the linked-data side, which path answers share.
	ld *linkedData
	// scripts holds one token per running Gizmo or GraphQL query.
	scripts chan struct{}
	// exports holds one token per running whole-graph read or export.
	exports chan struct{}
	// inflight counts the requests being handled (Drain waits for them).
	inflight sync.WaitGroup
	// lastChange is when a write through this server last changed the
	// graph (Unix nanoseconds), 0 before the first; GET /api/v1/stats
	// reports it.
	lastChange atomic.Int64
	// outs keeps the writers of JSON path answers between requests
	// (answer.go).
	outs sync.Pool
	// formats are the representations of a path answer (answerFormats),
	// listed once rather than per answer.
	formats []rdfio.Format
}

const requestIDKey = "request_id"

// New builds a Server. The logger receives one line per request.
func New(cfg Config, store *graph.Store, log *slog.Logger) *Server {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	// Only configured proxies are believed; gin's default believes anyone.
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		panic(fmt.Sprintf("api: Config.TrustedProxies: %v", err)) // the caller checks the list first
	}
	cfg.WriteLimits = cfg.WriteLimits.withDefaults()
	cfg.Timeouts = cfg.Timeouts.withDefaults()
	if cfg.MaxScripts <= 0 {
		cfg.MaxScripts = DefaultMaxScripts
	}
	if cfg.MaxExports <= 0 {
		cfg.MaxExports = DefaultMaxExports
	}
	reg := cfg.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s := &Server{cfg: cfg, store: store, log: log, engine: e, audit: cfg.Audit, httpMetrics: newHTTPMetrics(reg), formats: answerFormats()}
	s.exports = make(chan struct{}, cfg.MaxExports)
	s.scripts = make(chan struct{}, cfg.MaxScripts)
	if s.audit == nil {
		s.audit = log
	}
	s.readTokens = append(append([]Token(nil), cfg.ReadTokens...), cfg.WriteTokens...)
	// The ontology and its shapes are parsed once, for the vocabulary
	// pages (ld.go); the store holds its own validator.
	onto, shapes, err := graph.Vocabulary()
	if err != nil {
		panic(fmt.Sprintf("api: the embedded ontology and shapes do not load: %v", err)) // fixed at build time
	}
	s.ld = newLinkedData(s, onto, shapes)
	e.Use(s.track, s.instrument, s.requestLog, s.recover, s.checkFraming, s.cors, s.cache, s.checkQuery, s.readAuth, s.refuseWrites)
	s.routes()
	return s
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// requestLog assigns the request its own id (a client's X-Request-Id is
// logged beside it as client_request_id, never instead, so that no client
// can make two writes share an id in the audit log) and logs one
// structured line per request, with secrets in the query string redacted.
func (s *Server) requestLog(c *gin.Context) {
	start := time.Now()
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Set(requestIDKey, id)
	client := clientRequestID(c.GetHeader("X-Request-Id"))
	c.Set(clientRequestIDKey, client)
	c.Header("X-Request-Id", id)
	c.Next()
	sent(c)
	// Typed attributes: the line is written after the answer, but on the
	// connection's goroutine, before it reads the next request.
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "request",
		slog.String("request_id", id),
		slog.String("client_request_id", client),
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.String("query", redactQuery(c.Request.URL.RawQuery)),
		slog.Int("status", c.Writer.Status()),
		slog.Int("bytes", c.Writer.Size()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("remote", c.ClientIP()),
		slog.String("token", c.GetString(tokenIDKey)),
	)
}

// sent puts a complete answer on the wire before the request is logged,
// so the client does not wait for the log line: one whose Content-Length
// was set and whose body has been written whole (the path answers,
// answer.go). Any other answer is left to net/http, which sends a short
// one with a length it works out once the handler returns; flushing it
// here would make it chunked, with a terminating chunk still to come.
func sent(c *gin.Context) {
	n, err := strconv.Atoi(c.Writer.Header().Get("Content-Length"))
	if err == nil && n == c.Writer.Size() {
		c.Writer.Flush()
	}
}

const clientRequestIDKey = "client_request_id"

// clientRequestID is a client's X-Request-Id as it may be logged: at most
// 64 printable ASCII characters, else nothing.
func clientRequestID(v string) string {
	if len(v) > 64 {
		return ""
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x21 || v[i] > 0x7e {
			return ""
		}
	}
	return v
}

// secretParams are query parameters that carry secrets (RFC 6750's
// access_token, and the names clients commonly use); their values never
// reach a log.
var secretParams = map[string]bool{"access_token": true, "token": true, "api_key": true, "apikey": true, "key": true, "password": true, "secret": true}

// redactQuery replaces the values of secret parameters in a raw query
// string with "REDACTED", leaving the rest as sent.
func redactQuery(raw string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if secretParams[strings.ToLower(name)] && hasValue {
			parts[i] = k + "=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}

// recover turns a panic in a handler into a 500 problem instead of a dropped
// connection.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.writeError(c, graph.Errorf("handle request", graph.Internal, "panic: %v", v))
		}
	}()
	c.Next()
}
