package seeds

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Profile is one regional profile of the personalised-medicine region
// profile series (documents 000 and 004), parsed by the template's structure.
// Every text field holds the document's words with runs of white space
// (including no-break spaces) collapsed to one space; nothing is normalised
// beyond that, so values, years and units are as written.
type Profile struct {
	// SourceFile is the path of the document the profile was read from
	// (e.g. "seeds/sources/000_f900378a799b4c5e.txt"). ParseProfile leaves it
	// empty; callers set it so that Quads can record ig:sourceFile.
	SourceFile string

	NUTS       string // NUTS code of the header, as written ("DK04")
	Name       string // region name of the header ("Midtjylland")
	HeaderLine int    // line of the header

	Indicators  []Indicator   // indicator lines, in document order, repeats kept
	Website     *Field        // "Regional website" and the link text below it
	Description []Paragraph   // the prose about the region
	Figures     []ProseFigure // population figures the prose states

	Collaboration *Answer  // "Is the region looking for ... collaboration opportunities?"
	Memberships   []Answer // the "Membership status" questions

	PolicyDocuments  []Item           // the "Policy documents" list (Number 0 when unnumbered)
	PolicyTopics     *Field           // "Topics covered by policies", Extra holds the lines that follow it
	Databases        []Field          // "Databases and standards, linked to personalised medicine (incl. biobanks)"
	Classifications  []Classification // NACE, NABS and policy-objective codes
	ClassificationQs []Field          // the three classification lines as written
	PolicyAnswers    []Answer         // "Policy document (RIS3): ...", "Policy document PM@RIS3: ..."

	Initiatives []Item // the "Major initiatives" list

	RepresentedQuestion *Field // "Is the region represented in: ...?" (the template question)
	Represented         []Item // the answer, one item per listed programme or sentence

	Ratings []Rating // the "Self evaluation" lines

	ImageAttribution []string // text under "Image attribution" before the links
	Links            []string // the bulleted links (LinkedIn, ...)
	Footer           Footer

	// Remarks are irregularities the parser saw and kept (a list that does
	// not start at 1, an answer written without its question mark, a heading
	// misspelt); Quads turns them into notes.
	Remarks []Remark
}

// Indicator is one indicator line: "Total population (2019) 1320678".
type Indicator struct {
	Line  int
	Text  string        // the whole line
	Kind  IndicatorKind // which template indicator
	Label string        // the label as written ("Total population")
	Year  string        // the year in parentheses, "" if none
	Value string        // the value as written ("1320678", "19,01%", "Leader –")
	Unit  string        // the unit the template implies ("persons", "percent", ...), "" for a group
}

// IndicatorKind names the template's indicators.
type IndicatorKind string

// The indicators of the profile template.
const (
	TotalPopulation       IndicatorKind = "total-population"
	PopulationDensity     IndicatorKind = "population-density"
	ShareAged65Plus       IndicatorKind = "share-aged-65-plus"
	InnovationPerformance IndicatorKind = "innovation-performance-group"
)

// Paragraph is one line of prose.
type Paragraph struct {
	Line int
	Text string
}

// ProseFigure is a population figure stated in the prose ("a population of
// 1.2 million", "2.16m inhabitants in 2018").
type ProseFigure struct {
	Line    int
	Text    string // the words as written ("a population of 1.2 million")
	Figure  string // the figure as written ("1.2 million", "2.16m")
	Persons string // the figure in persons, an integer lexical form ("1200000")
	Year    string // the year the prose gives, "" if none
}

// Field is a labelled line of the template and what follows it.
type Field struct {
	Line  int
	Label string      // the label as written
	Value string      // the value on the same or the next line, "" if none
	Extra []Paragraph // unlabelled lines that follow the field
}

// Reply classifies an answer.
type Reply int

// The kinds of answer. Unanswered is a question the profile leaves blank; it
// is kept as such and never read as yes or no.
const (
	Unanswered Reply = iota
	Yes
	No
	Other // any other words ("country level observer", "Non-mountain")
)

