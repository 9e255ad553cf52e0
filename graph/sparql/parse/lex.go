package parse

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a token of the SPARQL grammar (section 19.8).
type tokKind uint8

const (
	tEOF     tokKind = iota
	tIRI             // IRIREF; val is the IRI as written (unresolved)
	tPName           // PNAME_NS / PNAME_LN; val is the prefix, val2 the local part (escapes removed)
	tBNode           // BLANK_NODE_LABEL; val is the label
	tVar             // VAR1 / VAR2; val is the name
	tLang            // LANGTAG; val is the tag without '@'
	tInteger         // INTEGER (with its sign when signed)
	tDecimal         // DECIMAL
	tDouble          // DOUBLE
	tString          // any string literal; val is the unescaped text
	tNil             // '(' WS* ')'
	tAnon            // '[' WS* ']'
	tWord            // a bare name: keyword, 'a', true, false; val as written
	tPunct           // an operator or delimiter; val is its text
)

var tokNames = [...]string{"end of input", "IRI", "prefixed name", "blank node", "variable", "language tag",
	"integer", "decimal", "double", "string", "()", "[]", "keyword", "punctuation"}

type token struct {
	kind   tokKind
	val    string
	val2   string
	off    int  // byte offset of the token's start
	signed bool // a numeric literal written with a leading + or -
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tIRI:
		return "<" + t.val + ">"
	case tPName:
		return t.val + ":" + t.val2
	case tBNode:
		return "_:" + t.val
	case tVar:
		return "?" + t.val
	case tLang:
		return "@" + t.val
	case tString:
		s := t.val
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return strconv.Quote(s)
	case tNil:
		return "()"
	case tAnon:
		return "[]"
	}
	return strconv.Quote(t.val)
}

// lexer splits SPARQL text into tokens on demand.
type lexer struct {
	src string
	pos int
	err *SyntaxError
}

func (l *lexer) fail(off int, format string, args ...any) token {
	if l.err == nil {
		l.err = errorAt(l.src, off, format, args...)
	}
	return token{kind: tEOF, off: off}
}

// skipWS skips white space and comments.
func (l *lexer) skipWS() {
	for l.pos < len(l.src) {
		switch c := l.src[l.pos]; c {
		case ' ', '\t', '\n', '\r':
			l.pos++
		case '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' && l.src[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// next returns the next token, or a tEOF token with l.err set on a lexical
// error.
func (l *lexer) next() token {
	l.skipWS()
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tEOF, off: start}
	}
	c := l.src[l.pos]
	switch {
	case c == '<':
		if t, ok := l.iriRef(); ok {
			return t
		}
		if strings.HasPrefix(l.src[l.pos:], "<=") {
			l.pos += 2
			return token{kind: tPunct, val: "<=", off: start}
		}
		l.pos++
		return token{kind: tPunct, val: "<", off: start}
	case c == '?' || c == '$':
		if l.pos+1 < len(l.src) {
			r, _ := utf8.DecodeRuneInString(l.src[l.pos+1:])
			if isPNCharsU(r) || (r >= '0' && r <= '9') {
				l.pos++
				name := l.varName()
				return token{kind: tVar, val: name, off: start}
			}
		}
		if c == '$' {
			return l.fail(start, "'$' must start a variable name")
		}
		l.pos++
		return token{kind: tPunct, val: "?", off: start}
	case c == '"' || c == '\'':
		return l.str(c)
	case c == '@':
		l.pos++
		s := l.pos
		for l.pos < len(l.src) && isAlpha(l.src[l.pos]) {
			l.pos++
		}
		if l.pos == s {
			return l.fail(start, "'@' must start a language tag")
		}
		for l.pos+1 < len(l.src) && l.src[l.pos] == '-' && isAlnum(l.src[l.pos+1]) {
			l.pos++
			for l.pos < len(l.src) && isAlnum(l.src[l.pos]) {
				l.pos++
			}
		}
		return token{kind: tLang, val: l.src[s:l.pos], off: start}
	case c >= '0' && c <= '9':
		return l.number(start, false)
	case c == '.':
		if l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]) {
			return l.number(start, false)
		}
		l.pos++
		return token{kind: tPunct, val: ".", off: start}
	case c == '+' || c == '-':
		if l.pos+1 < len(l.src) && (isDigit(l.src[l.pos+1]) ||
			l.src[l.pos+1] == '.' && l.pos+2 < len(l.src) && isDigit(l.src[l.pos+2])) {
			l.pos++
			return l.number(start, true)
		}
		l.pos++
		return token{kind: tPunct, val: string(c), off: start}
	case c == '(':
		p := l.pos + 1
		for p < len(l.src) && isWS(l.src[p]) {
			p++
		}
		if p < len(l.src) && l.src[p] == ')' {
			l.pos = p + 1
			return token{kind: tNil, off: start}
		}
		l.pos++
		return token{kind: tPunct, val: "(", off: start}
	case c == '[':
		p := l.pos + 1
		for p < len(l.src) && isWS(l.src[p]) {
			p++
		}
		if p < len(l.src) && l.src[p] == ']' {
			l.pos = p + 1
			return token{kind: tAnon, off: start}
		}
		l.pos++
		return token{kind: tPunct, val: "[", off: start}
	case c == '_' && l.pos+1 < len(l.src) && l.src[l.pos+1] == ':':
		l.pos += 2
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !(isPNCharsU(r) || r >= '0' && r <= '9') {
			return l.fail(start, "bad blank node label")
		}
		s := l.pos
		l.pos += n
		l.nameTail()
		return token{kind: tBNode, val: l.src[s:l.pos], off: start}
	case c == ':':
		l.pos++
		local, ok := l.local()
		if !ok {
			return l.fail(start, "bad prefixed name")
		}
		return token{kind: tPName, val: "", val2: local, off: start}
	}
	r, n := utf8.DecodeRuneInString(l.src[l.pos:])
	if r == utf8.RuneError && n <= 1 {
		return l.fail(start, "invalid UTF-8")
	}
	if isPNCharsBase(r) {
		l.pos += n
		l.nameTail()
		word := l.src[start:l.pos]
		if l.pos < len(l.src) && l.src[l.pos] == ':' {
			l.pos++
			local, ok := l.local()
			if !ok {
				return l.fail(start, "bad prefixed name")
			}
			return token{kind: tPName, val: word, val2: local, off: start}
		}
		return token{kind: tWord, val: word, off: start}
	}
	for _, op := range [...]string{"&&", "||", "!=", ">=", "^^"} {
		if strings.HasPrefix(l.src[l.pos:], op) {
			l.pos += 2
			return token{kind: tPunct, val: op, off: start}
		}
	}
	switch c {
	case '{', '}', ')', ']', ',', ';', '*', '/', '|', '^', '!', '=', '>':
		l.pos++
		return token{kind: tPunct, val: string(c), off: start}
	}
	return l.fail(start, "unexpected character %q", r)
}

