package graph

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// The only vocabulary the query engine knows itself; every class and
// predicate of a query is an IRI the caller gives.
const (
	rdfsLabel    = frontier.RDFSLabel
	skosAltLabel = quad.IRI("http://www.w3.org/2004/02/skos/core#altLabel")
)

// Direction says which way a step or edge follows a quad: Out from subject
// to object, In from object to subject, Both either way.
type Direction string

// The directions of steps and edges.
const (
	Out  Direction = "out"
	In   Direction = "in"
	Both Direction = "both"
)

// valid reports whether d is one of Out, In, Both.
func (d Direction) valid() bool { return d == Out || d == In || d == Both }

// reverse returns the direction seen from the other end of an edge.
func (d Direction) reverse() Direction {
	switch d {
	case Out:
		return In
	case In:
		return Out
	}
	return d
}

// Node is a graph node as answers show it: its IRI, one label (English
// preferred, then untagged, then any) and its classes.
type Node struct {
	ID    string   `json:"id"`
	Label string   `json:"label,omitempty"`
	Types []string `json:"types,omitempty"`
}

// Edge is one quad walked by a path. Direction Out means the quad is
// (From, Predicate, To); In means it is (To, Predicate, From), that is, the
// path walked the quad backwards.
type Edge struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	Predicate string    `json:"predicate"`
	Direction Direction `json:"direction"`
}

// Path is a walk through the graph: Nodes[i] and Nodes[i+1] are joined by
// Edges[i], so len(Edges) == len(Nodes)-1.
type Path struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// Hops is the number of edges of p.
func (p Path) Hops() int { return len(p.Edges) }

// Subgraph is a set of nodes and the edges between them, every edge given
// in its stored direction (Direction Out, From the quad's subject).
type Subgraph struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
	// Truncated reports that a limit cut the subgraph short.
	Truncated bool `json:"truncated,omitempty"`
}

// sortNodes puts the nodes in ID order.
func (g *Subgraph) sortNodes() {
	sort.Slice(g.Nodes, func(i, j int) bool { return g.Nodes[i].ID < g.Nodes[j].ID })
}

// sortEdges puts the edges in (From, Predicate, To) order, so answers do not
// depend on the backend's iteration order.
func (g *Subgraph) sortEdges() {
	sort.Slice(g.Edges, func(i, j int) bool {
		a, b := g.Edges[i], g.Edges[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.Predicate != b.Predicate {
			return a.Predicate < b.Predicate
		}
		return a.To < b.To
	})
}

// QueryLimits bound what one query may cost. The zero value of a field
// means its default (see DefaultQueryLimits); query structs carry a
// QueryLimits so the caller's configuration reaches every method without
// package state.
type QueryLimits struct {
	// MaxHops is the largest hop count a query may ask for (maxHops,
	// neighbourhood hops, the total length of a pattern match).
	MaxHops int
	// MaxPageSize is the largest page a query may ask for.
	MaxPageSize int
	// DefaultPageSize is the page size when a query gives none.
	DefaultPageSize int
	// MaxVisited bounds the nodes a breadth-first search may visit; beyond
	// it the query fails with Unprocessable rather than exhaust memory.
	MaxVisited int
	// MaxPaths bounds the paths returned for one pair or one shortest-path
	// query; more are dropped and the answer says so.
	MaxPaths int
	// MaxLinks bounds the links Entity lists in each direction.
	MaxLinks int
}

// DefaultQueryLimits are the limits used for every zero field of a
// QueryLimits.
func DefaultQueryLimits() QueryLimits {
	return QueryLimits{MaxHops: 6, MaxPageSize: 1000, DefaultPageSize: 100, MaxVisited: 200000, MaxPaths: 20, MaxLinks: 1000}
}

// withDefaults fills the zero fields of l from DefaultQueryLimits.
func (l QueryLimits) withDefaults() QueryLimits {
	d := DefaultQueryLimits()
	if l.MaxHops <= 0 {
		l.MaxHops = d.MaxHops
	}
	if l.MaxPageSize <= 0 {
		l.MaxPageSize = d.MaxPageSize
	}
	if l.DefaultPageSize <= 0 {
		l.DefaultPageSize = min(d.DefaultPageSize, l.MaxPageSize)
	}
	if l.MaxVisited <= 0 {
		l.MaxVisited = d.MaxVisited
	}
	if l.MaxPaths <= 0 {
		l.MaxPaths = d.MaxPaths
	}
	if l.MaxLinks <= 0 {
		l.MaxLinks = d.MaxLinks
	}
	return l
}

// pageSize validates a requested page size against l.
func (l QueryLimits) pageSize(op string, limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, Errorf(op, Invalid, "limit %d is negative", limit)
	case limit == 0:
		return l.DefaultPageSize, nil
	case limit > l.MaxPageSize:
		return 0, Errorf(op, Invalid, "limit %d exceeds the maximum page size %d", limit, l.MaxPageSize)
	}
	return limit, nil
}

