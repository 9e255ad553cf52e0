package graph

import (
	"context"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// Entity is everything the store says about one node, across all named
// graphs: its classes, labels, literal attributes and links.
type Entity struct {
	Node
	// Labels holds every rdfs:label by language tag ("" for none).
	Labels   map[string][]string `json:"labels,omitempty"`
	Literals []Literal           `json:"literals,omitempty"`
	// Out lists the quads with the entity as subject and a node as object;
	// In those with the entity as object. rdf:type quads are in Types.
	Out []Link `json:"out,omitempty"`
	In  []Link `json:"in,omitempty"`
	// Truncated reports that QueryLimits.MaxLinks cut Out or In short.
	Truncated bool `json:"truncated,omitempty"`
}

// Literal is one literal-valued attribute of an entity.
type Literal struct {
	Predicate      string `json:"predicate"`
	PredicateLabel string `json:"predicateLabel,omitempty"`
	Value          string `json:"value"`
	Lang           string `json:"lang,omitempty"`
	Datatype       string `json:"datatype,omitempty"`
}

// Link is one edge of an entity: the predicate (with its label when the
// store has one) and the node at the other end.
type Link struct {
	Predicate      string `json:"predicate"`
	PredicateLabel string `json:"predicateLabel,omitempty"`
	Node           Node   `json:"node"`
}

// EntityQuery selects entities by class and label.
type EntityQuery struct {
	// Type, when set, is the IRI of the class the entities must have.
	Type string `json:"type,omitempty"`
	// Q, when set, must occur in one of the entity's labels (rdfs:label or
	// skos:altLabel), ignoring case and diacritics: every word of Q must be
	// a substring of the same label after folding (see Fold).
	Q string `json:"q,omitempty"`
	// Limit is the page size (0: the default page size).
	Limit int `json:"limit,omitempty"`
	// Cursor continues a previous page.
	Cursor string `json:"cursor,omitempty"`
	// Limits bound the query; zero fields take their defaults.
	Limits QueryLimits `json:"-"`
}

// EntityPage is one page of entities and the cursor of the next ("" at the
// end).
type EntityPage struct {
	Entities []Node `json:"entities"`
	Next     string `json:"next,omitempty"`
}

// Entity returns what the store says about id. It returns NotFound when no
// quad mentions id, Timeout when ctx ends first.
func (s *Store) Entity(ctx context.Context, id string) (Entity, error) {
	const op = "entity"
	iri, err := iriArg(op, "entity id", id)
	if err != nil {
		return Entity{}, err
	}
	var e Entity
	err = s.read(op, func(qs cgraph.QuadStore) error {
		w := s.newWalker(ctx, op, qs, QueryLimits{})
		r, err := w.resolve(iri)
		if err != nil {
			return err
		}
		e, err = w.entity(r)
		return err
	})
	return e, err
}

func (w *walker) entity(r cgraph.Ref) (Entity, error) {
	ni, err := w.node(r)
	if err != nil {
		return Entity{}, err
	}
	e := Entity{Node: ni.node, Labels: map[string][]string{}}
	type linkKey struct{ p, n any }
	var outs, ins []hop
	seenOut, seenIn, seenLit := map[linkKey]bool{}, map[linkKey]bool{}, map[linkKey]bool{}
	var lits []struct{ p, v cgraph.Ref }
	err = w.each(quad.Subject, r, func(q cgraph.Ref) bool {
		p, o := w.qs.QuadDirection(q, quad.Predicate), w.qs.QuadDirection(q, quad.Object)
		k := linkKey{p.Key(), o.Key()}
		if k.p == w.typ {
			return true
		}
		switch w.value(o).(type) {
		case quad.IRI, quad.BNode:
			if !seenOut[k] {
				seenOut[k] = true
				if len(outs) == w.lim.MaxLinks {
					e.Truncated = true
					return true
				}
				outs = append(outs, hop{pred: p, node: o, dir: Out})
			}
		default:
			if !seenLit[k] {
				seenLit[k] = true
				lits = append(lits, struct{ p, v cgraph.Ref }{p, o})
			}
		}
		return true
	})
	if err != nil {
		return Entity{}, err
	}
	err = w.each(quad.Object, r, func(q cgraph.Ref) bool {
		p, sub := w.qs.QuadDirection(q, quad.Predicate), w.qs.QuadDirection(q, quad.Subject)
		k := linkKey{p.Key(), sub.Key()}
		if !seenIn[k] {
			seenIn[k] = true
			if len(ins) == w.lim.MaxLinks {
				e.Truncated = true
				return false
			}
			ins = append(ins, hop{pred: p, node: sub, dir: In})
		}
		return true
	})
	if err != nil {
		return Entity{}, err
	}
	if len(ni.node.Types) == 0 && len(outs) == 0 && len(ins) == 0 && len(lits) == 0 {
		return Entity{}, Errorf(w.op, NotFound, "nothing is known about %s", ni.node.ID)
	}
	for _, l := range lits {
		lit := Literal{Predicate: w.id(l.p)}
		switch v := w.value(l.v).(type) {
		case quad.String:
			lit.Value = string(v)
		case quad.LangString:
			lit.Value, lit.Lang = string(v.Value), v.Lang
		case quad.TypedString:
			lit.Value, lit.Datatype = string(v.Value), string(v.Type)
		default:
			lit.Value = v.String()
		}
		if l.p.Key() == w.lbl {
			e.Labels[lit.Lang] = append(e.Labels[lit.Lang], lit.Value)
			continue
		}
		if lit.PredicateLabel, err = w.label(l.p); err != nil {
			return Entity{}, err
		}
		e.Literals = append(e.Literals, lit)
	}
	for _, ls := range e.Labels {
		sort.Strings(ls)
	}
	sort.Slice(e.Literals, func(i, j int) bool {
		a, b := e.Literals[i], e.Literals[j]
		if a.Predicate != b.Predicate {
			return a.Predicate < b.Predicate
		}
		if a.Lang != b.Lang {
			return a.Lang < b.Lang
		}
		return a.Value < b.Value
	})
	if e.Out, err = w.links(outs); err != nil {
		return Entity{}, err
	}
	if e.In, err = w.links(ins); err != nil {
		return Entity{}, err
	}
	return e, nil
}

// label returns the label of r, "" if it has none.
func (w *walker) label(r cgraph.Ref) (string, error) {
	ni, err := w.node(r)
	if err != nil {
		return "", err
	}
	return ni.node.Label, nil
}

// links renders hops as sorted Links.
func (w *walker) links(hs []hop) ([]Link, error) {
	out := make([]Link, 0, len(hs))
	for _, h := range hs {
		pl, err := w.label(h.pred)
		if err != nil {
			return nil, err
		}
		n, err := w.node(h.node)
		if err != nil {
			return nil, err
		}
		out = append(out, Link{Predicate: w.id(h.pred), PredicateLabel: pl, Node: n.node})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Predicate != out[j].Predicate {
			return out[i].Predicate < out[j].Predicate
		}
		return out[i].Node.ID < out[j].Node.ID
	})
	return out, nil
}

