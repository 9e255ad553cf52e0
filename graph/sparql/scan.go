package sparql

import (
	"context"
	"errors"
	"fmt"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// pos is one position of a triple pattern: a variable slot, or a constant
// (slot < 0) with its ID.
type pos struct {
	slot int
	id   ID
}

func (p pos) value(row []ID) ID {
	if p.slot < 0 {
		return p.id
	}
	return row[p.slot]
}

// graphMode says which graphs a pattern is matched in.
type graphMode uint8

const (
	gDefaultAll graphMode = iota // the default graph is every quad of the store
	gDefaultSet                  // the default graph is the union of a set of graphs
	gNamed                       // a named graph: a constant or a variable (pos)
	gNone                        // no graph at all: nothing matches
)

// graphSpec is the active graph of a pattern.
type graphSpec struct {
	mode  graphMode
	g     pos         // gNamed: the graph constant or variable
	set   map[ID]bool // gDefaultSet: the graphs of the default graph (0 for the unnamed one); gNamed: the allowed named graphs, nil for all
	label string      // the graph as the query writes it, for explain
	// param, when not zero, makes the graph the one graphLoopNode set in
	// exec.params[param-1] (when g does not give one).
	param int
}

// rowGraph is the named graph a row's pattern is matched in (zero when
// it is free).
func (g *graphSpec) rowGraph(ex *exec, row []ID) ID {
	if g.mode != gNamed {
		return 0
	}
	if id := g.g.value(row); id != 0 || g.param == 0 {
		return id
	}
	return ex.params[g.param-1]
}

// accepts reports whether a quad in graph gid is in the active graph,
// given the graph the row binds (rowG, zero when unbound or not named).
func (g *graphSpec) accepts(gid, rowG ID) bool {
	switch g.mode {
	case gDefaultAll:
		return true
	case gDefaultSet:
		return g.set[gid]
	case gNamed:
		if gid == 0 {
			return false
		}
		if rowG != 0 {
			return gid == rowG
		}
		return g.set == nil || g.set[gid]
	}
	return false
}

// scanNode answers one triple pattern by index lookups: for a batch of
// input solutions it asks the reader, in one call per access direction,
// for the quads of every distinct bound node, and extends each input row
// with every matching quad (bind join).
type scanNode struct {
	s, p, o pos
	graph   graphSpec
	est     int64
	fanout  float64 // estimated matches per input row, 0 when unknown
	label   string
	// same[i][j] reports that positions i and j (S, P, O, G) are the same
	// variable.
	same [4][4]bool
}

func newScanNode(s, p, o pos, g graphSpec, label string) *scanNode {
	n := &scanNode{s: s, p: p, o: o, graph: g, label: label}
	ps := [4]pos{s, p, o, g.g}
	if g.mode != gNamed {
		ps[3] = pos{slot: -1}
	}
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			n.same[i][j] = i != j && ps[i].slot >= 0 && ps[i].slot == ps[j].slot
		}
	}
	return n
}

// access is one reader call of a scan: the direction, the distinct
// nodes, and for each node the input rows that look it up.
type access struct {
	dir   quad.Direction
	nodes []ID
	rows  [][]int32
	index map[ID]int
}

func (a *access) addRow(node ID, row int32) {
	if a.index == nil {
		a.index = map[ID]int{}
	}
	i, ok := a.index[node]
	if !ok {
		i = len(a.nodes)
		a.index[node] = i
		a.nodes = append(a.nodes, node)
		a.rows = append(a.rows, nil)
	}
	a.rows[i] = append(a.rows[i], row)
}

var errStopWalk = errors.New("stop walk")

func (n *scanNode) run(ctx context.Context, ex *exec, in *batch, emit emitFn) error {
	if n.graph.mode == gNone {
		return nil
	}
	// eff holds each input row's effective S, P, O, G (zero: unbound).
	eff := make([][4]ID, in.n)
	var bySubj, byObj, byPred, byGraph access
	bySubj.dir, byObj.dir, byPred.dir, byGraph.dir = quad.Subject, quad.Object, quad.Predicate, quad.Label
	var scanAll []int32
	for i := 0; i < in.n; i++ {
		row := in.row(i)
		e := [4]ID{n.s.value(row), n.p.value(row), n.o.value(row), n.graph.rowGraph(ex, row)}
		local := false
		for _, id := range e {
			if isLocal(id) {
				local = true
			}
		}
		if local {
			continue // a term the store does not hold matches nothing
		}
		eff[i] = e
		switch {
		case e[0] != 0:
			bySubj.addRow(e[0], int32(i))
		case e[2] != 0:
			byObj.addRow(e[2], int32(i))
		case e[1] != 0:
			byPred.addRow(e[1], int32(i))
		case e[3] != 0:
			byGraph.addRow(e[3], int32(i))
		case n.graph.mode == gDefaultSet && len(n.graph.set) <= 64:
			// A default graph of a few graphs: their quads, not all.
			for g := range n.graph.set {
				byGraph.addRow(g, int32(i))
			}
		default:
			scanAll = append(scanAll, int32(i))
		}
	}
	f := newFlusher(in.w, emit)
	var preds []ID
	if n.p.slot < 0 {
		preds = []ID{n.p.id}
	}
	var dd *dedup
	for _, a := range []*access{&bySubj, &byObj, &byPred, &byGraph} {
		if len(a.nodes) == 0 {
			continue
		}
		dd = n.newDedup()
		ap := preds
		if a.dir == quad.Predicate {
			ap = nil
		}
		var walkErr error
		count := 0
		// A node's quads come together, so a triple's copies in other
		// graphs come within its group; the graph direction spreads them
		// over groups, so its groups share one set.
		group := a.dir != quad.Label
		err := ex.r.Quads(ctx, a.dir, a.nodes, ap, func(i int, q frontier.Quad) bool {
			if count++; count&4095 == 0 {
				if walkErr = ex.checkCtx(ctx); walkErr != nil {
					return false
				}
			}
			if dd.dup(q, i, group) {
				return true
			}
			for _, j := range a.rows[i] {
				if walkErr = n.match(in, int(j), &eff[j], q, f); walkErr != nil {
					return false
				}
			}
			return true
		})
		if walkErr != nil {
			return walkErr
		}
		if err != nil {
			return wrapCtx(ex.op, err)
		}
	}
	if len(scanAll) > 0 {
		var walkErr error
		count := 0
		dd = n.newDedup()
		err := ex.r.All(ctx, func(q frontier.Quad) bool {
			if count++; count&4095 == 0 {
				if walkErr = ex.checkCtx(ctx); walkErr != nil {
					return false
				}
			}
			// Copies of a triple share its subject: readers that give a
			// subject's quads together (the in-memory index does) are
			// deduplicated exactly, in memory bounded by a subject's
			// degree.
			if dd.dup(q, int(q.S), true) {
				return true
			}
			for _, j := range scanAll {
				if walkErr = n.match(in, int(j), &eff[j], q, f); walkErr != nil {
					return false
				}
			}
			return true
		})
		if walkErr != nil {
			return walkErr
		}
		if err != nil {
			return wrapCtx(ex.op, err)
		}
	}
	return f.flush()
}

