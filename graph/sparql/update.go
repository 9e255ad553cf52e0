package sparql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// Delta is what one update request changes: the Store applies it whole,
// as one transaction, or not at all. Delete holds quads the Reader had
// and Insert quads it had not (a quad inserted and deleted again within
// the request is in neither); the unnamed graph is a nil Label. Create
// and Drop name the graphs the request created and dropped, for a store
// that records empty graphs (the quads of a dropped graph are in Delete
// already).
type Delta struct {
	Delete []quad.Quad
	Insert []quad.Quad
	Create []quad.Value
	Drop   []quad.Value
}

// Update evaluates an update request against r: each operation in turn,
// seeing the effects of those before it, none applied to the store. It
// returns the request's net change, or the first operation's error: an
// *Error of kind Unsupported for LOAD (the service fetches no URLs; LOAD
// SILENT does nothing), NotFound for CLEAR, DROP, ADD, MOVE or COPY of a
// graph that does not exist, Invalid for CREATE of one that does (each
// without SILENT), TooLarge past Options.MaxUpdateQuads or MaxHeld,
// Timeout or Canceled when ctx ends.
//
// The WHERE clauses run on Options.Dataset (or the protocol's, or USING
// and WITH as the request says); templates and graph operations address
// the store's graphs, where the default graph is the unnamed one.
func Update(ctx context.Context, r frontier.Reader, u *algebra.Update, opt Options) (*Delta, error) {
	ux := &updater{ov: newOverlay(r), opt: opt, base: u.Base, created: map[quad.Value]bool{}, dropped: map[quad.Value]bool{}}
	var seed [6]byte
	rand.Read(seed[:])
	ux.bnodePrefix = "u" + hex.EncodeToString(seed[:])
	for i, op := range u.Ops {
		if err := ctx.Err(); err != nil {
			return nil, wrapCtx("update", err)
		}
		if err := ux.apply(ctx, op); err != nil {
			if len(u.Ops) > 1 {
				err = fmt.Errorf("operation %d of %d: %w", i+1, len(u.Ops), err)
			}
			return nil, wrapCtx("update", err)
		}
		if lim := opt.MaxUpdateQuads; lim > 0 && ux.ov.size() > lim {
			return nil, errorf("update", TooLarge, "the request changes more than %d quads (the service's limit)", lim)
		}
	}
	return ux.delta(ctx)
}

type updater struct {
	ov          *overlay
	opt         Options
	base        string
	bnodePrefix string
	bnodes      int
	created     map[quad.Value]bool
	dropped     map[quad.Value]bool
}

func (ux *updater) freshBNode() quad.BNode {
	ux.bnodes++
	return quad.BNode(ux.bnodePrefix + "b" + strconv.Itoa(ux.bnodes))
}

func graphValue(iri quad.IRI) quad.Value {
	if iri == "" {
		return nil
	}
	return iri
}

func (ux *updater) apply(ctx context.Context, op algebra.UpdateOp) error {
	switch op := op.(type) {
	case *algebra.InsertData:
		bn := map[quad.BNode]quad.BNode{}
		qs := make([]quad.Quad, 0, len(op.Quads))
		for _, q := range op.Quads {
			fresh := func(v quad.Value) quad.Value {
				if b, ok := v.(quad.BNode); ok {
					if _, ok := bn[b]; !ok {
						bn[b] = ux.freshBNode()
					}
					return bn[b]
				}
				return v
			}
			q.Subject, q.Object = fresh(q.Subject), fresh(q.Object)
			if wellFormed(q.Subject, q.Predicate, q.Object) {
				qs = append(qs, q)
			}
		}
		return ux.insert(ctx, qs)
	case *algebra.DeleteData:
		return ux.remove(ctx, op.Quads)
	case *algebra.Modify:
		return ux.modify(ctx, op)
	case *algebra.Load:
		if op.Silent {
			return nil
		}
		return errorf("LOAD", Unsupported, "LOAD %s is refused: this service does not fetch documents from the web; send the data with INSERT DATA or the Graph Store Protocol", op.Source)
	case *algebra.Clear:
		return ux.clear(ctx, op.Target, op.Silent, false)
	case *algebra.Drop:
		return ux.clear(ctx, op.Target, op.Silent, true)
	case *algebra.Create:
		exists, err := ux.exists(ctx, op.Graph)
		if err != nil {
			return err
		}
		if exists {
			if op.Silent {
				return nil
			}
			return errorf("CREATE", Invalid, "graph <%s> already exists", op.Graph)
		}
		ux.created[op.Graph] = true
		delete(ux.dropped, op.Graph)
		return nil
	case *algebra.Transfer:
		return ux.transfer(ctx, op)
	}
	return errorf("update", Internal, "unknown operation %T", op)
}

