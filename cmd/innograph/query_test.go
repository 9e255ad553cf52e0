package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

const (
	dht       = ontology.IDBase + "org/danish-healthtech"
	igMember  = ontology.NS + "memberOf"
	igHasPart = ontology.NS + "hasPart"
)

// TestCanonicalQuestion asks the seed graph, through the real command over
// HTTP, "which universities connect to which clusters through Danish
// HealthTech?" and pins the answer.
//
// The answer is all 20 pairs of the five universities and the four
// business clusters, because seeds/sources/001_bb9f916b7407f8e3.txt (the
// Danish HealthTech article, curated in seeds/graphs/danish-healthtech.trig)
// says of the network as a whole:
//   - "The national innovation network builds on four business clusters:
//     Welfare Tech, LifeScience Innovation North Denmark, MedTech Innovation
//     Consortium, and Copenhagen Healthtech Cluster." (each cluster
//     ig:memberOf Danish HealthTech, and Danish HealthTech ig:hasPart it);
//   - "The national collaboration includes: The Technical University of
//     Denmark, University of Copenhagen, University of Southern Denmark,
//     Aarhus University, and Aalborg University, ..." (each university
//     ig:memberOf Danish HealthTech).
//
// So every university meets every cluster in Danish HealthTech, and by two
// paths: university -memberOf-> DHT <-memberOf- cluster, and university
// -memberOf-> DHT -hasPart-> cluster. Nothing else qualifies: the other
// members are two innovation networks (MedTech Innovation, Welfare Tech
// Innovation Network) and two research and technology organisations, none
// of them a university or a cluster, and no other source mentions Danish
// HealthTech. Links that bypass the network (Aarhus University is a member
// of MTIC, Aalborg University founded LifeScience Innovation North
// Denmark) must not appear as paths: every path passes through DHT.
func TestCanonicalQuestion(t *testing.T) {
	s := startServer(t, "-backend", "memory")
	universities := []string{"aalborg-university", "aarhus-university", "technical-university-of-denmark", "university-of-copenhagen", "university-of-southern-denmark"}
	clusters := []string{"copenhagen-healthtech-cluster", "lifescience-innovation-north-denmark", "medtech-innovation-consortium", "welfare-tech"}
	var want []string
	for _, u := range universities {
		for _, c := range clusters {
			want = append(want, ontology.IDBase+"org/"+u+" "+ontology.IDBase+"org/"+c)
		}
	}
	sort.Strings(want)

	// The same question in three spellings of its terms.
	for _, q := range []string{
		"from=University&to=BusinessCluster&through=org/danish-healthtech",
		"from=ig:University&to=ig:BusinessCluster&through=organisation:danish-healthtech",
		"from=" + url.QueryEscape(ontology.NS+"University") + "&to=" + url.QueryEscape(ontology.NS+"BusinessCluster") + "&through=" + url.QueryEscape(dht) + "&maxHops=2",
	} {
		var page graph.ConnectionPage
		if code := getJSON(t, s.url+"/api/v1/connections?"+q, &page); code != http.StatusOK {
			t.Fatalf("GET /connections?%s = %d", q, code)
		}
		var got []string
		for _, p := range page.Pairs {
			got = append(got, p.From.ID+" "+p.To.ID)
			if !hasType(p.From, ontology.NS+"University") || !hasType(p.To, ontology.NS+"BusinessCluster") || p.From.Label == "" || p.To.Label == "" {
				t.Errorf("pair ends %+v, %+v: want a labelled University and BusinessCluster", p.From, p.To)
			}
			paths := map[string]bool{}
			for _, path := range p.Paths {
				if len(path.Nodes) != 3 || path.Nodes[1].ID != dht || path.Nodes[0].ID != p.From.ID || path.Nodes[2].ID != p.To.ID {
					t.Errorf("pair %s: path %+v does not run from the university through Danish HealthTech to the cluster", got[len(got)-1], path.Nodes)
					continue
				}
				e0, e1 := path.Edges[0], path.Edges[1]
				paths[e0.Predicate+" "+string(e0.Direction)+" "+e1.Predicate+" "+string(e1.Direction)] = true
			}
			wantPaths := map[string]bool{
				igMember + " out " + igMember + " in":   true, // U memberOf DHT, C memberOf DHT
				igMember + " out " + igHasPart + " out": true, // U memberOf DHT, DHT hasPart C
			}
			if len(paths) != len(wantPaths) || !paths[igMember+" out "+igMember+" in"] || !paths[igMember+" out "+igHasPart+" out"] {
				t.Errorf("pair %s: paths %v, want exactly %v", got[len(got)-1], paths, wantPaths)
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") || page.Next != "" {
			t.Errorf("GET /connections?%s pairs:\n%s\nnext %q; want:\n%s", q, strings.Join(got, "\n"), page.Next, strings.Join(want, "\n"))
		}
	}

	// The answer as Turtle is the subgraph it covers: read back by our
	// Turtle parser, it holds each pair's memberOf/hasPart triples.
	resp, err := http.Get(s.url + "/api/v1/connections?from=University&to=BusinessCluster&through=org/danish-healthtech&format=turtle")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/turtle") {
		t.Fatalf("Turtle answer = %d %s:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	ttl, _ := rdfio.Lookup(rdfio.Turtle)
	r, err := rdfio.NewReader(bytes.NewReader(body), ttl, rdfio.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	triples := map[string]bool{}
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the Turtle answer does not parse: %v\n%s", err, body)
		}
		triples[quad.ToString(q.Subject)+" "+quad.ToString(q.Predicate)+" "+quad.ToString(q.Object)] = true
	}
	for _, u := range universities {
		if k := "<" + ontology.IDBase + "org/" + u + "> <" + igMember + "> <" + dht + ">"; !triples[k] {
			t.Errorf("Turtle answer lacks %s", k)
		}
	}
	for _, c := range clusters {
		for _, k := range []string{
			"<" + ontology.IDBase + "org/" + c + "> <" + igMember + "> <" + dht + ">",
			"<" + dht + "> <" + igHasPart + "> <" + ontology.IDBase + "org/" + c + ">",
		} {
			if !triples[k] {
				t.Errorf("Turtle answer lacks %s", k)
			}
		}
	}
}

// TestAnswerReadByOtherTools reads the canonical answer as Turtle with
// rapper and as JSON-LD with rdflib: both see the triples our reader sees.
func TestAnswerReadByOtherTools(t *testing.T) {
	s := startServer(t, "-backend", "memory")
	q := s.url + "/api/v1/connections?from=University&to=BusinessCluster&through=org/danish-healthtech&format="
	tools := []struct {
		format string
		tool   []string
	}{
		{rdfio.Turtle, []string{"/usr/bin/rapper", "-q", "-i", "turtle", "-o", "ntriples", "-", "http://example.org/base"}},
		{rdfio.JSONLD, []string{"/usr/bin/python3", "-c", `import sys, rdflib
d = rdflib.ConjunctiveGraph()
d.parse(data=sys.stdin.read(), format="json-ld")
for s, p, o in set((s, p, o) for s, p, o, g in d.quads((None, None, None))):
    print(s.n3(), p.n3(), o.n3() if not isinstance(o, rdflib.Literal) else '"%s"' % o)`}},
	}
	for _, tc := range tools {
		t.Run(tc.format, func(t *testing.T) {
			_, err := os.Stat(tc.tool[0])
			if err == nil && tc.format == rdfio.JSONLD {
				err = exec.Command(tc.tool[0], "-c", "import rdflib").Run()
			}
			if err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("%s is required under CI: %v", tc.tool[0], err)
				}
				t.Skipf("%s (with rdflib for JSON-LD) not installed: %v", tc.tool[0], err)
			}
			resp, err := http.Get(q + tc.format)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			f, _ := rdfio.Lookup(tc.format)
			ctx := s.url + "/ontology/context.jsonld"
			r, err := rdfio.NewReader(bytes.NewReader(body), f, rdfio.ReadOptions{Contexts: map[string][]byte{ctx: ontology.Context()}})
			if err != nil {
				t.Fatal(err)
			}
			ours := map[string]bool{}
			for {
				q, err := r.ReadQuad()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("our reader: %v", err)
				}
				ours[q.Subject.String()+" "+q.Predicate.String()] = true
			}
			cmd := exec.Command(tc.tool[0], tc.tool[1:]...)
			cmd.Stdin = bytes.NewReader(body)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s rejects the %s answer: %v\n%s", tc.tool[0], tc.format, err, out)
			}
			theirs := map[string]bool{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if f := strings.Fields(line); len(f) >= 2 {
					theirs[f[0]+" "+f[1]] = true
				}
			}
			if len(ours) < 20 || len(theirs) != len(ours) {
				t.Errorf("%s reads %d subject-predicate pairs, our reader %d (want the same, at least 20)\n%s", tc.tool[0], len(theirs), len(ours), out)
			}
			for k := range ours {
				if !theirs[k] {
					t.Errorf("%s does not see %s", tc.tool[0], k)
				}
			}
		})
	}
}

