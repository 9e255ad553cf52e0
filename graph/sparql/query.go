package sparql

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// GraphSet selects graphs of the store.
type GraphSet struct {
	// All selects every graph the store holds: for a default graph, every
	// quad (the unnamed graph included); for the named graphs, every graph
	// label (the unnamed graph is never a named graph).
	All bool
	// Unnamed adds the store's unnamed graph (quads without a label) to a
	// default graph.
	Unnamed bool
	// Graphs adds these graphs, by label.
	Graphs []quad.Value
}

// Dataset is the RDF dataset a query or update runs on, in terms of the
// store's graphs: its default graph is the merge of Default, its named
// graphs are Named.
type Dataset struct {
	Default GraphSet
	Named   GraphSet
}

// UnionDataset is the service's dataset: the default graph is the union of
// every graph of the store, the unnamed one included, and the named graphs
// are all the store's graph labels. The union is the RDF merge, a set of
// triples: a triple stated in two graphs matches once (Oxigraph's union
// default graph option matches it once per graph).
func UnionDataset() Dataset {
	return Dataset{Default: GraphSet{All: true}, Named: GraphSet{All: true}}
}

// StoreDataset is the dataset of the SPARQL 1.1 Update and W3C test
// conventions: the default graph is the store's unnamed graph alone, the
// named graphs are all its graph labels.
func StoreDataset() Dataset {
	return Dataset{Default: GraphSet{Unnamed: true}, Named: GraphSet{All: true}}
}

// queryDataset is the dataset a FROM / FROM NAMED clause describes: the
// default graph is the merge of the FROM graphs (empty without any), the
// named graphs are the FROM NAMED ones.
func queryDataset(from, named []quad.IRI) Dataset {
	var ds Dataset
	for _, g := range from {
		ds.Default.Graphs = append(ds.Default.Graphs, g)
	}
	for _, g := range named {
		ds.Named.Graphs = append(ds.Named.Graphs, g)
	}
	return ds
}

// DefaultMaxHeld is the default bound on solutions held in memory at once
// by sorts, groups, DISTINCT and hash joins.
const DefaultMaxHeld = 5_000_000

// Options configure an evaluation. The zero value runs on the union
// dataset with no row limit.
type Options struct {
	// Dataset is the dataset of a query without FROM or FROM NAMED; nil
	// means UnionDataset().
	Dataset *Dataset
	// Protocol, when set, is the dataset a protocol request names
	// (default-graph-uri and named-graph-uri): it replaces the query's
	// FROM and FROM NAMED, as the SPARQL 1.1 Protocol says.
	Protocol *Dataset
	// MaxRows bounds the solutions of a SELECT (or the triples of a
	// CONSTRUCT or DESCRIBE); past it evaluation stops with an error of
	// kind TooLarge. Zero means no bound.
	MaxRows int64
	// MaxHeld bounds the solutions sorts, groups, DISTINCT and hash joins
	// hold in memory at once (kind TooLarge past it); zero means
	// DefaultMaxHeld.
	MaxHeld int64
	// MaxUpdateQuads bounds the quads one update request may delete plus
	// insert (kind TooLarge past it); zero means no bound.
	MaxUpdateQuads int64
	// Now is the clock NOW() reads, once per evaluation; nil means
	// time.Now.
	Now func() time.Time
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) maxHeld() int64 {
	if o.MaxHeld > 0 {
		return o.MaxHeld
	}
	return DefaultMaxHeld
}

func (o *Options) dataset(hasFrom bool, from, named []quad.IRI) Dataset {
	switch {
	case o.Protocol != nil:
		return *o.Protocol
	case hasFrom:
		return queryDataset(from, named)
	case o.Dataset != nil:
		return *o.Dataset
	}
	return UnionDataset()
}

// Plan is a query prepared against one Reader: the operators chosen, with
// the reader's estimates, ready to run once. It must not outlive the
// Reader, and is used from one goroutine.
type Plan struct {
	q     *algebra.Query
	opt   Options
	ex    *exec
	pl    *planner
	root  node
	vars  []string
	cols  []int
	width int
	ds    Dataset
	// outExprs, when set, are SELECT expressions evaluated as rows are
	// written out, binding outSlots in order (see peelOutputExprs).
	outExprs *exprSet
	outSlots []int
	outLabel string
}

