package sparql

import (
	"context"
	"math"
	"math/big"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// cexpr is a compiled expression: variables resolved to row slots,
// constants parsed once.
type cexpr interface {
	eval(c *ectx) val
}

// ectx is what an expression sees while it evaluates one row of a batch.
type ectx struct {
	ex     *exec
	row    []ID
	ri     int      // index of row in its batch (for EXISTS results)
	exists [][]bool // per EXISTS site: the result for each row of the batch
	bnodes map[string]string
	// computed holds the values an extendNode bound earlier in the row:
	// a later expression of the chain reads them before the row has them.
	computed []computedVal
}

type computedVal struct {
	slot int
	v    val
}

type cVar struct{ slot int }

func (e cVar) eval(c *ectx) val {
	for i := range c.computed {
		if c.computed[i].slot == e.slot {
			return c.computed[i].v
		}
	}
	id := c.row[e.slot]
	if id == 0 {
		return errVal
	}
	v := c.ex.d.parsed(id)
	if v == nil {
		return errVal
	}
	return *v
}

type cConst struct{ v val }

func (e cConst) eval(*ectx) val { return e.v }

type cCall struct {
	fn   algebra.Func
	args []cexpr
}

type cFunc struct {
	iri  quad.IRI
	args []cexpr
}

type cBound struct{ slot int }

func (e cBound) eval(c *ectx) val {
	for i := range c.computed {
		if c.computed[i].slot == e.slot {
			return boolVal(c.computed[i].v.k != kErr)
		}
	}
	return boolVal(c.row[e.slot] != 0)
}

// cKindTest is isIRI, isBlank, isLiteral or isNumeric of a variable:
// the commonest filters of path queries (FILTER(isIRI(?x)) on every step),
// answered from the variable's parsed value in place, without the copies
// of the general call.
type cKindTest struct {
	slot int
	is   func(v *val) bool
}

var kindTests = map[algebra.Func]func(v *val) bool{
	algebra.FuncIsIRI:     func(v *val) bool { return v.k == kIRI },
	algebra.FuncIsBlank:   func(v *val) bool { return v.k == kBNode },
	algebra.FuncIsLiteral: (*val).isLiteral,
	algebra.FuncIsNumeric: (*val).isNumeric,
}

// test is the effective boolean value of the test, ok false when the
// variable is unbound (an error).
func (e cKindTest) test(c *ectx) (b, ok bool) {
	for i := range c.computed {
		if c.computed[i].slot == e.slot {
			v := &c.computed[i].v
			return e.is(v), v.k != kErr
		}
	}
	id := c.row[e.slot]
	if id == 0 {
		return false, false
	}
	v := c.ex.d.parsed(id)
	if v == nil {
		return false, false
	}
	return e.is(v), true
}

func (e cKindTest) eval(c *ectx) val {
	b, ok := e.test(c)
	if !ok {
		return errVal
	}
	return boolVal(b)
}

type cExists struct {
	site int
	not  bool
}

func (e cExists) eval(c *ectx) val {
	b := c.exists[e.site][c.ri]
	return boolVal(b != e.not)
}

// exprSet is the compiled expressions of one operator, with what they need
// prepared per batch: the values of the variables they read, and the
// results of their EXISTS patterns.
type exprSet struct {
	exprs  []cexpr
	slots  []int
	exists []node
}

// prepare decodes the values the expressions read for every row of b and
// evaluates their EXISTS patterns, returning the context to evaluate rows
// with.
func (s *exprSet) prepare(ctx context.Context, ex *exec, b *batch) (*ectx, error) {
	c := &ectx{ex: ex}
	if len(s.slots) > 0 {
		ids := ex.scratchIDs[:0]
		for i := 0; i < b.n; i++ {
			row := b.row(i)
			for _, sl := range s.slots {
				if id := row[sl]; id != 0 && !isLocal(id) {
					ids = append(ids, id)
				}
			}
		}
		ex.scratchIDs = ids
		if err := ex.d.load(ctx, ids); err != nil {
			return nil, err
		}
	}
	if len(s.exists) > 0 {
		c.exists = make([][]bool, len(s.exists))
		for k, site := range s.exists {
			res := make([]bool, b.n)
			err := site.run(ctx, ex, b, func(out *batch) error {
				for i := 0; i < out.n; i++ {
					res[out.src[i]] = true
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
			c.exists[k] = res
		}
	}
	return c, nil
}

func (c *ectx) at(b *batch, i int) {
	c.row = b.row(i)
	c.ri = i
	c.computed = c.computed[:0]
	if c.bnodes != nil {
		clear(c.bnodes)
	}
}

// ebvOf evaluates e on the current row and returns its effective boolean
// value, false on an error.
func ebvOf(c *ectx, e cexpr) bool {
	if t, ok := e.(cKindTest); ok {
		b, ok := t.test(c)
		return ok && b
	}
	v := e.eval(c)
	b, ok := v.ebv()
	return ok && b
}

func (e *cCall) eval(c *ectx) val {
	switch e.fn {
	case algebra.FuncOr:
		l := e.args[0].eval(c)
		lb, lok := l.ebv()
		if lok && lb {
			return boolVal(true)
		}
		r := e.args[1].eval(c)
		rb, rok := r.ebv()
		switch {
		case rok && rb:
			return boolVal(true)
		case lok && rok:
			return boolVal(false)
		}
		return errVal
	case algebra.FuncAnd:
		l := e.args[0].eval(c)
		lb, lok := l.ebv()
		if lok && !lb {
			return boolVal(false)
		}
		r := e.args[1].eval(c)
		rb, rok := r.ebv()
		switch {
		case rok && !rb:
			return boolVal(false)
		case lok && rok:
			return boolVal(true)
		}
		return errVal
	case algebra.FuncNot:
		v := e.args[0].eval(c)
		b, ok := v.ebv()
		if !ok {
			return errVal
		}
		return boolVal(!b)
	case algebra.FuncIf:
		cond := e.args[0].eval(c)
		b, ok := cond.ebv()
		if !ok {
			return errVal
		}
		if b {
			return e.args[1].eval(c)
		}
		return e.args[2].eval(c)
	case algebra.FuncCoalesce:
		for _, a := range e.args {
			if v := a.eval(c); v.k != kErr {
				return v
			}
		}
		return errVal
	case algebra.FuncIn, algebra.FuncNotIn:
		x := e.args[0].eval(c)
		if x.k == kErr {
			return errVal
		}
		sawErr := false
		for _, a := range e.args[1:] {
			y := a.eval(c)
			eq, ok := equal(&x, &y)
			if !ok {
				sawErr = true
				continue
			}
			if eq {
				return boolVal(e.fn == algebra.FuncIn)
			}
		}
		if sawErr {
			return errVal
		}
		return boolVal(e.fn == algebra.FuncNotIn)
	case algebra.FuncBNode:
		if len(e.args) == 0 {
			return val{k: kBNode, s: c.ex.newBNode()}
		}
		a := e.args[0].eval(c)
		if a.k != kStr {
			return errVal
		}
		if c.bnodes == nil {
			c.bnodes = map[string]string{}
		}
		label, ok := c.bnodes[a.s]
		if !ok {
			label = c.ex.newBNode()
			c.bnodes[a.s] = label
		}
		return val{k: kBNode, s: label}
	case algebra.FuncRand:
		return doubleVal(c.ex.rng.Float64())
	case algebra.FuncNow:
		return c.ex.nowVal()
	case algebra.FuncUUID:
		return iriVal("urn:uuid:" + c.ex.uuid())
	case algebra.FuncStrUUID:
		return strVal(c.ex.uuid())
	}
	var buf [4]val
	args := buf[:0]
	for _, a := range e.args {
		v := a.eval(c)
		if v.k == kErr {
			return errVal
		}
		args = append(args, v)
	}
	return call(c, e.fn, args)
}

func (e *cFunc) eval(c *ectx) val {
	if len(e.args) != 1 {
		return errVal
	}
	v := e.args[0].eval(c)
	if v.k == kErr {
		return errVal
	}
	return cast(&v, e.iri)
}

// arith applies +, -, * or / with numeric type promotion.
func arith(op algebra.Func, a, b *val) val {
	if !a.isNumeric() || !b.isNumeric() {
		return errVal
	}
	k := promote(a.k, b.k)
	if op == algebra.FuncDiv && k == kInt {
		k = kDec
	}
	switch k {
	case kInt:
		x, y := a.i, b.i
		var r int64
		switch op {
		case algebra.FuncAdd:
			r = x + y
			if (r > x) != (y > 0) {
				return ratInt(new(big.Rat).Add(a.asRat(), b.asRat()))
			}
		case algebra.FuncSub:
			r = x - y
			if (r < x) != (y > 0) {
				return ratInt(new(big.Rat).Sub(a.asRat(), b.asRat()))
			}
		case algebra.FuncMul:
			r = x * y
			if x != 0 && (r/x != y || x == -1 && y == math.MinInt64) {
				return ratInt(new(big.Rat).Mul(a.asRat(), b.asRat()))
			}
		}
		return intVal(r)
	case kDec:
		x, y := a.asRat(), b.asRat()
		r := new(big.Rat)
		switch op {
		case algebra.FuncAdd:
			r.Add(x, y)
		case algebra.FuncSub:
			r.Sub(x, y)
		case algebra.FuncMul:
			r.Mul(x, y)
		case algebra.FuncDiv:
			if y.Sign() == 0 {
				return errVal
			}
			r.Quo(x, y)
		}
		return decVal(r)
	}
	x, y := a.asFloat(), b.asFloat()
	var r float64
	switch op {
	case algebra.FuncAdd:
		r = x + y
	case algebra.FuncSub:
		r = x - y
	case algebra.FuncMul:
		r = x * y
	case algebra.FuncDiv:
		r = x / y
	}
	if k == kFloat {
		return floatVal(r)
	}
	return doubleVal(r)
}

// ratInt is the result of an integer operation that overflowed int64:
// an error unless the exact value fits after all.
func ratInt(r *big.Rat) val {
	if r.Num().IsInt64() {
		return intVal(r.Num().Int64())
	}
	return errVal
}
