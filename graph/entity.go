package graph

import (
	"context"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
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
	return entityOf(ctx, s.query, id)
}

func entityOf(ctx context.Context, query querier, id string) (Entity, error) {
	const op = "entity"
	iri, err := iriArg(op, "entity id", id)
	if err != nil {
		return Entity{}, err
	}
	var e Entity
	err = query(ctx, op, QueryLimits{}, func(w *walker) error {
		r, err := w.resolve(iri)
		if err != nil {
			return err
		}
		e, err = entity(w, r)
		return err
	})
	return e, err
}

func entity(w *walker, r nid) (Entity, error) {
	ni, err := w.node(r)
	if err != nil {
		return Entity{}, err
	}
	e := Entity{Node: ni.node, Labels: map[string][]string{}}
	type linkKey struct{ p, n nid }
	var outs, ins []hop
	seenOut, seenIn, seenLit := map[linkKey]bool{}, map[linkKey]bool{}, map[linkKey]bool{}
	var lits []linkKey
	var qs []frontier.Quad
	err = w.quads(quad.Subject, []nid{r}, nil, func(_ int, q frontier.Quad) bool {
		if q.P != w.typ {
			qs = append(qs, q)
		}
		return true
	})
	if err != nil {
		return Entity{}, err
	}
	refs := make([]nid, 0, 2*len(qs))
	for _, q := range qs {
		refs = append(refs, q.P, q.O)
	}
	if err := w.prefetch(refs); err != nil {
		return Entity{}, err
	}
	for _, q := range qs {
		k := linkKey{q.P, q.O}
		switch w.vals[q.O].(type) {
		case quad.IRI, quad.BNode:
			if !seenOut[k] {
				seenOut[k] = true
				if len(outs) == w.lim.MaxLinks {
					e.Truncated = true
					continue
				}
				outs = append(outs, hop{pred: q.P, node: q.O, dir: Out})
			}
		default:
			if !seenLit[k] {
				seenLit[k] = true
				lits = append(lits, k)
			}
		}
	}
	err = w.quads(quad.Object, []nid{r}, nil, func(_ int, q frontier.Quad) bool {
		k := linkKey{q.P, q.S}
		if !seenIn[k] {
			seenIn[k] = true
			if len(ins) == w.lim.MaxLinks {
				e.Truncated = true
				return false
			}
			ins = append(ins, hop{pred: q.P, node: q.S, dir: In})
		}
		return true
	})
	if err != nil {
		return Entity{}, err
	}
	if len(ni.node.Types) == 0 && len(outs) == 0 && len(ins) == 0 && len(lits) == 0 {
		return Entity{}, Errorf(w.op, NotFound, "nothing is known about %s", ni.node.ID)
	}
	refs = refs[:0]
	for _, h := range append(outs, ins...) {
		refs = append(refs, h.pred, h.node)
	}
	for _, l := range lits {
		refs = append(refs, l.p)
	}
	if err := w.describe(refs); err != nil {
		return Entity{}, err
	}
	for _, l := range lits {
		lit := Literal{Predicate: w.text(l.p)}
		switch v := w.value(l.n).(type) {
		case quad.String:
			lit.Value = string(v)
		case quad.LangString:
			lit.Value, lit.Lang = string(v.Value), v.Lang
		case quad.TypedString:
			lit.Value, lit.Datatype = string(v.Value), string(v.Type)
		default:
			lit.Value = v.String()
		}
		if l.p == w.lbl {
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
	if e.Out, err = links(w, outs); err != nil {
		return Entity{}, err
	}
	if e.In, err = links(w, ins); err != nil {
		return Entity{}, err
	}
	return e, nil
}

// label returns the label of id, "" if it has none.
func (w *walker) label(id nid) (string, error) {
	ni, err := w.node(id)
	if err != nil {
		return "", err
	}
	return ni.node.Label, nil
}

// links renders hops as sorted Links.
func links(w *walker, hs []hop) ([]Link, error) {
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
		out = append(out, Link{Predicate: w.text(h.pred), PredicateLabel: pl, Node: n.node})
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
// Type and Q it lists every typed entity. Results come in the reader's
// order, stable while the store is unchanged; a page's cursor names its
// last entity and the next page resumes after it. It returns Invalid for
// a bad limit or cursor, Timeout when ctx ends first.
func (s *Store) Entities(ctx context.Context, q EntityQuery) (EntityPage, error) {
	return entities(ctx, s.query, q)
}

func entities(ctx context.Context, query querier, q EntityQuery) (EntityPage, error) {
	const op = "entities"
	lim := q.Limits.withDefaults()
	size, err := lim.pageSize(op, q.Limit)
	if err != nil {
		return EntityPage{}, err
	}
	hash := queryHash(q.Type, q.Q)
	after, err := decodeCursor(op, q.Cursor, hash)
	if err != nil {
		return EntityPage{}, err
	}
	if after != nil && len(after) != 1 {
		return EntityPage{}, badCursor(op)
	}
	words := strings.Fields(Fold(q.Q))
	page := EntityPage{Entities: []Node{}}
	err = query(ctx, op, lim, func(w *walker) error {
		var class, last nid
		if q.Type != "" {
			ids, err := w.lookup(quad.IRI(q.Type))
			if err != nil || ids[0] == 0 {
				return err // nothing is typed with it
			}
			class = ids[0]
		}
		if after != nil {
			ids, err := w.lookup(quad.IRI(after[0]))
			if err != nil || ids[0] == 0 {
				return err // the last entity is gone: the store changed
			}
			last = ids[0]
		}
		var picked []nid
		more := false
		// emit takes one candidate; it returns false once the page is full.
		emit := func(r nid) (bool, error) {
			if last != 0 {
				if r == last {
					last = 0
				}
				return true, nil
			}
			ok, err := w.hasType(r, class)
			if err != nil || !ok {
				return true, err
			}
			if len(words) > 0 && class != 0 {
				if ok, err = labelMatches(w, r, words); err != nil || !ok {
					return true, err
				}
			}
			if len(picked) == size {
				more = true
				return false, nil
			}
			picked = append(picked, r)
			return true, nil
		}
		var err error
		switch {
		case class != 0:
			err = w.instances(class, emit)
		case len(words) > 0:
			err = searchLabels(w, words, emit)
		default:
			err = typed(w, emit)
		}
		if err != nil {
			return err
		}
		if page.Entities, err = w.nodes(picked); err != nil {
			return err
		}
		if more {
			page.Next = encodeCursor(op, hash, []string{w.text(picked[len(picked)-1])})
		}
		return nil
	})
	if err != nil {
		return EntityPage{}, err
	}
	return page, nil
}

// labelMatches reports whether one of r's labels contains every word.
func labelMatches(w *walker, r nid, words []string) (bool, error) {
	var preds []nid
	for _, p := range []nid{w.lbl, w.alt} {
		if p != 0 {
			preds = append(preds, p)
		}
	}
	if len(preds) == 0 {
		return false, nil
	}
	var objs []nid
	err := w.quads(quad.Subject, []nid{r}, preds, func(_ int, q frontier.Quad) bool {
		objs = append(objs, q.O)
		return true
	})
	if err != nil {
		return false, err
	}
	if err := w.prefetch(objs); err != nil {
		return false, err
	}
	for _, o := range objs {
		if containsAll(w.vals[o], words) {
			return true, nil
		}
	}
	return false, nil
}

// searchLabels calls fn with each distinct subject of a label quad whose
// label contains every word, reading the quads of rdfs:label and
// skos:altLabel.
func searchLabels(w *walker, words []string, fn func(nid) (bool, error)) error {
	seen := map[nid]bool{}
	for _, p := range []nid{w.lbl, w.alt} {
		if p == 0 {
			continue
		}
		var qs []frontier.Quad
		err := w.quads(quad.Predicate, []nid{p}, nil, func(_ int, q frontier.Quad) bool {
			qs = append(qs, q)
			return true
		})
		if err != nil {
			return err
		}
		for lo := 0; lo < len(qs); lo += expandBatch {
			part := qs[lo:min(lo+expandBatch, len(qs))]
			objs := make([]nid, len(part))
			for i, q := range part {
				objs[i] = q.O
			}
			if err := w.prefetch(objs); err != nil {
				return err
			}
			for _, q := range part {
				if seen[q.S] || !containsAll(w.vals[q.O], words) {
					continue
				}
				seen[q.S] = true
				if more, err := fn(q.S); err != nil || !more {
					return err
				}
			}
		}
	}
	return nil
}

// typed calls fn with each distinct subject of an rdf:type quad.
func typed(w *walker, fn func(nid) (bool, error)) error {
	if w.typ == 0 {
		return nil
	}
	return w.distinct(quad.Predicate, w.typ, w.typ, fn)
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
