package sparql

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/sparql/algebra"
)

// call evaluates the built-ins whose arguments are all evaluated first
// (none of them an error).
func call(c *ectx, fn algebra.Func, a []val) val {
	switch fn {
	case algebra.FuncEq, algebra.FuncNe:
		eq, ok := equal(&a[0], &a[1])
		if !ok {
			return errVal
		}
		return boolVal(eq == (fn == algebra.FuncEq))
	case algebra.FuncLt, algebra.FuncGt, algebra.FuncLe, algebra.FuncGe:
		cmp, ok := less(&a[0], &a[1])
		if !ok {
			return errVal
		}
		switch fn {
		case algebra.FuncLt:
			return boolVal(cmp < 0)
		case algebra.FuncGt:
			return boolVal(cmp > 0)
		case algebra.FuncLe:
			return boolVal(cmp <= 0)
		}
		return boolVal(cmp >= 0)
	case algebra.FuncAdd, algebra.FuncSub, algebra.FuncMul, algebra.FuncDiv:
		return arith(fn, &a[0], &a[1])
	case algebra.FuncNeg:
		v := &a[0]
		switch v.k {
		case kInt:
			if v.i == math.MinInt64 {
				return errVal
			}
			return intVal(-v.i)
		case kDec:
			return decVal(new(big.Rat).Neg(v.d))
		case kFloat:
			return floatVal(-v.f)
		case kDouble:
			return doubleVal(-v.f)
		}
		return errVal
	case algebra.FuncPlus:
		if !a[0].isNumeric() {
			return errVal
		}
		return a[0]
	case algebra.FuncStr:
		switch a[0].k {
		case kIRI:
			return strVal(a[0].s)
		case kBNode:
			return errVal
		}
		return strVal(a[0].lexical())
	case algebra.FuncLang:
		if !a[0].isLiteral() {
			return errVal
		}
		return strVal(a[0].lang)
	case algebra.FuncLangMatches:
		if a[0].k != kStr || a[1].k != kStr {
			return errVal
		}
		return boolVal(langMatches(a[0].s, a[1].s))
	case algebra.FuncDatatype:
		if !a[0].isLiteral() {
			return errVal
		}
		return iriVal(string(a[0].datatype()))
	case algebra.FuncIRI:
		switch a[0].k {
		case kIRI:
			return a[0]
		case kStr:
			return iriVal(rdfio.ResolveIRI(c.ex.base, a[0].s))
		}
		return errVal
	case algebra.FuncAbs, algebra.FuncCeil, algebra.FuncFloor, algebra.FuncRound:
		return rounding(fn, &a[0])
	case algebra.FuncConcat:
		var b strings.Builder
		lang, same := "", true
		for i := range a {
			if !a[i].isStringLit() {
				return errVal
			}
			if i == 0 {
				lang = a[i].lang
			} else if a[i].lang != lang || a[i].k != a[0].k {
				same = false
			}
			b.WriteString(a[i].s)
		}
		if same && lang != "" {
			return val{k: kLang, s: b.String(), lang: lang}
		}
		return strVal(b.String())
	case algebra.FuncSubstr:
		return substr(a)
	case algebra.FuncStrLen:
		if !a[0].isStringLit() {
			return errVal
		}
		return intVal(int64(utf8.RuneCountInString(a[0].s)))
	case algebra.FuncReplace:
		return replace(c, a)
	case algebra.FuncUCase, algebra.FuncLCase:
		if !a[0].isStringLit() {
			return errVal
		}
		s := strings.ToUpper(a[0].s)
		if fn == algebra.FuncLCase {
			s = strings.ToLower(a[0].s)
		}
		return stringLike(s, &a[0])
	case algebra.FuncEncodeForURI:
		if !a[0].isStringLit() {
			return errVal
		}
		return strVal(encodeForURI(a[0].s))
	case algebra.FuncContains, algebra.FuncStrStarts, algebra.FuncStrEnds, algebra.FuncStrBefore, algebra.FuncStrAfter:
		if !compatibleArgs(&a[0], &a[1]) {
			return errVal
		}
		s, t := a[0].s, a[1].s
		switch fn {
		case algebra.FuncContains:
			return boolVal(strings.Contains(s, t))
		case algebra.FuncStrStarts:
			return boolVal(strings.HasPrefix(s, t))
		case algebra.FuncStrEnds:
			return boolVal(strings.HasSuffix(s, t))
		case algebra.FuncStrBefore:
			i := strings.Index(s, t)
			if i < 0 {
				return strVal("")
			}
			return stringLike(s[:i], &a[0])
		}
		i := strings.Index(s, t)
		if i < 0 {
			return strVal("")
		}
		return stringLike(s[i+len(t):], &a[0])
	case algebra.FuncYear, algebra.FuncMonth, algebra.FuncDay, algebra.FuncHours, algebra.FuncMinutes,
		algebra.FuncSeconds, algebra.FuncTimezone, algebra.FuncTZ:
		return dateParts(fn, &a[0])
	case algebra.FuncMD5, algebra.FuncSHA1, algebra.FuncSHA256, algebra.FuncSHA384, algebra.FuncSHA512:
		if a[0].k != kStr {
			return errVal
		}
		var h hash.Hash
		switch fn {
		case algebra.FuncMD5:
			h = md5.New()
		case algebra.FuncSHA1:
			h = sha1.New()
		case algebra.FuncSHA256:
			h = sha256.New()
		case algebra.FuncSHA384:
			h = sha512.New384()
		default:
			h = sha512.New()
		}
		h.Write([]byte(a[0].s))
		return strVal(hex.EncodeToString(h.Sum(nil)))
	case algebra.FuncStrLang:
		if a[0].k != kStr || a[1].k != kStr || a[1].s == "" {
			return errVal
		}
		return val{k: kLang, s: a[0].s, lang: strings.ToLower(a[1].s)}
	case algebra.FuncStrDT:
		if a[0].k != kStr || a[1].k != kIRI {
			return errVal
		}
		v := typed(a[0].s, quad.IRI(a[1].s))
		v.s, v.dt = a[0].s, quad.IRI(a[1].s)
		if v.k == kStr {
			return strVal(a[0].s)
		}
		return v
	case algebra.FuncSameTerm:
		return boolVal(sameTerm(&a[0], &a[1]))
	case algebra.FuncIsIRI:
		return boolVal(a[0].k == kIRI)
	case algebra.FuncIsBlank:
		return boolVal(a[0].k == kBNode)
	case algebra.FuncIsLiteral:
		return boolVal(a[0].isLiteral())
	case algebra.FuncIsNumeric:
		return boolVal(a[0].isNumeric())
	case algebra.FuncRegex:
		if !a[0].isStringLit() || a[1].k != kStr {
			return errVal
		}
		flags := ""
		if len(a) == 3 {
			if a[2].k != kStr {
				return errVal
			}
			flags = a[2].s
		}
		re := c.ex.regexp(a[1].s, flags)
		if re == nil {
			return errVal
		}
		return boolVal(re.MatchString(a[0].s))
	}
	return errVal
}

