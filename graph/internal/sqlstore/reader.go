package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// The frontier.Reader of PostgreSQL asks for a whole frontier at once, as
// the walker's batched reads did: the quads of up to readChunk nodes in one
// query, with the value of each quad's other end joined in (Subject and
// Object directions) and kept in the value cache, so that the values a hop
// shows cost no second round trip; the types and labels of many nodes in
// another. Every answer of a query is read before fn sees any of it, so fn
// may ask the Reader again while a walk runs (the pool has more than one
// connection, but a nested query would otherwise hold two).

// readChunk is how many nodes one query asks about.
const readChunk = 1024

// allPage is how many quads All reads per query, in horizon order.
const allPage = 10000

// checkEvery is how many quads a walk gives between looks at its ctx.
const checkEvery = 256

// countLimit is how many quads Count counts exactly; beyond it the answer
// is an estimate.
const countLimit = 1 << 16

var errClosed = errors.New("sqlstore: reader used after Close")

// Source hands out frontier Readers over the batched reader (PostgreSQL).
func (b *Batched) Source() frontier.Source { return source{b} }

type source struct{ b *Batched }

func (s source) Reader(ctx context.Context) (frontier.Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &reader{b: s.b, ids: map[cgraph.ValueHash]frontier.ID{}}, nil
}

// reader is a frontier.Reader with its own dictionary from value hashes to
// dense IDs, valid within this Reader only. It pins no snapshot: each call
// reads what is committed then.
type reader struct {
	b      *Batched
	hashes []cgraph.ValueHash // hashes[id-1]
	ids    map[cgraph.ValueHash]frontier.ID
	closed bool
}

var _ frontier.Reader = (*reader)(nil)

func (r *reader) ready(ctx context.Context) error {
	if r.closed {
		return errClosed
	}
	return ctx.Err()
}

// id is the ID of h, assigned on first sight; zero for an invalid hash
// (a NULL label: the default graph).
func (r *reader) id(h cgraph.ValueHash) frontier.ID {
	if !h.Valid() {
		return 0
	}
	if id, ok := r.ids[h]; ok {
		return id
	}
	r.hashes = append(r.hashes, h)
	id := frontier.ID(len(r.hashes))
	r.ids[h] = id
	return id
}

// hash is the hash of id, false for zero or an ID this Reader never gave.
func (r *reader) hash(id frontier.ID) (cgraph.ValueHash, bool) {
	if id == 0 || id > frontier.ID(len(r.hashes)) {
		return cgraph.ValueHash{}, false
	}
	return r.hashes[id-1], true
}

// Lookup implements frontier.Reader. A value is stored when the nodes
// table holds it: Cayley deletes a node's row with its last quad.
func (r *reader) Lookup(ctx context.Context, vals []quad.Value, out []frontier.ID) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	hs := make([]cgraph.ValueHash, 0, len(vals))
	for _, v := range vals {
		if v != nil {
			hs = append(hs, cgraph.HashOf(v))
		}
	}
	found := make(map[cgraph.ValueHash]quad.Value, len(hs))
	for lo := 0; lo < len(hs); lo += readChunk {
		if err := r.b.fetch(ctx, hs[lo:min(lo+readChunk, len(hs))], found); err != nil {
			return err
		}
	}
	for i, v := range vals {
		out[i] = 0
		if v == nil {
			continue
		}
		if h := cgraph.HashOf(v); found[h] != nil {
			out[i] = r.id(h)
		}
	}
	return nil
}

// Values implements frontier.Reader, through the value cache.
func (r *reader) Values(ctx context.Context, ids []frontier.ID, out []quad.Value) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	hs := make([]cgraph.ValueHash, 0, len(ids))
	for _, id := range ids {
		if h, ok := r.hash(id); ok {
			hs = append(hs, h)
		}
	}
	vals := make(map[cgraph.ValueHash]quad.Value, len(hs))
	for lo := 0; lo < len(hs); lo += readChunk {
		got, err := r.b.Values(ctx, hs[lo:min(lo+readChunk, len(hs))])
		if err != nil {
			return err
		}
		for h, v := range got {
			vals[h] = v
		}
	}
	for i, id := range ids {
		out[i] = nil
		if h, ok := r.hash(id); ok {
			out[i] = vals[h]
		}
	}
	return nil
}

// quadOf turns the four hashes of a row into a frontier.Quad.
func (r *reader) quadOf(s, p, o, l csql.NodeHash) frontier.Quad {
	return frontier.Quad{S: r.id(s.ValueHash), P: r.id(p.ValueHash), O: r.id(o.ValueHash), G: r.id(l.ValueHash)}
}

