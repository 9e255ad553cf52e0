package graph

import (
	"encoding/json"
	"fmt"
)

// The HTTP API writes path answers with each node described once, in a
// "nodes" list, and paths naming nodes by ID (docs/paths.md, "The JSON
// answers"); json.Marshal of these types writes every node in full. The
// UnmarshalJSON methods below read either form into the same values, so
// a Go client decodes the API's answers into ConnectionPage,
// ShortestResult and PatternResult with every Node filled in.

// wireNode is a node as either form writes it: an ID string, or an
// object with at least the ID.
type wireNode struct{ Node }

func (n *wireNode) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &n.ID)
	}
	return json.Unmarshal(b, &n.Node)
}

// wirePath is a Path in either form.
type wirePath struct {
	Nodes []wireNode `json:"nodes"`
	Edges []Edge     `json:"edges"`
}

// nodeTable resolves the nodes of an answer against its "nodes" list.
type nodeTable map[string]Node

func newNodeTable(ns []Node) nodeTable {
	t := make(nodeTable, len(ns))
	for _, n := range ns {
		t[n.ID] = n
	}
	return t
}

// node returns n completed from the table when n carries only its ID.
func (t nodeTable) node(n wireNode) Node {
	if full, ok := t[n.ID]; ok && n.Label == "" && len(n.Types) == 0 {
		return full
	}
	return n.Node
}

// path returns p with its nodes completed and its edges' ends filled in
// from the nodes they join.
func (t nodeTable) path(p wirePath) (Path, error) {
	if len(p.Nodes) > 0 && len(p.Edges) != len(p.Nodes)-1 {
		return Path{}, fmt.Errorf("a path of %d nodes has %d edges", len(p.Nodes), len(p.Edges))
	}
	out := Path{Nodes: make([]Node, len(p.Nodes)), Edges: p.Edges}
	for i, n := range p.Nodes {
		out.Nodes[i] = t.node(n)
	}
	for i := range out.Edges {
		if out.Edges[i].From == "" {
			out.Edges[i].From = out.Nodes[i].ID
		}
		if out.Edges[i].To == "" {
			out.Edges[i].To = out.Nodes[i+1].ID
		}
	}
	return out, nil
}

func (t nodeTable) paths(ps []wirePath) ([]Path, error) {
	if ps == nil {
		return nil, nil
	}
	out := make([]Path, len(ps))
	for i, p := range ps {
		var err error
		if out[i], err = t.path(p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UnmarshalJSON reads a page of pairs as json.Marshal or the HTTP API
// writes it.
func (p *ConnectionPage) UnmarshalJSON(b []byte) error {
	var w struct {
		Pairs []struct {
			From      wireNode   `json:"from"`
			To        wireNode   `json:"to"`
			Paths     []wirePath `json:"paths"`
			Truncated bool       `json:"truncated"`
		} `json:"pairs"`
		Nodes []Node `json:"nodes"`
		Next  string `json:"next"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	t := newNodeTable(w.Nodes)
	*p = ConnectionPage{Next: w.Next}
	if w.Pairs != nil {
		p.Pairs = make([]Pair, 0, len(w.Pairs))
	}
	for _, wp := range w.Pairs {
		paths, err := t.paths(wp.Paths)
		if err != nil {
			return err
		}
		p.Pairs = append(p.Pairs, Pair{From: t.node(wp.From), To: t.node(wp.To), Paths: paths, Truncated: wp.Truncated})
	}
	return nil
}

// UnmarshalJSON reads shortest paths as json.Marshal or the HTTP API
// writes them.
func (r *ShortestResult) UnmarshalJSON(b []byte) error {
	var w struct {
		Hops      int        `json:"hops"`
		Paths     []wirePath `json:"paths"`
		Nodes     []Node     `json:"nodes"`
		Truncated bool       `json:"truncated"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	paths, err := newNodeTable(w.Nodes).paths(w.Paths)
	if err != nil {
		return err
	}
	*r = ShortestResult{Hops: w.Hops, Paths: paths, Truncated: w.Truncated}
	return nil
}

// UnmarshalJSON reads a pattern's page as json.Marshal or the HTTP API
// writes it. A "nodes" list without matches is an EndNodes answer.
func (r *PatternResult) UnmarshalJSON(b []byte) error {
	var w struct {
		Matches []struct {
			Nodes []wireNode `json:"nodes"`
			Path  wirePath   `json:"path"`
		} `json:"matches"`
		Subgraph *Subgraph `json:"subgraph"`
		Nodes    []Node    `json:"nodes"`
		Next     string    `json:"next"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = PatternResult{Subgraph: w.Subgraph, Next: w.Next}
	if w.Matches == nil && w.Subgraph == nil {
		r.Nodes = w.Nodes
		return nil
	}
	t := newNodeTable(w.Nodes)
	if w.Matches != nil {
		r.Matches = make([]Match, 0, len(w.Matches))
	}
	for _, m := range w.Matches {
		p, err := t.path(m.Path)
		if err != nil {
			return err
		}
		ends := make([]Node, len(m.Nodes))
		for i, n := range m.Nodes {
			ends[i] = t.node(n)
		}
		r.Matches = append(r.Matches, Match{Nodes: ends, Path: p})
	}
	return nil
}