func sameTerm(a, b *val) bool {
	if a.id != 0 && b.id != 0 {
		return a.id == b.id
	}
	qa, qb := a.toQuad(), b.toQuad()
	return qa != nil && qa == qb
}

// compatibleArgs is the argument compatibility rule of the string
// functions (section 17.4.3.1.2).
func compatibleArgs(a, b *val) bool {
	switch {
	case !a.isStringLit() || !b.isStringLit():
		return false
	case b.k == kStr:
		return true
	}
	return a.k == kLang && a.lang == b.lang
}

func langMatches(tag, rng string) bool {
	if rng == "*" {
		return tag != ""
	}
	tag, rng = strings.ToLower(tag), strings.ToLower(rng)
	return tag == rng || strings.HasPrefix(tag, rng+"-")
}

func encodeForURI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return b.String()
}

func rounding(fn algebra.Func, v *val) val {
	switch v.k {
	case kInt:
		if fn == algebra.FuncAbs && v.i < 0 {
			return intVal(-v.i)
		}
		return intVal(v.i)
	case kDec:
		d := v.d
		switch fn {
		case algebra.FuncAbs:
			return decVal(new(big.Rat).Abs(d))
		case algebra.FuncCeil:
			return decVal(new(big.Rat).SetInt(ceilRat(d)))
		case algebra.FuncFloor:
			return decVal(new(big.Rat).SetInt(floorRat(d)))
		}
		half := new(big.Rat).Add(d, big.NewRat(1, 2))
		return decVal(new(big.Rat).SetInt(floorRat(half)))
	case kFloat, kDouble:
		f := v.f
		switch fn {
		case algebra.FuncAbs:
			f = math.Abs(f)
		case algebra.FuncCeil:
			f = math.Ceil(f)
		case algebra.FuncFloor:
			f = math.Floor(f)
		default:
			if !math.IsNaN(f) && !math.IsInf(f, 0) {
				f = math.Floor(f + 0.5)
			}
		}
		if v.k == kFloat {
			return floatVal(f)
		}
		return doubleVal(f)
	}
	return errVal
}

func floorRat(r *big.Rat) *big.Int {
	q, m := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int))
	_ = m
	return q // DivMod is Euclidean; with a positive denominator it floors
}

