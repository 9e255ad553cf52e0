package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/ontology"
)

// The limits every question runs under, on every system.
const (
	// pageSize is the page size asked of our endpoints: the largest they
	// allow, so that "all pages" means as few requests as possible.
	pageSize = 1000
	// maxHops bounds the shortest path (the API's default maximum).
	maxHops = 6
	// companiesAsked is how many of a region's companies inputs pick from
	// (the first 100 of 110, as the path benchmarks do).
	companiesAsked = 100
)

const (
	rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	// sparqlPrefixes opens every query.
	sparqlPrefixes = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX ig: <" + ontology.NS + ">\n"
	// edge is one hop of the path questions as a SPARQL property path: any
	// predicate but rdf:type, walked either way. Our engine also steps
	// only onto IRIs (never a literal or blank node), which a property
	// path cannot say: the queries bind every node of a walk to a
	// variable and filter it with isIRI.
	edge = "!(rdf:type|^rdf:type)"
)

// input is the argument of one question: the IRIs it names (one, or the
// two ends of a shortest path).
type input struct {
	IRIs []string `json:"iris"`
}

func (in input) String() string { return strings.Join(in.IRIs, " -> ") }

// question is one of the four canonical questions of docs/performance.md,
// asked of innograph through its HTTP API and of a SPARQL endpoint through
// SPARQL, so that both give the same answer.
type question struct {
	// Key names the question in flags and JSON.
	Key string
	// Title names it in tables.
	Title string
	// Unit is what an answer's Total counts.
	Unit string
	// input draws one input.
	input func(rng *rand.Rand, regions int) input
	// api asks our HTTP API at base (http://host:port).
	api func(ctx context.Context, c *caller, base string, in input) (answer, error)
	// sparql asks a SPARQL endpoint.
	sparql func(ctx context.Context, c *caller, endpoint string, in input) (answer, error)
	// queries are the SPARQL texts sparql may send for in, in order.
	queries func(in input) []string
}

// questions returns the four canonical questions.
func questions() []question {
	return []question{
		{
			Key: "connections", Title: "pairs through one network (/connections)", Unit: "pairs",
			input: func(rng *rand.Rand, regions int) input {
				return input{IRIs: []string{string(gen.NetworkIRI(rng.IntN(regions), rng.IntN(2)))}}
			},
			api:    apiConnections,
			sparql: sparqlSelect(connectionsQuery, "x", "y"),
			queries: func(in input) []string {
				return []string{connectionsQuery(in)}
			},
		},
		{
			Key: "pattern", Title: "3-step pattern from a university, all pages (/paths)", Unit: "companies",
			input: func(rng *rand.Rand, regions int) input {
				return input{IRIs: []string{string(gen.UniversityIRI(rng.IntN(regions), rng.IntN(3)))}}
			},
			api:    apiPattern,
			sparql: sparqlSelect(patternQuery, "co"),
			queries: func(in input) []string {
				return []string{patternQuery(in)}
			},
		},
		{
			Key: "neighbourhood", Title: "2-hop neighbourhood without rdf:type (/entities/{id}/neighbourhood)", Unit: "nodes",
			input: func(rng *rand.Rand, regions int) input {
				return input{IRIs: []string{string(gen.CompanyIRI(rng.IntN(regions), rng.IntN(companiesAsked)))}}
			},
			api:    apiNeighbourhood,
			sparql: sparqlSelect(neighbourhoodQuery, "n"),
			queries: func(in input) []string {
				return []string{neighbourhoodQuery(in)}
			},
		},
		{
			Key: "shortest", Title: "shortest path between companies of neighbouring regions, max 6 hops (/shortest-path)", Unit: "hops",
			input: func(rng *rand.Rand, regions int) input {
				r := rng.IntN(regions)
				return input{IRIs: []string{
					string(gen.CompanyIRI(r, rng.IntN(companiesAsked))),
					string(gen.CompanyIRI((r+1)%regions, rng.IntN(companiesAsked))),
				}}
			},
			api:    apiShortest,
			sparql: sparqlShortest,
			queries: func(in input) []string {
				var qs []string
				for k := 1; k <= maxHops; k++ {
					qs = append(qs, reachQuery(in, k))
				}
				return qs
			},
		},
	}
}