// Entities lists entities by class and searches them by label. Without
// Type and Q it lists every typed entity. Results come in the store's
// index order, stable while the store is unchanged. It returns Invalid for
// a bad limit or cursor, Timeout when ctx ends first.
func (s *Store) Entities(ctx context.Context, q EntityQuery) (EntityPage, error) {
	const op = "entities"
	lim := q.Limits.withDefaults()
	size, err := lim.pageSize(op, q.Limit)
	if err != nil {
		return EntityPage{}, err
	}
	hash := queryHash(q.Type, q.Q)
	offset, err := decodeCursor(op, q.Cursor, hash)
	if err != nil {
		return EntityPage{}, err
	}
	words := strings.Fields(Fold(q.Q))
	page := EntityPage{Entities: []Node{}}
	err = s.read(op, func(qs cgraph.QuadStore) error {
		w := s.newWalker(ctx, op, qs, lim)
		n := 0
		more := false
		// emit takes one candidate; it returns false once the page is full.
		emit := func(r cgraph.Ref) (bool, error) {
			ok, err := w.hasType(r, q.Type)
			if err != nil || !ok {
				return true, err
			}
			if len(words) > 0 && q.Type != "" {
				if ok, err = w.labelMatches(r, words); err != nil || !ok {
					return true, err
				}
			}
			if n++; n <= offset {
				return true, nil
			}
			if len(page.Entities) == size {
				more = true
				return false, nil
			}
			ni, err := w.node(r)
			if err != nil {
				return false, err
			}
			page.Entities = append(page.Entities, ni.node)
			return true, nil
		}
		var err error
		switch {
		case q.Type != "":
			c := w.ref(quad.IRI(q.Type))
			if c == nil {
				return nil
			}
			err = w.instances(c, emit)
		case len(words) > 0:
			err = w.searchLabels(words, emit)
		default:
			err = w.typed(emit)
		}
		if err != nil {
			return err
		}
		page.Next = nextCursor(op, hash, offset, len(page.Entities), more)
		return nil
	})
	if err != nil {
		return EntityPage{}, err
	}
	return page, nil
}

