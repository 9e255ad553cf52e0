package rdftest

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
)

// Canonical returns a canonical serialisation of a set of quads in
// which blank nodes are named by their structural position, so that two
// datasets are isomorphic (up to blank node renaming) exactly when their
// canonical forms are equal. Blank nodes are coloured by iterated
// refinement over their neighbourhoods; remaining ties are broken by trying
// every member of the smallest tied class and keeping the least result
// (exponential only for highly symmetric graphs, which tests do not have).
func Canonical(qs []quad.Quad) string {
	seen := make(map[quad.Quad]bool)
	var uniq []quad.Quad
	colors := make(map[quad.BNode]string)
	for _, q := range qs {
		if seen[q] {
			continue
		}
		seen[q] = true
		uniq = append(uniq, q)
		for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			if b, ok := v.(quad.BNode); ok {
				colors[b] = ""
			}
		}
	}
	return canonSearch(uniq, refineColors(uniq, colors))
}

func termKey(v quad.Value, colors map[quad.BNode]string, self quad.BNode) string {
	switch v := v.(type) {
	case nil:
		return "-"
	case quad.BNode:
		if v == self {
			return "@self"
		}
		return "_:" + colors[v]
	}
	return v.String()
}

func quadKey(q quad.Quad, colors map[quad.BNode]string, self quad.BNode) string {
	return termKey(q.Subject, colors, self) + " " + termKey(q.Predicate, colors, self) + " " +
		termKey(q.Object, colors, self) + " " + termKey(q.Label, colors, self)
}

func distinct(colors map[quad.BNode]string) int {
	set := make(map[string]bool)
	for _, c := range colors {
		set[c] = true
	}
	return len(set)
}

// refineColors recolours every blank node by the hash of its current colour
// and the sorted quads around it, until the partition stops splitting.
func refineColors(qs []quad.Quad, colors map[quad.BNode]string) map[quad.BNode]string {
	around := make(map[quad.BNode][]quad.Quad)
	for _, q := range qs {
		for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			if b, ok := v.(quad.BNode); ok {
				around[b] = append(around[b], q)
			}
		}
	}
	for n := distinct(colors); ; {
		next := make(map[quad.BNode]string, len(colors))
		for b, c := range colors {
			keys := []string{c}
			for _, q := range around[b] {
				keys = append(keys, quadKey(q, colors, b))
			}
			sort.Strings(keys[1:])
			h := sha256.Sum256([]byte(strings.Join(keys, "\n")))
			next[b] = hex.EncodeToString(h[:8])
		}
		colors = next
		m := distinct(colors)
		if m == n {
			return colors
		}
		n = m
	}
}

func canonSearch(qs []quad.Quad, colors map[quad.BNode]string) string {
	classes := make(map[string][]quad.BNode)
	for b, c := range colors {
		classes[c] = append(classes[c], b)
	}
	var tied []quad.BNode
	var tiedColor string
	for c, bs := range classes {
		if len(bs) > 1 && (tied == nil || len(bs) < len(tied) || len(bs) == len(tied) && c < tiedColor) {
			tied, tiedColor = bs, c
		}
	}
	if tied == nil {
		lines := make([]string, len(qs))
		for i, q := range qs {
			lines[i] = quadKey(q, colors, "")
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	if interchangeable(qs, colors, classes, tied) {
		tied = tied[:1] // every choice gives the same form
	}
	best := ""
	for i, b := range tied {
		c := make(map[quad.BNode]string, len(colors))
		for k, v := range colors {
			c[k] = v
		}
		c[b] = colors[b] + "*"
		if s := canonSearch(qs, refineColors(qs, c)); i == 0 || s < best {
			best = s
		}
	}
	return best
}

// interchangeable reports whether swapping any two of the tied blank nodes
// is an automorphism, so that individualising one of them is as good as
// trying each: they sit in identical quads whose other blank nodes all
// have colours of their own. Without this, k leaves hanging identically off
// one IRI (observations pointing at a region) would cost k! branches.
func interchangeable(qs []quad.Quad, colors map[quad.BNode]string, classes map[string][]quad.BNode, tied []quad.BNode) bool {
	member := make(map[quad.BNode]bool, len(tied))
	for _, b := range tied {
		member[b] = true
	}
	around := make(map[quad.BNode][]string, len(tied))
	for _, q := range qs {
		var in []quad.BNode
		for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			b, ok := v.(quad.BNode)
			if !ok {
				continue
			}
			if member[b] {
				in = append(in, b)
			} else if len(classes[colors[b]]) > 1 {
				return false // a tied neighbour: swapping may not be an automorphism
			}
		}
		if len(in) > 1 && in[0] != in[len(in)-1] {
			return false // two members in one quad
		}
		if len(in) > 0 {
			around[in[0]] = append(around[in[0]], quadKey(q, colors, in[0]))
		}
	}
	var first string
	for i, b := range tied {
		keys := around[b]
		sort.Strings(keys)
		sig := strings.Join(keys, "\n")
		if i == 0 {
			first = sig
		} else if sig != first {
			return false
		}
	}
	return true
}
