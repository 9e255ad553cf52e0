package algebra

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// Var is a variable name, without its leading ? or $.
type Var string

// Hidden reports whether v was made by the translation (a blank node of a
// pattern, a path step, an aggregate, a renamed sub-select variable) rather
// than written in the query: such names contain a colon, which SPARQL
// variable names cannot.
func (v Var) Hidden() bool { return strings.IndexByte(string(v), ':') >= 0 }

// Term is one position of a triple or quad pattern: a variable when Value is
// nil, otherwise an RDF term.
type Term struct {
	Var   Var
	Value quad.Value
}

// V returns the Term for variable v.
func V(v Var) Term { return Term{Var: v} }

// C returns the Term for the RDF term val.
func C(val quad.Value) Term { return Term{Value: val} }

// IsVar reports whether t is a variable.
func (t Term) IsVar() bool { return t.Value == nil }

// IsZero reports whether t is the zero Term (no variable, no value): the
// graph of a quad pattern in the default graph.
func (t Term) IsZero() bool { return t.Value == nil && t.Var == "" }

// Triple is a triple pattern.
type Triple struct{ S, P, O Term }

// QuadPattern is a triple pattern in a graph: G is the zero Term for the
// default graph.
type QuadPattern struct{ S, P, O, G Term }

// Op is an operator of the algebra. The set of implementations is closed:
// the types of this package listed in the switch of Walk.
type Op interface{ isOp() }

// BGP is a basic graph pattern. The empty BGP is the identity of Join: one
// solution binding nothing.
type BGP struct{ Triples []Triple }

// PathPattern is a triple pattern whose predicate is a property path that
// the translation could not turn into triple patterns: alternatives under a
// repetition, repetitions (*, +, ?) and negated property sets.
type PathPattern struct {
	S    Term
	Path Path
	O    Term
}

// Join is the join of two patterns.
type Join struct{ L, R Op }

// LeftJoin is OPTIONAL: every solution of L, extended by the compatible
// solutions of R for which Expr (nil: true) holds.
type LeftJoin struct {
	L, R Op
	Expr Expr
}

// Filter keeps the solutions of Op for which Expr's effective boolean value
// is true.
type Filter struct {
	Expr Expr
	Op   Op
}

// Union is the multiset union of two patterns.
type Union struct{ L, R Op }

// Graph evaluates Op in the named graph Name (an IRI, or a variable ranging
// over the named graphs of the dataset).
type Graph struct {
	Name Term
	Op   Op
}

// Extend is BIND: each solution of Op extended with Var bound to Expr's
// value (left unbound when Expr raises an error).
type Extend struct {
	Op   Op
	Var  Var
	Expr Expr
}

// Minus removes the solutions of L that are compatible with a solution of R
// sharing at least one variable with it.
type Minus struct{ L, R Op }

// Values is inline data (VALUES): one solution per row; a nil value is
// UNDEF.
type Values struct {
	Vars []Var
	Rows [][]quad.Value
}

// Service is a SERVICE pattern (federated query). The evaluator refuses it.
type Service struct {
	Name   Term
	Op     Op
	Silent bool
}

// GroupKey is one GROUP BY condition: the solutions are grouped by the
// value of Expr, bound to Var in the groups' solutions. For GROUP BY ?x,
// Expr is ?x itself and Var is x.
type GroupKey struct {
	Var  Var
	Expr Expr
}

// AggFunc names an aggregate function.
type AggFunc int

// The aggregate functions of SPARQL 1.1.
const (
	AggCount AggFunc = iota
	AggSum
	AggMin
	AggMax
	AggAvg
	AggSample
	AggGroupConcat
)

