package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// TestMetrics requests a few routes, then reads GET /metrics with
// Prometheus' own parser: requests are counted per route pattern (never per
// raw path) and status, timed per route, and the store's operations and
// loaded quads appear beside them.
func TestMetrics(t *testing.T) {
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	store, err := graph.Open(ctx, graph.Config{Backend: graph.Memory, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Write(ctx, func(b *graph.Batch) error {
		b.Add(quad.Quad{Subject: quad.IRI("https://example.org/a"), Predicate: quad.IRI("https://example.org/p"), Object: quad.String("x")})
		b.Add(quad.Quad{Subject: quad.IRI("https://example.org/b"), Predicate: quad.IRI("https://example.org/p"), Object: quad.String("y")})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Metrics: reg}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	for _, path := range []string{"/api/v1/stats", "/api/v1/stats", "/healthz", "/no/such/thing/1", "/no/such/thing/2"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	var parser expfmt.TextParser
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("GET /metrics is not Prometheus text format: %v", err)
	}

	counter := func(name string, labels map[string]string) (float64, bool) {
		for _, m := range metricsOf(families, name) {
			if hasLabels(m, labels) {
				return m.GetCounter().GetValue(), true
			}
		}
		return 0, false
	}
	for _, tc := range []struct {
		labels map[string]string
		want   float64
	}{
		{map[string]string{"method": "GET", "route": "/api/v1/stats", "status": "200"}, 2},
		{map[string]string{"method": "GET", "route": "/healthz", "status": "200"}, 1},
		{map[string]string{"method": "GET", "route": "unmatched", "status": "404"}, 2},
	} {
		if got, ok := counter("innograph_http_requests_total", tc.labels); !ok || got != tc.want {
			t.Errorf("innograph_http_requests_total%v = %v (present %v), want %v", tc.labels, got, ok, tc.want)
		}
	}
	for _, m := range metricsOf(families, "innograph_http_requests_total") {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && (l.GetValue() == "/no/such/thing/1" || l.GetValue() == "/no/such/thing/2") {
				t.Errorf("a raw path became a route label: %v", m)
			}
		}
	}
	hist := func(name string, labels map[string]string) uint64 {
		for _, m := range metricsOf(families, name) {
			if hasLabels(m, labels) {
				return m.GetHistogram().GetSampleCount()
			}
		}
		return 0
	}
	if n := hist("innograph_http_request_duration_seconds", map[string]string{"method": "GET", "route": "/api/v1/stats"}); n != 2 {
		t.Errorf("request duration histogram for /api/v1/stats has %d samples, want 2", n)
	}
	if n := hist("innograph_store_operation_duration_seconds", map[string]string{"op": "write"}); n != 1 {
		t.Errorf("store write latency has %d samples, want 1", n)
	}
	if n := hist("innograph_store_operation_duration_seconds", map[string]string{"op": "read quads"}); n < 1 {
		t.Errorf("store read latency has %d samples, want at least the one of the first stats", n)
	}
	if got, ok := counter("innograph_quads_loaded_total", nil); !ok || got != 2 {
		t.Errorf("innograph_quads_loaded_total = %v (present %v), want 2", got, ok)
	}
}

func metricsOf(families map[string]*dto.MetricFamily, name string) []*dto.Metric {
	if f := families[name]; f != nil {
		return f.GetMetric()
	}
	return nil
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}

// TestMetricsInventedMethods: requests with invented methods on real and
// unknown paths add no series per method (issue 18: 20,000 requests grew
// 360,000 series); HEAD is answered wherever GET is.
func TestMetricsInventedMethods(t *testing.T) {
	reg := prometheus.NewRegistry()
	store, err := graph.Open(context.Background(), graph.Config{Backend: graph.Memory, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv := httptest.NewServer(api.New(api.Config{Metrics: reg}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	for i := 0; i < 40; i++ {
		for _, path := range []string{"/healthz", "/api/v1/stats", "/nothing"} {
			r, _ := http.NewRequest(fmt.Sprintf("M%dX", i), srv.URL+path, nil)
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	for _, path := range []string{"/healthz", "/readyz", "/api/v1/stats", "/api/v1/entities", "/api/v1/openapi.json", "/metrics"} {
		resp, err := http.Head(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s = %d, want 200", path, resp.StatusCode)
		}
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var parser expfmt.TextParser
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]bool{}
	for _, m := range families["innograph_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "method" {
				methods[l.GetValue()] = true
			}
		}
	}
	for m := range methods {
		switch m {
		case "GET", "HEAD", "other":
		default:
			t.Errorf("method label %q: invented methods must share one label", m)
		}
	}
	if n := len(families["innograph_http_requests_total"].GetMetric()); n > 20 {
		t.Errorf("%d request series after 120 invented-method requests, want a handful", n)
	}
}