func (r Reply) String() string {
	switch r {
	case Yes:
		return "yes"
	case No:
		return "no"
	case Other:
		return "other"
	}
	return "unanswered"
}

// Answer is the answer to one question of the template.
type Answer struct {
	Line     int
	Question string // the question as written, without its question mark
	Text     string // the answer as written, "" if blank
	Reply    Reply
	Detail   string // the words after "Yes -" or "No -", if any
	NoMark   bool   // the question was written without its question mark
}

// Item is one entry of a list (policy documents, major initiatives, the
// programmes a region is represented in).
type Item struct {
	Line   int
	Number int    // the number written before it, 0 if none
	Text   string // the entry as written, without its number
	Detail string // words set off from the entry by a wide gap ("nuclear medicine"), "" if none
}

// Classification is one code of a NACE, NABS or policy-objective line:
// "C.20 - Chemicals and chemical products".
type Classification struct {
	Line   int
	Scheme string // "nace", "nabs" or "policy-objective"
	Code   string // as written ("C.20")
	Label  string // as written
}

// Rating is one self-evaluation line: "<topic> - <level>".
type Rating struct {
	Line  int
	Topic string // as written
	Level string // as written ("Very High")
}

// Footer is what the closing lines say about the project behind the
// profile series.
type Footer struct {
	Line               int    // first footer line, 0 if none
	Text               string // the footer lines joined
	Funder             string // "European Union"
	Programme          string // "Horizon 2020"
	GrantNumber        string // "825046"
	Coordinator        string // "Department Economy, Science and Innovation"
	CoordinatorAcronym string // "EWI"
	CoordinatorParent  string // "Flemish Government"
}

// Remark is an irregularity of the text, kept for an explanatory note.
type Remark struct {
	Line int
	Text string
}

// SyntaxError is returned by ParseProfile for text that does not follow the
// profile template: Line is the 1-based line (the last line + 1 when a
// required part is missing at the end), Expected what the template wants
// there and Found the text that was there.
type SyntaxError struct {
	Line     int
	Expected string
	Found    string
}

func (e *SyntaxError) Error() string {
	if e.Found == "" {
		return fmt.Sprintf("profile line %d: expected %s", e.Line, e.Expected)
	}
	return fmt.Sprintf("profile line %d: expected %s, found %q", e.Line, e.Expected, e.Found)
}

// maxProfileLine bounds one line of a profile; the longest real line is a
// few hundred bytes.
const maxProfileLine = 1 << 16

// section is the part of the template a line is in.
type section int

const (
	secTop section = iota
	secCollaboration
	secMembership
	secPolicy
	secInitiatives
	secRepresented
	secSelfEvaluation
	secAttribution
)

// headings are the template's section headings; a heading may be misspelt
// by at most two letters ("Policy douments").
var headingNames = []struct {
	name string
	sec  section
}{
	{"Membership status", secMembership},
	{"Policy documents", secPolicy},
	{"Major initiatives", secInitiatives},
	{"Self evaluation", secSelfEvaluation},
	{"Image attribution", secAttribution},
}

// line is one non-blank line with its number: text with white space
// collapsed, raw trimmed but with its inner spacing (a wide gap separates a
// list item's name from words that qualify it).
type line struct {
	n    int
	text string
	raw  string
}

// ParseProfile reads a regional profile of the template shared by documents
// 000 (DK04 Midtjylland) and 004 (DEG Thuringia). It returns a *SyntaxError
// (wrapped) for text that does not follow the template: no "<NUTS code> -
// <name>" header, a missing "Membership status" or "Self evaluation"
// section, a membership line without a question, a classification or
// rating line not of the form "<code> - <label>" / "<topic> - <level>", or
// text that is not UTF-8. Read errors of r are returned wrapped.
func ParseProfile(r io.Reader) (*Profile, error) {
	lines, last, err := readLines(r)
	if err != nil {
		return nil, err
	}
	p := &Profile{}
	ps := &parser{p: p, last: last}
	if err := ps.parse(lines); err != nil {
		return nil, fmt.Errorf("parse profile: %w", err)
	}
	return p, nil
}

