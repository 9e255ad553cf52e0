package sparql

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

const (
	xsdNS              = "http://www.w3.org/2001/XMLSchema#"
	rdfNS              = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	xsdString          = quad.IRI(xsdNS + "string")
	xsdBoolean         = quad.IRI(xsdNS + "boolean")
	xsdInteger         = quad.IRI(xsdNS + "integer")
	xsdDecimal         = quad.IRI(xsdNS + "decimal")
	xsdFloat           = quad.IRI(xsdNS + "float")
	xsdDouble          = quad.IRI(xsdNS + "double")
	xsdDateTime        = quad.IRI(xsdNS + "dateTime")
	xsdDate            = quad.IRI(xsdNS + "date")
	xsdTime            = quad.IRI(xsdNS + "time")
	xsdDayTimeDuration = quad.IRI(xsdNS + "dayTimeDuration")
	rdfLangString      = quad.IRI(rdfNS + "langString")
)

// The datatypes derived from xsd:integer, which are numeric for SPARQL
// operators (type promotion makes their results xsd:integer).
var integerTypes = map[quad.IRI]bool{
	xsdInteger: true, xsdNS + "long": true, xsdNS + "int": true, xsdNS + "short": true, xsdNS + "byte": true,
	xsdNS + "nonNegativeInteger": true, xsdNS + "positiveInteger": true, xsdNS + "nonPositiveInteger": true,
	xsdNS + "negativeInteger": true, xsdNS + "unsignedLong": true, xsdNS + "unsignedInt": true,
	xsdNS + "unsignedShort": true, xsdNS + "unsignedByte": true,
}

// kind is the kind of an expression value.
type kind uint8

const (
	kErr      kind = iota // an error (or an unbound variable): no value
	kIRI                  // s is the IRI
	kBNode                // s is the label
	kStr                  // simple literal (xsd:string): s
	kLang                 // language-tagged string: s, lang
	kBool                 // b
	kInt                  // xsd:integer or a derived type: i (dt keeps the type)
	kDec                  // xsd:decimal: d
	kFloat                // xsd:float: f
	kDouble               // xsd:double: f
	kDateTime             // xsd:dateTime: t
	kDate                 // xsd:date: t (time of day zero)
	kTime                 // xsd:time: t (date zero)
	kDuration             // xsd:dayTimeDuration: dur
	kOther                // any other typed literal, or an ill-typed one: s, dt
)

// val is an RDF term (or an error) as expressions see it: literals parsed
// by datatype. id is the term's ID when the value came from a solution
// unchanged (so that it need not be interned again), zero otherwise.
type val struct {
	k    kind
	s    string // IRI, label, string, or lexical form of typed literals
	lang string
	dt   quad.IRI
	b    bool
	i    int64
	f    float64
	d    *big.Rat
	t    dateTime
	dur  duration
	id   ID
}

var errVal = val{k: kErr}

func (v *val) isNumeric() bool {
	return v.k == kInt || v.k == kDec || v.k == kFloat || v.k == kDouble
}

func (v *val) isLiteral() bool { return v.k >= kStr }

// isStringLit reports whether v is a simple or language-tagged string.
func (v *val) isStringLit() bool { return v.k == kStr || v.k == kLang }

