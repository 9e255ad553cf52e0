package main

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestServeMetricsAndSize: the real server's /metrics carries the process,
// store and HTTP metrics of one registry (the seed load counted), and
// /api/v1/stats reports the bolt file's size.
func TestServeMetricsAndSize(t *testing.T) {
	s := startServer(t, "-data", filepath.Join(t.TempDir(), "data"))
	var st struct {
		Quads     int64 `json:"quads"`
		SizeBytes int64 `json:"sizeBytes"`
		Classes   []struct {
			Class    string `json:"class"`
			Entities int64  `json:"entities"`
		} `json:"classes"`
	}
	if code := getJSON(t, s.url+"/api/v1/stats", &st); code != http.StatusOK {
		t.Fatalf("GET /api/v1/stats = %d", code)
	}
	if st.Quads == 0 || st.SizeBytes < 32<<10 || len(st.Classes) == 0 {
		t.Errorf("stats = %d quads, %d bytes, %d classes; want the seed graph's quads and classes in a bolt file of at least 32 KiB", st.Quads, st.SizeBytes, len(st.Classes))
	}
	resp, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	loaded := regexp.MustCompile(`(?m)^innograph_quads_loaded_total (\d+)$`).FindSubmatch(body)
	if loaded == nil {
		t.Fatalf("/metrics lacks innograph_quads_loaded_total:\n%s", body)
	}
	if n, _ := strconv.ParseInt(string(loaded[1]), 10, 64); n < st.Quads {
		t.Errorf("innograph_quads_loaded_total = %d, want at least the %d seed quads", n, st.Quads)
	}
	for _, want := range []string{
		`innograph_http_requests_total{method="GET",route="/api/v1/stats",status="200"} 1`,
		`innograph_store_operation_duration_seconds_count{op="read quads"}`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).Match(body) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