// labelMatches reports whether one of r's labels contains every word.
func (w *walker) labelMatches(r cgraph.Ref, words []string) (bool, error) {
	found := false
	err := w.each(quad.Subject, r, func(q cgraph.Ref) bool {
		pk := w.qs.QuadDirection(q, quad.Predicate).Key()
		if pk != w.lbl && pk != w.alt {
			return true
		}
		found = containsAll(w.value(w.qs.QuadDirection(q, quad.Object)), words)
		return !found
	})
	return found, err
}

// searchLabels calls fn with each distinct subject of a label quad whose
// label contains every word, reading the predicate index of rdfs:label and
// skos:altLabel.
func (w *walker) searchLabels(words []string, fn func(cgraph.Ref) (bool, error)) error {
	seen := map[any]bool{}
	for _, p := range []any{w.lbl, w.alt} {
		if p == nil {
			continue
		}
		var ferr error
		more := true
		err := w.each(quad.Predicate, w.qs.ValueOf(w.vals[p]), func(q cgraph.Ref) bool {
			s := w.qs.QuadDirection(q, quad.Subject)
			if seen[s.Key()] || !containsAll(w.value(w.qs.QuadDirection(q, quad.Object)), words) {
				return true
			}
			seen[s.Key()] = true
			more, ferr = fn(s)
			return more && ferr == nil
		})
		if ferr != nil {
			return ferr
		}
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
	return nil
}

// typed calls fn with each distinct subject of an rdf:type quad.
func (w *walker) typed(fn func(cgraph.Ref) (bool, error)) error {
	if w.typ == nil {
		return nil
	}
	seen := map[any]bool{}
	var ferr error
	err := w.each(quad.Predicate, w.qs.ValueOf(rdfType), func(q cgraph.Ref) bool {
		s := w.qs.QuadDirection(q, quad.Subject)
		if seen[s.Key()] {
			return true
		}
		seen[s.Key()] = true
		var more bool
		more, ferr = fn(s)
		return more && ferr == nil
	})
	if ferr != nil {
		return ferr
	}
	return err
}

// containsAll reports whether literal v, folded, contains every word.
func containsAll(v quad.Value, words []string) bool {
	var text string
	switch v := v.(type) {
	case quad.String:
		text = string(v)
	case quad.LangString:
		text = string(v.Value)
	case quad.TypedString:
		text = string(v.Value)
	default:
		return false
	}
	for _, f := range []string{Fold(text), foldGerman(text)} {
		ok := true
		for _, wd := range words {
			if !strings.Contains(f, wd) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
