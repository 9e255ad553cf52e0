package gen_test

import (
	"errors"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/gen"
	"github.com/innograph/innograph/ontology"
)

// collect gathers written quads.
type collect struct {
	quads []quad.Quad
	fail  int // fail after this many quads when > 0
}

func (c *collect) WriteQuad(q quad.Quad) error {
	if c.fail > 0 && len(c.quads) == c.fail {
		return errors.New("disk full")
	}
	c.quads = append(c.quads, q)
	return nil
}

func (c *collect) WriteQuads(qs []quad.Quad) (int, error) {
	for i, q := range qs {
		if err := c.WriteQuad(q); err != nil {
			return i, err
		}
	}
	return len(qs), nil
}

func generate(t *testing.T, cfg gen.Config) []quad.Quad {
	t.Helper()
	var c collect
	if err := gen.Generate(&c, cfg); err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return c.quads
}

func TestGenerateSize(t *testing.T) {
	for _, regions := range []int{1, 3, 10} {
		qs := generate(t, gen.Config{Regions: regions, Seed: 1})
		distinct := map[quad.Quad]bool{}
		for _, q := range qs {
			if !q.IsValid() {
				t.Fatalf("invalid quad %v", q)
			}
			distinct[q] = true
		}
		per := len(distinct) / regions
		if per < gen.QuadsPerRegion*9/10 || per > gen.QuadsPerRegion*11/10 {
			t.Errorf("Generate(%d regions) = %d distinct quads per region, want about %d", regions, per, gen.QuadsPerRegion)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := generate(t, gen.Config{Regions: 3, Seed: 7})
	b := generate(t, gen.Config{Regions: 3, Seed: 7})
	c := generate(t, gen.Config{Regions: 3, Seed: 8})
	if len(a) != len(b) {
		t.Fatalf("same seed: %d and %d quads", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed differs at quad %d: %v vs %v", i, a[i], b[i])
		}
	}
	differs := len(a) != len(c)
	for i := 0; !differs && i < len(a); i++ {
		differs = a[i] != c[i]
	}
	if !differs {
		t.Errorf("seeds 7 and 8 wrote the same ecosystem")
	}
}

func TestGenerateVocabulary(t *testing.T) {
	qs := generate(t, gen.Config{Regions: 2, Seed: 1})
	classes := map[quad.Value]int{}
	preds := map[quad.IRI]bool{}
	for _, q := range qs {
		if q.Predicate == quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type") {
			classes[q.Object]++
		}
		preds[q.Predicate.(quad.IRI)] = true
	}
	for _, tc := range []struct {
		class quad.IRI
		want  int
	}{
		{ontology.Region, 2}, {ontology.University, 6}, {ontology.BusinessCluster, 10},
		{ontology.InnovationNetwork, 4}, {ontology.Company, 220}, {ontology.Project, 56},
		{ontology.Funder, 4}, {ontology.FundingAward, 48}, {ontology.Strategy, 6},
	} {
		if classes[tc.class] != tc.want {
			t.Errorf("%s: %d instances, want %d", tc.class, classes[tc.class], tc.want)
		}
	}
	for _, p := range []quad.IRI{ontology.MemberOf, ontology.PartnerOf, ontology.FundedBy, ontology.LocatedIn} {
		if !preds[p] {
			t.Errorf("no %s quad", p)
		}
	}
	first := map[quad.Value]bool{}
	for _, q := range qs {
		first[q.Subject] = true
	}
	for _, iri := range []quad.IRI{gen.RegionIRI(1), gen.CompanyIRI(0, 0), gen.UniversityIRI(1, 2), gen.ClusterIRI(0, 4), gen.NetworkIRI(1, 1), gen.FunderIRI(0, 1)} {
		if !first[iri] {
			t.Errorf("%s has no quads", iri)
		}
	}
}

func TestGenerateWriteError(t *testing.T) {
	c := collect{fail: 10}
	if err := gen.Generate(&c, gen.Config{Regions: 2}); err == nil || len(c.quads) != 10 {
		t.Errorf("Generate with a failing writer = %v after %d quads, want the error after 10", err, len(c.quads))
	}
}
