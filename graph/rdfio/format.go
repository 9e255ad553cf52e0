package rdfio

import (
	"mime"
	"path/filepath"
	"strconv"
	"strings"
)

// Format describes one RDF syntax.
type Format struct {
	// Name is the short name used by --format and ?format= (e.g. "turtle").
	Name string
	// MediaTypes lists the media types of the format, canonical first.
	MediaTypes []string
	// Extensions lists file extensions, with the leading dot, canonical first.
	Extensions []string
	// Graphs reports whether the syntax carries named graphs.
	Graphs bool
	// Readable and Writable report which directions rdfio implements.
	Readable, Writable bool
}

// MediaType returns the canonical media type of f.
func (f Format) MediaType() string { return f.MediaTypes[0] }

// Names of the formats in the registry.
const (
	NQuads   = "nquads"
	NTriples = "ntriples"
	Turtle   = "turtle"
	TriG     = "trig"
	JSONLD   = "jsonld"
	RDFXML   = "rdfxml"
)

// formats is the registry; it is never modified after package initialisation.
var formats = [...]Format{
	// text/n3 and text/rdf+n3 are served Turtle, which N3 readers read
	// (rdflib asks for them); they are aliases, never chosen by text/*.
	{Name: Turtle, MediaTypes: []string{"text/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"}, Extensions: []string{".ttl", ".turtle"}, Readable: true, Writable: true},
	{Name: JSONLD, MediaTypes: []string{"application/ld+json", "application/json"}, Extensions: []string{".jsonld", ".json"}, Graphs: true, Readable: true, Writable: true},
	{Name: NTriples, MediaTypes: []string{"application/n-triples", "text/plain"}, Extensions: []string{".nt"}, Readable: true, Writable: true},
	{Name: NQuads, MediaTypes: []string{"application/n-quads", "text/x-nquads"}, Extensions: []string{".nq", ".nquads"}, Graphs: true, Readable: true, Writable: true},
	{Name: TriG, MediaTypes: []string{"application/trig", "application/x-trig"}, Extensions: []string{".trig"}, Graphs: true, Readable: true, Writable: true},
	{Name: RDFXML, MediaTypes: []string{"application/rdf+xml"}, Extensions: []string{".rdf", ".owl"}, Readable: true, Writable: true},
}

// Formats returns every registered format, in order of preference for
// content negotiation.
func Formats() []Format {
	out := make([]Format, len(formats))
	copy(out, formats[:])
	return out
}

// Lookup finds a format by name, media type or extension (with or without the
// dot), ignoring case.
func Lookup(s string) (Format, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if mt, _, err := mime.ParseMediaType(s); err == nil {
		s = mt
	}
	for _, f := range formats {
		if f.Name == s {
			return f, true
		}
		for _, m := range f.MediaTypes {
			if m == s {
				return f, true
			}
		}
		for _, e := range f.Extensions {
			if e == s || e[1:] == s {
				return f, true
			}
		}
	}
	// Common aliases.
	switch s {
	case "ttl":
		return Lookup(Turtle)
	case "nq", "n-quads":
		return Lookup(NQuads)
	case "nt", "n-triples":
		return Lookup(NTriples)
	case "json-ld":
		return Lookup(JSONLD)
	case "xml", "rdf/xml", "rdf-xml":
		return Lookup(RDFXML)
	}
	return Format{}, false
}

// ByExtension finds the format of a file from its name; a trailing ".gz" is
// ignored.
func ByExtension(path string) (Format, bool) {
	path = strings.TrimSuffix(strings.ToLower(path), ".gz")
	ext := filepath.Ext(path)
	if ext == "" {
		return Format{}, false
	}
	for _, f := range formats {
		for _, e := range f.Extensions {
			if e == ext {
				return f, true
			}
		}
	}
	return Format{}, false
}

// mediaRange is one entry of an Accept header.
type mediaRange struct {
	typ, sub string
	q        float64
}

func parseAccept(accept string) []mediaRange {
	var ranges []mediaRange
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			// A parameter that is not a token nor quoted (clients send
			// profile=http://... bare): keep the range, lose the parameters.
			head, _, _ := strings.Cut(part, ";")
			if mt, _, err = mime.ParseMediaType(strings.TrimSpace(head)); err != nil {
				continue
			}
			params = nil
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if p, err := strconv.ParseFloat(v, 64); err == nil && p >= 0 && p <= 1 {
				q = p
			}
		}
		typ, sub, _ := strings.Cut(mt, "/")
		ranges = append(ranges, mediaRange{typ, sub, q})
	}
	return ranges
}

// quality returns the quality the ranges give media type m: the most
// specific matching range decides. exact reports whether a range names m.
func quality(ranges []mediaRange, m string) (q float64, exact bool) {
	typ, sub, _ := strings.Cut(m, "/")
	q, spec := -1.0, -1
	for _, r := range ranges {
		s := -1
		switch {
		case r.typ == typ && r.sub == sub:
			s = 2
		case r.typ == typ && r.sub == "*":
			s = 1
		case r.typ == "*" && r.sub == "*":
			s = 0
		}
		if s > spec {
			q, spec = r.q, s
		}
	}
	return q, spec == 2
}

// Quality returns the quality value accept gives media type m (RFC 9110:
// the most specific matching range decides; -1 when no range matches, 1
// for an empty header) and whether a range names m exactly rather than
// through a wildcard.
func Quality(accept, m string) (q float64, named bool) {
	if strings.TrimSpace(accept) == "" {
		return 1, false
	}
	return quality(parseAccept(accept), strings.ToLower(m))
}

// Negotiate picks the offered format the Accept header prefers (RFC 9110
// quality values, the most specific range deciding). Among equal qualities
// the earlier offered format wins. An empty header chooses the first offered
// format. A format's alias media types (all but the first) count only when
// named exactly, so "text/*" never selects N-Triples through "text/plain".
// ok is false when nothing acceptable is offered.
func Negotiate(accept string, offered []Format) (f Format, ok bool) {
	if len(offered) == 0 {
		return Format{}, false
	}
	if strings.TrimSpace(accept) == "" {
		return offered[0], true
	}
	ranges := parseAccept(accept)
	bestQ := 0.0
	for _, cand := range offered {
		for j, m := range cand.MediaTypes {
			q, exact := quality(ranges, m)
			if j > 0 && !exact {
				continue
			}
			if q > bestQ {
				f, bestQ, ok = cand, q, true
			}
		}
	}
	return f, ok
}
