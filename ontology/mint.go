package ontology

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// Kind is the first path segment of an entity IRI under IDBase: what sort of
// thing the entity is (id/region/dk04 has kind "region").
type Kind string

// The kinds of entity IRIs. Every organisation, whatever its class
// (university, cluster, ministry, regional authority, company, ...), has kind
// KindOrg, so that two sources naming the same actor mint the same IRI.
const (
	KindRegion     Kind = "region"     // territories by NUTS code: region/dk04, region/deg, region/dk
	KindOrg        Kind = "org"        // every organisation
	KindPerson     Kind = "person"     // people
	KindFunding    Kind = "funding"    // funding awards
	KindStrategy   Kind = "strategy"   // strategies and policy documents
	KindProject    Kind = "project"    // projects
	KindInitiative Kind = "initiative" // initiatives, macro-regions, platforms, programmes
	KindRating     Kind = "rating"     // self-evaluation ratings
	KindConcept    Kind = "concept"    // SKOS concepts: concept/<scheme>/<code>
	KindIndicator  Kind = "indicator"  // statistical indicators
	KindSource     Kind = "source"     // source documents and their named graphs
	KindPlace      Kind = "place"      // cities and other places that are not NUTS regions
)

// Kinds returns every Kind in a fixed order; a new slice on each call.
func Kinds() []Kind {
	return []Kind{KindRegion, KindOrg, KindPerson, KindFunding, KindStrategy, KindProject,
		KindInitiative, KindRating, KindConcept, KindIndicator, KindSource, KindPlace}
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds() {
		if k == v {
			return true
		}
	}
	return false
}

// prefix is the Turtle prefix name of the kind's IRI space. Organisations use
// "organisation" because "org" is the W3C Organization Ontology.
func (k Kind) prefix() string {
	if k == KindOrg {
		return "organisation"
	}
	return string(k)
}

// Slug turns a name into the path segment of an entity IRI: lower case,
// æ->ae, ø->oe, å->aa, ä->ae, ö->oe, ü->ue, ß->ss (and common accents dropped),
// every run of other characters a single '-', none at either end.
// "Aarhus Universitet" is "aarhus-universitet", "Thüringen" "thueringen",
// "C.20" "c-20". A name with no letters or digits gives "".
func Slug(name string) string {
	var b strings.Builder
	dash := false
	var f strings.Builder
	for _, r := range strings.ToLower(name) {
		f.Reset()
		// Letters of Latin-1 only (and not ð), folded as search folds
		// them with the German spellings: the IRIs minted so far.
		if r <= 0xFF && r != 'ð' {
			foldRune(&f, r, true)
		}
		s := f.String()
		if !slugPart(s) {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(s)
	}
	return b.String()
}

// slugPart reports whether s is a non-empty run of a-z and 0-9.
func slugPart(s string) bool {
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// Mint returns the IRI of the entity of the given kind and name:
// IDBase + kind + "/" + Slug(name), e.g. Mint(KindOrg, "Aarhus University")
// is https://w3id.org/innograph/id/org/aarhus-university and
// Mint(KindRegion, "DK04") is .../id/region/dk04. It returns "" when kind is
// not one of Kinds or the name has no letters or digits.
func Mint(kind Kind, name string) quad.IRI {
	slug := Slug(name)
	if !kind.Valid() || slug == "" {
		return ""
	}
	return quad.IRI(IDBase + string(kind) + "/" + slug)
}

// Concept returns the IRI of a concept: IDBase + "concept/" + Slug(scheme) +
// "/" + Slug(code), e.g. Concept("nace", "C.20") is .../id/concept/nace/c-20.
// It returns "" when either slug is empty.
func Concept(scheme, code string) quad.IRI {
	s, c := Slug(scheme), Slug(code)
	if s == "" || c == "" {
		return ""
	}
	return quad.IRI(IDBase + string(KindConcept) + "/" + s + "/" + c)
}

// Short returns the short form of an entity IRI, its path under IDBase
// ("region/dk04"), and true; or "", false when iri is not under IDBase or its
// path is not a short form (see Expand).
func Short(iri quad.IRI) (string, bool) {
	s, ok := strings.CutPrefix(string(iri), IDBase)
	if !ok || !validShort(s) {
		return "", false
	}
	return s, true
}

// Expand returns the entity IRI of a short form ("region/dk04" is
// https://w3id.org/innograph/id/region/dk04) and true; or "", false when
// short is not a short form: two or more '/'-separated segments, none empty,
// "." or "..", of the characters A-Z a-z 0-9 - . _ ~ only. The kind (first
// segment) need not be one of Kinds, so that IRIs minted by extensions
// resolve too.
func Expand(short string) (quad.IRI, bool) {
	if !validShort(short) {
		return "", false
	}
	return quad.IRI(IDBase + short), true
}

func validShort(s string) bool {
	segs := strings.Split(s, "/")
	if len(segs) < 2 {
		return false
	}
	for _, seg := range segs {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for _, r := range seg {
			ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
				r == '-' || r == '.' || r == '_' || r == '~'
			if !ok {
				return false
			}
		}
	}
	return true
}
