package graph

import (
	"context"
	"encoding/json"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Pattern is a declarative path query: a start set, then steps walked in
// order. Every match is a simple path (no node twice) from a start node
// that walks each step in turn.
type Pattern struct {
	Start Start  `json:"start"`
	Steps []Step `json:"steps"`
	// Result is the form of the answer: Tuples (the default) or Subgraph.
	Result ResultForm `json:"result,omitempty"`
	// Limit is the number of matches per page (0: the default page size).
	Limit int `json:"limit,omitempty"`
	// Cursor continues a previous page.
	Cursor string `json:"cursor,omitempty"`
	// Limits bound the query; zero fields take their defaults.
	Limits QueryLimits `json:"-"`
}

// Start is the start set of a pattern: the entities IDs, or every instance
// of the class Type. Exactly one must be given.
type Start struct {
	IDs  []string `json:"ids,omitempty"`
	Type string   `json:"type,omitempty"`
}

// Step is one step of a pattern: follow quads with one of Predicates
// (empty: any predicate except rdf:type) in Direction, Repeat.Min to
// Repeat.Max times (once without Repeat), to a node of class Type (any
// node when empty).
type Step struct {
	Predicates []string  `json:"predicates,omitempty"`
	Direction  Direction `json:"direction,omitempty"` // empty means Out
	Type       string    `json:"type,omitempty"`
	Repeat     *Repeat   `json:"repeat,omitempty"`
}

// Repeat says how often a step is walked: at least Min and at most Max
// times. Max 0 means as often as QueryLimits.MaxHops allows.
type Repeat struct {
	Min int `json:"min"`
	Max int `json:"max,omitempty"`
}

// ResultForm is the form of a pattern's answer.
type ResultForm string

// The forms of a pattern's answer.
const (
	Tuples    ResultForm = "tuples"   // one Match per path
	Subgraphs ResultForm = "subgraph" // the union of the page's paths
)

// Match is one path matching a pattern. Nodes holds the node where each
// step ended, after the start node: len(Nodes) == len(Steps)+1.
type Match struct {
	Nodes []Node `json:"nodes"`
	Path  Path   `json:"path"`
}

// PatternResult is one page of a pattern's answer: Matches for Tuples, or
// Subgraph for Subgraphs; Next continues it ("" at the end).
type PatternResult struct {
	Matches  []Match   `json:"matches,omitempty"`
	Subgraph *Subgraph `json:"subgraph,omitempty"`
	Next     string    `json:"next,omitempty"`
}

// Paths evaluates a pattern by depth-first search from each start node,
// looking up each node's edges in the store's subject or object index, so
// that the work grows with the matches walked and never with the size of
// the store. Matches come in start-set order (the order of IDs, or of the
// class index), then by node ID at each hop; pages are stable while the
// store is unchanged. It returns Invalid for a malformed pattern, a limit
// beyond QueryLimits or a bad cursor, NotFound for an unknown start ID, and
// Timeout when ctx ends first (a pattern that would run for minutes stops
// there).
func (s *Store) Paths(ctx context.Context, p Pattern) (PatternResult, error) {
	const op = "paths"
	lim := p.Limits.withDefaults()
	steps, err := compileSteps(op, p, lim)
	if err != nil {
		return PatternResult{}, err
	}
	size, err := lim.pageSize(op, p.Limit)
	if err != nil {
		return PatternResult{}, err
	}
	hash := queryHash(p.Start, p.Steps, p.Result)
	offset, err := decodeCursor(op, p.Cursor, hash)
	if err != nil {
		return PatternResult{}, err
	}
	var res PatternResult
	err = s.read(op, func(qs cgraph.QuadStore) error {
		w := s.newWalker(ctx, op, qs, lim)
		m := &patternRun{w: w, offset: offset, size: size, onPath: map[any]bool{},
			cache: map[stepNode][]hop{}}
		for _, st := range steps {
			m.steps = append(m.steps, st.resolve(w))
		}
		start := func(r cgraph.Ref) (bool, error) {
			if w.sql != nil && len(m.steps) > 0 && m.steps[0].max > 0 {
				// The start's types and first hops in one question.
				if err := m.expandAll(0, []cgraph.Ref{r}, true); err != nil {
					return false, err
				}
			}
			m.onPath[r.Key()] = true
			m.bounds = append(m.bounds, r)
			m.start = r
			err := m.walk(0, 0, r)
			m.bounds = m.bounds[:0]
			delete(m.onPath, r.Key())
			if err == errStop {
				return false, nil
			}
			return err == nil, err
		}
		if len(p.Start.IDs) > 0 {
			for _, id := range p.Start.IDs {
				r, err := w.resolve(quad.IRI(id))
				if err != nil {
					return err
				}
				more, err := start(r)
				if err != nil {
					return err
				}
				if !more {
					break
				}
			}
		} else if c := w.ref(quad.IRI(p.Start.Type)); c != nil {
			if err := w.instances(c, start); err != nil {
				return err
			}
		}
		var err error
		res, err = m.result(p.Result)
		res.Next = nextCursor(op, hash, offset, len(m.found), m.more)
		return err
	})
	if err != nil {
		return PatternResult{}, err
	}
	return res, nil
}

// cstep is a validated step.
type cstep struct {
	preds    []string
	dir      Direction
	class    string
	min, max int
}

// rstep is a step resolved against one store.
type rstep struct {
	cstep
	set map[any]bool
}

func (c cstep) resolve(w *walker) rstep { return rstep{cstep: c, set: w.predSet(c.preds)} }

// compileSteps validates the pattern and fills in defaults.
func compileSteps(op string, p Pattern, lim QueryLimits) ([]cstep, error) {
	switch {
	case len(p.Start.IDs) > 0 && p.Start.Type != "":
		return nil, Errorf(op, Invalid, "start has both ids and type; give one")
	case len(p.Start.IDs) == 0 && p.Start.Type == "":
		return nil, Errorf(op, Invalid, "start needs ids or a type")
	case len(p.Start.IDs) > lim.MaxPageSize:
		return nil, Errorf(op, Invalid, "start has %d ids, more than %d", len(p.Start.IDs), lim.MaxPageSize)
	}
	for _, id := range p.Start.IDs {
		if _, err := iriArg(op, "start id", id); err != nil {
			return nil, err
		}
	}
	switch p.Result {
	case "", Tuples, Subgraphs:
	default:
		return nil, Errorf(op, Invalid, "result %q is not one of tuples, subgraph", p.Result)
	}
	var out []cstep
	total := 0
	for i, s := range p.Steps {
		c := cstep{preds: s.Predicates, dir: s.Direction, class: s.Type, min: 1, max: 1}
		if c.dir == "" {
			c.dir = Out
		}
		if !c.dir.valid() {
			return nil, Errorf(op, Invalid, "step %d: direction %q is not one of out, in, both", i+1, s.Direction)
		}
		if r := s.Repeat; r != nil {
			c.min, c.max = r.Min, r.Max
			if c.max == 0 {
				c.max = lim.MaxHops
			}
			switch {
			case r.Min < 0 || r.Max < 0:
				return nil, Errorf(op, Invalid, "step %d: repeat bounds must not be negative", i+1)
			case r.Max > lim.MaxHops:
				return nil, Errorf(op, Invalid, "step %d: repeat max %d exceeds the maximum hop count %d", i+1, r.Max, lim.MaxHops)
			case c.min > c.max:
				return nil, Errorf(op, Invalid, "step %d: repeat min %d exceeds max %d", i+1, c.min, c.max)
			}
		}
		total += c.min
		out = append(out, c)
	}
	if total > lim.MaxHops {
		return nil, Errorf(op, Invalid, "the pattern needs at least %d hops, more than the maximum %d", total, lim.MaxHops)
	}
	return out, nil
}

// stepNode keys the expansion cache.
type stepNode struct {
	step int
	node any
}

// maxCached bounds the expansion cache of one pattern run.
const maxCached = 50000

// patternRun is the state of one depth-first pattern evaluation.
type patternRun struct {
	w            *walker
	steps        []rstep
	offset, size int
	n            int // matches seen, skipped ones included
	more         bool
	start        cgraph.Ref
	onPath       map[any]bool
	chain        []pedge
	bounds       []cgraph.Ref
	found        []foundMatch
	cache        map[stepNode][]hop
}

type foundMatch struct {
	start  cgraph.Ref
	chain  []pedge
	bounds []cgraph.Ref
}

// walk continues a match at node cur, having walked rep hops of step i.
func (m *patternRun) walk(i, rep int, cur cgraph.Ref) error {
	if i == len(m.steps) {
		return m.emit()
	}
	st := m.steps[i]
	if rep >= st.min {
		ok, err := m.w.hasType(cur, st.class)
		if err != nil {
			return err
		}
		if ok {
			m.bounds = append(m.bounds, cur)
			err := m.walk(i+1, 0, cur)
			m.bounds = m.bounds[:len(m.bounds)-1]
			if err != nil {
				return err
			}
		}
	}
	if rep >= st.max || len(m.chain) >= m.w.lim.MaxHops {
		return nil
	}
	hs, err := m.expand(i, cur)
	if err != nil {
		return err
	}
	if err := m.warm(i, rep, hs); err != nil {
		return err
	}
	for _, h := range hs {
		k := h.node.Key()
		if m.onPath[k] {
			continue
		}
		m.onPath[k] = true
		m.chain = append(m.chain, pedge{from: cur, to: h.node, pred: h.pred, dir: h.dir})
		err := m.walk(i, rep+1, h.node)
		m.chain = m.chain[:len(m.chain)-1]
		delete(m.onPath, k)
		if err != nil {
			return err
		}
	}
	return nil
}

// expand returns the hops of step i from cur, cached: many matches pass
// through the same hubs.
func (m *patternRun) expand(i int, cur cgraph.Ref) ([]hop, error) {
	k := stepNode{i, cur.Key()}
	if hs, ok := m.cache[k]; ok {
		return hs, m.w.check()
	}
	hs, err := m.w.expand(cur, m.steps[i].dir, m.steps[i].set)
	if err == nil && len(m.cache) < maxCached {
		m.cache[k] = hs
	}
	return hs, err
}

// warm, on stores that answer in batches (SQL), reads at once what the
// walk of each hop of hs from step i, repetition rep, is about to ask node
// by node: the nodes' types, and their expansions by the next step and by
// this one (when it may repeat). It changes no answer, only how many round
// trips find it.
func (m *patternRun) warm(i, rep int, hs []hop) error {
	w := m.w
	if w.sql == nil || len(hs) == 0 {
		return nil
	}
	var kids []cgraph.Ref
	for _, h := range hs {
		if !m.onPath[h.node.Key()] {
			kids = append(kids, h.node)
		}
	}
	st := m.steps[i]
	deeper := len(m.chain)+1 < w.lim.MaxHops
	if deeper && rep+1 >= st.min && i+1 < len(m.steps) && m.steps[i+1].max > 0 {
		// Types and the next step's hops in one question; the next step
		// is walked from the kids of st's class, the others' hops are
		// read for nothing.
		if err := m.expandAll(i+1, kids, true); err != nil {
			return err
		}
	}
	if err := w.prefetchNodes(kids); err != nil {
		return err
	}
	if deeper && rep+1 < st.max {
		return m.expandAll(i, kids, false)
	}
	return nil
}

// expandAll fills the expansion cache for step i of every ref not in it,
// and with describe the nodeInfo of those refs too.
func (m *patternRun) expandAll(i int, refs []cgraph.Ref, describe bool) error {
	var todo []cgraph.Ref
	for _, r := range refs {
		if _, ok := m.cache[stepNode{i, r.Key()}]; !ok {
			todo = append(todo, r)
		}
	}
	return m.w.chunks(todo, func(rs []cgraph.Ref) error {
		if len(m.cache)+len(rs) > maxCached {
			return nil
		}
		expand := m.w.expandMany
		if describe {
			expand = m.w.describeExpand
		}
		hss, err := expand(rs, m.steps[i].dir, m.steps[i].set)
		if err != nil {
			return err
		}
		for j, r := range rs {
			m.cache[stepNode{i, r.Key()}] = hss[j]
		}
		return nil
	})
}

// emit records the current match, or stops the walk once the page is full.
func (m *patternRun) emit() error {
	m.n++
	if m.n <= m.offset {
		return nil
	}
	if len(m.found) == m.size {
		m.more = true
		return errStop
	}
	m.found = append(m.found, foundMatch{
		start:  m.start,
		chain:  append([]pedge(nil), m.chain...),
		bounds: append([]cgraph.Ref(nil), m.bounds...),
	})
	return nil
}

// result renders the page in the asked form.
func (m *patternRun) result(form ResultForm) (PatternResult, error) {
	if form == Subgraphs {
		g := &Subgraph{Nodes: []Node{}, Edges: []Edge{}}
		seenN, seenE := map[any]bool{}, map[Edge]bool{}
		var refs []cgraph.Ref
		for _, f := range m.found {
			for _, r := range append([]cgraph.Ref{f.start}, edgeEnds(f.chain)...) {
				if !seenN[r.Key()] {
					seenN[r.Key()] = true
					refs = append(refs, r)
				}
			}
			for _, e := range f.chain {
				if e.dir == In {
					e = e.flip()
				}
				edge := Edge{From: m.w.id(e.from), To: m.w.id(e.to), Predicate: m.w.id(e.pred), Direction: Out}
				if !seenE[edge] {
					seenE[edge] = true
					g.Edges = append(g.Edges, edge)
				}
			}
		}
		var err error
		if g.Nodes, err = m.w.nodes(refs); err != nil {
			return PatternResult{}, err
		}
		g.sortNodes()
		g.sortEdges()
		return PatternResult{Subgraph: g}, nil
	}
	res := PatternResult{Matches: []Match{}}
	var refs []cgraph.Ref
	for _, f := range m.found {
		refs = append(append(append(refs, f.start), edgeEnds(f.chain)...), f.bounds...)
	}
	if err := m.w.prefetchNodes(refs); err != nil {
		return PatternResult{}, err
	}
	for _, f := range m.found {
		p, err := m.w.path(f.start, f.chain)
		if err != nil {
			return PatternResult{}, err
		}
		nodes, err := m.w.nodes(f.bounds)
		if err != nil {
			return PatternResult{}, err
		}
		res.Matches = append(res.Matches, Match{Nodes: nodes, Path: p})
	}
	return res, nil
}

// edgeEnds lists the node each edge reaches.
func edgeEnds(chain []pedge) []cgraph.Ref {
	out := make([]cgraph.Ref, len(chain))
	for i, e := range chain {
		out[i] = e.to
	}
	return out
}

// MarshalJSON writes a Tuples answer as {"matches": [...], "next": ...},
// with an empty list rather than none, and a Subgraphs answer as
// {"subgraph": {...}, "next": ...}.
func (r PatternResult) MarshalJSON() ([]byte, error) {
	if r.Subgraph != nil {
		return json.Marshal(struct {
			Subgraph *Subgraph `json:"subgraph"`
			Next     string    `json:"next,omitempty"`
		}{r.Subgraph, r.Next})
	}
	m := r.Matches
	if m == nil {
		m = []Match{}
	}
	return json.Marshal(struct {
		Matches []Match `json:"matches"`
		Next    string  `json:"next,omitempty"`
	}{m, r.Next})
}
