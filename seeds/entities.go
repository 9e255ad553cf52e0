package seeds

import (
	"regexp"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/ontology"
)

// entity is a network, initiative, programme or organisation a profile
// names. Name gives the IRI by the shared slug rule (ontology.Mint); the
// names the template writes it by are aliases, so that every profile of the
// series links the same IRI.
type entity struct {
	kind    ontology.Kind
	class   quad.IRI
	name    string // canonical English name, the slug source and rdfs:label
	acronym string
	aliases []string
}

func (e entity) iri() quad.IRI { return ontology.Mint(e.kind, e.name) }

// namesIn returns the entity's aliases that text contains, without a
// trailing "(ACRONYM)": the names a question writes the entity by.
func (e entity) namesIn(text string) []string {
	var out []string
	low := strings.ToLower(text)
	for _, a := range e.aliases {
		if m := acronymRE.FindStringSubmatch(a); m != nil {
			a = m[1]
		}
		if strings.Contains(low, strings.ToLower(a)) && !contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// Entities the template itself names (membership questions and the options
// of "Is the region represented in") and the programmes profiles answer
// with. Their classes are what the names say (a "MacroRegion" is an
// ig:MacroRegion, a "Network" an ig:MembershipNetwork); anything else stays
// an ig:Initiative.
var templateEntities = []entity{
	{ontology.KindInitiative, ontology.Initiative, "ICPerMed", "ICPerMed", nil},
	{ontology.KindOrg, ontology.MembershipNetwork, "EUREGHA", "EUREGHA", []string{"Euregha"}},
	{ontology.KindInitiative, ontology.MacroRegion, "Adriatic-Ionian macro-region", "", []string{"Adriatic-Ionian MacroRegion"}},
	{ontology.KindInitiative, ontology.Initiative, "InnoStars", "", nil},
	{ontology.KindInitiative, ontology.Initiative, "Northern Sparsely Populated Area", "NSPA", []string{"Northern Sparsely Populated Area (NSPA)"}},
	{ontology.KindInitiative, ontology.MacroRegion, "Baltic Sea macro-region", "", []string{"Baltic Sea MacroRegion"}},
	{ontology.KindInitiative, ontology.Initiative, "S3MedTech", "", nil},
	{ontology.KindInitiative, ontology.MacroRegion, "Danube macro-region", "", []string{"Danube MacroRegion"}},
	{ontology.KindInitiative, ontology.Initiative, "S3P4PM", "", nil},
	{ontology.KindInitiative, ontology.MacroRegion, "Alpine macro-region", "", []string{"Alpine MacroRegion"}},
	{ontology.KindInitiative, ontology.Initiative, "Regions4PM", "", nil},
	{ontology.KindInitiative, ontology.Initiative, "ERAPerMed", "", nil},
	{ontology.KindInitiative, ontology.Initiative, "Central Europe", "", nil},
	{ontology.KindInitiative, ontology.Initiative, "MedTech4Europe", "", nil},
	{ontology.KindOrg, ontology.MembershipNetwork, "Council of European BioRegions", "CEBR", []string{"Council of European BioRegions (CEBR)"}},
	{ontology.KindInitiative, ontology.Initiative, "1+ Million Genomes", "", []string{"1M+Genome initiative", "1+ Million Genomes initiative"}},
	{ontology.KindOrg, ontology.MembershipNetwork, "ERRIN", "ERRIN", []string{"European Regions Research & Innovation Network (ERRIN)", "European Regions Research & Innovation Network"}},
	{ontology.KindInitiative, ontology.Initiative, "Vanguard Initiative", "", nil},
	{ontology.KindInitiative, ontology.Initiative, "S3ClusSport", "", nil},
	{ontology.KindInitiative, ontology.FundingProgramme, "Horizon 2020", "", []string{"Horizon2020", "H2020"}},
	{ontology.KindInitiative, ontology.Initiative, "S3 platforms", "", []string{"Regional Smart Specialisation Strategy Platforms/Partnerships (RIS3)", "Regional Smart Specialisation Strategy Platforms/Partnerships"}},
	{ontology.KindOrg, ontology.Organisation, "EIT Health", "", nil},
	{ontology.KindInitiative, ontology.Initiative, "Regional Innovation Scheme", "RIS", []string{"Regional Innovation Scheme (RIS)"}},
	{ontology.KindOrg, ontology.Network, "EUREKA", "", nil},
	{ontology.KindInitiative, ontology.FundingProgramme, "Eurostars", "", nil},
	{ontology.KindInitiative, ontology.FundingProgramme, "COSME", "", nil},
	{ontology.KindInitiative, ontology.Initiative, "Digital Innovation Hubs", "", nil},
	{ontology.KindOrg, ontology.Organisation, "European Union", "EU", nil},
}

// membershipQuestion is one question of the "Membership status" section:
// the ways it is written and the entity it asks about ("" for questions
// that name none: "Mountain", "PM region according EC").
type membershipQuestion struct {
	labels []string
	entity string
}

var membershipQuestions = []membershipQuestion{
	{[]string{"Member ICPerMed"}, "ICPerMed"},
	{[]string{"Mountain"}, ""},
	{[]string{"Member Euregha"}, "EUREGHA"},
	{[]string{"Adriatic-Ionian MacroRegion"}, "Adriatic-Ionian macro-region"},
	{[]string{"InnoStars Region"}, "InnoStars"},
	{[]string{"Northern Sparsely Populated Area (NSPA)"}, "Northern Sparsely Populated Area"},
	{[]string{"PM region according EC"}, ""},
	{[]string{"Baltic Sea MacroRegion"}, "Baltic Sea macro-region"},
	{[]string{"S3MedTech region"}, "S3MedTech"},
	{[]string{"Danube MacroRegion"}, "Danube macro-region"},
	{[]string{"S3P4PM region"}, "S3P4PM"},
	{[]string{"Alpine MacroRegion"}, "Alpine macro-region"},
	{[]string{"Regions4PM region"}, "Regions4PM"},
	{[]string{"ERAPerMed"}, "ERAPerMed"},
	{[]string{"Central Europe"}, "Central Europe"},
	{[]string{"MedTech4Europe"}, "MedTech4Europe"},
	{[]string{"Council of European BioRegions (CEBR)"}, "Council of European BioRegions"},
	{[]string{"1M+Genome initiative"}, "1+ Million Genomes"},
	{[]string{"European Regions Research & Innovation Network (ERRIN)"}, "ERRIN"},
	{[]string{"Vanguard Initiative"}, "Vanguard Initiative"},
	{[]string{"S3ClusSport member"}, "S3ClusSport"},
}

// questionEntity returns the entity a membership question asks about: the
// template's entity for a known question, else a known entity the question
// names, else none.
func questionEntity(question string) (entity, bool) {
	for _, q := range membershipQuestions {
		for _, l := range q.labels {
			if strings.EqualFold(l, question) {
				if q.entity == "" {
					return entity{}, false
				}
				return knownEntity(q.entity)
			}
		}
	}
	e, _, ok := resolveKnown(strings.TrimPrefix(question, "Member "))
	return e, ok
}

func knownEntity(name string) (entity, bool) {
	for _, e := range templateEntities {
		if e.name == name {
			return e, true
		}
	}
	return entity{}, false
}

// resolveKnown finds the known entity text names: the same slug as its name
// or an alias, or (for names of eight letters or more) a slug one edit away,
// which catches misspellings like "Medtch4Europe". exact is false for the
// latter.
func resolveKnown(text string) (e entity, exact, ok bool) {
	slug := ontology.Slug(text)
	if slug == "" {
		return entity{}, false, false
	}
	for _, e := range templateEntities {
		for _, n := range append([]string{e.name}, e.aliases...) {
			if ontology.Slug(n) == slug {
				return e, true, true
			}
		}
	}
	if len(slug) >= 8 {
		for _, e := range templateEntities {
			for _, n := range append([]string{e.name}, e.aliases...) {
				if editDistance(ontology.Slug(n), slug) == 1 {
					return e, false, true
				}
			}
		}
	}
	return entity{}, false, false
}

var (
	acronymRE = regexp.MustCompile(`^(.*\S) \(([A-Za-z][A-Za-z0-9]{1,9})\)$`)
	quotedRE  = regexp.MustCompile(`["“”„]([^"“”„]+)["“”„]`)
)

// listedEntity is the entity a list item (major initiative, represented-in
// entry) names, with the name as the item writes it.
type listedEntity struct {
	entity
	written string // the name as written
	rest    string // words after the name that qualify it ("public private partnership")
	exact   bool   // false when the name was read as a known entity with another spelling
}

// orgWords and the like decide the class of an entity the template does not
// know, by the words of its name; without such a word it is an initiative.
var classWords = []struct {
	words []string
	kind  ontology.Kind
	class quad.IRI
}{
	{[]string{"partnership"}, ontology.KindInitiative, ontology.Partnership},
	{[]string{"klinik", "hospital", "clinic", "krankenhaus"}, ontology.KindOrg, ontology.Hospital},
	{[]string{"biobank", "database"}, ontology.KindOrg, ontology.ResearchInfrastructure},
	{[]string{"institut", "zentrum", "centre", "center", "forschung", "research", "campus"}, ontology.KindOrg, ontology.ResearchOrganisation},
	{[]string{"university", "universität", "universitet"}, ontology.KindOrg, ontology.University},
	{[]string{"e.v.", "gmbh", "association", "cluster", "management"}, ontology.KindOrg, ontology.Organisation},
	{[]string{"s3 platform"}, ontology.KindInitiative, ontology.S3Platform},
}

// listEntity resolves the entity a list item names; rest holds the words
// that qualify the item.
func listEntity(name, rest string) (listedEntity, bool) {
	name = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), ":"))
	if m := quotedRE.FindStringSubmatch(name); m != nil {
		// 'Using the S3 platform "European Photonic Alliance"'
		le := listedEntity{written: m[1], rest: name, exact: true}
		le.entity = entity{kind: ontology.KindInitiative, class: ontology.Initiative, name: m[1]}
		if e, exact, ok := resolveKnown(m[1]); ok {
			le.entity, le.exact = e, exact
		} else if strings.Contains(strings.ToLower(name), "s3 platform") {
			le.class = ontology.S3Platform
		}
		return le, le.iri() != ""
	}
	if e, exact, ok := resolveKnown(name); ok {
		return listedEntity{entity: e, written: name, rest: rest, exact: exact}, true
	}
	le := listedEntity{written: name, rest: rest, exact: true}
	le.entity = entity{kind: ontology.KindInitiative, class: ontology.Initiative, name: name}
	if m := acronymRE.FindStringSubmatch(name); m != nil {
		le.name, le.acronym = m[1], m[2]
	}
	low := strings.ToLower(name + " " + rest)
	for _, cw := range classWords {
		for _, w := range cw.words {
			if strings.Contains(low, w) {
				le.kind, le.class = cw.kind, cw.class
				return le, le.iri() != ""
			}
		}
	}
	return le, le.iri() != ""
}