// toIDs interns quads' values into the overlay.
func (ux *updater) toIDs(ctx context.Context, qs []quad.Quad) ([]frontier.Quad, error) {
	vals := make([]quad.Value, 0, 4*len(qs))
	for _, q := range qs {
		vals = append(vals, q.Subject, q.Predicate, q.Object, q.Label)
	}
	ids := make([]ID, len(vals))
	if err := ux.ov.intern(ctx, vals, ids); err != nil {
		return nil, err
	}
	out := make([]frontier.Quad, len(qs))
	for i := range qs {
		out[i] = frontier.Quad{S: ids[4*i], P: ids[4*i+1], O: ids[4*i+2], G: ids[4*i+3]}
	}
	return out, nil
}

func (ux *updater) insert(ctx context.Context, qs []quad.Quad) error {
	ids, err := ux.toIDs(ctx, qs)
	if err != nil {
		return err
	}
	for _, q := range qs {
		if q.Label != nil {
			delete(ux.dropped, q.Label)
		}
	}
	return ux.ov.insert(ctx, ids)
}

func (ux *updater) remove(ctx context.Context, qs []quad.Quad) error {
	ids, err := ux.toIDs(ctx, qs)
	if err != nil {
		return err
	}
	return ux.ov.remove(ctx, ids)
}

// graphQuads returns the quads (IDs) of one graph, nil for the unnamed
// one.
func (ux *updater) graphQuads(ctx context.Context, g quad.Value) ([]frontier.Quad, error) {
	var out []frontier.Quad
	ids := []ID{0} // in the Label direction, zero is the default graph
	if g != nil {
		if err := ux.ov.Lookup(ctx, []quad.Value{g}, ids); err != nil || ids[0] == 0 {
			return nil, err
		}
	}
	err := ux.ov.Quads(ctx, quad.Label, ids, nil, func(_ int, q frontier.Quad) bool {
		out = append(out, q)
		return true
	})
	if err == nil {
		if err := ux.hold(len(out)); err != nil {
			return nil, err
		}
	}
	return out, err
}

func (ux *updater) hold(n int) error {
	if int64(n) > ux.opt.maxHeld() {
		return errorf("update", TooLarge, "more than %d quads in one graph operation", ux.opt.maxHeld())
	}
	return nil
}

// exists reports whether a named graph exists: it holds quads, or this
// request created it.
func (ux *updater) exists(ctx context.Context, g quad.IRI) (bool, error) {
	if ux.created[g] {
		return true, nil
	}
	ids := []ID{0}
	if err := ux.ov.Lookup(ctx, []quad.Value{g}, ids); err != nil || ids[0] == 0 {
		return false, err
	}
	found := false
	err := ux.ov.Quads(ctx, quad.Label, ids, nil, func(int, frontier.Quad) bool {
		found = true
		return false
	})
	return found, err
}

// namedGraphs lists the graph labels holding quads.
func (ux *updater) namedGraphs(ctx context.Context) ([]ID, error) {
	seen := map[ID]bool{}
	var out []ID
	err := ux.ov.All(ctx, func(q frontier.Quad) bool {
		if q.G != 0 && !seen[q.G] {
			seen[q.G] = true
			out = append(out, q.G)
		}
		return true
	})
	return out, err
}

