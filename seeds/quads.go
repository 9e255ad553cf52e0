package seeds

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/ontology"
)

// Vocabulary outside the ontology's namespace.
const (
	rdfTypeIRI     quad.IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfsLabelIRI   quad.IRI = "http://www.w3.org/2000/01/rdf-schema#label"
	skosAltLabel   quad.IRI = "http://www.w3.org/2004/02/skos/core#altLabel"
	skosNotation   quad.IRI = "http://www.w3.org/2004/02/skos/core#notation"
	skosInScheme   quad.IRI = "http://www.w3.org/2004/02/skos/core#inScheme"
	skosConcept    quad.IRI = "http://www.w3.org/2004/02/skos/core#Concept"
	skosScheme     quad.IRI = "http://www.w3.org/2004/02/skos/core#ConceptScheme"
	dctTitleIRI    quad.IRI = "http://purl.org/dc/terms/title"
	dctLanguageIRI quad.IRI = "http://purl.org/dc/terms/language"
	dctDescription quad.IRI = "http://purl.org/dc/terms/description"
	xsdInteger     quad.IRI = "http://www.w3.org/2001/XMLSchema#integer"
	xsdDecimal     quad.IRI = "http://www.w3.org/2001/XMLSchema#decimal"
	xsdGYear       quad.IRI = "http://www.w3.org/2001/XMLSchema#gYear"
	xsdBoolean     quad.IRI = "http://www.w3.org/2001/XMLSchema#boolean"
)

// Entity IRIs the profiles need beyond ontology.Kinds: observations,
// profile answers and qualified memberships, one per region and subject.
const (
	observationBase = ontology.IDBase + "observation/"
	answerBase      = ontology.IDBase + "answer/"
	membershipBase  = ontology.IDBase + "membership/"
)

// ProfileGraph returns the named graph of a profile's source document:
// id/source/profile-<NUTS code in lower case> (profile-dk04, profile-deg).
func ProfileGraph(p *Profile) quad.IRI {
	return ontology.Mint(ontology.KindSource, "profile-"+p.NUTS)
}

// builder collects the quads of one graph without duplicates.
type builder struct {
	g    quad.IRI
	qs   []quad.Quad
	seen map[quad.Quad]bool
}

func (b *builder) add(s, p quad.IRI, o quad.Value) {
	q := quad.Quad{Subject: s, Predicate: p, Object: o, Label: b.g}
	if !b.seen[q] {
		b.seen[q] = true
		b.qs = append(b.qs, q)
	}
}

func en(s string) quad.Value { return quad.LangString{Value: quad.String(s), Lang: "en"} }

func typed(v string, t quad.IRI) quad.Value { return quad.TypedString{Value: quad.String(v), Type: t} }

func (b *builder) entity(s, class quad.IRI, label string) {
	b.add(s, rdfTypeIRI, class)
	b.add(s, rdfsLabelIRI, en(label))
}

func (b *builder) note(s quad.IRI, format string, args ...any) {
	b.add(s, ontology.Note, en(fmt.Sprintf(format, args...)))
}

// Quads maps the profile to RDF in the ontology's terms, every quad in the
// named graph graph (normally ProfileGraph(p)). It describes the source
// document (the graph IRI itself), the region with its names, NUTS code and
// indicator observations, every template answer as an ig:ProfileAnswer
// (blank answers kept as unanswered, with a note), memberships as links to
// the networks' and initiatives' IRIs, policy documents as strategies, topic
// classifications as concepts, major initiatives, self-evaluation ratings,
// and the funding statement of the footer. Every subject is typed and
// labelled and every number typed. Where the text is irregular or
// inconsistent (two population figures, a misspelt name, a list that starts
// at 2) the quads say what it says and an ig:note explains. The result is
// in a fixed order.
func (p *Profile) Quads(graph quad.IRI) []quad.Quad {
	b := &builder{g: graph, seen: map[quad.Quad]bool{}}
	m := mapper{p: p, b: b, region: ontology.Mint(ontology.KindRegion, p.NUTS), code: strings.ToLower(p.NUTS)}
	m.source(graph)
	m.regionQuads()
	m.indicators()
	m.answers()
	m.policies()
	m.initiatives()
	m.ratings()
	m.footer()
	return b.qs
}

