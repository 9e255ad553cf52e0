package algebra

// Scope is what an operator's solutions bind: Certain variables are bound
// in every solution, Maybe ones (a superset of Certain) in some.
type Scope struct {
	Certain, Maybe map[Var]bool
}

func newScope() Scope { return Scope{Certain: map[Var]bool{}, Maybe: map[Var]bool{}} }

func (s Scope) add(v Var, certain bool) {
	s.Maybe[v] = true
	if certain {
		s.Certain[v] = true
	}
}

func (s Scope) addTerm(t Term) {
	if t.IsVar() && t.Var != "" {
		s.add(t.Var, true)
	}
}

// InScope returns the variables op's solutions bind (section 18.2.1 of the
// SPARQL 1.1 spec, with the certain/maybe split the evaluator plans with).
func InScope(op Op) Scope {
	s := newScope()
	switch op := op.(type) {
	case *BGP:
		for _, t := range op.Triples {
			s.addTerm(t.S)
			s.addTerm(t.P)
			s.addTerm(t.O)
		}
	case *PathPattern:
		s.addTerm(op.S)
		s.addTerm(op.O)
	case *Join:
		l, r := InScope(op.L), InScope(op.R)
		merge(s, l, true)
		merge(s, r, true)
	case *LeftJoin:
		merge(s, InScope(op.L), true)
		merge(s, InScope(op.R), false)
	case *Filter:
		return InScope(op.Op)
	case *Union:
		l, r := InScope(op.L), InScope(op.R)
		for v := range l.Maybe {
			s.add(v, l.Certain[v] && r.Certain[v])
		}
		for v := range r.Maybe {
			s.add(v, l.Certain[v] && r.Certain[v])
		}
	case *Graph:
		s = InScope(op.Op)
		s.addTerm(op.Name)
	case *Extend:
		s = InScope(op.Op)
		// A constant, or a variable the pattern binds for certain, cannot
		// fail: the new variable is then bound for certain too.
		certain := false
		switch x := op.Expr.(type) {
		case *Const:
			certain = true
		case Var:
			certain = s.Certain[x]
		}
		s.add(op.Var, certain)
	case *Minus:
		return InScope(op.L)
	case *Values:
		for i, v := range op.Vars {
			all := true
			for _, row := range op.Rows {
				if row[i] == nil {
					all = false
					break
				}
			}
			s.add(v, all)
		}
	case *Service:
		merge(s, InScope(op.Op), false)
		s.addTerm(op.Name)
	case *Group:
		for _, k := range op.Keys {
			s.add(k.Var, false)
		}
		for _, a := range op.Aggs {
			s.add(a.Var, a.Func == AggCount)
		}
	case *OrderBy:
		return InScope(op.Op)
	case *Project:
		in := InScope(op.Op)
		for _, v := range op.Vars {
			if in.Maybe[v] {
				s.add(v, in.Certain[v])
			}
		}
	case *Distinct:
		return InScope(op.Op)
	case *Reduced:
		return InScope(op.Op)
	case *Slice:
		return InScope(op.Op)
	}
	return s
}

func merge(dst, src Scope, keepCertain bool) {
	for v := range src.Maybe {
		dst.add(v, keepCertain && src.Certain[v])
	}
}

// ExprVars calls fn for every variable e mentions, those of its EXISTS
// patterns included.
func ExprVars(e Expr, fn func(Var)) {
	switch e := e.(type) {
	case Var:
		fn(e)
	case *Call:
		for _, a := range e.Args {
			ExprVars(a, fn)
		}
	case *FuncCall:
		for _, a := range e.Args {
			ExprVars(a, fn)
		}
	case *Exists:
		OpVars(e.Op, fn)
	}
}

func termVar(t Term, fn func(Var)) {
	if t.IsVar() && t.Var != "" {
		fn(t.Var)
	}
}

// OpVars calls fn for every variable op mentions anywhere (patterns,
// expressions, EXISTS), possibly more than once.
func OpVars(op Op, fn func(Var)) {
	switch op := op.(type) {
	case *BGP:
		for _, t := range op.Triples {
			termVar(t.S, fn)
			termVar(t.P, fn)
			termVar(t.O, fn)
		}
	case *PathPattern:
		termVar(op.S, fn)
		termVar(op.O, fn)
	case *Join:
		OpVars(op.L, fn)
		OpVars(op.R, fn)
	case *LeftJoin:
		OpVars(op.L, fn)
		OpVars(op.R, fn)
		if op.Expr != nil {
			ExprVars(op.Expr, fn)
		}
	case *Filter:
		OpVars(op.Op, fn)
		ExprVars(op.Expr, fn)
	case *Union:
		OpVars(op.L, fn)
		OpVars(op.R, fn)
	case *Graph:
		termVar(op.Name, fn)
		OpVars(op.Op, fn)
	case *Extend:
		OpVars(op.Op, fn)
		fn(op.Var)
		ExprVars(op.Expr, fn)
	case *Minus:
		OpVars(op.L, fn)
		OpVars(op.R, fn)
	case *Values:
		for _, v := range op.Vars {
			fn(v)
		}
	case *Service:
		termVar(op.Name, fn)
		OpVars(op.Op, fn)
	case *Group:
		OpVars(op.Op, fn)
		for _, k := range op.Keys {
			fn(k.Var)
			ExprVars(k.Expr, fn)
		}
		for _, a := range op.Aggs {
			fn(a.Var)
			if a.Expr != nil {
				ExprVars(a.Expr, fn)
			}
		}
	case *OrderBy:
		OpVars(op.Op, fn)
		for _, c := range op.Conds {
			ExprVars(c.Expr, fn)
		}
	case *Project:
		OpVars(op.Op, fn)
		for _, v := range op.Vars {
			fn(v)
		}
	case *Distinct:
		OpVars(op.Op, fn)
	case *Reduced:
		OpVars(op.Op, fn)
	case *Slice:
		OpVars(op.Op, fn)
	}
}