// iriRef scans an IRIREF at l.pos ('<'); it reports false, consuming
// nothing, when the text is no IRI (then '<' is the less-than operator).
func (l *lexer) iriRef() (token, bool) {
	start := l.pos
	for p := l.pos + 1; p < len(l.src); {
		c := l.src[p]
		switch {
		case c == '>':
			l.pos = p + 1
			return token{kind: tIRI, val: l.src[start+1 : p], off: start}, true
		case c <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' || c == '\\':
			return token{}, false
		}
		if c < utf8.RuneSelf {
			p++
			continue
		}
		r, n := utf8.DecodeRuneInString(l.src[p:])
		if r == utf8.RuneError && n <= 1 {
			return token{}, false
		}
		p += n
	}
	return token{}, false
}

func (l *lexer) varName() string {
	s := l.pos
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !(isPNCharsU(r) || r >= '0' && r <= '9' || r == 0xB7 || r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040) {
			break
		}
		l.pos += n
	}
	return l.src[s:l.pos]
}

// nameTail consumes (PN_CHARS | '.')* not ending in '.', as in PN_PREFIX
// and BLANK_NODE_LABEL.
func (l *lexer) nameTail() {
	lastGood := l.pos
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if r == '.' {
			l.pos += n
			continue
		}
		if !isPNChars(r) {
			break
		}
		l.pos += n
		lastGood = l.pos
	}
	l.pos = lastGood
}

// local scans PN_LOCAL (possibly empty), returning it with PN_LOCAL_ESC
// escapes removed (percent encodings stay as written).
func (l *lexer) local() (string, bool) {
	var b strings.Builder
	lastGood, lastLen := l.pos, 0
	first := true
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '%':
			if l.pos+2 >= len(l.src) || !isHex(l.src[l.pos+1]) || !isHex(l.src[l.pos+2]) {
				return "", false
			}
			b.WriteString(l.src[l.pos : l.pos+3])
			l.pos += 3
		case c == '\\':
			if l.pos+1 >= len(l.src) || !strings.ContainsRune("_~.-!$&'()*+,;=/?#@%", rune(l.src[l.pos+1])) {
				return "", false
			}
			b.WriteByte(l.src[l.pos+1])
			l.pos += 2
		case c == '.' && !first:
			b.WriteByte('.')
			l.pos++
			first = false
			continue
		case c == ':':
			b.WriteByte(':')
			l.pos++
		default:
			r, n := utf8.DecodeRuneInString(l.src[l.pos:])
			if first && !(isPNCharsU(r) || r >= '0' && r <= '9') || !first && !isPNChars(r) {
				goto done
			}
			b.WriteString(l.src[l.pos : l.pos+n])
			l.pos += n
		}
		first = false
		lastGood, lastLen = l.pos, b.Len()
	}
