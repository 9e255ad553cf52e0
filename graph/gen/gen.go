package gen

import (
	"fmt"
	"math/rand/v2"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/ontology"
)

// Config sizes a synthetic ecosystem.
type Config struct {
	// Regions is the number of regions; each adds about QuadsPerRegion
	// quads.
	Regions int
	// Seed selects the ecosystem; the same seed writes the same quads.
	Seed uint64
}

// QuadsPerRegion is the approximate number of quads Generate writes per
// region, for sizing: Regions = wanted quads / QuadsPerRegion.
const QuadsPerRegion = 1300

// How many entities of each kind a region has.
const (
	universities = 3
	clusters     = 5
	networks     = 2
	companies    = 110
	projects     = 28
	funders      = 2
	fundings     = 24
	strategies   = 3
)

const (
	rdfType   = frontier.RDFType
	rdfsLabel = frontier.RDFSLabel
	xsd       = "http://www.w3.org/2001/XMLSchema#"
)

// RegionIRI is the IRI of region r (counted from 0): id/region/syn00001.
func RegionIRI(r int) quad.IRI { return quad.IRI(ontology.IDBase + "region/" + regionCode(r)) }

// CompanyIRI is the IRI of company i (counted from 0) of region r.
func CompanyIRI(r, i int) quad.IRI { return org(r, "company", i) }

// UniversityIRI is the IRI of university i of region r.
func UniversityIRI(r, i int) quad.IRI { return org(r, "university", i) }

// ClusterIRI is the IRI of business cluster i of region r.
func ClusterIRI(r, i int) quad.IRI { return org(r, "cluster", i) }

// NetworkIRI is the IRI of innovation network i of region r.
func NetworkIRI(r, i int) quad.IRI { return org(r, "network", i) }

// FunderIRI is the IRI of funder i of region r.
func FunderIRI(r, i int) quad.IRI { return org(r, "funder", i) }

func regionCode(r int) string { return fmt.Sprintf("syn%05d", r) }

func org(r int, kind string, i int) quad.IRI {
	return quad.IRI(fmt.Sprintf("%sorg/%s-%s-%d", ontology.IDBase, regionCode(r), kind, i+1))
}

func entity(kind string, r, i int) quad.IRI {
	return quad.IRI(fmt.Sprintf("%s%s/%s-%s-%d", ontology.IDBase, kind, regionCode(r), kind, i+1))
}

// Generate writes the ecosystem cfg describes to w, stopping at the first
// write error, which it returns wrapped.
func Generate(w quad.Writer, cfg Config) error {
	if cfg.Regions < 0 {
		return fmt.Errorf("generate: %d regions", cfg.Regions)
	}
	for r := 0; r < cfg.Regions; r++ {
		g := region{w: w, r: r, n: cfg.Regions, rng: rand.New(rand.NewPCG(cfg.Seed, uint64(r))),
			graph: quad.IRI(ontology.IDBase + "source/synthetic-" + regionCode(r))}
		g.write()
		if g.err != nil {
			return fmt.Errorf("generate region %d: %w", r, g.err)
		}
	}
	return nil
}

// region writes one region; the first write error sticks in err.
type region struct {
	w     quad.Writer
	r, n  int
	rng   *rand.Rand
	graph quad.IRI
	err   error
	bnode int
}

func (g *region) quad(s quad.Value, p quad.IRI, o quad.Value) {
	if g.err == nil {
		g.err = g.w.WriteQuad(quad.Quad{Subject: s, Predicate: p, Object: o, Label: g.graph})
	}
}

func (g *region) named(s, class quad.IRI, en string) {
	g.quad(s, rdfType, class)
	g.quad(s, rdfsLabel, quad.LangString{Value: quad.String(en), Lang: "en"})
}

// next is the neighbouring region that cross-region links point to.
func (g *region) next() int { return (g.r + 1) % g.n }

// name makes a Danish-looking name with the letters label search must
// fold (æ, ø, å).
func (g *region) name(i int) string {
	first := [...]string{"Tvær", "Øster", "Å", "Nord", "Syd", "Vest", "Bio", "Med", "Sund", "Kløver", "Fjord", "Hav"}
	second := [...]string{"spor", "tech", "lab", "care", "gen", "vita", "logic", "sense", "bro", "dal"}
	return first[(g.r*7+i)%len(first)] + second[(g.r+i*3)%len(second)]
}

