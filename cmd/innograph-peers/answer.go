package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// answer is a question's answer in a form every system can be held to: a
// sorted set of items (pairs as "x y", or IRIs), or a shortest path's
// length. Total is what the answer counts: the items, or the hops.
type answer struct {
	Items []string `json:"items,omitempty"`
	Total int      `json:"total"`
}

// setAnswer is the answer made of the distinct items.
func setAnswer(items []string) answer {
	s := slices.Clone(items)
	slices.Sort(s)
	s = slices.Compact(s)
	return answer{Items: s, Total: len(s)}
}

// hopsAnswer is a shortest path's length, -1 for none within maxHops.
func hopsAnswer(hops int) answer {
	return answer{Items: []string{"hops " + strconv.Itoa(hops)}, Total: hops}
}

// equal reports whether a and b are the same answer.
func (a answer) equal(b answer) bool { return slices.Equal(a.Items, b.Items) }

// diff says how b differs from a, naming up to five items on each side;
// nameA and nameB say whose answers they are.
func (a answer) diff(b answer, nameA, nameB string) string {
	var onlyA, onlyB []string
	i, j := 0, 0
	for i < len(a.Items) || j < len(b.Items) {
		switch {
		case j == len(b.Items) || i < len(a.Items) && a.Items[i] < b.Items[j]:
			onlyA = append(onlyA, a.Items[i])
			i++
		case i == len(a.Items) || b.Items[j] < a.Items[i]:
			onlyB = append(onlyB, b.Items[j])
			j++
		default:
			i++
			j++
		}
	}
	list := func(s []string) string {
		if len(s) > 5 {
			return strings.Join(s[:5], ", ") + fmt.Sprintf(" and %d more", len(s)-5)
		}
		return strings.Join(s, ", ")
	}
	var parts []string
	if len(onlyA) > 0 {
		parts = append(parts, fmt.Sprintf("%d only from %s (%s)", len(onlyA), nameA, list(onlyA)))
	}
	if len(onlyB) > 0 {
		parts = append(parts, fmt.Sprintf("%d only from %s (%s)", len(onlyB), nameB, list(onlyB)))
	}
	if len(parts) == 0 {
		return "no difference"
	}
	return strings.Join(parts, "; ")
}

// sparqlResults is a SPARQL 1.1 query results JSON document.
type sparqlResults struct {
	Boolean *bool `json:"boolean"`
	Results struct {
		Bindings []map[string]sparqlTerm `json:"bindings"`
	} `json:"results"`
}

// sparqlTerm is one bound value of a solution.
type sparqlTerm struct {
	Type     string `json:"type"`
	Value    string `json:"value"`
	Lang     string `json:"xml:lang"`
	Datatype string `json:"datatype"`
}

// String writes t as our answers write a node: an IRI as itself, a blank
// node or a literal in N-Triples style (so it can never pass for an IRI).
func (t sparqlTerm) String() string {
	switch t.Type {
	case "uri":
		return t.Value
	case "bnode":
		return "_:" + t.Value
	}
	s := strconv.Quote(t.Value)
	if t.Lang != "" {
		return s + "@" + t.Lang
	}
	if t.Datatype != "" {
		return s + "^^<" + t.Datatype + ">"
	}
	return s
}

// items is the set of the solutions' values of vars, joined by a space.
// A solution leaving one of vars unbound is an error.
func (r *sparqlResults) items(vars ...string) (answer, error) {
	if r.Boolean != nil {
		return answer{}, fmt.Errorf("a boolean answer to a SELECT query")
	}
	items := make([]string, 0, len(r.Results.Bindings))
	for _, b := range r.Results.Bindings {
		vals := make([]string, len(vars))
		for i, v := range vars {
			t, ok := b[v]
			if !ok {
				return answer{}, fmt.Errorf("a solution without ?%s", v)
			}
			vals[i] = t.String()
		}
		items = append(items, strings.Join(vals, " "))
	}
	return setAnswer(items), nil
}

// caller sends the requests of one question and adds up how long they
// took: from sending each request to reading the last byte of its
// response. Decoding the responses is not counted.
type caller struct {
	hc   *http.Client
	took time.Duration
	reqs int
}

// do sends req and reads the whole response; a status other than 200 is
// an error quoting the start of the body.
func (c *caller) do(req *http.Request) (http.Header, []byte, error) {
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.took += time.Since(start)
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	c.took += time.Since(start)
	c.reqs++
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: read the response: %w", req.Method, req.URL.Path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("%s %s: %s: %s", req.Method, req.URL.Path, resp.Status, snippet(body))
	}
	return resp.Header, body, nil
}

// doJSON sends req and decodes its JSON response into v.
func (c *caller) doJSON(req *http.Request, v any) error {
	_, body, err := c.do(req)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s %s: decode the response: %w", req.Method, req.URL.Path, err)
	}
	return nil
}

// getJSON GETs u and decodes its JSON response into v.
func (c *caller) getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	return c.doJSON(req, v)
}

// sparql sends query to a SPARQL endpoint by the protocol's POST of a
// form and decodes the JSON results. An answer Virtuoso marks as partial
// (its "anytime" queries, header X-SQL-State) is an error, never a result.
func (c *caller) sparql(ctx context.Context, endpoint, query string) (*sparqlResults, error) {
	form := url.Values{"query": {query}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/sparql-results+json")
	h, body, err := c.do(req)
	if err != nil {
		return nil, err
	}
	if state := h.Get("X-SQL-State"); state != "" {
		return nil, fmt.Errorf("partial answer (X-SQL-State %s: %s)", state, h.Get("X-SQL-Message"))
	}
	var res sparqlResults
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("decode SPARQL results: %w: %s", err, snippet(body))
	}
	return &res, nil
}

// snippet is the start of a response body, for error messages.
func snippet(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}
