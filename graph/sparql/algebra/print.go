package algebra

import (
	"strconv"
	"strings"
)

// This file prints the algebra in the S-expression style of the SPARQL
// spec's examples and of Jena's SSE, for tests, debugging and explain.

// FormatTerm writes t as ?v or in N-Triples form.
func FormatTerm(t Term) string {
	if t.IsVar() {
		return "?" + string(t.Var)
	}
	return t.Value.String()
}

// Format returns op as an S-expression.
func Format(op Op) string {
	var b strings.Builder
	writeOp(&b, op, 0)
	return b.String()
}

// FormatExpr returns e as an S-expression.
func FormatExpr(e Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

// FormatPath returns p in SPARQL path syntax, fully parenthesised.
func FormatPath(p Path) string {
	switch p := p.(type) {
	case *PathLink:
		return "<" + string(p.IRI) + ">"
	case *PathInv:
		return "^" + FormatPath(p.P)
	case *PathSeq:
		return "(" + FormatPath(p.L) + "/" + FormatPath(p.R) + ")"
	case *PathAlt:
		return "(" + FormatPath(p.L) + "|" + FormatPath(p.R) + ")"
	case *PathZeroOrMore:
		return FormatPath(p.P) + "*"
	case *PathOneOrMore:
		return FormatPath(p.P) + "+"
	case *PathZeroOrOne:
		return FormatPath(p.P) + "?"
	case *PathNeg:
		var parts []string
		for _, f := range p.Fwd {
			parts = append(parts, "<"+string(f)+">")
		}
		for _, f := range p.Inv {
			parts = append(parts, "^<"+string(f)+">")
		}
		return "!(" + strings.Join(parts, "|") + ")"
	}
	return "?"
}

func indent(b *strings.Builder, n int) {
	b.WriteByte('\n')
	for i := 0; i < n; i++ {
		b.WriteString("  ")
	}
}

func writeOp(b *strings.Builder, op Op, d int) {
	switch op := op.(type) {
	case *BGP:
		b.WriteString("(bgp")
		for _, t := range op.Triples {
			b.WriteString(" (triple " + FormatTerm(t.S) + " " + FormatTerm(t.P) + " " + FormatTerm(t.O) + ")")
		}
		b.WriteString(")")
	case *PathPattern:
		b.WriteString("(path " + FormatTerm(op.S) + " " + FormatPath(op.Path) + " " + FormatTerm(op.O) + ")")
	case *Join:
		writeNode(b, d, "join", "", op.L, op.R)
	case *LeftJoin:
		extra := ""
		if op.Expr != nil {
			extra = FormatExpr(op.Expr)
		}
		writeNode(b, d, "leftjoin", extra, op.L, op.R)
	case *Filter:
		writeNode(b, d, "filter", FormatExpr(op.Expr), op.Op)
	case *Union:
		writeNode(b, d, "union", "", op.L, op.R)
	case *Graph:
		writeNode(b, d, "graph", FormatTerm(op.Name), op.Op)
	case *Extend:
		writeNode(b, d, "extend", "(?"+string(op.Var)+" "+FormatExpr(op.Expr)+")", op.Op)
	case *Minus:
		writeNode(b, d, "minus", "", op.L, op.R)
	case *Values:
		b.WriteString("(table (vars")
		for _, v := range op.Vars {
			b.WriteString(" ?" + string(v))
		}
		b.WriteString(")")
		for _, row := range op.Rows {
			b.WriteString(" (row")
			for i, v := range row {
				if v != nil {
					b.WriteString(" [?" + string(op.Vars[i]) + " " + v.String() + "]")
				}
			}
			b.WriteString(")")
		}
		b.WriteString(")")
	case *Service:
		writeNode(b, d, "service", FormatTerm(op.Name), op.Op)
	case *Group:
		var parts []string
		for _, k := range op.Keys {
			parts = append(parts, "(?"+string(k.Var)+" "+FormatExpr(k.Expr)+")")
		}
		for _, a := range op.Aggs {
			s := "(?" + string(a.Var) + " (" + a.Func.String()
			if a.Distinct {
				s += " distinct"
			}
			if a.Expr == nil {
				s += " *"
			} else {
				s += " " + FormatExpr(a.Expr)
			}
			if a.Func == AggGroupConcat {
				s += " separator=" + strconv.Quote(a.Separator)
			}
			parts = append(parts, s+"))")
		}
		writeNode(b, d, "group", strings.Join(parts, " "), op.Op)
	case *OrderBy:
		var parts []string
		for _, c := range op.Conds {
			if c.Desc {
				parts = append(parts, "(desc "+FormatExpr(c.Expr)+")")
			} else {
				parts = append(parts, "(asc "+FormatExpr(c.Expr)+")")
			}
		}
		writeNode(b, d, "order", strings.Join(parts, " "), op.Op)
	case *Project:
		var parts []string
		for _, v := range op.Vars {
			parts = append(parts, "?"+string(v))
		}
		writeNode(b, d, "project", "("+strings.Join(parts, " ")+")", op.Op)
	case *Distinct:
		writeNode(b, d, "distinct", "", op.Op)
	case *Reduced:
		writeNode(b, d, "reduced", "", op.Op)
	case *Slice:
		writeNode(b, d, "slice", strconv.FormatInt(op.Offset, 10)+" "+strconv.FormatInt(op.Limit, 10), op.Op)
	default:
		b.WriteString("(?)")
	}
}

func writeNode(b *strings.Builder, d int, name, extra string, kids ...Op) {
	b.WriteString("(" + name)
	if extra != "" {
		b.WriteString(" " + extra)
	}
	for _, k := range kids {
		indent(b, d+1)
		writeOp(b, k, d+1)
	}
	b.WriteString(")")
}

func writeExpr(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case Var:
		b.WriteString("?" + string(e))
	case *Const:
		b.WriteString(e.Value.String())
	case *Call:
		b.WriteString("(" + e.Func.String())
		for _, a := range e.Args {
			b.WriteByte(' ')
			writeExpr(b, a)
		}
		b.WriteString(")")
	case *FuncCall:
		b.WriteString("(<" + string(e.IRI) + ">")
		for _, a := range e.Args {
			b.WriteByte(' ')
			writeExpr(b, a)
		}
		b.WriteString(")")
	case *Exists:
		if e.Not {
			b.WriteString("(notexists ")
		} else {
			b.WriteString("(exists ")
		}
		writeOp(b, e.Op, 0)
		b.WriteString(")")
	default:
		b.WriteString("?")
	}
}
