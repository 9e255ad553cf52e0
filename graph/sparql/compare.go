package sparql

import (
	"math"
	"strings"
)

// equal is the = operator (section 17.3): value equality for the known
// datatypes, term equality otherwise. ok is false for a type error.
func equal(a, b *val) (eq, ok bool) {
	if a.k == kErr || b.k == kErr {
		return false, false
	}
	if a.id != 0 && a.id == b.id {
		// The same term: equal unless it is NaN.
		if (a.k == kDouble || a.k == kFloat) && math.IsNaN(a.f) {
			return false, true
		}
		return true, true
	}
	switch {
	case a.isNumeric() && b.isNumeric():
		c, ok := compareNumeric(a, b)
		return ok && c == 0, ok
	case a.k == kStr && b.k == kStr:
		return a.s == b.s, true
	case a.k == kLang && b.k == kLang:
		return a.s == b.s && a.lang == b.lang, true
	case a.k == kBool && b.k == kBool:
		return a.b == b.b, true
	case a.k == kDateTime && b.k == kDateTime, a.k == kDate && b.k == kDate, a.k == kTime && b.k == kTime:
		c, ok := compareDateTime(a.t, b.t)
		return c == 0, ok
	case a.k == kDuration && b.k == kDuration:
		return a.dur.secs.Cmp(b.dur.secs) == 0, true
	case a.k == kIRI || b.k == kIRI || a.k == kBNode || b.k == kBNode:
		return a.k == b.k && a.s == b.s, true
	}
	// Two literals the operator table does not relate.
	if a.k == kOther || b.k == kOther {
		switch {
		case a.k == b.k && a.s == b.s && a.dt == b.dt:
			return true, true
		case a.k == kLang || b.k == kLang:
			// A language-tagged string is no value of any other datatype.
			return false, true
		}
		return false, false
	}
	// Literals of different known types (a string and a number): distinct
	// values.
	return false, true
}

// compareNumeric orders two numeric values after type promotion.
func compareNumeric(a, b *val) (int, bool) {
	switch promote(a.k, b.k) {
	case kInt:
		switch {
		case a.i < b.i:
			return -1, true
		case a.i > b.i:
			return 1, true
		}
		return 0, true
	case kDec:
		return a.asRat().Cmp(b.asRat()), true
	}
	x, y := a.asFloat(), b.asFloat()
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return 0, false
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	}
	return 0, true
}

// less compares for <, >, <= and >= (section 17.3): c is -1, 0 or 1; ok is
// false for a type error or an indeterminate order.
func less(a, b *val) (c int, ok bool) {
	switch {
	case a.isNumeric() && b.isNumeric():
		return compareNumeric(a, b)
	case a.k == kStr && b.k == kStr:
		return strings.Compare(a.s, b.s), true
	case a.k == kLang && b.k == kLang && a.lang == b.lang:
		return strings.Compare(a.s, b.s), true
	case a.k == kBool && b.k == kBool:
		switch {
		case a.b == b.b:
			return 0, true
		case !a.b:
			return -1, true
		}
		return 1, true
	case a.k == kDateTime && b.k == kDateTime, a.k == kDate && b.k == kDate, a.k == kTime && b.k == kTime:
		return compareDateTime(a.t, b.t)
	case a.k == kDuration && b.k == kDuration:
		return a.dur.secs.Cmp(b.dur.secs), true
	}
	return 0, false
}

// orderRank places kinds of terms in ORDER BY: unbound, blank nodes,
// IRIs, then literals.
func orderRank(v *val) int {
	switch v.k {
	case kErr:
		return 0
	case kBNode:
		return 1
	case kIRI:
		return 2
	}
	return 3
}

// literalRank groups literals that the < operator cannot compare, to give
// ORDER BY a total order.
func literalRank(v *val) int {
	switch {
	case v.isNumeric():
		return 0
	case v.k == kBool:
		return 1
	case v.k == kDateTime:
		return 2
	case v.k == kDate:
		return 3
	case v.k == kTime:
		return 4
	case v.k == kStr:
		return 5
	case v.k == kLang:
		return 6
	}
	return 7
}

// orderCompare is the ORDER BY order (section 15.1), made total: terms of
// different kinds by orderRank, comparable literals by <, others by their
// rank, lexical form, language and datatype.
func orderCompare(a, b *val) int {
	if ra, rb := orderRank(a), orderRank(b); ra != rb {
		return ra - rb
	}
	switch a.k {
	case kErr:
		return 0
	case kBNode, kIRI:
		return strings.Compare(a.s, b.s)
	}
	if c, ok := less(a, b); ok && c != 0 {
		return c
	}
	if ra, rb := literalRank(a), literalRank(b); ra != rb {
		return ra - rb
	}
	if c := strings.Compare(a.lexical(), b.lexical()); c != 0 {
		return c
	}
	if c := strings.Compare(a.lang, b.lang); c != 0 {
		return c
	}
	return strings.Compare(string(a.datatype()), string(b.datatype()))
}