func readLines(r io.Reader) ([]line, int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxProfileLine)
	var out []line
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		if !utf8.ValidString(raw) {
			return nil, n, fmt.Errorf("parse profile: %w", &SyntaxError{Line: n, Expected: "UTF-8 text"})
		}
		if t := clean(raw); t != "" {
			out = append(out, line{n, t, strings.TrimSpace(strings.ReplaceAll(raw, "\u00a0", " "))})
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, n + 1, fmt.Errorf("parse profile: %w", &SyntaxError{Line: n + 1, Expected: fmt.Sprintf("a line shorter than %d bytes", maxProfileLine)})
		}
		return nil, n, fmt.Errorf("read profile: %w", err)
	}
	return out, n, nil
}

// clean collapses white space (no-break spaces included) and trims.
func clean(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\u00a0' || r == '\r' || r == '\u2009' || r == '\u202f'
	}), " ")
}

type parser struct {
	p    *Profile
	last int
	sec  section
	seen map[section]bool
	// field is the last labelled field of the policy section, to which
	// unlabelled lines are appended.
	field *Field
	// websiteNext is set after "Regional website": the next line is its link text.
	websiteNext bool
	// collabOpen is set while the collaboration answer may still follow.
	collabOpen bool
}

var (
	headerRE   = regexp.MustCompile(`^([A-Z]{2}[A-Z0-9]{0,3}) ?[-–—] ?(\S.*)$`)
	numberedRE = regexp.MustCompile(`^(\d{1,3})\. ?(.*)$`)
	bulletRE   = regexp.MustCompile(`^[•·*\-] ?(.*)$`)
	ratingRE   = regexp.MustCompile(`(?i)^(.*\S) ?[-–—] ?(very low|low|medium|high|very high)$`)
	classRE    = regexp.MustCompile(`^(\S+) ?[-–—] (\S.*)$`)
)

func (ps *parser) parse(lines []line) error {
	if len(lines) == 0 {
		return &SyntaxError{Line: 1, Expected: `a header "<NUTS code> - <region name>"`}
	}
	h := lines[0]
	m := headerRE.FindStringSubmatch(h.text)
	if m == nil {
		return &SyntaxError{Line: h.n, Expected: `a header "<NUTS code> - <region name>" (e.g. "DK04 - Midtjylland")`, Found: h.text}
	}
	ps.p.NUTS, ps.p.Name, ps.p.HeaderLine = m[1], m[2], h.n
	ps.seen = map[section]bool{}
	for _, l := range lines[1:] {
		if err := ps.line(l); err != nil {
			return err
		}
	}
	for _, req := range []struct {
		sec  section
		name string
	}{{secMembership, `the section "Membership status"`}, {secSelfEvaluation, `the section "Self evaluation"`}} {
		if !ps.seen[req.sec] {
			return &SyntaxError{Line: ps.last + 1, Expected: req.name}
		}
	}
	if len(ps.p.Ratings) == 0 {
		return &SyntaxError{Line: ps.last + 1, Expected: `self-evaluation lines "<topic> - <level>"`}
	}
	return nil
}

func (ps *parser) remark(n int, format string, args ...any) {
	ps.p.Remarks = append(ps.p.Remarks, Remark{Line: n, Text: fmt.Sprintf(format, args...)})
}

// heading reports whether text is a section heading and which.
func (ps *parser) heading(l line) (section, bool) {
	if len(l.text) > 30 {
		return 0, false
	}
	low := strings.ToLower(l.text)
	for _, h := range headingNames {
		d := editDistance(low, strings.ToLower(h.name))
		if d <= 2 {
			if d > 0 {
				ps.remark(l.n, "The heading %q is read as %q.", l.text, h.name)
			}
			return h.sec, true
		}
	}
	return 0, false
}