func (ux *updater) clear(ctx context.Context, t algebra.GraphTarget, silent, drop bool) error {
	opName := "CLEAR"
	if drop {
		opName = "DROP"
	}
	var qs []frontier.Quad
	switch t.Scope {
	case algebra.ScopeGraph:
		exists, err := ux.exists(ctx, t.IRI)
		if err != nil {
			return err
		}
		if !exists {
			if silent {
				return nil
			}
			return errorf(opName, NotFound, "graph <%s> does not exist", t.IRI)
		}
		if qs, err = ux.graphQuads(ctx, t.IRI); err != nil {
			return err
		}
		if drop {
			delete(ux.created, t.IRI)
			ux.dropped[t.IRI] = true
		}
	case algebra.ScopeDefault:
		var err error
		if qs, err = ux.graphQuads(ctx, nil); err != nil {
			return err
		}
	case algebra.ScopeNamed, algebra.ScopeAll:
		err := ux.ov.All(ctx, func(q frontier.Quad) bool {
			if q.G != 0 || t.Scope == algebra.ScopeAll {
				qs = append(qs, q)
			}
			return true
		})
		if err != nil {
			return err
		}
		if drop {
			graphs, err := ux.namedGraphs(ctx)
			if err != nil {
				return err
			}
			vals := make([]quad.Value, len(graphs))
			if err := ux.ov.Values(ctx, graphs, vals); err != nil {
				return err
			}
			for _, g := range vals {
				ux.dropped[g] = true
			}
			for g := range ux.created {
				ux.dropped[g] = true
				delete(ux.created, g)
			}
		}
	}
	return ux.ov.remove(ctx, qs)
}

// transfer implements ADD, MOVE and COPY.
func (ux *updater) transfer(ctx context.Context, op *algebra.Transfer) error {
	if op.From == op.To {
		return nil
	}
	if op.From != "" {
		exists, err := ux.exists(ctx, op.From)
		if err != nil {
			return err
		}
		if !exists {
			if op.Silent {
				return nil
			}
			return errorf(op.Kind.String(), NotFound, "graph <%s> does not exist", op.From)
		}
	}
	src, err := ux.graphQuads(ctx, graphValue(op.From))
	if err != nil {
		return err
	}
	if op.Kind != algebra.Add {
		dst, err := ux.graphQuads(ctx, graphValue(op.To))
		if err != nil {
			return err
		}
		if err := ux.ov.remove(ctx, dst); err != nil {
			return err
		}
	}
	var to ID
	if op.To != "" {
		ids := []ID{0}
		if err := ux.ov.intern(ctx, []quad.Value{op.To}, ids); err != nil {
			return err
		}
		to = ids[0]
		ux.created[op.To] = true
		delete(ux.dropped, op.To)
	}
	moved := make([]frontier.Quad, len(src))
	for i, q := range src {
		q.G = to
		moved[i] = q
	}
	if err := ux.ov.insert(ctx, moved); err != nil {
		return err
	}
	if op.Kind == algebra.Move {
		if err := ux.ov.remove(ctx, src); err != nil {
			return err
		}
		if op.From != "" {
			delete(ux.created, op.From)
			ux.dropped[op.From] = true
		}
	}
	return nil
}

