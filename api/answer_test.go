package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/ontology"
)

// answerPath is a path of a JSON path answer: node IDs and the edges
// between them.
type answerPath struct {
	Nodes []string `json:"nodes"`
	Edges []struct {
		Predicate string          `json:"predicate"`
		Direction graph.Direction `json:"direction"`
	} `json:"edges"`
}

// answerDoc is every member a JSON path answer may have.
type answerDoc struct {
	Pairs []struct {
		From  struct{ ID string } `json:"from"`
		To    struct{ ID string } `json:"to"`
		Paths []answerPath        `json:"paths"`
	} `json:"pairs"`
	Matches []struct {
		Nodes []string   `json:"nodes"`
		Path  answerPath `json:"path"`
	} `json:"matches"`
	Paths []answerPath `json:"paths"`
	Nodes []graph.Node `json:"nodes"`
	Hops  *int         `json:"hops"`
	Next  string       `json:"next"`
}

// TestAnswerShape checks the JSON path answers: paths name nodes by ID,
// and every node named is described once in the answer's nodes list.
func TestAnswerShape(t *testing.T) {
	srv, _ := newServer(t, ecosystem()...)
	id := func(s string) string { return ontology.IDBase + s }
	threeStep := `{"start":{"type":"Company"},"steps":[
		{"predicates":["memberOf"],"type":"BusinessCluster"},
		{"predicates":["memberOf"],"type":"InnovationNetwork"},
		{"predicates":["memberOf"],"direction":"in","type":"University"}]`
	for name, c := range map[string]call{
		"connections": {path: "/api/v1/connections?from=University&to=BusinessCluster&through=org/net"},
		"shortest":    {path: "/api/v1/shortest-path?from=org/company&to=org/aarhus-universitet"},
		"paths":       {method: "POST", path: "/api/v1/paths", body: threeStep + `}`},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := c.do(t, srv.URL)
			if resp.StatusCode != 200 {
				t.Fatalf("%s = %d %s", c.path, resp.StatusCode, body)
			}
			var doc answerDoc
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatalf("answer is not JSON: %v\n%s", err, body)
			}
			var named []string
			var paths []answerPath
			paths = append(paths, doc.Paths...)
			for _, p := range doc.Pairs {
				named = append(named, p.From.ID, p.To.ID)
				paths = append(paths, p.Paths...)
			}
			for _, m := range doc.Matches {
				named = append(named, m.Nodes...)
				paths = append(paths, m.Path)
			}
			for _, p := range paths {
				if len(p.Edges) != len(p.Nodes)-1 {
					t.Errorf("path %+v: %d edges for %d nodes", p, len(p.Edges), len(p.Nodes))
				}
				named = append(named, p.Nodes...)
			}
			table := map[string]graph.Node{}
			for _, n := range doc.Nodes {
				if _, dup := table[n.ID]; dup {
					t.Errorf("node %s described twice", n.ID)
				}
				table[n.ID] = n
			}
			if len(paths) == 0 {
				t.Fatalf("no paths in %s", body)
			}
			for _, n := range named {
				if _, ok := table[n]; !ok {
					t.Errorf("node %s is named but not described in %s", n, body)
				}
			}
			if len(table) != len(slices.Compact(slices.Sorted(slices.Values(named)))) {
				t.Errorf("nodes list has %d nodes, the paths name %v", len(table), named)
			}
			if au, ok := table[id("org/aarhus-universitet")]; !ok || au.Label != "Århus Universitet" || !slices.Equal(au.Types, []string{ontology.NS + "University"}) {
				t.Errorf("aarhus-universitet described as %+v", au)
			}
		})
	}

	// The end nodes form: the distinct nodes where matches end.
	resp, body := call{method: "POST", path: "/api/v1/paths", body: `{"start":{"ids":["org/aarhus-universitet","org/cluster"]},"steps":[{"predicates":["memberOf"]}],"result":"nodes"}`}.do(t, srv.URL)
	var doc answerDoc
	if resp.StatusCode != 200 || json.Unmarshal(body, &doc) != nil || len(doc.Nodes) != 1 || doc.Nodes[0].ID != id("org/net") || doc.Nodes[0].Label != "Net" || doc.Matches != nil {
		t.Errorf(`result "nodes" = %d %s, want the one end node, described`, resp.StatusCode, body)
	}
}