// Prepare compiles q for r. It resolves the query's constants and dataset
// through r and orders joins by r's counts. It returns an *Error of kind
// Unsupported for SERVICE, or the reader's error.
func Prepare(ctx context.Context, r frontier.Reader, q *algebra.Query, opt Options) (*Plan, error) {
	d := newDict(r)
	ex := newExec(r, d, &opt, "query", q.Base)
	p := &Plan{q: q, opt: opt, ex: ex}
	p.ex.opt = &p.opt
	pl := newPlanner(ctx, ex)
	p.pl = pl
	p.ds = opt.dataset(q.HasDataset, q.From, q.FromNamed)
	if err := pl.setDataset(p.ds); err != nil {
		return nil, wrapCtx("query", err)
	}
	pl.assignSlots(q.Op)
	for _, t := range q.Template {
		for _, term := range []algebra.Term{t.S, t.P, t.O} {
			if term.IsVar() {
				pl.slot(term.Var)
			}
		}
	}
	for _, v := range q.Vars {
		p.vars = append(p.vars, string(v))
		p.cols = append(p.cols, pl.slot(v))
	}
	e := unitEnv()
	if q.Form == algebra.Ask {
		// ASK reads no variable and no multiplicity.
		e.setSem, e.needed = true, map[algebra.Var]bool{}
	}
	op := q.Op
	if q.Form == algebra.Select {
		var err error
		if op, err = p.peelOutputExprs(op); err != nil {
			return nil, wrapCtx("query", err)
		}
	}
	root, err := pl.compile(op, pl.def, e)
	if err != nil {
		return nil, wrapCtx("query", err)
	}
	p.root = root
	p.width = pl.width()
	ex.params = make([]ID, pl.params)
	return p, nil
}

// peelOutputExprs takes the SELECT expressions (and a trailing BIND) off
// the top of a query, Slice(Project(Extend*(P))), to evaluate them as rows
// are written out rather than in the pipeline: their values are then
// written as they are, never interned, so a streaming query with computed
// columns holds no more memory as its rows go by. It returns what is left
// to compile, Slice(P).
func (p *Plan) peelOutputExprs(op algebra.Op) (algebra.Op, error) {
	var slice *algebra.Slice
	inner := op
	if s, ok := inner.(*algebra.Slice); ok {
		slice, inner = s, s.Op
	}
	proj, ok := inner.(*algebra.Project)
	if !ok {
		return op, nil
	}
	var chain []*algebra.Extend
	inner = proj.Op
	for {
		x, ok := inner.(*algebra.Extend)
		if !ok {
			break
		}
		chain = append(chain, x)
		inner = x.Op
	}
	if len(chain) == 0 {
		return op, nil
	}
	var exprs []algebra.Expr
	var labels []string
	for i := len(chain) - 1; i >= 0; i-- {
		p.outSlots = append(p.outSlots, p.pl.slot(chain[i].Var))
		exprs = append(exprs, chain[i].Expr)
		labels = append(labels, "?"+string(chain[i].Var)+" = "+algebra.FormatExpr(chain[i].Expr))
	}
	p.outLabel = strings.Join(labels, ", ")
	var err error
	p.outExprs, err = p.pl.exprSet(p.pl.def, unitEnv().with(algebra.InScope(inner), true), exprs...)
	if err != nil {
		return nil, err
	}
	if slice != nil {
		return &algebra.Slice{Op: inner, Offset: slice.Offset, Limit: slice.Limit}, nil
	}
	return inner, nil
}

// Form is the query's form.
func (p *Plan) Form() algebra.Form { return p.q.Form }

// Vars are the names of the columns of a SELECT (without '?').
func (p *Plan) Vars() []string { return p.vars }

// errStopped ends an evaluation early on the caller's behalf (ASK has its
// answer).
var errStopped = &stopError{}

// run evaluates the plan, handing every batch of solutions to fn.
func (p *Plan) run(ctx context.Context, fn emitFn) error {
	err := p.root.run(ctx, p.ex, unitBatch(p.width), fn)
	if err == errStopped {
		return nil
	}
	if err == nil {
		err = ctx.Err()
	}
	return wrapCtx("query", err)
}

// decode turns the given slots of every row of b into values, with one
// reader call for the batch.
func (ex *exec) decode(ctx context.Context, b *batch, cols []int, out [][]quad.Value) error {
	ids := ex.scratchIDs[:0]
	for i := 0; i < b.n; i++ {
		row := b.row(i)
		for _, c := range cols {
			if id := row[c]; id != 0 && !isLocal(id) {
				ids = append(ids, id)
			}
		}
	}
	ex.scratchIDs = ids
	if cap(ex.scratchVals) < len(ids) {
		ex.scratchVals = make([]quad.Value, len(ids))
	}
	vals := ex.scratchVals[:len(ids)]
	if len(ids) > 0 {
		if err := ex.r.Values(ctx, ids, vals); err != nil {
			return wrapCtx(ex.op, err)
		}
	}
	k := 0
	for i := 0; i < b.n; i++ {
		row := b.row(i)
		for j, c := range cols {
			id := row[c]
			switch {
			case id == 0:
				out[i][j] = nil
			case isLocal(id):
				out[i][j] = ex.d.value(id)
			default:
				out[i][j] = vals[k]
				k++
			}
		}
	}
	return nil
}

