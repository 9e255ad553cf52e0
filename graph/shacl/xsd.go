package shacl

import (
	"encoding/base64"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// XSD datatypes: which lexical forms are well-formed (sh:datatype fails on
// an ill-formed literal) and how values compare (sh:minInclusive and
// friends, sh:lessThan, sh:lessThanOrEquals), as SPARQL's operators
// compare them: numbers by value across numeric types, dates and times on
// the time line with XSD's rule for values without a time zone, strings
// and booleans within their type. Anything else is incomparable, which
// the comparison constraints count as a violation.

// numericRange bounds the integer types derived from xsd:integer (nil: no
// bound).
type numericRange struct{ min, max *big.Int }

func bigInt(s string) *big.Int {
	n, _ := new(big.Int).SetString(s, 10)
	return n
}

var integerTypes = map[string]numericRange{
	xsd + "integer":            {},
	xsd + "nonNegativeInteger": {min: bigInt("0")},
	xsd + "positiveInteger":    {min: bigInt("1")},
	xsd + "nonPositiveInteger": {max: bigInt("0")},
	xsd + "negativeInteger":    {max: bigInt("-1")},
	xsd + "long":               {min: bigInt("-9223372036854775808"), max: bigInt("9223372036854775807")},
	xsd + "int":                {min: bigInt("-2147483648"), max: bigInt("2147483647")},
	xsd + "short":              {min: bigInt("-32768"), max: bigInt("32767")},
	xsd + "byte":               {min: bigInt("-128"), max: bigInt("127")},
	xsd + "unsignedLong":       {min: bigInt("0"), max: bigInt("18446744073709551615")},
	xsd + "unsignedInt":        {min: bigInt("0"), max: bigInt("4294967295")},
	xsd + "unsignedShort":      {min: bigInt("0"), max: bigInt("65535")},
	xsd + "unsignedByte":       {min: bigInt("0"), max: bigInt("255")},
}

var (
	reInteger  = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reDecimal  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	reFloat    = regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$`)
	reDuration = regexp.MustCompile(`^-?P(([0-9]+Y)?([0-9]+M)?([0-9]+D)?)(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$`)
	reTZ       = `(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?`
	reDateTime = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?` + reTZ + `$`)
	reDate     = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})` + reTZ + `$`)
	reTime     = regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?` + reTZ + `$`)
	reGYear    = regexp.MustCompile(`^(-?[0-9]{4,})` + reTZ + `$`)
	reGYM      = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})` + reTZ + `$`)
	reGMonth   = regexp.MustCompile(`^--([0-9]{2})` + reTZ + `$`)
	reGDay     = regexp.MustCompile(`^---([0-9]{2})` + reTZ + `$`)
	reGMD      = regexp.MustCompile(`^--([0-9]{2})-([0-9]{2})` + reTZ + `$`)
	reHex      = regexp.MustCompile(`^([0-9a-fA-F]{2})*$`)
	reLanguage = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)
	reNCName   = regexp.MustCompile(`^[\pL_][\pL\pN._\-\x{B7}\x{300}-\x{36F}\x{203F}-\x{2040}]*$`)
	reName     = regexp.MustCompile(`^[\pL_:][\pL\pN._:\-\x{B7}\x{300}-\x{36F}\x{203F}-\x{2040}]*$`)
	reNMToken  = regexp.MustCompile(`^[\pL\pN._:\-\x{B7}\x{300}-\x{36F}\x{203F}-\x{2040}]+$`)
)

// wellFormed reports whether lex is in the lexical space of datatype dt.
// Datatypes it does not know are taken as well-formed.
func wellFormed(dt, lex string) bool {
	if r, ok := integerTypes[dt]; ok {
		if !reInteger.MatchString(lex) {
			return false
		}
		n := bigInt(strings.TrimPrefix(lex, "+"))
		return n != nil && (r.min == nil || n.Cmp(r.min) >= 0) && (r.max == nil || n.Cmp(r.max) <= 0)
	}
	switch dt {
	case xsd + "string", xsd + "anyURI":
		return true
	case xsd + "normalizedString":
		return !strings.ContainsAny(lex, "\r\n\t")
	case xsd + "token":
		return !strings.ContainsAny(lex, "\r\n\t") && !strings.HasPrefix(lex, " ") && !strings.HasSuffix(lex, " ") && !strings.Contains(lex, "  ")
	case xsd + "language":
		return reLanguage.MatchString(lex)
	case xsd + "Name":
		return reName.MatchString(lex)
	case xsd + "NCName", xsd + "ID", xsd + "IDREF", xsd + "ENTITY":
		return reNCName.MatchString(lex)
	case xsd + "NMTOKEN":
		return reNMToken.MatchString(lex)
	case xsd + "boolean":
		return lex == "true" || lex == "false" || lex == "1" || lex == "0"
	case xsd + "decimal":
		return reDecimal.MatchString(lex)
	case xsd + "float", xsd + "double":
		return reFloat.MatchString(lex)
	case xsd + "duration", xsd + "dayTimeDuration", xsd + "yearMonthDuration":
		m := reDuration.FindStringSubmatch(lex)
		if m == nil || m[1] == "" && m[5] == "" || m[5] == "T" {
			return false
		}
		switch dt {
		case xsd + "dayTimeDuration":
			return m[2] == "" && m[3] == ""
		case xsd + "yearMonthDuration":
			return m[4] == "" && m[5] == ""
		}
		return true
	case xsd + "dateTime", xsd + "dateTimeStamp", xsd + "date", xsd + "time",
		xsd + "gYear", xsd + "gYearMonth", xsd + "gMonth", xsd + "gDay", xsd + "gMonthDay":
		_, ok := parseTime(dt, lex)
		return ok
	case xsd + "hexBinary":
		return reHex.MatchString(lex)
	case xsd + "base64Binary":
		s := strings.ReplaceAll(lex, " ", "")
		_, err := base64.StdEncoding.DecodeString(s)
		return err == nil
	case rdf + "langString":
		return true // the language tag is checked on the term
	}
	return true
}

// timeValue is a point (or the start of a period) on the time line, in
// seconds, with whether its lexical form carried a time zone.
type timeValue struct {
	secs  *big.Rat
	hasTZ bool
}

// parseTime reads the date and time types.
func parseTime(dt, lex string) (timeValue, bool) {
	year, month, day, hour, min := int64(1972), int64(12), int64(31), int64(0), int64(0)
	sec := new(big.Rat)
	var tz string
	atoi := func(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
	var m []string
	switch dt {
	case xsd + "dateTime", xsd + "dateTimeStamp":
		if m = reDateTime.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		year, month, day, hour, min = atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5])
		sec.SetString(m[6] + strings.TrimSuffix(m[7], "."))
		tz = m[8]
		if dt == xsd+"dateTimeStamp" && tz == "" {
			return timeValue{}, false
		}
	case xsd + "date":
		if m = reDate.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		year, month, day, tz = atoi(m[1]), atoi(m[2]), atoi(m[3]), m[4]
	case xsd + "time":
		if m = reTime.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		hour, min = atoi(m[1]), atoi(m[2])
		sec.SetString(m[3] + strings.TrimSuffix(m[4], "."))
		tz = m[5]
	case xsd + "gYear":
		if m = reGYear.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		year, month, day, tz = atoi(m[1]), 1, 1, m[2]
	case xsd + "gYearMonth":
		if m = reGYM.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		year, month, day, tz = atoi(m[1]), atoi(m[2]), 1, m[3]
	case xsd + "gMonth":
		if m = reGMonth.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		month, day, tz = atoi(m[1]), 1, m[2]
	case xsd + "gDay":
		if m = reGDay.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		day, tz = atoi(m[1]), m[2]
	case xsd + "gMonthDay":
		if m = reGMD.FindStringSubmatch(lex); m == nil {
			return timeValue{}, false
		}
		month, day, tz = atoi(m[1]), atoi(m[2]), m[3]
	default:
		return timeValue{}, false
	}
	if strings.HasPrefix(lex, "-0000") {
		return timeValue{}, false // XSD 1.1 has a year 0000, but no -0000
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) && !(dt == xsd+"gMonthDay" && month == 2 && day == 29) {
		return timeValue{}, false
	}
	if hour > 24 || min > 59 || sec.Cmp(big.NewRat(60, 1)) >= 0 {
		return timeValue{}, false
	}
	if hour == 24 {
		if min != 0 || sec.Sign() != 0 {
			return timeValue{}, false
		}
	}
	tv := timeValue{hasTZ: tz != ""}
	days := daysFromCivil(year, month, day)
	total := new(big.Rat).SetInt64(days*86400 + hour*3600 + min*60)
	total.Add(total, sec)
	if tz != "" && tz != "Z" {
		sign := int64(1)
		if tz[0] == '-' {
			sign = -1
		}
		off := sign * (atoi(tz[1:3])*3600 + atoi(tz[4:6])*60)
		if atoi(tz[1:3]) == 14 && atoi(tz[4:6]) != 0 {
			return timeValue{}, false
		}
		total.Sub(total, new(big.Rat).SetInt64(off))
	}
	tv.secs = total
	return tv, true
}

func leap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if leap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 (proleptic Gregorian).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// numericTypes are the XSD numeric types, which compare with each other.
func isNumeric(dt string) bool {
	if _, ok := integerTypes[dt]; ok {
		return true
	}
	return dt == xsd+"decimal" || dt == xsd+"float" || dt == xsd+"double"
}

// number is a numeric value: a rational, or an infinity (inf ±1), or NaN.
type number struct {
	r   *big.Rat
	inf int
	nan bool
}

func parseNumber(dt, lex string) (number, bool) {
	if !wellFormed(dt, lex) {
		return number{}, false
	}
	switch lex {
	case "INF", "+INF":
		return number{inf: 1}, true
	case "-INF":
		return number{inf: -1}, true
	case "NaN":
		return number{nan: true}, true
	}
	s := strings.TrimPrefix(lex, "+")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	s = strings.Replace(s, ".e", ".0e", 1)
	s = strings.Replace(s, ".E", ".0E", 1)
	s = strings.TrimSuffix(s, ".")
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		f, err := strconv.ParseFloat(lex, 64)
		if err != nil || math.IsInf(f, 0) {
			return number{}, false
		}
		r = new(big.Rat).SetFloat64(f)
	}
	if neg {
		r.Neg(r)
	}
	return number{r: r}, true
}

func (a number) cmp(b number) (int, bool) {
	if a.nan || b.nan {
		return 0, false
	}
	if a.inf != 0 || b.inf != 0 {
		switch {
		case a.inf == b.inf:
			return 0, true
		case a.inf > b.inf:
			return 1, true
		}
		return -1, true
	}
	return a.r.Cmp(b.r), true
}

// timeFamily groups the types whose values compare with each other.
func timeFamily(dt string) string {
	if dt == xsd+"dateTimeStamp" {
		return xsd + "dateTime"
	}
	return dt
}

// compareValues orders a and b as SPARQL's "<" would; ok is false when
// they are incomparable (different kinds, ill-formed, NaN, or a time
// with and one without a time zone too close to tell).
func compareValues(a, b quad.Value) (int, bool) {
	da, oka := datatypeOf(a)
	db, okb := datatypeOf(b)
	if !oka || !okb {
		return 0, false
	}
	la, lb := lexical(a), lexical(b)
	sa, sb := string(da), string(db)
	switch {
	case isNumeric(sa) && isNumeric(sb):
		na, ok1 := parseNumber(sa, la)
		nb, ok2 := parseNumber(sb, lb)
		if !ok1 || !ok2 {
			return 0, false
		}
		return na.cmp(nb)
	case sa == xsd+"string" && sb == xsd+"string":
		return strings.Compare(la, lb), true
	case sa == xsd+"boolean" && sb == xsd+"boolean":
		ba, ok1 := parseBool(la)
		bb, ok2 := parseBool(lb)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch {
		case ba == bb:
			return 0, true
		case bb:
			return -1, true
		}
		return 1, true
	}
	fa, fb := timeFamily(sa), timeFamily(sb)
	if fa != fb {
		return 0, false
	}
	ta, ok1 := parseTime(sa, la)
	tb, ok2 := parseTime(sb, lb)
	if !ok1 || !ok2 {
		return 0, false
	}
	if ta.hasTZ == tb.hasTZ {
		return ta.secs.Cmp(tb.secs), true
	}
	// XSD's order of a value with a time zone against one without: the
	// latter may be anywhere from -14:00 to +14:00.
	window := big.NewRat(14*3600, 1)
	if !ta.hasTZ {
		c, ok := compareWindow(tb.secs, ta.secs, window)
		return -c, ok
	}
	return compareWindow(ta.secs, tb.secs, window)
}

// compareWindow compares p (with a time zone) against q (without).
func compareWindow(p, q, window *big.Rat) (int, bool) {
	lo := new(big.Rat).Sub(q, window)
	hi := new(big.Rat).Add(q, window)
	switch {
	case p.Cmp(lo) < 0:
		return -1, true
	case p.Cmp(hi) > 0:
		return 1, true
	}
	return 0, false
}

func parseBool(s string) (bool, bool) {
	switch s {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}