// Quads implements frontier.Reader: one query per readChunk nodes.
func (r *reader) Quads(ctx context.Context, dir quad.Direction, nodes []frontier.ID, preds []frontier.ID, fn func(i int, q frontier.Quad) bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	switch dir {
	case quad.Subject, quad.Predicate, quad.Object, quad.Label:
	default:
		return fmt.Errorf("sqlstore: Quads in direction %v", dir)
	}
	var ph []cgraph.ValueHash
	if preds != nil {
		for _, p := range preds {
			if h, ok := r.hash(p); ok {
				ph = append(ph, h)
			}
		}
		if len(ph) == 0 {
			return nil
		}
	}
	for lo := 0; lo < len(nodes); lo += readChunk {
		chunk := nodes[lo:min(lo+readChunk, len(nodes))]
		var hs []cgraph.ValueHash
		seen := make(map[cgraph.ValueHash]bool, len(chunk))
		deflt := false
		for _, n := range chunk {
			h, ok := r.hash(n)
			switch {
			case ok && !seen[h]:
				seen[h] = true
				hs = append(hs, h)
			case n == 0 && dir == quad.Label:
				deflt = true
			}
		}
		byNode := map[cgraph.ValueHash][]frontier.Quad{}
		if len(hs) > 0 {
			if err := r.nodeQuads(ctx, dir, hs, ph, byNode); err != nil {
				return err
			}
		}
		var dq []frontier.Quad // the default graph's quads
		if deflt {
			err := r.pages(ctx, "q.label_hash IS NULL", ph, func(q frontier.Quad) bool {
				dq = append(dq, q)
				return true
			})
			if err != nil {
				return err
			}
		}
		for j, n := range chunk {
			qs := dq
			if h, ok := r.hash(n); ok {
				qs = byNode[h]
			} else if n != 0 || dir != quad.Label {
				continue
			}
			for k, q := range qs {
				if k%checkEvery == checkEvery-1 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				if !fn(lo+j, q) {
					return nil
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// nodeQuads reads the quads having one of hs in direction dir (and one of
// preds as predicate when preds is not nil) into byNode, by that node.
func (r *reader) nodeQuads(ctx context.Context, dir quad.Direction, hs, preds []cgraph.ValueHash, byNode map[cgraph.ValueHash][]frontier.Quad) error {
	other := quad.Direction(0)
	switch dir {
	case quad.Subject:
		other = quad.Object
	case quad.Object:
		other = quad.Subject
	}
	query := `SELECT q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash`
	if other != 0 {
		query += `, ` + qualify("n", nodeValueColumns) + ` FROM quads q LEFT JOIN nodes n ON n.hash = q.` + other.String() + `_hash`
	} else {
		query += ` FROM quads q`
	}
	query += ` WHERE q.` + dir.String() + `_hash = ANY($1)`
	args := []any{hashArray(hs)}
	if preds != nil {
		query += ` AND q.predicate_hash = ANY($2)`
		args = append(args, hashArray(preds))
	}
	st, err := r.b.stmt(ctx, query)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[cgraph.ValueHash]quad.Value{}
	for rows.Next() {
		var (
			s, p, o, l csql.NodeHash
			n          nodeRow
		)
		dests := []any{&s, &p, &o, &l}
		if other != 0 {
			dests = append(dests, n.dests()...)
		}
		if err := rows.Scan(dests...); err != nil {
			return err
		}
		var at csql.NodeHash
		switch dir {
		case quad.Subject:
			at = s
		case quad.Predicate:
			at = p
		case quad.Object:
			at = o
		default:
			at = l
		}
		if other != 0 {
			v, err := n.value()
			if err != nil {
				return fmt.Errorf("quad %v %v %v: %w", s, p, o, err)
			}
			if other == quad.Object {
				found[o.ValueHash] = v
			} else {
				found[s.ValueHash] = v
			}
		}
		byNode[at.ValueHash] = append(byNode[at.ValueHash], r.quadOf(s, p, o, l))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	r.b.remember(found)
	return nil
}

// pages calls fn for every quad matching where (and one of preds when not
// nil), allPage quads per query in horizon order, each page read whole
// before fn sees it, until fn returns false.
func (r *reader) pages(ctx context.Context, where string, preds []cgraph.ValueHash, fn func(frontier.Quad) bool) error {
	query := `SELECT q.horizon, q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash FROM quads q WHERE q.horizon > $1`
	if where != "" {
		query += ` AND ` + where
	}
	args := []any{int64(0)}
	if preds != nil {
		query += ` AND q.predicate_hash = ANY($2)`
		args = append(args, hashArray(preds))
	}
	query += fmt.Sprintf(` ORDER BY q.horizon LIMIT %d`, allPage)
	st, err := r.b.stmt(ctx, query)
	if err != nil {
		return err
	}
	page := make([]frontier.Quad, 0, allPage)
	for {
		page = page[:0]
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		var last int64
		for rows.Next() {
			var s, p, o, l csql.NodeHash
			if err := rows.Scan(&last, &s, &p, &o, &l); err != nil {
				rows.Close()
				return err
			}
			page = append(page, r.quadOf(s, p, o, l))
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i, q := range page {
			if i%checkEvery == checkEvery-1 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if !fn(q) {
				return nil
			}
		}
		if len(page) < allPage {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		args[0] = last
	}
}

// All implements frontier.Reader.
func (r *reader) All(ctx context.Context, fn func(q frontier.Quad) bool) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	return r.pages(ctx, "", nil, fn)
}

// Describe implements frontier.Reader: the rdf:type and rdfs:label quads
// of up to readChunk nodes per query, the values of their objects joined
// in.
func (r *reader) Describe(ctx context.Context, ids []frontier.ID, out []frontier.Facts) error {
	if err := r.ready(ctx); err != nil {
		return err
	}
	typ, label := cgraph.HashOf(frontier.RDFType), cgraph.HashOf(frontier.RDFSLabel)
	type facts struct {
		types []frontier.ID
		seen  map[frontier.ID]bool
		label frontier.ID
		best  quad.Value
	}
	byNode := map[cgraph.ValueHash]*facts{}
	var hs []cgraph.ValueHash
	for _, id := range ids {
		if h, ok := r.hash(id); ok && byNode[h] == nil {
			byNode[h] = &facts{seen: map[frontier.ID]bool{}}
			hs = append(hs, h)
		}
	}
	st, err := r.b.stmt(ctx, `SELECT q.subject_hash, q.predicate_hash, q.object_hash, `+qualify("n", nodeValueColumns)+
		` FROM quads q LEFT JOIN nodes n ON n.hash = q.object_hash WHERE q.subject_hash = ANY($1) AND q.predicate_hash = ANY($2)`)
	if err != nil {
		return err
	}
	preds := hashArray([]cgraph.ValueHash{typ, label})
	for lo := 0; lo < len(hs); lo += readChunk {
		rows, err := st.QueryContext(ctx, hashArray(hs[lo:min(lo+readChunk, len(hs))]), preds)
		if err != nil {
			return err
		}
		found := map[cgraph.ValueHash]quad.Value{}
		for rows.Next() {
			var (
				s, p, o csql.NodeHash
				n       nodeRow
			)
			if err := rows.Scan(append([]any{&s, &p, &o}, n.dests()...)...); err != nil {
				rows.Close()
				return err
			}
			v, err := n.value()
			if err != nil {
				rows.Close()
				return fmt.Errorf("node %v: %w", o, err)
			}
			found[o.ValueHash] = v
			f := byNode[s.ValueHash]
			oid := r.id(o.ValueHash)
			if p.ValueHash == typ {
				if !f.seen[oid] {
					f.seen[oid] = true
					f.types = append(f.types, oid)
				}
			} else if frontier.PreferLabel(v, f.best) {
				f.label, f.best = oid, v
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		r.b.remember(found)
	}
	for i, id := range ids {
		out[i] = frontier.Facts{}
		if h, ok := r.hash(id); ok {
			f := byNode[h]
			out[i] = frontier.Facts{Types: f.types, Label: f.label}
		}
	}
	return nil
}

// Count implements frontier.Reader: an exact count up to countLimit quads
// (by the covering indexes), a lower bound beyond; for no bound term the
// planner's row estimate.
func (r *reader) Count(ctx context.Context, pattern frontier.Quad) (int64, bool, error) {
	if err := r.ready(ctx); err != nil {
		return 0, false, err
	}
	var (
		conds []string
		args  []any
	)
	for _, d := range []quad.Direction{quad.Subject, quad.Predicate, quad.Object, quad.Label} {
		id := pattern.At(d)
		if id == 0 {
			continue
		}
		h, ok := r.hash(id)
		if !ok {
			return 0, true, nil
		}
		args = append(args, csql.NodeHash{ValueHash: h}.SQLValue())
		conds = append(conds, fmt.Sprintf("%s_hash = $%d", d, len(args)))
	}
	if len(conds) == 0 {
		var est float64
		if err := r.b.db.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'quads'::regclass`).Scan(&est); err != nil {
			return 0, false, err
		}
		if est >= countLimit {
			return int64(est), false, nil
		}
	}
	query := fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM quads`)
	if len(conds) > 0 {
		query += ` WHERE ` + strings.Join(conds, " AND ")
	}
	query += fmt.Sprintf(` LIMIT %d) t`, countLimit+1)
	st, err := r.b.stmt(ctx, query)
	if err != nil {
		return 0, false, err
	}
	var n int64
	if err := st.QueryRowContext(ctx, args...).Scan(&n); err != nil {
		return 0, false, err
	}
	return n, n <= countLimit, nil
}

// Close implements frontier.Reader: it drops the dictionary.
func (r *reader) Close() error {
	r.closed = true
	r.hashes, r.ids = nil, nil
	return nil
}
