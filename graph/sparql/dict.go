package sparql

import (
	"context"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// ID is a term during evaluation: a reader's ID, or (high bit set) a term
// the query made that the store does not hold (a constant of the query, a
// value computed by BIND or an aggregate). Zero is "unbound". Every term
// has exactly one ID within a query, so ID equality is RDF term equality.
type ID = frontier.ID

const localBit ID = 1 << 63

func isLocal(id ID) bool { return id&localBit != 0 }

// maxCachedValues bounds the cache of store values decoded for
// expressions; past it the cache starts afresh, so that memory stays flat
// on long scans.
const maxCachedValues = 1 << 16

// dict maps terms to IDs and back for one query: the store's IDs through
// the reader, in batches, and the query's own terms in a local table.
type dict struct {
	r      frontier.Reader
	local  []quad.Value       // local terms; ID localBit|i
	ids    map[quad.Value]ID  // interned values (store and local), for values the query made
	values map[ID]quad.Value  // decoded store values (bounded)
	vals   map[ID]*val        // parsed values of IDs (bounded with values)
	misses []ID               // scratch
	mvals  []quad.Value       // scratch
	lookup []quad.Value       // scratch
	lids   []ID               // scratch
	extra  map[quad.Value]int // scratch for internBatch
}

func newDict(r frontier.Reader) *dict {
	return &dict{r: r, ids: map[quad.Value]ID{}, values: map[ID]quad.Value{}, vals: map[ID]*val{}}
}

// addLocal gives v (which the store does not hold) a local ID.
func (d *dict) addLocal(v quad.Value) ID {
	id := localBit | ID(len(d.local))
	d.local = append(d.local, v)
	d.ids[v] = id
	return id
}

// intern returns the ID of v: the store's when it holds v, else a local
// one. v must follow the term conventions of graph/rdfio.
func (d *dict) intern(ctx context.Context, v quad.Value) (ID, error) {
	if id, ok := d.ids[v]; ok {
		return id, nil
	}
	out := []ID{0}
	if err := d.r.Lookup(ctx, []quad.Value{v}, out); err != nil {
		return 0, err
	}
	if out[0] == 0 {
		return d.addLocal(v), nil
	}
	d.ids[v] = out[0]
	return out[0], nil
}

// internBatch sets out[i] to the ID of vals[i] (zero for nil), with one
// reader call for all values not seen before.
func (d *dict) internBatch(ctx context.Context, vals []quad.Value, out []ID) error {
	d.lookup = d.lookup[:0]
	if d.extra == nil {
		d.extra = map[quad.Value]int{}
	}
	clear(d.extra)
	for i, v := range vals {
		if v == nil {
			out[i] = 0
			continue
		}
		if id, ok := d.ids[v]; ok {
			out[i] = id
			continue
		}
		out[i] = 0
		if _, ok := d.extra[v]; !ok {
			d.extra[v] = len(d.lookup)
			d.lookup = append(d.lookup, v)
		}
	}
	if len(d.lookup) == 0 {
		return nil
	}
	d.lids = growIDs(d.lids, len(d.lookup))
	if err := d.r.Lookup(ctx, d.lookup, d.lids); err != nil {
		return err
	}
	for i, v := range d.lookup {
		if d.lids[i] == 0 {
			d.addLocal(v)
		} else {
			d.ids[v] = d.lids[i]
		}
	}
	if len(d.ids) > 4*maxCachedValues {
		// Keep the local terms (their IDs must stay stable); forget the
		// store lookups, which can be repeated.
		for v, id := range d.ids {
			if !isLocal(id) {
				delete(d.ids, v)
			}
		}
	}
	for i, v := range vals {
		if v != nil && out[i] == 0 {
			out[i] = d.ids[v]
			if out[i] == 0 {
				// Evicted just now: look it up alone.
				id, err := d.intern(ctx, v)
				if err != nil {
					return err
				}
				out[i] = id
			}
		}
	}
	return nil
}

func growIDs(s []ID, n int) []ID {
	if cap(s) < n {
		return make([]ID, n)
	}
	return s[:n]
}

// load makes sure the values of ids are decoded, with one reader call for
// the store IDs not decoded yet.
func (d *dict) load(ctx context.Context, ids []ID) error {
	d.misses = d.misses[:0]
	for _, id := range ids {
		if id == 0 || isLocal(id) {
			continue
		}
		if _, ok := d.values[id]; !ok {
			d.values[id] = nil // mark, so duplicates in ids are asked once
			d.misses = append(d.misses, id)
		}
	}
	if len(d.misses) == 0 {
		return nil
	}
	if len(d.values) > maxCachedValues {
		clear(d.values)
		clear(d.vals)
		for _, id := range d.misses {
			d.values[id] = nil
		}
	}
	if cap(d.mvals) < len(d.misses) {
		d.mvals = make([]quad.Value, len(d.misses))
	}
	d.mvals = d.mvals[:len(d.misses)]
	if err := d.r.Values(ctx, d.misses, d.mvals); err != nil {
		for _, id := range d.misses {
			delete(d.values, id)
		}
		return err
	}
	for i, id := range d.misses {
		d.values[id] = d.mvals[i]
	}
	return nil
}

// value returns the value of id, which load must have decoded (or which
// is local); nil for zero.
func (d *dict) value(id ID) quad.Value {
	if id == 0 {
		return nil
	}
	if isLocal(id) {
		return d.local[id&^localBit]
	}
	return d.values[id]
}

// parsed returns the expression value of id (decoded by load), parsing
// it once.
func (d *dict) parsed(id ID) *val {
	if id == 0 {
		return nil
	}
	if v, ok := d.vals[id]; ok {
		return v
	}
	qv := d.value(id)
	if qv == nil {
		return nil
	}
	v := fromQuad(qv)
	v.id = id
	if !isLocal(id) || len(d.vals) < maxCachedValues {
		d.vals[id] = &v
	}
	return &v
}