type mapper struct {
	p      *Profile
	b      *builder
	region quad.IRI
	code   string // NUTS code in lower case
	// declared records entities already described.
	declared map[quad.IRI]bool
	answered map[quad.IRI]int
	// declined maps the entities of membership questions answered "no" to
	// their answers, so that a list naming one of them notes the conflict.
	declined map[quad.IRI]declinedAnswer
}

// declinedAnswer is a membership question answered "no".
type declinedAnswer struct {
	iri  quad.IRI
	line int
}

func (m *mapper) source(g quad.IRI) {
	p, b := m.p, m.b
	title := p.NUTS + " - " + p.Name
	b.entity(g, ontology.SourceDocument, title)
	b.add(g, dctTitleIRI, en(title))
	if p.SourceFile != "" {
		b.add(g, ontology.SourceFile, quad.String(p.SourceFile))
	}
	b.add(g, dctLanguageIRI, quad.String("en"))
	desc := fmt.Sprintf("Regional profile of %s (NUTS %s) from a template series of personalised-medicine region profiles: population and innovation indicators, a description of the region, answers to the template's membership questions, policy documents and the topics they cover, major initiatives, the programmes the region is represented in, and self-evaluation ratings on personalised medicine.",
		p.Name, p.NUTS)
	if f := p.Footer; f.GrantNumber != "" {
		desc += fmt.Sprintf(" Its footer says the project behind it received funding from the %s's %s programme under grant agreement No %s.", f.Funder, f.Programme, f.GrantNumber)
	}
	b.add(g, dctDescription, en(desc))
	if f := p.Footer; f.Coordinator != "" {
		b.note(g, "The document states no publisher or author; its footer says only that the project behind it is co-ordinated by %s of the %s, so no dcterms:publisher is recorded.", f.Coordinator, f.CoordinatorParent)
	} else {
		b.note(g, "The document states no publisher or author, so no dcterms:publisher is recorded.")
	}
	b.note(g, "The document has no title; the title recorded is its header line.")
	for _, r := range p.Remarks {
		b.note(g, "Line %d: %s", r.Line, r.Text)
	}
	m.listRemarks(g, "policy documents", p.PolicyDocuments)
	m.listRemarks(g, "major initiatives", p.Initiatives)
}

// listRemarks notes a numbered list that does not count 1, 2, 3, ...
func (m *mapper) listRemarks(g quad.IRI, name string, items []Item) {
	want := 1
	for _, it := range items {
		if it.Number == 0 {
			continue
		}
		if it.Number != want {
			m.b.note(g, "Line %d: the list of %s has item %d where item %d is expected; the missing items are not in the text.", it.Line, name, it.Number, want)
		}
		want = it.Number + 1
	}
}

var alsoKnownRE = regexp.MustCompile(`(?i),? also known as `)

// regionNames returns the header name and the names the first sentence of
// the prose gives the region ("Midtjylland, also known as Central Denmark
// Region is ...", "The Free State of Thuringia is ...").
func (p *Profile) regionNames() []string {
	names := []string{p.Name}
	if len(p.Description) == 0 {
		return names
	}
	subject, _, ok := strings.Cut(p.Description[0].Text, " is ")
	if !ok || len(strings.Fields(subject)) > 10 {
		return names
	}
	parts := alsoKnownRE.Split(subject, -1)
	if len(parts) == 1 && !strings.Contains(subject, p.Name) {
		return names
	}
	for _, n := range parts {
		n = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(n), "The "))
		if n != "" && !contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (m *mapper) regionQuads() {
	p, b, r := m.p, m.b, m.region
	names := p.regionNames()
	b.entity(r, ontology.Region, names[0])
	for _, n := range names[1:] {
		b.add(r, rdfsLabelIRI, en(n))
	}
	b.add(r, ontology.NutsCode, quad.String(p.NUTS))
	// The NUTS code has two letters for the country and one character per
	// level below it.
	b.add(r, ontology.NutsLevel, typed(fmt.Sprint(len(p.NUTS)-2), xsdInteger))
	if len(p.Description) > 0 {
		var texts []string
		for _, d := range p.Description {
			texts = append(texts, d.Text)
		}
		b.add(r, dctDescription, en(strings.Join(texts, " ")))
	}
	if p.Website != nil {
		a := m.answer(p.Website.Label, p.Website.Value, Other)
		if e, ok := listEntity(p.Website.Value, ""); ok && p.Website.Value != "" {
			m.declare(e.entity, e.written)
			b.add(a, ontology.About, e.iri())
		}
		b.note(a, "The field is a link in the original page; the text keeps only its link text, not the address.")
	}
}

