package sparql

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// dateTime is an xsd:dateTime, xsd:date or xsd:time value. Seconds keep
// their fraction exactly (as a decimal); tz is the offset in minutes when
// hasTZ.
type dateTime struct {
	year                     int64
	month, day, hour, minute int
	sec                      *big.Rat
	hasTZ                    bool
	tz                       int // minutes east of UTC
}

var (
	reDateTime = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reDate     = regexp.MustCompile(`^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reTime     = regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reDuration = regexp.MustCompile(`^(-)?P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?)?$`)
)

func parseTZ(s string, t *dateTime) bool {
	switch {
	case s == "":
		return true
	case s == "Z":
		t.hasTZ, t.tz = true, 0
		return true
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[4:6])
	if h > 14 || m > 59 || h == 14 && m > 0 {
		return false
	}
	t.hasTZ, t.tz = true, h*60+m
	if s[0] == '-' {
		t.tz = -t.tz
	}
	return true
}

func daysIn(year int64, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func parseDateTime(s string) (dateTime, bool) {
	m := reDateTime.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return dateTime{}, false
	}
	var t dateTime
	t.year, _ = strconv.ParseInt(m[1], 10, 64)
	t.month, _ = strconv.Atoi(m[2])
	t.day, _ = strconv.Atoi(m[3])
	t.hour, _ = strconv.Atoi(m[4])
	t.minute, _ = strconv.Atoi(m[5])
	t.sec, _ = new(big.Rat).SetString(m[6])
	if t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysIn(t.year, t.month) ||
		t.hour > 24 || t.minute > 59 || t.sec.Cmp(big.NewRat(60, 1)) >= 0 ||
		t.hour == 24 && (t.minute != 0 || t.sec.Sign() != 0) {
		return dateTime{}, false
	}
	return t, parseTZ(m[7], &t)
}

func parseDate(s string) (dateTime, bool) {
	m := reDate.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return dateTime{}, false
	}
	var t dateTime
	t.year, _ = strconv.ParseInt(m[1], 10, 64)
	t.month, _ = strconv.Atoi(m[2])
	t.day, _ = strconv.Atoi(m[3])
	t.sec = new(big.Rat)
	if t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysIn(t.year, t.month) {
		return dateTime{}, false
	}
	return t, parseTZ(m[4], &t)
}

func parseTime(s string) (dateTime, bool) {
	m := reTime.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return dateTime{}, false
	}
	t := dateTime{year: 1972, month: 12, day: 31}
	t.hour, _ = strconv.Atoi(m[1])
	t.minute, _ = strconv.Atoi(m[2])
	t.sec, _ = new(big.Rat).SetString(m[3])
	if t.hour > 23 || t.minute > 59 || t.sec.Cmp(big.NewRat(60, 1)) >= 0 {
		return dateTime{}, false
	}
	return t, parseTZ(m[4], &t)
}

func (t dateTime) tzString() string {
	if !t.hasTZ {
		return ""
	}
	if t.tz == 0 {
		return "Z"
	}
	sign, tz := '+', t.tz
	if tz < 0 {
		sign, tz = '-', -tz
	}
	return fmt.Sprintf("%c%02d:%02d", sign, tz/60, tz%60)
}

func (t dateTime) secString() string {
	s := formatDecimal(t.sec)
	s = strings.TrimSuffix(s, ".0")
	if i := strings.IndexByte(s, '.'); i == 1 || i < 0 && len(s) == 1 {
		s = "0" + s
	}
	return s
}

func (t dateTime) format(date, clock bool) string {
	var b strings.Builder
	if date {
		y := t.year
		if y < 0 {
			b.WriteByte('-')
			y = -y
		}
		fmt.Fprintf(&b, "%04d-%02d-%02d", y, t.month, t.day)
	}
	if date && clock {
		b.WriteByte('T')
	}
	if clock {
		fmt.Fprintf(&b, "%02d:%02d:%s", t.hour, t.minute, t.secString())
	}
	b.WriteString(t.tzString())
	return b.String()
}

// seconds returns t as seconds since an epoch (UTC; a value without a
// timezone is taken as UTC shifted by tzAssumed minutes).
func (t dateTime) seconds(tzAssumed int) *big.Rat {
	days := daysFromCivil(t.year, t.month, t.day)
	secs := new(big.Rat).SetInt64(days*86400 + int64(t.hour)*3600 + int64(t.minute)*60)
	secs.Add(secs, t.sec)
	tz := tzAssumed
	if t.hasTZ {
		tz = t.tz
	}
	return secs.Sub(secs, new(big.Rat).SetInt64(int64(tz)*60))
}

// daysFromCivil counts days from 1970-01-01 in the proleptic Gregorian
// calendar (Howard Hinnant's algorithm).
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// compareDateTime orders two values of the same kind (XPath's
// op:dateTime-less-than): ok is false when one has a timezone and the
// other none and the order is indeterminate within the ±14 hours the
// missing timezone allows.
func compareDateTime(a, b dateTime) (int, bool) {
	if a.hasTZ == b.hasTZ {
		return a.seconds(0).Cmp(b.seconds(0)), true
	}
	lo, hi := a.seconds(14*60), a.seconds(-14*60)
	other := b.seconds(0)
	if !a.hasTZ {
		// a is the one without a timezone: its instant lies in [lo, hi].
		switch {
		case hi.Cmp(other) < 0:
			return -1, true
		case lo.Cmp(other) > 0:
			return 1, true
		}
		return 0, false
	}
	c, ok := compareDateTime(b, a)
	return -c, ok
}

// duration is an xsd:dayTimeDuration: a signed number of seconds.
type duration struct{ secs *big.Rat }

func parseDuration(s string) (duration, bool) {
	m := reDuration.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return duration{}, false
	}
	total := new(big.Rat)
	for i, mult := range []int64{86400, 3600, 60} {
		if m[i+2] != "" {
			n, _ := new(big.Rat).SetString(m[i+2])
			total.Add(total, n.Mul(n, new(big.Rat).SetInt64(mult)))
		}
	}
	if m[5] != "" {
		n, _ := new(big.Rat).SetString(m[5])
		total.Add(total, n)
	}
	if m[1] == "-" {
		total.Neg(total)
	}
	return duration{secs: total}, true
}

func (d duration) String() string {
	s := new(big.Rat).Set(d.secs)
	var b strings.Builder
	if s.Sign() < 0 {
		b.WriteByte('-')
		s.Neg(s)
	}
	b.WriteByte('P')
	whole := new(big.Int).Quo(s.Num(), s.Denom())
	frac := new(big.Rat).Sub(s, new(big.Rat).SetInt(whole))
	secs := whole.Int64()
	days, secs := secs/86400, secs%86400
	hours, secs := secs/3600, secs%3600
	mins, secs := secs/60, secs%60
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if hours > 0 || mins > 0 || secs > 0 || frac.Sign() > 0 || days == 0 {
		b.WriteByte('T')
		if hours > 0 {
			fmt.Fprintf(&b, "%dH", hours)
		}
		if mins > 0 {
			fmt.Fprintf(&b, "%dM", mins)
		}
		if secs > 0 || frac.Sign() > 0 || (days == 0 && hours == 0 && mins == 0) {
			sec := new(big.Rat).Add(frac, new(big.Rat).SetInt64(secs))
			str := formatDecimal(sec)
			b.WriteString(strings.TrimSuffix(str, ".0") + "S")
		}
	}
	return b.String()
}