func (g *region) write() {
	r := g.r
	reg := RegionIRI(r)
	g.named(reg, ontology.Region, fmt.Sprintf("Synthetic Region %d", r+1))
	g.quad(reg, rdfsLabel, quad.LangString{Value: quad.String(fmt.Sprintf("Syntetisk Region %d", r+1)), Lang: "da"})

	for i := 0; i < funders; i++ {
		f := FunderIRI(r, i)
		g.named(f, ontology.Funder, fmt.Sprintf("Funder %d of Region %d", i+1, r+1))
		g.quad(f, ontology.LocatedIn, reg)
	}
	for i := 0; i < networks; i++ {
		n := NetworkIRI(r, i)
		g.named(n, ontology.InnovationNetwork, fmt.Sprintf("%s Network %d", g.name(i), r+1))
		g.quad(n, ontology.LocatedIn, reg)
		g.quad(n, ontology.FundedBy, FunderIRI(r, i%funders))
	}
	for i := 0; i < universities; i++ {
		u := UniversityIRI(r, i)
		g.named(u, ontology.University, fmt.Sprintf("University %d of Region %d", i+1, r+1))
		g.quad(u, rdfsLabel, quad.LangString{Value: quad.String(fmt.Sprintf("%s Universitet %d-%d", g.name(i), r+1, i+1)), Lang: "da"})
		g.quad(u, ontology.LocatedIn, reg)
		g.quad(u, ontology.MemberOf, NetworkIRI(r, i%networks))
		if g.rng.IntN(2) == 0 {
			g.quad(u, ontology.MemberOf, NetworkIRI(g.next(), g.rng.IntN(networks)))
		}
		for k := 0; k < 2; k++ {
			g.quad(u, ontology.PartnerOf, CompanyIRI(r, g.rng.IntN(companies)))
		}
	}
	for i := 0; i < clusters; i++ {
		c := ClusterIRI(r, i)
		g.named(c, ontology.BusinessCluster, fmt.Sprintf("%s Cluster %d-%d", g.name(i+3), r+1, i+1))
		g.quad(c, ontology.LocatedIn, reg)
		g.quad(c, ontology.MemberOf, NetworkIRI(r, g.rng.IntN(networks)))
		if g.rng.IntN(5) == 0 {
			g.quad(c, ontology.MemberOf, NetworkIRI(g.next(), g.rng.IntN(networks)))
		}
	}
	for i := 0; i < companies; i++ {
		c := CompanyIRI(r, i)
		g.named(c, ontology.Company, fmt.Sprintf("%s %d-%d ApS", g.name(i), r+1, i+1))
		g.quad(c, ontology.LocatedIn, reg)
		g.quad(c, ontology.MemberOf, ClusterIRI(r, g.rng.IntN(clusters)))
		if g.rng.IntN(2) == 0 {
			g.quad(c, ontology.MemberOf, ClusterIRI(r, g.rng.IntN(clusters)))
		}
		other := r
		if g.rng.IntN(10) == 0 {
			other = g.next()
		}
		g.quad(c, ontology.PartnerOf, CompanyIRI(other, g.rng.IntN(companies)))
		g.quad(c, ontology.FoundingDate, quad.TypedString{Value: quad.String(fmt.Sprint(1980 + g.rng.IntN(45))), Type: xsd + "gYear"})
		g.quad(c, ontology.Acronym, quad.String(fmt.Sprintf("C%d-%d", r+1, i+1)))
	}
	for i := 0; i < projects; i++ {
		p := entity("project", r, i)
		g.named(p, ontology.Project, fmt.Sprintf("Project %d of Region %d", i+1, r+1))
		g.quad(p, ontology.Coordinator, UniversityIRI(r, g.rng.IntN(universities)))
		for k := 0; k < 4; k++ {
			other := r
			if g.rng.IntN(8) == 0 {
				other = g.next()
			}
			g.quad(CompanyIRI(other, g.rng.IntN(companies)), ontology.PartnerOf, p)
		}
		g.quad(p, ontology.FundedBy, FunderIRI(r, g.rng.IntN(funders)))
	}
	for i := 0; i < fundings; i++ {
		f := entity("funding", r, i)
		g.named(f, ontology.FundingAward, fmt.Sprintf("Funding %d of Region %d", i+1, r+1))
		g.quad(f, ontology.FunderProp, FunderIRI(r, g.rng.IntN(funders)))
		g.quad(f, ontology.FundedItem, entity("project", r, i%projects))
		amount := quad.BNode(fmt.Sprintf("amount-%s-%d", regionCode(r), i+1))
		g.quad(f, ontology.FundingAmount, amount)
		g.quad(amount, ontology.Amount, quad.TypedString{Value: quad.String(fmt.Sprint(10000 * (1 + g.rng.IntN(500)))), Type: xsd + "decimal"})
		g.quad(amount, ontology.Currency, quad.String("EUR"))
	}
	for i := 0; i < strategies; i++ {
		s := entity("strategy", r, i)
		g.named(s, ontology.Strategy, fmt.Sprintf("Strategy %d of Region %d", i+1, r+1))
		g.quad(s, ontology.AdoptedBy, FunderIRI(r, i%funders))
		g.quad(s, ontology.LocatedIn, reg)
	}
}
