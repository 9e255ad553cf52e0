package parse

import (
	"strings"

	"github.com/innograph/innograph/graph/sparql/algebra"
)

// builtin describes a built-in call: its function and how many arguments
// it takes (min..max; max < 0 for a list of any length).
type builtin struct {
	fn       algebra.Func
	min, max int
}

var builtins = map[string]builtin{
	"STR": {algebra.FuncStr, 1, 1}, "LANG": {algebra.FuncLang, 1, 1},
	"LANGMATCHES": {algebra.FuncLangMatches, 2, 2}, "DATATYPE": {algebra.FuncDatatype, 1, 1},
	"BOUND": {algebra.FuncBound, 1, 1}, "IRI": {algebra.FuncIRI, 1, 1}, "URI": {algebra.FuncIRI, 1, 1},
	"BNODE": {algebra.FuncBNode, 0, 1}, "RAND": {algebra.FuncRand, 0, 0},
	"ABS": {algebra.FuncAbs, 1, 1}, "CEIL": {algebra.FuncCeil, 1, 1}, "FLOOR": {algebra.FuncFloor, 1, 1},
	"ROUND": {algebra.FuncRound, 1, 1}, "CONCAT": {algebra.FuncConcat, 0, -1},
	"SUBSTR": {algebra.FuncSubstr, 2, 3}, "STRLEN": {algebra.FuncStrLen, 1, 1},
	"REPLACE": {algebra.FuncReplace, 3, 4}, "UCASE": {algebra.FuncUCase, 1, 1},
	"LCASE": {algebra.FuncLCase, 1, 1}, "ENCODE_FOR_URI": {algebra.FuncEncodeForURI, 1, 1},
	"CONTAINS": {algebra.FuncContains, 2, 2}, "STRSTARTS": {algebra.FuncStrStarts, 2, 2},
	"STRENDS": {algebra.FuncStrEnds, 2, 2}, "STRBEFORE": {algebra.FuncStrBefore, 2, 2},
	"STRAFTER": {algebra.FuncStrAfter, 2, 2}, "YEAR": {algebra.FuncYear, 1, 1},
	"MONTH": {algebra.FuncMonth, 1, 1}, "DAY": {algebra.FuncDay, 1, 1}, "HOURS": {algebra.FuncHours, 1, 1},
	"MINUTES": {algebra.FuncMinutes, 1, 1}, "SECONDS": {algebra.FuncSeconds, 1, 1},
	"TIMEZONE": {algebra.FuncTimezone, 1, 1}, "TZ": {algebra.FuncTZ, 1, 1}, "NOW": {algebra.FuncNow, 0, 0},
	"UUID": {algebra.FuncUUID, 0, 0}, "STRUUID": {algebra.FuncStrUUID, 0, 0}, "MD5": {algebra.FuncMD5, 1, 1},
	"SHA1": {algebra.FuncSHA1, 1, 1}, "SHA256": {algebra.FuncSHA256, 1, 1}, "SHA384": {algebra.FuncSHA384, 1, 1},
	"SHA512": {algebra.FuncSHA512, 1, 1}, "COALESCE": {algebra.FuncCoalesce, 0, -1},
	"IF": {algebra.FuncIf, 3, 3}, "STRLANG": {algebra.FuncStrLang, 2, 2}, "STRDT": {algebra.FuncStrDT, 2, 2},
	"SAMETERM": {algebra.FuncSameTerm, 2, 2}, "ISIRI": {algebra.FuncIsIRI, 1, 1}, "ISURI": {algebra.FuncIsIRI, 1, 1},
	"ISBLANK": {algebra.FuncIsBlank, 1, 1}, "ISLITERAL": {algebra.FuncIsLiteral, 1, 1},
	"ISNUMERIC": {algebra.FuncIsNumeric, 1, 1}, "REGEX": {algebra.FuncRegex, 2, 3},
}

var aggregates = map[string]algebra.AggFunc{
	"COUNT": algebra.AggCount, "SUM": algebra.AggSum, "MIN": algebra.AggMin, "MAX": algebra.AggMax,
	"AVG": algebra.AggAvg, "SAMPLE": algebra.AggSample, "GROUP_CONCAT": algebra.AggGroupConcat,
}

func isBuiltin(word string) bool {
	u := strings.ToUpper(word)
	if _, ok := builtins[u]; ok {
		return true
	}
	if _, ok := aggregates[u]; ok {
		return true
	}
	return u == "EXISTS" || u == "NOT"
}