// dedup drops the repeats of a triple stated in several graphs of a
// default graph: the default graph is the RDF merge of its graphs, a set
// of triples, so a triple matches once however many graphs state it.
type dedup struct {
	on  bool
	g   *graphSpec
	cur int
	// While a group's triples come in ascending (P, S, O) order, as the
	// in-memory index gives a node's quads (predicate, other end, graph),
	// a triple's copies come one after another: comparing with the last
	// one is enough. list keeps the group's triples so that, should one
	// come out of order (another reader), they move to the set seen.
	last   [3]ID
	n      int // triples of the group so far
	list   [][3]ID
	seen   map[[3]ID]struct{}
	hashed bool // the group has moved to seen
}

// newDedup returns the dedup of a scan: on only where the pattern's
// active graph is a default graph of more than one graph.
func (n *scanNode) newDedup() *dedup {
	on := n.graph.mode == gDefaultAll || n.graph.mode == gDefaultSet && len(n.graph.set) > 1
	return &dedup{on: on, g: &n.graph, cur: -1}
}

// dup reports whether q repeats a triple already given in the current
// group (a walk's quads with one key, when grouped) or in the walk. Quads
// outside the active graph are not counted, so a copy in another graph
// never hides the one that matches.
func (d *dedup) dup(q frontier.Quad, key int, grouped bool) bool {
	if !d.on || !d.g.accepts(q.G, 0) {
		return false
	}
	if grouped && key != d.cur {
		d.cur, d.n = key, 0
		d.list = d.list[:0]
		if d.hashed {
			d.hashed = false
			if len(d.seen) > 1024 {
				d.seen = nil // clearing costs the map's past size
			} else {
				clear(d.seen)
			}
		}
	}
	k := [3]ID{q.P, q.S, q.O}
	if !d.hashed {
		switch {
		case d.n == 0 || after(k, d.last):
			d.last, d.n = k, d.n+1
			d.list = append(d.list, k)
			return false
		case k == d.last:
			return true
		}
		if d.seen == nil {
			d.seen = make(map[[3]ID]struct{}, 2*len(d.list))
		}
		for _, x := range d.list {
			d.seen[x] = struct{}{}
		}
		d.hashed = true
	}
	if _, ok := d.seen[k]; ok {
		return true
	}
	d.seen[k] = struct{}{}
	return false
}

// after reports whether a comes after b in lexicographic order.
func after(a, b [3]ID) bool {
	if a[0] != b[0] {
		return a[0] > b[0]
	}
	if a[1] != b[1] {
		return a[1] > b[1]
	}
	return a[2] > b[2]
}

// match extends input row j with quad q when q matches the row's bound
// positions, the active graph and the pattern's repeated variables.
func (n *scanNode) match(in *batch, j int, e *[4]ID, q frontier.Quad, f *flusher) error {
	if e[0] != 0 && q.S != e[0] || e[1] != 0 && q.P != e[1] || e[2] != 0 && q.O != e[2] {
		return nil
	}
	if !n.graph.accepts(q.G, e[3]) {
		return nil
	}
	qv := [4]ID{q.S, q.P, q.O, q.G}
	for i := 0; i < 4; i++ {
		for k := i + 1; k < 4; k++ {
			if n.same[i][k] && qv[i] != qv[k] {
				return nil
			}
		}
	}
	row := f.out.add(in.row(j), int32(j))
	if n.s.slot >= 0 && e[0] == 0 {
		row[n.s.slot] = q.S
	}
	if n.p.slot >= 0 && e[1] == 0 {
		row[n.p.slot] = q.P
	}
	if n.o.slot >= 0 && e[2] == 0 {
		row[n.o.slot] = q.O
	}
	if n.graph.mode == gNamed && n.graph.g.slot >= 0 && e[3] == 0 {
		row[n.graph.g.slot] = q.G
	}
	return f.check()
}

func (n *scanNode) explain() *Explain {
	d := n.label
	if n.fanout > 0 {
		d += fmt.Sprintf(" (~%.3g per input row)", n.fanout)
	}
	return &Explain{Op: "scan", Detail: d, Estimate: n.est}
}
