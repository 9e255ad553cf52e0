package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/lib/pq"
)

// Cayley's SQL QuadStore answers each QuadIterator with one query and each
// NameOf with another (it is not a BatchQuadStore), so a walker asking per
// node makes hundreds of round trips for a 2-hop neighbourhood, each costing
// more than bolt's whole lookup. Batched asks for a whole frontier at
// once: the quads of many nodes in one query (with the value of each quad's
// other end joined in), the values of many hashes in another. It reads
// Cayley's tables directly and hands back Cayley's own ref types
// (csql.QuadHashes, csql.NodeHash), so QuadDirection, NameOf and
// QuadIterator keep working on what it returns.
//
// Only PostgreSQL uses it. CockroachDB speaks the same wire protocol, but
// Cayley drives it through pgx and it is not tested here, so it keeps the
// per-node path.

// sqlReadConns is the size of the read pool: enough for the concurrent HTTP
// queries a server on a few cores runs, each holding one connection per query
// it has in flight.
const sqlReadConns = 16

// maxCachedValues bounds the reader's value cache. A hash names its value
// for ever (it is the value's SHA-1), so entries never go stale; the cache
// is dropped whole when full.
const maxCachedValues = 1 << 17

// Batched is the PostgreSQL read side of a Store: a pool of its own, the
// few prepared query shapes, and a cache of values by hash. It is safe for
// concurrent use.
type Batched struct {
	db *sql.DB

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	vals  map[cgraph.ValueHash]quad.Value
}

// openBatched opens the read pool on dsn.
func openBatched(ctx context.Context, dsn string) (*Batched, error) {
	c, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(genericPlans{c})
	db.SetMaxOpenConns(sqlReadConns)
	db.SetMaxIdleConns(sqlReadConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return &Batched{db: db, stmts: map[string]*sql.Stmt{}, vals: map[cgraph.ValueHash]quad.Value{}}, nil
}

// genericPlans opens connections that plan each prepared statement once.
// PostgreSQL plans a prepared statement afresh for its first five runs on a
// connection; for the reader's few shapes (index lookups by = ANY of an
// array) the plan never changes, and planning was most of a lookup's time:
// a 3-step pattern took 2.7 ms with fresh plans, 1.0 ms with generic ones.
type genericPlans struct{ *pq.Connector }

func (g genericPlans) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := g.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	_, err = conn.(driver.ExecerContext).ExecContext(ctx, `SET plan_cache_mode = force_generic_plan`, nil)
	var perr *pq.Error
	if errors.As(err, &perr) && perr.Code == "42704" {
		err = nil // before PostgreSQL 12 there is no such setting: slower, not wrong
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// Close closes the pool and its prepared statements.
func (r *Batched) Close() error {
	r.mu.Lock()
	for _, st := range r.stmts {
		st.Close()
	}
	r.stmts = nil
	r.mu.Unlock()
	return r.db.Close()
}

// stmt returns query prepared once: the few query shapes the walker asks are
// planned once per connection instead of per call.
func (r *Batched) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stmts[query]; ok {
		return st, nil
	}
	if r.stmts == nil {
		return nil, fmt.Errorf("sql reader is closed")
	}
	st, err := r.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	r.stmts[query] = st
	return st, nil
}

// nodeValueColumns are the columns of Cayley's nodes table that hold a
// value, in the order decodeValue scans them.
const nodeValueColumns = "value, value_string, datatype, language, iri, bnode, value_int, value_bool, value_float, value_time"

// nodeRow receives nodeValueColumns.
type nodeRow struct {
	data   []byte
	str    sql.NullString
	typ    sql.NullString
	lang   sql.NullString
	iri    sql.NullBool
	bnode  sql.NullBool
	vint   sql.NullInt64
	vbool  sql.NullBool
	vfloat sql.NullFloat64
	vtime  sql.NullTime
}

func (n *nodeRow) dests() []any {
	return []any{&n.data, &n.str, &n.typ, &n.lang, &n.iri, &n.bnode, &n.vint, &n.vbool, &n.vfloat, &n.vtime}
}

// value decodes the row as Cayley's SQL store writes it: strings, IRIs and
// blank nodes in value_string (with NUL escaped as the four bytes \x00),
// told apart by the iri and bnode flags, a language or a datatype; ints,
// bools, floats and times in their own columns; anything else as a
// protobuf-marshalled value in value. A row of NULLs (a hash the table does
// not hold, through a LEFT JOIN) is nil.
func (n *nodeRow) value() (quad.Value, error) {
	switch {
	case n.str.Valid:
		switch s := n.str.String; {
		case n.iri.Bool:
			return quad.IRI(s), nil
		case n.bnode.Bool:
			return quad.BNode(s), nil
		case n.lang.Valid:
			return quad.LangString{Value: quad.String(unescapeNUL(s)), Lang: n.lang.String}, nil
		case n.typ.Valid:
			return quad.TypedString{Value: quad.String(unescapeNUL(s)), Type: quad.IRI(n.typ.String)}, nil
		default:
			return quad.String(unescapeNUL(s)), nil
		}
	case n.vint.Valid:
		return quad.Int(n.vint.Int64), nil
	case n.vbool.Valid:
		return quad.Bool(n.vbool.Bool), nil
	case n.vfloat.Valid:
		return quad.Float(n.vfloat.Float64), nil
	case n.vtime.Valid:
		return quad.Time(n.vtime.Time), nil
	case n.data != nil:
		return pquads.UnmarshalValue(n.data)
	}
	return nil, nil
}

// ForgetValues empties the value cache, so the next Values decodes every
// value from the table (tests compare that with Cayley's NameOf).
func (r *Batched) ForgetValues() {
	r.mu.Lock()
	clear(r.vals)
	r.mu.Unlock()
}

// unescapeNUL undoes the escaping of NUL Cayley applies to value_string
// (PostgreSQL text cannot hold NUL).
func unescapeNUL(s string) string { return strings.ReplaceAll(s, `\x00`, "\x00") }

// cached returns the values of hashes the reader already knows, and the
// hashes it does not.
func (r *Batched) cached(hs []cgraph.ValueHash, out map[cgraph.ValueHash]quad.Value) (miss []cgraph.ValueHash) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range hs {
		if v, ok := r.vals[h]; ok {
			out[h] = v
		} else {
			miss = append(miss, h)
		}
	}
	return miss
}