func call(f algebra.Func, args ...algebra.Expr) algebra.Expr {
	return &algebra.Call{Func: f, Args: args}
}

// expression parses Expression.
func (p *parser) expression() algebra.Expr {
	p.enter()
	defer p.leave()
	l := p.andExpr()
	for p.acceptPunct("||") {
		l = call(algebra.FuncOr, l, p.andExpr())
	}
	return l
}

func (p *parser) andExpr() algebra.Expr {
	l := p.relExpr()
	for p.acceptPunct("&&") {
		l = call(algebra.FuncAnd, l, p.relExpr())
	}
	return l
}

var relOps = map[string]algebra.Func{"=": algebra.FuncEq, "!=": algebra.FuncNe, "<": algebra.FuncLt,
	">": algebra.FuncGt, "<=": algebra.FuncLe, ">=": algebra.FuncGe}

func (p *parser) relExpr() algebra.Expr {
	l := p.addExpr()
	if p.tok.kind == tPunct {
		if f, ok := relOps[p.tok.val]; ok {
			p.advance()
			return call(f, l, p.addExpr())
		}
	}
	if p.acceptWord("IN") {
		return &algebra.Call{Func: algebra.FuncIn, Args: append([]algebra.Expr{l}, p.expressionList()...)}
	}
	if p.isWord("NOT") {
		p.advance()
		p.expectWord("IN")
		return &algebra.Call{Func: algebra.FuncNotIn, Args: append([]algebra.Expr{l}, p.expressionList()...)}
	}
	return l
}

// expressionList parses ExpressionList ::= NIL | '(' Expression ( ','
// Expression )* ')'.
func (p *parser) expressionList() []algebra.Expr {
	if p.tok.kind == tNil {
		p.advance()
		return nil
	}
	p.expectPunct("(")
	es := []algebra.Expr{p.expression()}
	for p.acceptPunct(",") {
		es = append(es, p.expression())
	}
	p.expectPunct(")")
	return es
}

func (p *parser) addExpr() algebra.Expr {
	l := p.mulExpr()
	for {
		switch {
		case p.isPunct("+"):
			p.advance()
			l = call(algebra.FuncAdd, l, p.mulExpr())
		case p.isPunct("-"):
			p.advance()
			l = call(algebra.FuncSub, l, p.mulExpr())
		case p.tok.signed && (p.tok.kind == tInteger || p.tok.kind == tDecimal || p.tok.kind == tDouble):
			// "?x -1": the lexer made a signed literal of what the grammar
			// reads as a subtraction (AdditiveExpression's
			// NumericLiteralPositive/Negative branch).
			t := p.tok
			f := algebra.FuncAdd
			if t.val[0] == '-' {
				f = algebra.FuncSub
			}
			t.val, t.signed = t.val[1:], false
			p.tok = t
			r := p.mulTail(&algebra.Const{Value: p.numeric()})
			l = call(f, l, r)
		default:
			return l
		}
	}
}

func (p *parser) mulExpr() algebra.Expr { return p.mulTail(p.unaryExpr()) }

func (p *parser) mulTail(l algebra.Expr) algebra.Expr {
	for {
		switch {
		case p.isPunct("*"):
			p.advance()
			l = call(algebra.FuncMul, l, p.unaryExpr())
		case p.isPunct("/"):
			p.advance()
			l = call(algebra.FuncDiv, l, p.unaryExpr())
		default:
			return l
		}
	}
}

func (p *parser) unaryExpr() algebra.Expr {
	switch {
	case p.acceptPunct("!"):
		return call(algebra.FuncNot, p.primaryExpr())
	case p.acceptPunct("+"):
		return call(algebra.FuncPlus, p.primaryExpr())
	case p.acceptPunct("-"):
		return call(algebra.FuncNeg, p.primaryExpr())
	}
	return p.primaryExpr()
}

func (p *parser) brackettedExpression() algebra.Expr {
	p.expectPunct("(")
	e := p.expression()
	p.expectPunct(")")
	return e
}

// primaryExpr parses PrimaryExpression.
func (p *parser) primaryExpr() algebra.Expr {
	switch p.tok.kind {
	case tPunct:
		if p.tok.val == "(" {
			return p.brackettedExpression()
		}
	case tVar:
		v := algebra.Var(p.tok.val)
		p.advance()
		return v
	case tIRI, tPName:
		return p.iriOrFunction()
	case tWord:
		if !isBoolWord(p.tok.val) {
			if !isBuiltin(p.tok.val) {
				p.failTok("unknown function %s", p.tok.val)
			}
			return p.builtinCall()
		}
	}
	if v, ok := p.literal(); ok {
		return &algebra.Const{Value: v}
	}
	p.failTok("expected an expression, found %s", p.tok)
	return nil
}

