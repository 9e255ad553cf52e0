package api

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/prometheus/client_golang/prometheus"
)

// Config configures the HTTP interface.
type Config struct {
	// BaseURL is the public base of entity IRIs served here, e.g.
	// "https://w3id.org/innograph/". Empty means the ontology's default.
	BaseURL string
	// CORSOrigins lists the origins allowed to read from a browser; empty
	// means every origin ("*").
	CORSOrigins []string
	// Metrics is the Prometheus registry GET /metrics serves and the HTTP
	// instruments register with; pass the one the store's metrics went to
	// (graph.Config.Metrics). Nil means a registry of the server's own.
	Metrics *prometheus.Registry
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

	httpMetrics *httpMetrics
}

const requestIDKey = "request_id"

// New builds a Server. The logger receives one line per request.
func New(cfg Config, store *graph.Store, log *slog.Logger) *Server {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	reg := cfg.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s := &Server{cfg: cfg, store: store, log: log, engine: e, httpMetrics: newHTTPMetrics(reg)}
	e.Use(s.instrument, s.requestLog, s.recover, s.cors)
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
