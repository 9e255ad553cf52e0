package api

import (
	"net/url"
	"strconv"

	"github.com/cayleygraph/quad"
	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/ontology"
)

// Vocabularies of the VoID description.
const (
	voidNS    = "http://rdfs.org/ns/void#"
	dctermsNS = "http://purl.org/dc/terms/"
	foafNS    = "http://xmlns.com/foaf/0.1/"
	xsdNS     = "http://www.w3.org/2001/XMLSchema#"
	formatsNS = "http://www.w3.org/ns/formats/"
)

// formatIRIs are the W3C format IRIs (void:feature) of the dump formats.
var formatIRIs = map[string]string{
	rdfio.NQuads: "N-Quads", rdfio.NTriples: "N-Triples", rdfio.Turtle: "Turtle", rdfio.TriG: "TriG", rdfio.JSONLD: "JSON-LD", rdfio.RDFXML: "RDF_XML",
}

// void serves the VoID description of the dataset, negotiated like an
// entity's document.
func (l *linkedData) void(c *gin.Context) {
	f, err := negotiateLD(c, documentFormats())
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	st, err := l.s.store.Stats(c.Request.Context())
	if err != nil {
		l.s.writeError(c, err)
		return
	}
	quads := l.voidQuads(st, serverURL(c))
	if f.Name == htmlFormat.Name {
		lb, err := l.newLabeller(c, quads)
		if err != nil {
			l.s.writeError(c, err)
			return
		}
		l.writeHTML(c, l.listPage(c, "innograph dataset (VoID)", quad.IRI(l.base+voidPath), quads, lb))
		return
	}
	l.writeRDF(c, f, quads)
}

// voidQuads describes the dataset: its size, classes, named graphs (as
// subsets, each with its own dump), dump locations and vocabulary.
func (l *linkedData) voidQuads(st graph.Stats, server string) []quad.Quad {
	v := func(s string) quad.IRI { return quad.IRI(voidNS + s) }
	dct := func(s string) quad.IRI { return quad.IRI(dctermsNS + s) }
	count := func(n int64) quad.TypedString {
		return quad.TypedString{Value: quad.String(strconv.FormatInt(n, 10)), Type: xsdNS + "integer"}
	}
	doc := quad.IRI(l.base + voidPath)
	ds := quad.IRI(l.base + voidPath + "#dataset")
	var out []quad.Quad
	add := func(s quad.Value, p quad.IRI, o quad.Value) {
		out = append(out, quad.Quad{Subject: s, Predicate: p, Object: o})
	}
	add(doc, rdfType, v("DatasetDescription"))
	add(doc, dct("title"), quad.LangString{Value: "VoID description of the innograph dataset", Lang: "en"})
	add(doc, quad.IRI(foafNS+"primaryTopic"), ds)

	add(ds, rdfType, v("Dataset"))
	add(ds, dct("title"), quad.LangString{Value: "innograph: regional health-innovation ecosystems", Lang: "en"})
	add(ds, dct("description"), quad.LangString{Value: "Regions, research organisations, clusters, networks, funders, awards and strategies; each source document is one named graph.", Lang: "en"})
	add(ds, v("triples"), count(st.Triples))
	add(ds, v("entities"), count(st.Subjects))
	add(ds, v("distinctSubjects"), count(st.Subjects))
	add(ds, v("classes"), count(int64(len(st.Classes))))
	add(ds, v("uriSpace"), quad.String(l.base+"id/"))
	add(ds, v("vocabulary"), quad.IRI(ontology.NS))
	add(ds, dct("conformsTo"), quad.IRI(l.base+ontologyPath))
	add(ds, quad.IRI("http://www.w3.org/2000/01/rdf-schema#seeAlso"), quad.IRI(l.base+shapesPath))
	for _, f := range exportFormats() {
		dump := quad.IRI(server + exportPath + "?format=" + f.Name)
		add(ds, v("dataDump"), dump)
		add(dump, dct("format"), quad.String(f.MediaType()))
		add(ds, v("feature"), quad.IRI(formatsNS+formatIRIs[f.Name]))
	}
	for i, cl := range st.Classes {
		part := quad.BNode("class" + strconv.Itoa(i+1))
		add(ds, v("classPartition"), part)
		add(part, v("class"), quad.IRI(cl.Class))
		add(part, v("entities"), count(cl.Entities))
	}
	for i, g := range st.Graphs {
		sub := quad.BNode("graph" + strconv.Itoa(i+1))
		add(ds, v("subset"), sub)
		add(sub, rdfType, v("Dataset"))
		add(sub, v("triples"), count(g.Quads))
		if g.Graph == "" {
			add(sub, dct("title"), quad.LangString{Value: "the default graph", Lang: "en"})
			continue
		}
		add(sub, dct("source"), graphTerm(g.Graph))
		if _, isIRI := graphTerm(g.Graph).(quad.IRI); isIRI {
			add(sub, v("dataDump"), quad.IRI(server+exportPath+"?format=nquads&graph="+url.QueryEscape(g.Graph)))
		}
	}
	return out
}

// graphTerm is the term a GraphStats name stands for.
func graphTerm(name string) quad.Value {
	if len(name) > 2 && name[:2] == "_:" {
		return quad.BNode(name[2:])
	}
	return quad.IRI(name)
}
