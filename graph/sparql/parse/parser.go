package parse

import (
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// Options configure the parser.
type Options struct {
	// Base is the base IRI relative IRIs are resolved against until a BASE
	// declaration changes it. Empty leaves relative IRIs unresolved.
	Base string
	// MaxDepth bounds the nesting of groups, expressions and paths
	// (hostile input must not exhaust the stack); 0 means DefaultMaxDepth.
	MaxDepth int
}

// DefaultMaxDepth is the nesting bound when Options.MaxDepth is 0.
const DefaultMaxDepth = 256

const (
	xsdNS        = "http://www.w3.org/2001/XMLSchema#"
	rdfNS        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	xsdString    = quad.IRI(xsdNS + "string")
	xsdInteger   = quad.IRI(xsdNS + "integer")
	xsdDecimal   = quad.IRI(xsdNS + "decimal")
	xsdDouble    = quad.IRI(xsdNS + "double")
	xsdBoolean   = quad.IRI(xsdNS + "boolean")
	rdfType      = quad.IRI(rdfNS + "type")
	rdfFirst     = quad.IRI(rdfNS + "first")
	rdfRest      = quad.IRI(rdfNS + "rest")
	rdfNil       = quad.IRI(rdfNS + "nil")
	anonPrefix   = "anon:" // labels of blank nodes the parser makes ([] and collections)
	bnodeVarPref = "_:"    // a pattern blank node _:x becomes the hidden variable "_:x"
)

// bailout carries a SyntaxError up the recursive descent to the entry point.
type bailout struct{ err *SyntaxError }

type parser struct {
	lex      lexer
	tok      token
	base     string
	prefixes map[string]string
	maxDepth int
	depth    int
	fresh    int // counter for fresh variables and blank nodes

	// Blank node labels of patterns: the block each label was first used
	// in. A label may not be used in two basic graph patterns.
	block      int
	labelBlock map[string]int
	// updateOp counts the operations of an update request; labelOp is
	// the operation each blank node label of its data and templates was
	// first used in (a label may not be shared by two operations).
	updateOp int
	labelOp  map[string]int

	// aggs collects the aggregates of the current query level while its
	// SELECT, HAVING and ORDER BY clauses are parsed; nil where an
	// aggregate is not allowed.
	aggs *[]algebra.Aggregate

	// inTemplate is set while a CONSTRUCT, INSERT or DELETE template or
	// quad data is parsed (blank nodes stay blank nodes there).
	inTemplate bool
	// noVars and noBNodes restrict quad data (INSERT/DELETE DATA) and
	// DELETE templates.
	noVars, noBNodes bool
	bnodeMsg         string
}

func newParser(text string, opt Options) (*parser, error) {
	text, err := unescapeCodepoints(text)
	if err != nil {
		return nil, err
	}
	p := &parser{lex: lexer{src: text}, base: opt.Base, prefixes: map[string]string{},
		maxDepth: opt.MaxDepth, labelBlock: map[string]int{}, labelOp: map[string]int{}}
	if p.maxDepth <= 0 {
		p.maxDepth = DefaultMaxDepth
	}
	return p, nil
}

// Query parses a SPARQL 1.1 query and translates it into the algebra. It
// returns a *SyntaxError for text that is not a valid query.
func Query(text string, opt Options) (q *algebra.Query, err error) {
	p, err := newParser(text, opt)
	if err != nil {
		return nil, err
	}
	defer p.recover(&err)
	p.advance()
	q = p.query()
	if p.tok.kind != tEOF {
		p.failTok("unexpected %s after the query", p.tok)
	}
	return q, nil
}

// Update parses a SPARQL 1.1 Update request. It returns a *SyntaxError for
// text that is not a valid request.
func Update(text string, opt Options) (u *algebra.Update, err error) {
	p, err := newParser(text, opt)
	if err != nil {
		return nil, err
	}
	defer p.recover(&err)
	p.advance()
	u = p.update()
	return u, nil
}

func (p *parser) recover(err *error) {
	if r := recover(); r != nil {
		b, ok := r.(bailout)
		if !ok {
			panic(r)
		}
		*err = b.err
	}
}

func (p *parser) advance() {
	p.tok = p.lex.next()
	if p.lex.err != nil {
		panic(bailout{p.lex.err})
	}
}

func (p *parser) failAt(off int, format string, args ...any) {
	panic(bailout{errorAt(p.lex.src, off, format, args...)})
}

func (p *parser) failTok(format string, args ...any) {
	p.failAt(p.tok.off, format, args...)
}

func (p *parser) enter() {
	p.depth++
	if p.depth > p.maxDepth {
		p.failTok("nesting deeper than %d levels", p.maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// isWord reports whether the current token is the keyword w (matched
// case-insensitively, as SPARQL keywords are).
func (p *parser) isWord(w string) bool {
	return p.tok.kind == tWord && strings.EqualFold(p.tok.val, w)
}

func (p *parser) isPunct(s string) bool { return p.tok.kind == tPunct && p.tok.val == s }

func (p *parser) acceptWord(w string) bool {
	if p.isWord(w) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) acceptPunct(s string) bool {
	if p.isPunct(s) {
		p.advance()
		return true
	}
	return false
}

func (p *parser) expectWord(w string) {
	if !p.acceptWord(w) {
		p.failTok("expected %s, found %s", w, p.tok)
	}
}

func (p *parser) expectPunct(s string) {
	if !p.acceptPunct(s) {
		p.failTok("expected %q, found %s", s, p.tok)
	}
}

func (p *parser) freshVar(kind string) algebra.Var {
	p.fresh++
	return algebra.Var("_:" + kind + strconv.Itoa(p.fresh))
}

// prologue parses BASE and PREFIX declarations.
func (p *parser) prologue() {
	for {
		switch {
		case p.isWord("BASE"):
			p.advance()
			if p.tok.kind != tIRI {
				p.failTok("BASE needs an IRI, found %s", p.tok)
			}
			p.base = p.resolve(p.tok.val)
			p.advance()
		case p.isWord("PREFIX"):
			p.advance()
			if p.tok.kind != tPName || p.tok.val2 != "" {
				p.failTok("PREFIX needs a prefix name ending in ':', found %s", p.tok)
			}
			name := p.tok.val
			// "PREFIX a.b: <...>": the lexer stops a prefix at a dot it
			// cannot end with; the grammar allows inner dots.
			p.advance()
			if p.tok.kind != tIRI {
				p.failTok("PREFIX %s: needs an IRI, found %s", name, p.tok)
			}
			p.prefixes[name] = p.resolve(p.tok.val)
			p.advance()
		default:
			return
		}
	}
}

func (p *parser) resolve(iri string) string {
	if p.base == "" || rdfio.IsAbsoluteIRI(iri) && !strings.Contains(iri, "/.") {
		return iri
	}
	return rdfio.ResolveIRI(p.base, iri)
}

// iri parses iri ::= IRIREF | PrefixedName.
func (p *parser) iri() quad.IRI {
	switch p.tok.kind {
	case tIRI:
		s := p.resolve(p.tok.val)
		p.advance()
		return quad.IRI(s)
	case tPName:
		ns, ok := p.prefixes[p.tok.val]
		if !ok {
			p.failTok("undefined prefix %q", p.tok.val+":")
		}
		s := ns + p.tok.val2
		p.advance()
		return quad.IRI(s)
	}
	p.failTok("expected an IRI, found %s", p.tok)
	return ""
}

func (p *parser) isIRI() bool { return p.tok.kind == tIRI || p.tok.kind == tPName }

// query parses Query ::= Prologue ( SelectQuery | ConstructQuery |
// DescribeQuery | AskQuery ) ValuesClause.
func (p *parser) query() *algebra.Query {
	p.prologue()
	q := &algebra.Query{}
	switch {
	case p.isWord("SELECT"):
		p.selectQuery(q)
	case p.isWord("CONSTRUCT"):
		p.constructQuery(q)
	case p.isWord("DESCRIBE"):
		p.describeQuery(q)
	case p.isWord("ASK"):
		p.askQuery(q)
	default:
		p.failTok("expected SELECT, CONSTRUCT, DESCRIBE or ASK, found %s", p.tok)
	}
	q.Base = p.base
	return q
}

// selectItem is one entry of a SELECT clause.
type selectItem struct {
	v    algebra.Var
	expr algebra.Expr // nil for a plain variable
	off  int
}

type selectClause struct {
	distinct, reduced, star bool
	items                   []selectItem
	off                     int
}

func (p *parser) selectClause(aggs *[]algebra.Aggregate) selectClause {
	sc := selectClause{off: p.tok.off}
	p.expectWord("SELECT")
	if p.acceptWord("DISTINCT") {
		sc.distinct = true
	} else if p.acceptWord("REDUCED") {
		sc.reduced = true
	}
	if p.acceptPunct("*") {
		sc.star = true
		return sc
	}
	saved := p.aggs
	p.aggs = aggs
	defer func() { p.aggs = saved }()
	for {
		switch {
		case p.tok.kind == tVar:
			sc.items = append(sc.items, selectItem{v: algebra.Var(p.tok.val), off: p.tok.off})
			p.advance()
			continue
		case p.isPunct("("):
			p.advance()
			e := p.expression()
			p.expectWord("AS")
			if p.tok.kind != tVar {
				p.failTok("expected a variable after AS, found %s", p.tok)
			}
			sc.items = append(sc.items, selectItem{v: algebra.Var(p.tok.val), expr: e, off: p.tok.off})
			p.advance()
			p.expectPunct(")")
			continue
		}
		break
	}
	if len(sc.items) == 0 {
		p.failTok("SELECT needs '*' or variables, found %s", p.tok)
	}
	return sc
}

// datasetClauses parses DatasetClause*.
func (p *parser) datasetClauses(q *algebra.Query) {
	for p.acceptWord("FROM") {
		q.HasDataset = true
		if p.acceptWord("NAMED") {
			q.FromNamed = append(q.FromNamed, p.iri())
		} else {
			q.From = append(q.From, p.iri())
		}
	}
}

func (p *parser) whereClause() algebra.Op {
	p.acceptWord("WHERE")
	if !p.isPunct("{") {
		p.failTok("expected '{' to start the WHERE clause, found %s", p.tok)
	}
	return p.groupGraphPattern()
}

func (p *parser) selectQuery(q *algebra.Query) {
	var aggs []algebra.Aggregate
	sc := p.selectClause(&aggs)
	p.datasetClauses(q)
	where := p.whereClause()
	op, vars := p.solution(sc, where, &aggs, true)
	q.Form = algebra.Select
	q.Op = op
	q.Vars = vars
}

// solution parses SolutionModifier (and, at the top level, the trailing
// ValuesClause) and builds the algebra of section 18.2.4 and 18.2.5 around
// where: grouping and aggregates, HAVING, VALUES, SELECT expressions,
// ORDER BY, projection, DISTINCT/REDUCED, OFFSET/LIMIT. It returns the
// operator and the projected variables.
func (p *parser) solution(sc selectClause, where algebra.Op, aggs *[]algebra.Aggregate, topValues bool) (algebra.Op, []algebra.Var) {
	saved := p.aggs
	defer func() { p.aggs = saved }()

	var keys []algebra.GroupKey
	grouped := false
	if p.isWord("GROUP") {
		p.advance()
		p.expectWord("BY")
		grouped = true
		p.aggs = nil
		for {
			k, ok := p.groupCondition()
			if !ok {
				break
			}
			keys = append(keys, k)
		}
		if len(keys) == 0 {
			p.failTok("GROUP BY needs a condition, found %s", p.tok)
		}
	}
	p.aggs = aggs
	var having []algebra.Expr
	if p.isWord("HAVING") {
		p.advance()
		for {
			e, ok := p.constraint()
			if !ok {
				break
			}
			having = append(having, e)
		}
		if len(having) == 0 {
			p.failTok("HAVING needs a condition, found %s", p.tok)
		}
	}
	var order []algebra.OrderCond
	if p.isWord("ORDER") {
		p.advance()
		p.expectWord("BY")
		for {
			c, ok := p.orderCondition()
			if !ok {
				break
			}
			order = append(order, c)
		}
		if len(order) == 0 {
			p.failTok("ORDER BY needs a condition, found %s", p.tok)
		}
	}
	p.aggs = nil
	offset, limit := int64(0), int64(-1)
	hasLimit, hasOffset := false, false
	for {
		switch {
		case !hasLimit && p.isWord("LIMIT"):
			p.advance()
			limit = p.nonNegInt("LIMIT")
			hasLimit = true
			continue
		case !hasOffset && p.isWord("OFFSET"):
			p.advance()
			offset = p.nonNegInt("OFFSET")
			hasOffset = true
			continue
		}
		break
	}
	var values *algebra.Values
	if topValues && p.isWord("VALUES") {
		p.advance()
		values = p.dataBlock()
	}

	if len(*aggs) > 0 || grouped || len(having) > 0 {
		grouped = true
	}
	whereScope := algebra.InScope(where)
	op := where
	// Variables visible to SELECT expressions: in a grouped query only the
	// group keys and the aggregates.
	visible := whereScope.Maybe
	if grouped {
		if sc.star {
			p.failAt(sc.off, "SELECT * is not allowed with GROUP BY or aggregates")
		}
		visible = map[algebra.Var]bool{}
		for _, k := range keys {
			visible[k.Var] = true
		}
		for _, a := range *aggs {
			visible[a.Var] = true
		}
		op = &algebra.Group{Op: op, Keys: keys, Aggs: *aggs}
	}
	if len(having) > 0 {
		op = &algebra.Filter{Expr: conj(having), Op: op}
	}
	if values != nil {
		op = join(op, values)
		for _, v := range values.Vars {
			visible[v] = true
		}
	}
	var vars []algebra.Var
	projected := map[algebra.Var]bool{}
	if sc.star {
		vars = visibleVars(op)
	} else {
		for _, it := range sc.items {
			if it.expr == nil {
				if grouped && !visible[it.v] && !it.v.Hidden() {
					p.failAt(it.off, "variable ?%s is projected but neither grouped nor aggregated", it.v)
				}
			} else {
				if visible[it.v] || projected[it.v] {
					p.failAt(it.off, "variable ?%s of a SELECT expression is already in scope", it.v)
				}
				if grouped {
					var bad algebra.Var
					algebra.ExprVars(it.expr, func(v algebra.Var) {
						if !visible[v] && !projected[v] && bad == "" && !v.Hidden() {
							bad = v
						}
					})
					if bad != "" {
						p.failAt(it.off, "variable ?%s in a SELECT expression is neither grouped nor aggregated", bad)
					}
				}
				op = &algebra.Extend{Op: op, Var: it.v, Expr: it.expr}
			}
			if !projected[it.v] {
				vars = append(vars, it.v)
			}
			projected[it.v] = true
		}
	}
	if len(order) > 0 {
		op = &algebra.OrderBy{Op: op, Conds: order}
	}
	op = &algebra.Project{Op: op, Vars: vars}
	switch {
	case sc.distinct:
		op = &algebra.Distinct{Op: op}
	case sc.reduced:
		op = &algebra.Reduced{Op: op}
	}
	if hasLimit || hasOffset {
		op = &algebra.Slice{Op: op, Offset: offset, Limit: limit}
	}
	return op, vars
}

// visibleVars lists the variables op binds that a query may name, in the
// order they first appear.
func visibleVars(op algebra.Op) []algebra.Var {
	scope := algebra.InScope(op)
	seen := map[algebra.Var]bool{}
	var vars []algebra.Var
	algebra.OpVars(op, func(v algebra.Var) {
		if !seen[v] && scope.Maybe[v] && !v.Hidden() {
			seen[v] = true
			vars = append(vars, v)
		}
	})
	return vars
}

func (p *parser) nonNegInt(what string) int64 {
	if p.tok.kind != tInteger || p.tok.signed {
		p.failTok("%s needs a non-negative integer, found %s", what, p.tok)
	}
	n, err := strconv.ParseInt(p.tok.val, 10, 64)
	if err != nil {
		p.failTok("%s %s is too large", what, p.tok.val)
	}
	p.advance()
	return n
}

// groupCondition parses GroupCondition ::= BuiltInCall | FunctionCall |
// '(' Expression ( 'AS' Var )? ')' | Var.
func (p *parser) groupCondition() (algebra.GroupKey, bool) {
	switch {
	case p.tok.kind == tVar:
		v := algebra.Var(p.tok.val)
		p.advance()
		return algebra.GroupKey{Var: v, Expr: v}, true
	case p.isPunct("("):
		p.advance()
		e := p.expression()
		k := algebra.GroupKey{Expr: e}
		if p.acceptWord("AS") {
			if p.tok.kind != tVar {
				p.failTok("expected a variable after AS, found %s", p.tok)
			}
			k.Var = algebra.Var(p.tok.val)
			p.advance()
		} else if v, ok := e.(algebra.Var); ok {
			k.Var = v
		} else {
			k.Var = p.freshVar("group")
		}
		p.expectPunct(")")
		return k, true
	case p.isIRI():
		e := p.iriOrFunction()
		return algebra.GroupKey{Var: p.freshVar("group"), Expr: e}, true
	case p.tok.kind == tWord && isBuiltin(p.tok.val):
		e := p.builtinCall()
		return algebra.GroupKey{Var: p.freshVar("group"), Expr: e}, true
	}
	return algebra.GroupKey{}, false
}

// orderCondition parses OrderCondition.
func (p *parser) orderCondition() (algebra.OrderCond, bool) {
	switch {
	case p.isWord("ASC") || p.isWord("DESC"):
		desc := p.isWord("DESC")
		p.advance()
		if !p.isPunct("(") {
			p.failTok("expected '(' after ASC or DESC, found %s", p.tok)
		}
		return algebra.OrderCond{Expr: p.brackettedExpression(), Desc: desc}, true
	case p.tok.kind == tVar:
		v := algebra.Var(p.tok.val)
		p.advance()
		return algebra.OrderCond{Expr: v}, true
	}
	e, ok := p.constraint()
	return algebra.OrderCond{Expr: e}, ok
}

// constraint parses Constraint ::= BrackettedExpression | BuiltInCall |
// FunctionCall, reporting false (consuming nothing) when none starts here.
func (p *parser) constraint() (algebra.Expr, bool) {
	switch {
	case p.isPunct("("):
		return p.brackettedExpression(), true
	case p.isIRI():
		off := p.tok.off
		e := p.iriOrFunction()
		if _, ok := e.(*algebra.FuncCall); !ok {
			p.failAt(off, "expected a function call")
		}
		return e, true
	case p.tok.kind == tWord && isBuiltin(p.tok.val):
		return p.builtinCall(), true
	}
	return nil, false
}

func (p *parser) constructQuery(q *algebra.Query) {
	p.expectWord("CONSTRUCT")
	q.Form = algebra.Construct
	var where algebra.Op
	if p.isPunct("{") {
		q.Template = p.constructTemplate()
		p.datasetClauses(q)
		where = p.whereClause()
	} else {
		// CONSTRUCT WHERE { TriplesTemplate }: the template is also the
		// pattern.
		p.datasetClauses(q)
		p.expectWord("WHERE")
		p.expectPunct("{")
		p.block++
		var ts []ptriple
		if !p.isPunct("}") {
			ts = p.triplesTemplate()
		}
		p.expectPunct("}")
		q.Template = p.templateTriples(ts)
		where = p.patternOp(ts)
	}
	var aggs []algebra.Aggregate
	op, _ := p.solution(selectClause{star: true}, where, &aggs, true)
	q.Op = op
}

func (p *parser) constructTemplate() []algebra.Triple {
	p.expectPunct("{")
	saved := p.inTemplate
	p.inTemplate = true
	var ts []ptriple
	if !p.isPunct("}") {
		ts = p.triplesTemplate()
	}
	p.inTemplate = saved
	p.expectPunct("}")
	return p.templateTriples(ts)
}

func (p *parser) describeQuery(q *algebra.Query) {
	p.expectWord("DESCRIBE")
	q.Form = algebra.Describe
	star := false
	var vars []algebra.Var
	if p.acceptPunct("*") {
		star = true
	} else {
		for {
			if p.tok.kind == tVar {
				vars = append(vars, algebra.Var(p.tok.val))
				p.advance()
			} else if p.isIRI() {
				q.Describe = append(q.Describe, p.iri())
			} else {
				break
			}
		}
		if len(vars) == 0 && len(q.Describe) == 0 {
			p.failTok("DESCRIBE needs '*', variables or IRIs, found %s", p.tok)
		}
	}
	p.datasetClauses(q)
	var where algebra.Op = &algebra.BGP{}
	if p.isWord("WHERE") || p.isPunct("{") {
		where = p.whereClause()
	}
	sc := selectClause{star: star}
	for _, v := range vars {
		sc.items = append(sc.items, selectItem{v: v})
	}
	if !star && len(vars) == 0 {
		sc.items = nil
	}
	var aggs []algebra.Aggregate
	if len(sc.items) == 0 && !star {
		// DESCRIBE <iri> only: the pattern still runs (it may have no
		// solution) but projects nothing.
		sc.star = false
	}
	op, pv := p.solution(sc, where, &aggs, true)
	q.Op = op
	q.Vars = pv
}

func (p *parser) askQuery(q *algebra.Query) {
	p.expectWord("ASK")
	q.Form = algebra.Ask
	p.datasetClauses(q)
	where := p.whereClause()
	var aggs []algebra.Aggregate
	op, _ := p.solution(selectClause{star: true}, where, &aggs, true)
	q.Op = op
}

// subSelect parses SubSelect ::= SelectClause WhereClause SolutionModifier
// ValuesClause, renaming the variables it does not project apart from the
// enclosing query's.
func (p *parser) subSelect() algebra.Op {
	var aggs []algebra.Aggregate
	sc := p.selectClause(&aggs)
	where := p.whereClause()
	op, vars := p.solution(sc, where, &aggs, false)
	if p.isWord("VALUES") {
		p.advance()
		values := p.dataBlock()
		// The sub-select's own VALUES joins its result.
		op = join(op, values)
	}
	keep := map[algebra.Var]bool{}
	for _, v := range vars {
		keep[v] = true
	}
	p.fresh++
	suffix := ":" + strconv.Itoa(p.fresh)
	rename := map[algebra.Var]algebra.Var{}
	algebra.OpVars(op, func(v algebra.Var) {
		if !keep[v] {
			rename[v] = v + algebra.Var(suffix)
		}
	})
	return algebra.Rename(op, rename)
}

// update parses Update ::= Prologue ( Update1 ( ';' Update )? )?.
func (p *parser) update() *algebra.Update {
	u := &algebra.Update{}
	for {
		p.prologue()
		if p.tok.kind == tEOF {
			break
		}
		p.updateOp++
		u.Ops = append(u.Ops, p.update1())
		if !p.acceptPunct(";") {
			break
		}
	}
	if p.tok.kind != tEOF {
		p.failTok("unexpected %s in the update request", p.tok)
	}
	u.Base = p.base
	return u
}

func (p *parser) update1() algebra.UpdateOp {
	switch {
	case p.isWord("LOAD"):
		p.advance()
		op := &algebra.Load{Silent: p.acceptWord("SILENT")}
		op.Source = p.iri()
		if p.acceptWord("INTO") {
			p.expectWord("GRAPH")
			op.Into = p.iri()
		}
		return op
	case p.isWord("CLEAR"):
		p.advance()
		op := &algebra.Clear{Silent: p.acceptWord("SILENT")}
		op.Target = p.graphRefAll()
		return op
	case p.isWord("DROP"):
		p.advance()
		op := &algebra.Drop{Silent: p.acceptWord("SILENT")}
		op.Target = p.graphRefAll()
		return op
	case p.isWord("CREATE"):
		p.advance()
		op := &algebra.Create{Silent: p.acceptWord("SILENT")}
		p.expectWord("GRAPH")
		op.Graph = p.iri()
		return op
	case p.isWord("ADD") || p.isWord("MOVE") || p.isWord("COPY"):
		kind := map[string]algebra.TransferKind{"ADD": algebra.Add, "MOVE": algebra.Move, "COPY": algebra.Copy}[strings.ToUpper(p.tok.val)]
		p.advance()
		op := &algebra.Transfer{Kind: kind, Silent: p.acceptWord("SILENT")}
		op.From = p.graphOrDefault()
		p.expectWord("TO")
		op.To = p.graphOrDefault()
		return op
	case p.isWord("INSERT"):
		p.advance()
		if p.acceptWord("DATA") {
			return &algebra.InsertData{Quads: p.quadData(false)}
		}
		return p.modify("", nil)
	case p.isWord("DELETE"):
		p.advance()
		if p.acceptWord("DATA") {
			return &algebra.DeleteData{Quads: p.quadData(true)}
		}
		if p.acceptWord("WHERE") {
			return p.deleteWhere()
		}
		del := p.quadPattern(true)
		return p.modify("", del)
	case p.isWord("WITH"):
		p.advance()
		with := p.iri()
		if p.acceptWord("DELETE") {
			del := p.quadPattern(true)
			return p.modify(with, del)
		}
		if !p.isWord("INSERT") {
			p.failTok("expected DELETE or INSERT after WITH, found %s", p.tok)
		}
		p.advance()
		return p.modify(with, nil)
	}
	p.failTok("expected an update operation, found %s", p.tok)
	return nil
}

func (p *parser) graphRefAll() algebra.GraphTarget {
	switch {
	case p.acceptWord("DEFAULT"):
		return algebra.GraphTarget{Scope: algebra.ScopeDefault}
	case p.acceptWord("NAMED"):
		return algebra.GraphTarget{Scope: algebra.ScopeNamed}
	case p.acceptWord("ALL"):
		return algebra.GraphTarget{Scope: algebra.ScopeAll}
	}
	p.expectWord("GRAPH")
	return algebra.GraphTarget{Scope: algebra.ScopeGraph, IRI: p.iri()}
}

func (p *parser) graphOrDefault() quad.IRI {
	if p.acceptWord("DEFAULT") {
		return ""
	}
	p.acceptWord("GRAPH")
	return p.iri()
}

// modify parses the rest of Modify after WITH and the DELETE clause (del,
// nil when absent); the INSERT keyword, when the clause has one, is next
// or was just consumed.
func (p *parser) modify(with quad.IRI, del []algebra.QuadPattern) algebra.UpdateOp {
	op := &algebra.Modify{With: with, Delete: del}
	if del != nil {
		if p.acceptWord("INSERT") {
			op.Insert = p.quadPattern(false)
		}
	} else {
		op.Insert = p.quadPattern(false)
	}
	for p.acceptWord("USING") {
		op.HasUsing = true
		if p.acceptWord("NAMED") {
			op.UsingNamed = append(op.UsingNamed, p.iri())
		} else {
			op.Using = append(op.Using, p.iri())
		}
	}
	p.expectWord("WHERE")
	if !p.isPunct("{") {
		p.failTok("expected '{' after WHERE, found %s", p.tok)
	}
	op.Where = p.groupGraphPattern()
	return op
}

// quadPattern parses QuadPattern ::= '{' Quads '}' as a template: of
// DELETE when del (no blank nodes), else of INSERT.
func (p *parser) quadPattern(del bool) []algebra.QuadPattern {
	saved := p.inTemplate
	p.inTemplate, p.noBNodes = true, del
	p.bnodeMsg = "blank nodes are not allowed in a DELETE template"
	defer func() { p.inTemplate, p.noBNodes = saved, false }()
	return p.quads()
}

// quadData parses QuadData: quads without variables (and, for DELETE
// DATA, without blank nodes).
func (p *parser) quadData(del bool) []quad.Quad {
	saved := p.inTemplate
	p.inTemplate, p.noVars, p.noBNodes = true, true, del
	p.bnodeMsg = "blank nodes are not allowed in DELETE DATA"
	defer func() { p.inTemplate, p.noVars, p.noBNodes = saved, false, false }()
	qps := p.quads()
	out := make([]quad.Quad, len(qps))
	for i, q := range qps {
		out[i] = quad.Quad{Subject: q.S.Value, Predicate: q.P.Value, Object: q.O.Value, Label: q.G.Value}
	}
	return out
}

// quads parses '{' Quads '}'.
func (p *parser) quads() []algebra.QuadPattern {
	p.expectPunct("{")
	var out []algebra.QuadPattern
	add := func(ts []ptriple, g algebra.Term) {
		for _, t := range p.templateTriples(ts) {
			out = append(out, algebra.QuadPattern{S: t.S, P: t.P, O: t.O, G: g})
		}
	}
	afterTriples := false
	for {
		if p.isPunct("}") {
			break
		}
		if afterTriples && !p.isWord("GRAPH") {
			p.failTok("expected '.', GRAPH or '}', found %s", p.tok)
		}
		afterTriples = false
		if p.isWord("GRAPH") {
			p.advance()
			g := p.varOrIRI()
			p.expectPunct("{")
			if !p.isPunct("}") {
				add(p.triplesTemplate(), g)
			}
			p.expectPunct("}")
			p.acceptPunct(".")
			continue
		}
		add(p.triplesTemplate(), algebra.Term{})
		afterTriples = true
	}
	p.expectPunct("}")
	return out
}

// deleteWhere parses DELETE WHERE QuadPattern: the quads are both the
// template and, as a pattern, the WHERE clause.
func (p *parser) deleteWhere() algebra.UpdateOp {
	p.expectPunct("{")
	saved := p.inTemplate
	p.inTemplate, p.noBNodes = true, true
	p.bnodeMsg = "blank nodes are not allowed in DELETE WHERE"
	defer func() { p.inTemplate, p.noBNodes = saved, false }()
	op := &algebra.Modify{}
	var where algebra.Op = &algebra.BGP{}
	add := func(ts []ptriple, g algebra.Term) {
		for _, t := range p.templateTriples(ts) {
			op.Delete = append(op.Delete, algebra.QuadPattern{S: t.S, P: t.P, O: t.O, G: g})
		}
		pat := p.patternOp(ts)
		if !g.IsZero() {
			pat = &algebra.Graph{Name: g, Op: pat}
		}
		where = join(where, pat)
	}
	afterTriples := false
	for !p.isPunct("}") {
		if afterTriples && !p.isWord("GRAPH") {
			p.failTok("expected '.', GRAPH or '}', found %s", p.tok)
		}
		afterTriples = false
		if p.isWord("GRAPH") {
			p.advance()
			g := p.varOrIRI()
			p.expectPunct("{")
			if !p.isPunct("}") {
				add(p.triplesTemplate(), g)
			}
			p.expectPunct("}")
			p.acceptPunct(".")
			continue
		}
		add(p.triplesTemplate(), algebra.Term{})
		afterTriples = true
	}
	p.expectPunct("}")
	op.Where = where
	return op
}

func (p *parser) varOrIRI() algebra.Term {
	if p.tok.kind == tVar {
		if p.noVars {
			p.failTok("variables are not allowed in quad data")
		}
		v := algebra.Var(p.tok.val)
		p.advance()
		return algebra.V(v)
	}
	return algebra.C(p.iri())
}

// dataBlock parses DataBlock (after VALUES).
func (p *parser) dataBlock() *algebra.Values {
	vals := &algebra.Values{}
	if p.tok.kind == tVar {
		vals.Vars = []algebra.Var{algebra.Var(p.tok.val)}
		p.advance()
		p.expectPunct("{")
		for !p.isPunct("}") {
			vals.Rows = append(vals.Rows, []quad.Value{p.dataBlockValue()})
		}
		p.advance()
		return vals
	}
	if p.tok.kind == tNil {
		p.advance()
	} else {
		p.expectPunct("(")
		for p.tok.kind == tVar {
			vals.Vars = append(vals.Vars, algebra.Var(p.tok.val))
			p.advance()
		}
		p.expectPunct(")")
	}
	p.expectPunct("{")
	for !p.isPunct("}") {
		if p.tok.kind == tNil {
			if len(vals.Vars) != 0 {
				p.failTok("a VALUES row needs %d values", len(vals.Vars))
			}
			p.advance()
			vals.Rows = append(vals.Rows, []quad.Value{})
			continue
		}
		off := p.tok.off
		p.expectPunct("(")
		var row []quad.Value
		for !p.isPunct(")") {
			row = append(row, p.dataBlockValue())
		}
		p.advance()
		if len(row) != len(vals.Vars) {
			p.failAt(off, "a VALUES row has %d values for %d variables", len(row), len(vals.Vars))
		}
		vals.Rows = append(vals.Rows, row)
	}
	p.advance()
	return vals
}

// dataBlockValue parses DataBlockValue; UNDEF gives nil.
func (p *parser) dataBlockValue() quad.Value {
	if p.acceptWord("UNDEF") {
		return nil
	}
	if p.isIRI() {
		return p.iri()
	}
	v, ok := p.literal()
	if !ok {
		p.failTok("expected a VALUES value, found %s", p.tok)
	}
	return v
}

// literal parses RDFLiteral | NumericLiteral | BooleanLiteral.
func (p *parser) literal() (quad.Value, bool) {
	switch p.tok.kind {
	case tString:
		s := p.tok.val
		p.advance()
		if p.tok.kind == tLang {
			lang := strings.ToLower(p.tok.val)
			p.advance()
			return quad.LangString{Value: quad.String(s), Lang: lang}, true
		}
		if p.acceptPunct("^^") {
			dt := p.iri()
			if dt == xsdString {
				return quad.String(s), true
			}
			return quad.TypedString{Value: quad.String(s), Type: dt}, true
		}
		return quad.String(s), true
	case tInteger, tDecimal, tDouble:
		return p.numeric(), true
	case tWord:
		if isBoolWord(p.tok.val) {
			v := strings.ToLower(p.tok.val)
			p.advance()
			return quad.TypedString{Value: quad.String(v), Type: xsdBoolean}, true
		}
	}
	return nil, false
}

func (p *parser) numeric() quad.Value {
	t := p.tok
	p.advance()
	dt := map[tokKind]quad.IRI{tInteger: xsdInteger, tDecimal: xsdDecimal, tDouble: xsdDouble}[t.kind]
	return quad.TypedString{Value: quad.String(t.val), Type: dt}
}

// isBoolWord reports whether a bare word is a boolean literal (keywords,
// true and false among them, are case-insensitive).
func isBoolWord(w string) bool { return strings.EqualFold(w, "true") || strings.EqualFold(w, "false") }