// declare describes an entity once: type, label, acronym, and the names the
// profile writes it by as skos:altLabel.
func (m *mapper) declare(e entity, written ...string) quad.IRI {
	if m.declared == nil {
		m.declared = map[quad.IRI]bool{}
	}
	iri := e.iri()
	if !m.declared[iri] {
		m.declared[iri] = true
		m.b.entity(iri, e.class, e.name)
		if e.acronym != "" && e.acronym != e.name {
			m.b.add(iri, ontology.Acronym, quad.String(e.acronym))
		}
	}
	for _, w := range written {
		if w != "" && w != e.name {
			m.b.add(iri, skosAltLabel, en(w))
		}
	}
	return iri
}

// number reads an indicator value as written: thousands separators in
// counts ("2,143,145"), a decimal comma in percentages ("19,01%").
var (
	thousandsRE = regexp.MustCompile(`^\d{1,3}([,.]\d{3})+$`)
	integerRE   = regexp.MustCompile(`^\d+$`)
	decimalRE   = regexp.MustCompile(`^\d+[,.]\d+$`)
)

func number(value string, count bool) (lexical string, datatype quad.IRI, ok bool) {
	v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "%"))
	switch {
	case integerRE.MatchString(v):
		return strings.TrimLeft(v, "0") + map[bool]string{true: "0"}[strings.TrimLeft(v, "0") == ""], xsdInteger, true
	case count && thousandsRE.MatchString(v):
		return strings.NewReplacer(",", "", ".", "").Replace(v), xsdInteger, true
	case decimalRE.MatchString(v):
		return strings.Replace(v, ",", ".", 1), xsdDecimal, true
	}
	return "", "", false
}

// performanceConcept maps an innovation performance group as written
// ("Leader –", "Strong") to its concept: a trailing minus or plus is a
// subgroup.
func performanceConcept(value string) (quad.IRI, bool) {
	v := strings.TrimSpace(value)
	suffix := ""
	for _, d := range []string{"-", "–", "—"} {
		if strings.HasSuffix(v, d) {
			v, suffix = strings.TrimSpace(strings.TrimSuffix(v, d)), " minus"
		}
	}
	if strings.HasSuffix(v, "+") {
		v, suffix = strings.TrimSpace(strings.TrimSuffix(v, "+")), " plus"
	}
	c := ontology.Concept("innovation-performance", v+suffix)
	for _, t := range ontology.Terms() {
		if t.IRI == c {
			return c, true
		}
	}
	return c, false
}

func (m *mapper) indicators() {
	p, b := m.p, m.b
	type key struct {
		kind IndicatorKind
		year string
	}
	groups := map[key][]Indicator{}
	var order []key
	for _, ind := range p.Indicators {
		k := key{ind.Kind, ind.Year}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], ind)
	}
	for _, k := range order {
		inds := groups[k]
		for i, ind := range inds {
			id := m.code + "-" + string(k.kind)
			if k.year != "" {
				id += "-" + k.year
			}
			if i > 0 && !m.sameValue(inds[0], ind) {
				id += fmt.Sprintf("-line-%d", ind.Line)
			}
			obs := quad.IRI(observationBase + id)
			m.observation(obs, ind)
			if len(inds) > 1 {
				var lines []string
				for _, o := range inds {
					lines = append(lines, fmt.Sprintf("line %d %q", o.Line, o.Text))
				}
				b.note(obs, "The profile states this indicator %d times: %s.", len(inds), strings.Join(lines, "; "))
			}
		}
	}
	m.proseFigures()
}