// remember adds values to the cache.
func (r *Batched) remember(vals map[cgraph.ValueHash]quad.Value) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.vals)+len(vals) > maxCachedValues {
		r.vals = make(map[cgraph.ValueHash]quad.Value, len(vals))
	}
	for h, v := range vals {
		if v != nil {
			r.vals[h] = v
		}
	}
}

// Values returns the value of every hash of hs the store holds, in one
// query for those not cached. Hashes the store does not hold are absent
// from the map.
func (r *Batched) Values(ctx context.Context, hs []cgraph.ValueHash) (map[cgraph.ValueHash]quad.Value, error) {
	out := make(map[cgraph.ValueHash]quad.Value, len(hs))
	miss := r.cached(hs, out)
	if len(miss) == 0 {
		return out, nil
	}
	return out, r.fetch(ctx, miss, out)
}

// fetch reads the values of hs from the table, whatever the cache holds,
// into out and the cache. Hashes the table does not hold are left out.
func (r *Batched) fetch(ctx context.Context, hs []cgraph.ValueHash, out map[cgraph.ValueHash]quad.Value) error {
	st, err := r.stmt(ctx, `SELECT hash, `+nodeValueColumns+` FROM nodes WHERE hash = ANY($1)`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, hashArray(hs))
	if err != nil {
		return err
	}
	defer rows.Close()
	found := make(map[cgraph.ValueHash]quad.Value, len(hs))
	for rows.Next() {
		var h csql.NodeHash
		var n nodeRow
		if err := rows.Scan(append([]any{&h}, n.dests()...)...); err != nil {
			return err
		}
		v, err := n.value()
		if err != nil {
			return fmt.Errorf("node %v: %w", h, err)
		}
		found[h.ValueHash] = v
		out[h.ValueHash] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	r.remember(found)
	return nil
}

// ValuesOf is Values in the shape of Cayley's BatchQuadStore.ValuesOf: the
// value of each ref, nil for refs the store does not hold.
func (r *Batched) ValuesOf(ctx context.Context, refs []cgraph.Ref) ([]quad.Value, error) {
	hs := make([]cgraph.ValueHash, len(refs))
	for i, ref := range refs {
		if ref != nil {
			hs[i], _ = RefHash(ref)
		}
	}
	vals, err := r.Values(ctx, hs)
	if err != nil {
		return nil, err
	}
	out := make([]quad.Value, len(refs))
	for i, h := range hs {
		out[i] = vals[h]
	}
	return out, nil
}

// Quad is one quad found by Quads: the quad, the direction in which the
// asked node stands in it, and the value of the opposite end (the object
// for a subject, the subject for an object; nil if the store lacks it).
type Quad struct {
	Quad  csql.QuadHashes
	Dir   quad.Direction
	Other quad.Value
}

// Quads returns every quad having one of nodes in one of dirs (Subject,
// Object) and, when preds is not empty, one of preds as predicate, in one
// query. A quad with asked nodes in both directions comes once per
// direction, as it would from one QuadIterator per node and direction.
// Rows come in no particular order.
func (r *Batched) Quads(ctx context.Context, dirs []quad.Direction, nodes, preds []cgraph.ValueHash) ([]Quad, error) {
	var parts []string
	for _, d := range dirs {
		other := quad.Object
		if d == quad.Object {
			other = quad.Subject
		}
		part := fmt.Sprintf(`SELECT %d, q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash, %s FROM quads q LEFT JOIN nodes n ON n.hash = q.%s_hash WHERE q.%s_hash = ANY($1)`,
			d, qualify("n", nodeValueColumns), other, d)
		if len(preds) > 0 {
			part += ` AND q.predicate_hash = ANY($2)`
		}
		parts = append(parts, part)
	}
	st, err := r.stmt(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return nil, err
	}
	args := []any{hashArray(nodes)}
	if len(preds) > 0 {
		args = append(args, hashArray(preds))
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Quad
	found := map[cgraph.ValueHash]quad.Value{}
	for rows.Next() {
		var (
			d          int
			s, p, o, l csql.NodeHash
			n          nodeRow
		)
		if err := rows.Scan(append([]any{&d, &s, &p, &o, &l}, n.dests()...)...); err != nil {
			return nil, err
		}
		v, err := n.value()
		if err != nil {
			return nil, fmt.Errorf("quad %v %v %v: %w", s, p, o, err)
		}
		var q csql.QuadHashes
		q.Set(quad.Subject, s.ValueHash)
		q.Set(quad.Predicate, p.ValueHash)
		q.Set(quad.Object, o.ValueHash)
		q.Set(quad.Label, l.ValueHash)
		sq := Quad{Quad: q, Dir: quad.Direction(d), Other: v}
		if sq.Dir == quad.Subject {
			found[o.ValueHash] = v
		} else {
			found[s.ValueHash] = v
		}
		out = append(out, sq)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	r.remember(found)
	return out, nil
}

// TermFacts is what a walker needs to know of a term named in a query:
// whether any quad mentions it (Known), and whether it is a class (Class:
// the object of an rdf:type quad).
type TermFacts struct {
	Known, Class bool
}

// Terms returns the facts of every hash of hs in one query; typ is the
// hash of rdf:type.
func (r *Batched) Terms(ctx context.Context, hs []cgraph.ValueHash, typ cgraph.ValueHash) (map[cgraph.ValueHash]TermFacts, error) {
	st, err := r.stmt(ctx, `SELECT h,
		EXISTS (SELECT 1 FROM quads WHERE subject_hash = h) OR EXISTS (SELECT 1 FROM quads WHERE object_hash = h),
		EXISTS (SELECT 1 FROM quads WHERE object_hash = h AND predicate_hash = $2)
		FROM unnest($1::bytea[]) AS h`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, hashArray(hs), csql.NodeHash{ValueHash: typ}.SQLValue())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[cgraph.ValueHash]TermFacts, len(hs))
	for rows.Next() {
		var h csql.NodeHash
		var f TermFacts
		if err := rows.Scan(&h, &f.Known, &f.Class); err != nil {
			return nil, err
		}
		out[h.ValueHash] = f
	}
	return out, rows.Err()
}

// qualify prefixes each of the comma-separated columns with table.
func qualify(table, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = table + "." + c
	}
	return strings.Join(cols, ", ")
}

// hashArray is hs as a PostgreSQL bytea[] parameter.
func hashArray(hs []cgraph.ValueHash) pq.ByteaArray {
	out := make(pq.ByteaArray, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}

// RefHash is the hash of a ref handed out by Cayley's SQL store (a node
// ref or its key), and false for anything else.
func RefHash(k any) (cgraph.ValueHash, bool) {
	switch h := k.(type) {
	case cgraph.ValueHash:
		return h, h.Valid()
	case csql.NodeHash:
		return h.ValueHash, h.Valid()
	}
	return cgraph.ValueHash{}, false
}
