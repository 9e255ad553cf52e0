package graph

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// Pattern is a declarative path query: a start set, then steps walked in
// order. Every match is a simple path (no node twice) from a start node
// that walks each step in turn.
type Pattern struct {
	Start Start  `json:"start"`
	Steps []Step `json:"steps"`
	// Result is the form of the answer: Tuples (the default), Subgraphs or
	// EndNodes.
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
	// EndNodes is the distinct nodes where matches end (the last step's
	// nodes), sorted by IRI, without the paths: what SELECT DISTINCT on
	// the last variable returns. Its pages are pages of nodes.
	EndNodes ResultForm = "nodes"
)

// Match is one path matching a pattern. Nodes holds the node where each
// step ended, after the start node: len(Nodes) == len(Steps)+1.
type Match struct {
	Nodes []Node `json:"nodes"`
	Path  Path   `json:"path"`
}

// PatternResult is one page of a pattern's answer: Matches for Tuples,
// Subgraph for Subgraphs, or Nodes for EndNodes; Next continues it (""
// at the end).
type PatternResult struct {
	Matches  []Match   `json:"matches,omitempty"`
	Subgraph *Subgraph `json:"subgraph,omitempty"`
	Nodes    []Node    `json:"nodes,omitempty"`
	Next     string    `json:"next,omitempty"`
}

// Paths evaluates a pattern by depth-first search from each start node,
// reading each node's edges through the store's reader, so that the work
// grows with the matches walked and never with the size of the store.
// Matches come in start-set order (the order of IDs, or of the class's
// instances in the reader), then by node IRI at each hop; a page's cursor
// holds the walk of its last match, and the next page resumes the search
// there. Pages are stable while the store is unchanged. The EndNodes form
// walks every match on every page (it must, to know which ends are
// distinct) and pages the sorted ends by IRI. It returns Invalid for a malformed pattern, a limit
// beyond QueryLimits or a bad cursor, NotFound for an unknown start ID, and
// Timeout when ctx ends first (a pattern that would run for minutes stops
// there).
func (s *Store) Paths(ctx context.Context, p Pattern) (PatternResult, error) {
	return paths(ctx, s.query, p)
}