func (m *mapper) sameValue(a, b Indicator) bool {
	if a.Kind == InnovationPerformance {
		ca, _ := performanceConcept(a.Value)
		cb, _ := performanceConcept(b.Value)
		return ca == cb
	}
	la, ta, oka := number(a.Value, a.Unit != "percent")
	lb, tb, okb := number(b.Value, b.Unit != "percent")
	return oka && okb && la == lb && ta == tb
}

func (m *mapper) observation(obs quad.IRI, ind Indicator) {
	b := m.b
	class := ontology.IndicatorObservation
	if ind.Kind != InnovationPerformance {
		class = ontology.PopulationObservation
	}
	b.entity(obs, class, ind.Text)
	b.add(m.region, ontology.HasObservation, obs)
	b.add(obs, ontology.RefArea, m.region)
	b.add(obs, ontology.IndicatorProp, quad.IRI(ontology.IDBase+"indicator/"+string(ind.Kind)))
	if ind.Year != "" {
		b.add(obs, ontology.Year, typed(ind.Year, xsdGYear))
	} else {
		b.note(obs, "The profile gives no year for this figure.")
	}
	if ind.Kind == InnovationPerformance {
		c, known := performanceConcept(ind.Value)
		b.add(obs, ontology.ValueConcept, c)
		b.add(m.region, ontology.InnovationPerformanceGroup, c)
		if !known {
			b.entity(c, skosConcept, ind.Value)
			b.add(c, skosInScheme, ontology.ConceptInnovationPerformance)
		}
		return
	}
	b.add(obs, ontology.Unit, quad.String(ind.Unit))
	lex, dt, ok := number(ind.Value, ind.Unit != "percent")
	if !ok {
		b.note(obs, "The value %q could not be read as a number, so no ig:value is recorded.", ind.Value)
		return
	}
	b.add(obs, ontology.Value, typed(lex, dt))
}

func (m *mapper) proseFigures() {
	p, b := m.p, m.b
	var table []string
	for _, ind := range p.Indicators {
		if ind.Kind == TotalPopulation {
			s := ind.Value
			if ind.Year != "" {
				s += " (" + ind.Year + ")"
			}
			table = append(table, s)
		}
	}
	for _, f := range p.Figures {
		obs := quad.IRI(observationBase + m.code + "-total-population-text-" + ontology.Slug(f.Figure))
		b.entity(obs, ontology.PopulationObservation, fmt.Sprintf("%s total population in the profile's text: %q", p.NUTS, f.Text))
		b.add(m.region, ontology.HasObservation, obs)
		b.add(obs, ontology.RefArea, m.region)
		b.add(obs, ontology.IndicatorProp, ontology.IndicatorTotalPopulation)
		b.add(obs, ontology.Value, typed(f.Persons, xsdInteger))
		b.add(obs, ontology.Unit, quad.String("persons"))
		if f.Year != "" {
			b.add(obs, ontology.Year, typed(f.Year, xsdGYear))
		}
		msg := fmt.Sprintf("Line %d of the profile's text says %q, a rounded figure (%s persons)", f.Line, f.Text, f.Persons)
		if f.Year == "" {
			msg += " without a year"
		}
		if len(table) > 0 {
			msg += fmt.Sprintf("; its indicator table gives a total population of %s. Both figures are recorded as stated; neither is preferred", strings.Join(table, ", "))
		}
		b.note(obs, "%s.", msg)
		b.note(m.region, "%s.", msg)
	}
}

var statusConcepts = map[string]quad.IRI{
	"member":                 ontology.ConceptMembershipStatusMember,
	"non-member":             ontology.ConceptMembershipStatusNonMember,
	"observer":               ontology.ConceptMembershipStatusObserver,
	"country-level-member":   ontology.ConceptMembershipStatusCountryLevelMember,
	"country-level-observer": ontology.ConceptMembershipStatusCountryLevelObserver,
	"partner":                ontology.ConceptMembershipStatusPartner,
}