var (
	reInteger = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reDecimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	reDouble  = regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$`)
)

// parseDouble parses an xsd:double or xsd:float lexical form.
func parseDouble(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !reDouble.MatchString(s) {
		return 0, false
	}
	switch s {
	case "INF", "+INF":
		return math.Inf(1), true
	case "-INF":
		return math.Inf(-1), true
	case "NaN":
		return math.NaN(), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Out of range: strconv gives ±Inf with ErrRange, which is the
		// IEEE value of the literal.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func parseDecimal(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if !reDecimal.MatchString(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// intRange checks the value space of the integer types with bounds.
func intRange(dt quad.IRI, i int64) bool {
	switch dt {
	case xsdNS + "int":
		return i >= math.MinInt32 && i <= math.MaxInt32
	case xsdNS + "short":
		return i >= math.MinInt16 && i <= math.MaxInt16
	case xsdNS + "byte":
		return i >= math.MinInt8 && i <= math.MaxInt8
	case xsdNS + "nonNegativeInteger", xsdNS + "unsignedLong":
		return i >= 0
	case xsdNS + "positiveInteger":
		return i > 0
	case xsdNS + "nonPositiveInteger":
		return i <= 0
	case xsdNS + "negativeInteger":
		return i < 0
	case xsdNS + "unsignedInt":
		return i >= 0 && i <= math.MaxUint32
	case xsdNS + "unsignedShort":
		return i >= 0 && i <= math.MaxUint16
	case xsdNS + "unsignedByte":
		return i >= 0 && i <= math.MaxUint8
	}
	return true
}

// fromQuad parses a term into an expression value. A literal whose
// lexical form its datatype does not allow becomes kOther: it keeps its
// identity but has no value (operators on it raise errors).
func fromQuad(q quad.Value) val {
	switch t := q.(type) {
	case quad.IRI:
		return val{k: kIRI, s: string(t)}
	case quad.BNode:
		return val{k: kBNode, s: string(t)}
	case quad.String:
		return val{k: kStr, s: string(t)}
	case quad.LangString:
		return val{k: kLang, s: string(t.Value), lang: strings.ToLower(t.Lang)}
	case quad.TypedString:
		return typed(string(t.Value), t.Type)
	case nil:
		return errVal
	}
	if ts, ok := q.(quad.TypedStringer); ok {
		t := ts.TypedString()
		return typed(string(t.Value), t.Type)
	}
	return val{k: kStr, s: quad.StringOf(q)}
}

func typed(lex string, dt quad.IRI) val {
	v := val{k: kOther, s: lex, dt: dt}
	switch {
	case dt == xsdString:
		return val{k: kStr, s: lex}
	case dt == xsdBoolean:
		switch strings.TrimSpace(lex) {
		case "true", "1":
			v.k, v.b = kBool, true
		case "false", "0":
			v.k, v.b = kBool, false
		}
	case integerTypes[dt]:
		s := strings.TrimSpace(lex)
		if reInteger.MatchString(s) {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil && intRange(dt, i) {
				v.k, v.i = kInt, i
			}
		}
	case dt == xsdDecimal:
		if d, ok := parseDecimal(lex); ok {
			v.k, v.d = kDec, d
		}
	case dt == xsdDouble:
		if f, ok := parseDouble(lex); ok {
			v.k, v.f = kDouble, f
		}
	case dt == xsdFloat:
		if f, ok := parseDouble(lex); ok {
			v.k, v.f = kFloat, float64(float32(f))
		}
	case dt == xsdDateTime:
		if t, ok := parseDateTime(lex); ok {
			v.k, v.t = kDateTime, t
		}
	case dt == xsdDate:
		if t, ok := parseDate(lex); ok {
			v.k, v.t = kDate, t
		}
	case dt == xsdTime:
		if t, ok := parseTime(lex); ok {
			v.k, v.t = kTime, t
		}
	case dt == xsdDayTimeDuration:
		if d, ok := parseDuration(lex); ok {
			v.k, v.dur = kDuration, d
		}
	}
	return v
}

// Constructors of computed values.
func boolVal(b bool) val      { return val{k: kBool, b: b, dt: xsdBoolean} }
func intVal(i int64) val      { return val{k: kInt, i: i, dt: xsdInteger} }
func decVal(d *big.Rat) val   { return val{k: kDec, d: d, dt: xsdDecimal} }
func doubleVal(f float64) val { return val{k: kDouble, f: f, dt: xsdDouble} }
func floatVal(f float64) val  { return val{k: kFloat, f: float64(float32(f)), dt: xsdFloat} }
func strVal(s string) val     { return val{k: kStr, s: s} }
func iriVal(s string) val     { return val{k: kIRI, s: s} }

// stringLike returns a string result with the language of the argument
// it derives from (a simple literal stays simple).
func stringLike(s string, like *val) val {
	if like.k == kLang {
		return val{k: kLang, s: s, lang: like.lang}
	}
	return strVal(s)
}

// toQuad returns the RDF term of v (nil for an error), writing computed
// values in their canonical lexical form.
func (v *val) toQuad() quad.Value {
	switch v.k {
	case kIRI:
		return quad.IRI(v.s)
	case kBNode:
		return quad.BNode(v.s)
	case kStr:
		return quad.String(v.s)
	case kLang:
		return quad.LangString{Value: quad.String(v.s), Lang: v.lang}
	case kOther:
		return quad.TypedString{Value: quad.String(v.s), Type: v.dt}
	case kErr:
		return nil
	}
	if v.s != "" && v.dt != "" {
		// A literal read from a solution keeps its own lexical form.
		return quad.TypedString{Value: quad.String(v.s), Type: v.dt}
	}
	return quad.TypedString{Value: quad.String(v.lexical()), Type: v.datatype()}
}

// datatype is the datatype IRI of a literal value.
func (v *val) datatype() quad.IRI {
	switch v.k {
	case kStr:
		return xsdString
	case kLang:
		return rdfLangString
	case kBool:
		return xsdBoolean
	case kInt:
		if v.dt != "" {
			return v.dt
		}
		return xsdInteger
	case kDec:
		return xsdDecimal
	case kFloat:
		return xsdFloat
	case kDouble:
		return xsdDouble
	case kDateTime:
		return xsdDateTime
	case kDate:
		return xsdDate
	case kTime:
		return xsdTime
	case kDuration:
		return xsdDayTimeDuration
	case kOther:
		return v.dt
	}
	return ""
}

// lexical is the lexical form of a literal value: the one it was read
// with, or the canonical one of a computed value.
func (v *val) lexical() string {
	if v.s != "" || v.k == kStr || v.k == kLang || v.k == kOther {
		return v.s
	}
	switch v.k {
	case kBool:
		return strconv.FormatBool(v.b)
	case kInt:
		return strconv.FormatInt(v.i, 10)
	case kDec:
		return formatDecimal(v.d)
	case kFloat:
		return formatDouble(v.f, 32)
	case kDouble:
		return formatDouble(v.f, 64)
	case kDateTime:
		return v.t.format(true, true)
	case kDate:
		return v.t.format(true, false)
	case kTime:
		return v.t.format(false, true)
	case kDuration:
		return v.dur.String()
	}
	return ""
}

// formatDecimal writes d in the canonical form of XSD 1.1: no point for
// an integral value ("2"), else no trailing zeros ("0.5", "-1.25"). A
// value with no finite decimal expansion is rounded to 24 fractional
// digits.
func formatDecimal(d *big.Rat) string {
	if d.IsInt() {
		return d.Num().String()
	}
	s := d.FloatString(24)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

// formatDouble writes f in the canonical xsd:double form (1.5E3, INF,
// NaN).
func formatDouble(f float64, bits int) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case math.IsNaN(f):
		return "NaN"
	}
	s := strconv.FormatFloat(f, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// ebv is the effective boolean value (section 17.2.2); ok is false where
// it raises a type error.
func (v *val) ebv() (b, ok bool) {
	switch v.k {
	case kBool:
		return v.b, true
	case kStr, kLang:
		return v.s != "", true
	case kInt:
		return v.i != 0, true
	case kDec:
		return v.d.Sign() != 0, true
	case kFloat, kDouble:
		return v.f != 0 && !math.IsNaN(v.f), true
	case kOther:
		// An ill-typed numeric or boolean literal has EBV false.
		if v.dt == xsdBoolean || integerTypes[v.dt] || v.dt == xsdDecimal || v.dt == xsdDouble || v.dt == xsdFloat {
			return false, true
		}
	}
	return false, false
}

// numeric promotion: the common type of two numeric kinds.
func promote(a, b kind) kind {
	if a < b {
		return b
	}
	return a
}

func (v *val) asRat() *big.Rat {
	switch v.k {
	case kInt:
		return new(big.Rat).SetInt64(v.i)
	case kDec:
		return v.d
	}
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(v.f, 'g', -1, 64))
	return r
}

func (v *val) asFloat() float64 {
	switch v.k {
	case kInt:
		return float64(v.i)
	case kDec:
		f, _ := v.d.Float64()
		return f
	}
	return v.f
}