var aggNames = [...]string{"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}

func (f AggFunc) String() string { return aggNames[f] }

// Aggregate is one aggregate of a grouping, bound to Var in each group's
// solution. Expr is nil for COUNT(*).
type Aggregate struct {
	Var       Var
	Func      AggFunc
	Distinct  bool
	Expr      Expr
	Separator string // GROUP_CONCAT; " " unless given
}

// Group is GROUP BY with its aggregates: one solution per group, binding
// the key variables and the aggregate variables only. Without keys there is
// exactly one group, even over no solutions.
type Group struct {
	Op   Op
	Keys []GroupKey
	Aggs []Aggregate
}

// OrderCond is one ORDER BY condition.
type OrderCond struct {
	Expr Expr
	Desc bool
}

// OrderBy sorts the solutions of Op.
type OrderBy struct {
	Op    Op
	Conds []OrderCond
}

// Project keeps only Vars of each solution of Op.
type Project struct {
	Op   Op
	Vars []Var
}

// Distinct removes duplicate solutions.
type Distinct struct{ Op Op }

// Reduced permits (but does not require) removing duplicate solutions.
type Reduced struct{ Op Op }

// Slice is OFFSET and LIMIT; Limit < 0 means no limit.
type Slice struct {
	Op     Op
	Offset int64
	Limit  int64
}

func (*BGP) isOp()         {}
func (*PathPattern) isOp() {}
func (*Join) isOp()        {}
func (*LeftJoin) isOp()    {}
func (*Filter) isOp()      {}
func (*Union) isOp()       {}
func (*Graph) isOp()       {}
func (*Extend) isOp()      {}
func (*Minus) isOp()       {}
func (*Values) isOp()      {}
func (*Service) isOp()     {}
func (*Group) isOp()       {}
func (*OrderBy) isOp()     {}
func (*Project) isOp()     {}
func (*Distinct) isOp()    {}
func (*Reduced) isOp()     {}
func (*Slice) isOp()       {}

// Path is a property path expression. The set of implementations is
// closed: the Path* types of this package.
type Path interface{ isPath() }

// PathLink is a single predicate.
type PathLink struct{ IRI quad.IRI }

// PathInv is ^P.
type PathInv struct{ P Path }

// PathSeq is L/R.
type PathSeq struct{ L, R Path }

// PathAlt is L|R.
type PathAlt struct{ L, R Path }

// PathZeroOrMore is P*.
type PathZeroOrMore struct{ P Path }

// PathOneOrMore is P+.
type PathOneOrMore struct{ P Path }

// PathZeroOrOne is P?.
type PathZeroOrOne struct{ P Path }

// PathNeg is a negated property set !(a|^b): Fwd are the excluded forward
// predicates, Inv the excluded inverse ones. Forward links whose predicate
// is not in Fwd match when Fwd is not empty (or both are), inverse links
// whose predicate is not in Inv when Inv is not empty: !(^a) matches no
// forward link at all.
type PathNeg struct {
	Fwd, Inv []quad.IRI
}

func (*PathLink) isPath()       {}
func (*PathInv) isPath()        {}
func (*PathSeq) isPath()        {}
func (*PathAlt) isPath()        {}
func (*PathZeroOrMore) isPath() {}
func (*PathOneOrMore) isPath()  {}
func (*PathZeroOrOne) isPath()  {}
func (*PathNeg) isPath()        {}

// Expr is an expression. The set of implementations is closed: Var, *Const,
// *Call, *FuncCall, *Exists.
type Expr interface{ isExpr() }

func (Var) isExpr() {}

// Const is an RDF term in an expression.
type Const struct{ Value quad.Value }

func (*Const) isExpr() {}

// Call is an operator or built-in function applied to Args.
type Call struct {
	Func Func
	Args []Expr
}

func (*Call) isExpr() {}

// FuncCall is a call of a function named by IRI: an XSD cast
// (xsd:integer(?x)) or an extension function.
type FuncCall struct {
	IRI  quad.IRI
	Args []Expr
}

func (*FuncCall) isExpr() {}

// Exists is EXISTS { Op } (NOT EXISTS when Not): true when Op, with the
// variables of the current solution substituted, has a solution.
type Exists struct {
	Op  Op
	Not bool
}

func (*Exists) isExpr() {}

// Func names an operator or built-in function.
type Func int

// The operators and built-in functions of SPARQL 1.1.
const (
	FuncOr Func = iota
	FuncAnd
	FuncEq
	FuncNe
	FuncLt
	FuncGt
	FuncLe
	FuncGe
	FuncIn
	FuncNotIn
	FuncAdd
	FuncSub
	FuncMul
	FuncDiv
	FuncNot
	FuncNeg
	FuncPlus
	FuncStr
	FuncLang
	FuncLangMatches
	FuncDatatype
	FuncBound
	FuncIRI
	FuncBNode
	FuncRand
	FuncAbs
	FuncCeil
	FuncFloor
	FuncRound
	FuncConcat
	FuncSubstr
	FuncStrLen
	FuncReplace
	FuncUCase
	FuncLCase
	FuncEncodeForURI
	FuncContains
	FuncStrStarts
	FuncStrEnds
	FuncStrBefore
	FuncStrAfter
	FuncYear
	FuncMonth
	FuncDay
	FuncHours
	FuncMinutes
	FuncSeconds
	FuncTimezone
	FuncTZ
	FuncNow
	FuncUUID
	FuncStrUUID
	FuncMD5
	FuncSHA1
	FuncSHA256
	FuncSHA384
	FuncSHA512
	FuncCoalesce
	FuncIf
	FuncStrLang
	FuncStrDT
	FuncSameTerm
	FuncIsIRI
	FuncIsBlank
	FuncIsLiteral
	FuncIsNumeric
	FuncRegex
	numFuncs
)

var funcNames = [numFuncs]string{
	"||", "&&", "=", "!=", "<", ">", "<=", ">=", "IN", "NOT IN", "+", "-", "*", "/", "!", "-", "+",
	"STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR",
	"ROUND", "CONCAT", "SUBSTR", "STRLEN", "REPLACE", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS",
	"STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES",
	"SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512",
	"COALESCE", "IF", "STRLANG", "STRDT", "sameTerm", "isIRI", "isBLANK", "isLITERAL", "isNUMERIC", "REGEX",
}

func (f Func) String() string {
	if f >= 0 && f < numFuncs {
		return funcNames[f]
	}
	return "?"
}

// Form is the kind of a query.
type Form int

// The query forms.
const (
	Select Form = iota
	Construct
	Ask
	Describe
)

var formNames = [...]string{"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}

func (f Form) String() string { return formNames[f] }

// Query is a parsed and translated query.
type Query struct {
	Form Form
	// Base is the base IRI the query's relative IRIs were resolved against
	// (BASE, or the one given to the parser); IRI() resolves against it.
	Base string
	// Op is the algebra of the WHERE clause with the solution modifiers
	// (for SELECT ending in Project and the optional Distinct/Reduced and
	// Slice).
	Op Op
	// Vars are the variables of a SELECT, in order: the columns of the
	// results. For DESCRIBE they are the described variables.
	Vars []Var
	// Template is the CONSTRUCT template; blank nodes in it stay blank
	// nodes, fresh for every solution.
	Template []Triple
	// Describe lists the IRIs named by DESCRIBE (variables are in Vars).
	Describe []quad.IRI
	// From and FromNamed are the query's dataset clause. HasDataset
	// reports whether it has one (FROM or FROM NAMED).
	From, FromNamed []quad.IRI
	HasDataset      bool
}

// Update is a parsed SPARQL Update request: a sequence of operations
// applied in order, each seeing the effects of the ones before.
type Update struct {
	Base string
	Ops  []UpdateOp
}

// UpdateOp is one operation of an update request. The set of
// implementations is closed: the types below.
type UpdateOp interface{ isUpdateOp() }

// GraphScope says which graphs CLEAR or DROP act on.
type GraphScope int

// The scopes of CLEAR and DROP.
const (
	ScopeGraph   GraphScope = iota // one graph, named by IRI
	ScopeDefault                   // the default graph
	ScopeNamed                     // every named graph
	ScopeAll                       // every graph
)

// GraphTarget is GraphRefAll: DEFAULT, NAMED, ALL or GRAPH <iri>.
type GraphTarget struct {
	Scope GraphScope
	IRI   quad.IRI // for ScopeGraph
}

// InsertData is INSERT DATA: ground quads (blank nodes allowed, made fresh).
type InsertData struct{ Quads []quad.Quad }

// DeleteData is DELETE DATA: ground quads without blank nodes.
type DeleteData struct{ Quads []quad.Quad }

// Modify is DELETE/INSERT ... WHERE (and DELETE WHERE, which has the
// pattern as both template and WHERE clause). With is the graph of WITH
// ("" for none); Using and UsingNamed the USING clauses (HasUsing when any
// is given, which overrides With for the WHERE clause).
type Modify struct {
	With              quad.IRI
	Delete, Insert    []QuadPattern
	Using, UsingNamed []quad.IRI
	HasUsing          bool
	Where             Op
}

// Load is LOAD <iri> [INTO GRAPH <g>]. The engine refuses it.
type Load struct {
	Silent bool
	Source quad.IRI
	Into   quad.IRI // "" for the default graph
}

// Clear is CLEAR.
type Clear struct {
	Silent bool
	Target GraphTarget
}

// Drop is DROP.
type Drop struct {
	Silent bool
	Target GraphTarget
}

// Create is CREATE GRAPH.
type Create struct {
	Silent bool
	Graph  quad.IRI
}

// TransferKind distinguishes ADD, MOVE and COPY.
type TransferKind int

// The graph management operations that move data between graphs.
const (
	Add TransferKind = iota
	Move
	Copy
)

var transferNames = [...]string{"ADD", "MOVE", "COPY"}

func (k TransferKind) String() string { return transferNames[k] }

// Transfer is ADD, MOVE or COPY from one graph to another; an empty IRI is
// the default graph.
type Transfer struct {
	Kind     TransferKind
	Silent   bool
	From, To quad.IRI
}

func (*InsertData) isUpdateOp() {}
func (*DeleteData) isUpdateOp() {}
func (*Modify) isUpdateOp()     {}
func (*Load) isUpdateOp()       {}
func (*Clear) isUpdateOp()      {}
func (*Drop) isUpdateOp()       {}
func (*Create) isUpdateOp()     {}
func (*Transfer) isUpdateOp()   {}
