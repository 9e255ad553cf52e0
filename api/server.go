package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
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
	// Metrics is the Prometheus registry GET /metrics serves and the HTTP
	// instruments register with; pass the one the store's metrics went to
	// (graph.Config.Metrics). Nil means a registry of the server's own.
	Metrics *prometheus.Registry
}

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
	validator   *graph.Validator
	httpMetrics *httpMetrics
	// ld is the linked-data side, which path answers share.
	ld *linkedData
}

const requestIDKey = "request_id"

// New builds a Server. The logger receives one line per request.
func New(cfg Config, store *graph.Store, log *slog.Logger) *Server {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	cfg.WriteLimits = cfg.WriteLimits.withDefaults()
	reg := cfg.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s := &Server{cfg: cfg, store: store, log: log, engine: e, audit: cfg.Audit, httpMetrics: newHTTPMetrics(reg)}
	if s.audit == nil {
		s.audit = log
	}
	s.readTokens = append(append([]Token(nil), cfg.ReadTokens...), cfg.WriteTokens...)
	v, err := graph.NewValidator()
	if err != nil {
		panic(fmt.Sprintf("api: the embedded ontology shapes do not load: %v", err)) // fixed at build time
	}
	s.validator = v
	e.Use(s.instrument, s.requestLog, s.recover, s.cors, s.cache, s.readAuth, s.refuseWrites)
	s.routes()
	return s
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// requestLog assigns a request id and logs one structured line per request.
func (s *Server) requestLog(c *gin.Context) {
	start := time.Now()
	id := c.GetHeader("X-Request-Id")
	if id == "" || len(id) > 64 {
		var b [8]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(requestIDKey, id)
	c.Header("X-Request-Id", id)
	c.Next()
	s.log.Info("request",
		"request_id", id,
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"query", c.Request.URL.RawQuery,
		"status", c.Writer.Status(),
		"bytes", c.Writer.Size(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"remote", c.ClientIP(),
		"token", c.GetString(tokenIDKey),
	)
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
