package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
)

// routes is the one route table.
func (s *Server) routes() {
	e := s.engine
	handleGet(e, "/healthz", s.healthz)
	handleGet(e, "/readyz", s.readyz)
	handleGet(e, "/metrics", s.metrics)
	handleGet(e, "/problems/:slug", s.problemPage)
	handleGet(e, "/favicon.ico", s.faviconHandler)

	v1 := e.Group("/api/v1")
	handleGet(v1, "/stats", s.stats)
	s.queryRoutes(v1)
	s.graphStoreRoutes(v1)
	s.sparqlRoutes(e)
	s.sparqlRoutes(v1)
	s.linkedDataRoutes()
	s.explorerRoutes()

	e.NoRoute(func(c *gin.Context) {
		s.writeError(c, &httpError{status: http.StatusNotFound, detail: "no resource at " + c.Request.URL.Path})
	})
	e.NoMethod(func(c *gin.Context) {
		s.writeError(c, &httpError{status: http.StatusMethodNotAllowed, detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path})
	})
}

// healthz answers while the process is up.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers when the store answers a read and, on a hot standby, is
// no further behind its primary than MaxReplicaLag.
func (s *Server) readyz(c *gin.Context) {
	if err := s.store.Ping(c.Request.Context()); err != nil {
		s.writeError(c, err)
		return
	}
	body := gin.H{"status": "ready", "generation": s.store.Generation(), "readOnly": s.cfg.ReadOnly}
	r, ok, err := s.store.Replication()
	if err != nil {
		s.writeError(c, err)
		return
	}
	if ok {
		body["replication"] = r
		if max := s.cfg.maxReplicaLag(); r.Standby && r.Lag > max {
			s.writeError(c, &httpError{status: http.StatusServiceUnavailable, typ: "replica-lag",
				detail: fmt.Sprintf("the hot standby this server reads is %.1f s behind its primary (%d bytes of WAL not replayed%s), more than the %s allowed (-max-replica-lag)",
					r.Lag.Seconds(), r.LagBytes, pausedNote(r.Paused), max)})
			return
		}
	}
	c.JSON(http.StatusOK, body)
}

func pausedNote(paused bool) string {
	if paused {
		return "; replay is paused"
	}
	return ""
}

// statsAnswer is the answer of GET /api/v1/stats: the store's statistics
// and, once a write through this server has changed the graph, when the
// last one did.
type statsAnswer struct {
	graph.Stats
	LastChange *time.Time `json:"lastChange,omitempty"`
}

// stats reports quads, subjects and quads per graph.
func (s *Server) stats(c *gin.Context) {
	st, err := s.store.Stats(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	a := statsAnswer{Stats: st}
	if ns := s.lastChange.Load(); ns != 0 {
		t := time.Unix(0, ns).UTC()
		a.LastChange = &t
	}
	c.JSON(http.StatusOK, a)
}