func ceilRat(r *big.Rat) *big.Int {
	f := floorRat(r)
	if !r.IsInt() {
		f.Add(f, big.NewInt(1))
	}
	return f
}

// substr is fn:substring over code points, with XPath's rounding of
// start and length.
func substr(a []val) val {
	if !a[0].isStringLit() || !a[1].isNumeric() {
		return errVal
	}
	runes := []rune(a[0].s)
	start := a[1].asFloat()
	length := math.Inf(1)
	if len(a) == 3 {
		if !a[2].isNumeric() {
			return errVal
		}
		length = a[2].asFloat()
	}
	roundHalfUp := func(f float64) float64 {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return f
		}
		return math.Floor(f + 0.5)
	}
	s, l := roundHalfUp(start), roundHalfUp(length)
	var b strings.Builder
	for i, r := range runes {
		p := float64(i + 1)
		if p >= s && p < s+l {
			b.WriteRune(r)
		}
	}
	return stringLike(b.String(), &a[0])
}

func replace(c *ectx, a []val) val {
	if !a[0].isStringLit() || a[1].k != kStr || a[2].k != kStr {
		return errVal
	}
	flags := ""
	if len(a) == 4 {
		if a[3].k != kStr {
			return errVal
		}
		flags = a[3].s
	}
	re := c.ex.regexp(a[1].s, flags)
	if re == nil || re.MatchString("") {
		return errVal // XPath: a pattern matching "" is an error (FORX0003)
	}
	repl, ok := xpathReplacement(a[2].s)
	if !ok {
		return errVal
	}
	return stringLike(re.ReplaceAllString(a[0].s, repl), &a[0])
}

// xpathReplacement rewrites an XPath replacement string ($N groups, \$
// and \\ escapes) into Go's syntax (${N}, $$).
func xpathReplacement(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 >= len(s) || s[i+1] != '\\' && s[i+1] != '$' {
				return "", false
			}
			if s[i+1] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte('\\')
			}
			i++
		case '$':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == i+1 {
				return "", false
			}
			b.WriteString("${" + s[i+1:j] + "}")
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// compileRegexp translates an XPath regular expression with its flags
// into Go's RE2 syntax; nil when it is invalid.
func compileRegexp(pattern, flags string) *regexp.Regexp {
	prefix := ""
	quoted := false
	for _, f := range flags {
		switch f {
		case 'i':
			prefix += "i"
		case 's':
			prefix += "s"
		case 'm':
			prefix += "m"
		case 'x':
			pattern = stripRegexSpace(pattern)
		case 'q':
			quoted = true
		default:
			return nil
		}
	}
	if quoted {
		pattern = regexp.QuoteMeta(pattern)
	} else {
		pattern = xpathClasses(pattern)
	}
	if prefix != "" {
		pattern = "(?" + prefix + ")" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil
	}
	return re
}