// answer describes one template answer and returns its IRI.
func (m *mapper) answer(question, text string, reply Reply) quad.IRI {
	return m.answerKey(question, question, text, reply)
}

// answerKey is answer with the IRI made from key rather than from the
// whole question.
func (m *mapper) answerKey(key, question, text string, reply Reply) quad.IRI {
	if m.answered == nil {
		m.answered = map[quad.IRI]int{}
	}
	iri := quad.IRI(answerBase + m.code + "-" + ontology.Slug(key))
	if n := m.answered[iri]; n > 0 {
		m.answered[iri]++
		iri = quad.IRI(fmt.Sprintf("%s-%d", iri, n+1))
	} else {
		m.answered[iri] = 1
	}
	b := m.b
	shown := text
	if reply == Unanswered {
		shown = "(unanswered)"
	}
	b.entity(iri, ontology.ProfileAnswer, fmt.Sprintf("%s: %s? %s", m.p.NUTS, question, shown))
	b.add(iri, ontology.AnswerFor, m.region)
	b.add(iri, ontology.Question, en(question+"?"))
	switch reply {
	case Unanswered:
		b.note(iri, "The profile leaves this question unanswered; no yes or no is recorded.")
	case Yes, No:
		b.add(iri, ontology.AnswerBoolean, typed(fmt.Sprint(reply == Yes), xsdBoolean))
	}
	if text != "" {
		b.add(iri, ontology.AnswerText, en(text))
	}
	return iri
}

func (m *mapper) answers() {
	p, b := m.p, m.b
	if c := p.Collaboration; c != nil {
		a := m.answerKey("collaboration opportunities", c.Question, c.Text, c.Reply)
		for _, topic := range collaborationFields(c.Detail) {
			concept := m.concept("collaboration-interest", "Fields in which regions look for collaboration", topic, "")
			b.add(m.region, ontology.CollaborationInterest, concept)
			b.add(a, ontology.About, concept)
		}
	}
	for _, ans := range p.Memberships {
		a := m.answer(ans.Question, ans.Text, ans.Reply)
		if ans.NoMark {
			b.note(a, "The profile writes this question without its question mark.")
		}
		status, hasStatus := m.status(ans)
		if hasStatus {
			b.add(a, ontology.MembershipStatus, status)
		}
		e, ok := questionEntity(ans.Question)
		if !ok {
			continue
		}
		iri := m.declare(e, e.namesIn(ans.Question)...)
		b.add(a, ontology.About, iri)
		if ans.Reply == No {
			if m.declined == nil {
				m.declined = map[quad.IRI]declinedAnswer{}
			}
			m.declined[iri] = declinedAnswer{a, ans.Line}
		}
		switch status {
		case ontology.ConceptMembershipStatusMember:
			b.add(m.region, ontology.MemberOf, iri)
		case ontology.ConceptMembershipStatusCountryLevelMember, ontology.ConceptMembershipStatusCountryLevelObserver, ontology.ConceptMembershipStatusObserver, ontology.ConceptMembershipStatusPartner:
			ms := quad.IRI(membershipBase + m.code + "-" + ontology.Slug(e.name))
			b.entity(ms, ontology.Membership, fmt.Sprintf("%s in %s: %s", p.NUTS, e.name, ans.Text))
			b.add(ms, ontology.Member, m.region)
			b.add(ms, ontology.OrganisationProp, iri)
			b.add(ms, ontology.MembershipStatus, status)
			if status == ontology.ConceptMembershipStatusCountryLevelMember {
				b.add(m.region, ontology.MemberOf, iri)
				b.note(ms, "The profile answers %q: the region belongs through its country's membership, which the profile does not describe further.", ans.Text)
			} else if status != ontology.ConceptMembershipStatusPartner {
				b.note(ms, "The profile answers %q: an observer status held at country level, not a membership, so no ig:memberOf is recorded.", ans.Text)
			}
		}
	}
}