func (p *Plan) tooMany() error {
	return errorf("query", TooLarge, "the answer has more than %d rows (the service's limit); narrow the query or page through it with LIMIT and OFFSET", p.opt.MaxRows)
}

// Select streams the solutions of a SELECT query (or of DESCRIBE's
// variables): fn gets each row, row[i] the value of Vars()[i] (nil when
// unbound). The row is reused after fn returns. Select stops at fn's first
// error and returns it; it returns an *Error of kind TooLarge past
// Options.MaxRows, Timeout or Canceled when ctx ends, or the reader's
// error.
func (p *Plan) Select(ctx context.Context, fn func(row []quad.Value) error) error {
	var rows int64
	buf := make([][]quad.Value, batchSize)
	for i := range buf {
		buf[i] = make([]quad.Value, len(p.cols))
	}
	// computedCol[j] is the index in outSlots of the expression giving
	// column j, or -1.
	computedCol := make([]int, len(p.cols))
	for j, c := range p.cols {
		computedCol[j] = -1
		for k, s := range p.outSlots {
			if s == c {
				computedCol[j] = k
			}
		}
	}
	return p.run(ctx, func(b *batch) error {
		if err := p.ex.decode(ctx, b, p.cols, buf); err != nil {
			return err
		}
		var c *ectx
		if p.outExprs != nil {
			var err error
			if c, err = p.outExprs.prepare(ctx, p.ex, b); err != nil {
				return err
			}
		}
		for i := 0; i < b.n; i++ {
			if rows++; p.opt.MaxRows > 0 && rows > p.opt.MaxRows {
				return p.tooMany()
			}
			if c != nil {
				c.at(b, i)
				for k, e := range p.outExprs.exprs {
					c.computed = append(c.computed, computedVal{slot: p.outSlots[k], v: e.eval(c)})
				}
				for j, k := range computedCol {
					if k >= 0 {
						buf[i][j] = c.computed[k].v.toQuad()
					}
				}
			}
			if err := fn(buf[i]); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
}

// Ask evaluates an ASK query: whether the pattern has a solution. It stops
// at the first.
func (p *Plan) Ask(ctx context.Context) (bool, error) {
	found := false
	err := p.run(ctx, func(b *batch) error {
		if b.n > 0 {
			found = true
			return errStopped
		}
		return nil
	})
	return found, err
}

// Construct streams the triples of a CONSTRUCT or DESCRIBE query, as
// quads without a graph label. CONSTRUCT instantiates the template for
// every solution (blank nodes fresh for each), leaving out triples with an
// unbound variable or that are not RDF (a literal subject, say); a triple
// made by several solutions comes once per solution. DESCRIBE gives, for
// every resource it names or binds, the triples with it as subject and,
// recursively, those of the blank nodes among their objects. Errors are
// as for Select.
func (p *Plan) Construct(ctx context.Context, fn func(quad.Quad) error) error {
	if p.q.Form == algebra.Describe {
		return p.describe(ctx, fn)
	}
	var cols []int
	index := map[algebra.Var]int{}
	for _, t := range p.q.Template {
		for _, term := range []algebra.Term{t.S, t.P, t.O} {
			if term.IsVar() {
				if _, ok := index[term.Var]; !ok {
					index[term.Var] = len(cols)
					cols = append(cols, p.pl.slot(term.Var))
				}
			}
		}
	}
	buf := make([][]quad.Value, batchSize)
	for i := range buf {
		buf[i] = make([]quad.Value, len(cols))
	}
	var sol, emitted int64
	bnodes := map[quad.BNode]quad.BNode{}
	return p.run(ctx, func(b *batch) error {
		if err := p.ex.decode(ctx, b, cols, buf); err != nil {
			return err
		}
		for i := 0; i < b.n; i++ {
			sol++
			clear(bnodes)
			row := buf[i]
			term := func(t algebra.Term) quad.Value {
				if t.IsVar() {
					return row[index[t.Var]]
				}
				if bn, ok := t.Value.(quad.BNode); ok {
					fresh, ok := bnodes[bn]
					if !ok {
						fresh = quad.BNode(p.ex.newBNode())
						bnodes[bn] = fresh
					}
					return fresh
				}
				return t.Value
			}
			for _, t := range p.q.Template {
				s, pr, o := term(t.S), term(t.P), term(t.O)
				if !wellFormed(s, pr, o) {
					continue
				}
				if emitted++; p.opt.MaxRows > 0 && emitted > p.opt.MaxRows {
					return p.tooMany()
				}
				if err := fn(quad.Quad{Subject: s, Predicate: pr, Object: o}); err != nil {
					return err
				}
			}
		}
		return ctx.Err()
	})
}

// wellFormed reports whether s p o is an RDF triple.
func wellFormed(s, p, o quad.Value) bool {
	if s == nil || p == nil || o == nil {
		return false
	}
	switch s.(type) {
	case quad.IRI, quad.BNode:
	default:
		return false
	}
	_, ok := p.(quad.IRI)
	return ok
}

// describe implements DESCRIBE: a concise bounded description (the
// resource's triples, and those of blank node objects, recursively) of
// every IRI named and every value bound to a described variable, in the
// default graph of the dataset.
func (p *Plan) describe(ctx context.Context, fn func(quad.Quad) error) error {
	var targets []ID
	seen := map[ID]bool{}
	add := func(id ID) {
		if id != 0 && !isLocal(id) && !seen[id] {
			seen[id] = true
			targets = append(targets, id)
		}
	}
	for _, iri := range p.q.Describe {
		id, err := p.ex.d.intern(ctx, iri)
		if err != nil {
			return wrapCtx("query", err)
		}
		add(id)
	}
	err := p.run(ctx, func(b *batch) error {
		for i := 0; i < b.n; i++ {
			for _, c := range p.cols {
				add(b.row(i)[c])
			}
		}
		return p.ex.hold(0)
	})
	if err != nil {
		return err
	}
	var emitted int64
	g := p.pl.def
	for len(targets) > 0 {
		if err := p.ex.checkCtx(ctx); err != nil {
			return err
		}
		n := min(len(targets), batchSize)
		chunk := targets[:n]
		targets = targets[n:]
		var qs []frontier.Quad
		err := p.ex.r.Quads(ctx, quad.Subject, chunk, nil, func(_ int, q frontier.Quad) bool {
			if g.accepts(q.G, 0) {
				qs = append(qs, q)
			}
			return true
		})
		if err != nil {
			return wrapCtx("query", err)
		}
		ids := make([]ID, 0, 3*len(qs))
		dedup := map[[3]ID]bool{}
		var uniq []frontier.Quad
		for _, q := range qs {
			k := [3]ID{q.S, q.P, q.O}
			if dedup[k] {
				continue
			}
			dedup[k] = true
			uniq = append(uniq, q)
			ids = append(ids, q.S, q.P, q.O)
		}
		vals := make([]quad.Value, len(ids))
		if err := p.ex.r.Values(ctx, ids, vals); err != nil {
			return wrapCtx("query", err)
		}
		for i, q := range uniq {
			if _, ok := vals[3*i+2].(quad.BNode); ok {
				add(q.O)
			}
			if emitted++; p.opt.MaxRows > 0 && emitted > p.opt.MaxRows {
				return p.tooMany()
			}
			if err := fn(quad.Quad{Subject: vals[3*i], Predicate: vals[3*i+1], Object: vals[3*i+2]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Explain is the chosen plan as a tree of operators, for people tuning
// queries: the operator, what it works on, the reader's estimate of its
// solutions where the planner has one (-1 where it has none), and its
// inputs. A join's children run in the order listed, each on the rows of
// the ones before (bind join).
type Explain struct {
	Op       string     `json:"op"`
	Detail   string     `json:"detail,omitempty"`
	Estimate int64      `json:"estimate"`
	Children []*Explain `json:"children,omitempty"`
}

// Explain returns the plan's tree, under a root saying the query form and
// the dataset.
func (p *Plan) Explain() *Explain {
	top := p.root.explain()
	if p.outExprs != nil {
		top = &Explain{Op: "extend", Detail: p.outLabel + " (as rows are written)", Estimate: -1, Children: []*Explain{top}}
	}
	return &Explain{Op: strings.ToLower(p.q.Form.String()), Detail: p.datasetLabel(), Estimate: -1, Children: []*Explain{top}}
}

func (p *Plan) datasetLabel() string {
	ds := p.ds
	var parts []string
	switch {
	case ds.Default.All:
		parts = append(parts, "default graph: the union of all graphs")
	default:
		n := len(ds.Default.Graphs)
		if ds.Default.Unnamed {
			n++
		}
		parts = append(parts, "default graph: "+strconv.Itoa(n)+" graph(s)")
	}
	if ds.Named.All {
		parts = append(parts, "named graphs: all")
	} else {
		parts = append(parts, "named graphs: "+strconv.Itoa(len(ds.Named.Graphs)))
	}
	return strings.Join(parts, "; ")
}

// String writes the tree indented, one operator per line.
func (e *Explain) String() string {
	var b strings.Builder
	var walk func(e *Explain, depth int)
	walk = func(e *Explain, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(e.Op)
		if e.Detail != "" {
			b.WriteString(" " + e.Detail)
		}
		if e.Estimate >= 0 {
			b.WriteString(" (est. " + strconv.FormatInt(e.Estimate, 10) + ")")
		}
		b.WriteByte('\n')
		for _, c := range e.Children {
			walk(c, depth+1)
		}
	}
	walk(e, 0)
	return b.String()
}
