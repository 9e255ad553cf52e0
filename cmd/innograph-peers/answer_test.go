package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetAnswer(t *testing.T) {
	a := setAnswer([]string{"b", "a", "b", "c"})
	if got := fmt.Sprint(a.Items); got != "[a b c]" || a.Total != 3 {
		t.Errorf("setAnswer = %v (total %d), want [a b c] (3)", got, a.Total)
	}
	if h := hopsAnswer(4); h.Total != 4 || h.equal(hopsAnswer(5)) || !h.equal(hopsAnswer(4)) {
		t.Errorf("hopsAnswer(4) = %+v compares wrongly", h)
	}
	if hopsAnswer(-1).equal(setAnswer(nil)) {
		t.Error("no path equals an empty set")
	}
}

func TestDiff(t *testing.T) {
	cases := []struct {
		a, b []string
		want string
	}{
		{[]string{"a", "b"}, []string{"a", "b"}, "no difference"},
		{[]string{"a", "b", "c"}, []string{"b"}, "2 only from A (a, c)"},
		{[]string{"b"}, []string{"a", "b", "d"}, "2 only from B (a, d)"},
		{[]string{"a", "c"}, []string{"b", "c"}, "1 only from A (a); 1 only from B (b)"},
		{[]string{"1", "2", "3", "4", "5", "6", "7"}, nil, "7 only from A (1, 2, 3, 4, 5 and 2 more)"},
	}
	for _, c := range cases {
		if got := setAnswer(c.a).diff(setAnswer(c.b), "A", "B"); got != c.want {
			t.Errorf("diff(%v, %v) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// The two documents are answers as Oxigraph and Virtuoso write them.
func TestSPARQLResults(t *testing.T) {
	oxigraph := `{"head":{"vars":["x","y"]},"results":{"bindings":[
		{"x":{"type":"uri","value":"http://a/2"},"y":{"type":"uri","value":"http://b/1"}},
		{"x":{"type":"uri","value":"http://a/1"},"y":{"type":"bnode","value":"b0"}},
		{"x":{"type":"uri","value":"http://a/1"},"y":{"type":"literal","value":"x","xml:lang":"en"}}]}}`
	virtuoso := `
{ "head": { "link": [], "vars": ["x", "y"] },
  "results": { "distinct": false, "ordered": true, "bindings": [
    { "x": { "type": "uri", "value": "http://a/1" }	, "y": { "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "4" }},
    { "x": { "type": "uri", "value": "http://a/2" }	, "y": { "type": "uri", "value": "http://b/1" }} ] } }`
	cases := []struct {
		name, doc string
		vars      []string
		want      string
		err       string
	}{
		{"oxigraph", oxigraph, []string{"x", "y"}, `[http://a/1 "x"@en http://a/1 _:b0 http://a/2 http://b/1]`, ""},
		{"virtuoso", virtuoso, []string{"x", "y"}, `[http://a/1 "4"^^<http://www.w3.org/2001/XMLSchema#integer> http://a/2 http://b/1]`, ""},
		{"one variable", virtuoso, []string{"x"}, `[http://a/1 http://a/2]`, ""},
		{"unbound", oxigraph, []string{"z"}, "", "without ?z"},
		{"boolean", `{"head":{},"boolean":true}`, []string{"x"}, "", "boolean"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r sparqlResults
			if err := json.Unmarshal([]byte(c.doc), &r); err != nil {
				t.Fatal(err)
			}
			a, err := r.items(c.vars...)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("items = %v, %v; want an error saying %q", a.Items, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(a.Items); got != c.want {
				t.Errorf("items = %s, want %s", got, c.want)
			}
		})
	}
}

func TestGroupAnswers(t *testing.T) {
	x, y := setAnswer([]string{"a"}), setAnswer([]string{"b"})
	cases := []struct {
		ans  []answer
		ok   []bool
		want string
	}{
		{[]answer{x, x, x}, []bool{true, true, true}, "[[0 1 2]]"},
		{[]answer{x, y, x}, []bool{true, true, true}, "[[0 2] [1]]"},
		{[]answer{y, x, x}, []bool{true, true, true}, "[[0] [1 2]]"},
		{[]answer{{}, y, x}, []bool{false, true, true}, "[[1] [2]]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(groupAnswers(c.ans, c.ok)); got != c.want {
			t.Errorf("groupAnswers(%v, %v) = %s, want %s", c.ans, c.ok, got, c.want)
		}
	}
}

func TestLatencies(t *testing.T) {
	l := &latencies{Reps: [][]float64{{3, 1, 2}, {10, 30, 20, 40}}}
	l.summarise()
	// p50 of each repetition, and p50 / p99 of all seven values, taken at
	// (n-1)*p/100 as the path benchmarks do.
	if fmt.Sprint(l.RepP50) != "[2 20]" || l.P50 != 10 || l.P99 != 30 {
		t.Errorf("summarise: RepP50 %v, P50 %v, P99 %v; want [2 20], 10, 30", l.RepP50, l.P50, l.P99)
	}
	other := &latencies{RepP50: []float64{1, 40, 7}}
	if got := fmt.Sprint(ratios(l, other)); got != "[2 0.5]" {
		t.Errorf("ratios = %s, want [2 0.5]", got)
	}
	q := &questionResult{}
	md := &mode{Latency: map[string]*latencies{"a": l, "b": other}}
	if got := q.ratioCell(md, "a", "b"); got != "1.25 (0.50–2.00)" {
		t.Errorf("ratioCell = %q", got)
	}
}

func TestParseStatus(t *testing.T) {
	doc := "Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t  5000 kB\nVmRSS:\t  4000 kB\nRssAnon:\t  3000 kB\nRssFile:\t 1000 kB\n"
	m, err := parseStatus([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if m != (memory{RSS: 4000 << 10, Anon: 3000 << 10, Peak: 5000 << 10}) {
		t.Errorf("parseStatus = %+v", m)
	}
	if _, err := parseStatus([]byte("VmRSS:\t4000 kB\n")); err == nil {
		t.Error("parseStatus of a status without VmHWM did not fail")
	}
}

func TestVirtuosoINI(t *testing.T) {
	dir := filepath.Join("/tmp", "run-1", "virtuoso")
	ini := virtuosoINI(dir, "/data/peers", 12345, 23456, 2, 20000)
	for _, want := range []string{
		"ServerPort           = 127.0.0.1:12345",
		"ServerPort           = 127.0.0.1:23456",
		"DatabaseFile       = " + filepath.Join(dir, "virtuoso.db"),
		"DatabaseFile       = " + filepath.Join(dir, "virtuoso-temp.db"),
		"DirsAllowed          = ., /data/peers",
		"NumberOfBuffers      = 20000",
		"MaxDirtyBuffers      = 15000",
		"ResultSetMaxRows           = 1000000000",
		"MaxQueryExecutionTime      = 0",
	} {
		if !strings.Contains(ini, want+"\n") {
			t.Errorf("virtuoso.ini lacks %q:\n%s", want, ini)
		}
	}
	// Every file it names is in the run's directory, every port on loopback.
	for _, line := range strings.Split(ini, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, dir) && !strings.HasPrefix(strings.TrimSpace(k), "DirsAllowed") {
			t.Errorf("virtuoso.ini names a file outside %s: %s", dir, line)
		}
		if strings.TrimSpace(k) == "ServerPort" && !strings.HasPrefix(v, "127.0.0.1:") {
			t.Errorf("virtuoso.ini listens beyond loopback: %s", line)
		}
	}
	if got := virtuosoLoad("/d/it's", "gen.nq"); !strings.Contains(got, "ld_dir('/d/it''s', 'gen.nq',") || !strings.Contains(got, "rdf_loader_run(); checkpoint;") {
		t.Errorf("virtuosoLoad = %s", got)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 991369: "991,369", 12345678: "12,345,678", -4200: "-4,200"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %s, want %s", n, got, want)
		}
	}
}
