package main

import (
	"bytes"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/innograph/innograph/graph/rdfio/rdftest"
)

// sparqlQuestions are questions of docs/questions.md written in SPARQL,
// with their answers there (short forms under the id base, one row per
// line, columns separated by a space).
var sparqlQuestions = []struct{ name, query string }{
	{"Q1 universities in Danish HealthTech", `SELECT ?u WHERE { ?u ig:memberOf org:danish-healthtech ; a ig:University }`},
	{"Q3 clusters Danish HealthTech builds on", `SELECT ?c WHERE { org:danish-healthtech ig:hasPart ?c . ?c a ig:BusinessCluster }`},
	{"Q4 networks merged into Danish HealthTech", `SELECT ?n WHERE { org:danish-healthtech ig:mergerOf ?n }`},
	{"Q5 universities to clusters through Danish HealthTech", `SELECT ?u ?c WHERE {
		?u a ig:University ; ig:memberOf org:danish-healthtech .
		org:danish-healthtech ig:hasPart ?c . ?c a ig:BusinessCluster }`},
	{"ASK Q6 pair", `ASK { org:aarhus-university ig:memberOf org:danish-healthtech }`},
	{"label", `SELECT ?l WHERE { org:danish-healthtech rdfs:label ?l }`},
}

const sparqlPrefixes = "PREFIX ig: <https://w3id.org/innograph/ontology#>\nPREFIX org: <https://w3id.org/innograph/id/org/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"

// sparqlAnswers are the expected rows, as docs/questions.md gives them.
func sparqlAnswers() map[string][]string {
	universities := []string{"aalborg-university", "aarhus-university", "technical-university-of-denmark", "university-of-copenhagen", "university-of-southern-denmark"}
	clusters := []string{"copenhagen-healthtech-cluster", "lifescience-innovation-north-denmark", "medtech-innovation-consortium", "welfare-tech"}
	org := func(s string) string { return "<https://w3id.org/innograph/id/org/" + s + ">" }
	var q1, q3, q5 []string
	for _, u := range universities {
		q1 = append(q1, org(u))
		for _, c := range clusters {
			q5 = append(q5, org(u)+" "+org(c))
		}
	}
	for _, c := range clusters {
		q3 = append(q3, org(c))
	}
	want := map[string][]string{
		"Q1 universities in Danish HealthTech":                  q1,
		"Q3 clusters Danish HealthTech builds on":               q3,
		"Q4 networks merged into Danish HealthTech":             {org("medtech-innovation"), org("welfare-tech-innovation-network-for-health-and-welfare-technology")},
		"Q5 universities to clusters through Danish HealthTech": q5,
		"ASK Q6 pair": {"true"},
		"label":       {`"Danish HealthTech"@en`},
	}
	for _, rows := range want {
		sort.Strings(rows)
	}
	return want
}