done:
	// A local name cannot end in '.': give trailing dots back.
	l.pos = lastGood
	s := b.String()[:lastLen]
	return s, true
}

func (l *lexer) number(start int, signed bool) token {
	digits := func() int {
		s := l.pos
		for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
			l.pos++
		}
		return l.pos - s
	}
	exponent := func() bool {
		if l.pos < len(l.src) && (l.src[l.pos] == 'e' || l.src[l.pos] == 'E') {
			p := l.pos + 1
			if p < len(l.src) && (l.src[p] == '+' || l.src[p] == '-') {
				p++
			}
			if p < len(l.src) && isDigit(l.src[p]) {
				l.pos = p
				digits()
				return true
			}
		}
		return false
	}
	intPart := digits()
	kind := tInteger
	if l.pos < len(l.src) && l.src[l.pos] == '.' {
		p := l.pos
		l.pos++
		frac := digits()
		switch {
		case exponent():
			kind = tDouble
		case frac > 0:
			kind = tDecimal
		default:
			l.pos = p // "1." is the integer 1 followed by '.'
		}
		if intPart == 0 && frac == 0 {
			return l.fail(start, "bad number")
		}
	} else if exponent() {
		kind = tDouble
	}
	return token{kind: kind, val: l.src[start:l.pos], off: start, signed: signed}
}

func (l *lexer) str(q byte) token {
	start := l.pos
	long := strings.HasPrefix(l.src[l.pos:], string([]byte{q, q, q}))
	if long {
		l.pos += 3
	} else {
		l.pos++
	}
	var b strings.Builder
	for {
		if l.pos >= len(l.src) {
			return l.fail(start, "unterminated string")
		}
		c := l.src[l.pos]
		switch {
		case c == q:
			if !long {
				l.pos++
				return token{kind: tString, val: b.String(), off: start}
			}
			if strings.HasPrefix(l.src[l.pos:], string([]byte{q, q, q})) {
				// A long string may end with up to two quotes of its own.
				for l.pos+3 < len(l.src) && l.src[l.pos+3] == q {
					b.WriteByte(q)
					l.pos++
				}
				l.pos += 3
				return token{kind: tString, val: b.String(), off: start}
			}
			b.WriteByte(c)
			l.pos++
		case c == '\\':
			if l.pos+1 >= len(l.src) {
				return l.fail(l.pos, "unterminated string")
			}
			e := l.src[l.pos+1]
			switch e {
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 'f':
				b.WriteByte('\f')
			case '"', '\'', '\\':
				b.WriteByte(e)
			default:
				return l.fail(l.pos, "bad escape \\%c in string", e)
			}
			l.pos += 2
		case !long && (c == '\n' || c == '\r'):
			return l.fail(l.pos, "line break in a short string")
		default:
			if c < utf8.RuneSelf {
				b.WriteByte(c)
				l.pos++
				continue
			}
			r, n := utf8.DecodeRuneInString(l.src[l.pos:])
			if r == utf8.RuneError && n <= 1 {
				return l.fail(l.pos, "invalid UTF-8 in string")
			}
			b.WriteString(l.src[l.pos : l.pos+n])
			l.pos += n
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }
func isHex(c byte) bool   { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

func isPNCharsBase(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		return true
	case r < 0xC0:
		return false
	case r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF, r >= 0x370 && r <= 0x37D,
		r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D, r >= 0x2070 && r <= 0x218F,
		r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF,
		r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isPNCharsU(r rune) bool { return r == '_' || isPNCharsBase(r) }

func isPNChars(r rune) bool {
	return isPNCharsU(r) || r == '-' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

// unescapeCodepoints replaces \uXXXX and \UXXXXXXXX everywhere in the
// query, as section 19.2 of the spec says happens before parsing.
func unescapeCodepoints(s string) (string, error) {
	if !strings.Contains(s, `\u`) && !strings.Contains(s, `\U`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
			n := 4
			if s[i+1] == 'U' {
				n = 8
			}
			if i+2+n > len(s) {
				return "", errorAt(s, i, "bad \\%c escape", s[i+1])
			}
			v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32)
			if err != nil || v > utf8.MaxRune || v >= 0xD800 && v <= 0xDFFF {
				return "", errorAt(s, i, "bad \\%c escape", s[i+1])
			}
			b.WriteRune(rune(v))
			i += 2 + n
			continue
		}
		if s[i] == '\\' && i+1 < len(s) {
			// Keep other escapes (\\ among them) whole, so that "\\u0041"
			// stays a backslash and u0041.
			b.WriteString(s[i : i+2])
			i += 2
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String(), nil
}