// xpathClasses rewrites the multi-character escapes whose meaning differs
// between XPath (F&O section 5.6.1, after XML Schema) and RE2: XPath's \w
// is every character but punctuation, separators and others (Unicode
// categories P, Z, C), that is categories L, M, N and S; \d is any
// decimal digit (Nd); \s is space, tab, newline and carriage return. RE2
// reads all three as ASCII classes. Each is written as category escapes,
// which stay valid inside a character class.
func xpathClasses(p string) string {
	if !strings.Contains(p, `\`) {
		return p
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '\\' || i+1 == len(p) {
			switch c {
			case '[':
				inClass = true
			case ']':
				inClass = false
			}
			b.WriteByte(c)
			continue
		}
		i++
		var set string
		switch p[i] {
		case 'w':
			set = `\p{L}\p{M}\p{N}\p{S}`
		case 'W':
			set = `\p{P}\p{Z}\p{C}`
		case 'd':
			set = `\p{Nd}`
		case 'D':
			b.WriteString(`\P{Nd}`)
			continue
		case 's':
			set = `\x20\t\n\r`
		default:
			b.WriteByte('\\')
			b.WriteByte(p[i])
			continue
		}
		if inClass {
			b.WriteString(set)
		} else {
			b.WriteString("[" + set + "]")
		}
	}
	return b.String()
}

func stripRegexSpace(p string) string {
	var b strings.Builder
	inClass := false
	for _, r := range p {
		switch {
		case r == '[':
			inClass = true
		case r == ']':
			inClass = false
		case !inClass && (r == ' ' || r == '\t' || r == '\n' || r == '\r'):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func dateParts(fn algebra.Func, v *val) val {
	if v.k != kDateTime && !(v.k == kDate && fn != algebra.FuncHours && fn != algebra.FuncMinutes && fn != algebra.FuncSeconds) &&
		!(v.k == kTime && (fn == algebra.FuncHours || fn == algebra.FuncMinutes || fn == algebra.FuncSeconds || fn == algebra.FuncTimezone || fn == algebra.FuncTZ)) {
		return errVal
	}
	t := v.t
	switch fn {
	case algebra.FuncYear:
		return intVal(t.year)
	case algebra.FuncMonth:
		return intVal(int64(t.month))
	case algebra.FuncDay:
		return intVal(int64(t.day))
	case algebra.FuncHours:
		return intVal(int64(t.hour))
	case algebra.FuncMinutes:
		return intVal(int64(t.minute))
	case algebra.FuncSeconds:
		return decVal(new(big.Rat).Set(t.sec))
	case algebra.FuncTimezone:
		if !t.hasTZ {
			return errVal
		}
		return val{k: kDuration, dur: duration{secs: new(big.Rat).SetInt64(int64(t.tz) * 60)}}
	}
	return strVal(t.tzString())
}

// cast is an XSD constructor function (section 17.5): xsd:string,
// boolean, integer, decimal, float, double, dateTime; other IRIs are
// unknown functions (an error).
func cast(v *val, to quad.IRI) val {
	if v.k == kBNode {
		return errVal
	}
	lex := v.lexical()
	if v.k == kIRI {
		if to != xsdString {
			return errVal
		}
		return strVal(v.s)
	}
	fromString := v.k == kStr
	switch to {
	case xsdString:
		if v.k == kLang {
			return strVal(v.s)
		}
		switch v.k {
		case kFloat, kDouble:
			return strVal(xpathDouble(v.f))
		case kInt, kDec, kBool, kDateTime:
			c := *v
			c.s = ""
			return strVal(c.lexical())
		}
		return strVal(lex)
	case xsdBoolean:
		switch {
		case v.k == kBool:
			return boolVal(v.b)
		case fromString:
			switch strings.TrimSpace(lex) {
			case "true", "1":
				return boolVal(true)
			case "false", "0":
				return boolVal(false)
			}
			return errVal
		case v.isNumeric():
			b, _ := v.ebv()
			return boolVal(b)
		}
	case xsdInteger:
		switch {
		case v.k == kInt:
			return intVal(v.i)
		case v.k == kBool:
			if v.b {
				return intVal(1)
			}
			return intVal(0)
		case v.k == kDec:
			q := new(big.Int).Quo(v.d.Num(), v.d.Denom())
			if !q.IsInt64() {
				return errVal
			}
			return intVal(q.Int64())
		case v.k == kFloat || v.k == kDouble:
			if math.IsNaN(v.f) || math.IsInf(v.f, 0) || math.Abs(v.f) > 9.2e18 {
				return errVal
			}
			return intVal(int64(v.f))
		case fromString:
			s := strings.TrimSpace(lex)
			if !reInteger.MatchString(s) {
				return errVal
			}
			i, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return errVal
			}
			return intVal(i)
		}
	case xsdDecimal:
		switch {
		case v.k == kInt || v.k == kDec:
			return decVal(v.asRat())
		case v.k == kBool:
			if v.b {
				return decVal(big.NewRat(1, 1))
			}
			return decVal(new(big.Rat))
		case v.k == kFloat || v.k == kDouble:
			if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
				return errVal
			}
			return decVal(v.asRat())
		case fromString:
			d, ok := parseDecimal(lex)
			if !ok {
				return errVal
			}
			return decVal(d)
		}
	case xsdFloat, xsdDouble:
		var f float64
		switch {
		case v.isNumeric():
			f = v.asFloat()
		case v.k == kBool:
			if v.b {
				f = 1
			}
		case fromString:
			var ok bool
			if f, ok = parseDouble(lex); !ok {
				return errVal
			}
		default:
			return errVal
		}
		if to == xsdFloat {
			return floatVal(f)
		}
		return doubleVal(f)
	case xsdDateTime:
		switch {
		case v.k == kDateTime:
			c := *v
			c.s, c.id = "", 0
			return c
		case fromString:
			t, ok := parseDateTime(lex)
			if !ok {
				return errVal
			}
			return val{k: kDateTime, t: t}
		}
	}
	return errVal
}

// xpathDouble is the xs:string cast of a double (XPath 3.1 section
// 19.1.2.2): plain decimal notation between 1e-6 and 1e6, "1" rather than
// "1.0" for integral values, the canonical exponent form otherwise.
func xpathDouble(f float64) string {
	a := math.Abs(f)
	switch {
	case math.IsNaN(f), math.IsInf(f, 0):
		return formatDouble(f, 64)
	case f == 0:
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	case a >= 1e-6 && a < 1e6:
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return formatDouble(f, 64)
}
