package api_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/ontology"
)

var (
	hrefRE = regexp.MustCompile(`href="([^"]*)"`)
	idRE   = regexp.MustCompile(`id="([^"]*)"`)
)

// TestCrawlPages fetches the HTML page of every seed entity (every subject
// under the published namespace) and follows every link on it that stays
// on this server: each must answer 200 (after /id's 303), and each
// fragment must name an element of its page. Links off the server (web
// sites, W3C vocabularies) are not followed: the test uses no network.
func TestCrawlPages(t *testing.T) {
	srv, store := seedServer(t, api.Config{})
	var entities []string
	seen := map[quad.Value]bool{}
	if err := store.EachQuad(context.Background(), graph.Selection{}, func(q quad.Quad) error {
		if iri, ok := q.Subject.(quad.IRI); ok && !seen[iri] && strings.HasPrefix(string(iri), ontology.IDBase) {
			seen[iri] = true
			entities = append(entities, "/doc/"+strings.TrimPrefix(string(iri), ontology.IDBase))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(entities)
	if len(entities) < 300 {
		t.Fatalf("only %d seed entities found", len(entities))
	}
	type page struct {
		status int
		ids    map[string]bool
	}
	pages := map[string]page{}
	load := func(path string) page {
		if p, ok := pages[path]; ok {
			return p
		}
		resp, body := fetch(t, "GET", srv.URL+path, map[string]string{"Accept": "text/html"})
		p := page{status: resp.StatusCode, ids: map[string]bool{}}
		if resp.StatusCode == http.StatusSeeOther {
			p = pageAt(t, srv.URL, resp.Header.Get("Location"))
		} else {
			for _, m := range idRE.FindAllStringSubmatch(string(body), -1) {
				p.ids[html.UnescapeString(m[1])] = true
			}
		}
		pages[path] = p
		return p
	}
	links, dead := 0, 0
	for _, e := range entities {
		p := load(e)
		if p.status != 200 {
			t.Errorf("GET %s = %d", e, p.status)
			continue
		}
		resp, body := fetch(t, "GET", srv.URL+e, map[string]string{"Accept": "text/html"})
		resp.Body.Close()
		for _, m := range hrefRE.FindAllStringSubmatch(string(body), -1) {
			href := html.UnescapeString(m[1])
			if !strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "#") {
				continue // off this server
			}
			links++
			path, frag, _ := strings.Cut(href, "#")
			target := p
			if path != "" {
				target = load(path)
			}
			switch {
			case target.status != 200:
				t.Errorf("%s links to %s: %d", e, href, target.status)
				dead++
			case frag != "" && !target.ids[frag]:
				t.Errorf("%s links to %s: no element with that id", e, href)
				dead++
			}
		}
	}
	t.Logf("%d pages, %d links followed, %d dead", len(entities), links, dead)
}

// pageAt fetches the page a redirect points to and collects its ids.
func pageAt(t *testing.T, base, loc string) struct {
	status int
	ids    map[string]bool
} {
	resp, body := fetch(t, "GET", base+loc, map[string]string{"Accept": "text/html"})
	p := struct {
		status int
		ids    map[string]bool
	}{resp.StatusCode, map[string]bool{}}
	for _, m := range idRE.FindAllStringSubmatch(string(body), -1) {
		p.ids[html.UnescapeString(m[1])] = true
	}
	return p
}

// TestProblemTypesResolve follows the type of problems to the page that
// explains it, on the server that sent it; and the favicon is served.
func TestProblemTypesResolve(t *testing.T) {
	srv, _ := seedServer(t, api.Config{})
	for _, tc := range []struct{ method, path, accept string }{
		{"GET", "/doc/org/nobody-at-all", "text/turtle"},
		{"GET", "/doc/region/dk04", "image/png"},
		{"GET", "/api/v1/entities?cursor=zzz", ""},
		{"POST", "/api/v1/paths", ""},
		{"DELETE", "/healthz", ""},
	} {
		resp, body := fetch(t, tc.method, srv.URL+tc.path, map[string]string{"Accept": tc.accept})
		p := problemOf(t, resp, body)
		if !strings.HasPrefix(p.Type, srv.URL+"/problems/") {
			t.Errorf("%s %s: problem type %q is not a page of this server", tc.method, tc.path, p.Type)
			continue
		}
		page, text := fetch(t, "GET", p.Type, nil)
		if page.StatusCode != 200 || !strings.Contains(string(text), http.StatusText(p.Status)) {
			t.Errorf("%s %s: type %s = %d, want a page explaining %d", tc.method, tc.path, p.Type, page.StatusCode, p.Status)
		}
	}
	if resp, _ := fetch(t, "GET", srv.URL+"/favicon.ico", nil); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