func (ps *parser) enter(n int, s section) error {
	name := ""
	for _, h := range headingNames {
		if h.sec == s {
			name = h.name
		}
	}
	if ps.seen[s] {
		return &SyntaxError{Line: n, Expected: "each section heading once", Found: name}
	}
	if s < ps.sec {
		return &SyntaxError{Line: n, Expected: "the sections in the template's order", Found: name}
	}
	ps.sec, ps.seen[s] = s, true
	ps.field, ps.collabOpen, ps.websiteNext = nil, false, false
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func (ps *parser) line(l line) error {
	if s, ok := ps.heading(l); ok {
		return ps.enter(l.n, s)
	}
	t := l.text
	switch {
	case ps.sec < secMembership && hasPrefixFold(t, "Is the region looking for"):
		q, a, _ := strings.Cut(t, "?")
		ps.p.Collaboration = &Answer{Line: l.n, Question: strings.TrimSpace(q)}
		ps.sec = secCollaboration
		ps.collabOpen = true
		if a = strings.TrimSpace(a); a != "" {
			ps.setAnswer(ps.p.Collaboration, a)
			ps.collabOpen = false
		}
		return nil
	case ps.sec < secRepresented && hasPrefixFold(t, "Is the region represented in"):
		ps.sec, ps.seen[secRepresented] = secRepresented, true
		ps.p.RepresentedQuestion = &Field{Line: l.n, Label: t}
		return nil
	}
	switch ps.sec {
	case secTop:
		return ps.top(l)
	case secCollaboration:
		if ps.collabOpen {
			ps.setAnswer(ps.p.Collaboration, t)
			ps.p.Collaboration.Line = l.n
			ps.collabOpen = false
			return nil
		}
		ps.p.Description = append(ps.p.Description, Paragraph{Line: l.n, Text: t})
		return nil
	case secMembership:
		return ps.membership(l)
	case secPolicy:
		return ps.policy(l)
	case secInitiatives:
		ps.p.Initiatives = append(ps.p.Initiatives, item(l))
		return nil
	case secRepresented:
		return ps.represented(l)
	case secSelfEvaluation:
		m := ratingRE.FindStringSubmatch(t)
		if m == nil {
			return &SyntaxError{Line: l.n, Expected: `a self-evaluation line "<topic> - <level>" (level Very Low, Low, Medium, High or Very High)`, Found: t}
		}
		ps.p.Ratings = append(ps.p.Ratings, Rating{Line: l.n, Topic: m[1], Level: m[2]})
		return nil
	case secAttribution:
		ps.attribution(l)
		return nil
	}
	return nil
}

// indicatorLabels are the template's indicator labels, matched as prefixes
// of a line.
var indicatorLabels = []struct {
	prefix string
	kind   IndicatorKind
	unit   string
}{
	{"Total population", TotalPopulation, "persons"},
	{"Population per km", PopulationDensity, "persons per km2"},
	{"Proportion population older 65", ShareAged65Plus, "percent"},
	{"Innovation Performance Group", InnovationPerformance, ""},
	{"Regional Innovation Performance", InnovationPerformance, ""},
}

var indicatorRE = regexp.MustCompile(`^(.*?) ?\((\d{4})\) ?:? ?(.*)$`)

func (ps *parser) top(l line) error {
	t := l.text
	if ps.websiteNext {
		ps.websiteNext = false
		ps.p.Website.Value = t
		return nil
	}
	if strings.EqualFold(strings.TrimSuffix(t, ":"), "Regional website") {
		ps.p.Website = &Field{Line: l.n, Label: "Regional website"}
		ps.websiteNext = true
		return nil
	}
	for _, il := range indicatorLabels {
		if !hasPrefixFold(t, il.prefix) {
			continue
		}
		ind := Indicator{Line: l.n, Text: t, Kind: il.kind, Unit: il.unit}
		if m := indicatorRE.FindStringSubmatch(t); m != nil {
			ind.Label, ind.Year, ind.Value = m[1], m[2], strings.TrimSpace(m[3])
		} else {
			// "Proportion population older 65 year % 19,01%": no year; the
			// value is the last word.
			i := strings.LastIndexByte(t, ' ')
			if i < 0 {
				return &SyntaxError{Line: l.n, Expected: "an indicator line \"<label> (<year>) <value>\"", Found: t}
			}
			ind.Label, ind.Value = t[:i], t[i+1:]
		}
		if ind.Value == "" {
			return &SyntaxError{Line: l.n, Expected: "a value after the indicator label", Found: t}
		}
		ps.p.Indicators = append(ps.p.Indicators, ind)
		return nil
	}
	ps.p.Description = append(ps.p.Description, Paragraph{Line: l.n, Text: t})
	ps.p.Figures = append(ps.p.Figures, proseFigures(l)...)
	return nil
}

var proseFigureREs = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\bpopulation of (\d+(?:[.,]\d+)?) ?(million|m)\b()`),
	regexp.MustCompile(`(?i)\b(\d+(?:[.,]\d+)?) ?(million|m) inhabitants(?: in (\d{4}))?`),
}

func proseFigures(l line) []ProseFigure {
	var out []ProseFigure
	for _, re := range proseFigureREs {
		for _, m := range re.FindAllStringSubmatch(l.text, -1) {
			persons, ok := millions(m[1])
			if !ok {
				continue
			}
			fig := m[1] + " " + m[2]
			if !strings.Contains(m[0], fig) {
				fig = m[1] + m[2]
			}
			out = append(out, ProseFigure{Line: l.n, Text: m[0], Figure: fig, Persons: persons, Year: m[3]})
		}
	}
	return out
}

// millions turns "1.2" (million) into "1200000"; it reports false when the
// product is not a whole number.
func millions(s string) (string, bool) {
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 6 {
		return "", false
	}
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", 6-len(frac)), "0")
	if digits == "" {
		digits = "0"
	}
	return digits, true
}

func (ps *parser) setAnswer(a *Answer, text string) {
	a.Text = text
	low := strings.ToLower(text)
	switch {
	case text == "":
		a.Reply = Unanswered
	case low == "yes" || low == "no":
		a.Reply = map[bool]Reply{true: Yes, false: No}[low == "yes"]
	default:
		a.Reply = Other
		for _, w := range []struct {
			word  string
			reply Reply
		}{{"yes", Yes}, {"no", No}} {
			if rest, ok := cutWord(low, w.word); ok {
				a.Reply = w.reply
				a.Detail = strings.TrimSpace(text[len(text)-len(rest):])
			}
		}
	}
}

// cutWord reports whether s starts with word followed by a separator
// (" - ", "-", ",", ":") and returns what follows the separator.
func cutWord(s, word string) (string, bool) {
	if !strings.HasPrefix(s, word) {
		return "", false
	}
	rest := s[len(word):]
	trimmed := strings.TrimLeft(rest, " ")
	if trimmed == "" || trimmed == rest && !strings.ContainsAny(trimmed[:1], "-–—,:") {
		return "", false
	}
	if strings.ContainsAny(trimmed[:1], "-–—,:") {
		_, size := utf8.DecodeRuneInString(trimmed)
		return trimmed[size:], true
	}
	return "", false
}

func (ps *parser) membership(l line) error {
	parts := strings.Split(l.text, "?")
	noMark := ""
	if q, ok := knownQuestionPrefix(parts[0]); ok && strings.TrimSpace(parts[0][len(q):]) != "" {
		// "ERAPerMed no Central Europe? no": a template question written
		// without its question mark; split after it.
		noMark = q
		parts = append([]string{q, parts[0][len(q):]}, parts[1:]...)
	}
	if len(parts) == 1 {
		return &SyntaxError{Line: l.n, Expected: `a membership question "<question>? <answer>"`, Found: l.text}
	}
	question := strings.TrimSpace(parts[0])
	if question == "" {
		return &SyntaxError{Line: l.n, Expected: "a question before the question mark", Found: l.text}
	}
	for i := 1; i < len(parts); i++ {
		seg := strings.TrimSpace(parts[i])
		answer, next := seg, ""
		if i < len(parts)-1 {
			answer, next = splitAnswer(seg)
			if next == "" {
				return &SyntaxError{Line: l.n, Expected: "a question after the answer", Found: seg}
			}
		}
		a := Answer{Line: l.n, Question: question, NoMark: question == noMark}
		if a.NoMark {
			ps.remark(l.n, "The question %q is written without its question mark.", question)
		}
		ps.setAnswer(&a, answer)
		ps.p.Memberships = append(ps.p.Memberships, a)
		question = next
	}
	return nil
}

// knownQuestionPrefix returns the template question s starts with.
func knownQuestionPrefix(s string) (string, bool) {
	best := ""
	for _, q := range membershipQuestions {
		for _, label := range q.labels {
			if hasPrefixFold(s, label) && len(label) > len(best) {
				rest := s[len(label):]
				if rest == "" || rest[0] == ' ' || rest[0] == '?' {
					best = s[:len(label)]
				}
			}
		}
	}
	return best, best != ""
}

// splitAnswer splits "yes Danube MacroRegion" into the answer and the next
// question: the next question is the longest known template question the
// segment ends with, else everything after the first word.
func splitAnswer(seg string) (answer, next string) {
	for _, q := range membershipQuestions {
		for _, label := range q.labels {
			if len(seg) > len(label) && strings.EqualFold(seg[len(seg)-len(label):], label) && seg[len(seg)-len(label)-1] == ' ' {
				if c := seg[:len(seg)-len(label)-1]; len(c) < len(answer) || answer == "" {
					answer, next = strings.TrimSpace(c), seg[len(seg)-len(label):]
				}
			}
		}
	}
	if next != "" {
		return answer, next
	}
	a, n, _ := strings.Cut(seg, " ")
	return a, strings.TrimSpace(n)
}

// policyFields are the labelled lines of the policy section.
var policyFields = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`(?i)^(topics covered by policies) ?:? ?(.*)$`), "topics"},
	{regexp.MustCompile(`(?i)^(databases and standards, linked to personali[sz]ed medicine \(incl\. biobanks\)) ?:? ?(.*?) ?:?$`), "databases"},
	{regexp.MustCompile(`(?i)^(nace\b[^:]*?) ?: ?(.*)$`), "nace"},
	{regexp.MustCompile(`(?i)^(scientific domain nabs[^:]*?) ?: ?(.*)$`), "nabs"},
	{regexp.MustCompile(`(?i)^(policy objective[^:]*?) ?: ?(.*)$`), "policy-objective"},
	{regexp.MustCompile(`(?i)^(policy document \(RIS3\)) ?: ?(.*)$`), "answer"},
	{regexp.MustCompile(`(?i)^(policy document PM@RIS3) ?: ?(.*)$`), "answer"},
}

func (ps *parser) policy(l line) error {
	for _, f := range policyFields {
		m := f.re.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		fld := Field{Line: l.n, Label: m[1], Value: strings.TrimSpace(m[2])}
		switch f.kind {
		case "topics":
			ps.p.PolicyTopics = &fld
			ps.field = ps.p.PolicyTopics
		case "databases":
			ps.p.Databases = append(ps.p.Databases, fld)
			ps.field = &ps.p.Databases[len(ps.p.Databases)-1]
		case "answer":
			a := Answer{Line: l.n, Question: m[1]}
			ps.setAnswer(&a, fld.Value)
			ps.p.PolicyAnswers = append(ps.p.PolicyAnswers, a)
			ps.field = nil
		default:
			ps.p.ClassificationQs = append(ps.p.ClassificationQs, fld)
			ps.field = nil
			for _, part := range strings.Split(fld.Value, ";") {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				cm := classRE.FindStringSubmatch(part)
				if cm == nil {
					return &SyntaxError{Line: l.n, Expected: `classification entries "<code> - <label>" separated by ";"`, Found: part}
				}
				ps.p.Classifications = append(ps.p.Classifications, Classification{Line: l.n, Scheme: f.kind, Code: cm[1], Label: cm[2]})
			}
		}
		return nil
	}
	if ps.field != nil {
		ps.field.Extra = append(ps.field.Extra, Paragraph{Line: l.n, Text: l.text})
		return nil
	}
	if ps.p.PolicyTopics != nil || len(ps.p.PolicyAnswers) > 0 || len(ps.p.ClassificationQs) > 0 {
		return &SyntaxError{Line: l.n, Expected: "a labelled policy line (Topics covered by policies, NACE, Policy document (RIS3), ...)", Found: l.text}
	}
	ps.p.PolicyDocuments = append(ps.p.PolicyDocuments, item(l))
	return nil
}

var wideGapRE = regexp.MustCompile(`\S(  +)\S`)

func item(l line) Item {
	it := Item{Line: l.n}
	raw := l.raw
	if m := numberedRE.FindStringSubmatch(raw); m != nil {
		it.Number, _ = strconv.Atoi(m[1])
		raw = strings.TrimSpace(m[2])
	}
	if loc := wideGapRE.FindStringSubmatchIndex(raw); loc != nil {
		it.Text, it.Detail = clean(raw[:loc[2]]), clean(raw[loc[3]:])
	} else {
		it.Text = clean(raw)
	}
	return it
}

func (ps *parser) represented(l line) error {
	t := l.text
	if q, rest, ok := strings.Cut(t, ":"); ok && strings.EqualFold(strings.TrimSpace(q), "Region represented in") {
		for _, part := range strings.Split(rest, ";") {
			if part = strings.TrimSpace(part); part != "" {
				ps.p.Represented = append(ps.p.Represented, Item{Line: l.n, Text: part})
			}
		}
		return nil
	}
	ps.p.Represented = append(ps.p.Represented, item(l))
	return nil
}

var footerStart = regexp.MustCompile(`(?i)^this project has received funding`)

func (ps *parser) attribution(l line) {
	t := l.text
	f := &ps.p.Footer
	switch {
	case f.Line > 0 || footerStart.MatchString(t):
		if f.Line == 0 {
			f.Line = l.n
		}
		if f.Text != "" {
			f.Text += " "
		}
		f.Text += t
		ps.readFooter()
	case bulletRE.MatchString(t) && len(t) < 40:
		ps.p.Links = append(ps.p.Links, strings.TrimSpace(bulletRE.FindStringSubmatch(t)[1]))
	default:
		ps.p.ImageAttribution = append(ps.p.ImageAttribution, t)
	}
}

var (
	funderRE      = regexp.MustCompile(`funding from the (.+?)[’']s (.+?) research and innovation programme`)
	grantRE       = regexp.MustCompile(`(?i)grant agreement No\.? ?(\d+)`)
	coordinatorRE = regexp.MustCompile(`co-ordinated by (.+?)(?: \(([A-Za-z]+)\))? of the (.+?)\.`)
)

func (ps *parser) readFooter() {
	f := &ps.p.Footer
	if m := funderRE.FindStringSubmatch(f.Text); m != nil {
		f.Funder, f.Programme = m[1], m[2]
	}
	if m := grantRE.FindStringSubmatch(f.Text); m != nil {
		f.GrantNumber = m[1]
	}
	if m := coordinatorRE.FindStringSubmatch(f.Text); m != nil {
		f.Coordinator, f.CoordinatorAcronym, f.CoordinatorParent = m[1], m[2], m[3]
	}
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