func paths(ctx context.Context, query querier, p Pattern) (PatternResult, error) {
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
	after, err := decodeCursor(op, p.Cursor, hash)
	if err != nil {
		return PatternResult{}, err
	}
	if p.Result == EndNodes && after != nil && len(after) != 1 {
		return PatternResult{}, badCursor(op)
	}
	var res PatternResult
	err = query(ctx, op, lim, func(w *walker) error {
		m := &patternRun{w: w, form: p.Result, size: size, onPath: map[nid]bool{},
			cache: map[stepNode][]hop{}, ends: map[nid]bool{}}
		for _, st := range steps {
			set, err := w.predSet(st.preds)
			if err != nil {
				return err
			}
			rs := rstep{cstep: st, set: set}
			if st.class != "" {
				ids, err := w.lookup(quad.IRI(st.class))
				if err != nil {
					return err
				}
				if rs.classID = ids[0]; rs.classID == 0 {
					rs.none = true // no node has it
				}
			}
			m.steps = append(m.steps, rs)
		}
		var resume []move
		startAt := ""
		if after != nil && p.Result != EndNodes {
			if resume, err = m.position(op, after[1:]); err != nil {
				return err
			}
			startAt = after[0]
		}
		start := func(idx int, r nid, res []move) (bool, error) {
			m.startIndex = idx
			m.onPath[r] = true
			m.bounds = append(m.bounds[:0], r)
			m.reps = m.reps[:0]
			m.start = r
			err := m.walk(0, 0, r, res, res != nil)
			delete(m.onPath, r)
			if err == errStop {
				return false, nil
			}
			return err == nil, err
		}
		if len(p.Start.IDs) > 0 {
			from := 0
			if startAt != "" {
				i, err := strconv.Atoi(startAt)
				if err != nil || i < 0 || i >= len(p.Start.IDs) {
					return badCursor(op)
				}
				from = i
			}
			for i, id := range p.Start.IDs {
				r, err := w.resolve(quad.IRI(id))
				if err != nil {
					return err
				}
				if i < from {
					continue
				}
				var res []move
				if i == from {
					res = resume
				}
				more, err := start(i, r, res)
				if err != nil {
					return err
				}
				if !more {
					break
				}
			}
		} else {
			ids, err := w.lookup(quad.IRI(p.Start.Type))
			if err != nil {
				return err
			}
			class := ids[0]
			var at nid
			if startAt != "" {
				ids, err := w.lookup(quad.IRI(startAt))
				if err != nil {
					return err
				}
				if at = ids[0]; at == 0 {
					// The instance the last page ended in is gone: the
					// store changed, and where to resume is unknown.
					class = 0
				}
			}
			if err := w.instances(class, func(r nid) (bool, error) {
				if at != 0 {
					if r != at {
						return true, nil
					}
					at = 0
					return start(0, r, resume)
				}
				return start(0, r, nil)
			}); err != nil {
				return err
			}
		}
		var err error
		if res, err = m.result(); err != nil {
			return err
		}
		if p.Result == EndNodes {
			res, err = m.endNodes(after, hash)
			return err
		}
		if m.more {
			res.Next = encodeCursor(op, hash, m.cursorOf(p.Start, m.found[len(m.found)-1]))
		}
		return nil
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

// rstep is a step resolved against one reader.
type rstep struct {
	cstep
	set     []nid // its predicates, nil for any
	classID nid   // its class, zero for any node
	none    bool  // its class is unknown: no node ends it
}

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
	case "", Tuples, Subgraphs, EndNodes:
	default:
		return nil, Errorf(op, Invalid, "result %q is not one of tuples, subgraph, nodes", p.Result)
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
	node nid
}

// maxCached bounds the expansion cache of one pattern run.
const maxCached = 50000

// patternRun is the state of one depth-first pattern evaluation.
type patternRun struct {
	w      *walker
	steps  []rstep
	form   ResultForm
	size   int
	more   bool
	start  nid
	onPath map[nid]bool
	chain  []pedge
	bounds []nid
	reps   []int // hops walked by each finished step of the current match
	// startIndex is the current start's index in the start IDs.
	startIndex int
	found      []foundMatch
	ends       map[nid]bool // EndNodes: the distinct ends
	cache      map[stepNode][]hop
}

type foundMatch struct {
	start      nid
	startIndex int
	chain      []pedge
	bounds     []nid
	reps       []int
}

// move is one choice of the depth-first search, as a cursor records it:
// finish the current step here (advance), or walk a hop.
type move struct {
	advance    bool
	pred, node string
	dir        Direction
}

// position parses the moves of a cursor: "+" for an advance, or a
// direction ("out", "in") followed by the predicate and node IRIs of a
// hop. A walk that does not fit the pattern is an Invalid error.
func (m *patternRun) position(op string, after []string) ([]move, error) {
	out := []move{} // not nil: a match of no moves is resumed too
	advances, hops, rep := 0, 0, 0
	for i := 0; i < len(after); i++ {
		switch a := after[i]; a {
		case "+":
			if advances == len(m.steps) || rep < m.steps[advances].min {
				return nil, badCursor(op)
			}
			out = append(out, move{advance: true})
			advances++
			rep = 0
		case string(Out), string(In):
			if i+2 >= len(after) || advances == len(m.steps) || rep == m.steps[advances].max || hops == m.w.lim.MaxHops {
				return nil, badCursor(op)
			}
			out = append(out, move{pred: after[i+1], node: after[i+2], dir: Direction(a)})
			i += 2
			hops++
			rep++
		default:
			return nil, badCursor(op)
		}
	}
	if advances != len(m.steps) {
		return nil, badCursor(op)
	}
	return out, nil
}

// cursorOf is the keyset position of match f: its start (the index in
// the start IDs, or the start IRI) and its moves.
func (m *patternRun) cursorOf(st Start, f foundMatch) []string {
	var out []string
	if len(st.IDs) > 0 {
		out = append(out, strconv.Itoa(f.startIndex))
	} else {
		out = append(out, m.w.text(f.start))
	}
	e := 0
	for _, n := range f.reps {
		for range n {
			h := f.chain[e]
			out = append(out, string(h.dir), m.w.text(h.pred), m.w.text(h.to))
			e++
		}
		out = append(out, "+")
	}
	return out
}

// cmpMove orders hop h against the hop of move t as expand sorts hops.
func (m *patternRun) cmpMove(h hop, t move) int {
	if n := string(m.w.vals[h.node].(quad.IRI)); n != t.node {
		return strings.Compare(n, t.node)
	}
	if p := m.w.text(h.pred); p != t.pred {
		return strings.Compare(p, t.pred)
	}
	switch {
	case h.dir == t.dir:
		return 0
	case h.dir == Out:
		return -1
	}
	return 1
}

// walk continues a match at node cur, having walked rep hops of step i.
// While resuming, res holds the moves of the last page's last match still
// to replay: the search skips what came before them, replays them, and
// carries on after (the replayed match itself was already given).
func (m *patternRun) walk(i, rep int, cur nid, res []move, resuming bool) error {
	if resuming && len(res) == 0 && i < len(m.steps) {
		resuming = false // the store changed under the cursor
	}
	if i == len(m.steps) {
		if resuming {
			return nil
		}
		return m.emit()
	}
	st := m.steps[i]
	if rep >= st.min && (!resuming || res[0].advance) {
		ok := !st.none
		if ok && st.classID != 0 {
			var err error
			if ok, err = m.w.hasType(cur, st.classID); err != nil {
				return err
			}
		}
		if ok {
			m.bounds = append(m.bounds, cur)
			m.reps = append(m.reps, rep)
			var next []move
			if resuming {
				next = res[1:]
			}
			err := m.walk(i+1, 0, cur, next, resuming)
			m.bounds = m.bounds[:len(m.bounds)-1]
			m.reps = m.reps[:len(m.reps)-1]
			if err != nil {
				return err
			}
		}
	}
	if resuming && res[0].advance {
		resuming = false // every hop comes after the advance
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
		var next []move
		if resuming {
			switch c := m.cmpMove(h, res[0]); {
			case c < 0:
				continue
			case c == 0:
				next = res[1:]
			default:
				resuming = false
			}
		}
		if m.onPath[h.node] {
			resuming = false
			continue
		}
		m.onPath[h.node] = true
		m.chain = append(m.chain, pedge{from: cur, to: h.node, pred: h.pred, dir: h.dir})
		err := m.walk(i, rep+1, h.node, next, next != nil)
		m.chain = m.chain[:len(m.chain)-1]
		delete(m.onPath, h.node)
		if err != nil {
			return err
		}
		resuming = false
	}
	return nil
}

// expand returns the hops of step i from cur, cached: many matches pass
// through the same hubs.
func (m *patternRun) expand(i int, cur nid) ([]hop, error) {
	k := stepNode{i, cur}
	if hs, ok := m.cache[k]; ok {
		return hs, m.w.check()
	}
	hss, err := m.w.expandMany([]nid{cur}, m.steps[i].dir, m.steps[i].set)
	if err != nil {
		return nil, err
	}
	if len(m.cache) < maxCached {
		m.cache[k] = hss[0]
	}
	return hss[0], nil
}

// warm describes, in one read, the nodes the walk of hs from step i,
// repetition rep, is about to check the class of one by one.
func (m *patternRun) warm(i, rep int, hs []hop) error {
	if st := m.steps[i]; len(hs) < 2 || st.classID == 0 || rep+1 < st.min {
		return nil
	}
	kids := make([]nid, 0, len(hs))
	for _, h := range hs {
		if m.w.info[h.node] == nil {
			kids = append(kids, h.node)
		}
	}
	return m.w.describe(kids)
}

// emit records the current match, or stops the walk once the page is full.
func (m *patternRun) emit() error {
	if m.form == EndNodes {
		end := m.bounds[len(m.bounds)-1]
		if !m.ends[end] {
			if len(m.ends) >= m.w.lim.MaxVisited {
				return Errorf(m.w.op, Unprocessable, "more than %d end nodes; narrow the pattern", m.w.lim.MaxVisited)
			}
			m.ends[end] = true
		}
		return nil
	}
	if len(m.found) == m.size {
		m.more = true
		return errStop
	}
	m.found = append(m.found, foundMatch{
		start:      m.start,
		startIndex: m.startIndex,
		chain:      append([]pedge(nil), m.chain...),
		bounds:     append([]nid(nil), m.bounds...),
		reps:       append([]int(nil), m.reps...),
	})
	return nil
}

// endNodes renders the EndNodes page after the IRI in after.
func (m *patternRun) endNodes(after []string, hash uint64) (PatternResult, error) {
	w := m.w
	ids := make([]nid, 0, len(m.ends))
	for id := range m.ends {
		ids = append(ids, id)
	}
	if err := w.prefetch(ids); err != nil {
		return PatternResult{}, err
	}
	sort.Slice(ids, func(i, j int) bool { return w.text(ids[i]) < w.text(ids[j]) })
	i := 0
	if after != nil {
		i = sort.Search(len(ids), func(i int) bool { return w.text(ids[i]) > after[0] })
	}
	page := ids[i:min(i+m.size, len(ids))]
	nodes, err := w.nodes(page)
	if err != nil {
		return PatternResult{}, err
	}
	res := PatternResult{Nodes: nodes}
	if i+m.size < len(ids) {
		res.Next = encodeCursor(w.op, hash, []string{w.text(page[len(page)-1])})
	}
	return res, nil
}

// result renders the page in the asked form.
func (m *patternRun) result() (PatternResult, error) {
	w := m.w
	if m.form == EndNodes {
		return PatternResult{}, nil
	}
	var ids []nid
	for _, f := range m.found {
		ids = appendEdgeEnds(append(ids, f.start), f.chain)
		for _, e := range f.chain {
			ids = append(ids, e.pred)
		}
	}
	if err := w.describe(ids); err != nil {
		return PatternResult{}, err
	}
	if err := w.prefetch(ids); err != nil {
		return PatternResult{}, err
	}
	if m.form == Subgraphs {
		g := &Subgraph{Nodes: []Node{}, Edges: []Edge{}}
		seenN, seenE := map[nid]bool{}, map[Edge]bool{}
		var nodes []nid
		for _, f := range m.found {
			for _, r := range appendEdgeEnds([]nid{f.start}, f.chain) {
				if !seenN[r] {
					seenN[r] = true
					nodes = append(nodes, r)
				}
			}
			for _, e := range f.chain {
				if e.dir == In {
					e = e.flip()
				}
				edge := Edge{From: w.text(e.from), To: w.text(e.to), Predicate: w.text(e.pred), Direction: Out}
				if !seenE[edge] {
					seenE[edge] = true
					g.Edges = append(g.Edges, edge)
				}
			}
		}
		var err error
		if g.Nodes, err = w.nodes(nodes); err != nil {
			return PatternResult{}, err
		}
		g.sortNodes()
		g.sortEdges()
		return PatternResult{Subgraph: g}, nil
	}
	res := PatternResult{Matches: make([]Match, 0, len(m.found))}
	for _, f := range m.found {
		p, err := w.path(f.start, f.chain)
		if err != nil {
			return PatternResult{}, err
		}
		nodes, err := w.nodes(f.bounds)
		if err != nil {
			return PatternResult{}, err
		}
		res.Matches = append(res.Matches, Match{Nodes: nodes, Path: p})
	}
	return res, nil
}

// MarshalJSON writes a Tuples answer as {"matches": [...], "next": ...},
// with an empty list rather than none, a Subgraphs answer as
// {"subgraph": {...}, "next": ...} and an EndNodes answer as
// {"nodes": [...], "next": ...}.
func (r PatternResult) MarshalJSON() ([]byte, error) {
	if r.Nodes != nil {
		return json.Marshal(struct {
			Nodes []Node `json:"nodes"`
			Next  string `json:"next,omitempty"`
		}{r.Nodes, r.Next})
	}
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