// TestSPARQLClients starts the real server and asks its SPARQL endpoint
// with the clients researchers use: Debian's SPARQLWrapper (JSON and XML
// results) and rdflib's SPARQLStore get the answers docs/questions.md
// gives for questions written in SPARQL; rdflib reads a CONSTRUCT answer
// (RDF/XML) and rapper reads it in Turtle and RDF/XML; an update sent
// through SPARQLWrapper with a write token lands and is read back, and
// one without a token is refused and changes nothing; rdflib's
// SPARQLUpdateStore adds and removes a triple of a graph through it.
func TestSPARQLClients(t *testing.T) {
	srv := startServer(t, "-data", filepath.Join(t.TempDir(), "data"),
		"-write-tokens", "alice:a-secret-of-16-chars+")
	endpoint := srv.url + "/sparql"
	want := sparqlAnswers()
	construct := sparqlPrefixes + `CONSTRUCT { org:danish-healthtech ig:hasPart ?c } WHERE { org:danish-healthtech ig:hasPart ?c . ?c a ig:BusinessCluster }`
	var constructWant []string
	for _, c := range want["Q3 clusters Danish HealthTech builds on"] {
		constructWant = append(constructWant, "<https://w3id.org/innograph/id/org/danish-healthtech> <https://w3id.org/innograph/ontology#hasPart> "+c)
	}

	t.Run("rapper", func(t *testing.T) {
		t.Parallel()
		rdftest.RequireTool(t, rdftest.Rapper)
		for _, f := range []struct{ accept, syntax string }{{"text/turtle", "turtle"}, {"application/rdf+xml", "rdfxml"}, {"application/n-triples", "ntriples"}} {
			body := get(t, endpoint+"?query="+url.QueryEscape(construct), f.accept, "")
			out := rdftest.Run(t, bytes.NewReader(body), rdftest.Rapper, rdftest.RapperArgs(f.syntax, endpoint)...)
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				got = append(got, strings.TrimSuffix(strings.TrimSpace(line), " ."))
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(constructWant, "\n") {
				t.Errorf("rapper reads the CONSTRUCT answer in %s as\n%s\nwant\n%s", f.syntax, strings.Join(got, "\n"), strings.Join(constructWant, "\n"))
			}
		}
	})

	t.Run("python", func(t *testing.T) {
		t.Parallel()
		rdftest.RequirePython(t, "rdflib")
		rdftest.RequirePython(t, "SPARQLWrapper")
		type query struct {
			Name  string `json:"name"`
			Query string `json:"query"`
		}
		job := struct {
			Endpoint  string  `json:"endpoint"`
			Token     string  `json:"token"`
			Queries   []query `json:"queries"`
			Construct string  `json:"construct"`
			Update    string  `json:"update"`
			Refused   string  `json:"refused"`
			Check     string  `json:"check"`
		}{
			Endpoint:  endpoint,
			Token:     "a-secret-of-16-chars+",
			Construct: construct,
			Update:    `INSERT DATA { GRAPH <https://example.org/notes> { <https://example.org/n1> <https://example.org/says> "hello"@en } }`,
			Refused:   `DROP ALL`,
			Check:     `SELECT ?o WHERE { GRAPH <https://example.org/notes> { <https://example.org/n1> <https://example.org/says> ?o } }`,
		}
		for _, q := range sparqlQuestions {
			job.Queries = append(job.Queries, query{q.name, sparqlPrefixes + q.query})
		}
		var got struct {
			JSON         map[string][]string `json:"sparqlwrapper-json"`
			XML          map[string][]string `json:"sparqlwrapper-xml"`
			RDFLib       map[string][]string `json:"rdflib"`
			Construct    []string            `json:"construct"`
			UpdateStatus int                 `json:"update_status"`
			Check        []string            `json:"check"`
			Refused      string              `json:"refused"`
			CheckAfter   []string            `json:"check_after_refused"`
			RDFLibLen    int                 `json:"rdflib_update_len"`
			RDFLibRead   []string            `json:"rdflib_update_triples"`
			RDFLibAfter  int                 `json:"rdflib_update_len_after_remove"`
		}
		runJSON(t, job, &got, rdftest.Python, filepath.Join(clientsDir, "sparql_clients.py"))
		for client, answers := range map[string]map[string][]string{"SPARQLWrapper (JSON)": got.JSON, "SPARQLWrapper (XML)": got.XML, "rdflib SPARQLStore": got.RDFLib} {
			for _, q := range sparqlQuestions {
				if g, w := strings.Join(answers[q.name], "\n"), strings.Join(want[q.name], "\n"); g != w {
					t.Errorf("%s, %s:\n%s\nwant\n%s", client, q.name, g, w)
				}
			}
		}
		if strings.Join(got.Construct, "\n") != strings.Join(constructWant, "\n") {
			t.Errorf("rdflib reads the CONSTRUCT answer as\n%s\nwant\n%s", strings.Join(got.Construct, "\n"), strings.Join(constructWant, "\n"))
		}
		if got.UpdateStatus != 200 || strings.Join(got.Check, ",") != `"hello"@en` {
			t.Errorf("update through SPARQLWrapper: status %d, then read %v; want 200 and \"hello\"@en", got.UpdateStatus, got.Check)
		}
		if got.RDFLibLen != 1 || strings.Join(got.RDFLibRead, ",") != `<https://example.org/s> <https://example.org/p> "v"@en` || got.RDFLibAfter != 0 {
			t.Errorf("rdflib SPARQLUpdateStore: %d triple(s) %v after add, %d after remove; want the one added, then none", got.RDFLibLen, got.RDFLibRead, got.RDFLibAfter)
		}
		if !strings.Contains(got.Refused, "Unauthorized") || strings.Join(got.CheckAfter, ",") != `"hello"@en` {
			t.Errorf("DROP ALL without a token: %q, then read %v; want Unauthorized and nothing changed", got.Refused, got.CheckAfter)
		}
	})
}

// TestSPARQLRowsFlag: -max-sparql-rows bounds an answer's rows (413 while
// nothing is sent), and says the bound in X-Innograph-Max-Rows.
func TestSPARQLRowsFlag(t *testing.T) {
	srv := startServer(t, "-backend", "memory", "-max-sparql-rows", "2")
	resp, err := http.Get(srv.url + "/sparql?query=" + url.QueryEscape("SELECT * WHERE { ?s ?p ?o }"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 || resp.Header.Get("X-Innograph-Max-Rows") != "2" {
		t.Errorf("SELECT * with -max-sparql-rows 2 = %d (X-Innograph-Max-Rows %q), want 413 and 2", resp.StatusCode, resp.Header.Get("X-Innograph-Max-Rows"))
	}
	resp, err = http.Get(srv.url + "/sparql?query=" + url.QueryEscape("SELECT * WHERE { ?s ?p ?o } LIMIT 2"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("LIMIT 2 with -max-sparql-rows 2 = %d, want 200", resp.StatusCode)
	}
}