// hops validates a requested hop count against l; 0 means def.
func (l QueryLimits) hops(op string, hops, def int) (int, error) {
	switch {
	case hops < 0:
		return 0, Errorf(op, Invalid, "hop count %d is negative", hops)
	case hops == 0:
		return min(def, l.MaxHops), nil
	case hops > l.MaxHops:
		return 0, Errorf(op, Invalid, "hop count %d exceeds the maximum %d", hops, l.MaxHops)
	}
	return hops, nil
}

// cursor is the decoded form of an opaque page cursor: which operation it
// belongs to, a hash of the query it continues, the keyset position the
// next page starts after (what the last page ended on: an entity, a pair,
// a match's walk, in terms of IRIs), and a checksum of the rest. A page
// resumes from that position: the pages before it are not walked again.
// Pages are stable while the store does not change; after a change a page
// resumes after the same position, wherever it now falls.
type cursor struct {
	Op    string   `json:"k"`
	Query uint64   `json:"q"`
	After []string `json:"a"`
	Sum   uint64   `json:"s"`
}

// maxCursor bounds the text of a cursor a client may send: a position is a
// few IRIs.
const maxCursor = 64 << 10

// queryHash identifies a query (without its limit and cursor) so a cursor
// cannot be replayed against a different query.
func queryHash(parts ...any) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		b, _ := json.Marshal(p)
		h.Write(b)
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// sum is the checksum of c's other fields: a cursor edited by hand or cut
// short is refused instead of resuming somewhere unintended.
func (c cursor) sum() uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "innograph cursor 2\x00%s\x00%d", c.Op, c.Query)
	for _, a := range c.After {
		h.Write([]byte{0})
		h.Write([]byte(a))
	}
	return h.Sum64()
}

// encodeCursor returns the opaque text of the cursor of op's query that
// resumes after position.
func encodeCursor(op string, query uint64, after []string) string {
	c := cursor{Op: op, Query: query, After: after}
	c.Sum = c.sum()
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errCursor is the message of a cursor that is not one of ours.
const errCursor = "invalid cursor: pass the \"next\" value of the previous page of the same query"

// decodeCursor parses text, which must have been made by encodeCursor for
// the same operation and query, and returns its position; "" is the first
// page (a nil position). It returns an Invalid error for anything else;
// the caller checks the position's shape with badCursor.
func decodeCursor(op, text string, query uint64) ([]string, error) {
	if text == "" {
		return nil, nil
	}
	if len(text) > maxCursor {
		return nil, Errorf(op, Invalid, errCursor)
	}
	// The decoders' own messages say nothing useful to a client.
	b, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return nil, Errorf(op, Invalid, errCursor)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c cursor
	if err := dec.Decode(&c); err != nil || dec.More() || c.Sum != c.sum() {
		return nil, Errorf(op, Invalid, errCursor)
	}
	if c.Op != op || c.Query != query || len(c.After) == 0 {
		return nil, Errorf(op, Invalid, "invalid cursor: it does not continue this query")
	}
	return c.After, nil
}

// badCursor is the error of a cursor whose position does not fit its
// query.
func badCursor(op string) error {
	return Errorf(op, Invalid, "invalid cursor: it does not continue this query")
}

// iriArg checks that s is a usable IRI argument.
func iriArg(op, what, s string) (quad.IRI, error) {
	if s == "" {
		return "", Errorf(op, Invalid, "%s is required", what)
	}
	if len(s) > 4096 {
		return "", Errorf(op, Invalid, "%s is too long", what)
	}
	return quad.IRI(s), nil
}

// errStop ends a walk early once a page is full.
var errStop = fmt.Errorf("stop")