// status is the membership status an answer gives: yes is member, no
// non-member, and words that name a status ("country level observer") that
// status. Other words and blank answers give none.
func (m *mapper) status(a Answer) (quad.IRI, bool) {
	switch a.Reply {
	case Yes:
		return ontology.ConceptMembershipStatusMember, true
	case No:
		return ontology.ConceptMembershipStatusNonMember, true
	case Other:
		c, ok := statusConcepts[ontology.Slug(a.Text)]
		return c, ok
	}
	return "", false
}

var fieldsRE = regexp.MustCompile(`(?i)^(?:especially )?in the fields? of (.+)$`)

// collaborationFields splits "especially in the field of a, b, c" into its
// fields.
func collaborationFields(detail string) []string {
	mm := fieldsRE.FindStringSubmatch(strings.TrimSpace(detail))
	if mm == nil {
		return nil
	}
	var out []string
	for _, f := range strings.Split(mm[1], ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// concept describes a concept of a scheme the profiles introduce (topics,
// collaboration fields, NACE, NABS, policy objectives) and its scheme.
func (m *mapper) concept(scheme, schemeLabel, label, code string) quad.IRI {
	key := code
	if key == "" {
		key = label
	}
	c := ontology.Concept(scheme, key)
	s := quad.IRI(ontology.IDBase + "concept/" + scheme)
	m.b.entity(s, skosScheme, schemeLabel)
	m.b.entity(c, skosConcept, label)
	m.b.add(c, skosInScheme, s)
	if code != "" {
		m.b.add(c, skosNotation, quad.String(code))
	}
	return c
}

var (
	levelRE  = regexp.MustCompile(`^(Regional|National|European|International) ?: ?(.+)$`)
	periodRE = regexp.MustCompile(`\b(\d{4}) ?[-–] ?(\d{4})$`)
)

var schemeLabels = map[string]string{
	"nace":             "NACE economic activities",
	"nabs":             "NABS socio-economic objectives",
	"policy-objective": "Smart specialisation policy objectives",
}

func (m *mapper) policies() {
	p, b := m.p, m.b
	for _, it := range p.PolicyDocuments {
		title, level := it.Text, ""
		if mm := levelRE.FindStringSubmatch(title); mm != nil {
			level, title = mm[1], mm[2]
		}
		class := ontology.PolicyDocument
		low := strings.ToLower(title)
		switch {
		case strings.Contains(low, "ris3") || strings.Contains(low, "smart specialisation"):
			class = ontology.SmartSpecialisationStrategy
		case strings.Contains(low, "strateg"):
			class = ontology.Strategy
		}
		s := ontology.Mint(ontology.KindStrategy, title)
		if s == "" {
			continue
		}
		b.entity(s, class, title)
		b.add(s, ontology.RegionProp, m.region)
		if pm := periodRE.FindStringSubmatch(title); pm != nil {
			b.add(s, ontology.StartYear, typed(pm[1], xsdGYear))
			b.add(s, ontology.EndYear, typed(pm[2], xsdGYear))
		}
		if level == "" {
			first, _, _ := strings.Cut(title, " ")
			if l := strings.ToLower(first); l == "national" || l == "regional" || l == "european" {
				level = first
			}
		}
		if c := map[string]quad.IRI{"regional": ontology.ConceptPolicyLevelRegional, "national": ontology.ConceptPolicyLevelNational, "european": ontology.ConceptPolicyLevelEuropean}[strings.ToLower(level)]; c != "" {
			b.add(s, ontology.PolicyLevel, c)
		}
		b.note(s, "Listed under \"Policy documents\" in the %s profile (line %d: %q).", p.NUTS, it.Line, it.Text)
	}
	if t := p.PolicyTopics; t != nil {
		a := m.answer(t.Label, t.Value, Other)
		topics := strings.Split(t.Value, ";")
		for _, x := range t.Extra {
			topics = append(topics, x.Text)
			b.note(a, "Line %d, %q, stands on its own line after the topics and is read as a further topic.", x.Line, x.Text)
		}
		for _, topic := range topics {
			if topic = strings.TrimSpace(topic); topic == "" {
				continue
			}
			c := m.concept("pm-policy-topic", "Topics covered by personalised-medicine policies", topic, "")
			b.add(a, ontology.About, c)
			b.add(m.region, ontology.Topic, c)
		}
	}
	for _, d := range p.Databases {
		a := m.answerKey("databases and standards", d.Label, d.Value, Other)
		if e, ok := listEntity(d.Value, ""); ok && d.Value != "" {
			iri := m.declare(e.entity, e.written)
			b.add(a, ontology.About, iri)
			b.add(iri, ontology.RegionProp, m.region)
		}
		for _, x := range d.Extra {
			b.note(a, "Line %d follows this field: %q.", x.Line, x.Text)
		}
	}
	for _, c := range p.Classifications {
		iri := m.concept(c.Scheme, schemeLabels[c.Scheme], c.Label, c.Code)
		prop := map[string]quad.IRI{"nace": ontology.NaceActivity, "nabs": ontology.NabsDomain, "policy-objective": ontology.PolicyObjective}[c.Scheme]
		b.add(m.region, prop, iri)
	}
	for _, a := range p.PolicyAnswers {
		m.answer(a.Question, a.Text, a.Reply)
	}
}

func (m *mapper) initiatives() {
	p, b := m.p, m.b
	for _, it := range p.Initiatives {
		e, ok := listEntity(it.Text, it.Detail)
		if !ok {
			continue
		}
		iri := m.declare(e.entity, e.written)
		b.add(m.region, ontology.MajorInitiative, iri)
		m.itemNotes(iri, "major initiatives", it, e)
		if d, ok := m.declined[iri]; ok {
			msg := fmt.Sprintf("The %s profile lists %s among its major initiatives (line %d) and answers \"no\" to the membership question on it (line %d); the two statements disagree and both are recorded", p.NUTS, e.written, it.Line, d.line)
			b.note(d.iri, "%s.", msg)
			b.note(m.region, "%s.", msg)
		}
	}
	if q := p.RepresentedQuestion; q != nil && len(p.Represented) > 0 {
		question := strings.TrimSuffix(q.Label, "?")
		var texts []string
		for _, it := range p.Represented {
			texts = append(texts, it.Text)
		}
		a := m.answerKey("represented in", question, strings.Join(texts, "; "), Other)
		for _, it := range p.Represented {
			for _, e := range representedEntities(it) {
				iri := m.declare(e.entity, e.written)
				b.add(a, ontology.About, iri)
				prop := ontology.RepresentedIn
				if strings.Contains(strings.ToLower(it.Text), "partner of") {
					prop = ontology.PartnerOf
				}
				b.add(m.region, prop, iri)
				m.itemNotes(iri, "programmes the region is represented in", it, e)
			}
		}
	}
}

// representedEntities resolves an entry of "Region represented in": a known
// programme, a quoted name, or names joined by "/" ("EUREKA/Eurostars/COSME").
func representedEntities(it Item) []listedEntity {
	if e, ok := listEntity(it.Text, it.Detail); ok && (e.iri() != ontology.Mint(ontology.KindInitiative, it.Text) || !strings.Contains(it.Text, "/")) {
		return []listedEntity{e}
	}
	var out []listedEntity
	for _, part := range strings.Split(it.Text, "/") {
		if e, ok := listEntity(part, ""); ok {
			out = append(out, e)
		}
	}
	return out
}

func (m *mapper) itemNotes(iri quad.IRI, list string, it Item, e listedEntity) {
	b := m.b
	if !e.exact {
		b.note(iri, "The %s profile (line %d) writes %q, read as %s.", m.p.NUTS, it.Line, e.written, e.name)
	}
	if it.Detail != "" {
		b.note(iri, "The %s profile lists it among its %s followed by the words %q (line %d).", m.p.NUTS, list, it.Detail, it.Line)
	}
	if strings.HasSuffix(strings.TrimSpace(it.Text), ":") {
		b.note(iri, "The %s profile's entry (line %d) ends with a colon and names nothing after it.", m.p.NUTS, it.Line)
	}
}

// ratingValues are the skos:notation values of the ontology's rating levels.
var ratingValues = map[string]string{"very-low": "1", "low": "2", "medium": "3", "high": "4", "very-high": "5"}

func (m *mapper) ratings() {
	p, b := m.p, m.b
	topics := map[string]quad.IRI{}
	prefix := ontology.IDBase + "concept/self-evaluation/"
	for _, t := range ontology.Terms() {
		if strings.HasPrefix(string(t.IRI), prefix) {
			topics[normal(t.Label)] = t.IRI
		}
	}
	for _, r := range p.Ratings {
		topic, known := topics[normal(r.Topic)]
		if !known {
			topic = ontology.Concept("self-evaluation", r.Topic)
			b.entity(topic, skosConcept, r.Topic)
			b.add(topic, skosInScheme, ontology.ConceptSelfEvaluation)
		}
		code := strings.TrimPrefix(string(topic), prefix)
		iri := ontology.Mint(ontology.KindRating, p.NUTS+"-"+code)
		level := ontology.Slug(r.Level)
		b.entity(iri, ontology.SelfEvaluationRating, fmt.Sprintf("%s self-evaluation: %s - %s", p.NUTS, r.Topic, r.Level))
		b.add(iri, ontology.RatedRegion, m.region)
		b.add(iri, ontology.RatingTopic, topic)
		b.add(iri, ontology.RatingLevel, ontology.Concept("rating-level", level))
		b.add(iri, ontology.RatingValue, typed(ratingValues[level], xsdInteger))
		b.add(iri, ontology.RatingScale, ontology.ConceptRatingLevel)
	}
}

func normal(s string) string { return strings.ToLower(clean(s)) }

func (m *mapper) footer() {
	f, b := m.p.Footer, m.b
	if f.GrantNumber == "" || f.Programme == "" {
		return
	}
	name := f.Programme + " grant agreement " + f.GrantNumber
	award := ontology.Mint(ontology.KindFunding, name)
	project := ontology.Mint(ontology.KindProject, name)
	b.entity(award, ontology.FundingAward, f.Programme+" grant agreement No "+f.GrantNumber)
	b.add(award, ontology.GrantNumber, quad.String(f.GrantNumber))
	b.add(award, ontology.FundingType, ontology.ConceptFundingTypeGrant)
	b.add(award, ontology.FundedItem, project)
	b.entity(project, ontology.Project, "Project under "+f.Programme+" grant agreement No "+f.GrantNumber)
	b.note(project, "The profile does not name the project; its footer says the project received funding under this grant agreement and who co-ordinates it.")
	if pe, _, ok := resolveKnown(f.Programme); ok {
		b.add(award, ontology.FundingProgrammeProp, m.declare(pe, f.Programme))
	}
	if f.Funder != "" {
		fe, _, ok := resolveKnown(f.Funder)
		if !ok {
			fe = entity{kind: ontology.KindOrg, class: ontology.Organisation, name: f.Funder}
		}
		funder := m.declare(fe, f.Funder)
		b.add(funder, rdfTypeIRI, ontology.Funder)
		b.add(award, ontology.FunderProp, funder)
		b.add(project, ontology.FundedBy, funder)
	}
	if f.Coordinator != "" {
		unit := m.declare(entity{kind: ontology.KindOrg, class: ontology.OrganisationalUnit, name: f.Coordinator, acronym: f.CoordinatorAcronym})
		b.add(project, ontology.Coordinator, unit)
		if f.CoordinatorParent != "" {
			parent := m.declare(entity{kind: ontology.KindOrg, class: ontology.PublicAuthority, name: f.CoordinatorParent})
			b.add(unit, ontology.UnitOf, parent)
		}
	}
}

// sortQuads orders quads by subject, predicate and object in N-Quads form.
func sortQuads(qs []quad.Quad) {
	sort.Slice(qs, func(i, j int) bool { return qs[i].String() < qs[j].String() })
}