// iriOrFunction parses iriOrFunction ::= iri ArgList?.
func (p *parser) iriOrFunction() algebra.Expr {
	iri := p.iri()
	if p.tok.kind != tNil && !p.isPunct("(") {
		return &algebra.Const{Value: iri}
	}
	fc := &algebra.FuncCall{IRI: iri}
	if p.tok.kind == tNil {
		p.advance()
		return fc
	}
	p.advance()
	if p.isWord("DISTINCT") {
		p.failTok("DISTINCT is only allowed in aggregates")
	}
	fc.Args = append(fc.Args, p.expression())
	for p.acceptPunct(",") {
		fc.Args = append(fc.Args, p.expression())
	}
	p.expectPunct(")")
	return fc
}

// builtinCall parses BuiltInCall, aggregates included.
func (p *parser) builtinCall() algebra.Expr {
	p.enter()
	defer p.leave()
	name := strings.ToUpper(p.tok.val)
	off := p.tok.off
	p.advance()
	switch name {
	case "EXISTS":
		return &algebra.Exists{Op: p.existsPattern()}
	case "NOT":
		p.expectWord("EXISTS")
		return &algebra.Exists{Op: p.existsPattern(), Not: true}
	}
	if agg, ok := aggregates[name]; ok {
		return p.aggregate(agg, off)
	}
	b := builtins[name]
	var args []algebra.Expr
	switch {
	case name == "BOUND":
		p.expectPunct("(")
		if p.tok.kind != tVar {
			p.failTok("BOUND needs a variable, found %s", p.tok)
		}
		args = []algebra.Expr{algebra.Var(p.tok.val)}
		p.advance()
		p.expectPunct(")")
	case p.tok.kind == tNil:
		p.advance()
	case b.max == 0:
		p.failTok("%s takes no arguments: write %s()", name, name)
	default:
		args = p.expressionList()
	}
	if len(args) < b.min || b.max >= 0 && len(args) > b.max {
		p.failAt(off, "%s takes %s, not %d", name, arity(b), len(args))
	}
	return &algebra.Call{Func: b.fn, Args: args}
}

func arity(b builtin) string {
	switch {
	case b.max < 0:
		return "any number of arguments"
	case b.min == b.max && b.min == 1:
		return "one argument"
	case b.min == b.max:
		return string(rune('0'+b.min)) + " arguments"
	}
	return string(rune('0'+b.min)) + " to " + string(rune('0'+b.max)) + " arguments"
}

// existsPattern parses the group of EXISTS or NOT EXISTS, which starts new
// basic graph patterns of its own.
func (p *parser) existsPattern() algebra.Op {
	if !p.isPunct("{") {
		p.failTok("expected '{' after EXISTS, found %s", p.tok)
	}
	saved := p.aggs
	p.aggs = nil
	defer func() { p.aggs = saved }()
	return p.groupGraphPattern()
}

// aggregate parses the rest of an aggregate call, records it in the
// current query level and returns the variable standing for its value.
func (p *parser) aggregate(f algebra.AggFunc, off int) algebra.Expr {
	if p.aggs == nil {
		p.failAt(off, "aggregate %s is not allowed here", f)
	}
	aggs := p.aggs
	p.aggs = nil // no aggregate inside an aggregate
	defer func() { p.aggs = aggs }()
	a := algebra.Aggregate{Func: f, Separator: " "}
	p.expectPunct("(")
	a.Distinct = p.acceptWord("DISTINCT")
	if f == algebra.AggCount && p.acceptPunct("*") {
		// COUNT(*)
	} else {
		a.Expr = p.expression()
	}
	if f == algebra.AggGroupConcat && p.acceptPunct(";") {
		p.expectWord("SEPARATOR")
		p.expectPunct("=")
		if p.tok.kind != tString {
			p.failTok("SEPARATOR needs a string, found %s", p.tok)
		}
		a.Separator = p.tok.val
		p.advance()
	}
	p.expectPunct(")")
	a.Var = p.freshVar("agg")
	*aggs = append(*aggs, a)
	return a.Var
}