// modify implements DELETE/INSERT ... WHERE: the solutions of WHERE are
// found first, on the state before the operation, then every instance of
// the DELETE template is removed and every instance of the INSERT
// template added.
func (ux *updater) modify(ctx context.Context, op *algebra.Modify) error {
	vars := visible(op.Where)
	q := &algebra.Query{Form: algebra.Select, Base: ux.base, Op: &algebra.Project{Op: op.Where, Vars: vars}, Vars: vars}
	opt := ux.opt
	opt.MaxRows = 0
	switch {
	case opt.Protocol != nil:
	case op.HasUsing:
		ds := queryDataset(op.Using, op.UsingNamed)
		opt.Dataset = &ds
	case op.With != "":
		ds := opt.dataset(false, nil, nil)
		ds.Default = GraphSet{Graphs: []quad.Value{op.With}}
		opt.Dataset = &ds
	}
	plan, err := Prepare(ctx, ux.ov, q, opt)
	if err != nil {
		return err
	}
	plan.ex.op = "update"
	var rows [][]quad.Value
	err = plan.Select(ctx, func(row []quad.Value) error {
		if int64(len(rows)) >= ux.opt.maxHeld() {
			return errorf("update", TooLarge, "the WHERE clause has more than %d solutions", ux.opt.maxHeld())
		}
		rows = append(rows, append([]quad.Value(nil), row...))
		return nil
	})
	if err != nil {
		return err
	}
	index := map[algebra.Var]int{}
	for i, v := range vars {
		index[v] = i
	}
	var defGraph quad.Value
	if op.With != "" {
		defGraph = op.With
	}
	instantiate := func(tpl []algebra.QuadPattern, fresh bool) []quad.Quad {
		var out []quad.Quad
		for _, row := range rows {
			bn := map[quad.BNode]quad.BNode{}
			term := func(t algebra.Term) quad.Value {
				if t.IsVar() {
					if i, ok := index[t.Var]; ok {
						return row[i]
					}
					return nil
				}
				if b, ok := t.Value.(quad.BNode); ok && fresh {
					if _, ok := bn[b]; !ok {
						bn[b] = ux.freshBNode()
					}
					return bn[b]
				}
				return t.Value
			}
			for _, qp := range tpl {
				s, p, o := term(qp.S), term(qp.P), term(qp.O)
				if !wellFormed(s, p, o) {
					continue
				}
				g := defGraph
				if !qp.G.IsZero() {
					g = term(qp.G)
					if _, ok := g.(quad.IRI); !ok {
						continue
					}
				}
				out = append(out, quad.Quad{Subject: s, Predicate: p, Object: o, Label: g})
			}
		}
		return out
	}
	if err := ux.remove(ctx, instantiate(op.Delete, false)); err != nil {
		return err
	}
	return ux.insert(ctx, instantiate(op.Insert, true))
}

// visible lists the variables a pattern binds that a template may use.
func visible(op algebra.Op) []algebra.Var {
	var vars []algebra.Var
	for v := range algebra.InScope(op).Maybe {
		if !v.Hidden() {
			vars = append(vars, v)
		}
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i] < vars[j] })
	return vars
}

// delta decodes the overlay's net change.
func (ux *updater) delta(ctx context.Context) (*Delta, error) {
	d := &Delta{}
	decode := func(set map[frontier.Quad]bool) ([]quad.Quad, error) {
		qs := make([]frontier.Quad, 0, len(set))
		for q := range set {
			qs = append(qs, q)
		}
		ids := make([]ID, 0, 4*len(qs))
		for _, q := range qs {
			ids = append(ids, q.S, q.P, q.O, q.G)
		}
		vals := make([]quad.Value, len(ids))
		if err := ux.ov.Values(ctx, ids, vals); err != nil {
			return nil, err
		}
		out := make([]quad.Quad, len(qs))
		for i := range qs {
			out[i] = quad.Quad{Subject: vals[4*i], Predicate: vals[4*i+1], Object: vals[4*i+2], Label: vals[4*i+3]}
		}
		sort.Slice(out, func(i, j int) bool { return quadLess(out[i], out[j]) })
		return out, nil
	}
	var err error
	if d.Delete, err = decode(ux.ov.removed); err != nil {
		return nil, wrapCtx("update", err)
	}
	if d.Insert, err = decode(ux.ov.added); err != nil {
		return nil, wrapCtx("update", err)
	}
	for g := range ux.created {
		d.Create = append(d.Create, g)
	}
	for g := range ux.dropped {
		d.Drop = append(d.Drop, g)
	}
	sort.Slice(d.Create, func(i, j int) bool { return d.Create[i].String() < d.Create[j].String() })
	sort.Slice(d.Drop, func(i, j int) bool { return d.Drop[i].String() < d.Drop[j].String() })
	return d, nil
}

// quadLess orders quads by graph, then subject, predicate and object, so
// that a delta reads (and applies) in a stable order.
func quadLess(a, b quad.Quad) bool {
	str := func(v quad.Value) string {
		if v == nil {
			return ""
		}
		return v.String()
	}
	for _, p := range [][2]quad.Value{{a.Label, b.Label}, {a.Subject, b.Subject}, {a.Predicate, b.Predicate}, {a.Object, b.Object}} {
		if x, y := str(p[0]), str(p[1]); x != y {
			return x < y
		}
	}
	return false
}