// TestAnswerPages follows every page of a pattern and of connections one
// at a time and checks they join up to the one-page answer.
func TestAnswerPages(t *testing.T) {
	srv, _ := newServer(t, ecosystem()...)
	pattern := func(limit int, cursor string) call {
		return call{method: "POST", path: "/api/v1/paths", body: fmt.Sprintf(`{"start":{"type":"InnovationNetwork"},"steps":[{"direction":"both","repeat":{"min":1,"max":3}}],"limit":%d,"cursor":%q}`, limit, cursor)}
	}
	pages := func(next func(cursor string) call, items func(answerDoc) []string) (all []string, n int) {
		cursor := ""
		for ; ; n++ {
			resp, body := next(cursor).do(t, srv.URL)
			var doc answerDoc
			if resp.StatusCode != 200 || json.Unmarshal(body, &doc) != nil {
				t.Fatalf("page %d = %d %s", n, resp.StatusCode, body)
			}
			all = append(all, items(doc)...)
			if cursor = doc.Next; cursor == "" {
				return all, n + 1
			}
		}
	}
	matches := func(d answerDoc) (out []string) {
		for _, m := range d.Matches {
			out = append(out, strings.Join(m.Path.Nodes, " "))
		}
		return out
	}
	whole, _ := pages(func(c string) call { return pattern(1000, c) }, matches)
	paged, n := pages(func(c string) call { return pattern(1, c) }, matches)
	if len(whole) < 4 || n != len(whole) || !slices.Equal(paged, whole) {
		t.Errorf("pattern paged one match at a time (%d pages) = %q, want %q", n, paged, whole)
	}
}

// TestForgedCursor: a cursor edited by a client, such as the old offset
// form with an offset that overflowed (issue 18), is a 400 problem.
func TestForgedCursor(t *testing.T) {
	srv, _ := newServer(t, ecosystem()...)
	for _, c := range []string{
		base64.RawURLEncoding.EncodeToString([]byte(`{"k":"connections","q":1,"o":9223372036854775807}`)),
		base64.RawURLEncoding.EncodeToString([]byte(`{"k":"connections","q":1,"a":["x","y"],"s":1}`)),
		"eyJrIjoicGF0aHMifQ",
		strings.Repeat("QUFB", 30000),
	} {
		path := "/api/v1/connections?from=University&to=BusinessCluster&limit=1&cursor=" + url.QueryEscape(c)
		resp, body := call{path: path}.do(t, srv.URL)
		var p problem
		if resp.StatusCode != 400 || json.Unmarshal(body, &p) != nil || p.Status != 400 || !strings.Contains(p.Detail, "cursor") {
			t.Errorf("connections with cursor %.40s... = %d %s, want a 400 problem about the cursor", c, resp.StatusCode, body)
		}
	}
}

// TestAnswerDecodes reads the JSON answers back into graph's types and
// checks they hold what the store's methods return: the nodes list fills
// in every node a path names by ID.
func TestAnswerDecodes(t *testing.T) {
	srv, store := newServer(t, ecosystem()...)
	ctx := t.Context()
	id := func(s string) string { return ontology.IDBase + s }
	ns := func(s string) string { return ontology.NS + s }
	check := func(c call, got, want any) {
		t.Helper()
		resp, body := c.do(t, srv.URL)
		if resp.StatusCode != 200 {
			t.Fatalf("%s = %d %s", c.path, resp.StatusCode, body)
		}
		if err := json.Unmarshal(body, got); err != nil {
			t.Fatalf("%s: decode %s: %v", c.path, body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s decodes to\n%+v\nwant\n%+v", c.path, got, want)
		}
	}
	conn, err := store.Connections(ctx, graph.ConnectionQuery{From: ns("University"), To: ns("BusinessCluster"), Through: id("org/net")})
	if err != nil {
		t.Fatal(err)
	}
	check(call{path: "/api/v1/connections?from=University&to=BusinessCluster&through=org/net"}, &graph.ConnectionPage{}, &conn)
	sp, err := store.ShortestPaths(ctx, graph.ShortestQuery{From: id("org/company"), To: id("org/aarhus-universitet")})
	if err != nil {
		t.Fatal(err)
	}
	check(call{path: "/api/v1/shortest-path?from=org/company&to=org/aarhus-universitet"}, &graph.ShortestResult{}, &sp)
	for _, form := range []graph.ResultForm{graph.Tuples, graph.EndNodes, graph.Subgraphs} {
		p := graph.Pattern{Start: graph.Start{Type: ns("Company")}, Steps: []graph.Step{{Predicates: []string{ns("memberOf")}, Repeat: &graph.Repeat{Min: 1, Max: 2}}}, Result: form}
		want, err := store.Paths(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(p)
		check(call{method: "POST", path: "/api/v1/paths", body: string(body)}, &graph.PatternResult{}, &want)
	}
}