func hasType(n graph.Node, class string) bool {
	for _, t := range n.Types {
		if t == class {
			return true
		}
	}
	return false
}

// TestQueryFlags checks that serve's query limits reach the API.
func TestQueryFlags(t *testing.T) {
	s := startServer(t, "-backend", "memory", "-gizmo", "-query-timeout", "200ms", "-max-hops", "3", "-max-page-size", "10")
	start := time.Now()
	resp, err := http.Post(s.url+"/api/v1/query/gizmo", "application/javascript", strings.NewReader("while (true) {}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || time.Since(start) > 5*time.Second {
		t.Errorf("endless script with -query-timeout 200ms = %d (Retry-After %q) after %v, want 503 with Retry-After soon", resp.StatusCode, resp.Header.Get("Retry-After"), time.Since(start))
	}
	for _, q := range []string{
		"/api/v1/shortest-path?from=org/aarhus-university&to=region/deg&maxHops=4",
		"/api/v1/entities?limit=11",
	} {
		if code := getJSON(t, s.url+q, nil); code != http.StatusBadRequest {
			t.Errorf("GET %s with -max-hops 3 -max-page-size 10 = %d, want 400", q, code)
		}
	}
	if code := getJSON(t, s.url+"/api/v1/shortest-path?from=org/aarhus-university&to=org/danish-healthtech&maxHops=3", nil); code != http.StatusOK {
		t.Errorf("a query within the limits = %d, want 200", code)
	}
}