// selectQuestions picks the questions named in keys, in the given order.
func selectQuestions(keys []string) ([]question, error) {
	all := questions()
	var out []question
	for _, k := range keys {
		found := false
		for _, q := range all {
			if q.Key == k {
				out = append(out, q)
				found = true
			}
		}
		if !found {
			var names []string
			for _, q := range all {
				names = append(names, q.Key)
			}
			return nil, fmt.Errorf("unknown question %q (want some of %s)", k, strings.Join(names, ","))
		}
	}
	return out, nil
}

// inputs draws n inputs of q from a stream fixed by seed and the
// question's place among the four, so every system gets the same inputs
// and adding a question changes no other question's inputs.
func (q question) inputs(seed uint64, regions, n int) []input {
	index := uint64(0)
	for i, c := range questions() {
		if c.Key == q.Key {
			index = uint64(i)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^index))
	out := make([]input, n)
	for i := range out {
		out[i] = q.input(rng, regions)
	}
	return out
}

// iriRef writes an IRI as a SPARQL IRIREF, escaping the characters an
// IRIREF may not hold as \u escapes.
func iriRef(iri string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range iri {
		if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
			fmt.Fprintf(&b, `\u%04X`, r)
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('>')
	return b.String()
}

// connectionsQuery: the universities and business clusters that are both
// one edge (any predicate but rdf:type, either way) from the network: our
// /connections with from=University, to=BusinessCluster, through=network
// and its default of 2 hops, the network being neither. The classes are
// checked with FILTER EXISTS on each neighbour: with the class as a
// triple pattern both peers listed every instance of the class first, so
// their time grew with the graph (at 1M quads, on a loaded machine, 2 to
// 70 times slower than this form, the fastest of four tried on both).
func connectionsQuery(in input) string {
	n := iriRef(in.IRIs[0])
	return sparqlPrefixes + `SELECT DISTINCT ?x ?y WHERE {
  ?x ` + edge + ` ` + n + ` . FILTER(isIRI(?x)) FILTER EXISTS { ?x rdf:type ig:University }
  ?y ` + edge + ` ` + n + ` . FILTER(isIRI(?y)) FILTER EXISTS { ?y rdf:type ig:BusinessCluster }
  FILTER(?x != ?y)
}`
}

// patternQuery: the companies at the end of university -memberOf->
// InnovationNetwork <-memberOf- BusinessCluster <-memberOf- Company, our
// /paths pattern's distinct end nodes (the four nodes of a match are of
// four classes, so every match is a simple path, as our engine requires).
func patternQuery(in input) string {
	return sparqlPrefixes + `SELECT DISTINCT ?co WHERE {
  ` + iriRef(in.IRIs[0]) + ` ig:memberOf ?net .
  ?net rdf:type ig:InnovationNetwork .
  ?cl ig:memberOf ?net .
  ?cl rdf:type ig:BusinessCluster .
  ?co ig:memberOf ?cl .
  ?co rdf:type ig:Company .
}`
}

// neighbourhoodQuery: the nodes our 2-hop neighbourhood returns: the
// start, and every IRI reached by one or two edges (any predicate but
// rdf:type, either way) through IRIs. The optional edge ("?") keeps the
// start and the first ring in the answer; the first ring is made distinct
// before the second hop.
func neighbourhoodQuery(in input) string {
	return sparqlPrefixes + `SELECT DISTINCT ?n WHERE {
  { SELECT DISTINCT ?m WHERE { ` + iriRef(in.IRIs[0]) + ` ` + edge + `? ?m . FILTER(isIRI(?m)) } }
  ?m ` + edge + `? ?n . FILTER(isIRI(?n))
}`
}

// ladder splits a walk of k edges at its middle: fromA edges from one end
// meet fromB edges from the other.
func ladder(k int) (fromA, fromB int) { return (k + 1) / 2, k / 2 }

// reachQuery asks whether a walk of exactly k edges through IRIs (any
// predicate but rdf:type, either way) joins the two companies: the
// distinct nodes at the end of k/2 rounded up such edges from one end and
// those at the end of k/2 rounded down from the other share a node ?m.
// sparqlShortest asks it for k = 1, 2, ... and the first yes is the
// shortest path's length, which is what our /shortest-path reports as
// hops: every no before it says there is no walk, so no path, shorter
// than k, and a walk of k edges means a path of at most k. Meeting in the
// middle on distinct nodes keeps each side small (one chain of k edges
// would enumerate every walk); exact walks rather than optional edges
// ("?", walks of up to k) because Virtuoso evaluated the optional form
// 5 to 10 times slower at 1M quads, and Oxigraph no faster.
func reachQuery(in input, k int) string {
	fromA, fromB := ladder(k)
	var b strings.Builder
	// walk writes hops edges from start to end, naming the nodes between
	// ?<prefix>1, ?<prefix>2, ...
	walk := func(start, prefix string, hops int, end string) {
		prev := iriRef(start)
		for i := 1; i <= hops; i++ {
			next := fmt.Sprintf("?%s%d", prefix, i)
			if i == hops {
				next = end
			}
			fmt.Fprintf(&b, " %s %s %s .", prev, edge, next)
			if strings.HasPrefix(next, "?") {
				fmt.Fprintf(&b, " FILTER(isIRI(%s))", next)
			}
			prev = next
		}
	}
	b.WriteString(sparqlPrefixes + "ASK {\n")
	if fromB == 0 {
		b.WriteString(" ")
		walk(in.IRIs[0], "a", fromA, iriRef(in.IRIs[1]))
		b.WriteString("\n")
	} else {
		b.WriteString("  { SELECT DISTINCT ?m WHERE {")
		walk(in.IRIs[0], "a", fromA, "?m")
		b.WriteString(" } }\n  { SELECT DISTINCT ?m WHERE {")
		walk(in.IRIs[1], "b", fromB, "?m")
		b.WriteString(" } }\n")
	}
	b.WriteString("}")
	return b.String()
}

// sparqlSelect asks the one SELECT query of q and collects the values of
// vars in each solution, joined by a space, as the answer.
func sparqlSelect(query func(input) string, vars ...string) func(context.Context, *caller, string, input) (answer, error) {
	return func(ctx context.Context, c *caller, endpoint string, in input) (answer, error) {
		res, err := c.sparql(ctx, endpoint, query(in))
		if err != nil {
			return answer{}, err
		}
		return res.items(vars...)
	}
}

// sparqlShortest climbs the ladder of reachQuery: k = 1, 2, ... maxHops,
// one request each, until one says yes. The ladder must start at 1: each
// step relies on every earlier one having said no.
func sparqlShortest(ctx context.Context, c *caller, endpoint string, in input) (answer, error) {
	for k := 1; k <= maxHops; k++ {
		res, err := c.sparql(ctx, endpoint, reachQuery(in, k))
		if err != nil {
			return answer{}, err
		}
		if res.Boolean == nil {
			return answer{}, fmt.Errorf("ASK answered without a boolean")
		}
		if *res.Boolean {
			return hopsAnswer(k), nil
		}
	}
	return hopsAnswer(-1), nil
}

// apiConnections asks GET /api/v1/connections and follows every page.
func apiConnections(ctx context.Context, c *caller, base string, in input) (answer, error) {
	q := url.Values{
		"from":    {string(ontology.University)},
		"to":      {string(ontology.BusinessCluster)},
		"through": {in.IRIs[0]},
		"limit":   {strconv.Itoa(pageSize)},
	}
	var items []string
	for {
		var page struct {
			Pairs []struct {
				From struct{ ID string } `json:"from"`
				To   struct{ ID string } `json:"to"`
			} `json:"pairs"`
			Next string `json:"next"`
		}
		if err := c.getJSON(ctx, base+"/api/v1/connections?"+q.Encode(), &page); err != nil {
			return answer{}, err
		}
		for _, p := range page.Pairs {
			items = append(items, p.From.ID+" "+p.To.ID)
		}
		if page.Next == "" {
			return setAnswer(items), nil
		}
		q.Set("cursor", page.Next)
	}
}

// patternBody is the /paths request of the pattern question.
type patternBody struct {
	Start struct {
		IDs []string `json:"ids"`
	} `json:"start"`
	Steps  []patternStep `json:"steps"`
	Result string        `json:"result"`
	Limit  int           `json:"limit"`
	Cursor string        `json:"cursor,omitempty"`
}

type patternStep struct {
	Predicates []string `json:"predicates"`
	Direction  string   `json:"direction,omitempty"`
	Type       string   `json:"type"`
}

// apiPattern asks POST /api/v1/paths for the distinct end nodes of the
// matches (result "nodes", what the peers' SELECT DISTINCT ?co returns)
// and follows every page.
func apiPattern(ctx context.Context, c *caller, base string, in input) (answer, error) {
	member := []string{string(ontology.MemberOf)}
	var body patternBody
	body.Start.IDs = []string{in.IRIs[0]}
	body.Steps = []patternStep{
		{Predicates: member, Type: string(ontology.InnovationNetwork)},
		{Predicates: member, Direction: "in", Type: string(ontology.BusinessCluster)},
		{Predicates: member, Direction: "in", Type: string(ontology.Company)},
	}
	body.Result = "nodes"
	body.Limit = pageSize
	var items []string
	for {
		data, err := json.Marshal(body)
		if err != nil {
			return answer{}, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/paths", bytes.NewReader(data))
		if err != nil {
			return answer{}, err
		}
		req.Header.Set("Content-Type", "application/json")
		var page struct {
			Nodes []struct{ ID string } `json:"nodes"`
			Next  string                `json:"next"`
		}
		if err := c.doJSON(req, &page); err != nil {
			return answer{}, err
		}
		for _, n := range page.Nodes {
			items = append(items, n.ID)
		}
		if page.Next == "" {
			return setAnswer(items), nil
		}
		body.Cursor = page.Next
	}
}

// apiNeighbourhood asks GET /api/v1/entities/{id}/neighbourhood. A
// truncated neighbourhood cannot be compared and is an error.
func apiNeighbourhood(ctx context.Context, c *caller, base string, in input) (answer, error) {
	var g struct {
		Nodes     []struct{ ID string } `json:"nodes"`
		Truncated bool                  `json:"truncated"`
	}
	u := fmt.Sprintf("%s/api/v1/entities/%s/neighbourhood?hops=2&limit=%d", base, url.PathEscape(in.IRIs[0]), pageSize)
	if err := c.getJSON(ctx, u, &g); err != nil {
		return answer{}, err
	}
	if g.Truncated {
		return answer{}, fmt.Errorf("the neighbourhood has more than %d nodes and was cut short: it cannot be compared", pageSize)
	}
	items := make([]string, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		items = append(items, n.ID)
	}
	return setAnswer(items), nil
}

// apiShortest asks GET /api/v1/shortest-path; the answer is the length.
func apiShortest(ctx context.Context, c *caller, base string, in input) (answer, error) {
	q := url.Values{"from": {in.IRIs[0]}, "to": {in.IRIs[1]}, "maxHops": {strconv.Itoa(maxHops)}}
	var res struct {
		Hops *int `json:"hops"`
	}
	if err := c.getJSON(ctx, base+"/api/v1/shortest-path?"+q.Encode(), &res); err != nil {
		return answer{}, err
	}
	if res.Hops == nil {
		return answer{}, fmt.Errorf("the answer has no hops")
	}
	return hopsAnswer(*res.Hops), nil
}
