package algebra

// Rename returns a copy of op with every variable v in m replaced by m[v],
// in patterns, expressions and EXISTS alike. Values of op are shared, not
// copied; op itself is not changed.
func Rename(op Op, m map[Var]Var) Op {
	if len(m) == 0 {
		return op
	}
	r := renamer(m)
	return r.op(op)
}

type renamer map[Var]Var

func (r renamer) v(v Var) Var {
	if n, ok := r[v]; ok {
		return n
	}
	return v
}

func (r renamer) term(t Term) Term {
	if t.IsVar() && t.Var != "" {
		return Term{Var: r.v(t.Var)}
	}
	return t
}

func (r renamer) vars(vs []Var) []Var {
	out := make([]Var, len(vs))
	for i, v := range vs {
		out[i] = r.v(v)
	}
	return out
}

func (r renamer) expr(e Expr) Expr {
	switch e := e.(type) {
	case nil:
		return nil
	case Var:
		return r.v(e)
	case *Call:
		args := make([]Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = r.expr(a)
		}
		return &Call{Func: e.Func, Args: args}
	case *FuncCall:
		args := make([]Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = r.expr(a)
		}
		return &FuncCall{IRI: e.IRI, Args: args}
	case *Exists:
		return &Exists{Op: r.op(e.Op), Not: e.Not}
	}
	return e
}

func (r renamer) op(op Op) Op {
	switch op := op.(type) {
	case *BGP:
		ts := make([]Triple, len(op.Triples))
		for i, t := range op.Triples {
			ts[i] = Triple{S: r.term(t.S), P: r.term(t.P), O: r.term(t.O)}
		}
		return &BGP{Triples: ts}
	case *PathPattern:
		return &PathPattern{S: r.term(op.S), Path: op.Path, O: r.term(op.O)}
	case *Join:
		return &Join{L: r.op(op.L), R: r.op(op.R)}
	case *LeftJoin:
		return &LeftJoin{L: r.op(op.L), R: r.op(op.R), Expr: r.expr(op.Expr)}
	case *Filter:
		return &Filter{Expr: r.expr(op.Expr), Op: r.op(op.Op)}
	case *Union:
		return &Union{L: r.op(op.L), R: r.op(op.R)}
	case *Graph:
		return &Graph{Name: r.term(op.Name), Op: r.op(op.Op)}
	case *Extend:
		return &Extend{Op: r.op(op.Op), Var: r.v(op.Var), Expr: r.expr(op.Expr)}
	case *Minus:
		return &Minus{L: r.op(op.L), R: r.op(op.R)}
	case *Values:
		return &Values{Vars: r.vars(op.Vars), Rows: op.Rows}
	case *Service:
		return &Service{Name: r.term(op.Name), Op: r.op(op.Op), Silent: op.Silent}
	case *Group:
		keys := make([]GroupKey, len(op.Keys))
		for i, k := range op.Keys {
			keys[i] = GroupKey{Var: r.v(k.Var), Expr: r.expr(k.Expr)}
		}
		aggs := make([]Aggregate, len(op.Aggs))
		for i, a := range op.Aggs {
			a.Var = r.v(a.Var)
			a.Expr = r.expr(a.Expr)
			aggs[i] = a
		}
		return &Group{Op: r.op(op.Op), Keys: keys, Aggs: aggs}
	case *OrderBy:
		conds := make([]OrderCond, len(op.Conds))
		for i, c := range op.Conds {
			conds[i] = OrderCond{Expr: r.expr(c.Expr), Desc: c.Desc}
		}
		return &OrderBy{Op: r.op(op.Op), Conds: conds}
	case *Project:
		return &Project{Op: r.op(op.Op), Vars: r.vars(op.Vars)}
	case *Distinct:
		return &Distinct{Op: r.op(op.Op)}
	case *Reduced:
		return &Reduced{Op: r.op(op.Op)}
	case *Slice:
		return &Slice{Op: r.op(op.Op), Offset: op.Offset, Limit: op.Limit}
	}
	return op
}
