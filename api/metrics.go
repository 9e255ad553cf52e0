package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpMetrics count and time requests per route. Routes are gin's route
// patterns (c.FullPath(), e.g. /api/v1/entities/:id), never raw paths, so a
// crawler cannot grow the label set; requests no route matched share the
// route "unmatched".
type httpMetrics struct {
	requests *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
	handler  http.Handler // serves the registry in Prometheus' text format
}

// newHTTPMetrics registers the HTTP instruments with reg, reusing ones
// already there (two servers over one registry count together).
func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "innograph",
		Subsystem: "http",
		Name:      "requests_total",
		Help:      "HTTP requests answered, by method, route pattern and status.",
	}, []string{"method", "route", "status"})
	seconds := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "innograph",
		Subsystem: "http",
		Name:      "request_duration_seconds",
		Help:      "Time to answer an HTTP request, by method and route pattern.",
		Buckets:   []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route"})
	return &httpMetrics{
		requests: register(reg, requests).(*prometheus.CounterVec),
		seconds:  register(reg, seconds).(*prometheus.HistogramVec),
		handler:  promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
	}
}

// register adds c to reg, or returns the equal collector reg already has.
func register(reg *prometheus.Registry, c prometheus.Collector) prometheus.Collector {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		return are.ExistingCollector
	}
	if err != nil {
		// Only a programming error gets here: a name clash with a
		// different help text or labels.
		panic("api: register metrics: " + err.Error())
	}
	return c
}

// instrument is the middleware that records every request.
func (s *Server) instrument(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	method := methodLabel(c.Request.Method)
	s.httpMetrics.seconds.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	s.httpMetrics.requests.WithLabelValues(method, route, strconv.Itoa(c.Writer.Status())).Inc()
}

// metrics serves the registry: HTTP, store and whatever the process added.
func (s *Server) metrics(c *gin.Context) {
	s.httpMetrics.handler.ServeHTTP(c.Writer, c.Request)
}
