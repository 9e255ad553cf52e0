package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
)

// Several innograph servers may share one PostgreSQL database (writers on
// the primary, readers on hot standbys too). Each keeps its own read tier,
// so each must learn of the others' writes; the database says what
// changed and in which order:
//
//   - innograph_generation holds one row: gen, the number of the last
//     write, and pruned, the last generation whose change is no longer in
//     the log. Every write (Store.Apply) starts by adding one to gen, which
//     locks the row until the write commits: writers queue there, so
//     generations are gapless and in commit order.
//   - innograph_changes holds one row per write, inserted in the same
//     transaction: its generation, how many quads it names, and the quads
//     it added and removed (encodeChange), or NULL for a batch of a bulk
//     load into the empty store, which other servers rebuild from rather
//     than replay.
//
// A server polls the generation row (a primary-key read; ChangeLog.Head)
// and applies the changes after its own generation, in order
// (ChangeLog.Since); when the log no longer reaches back that far it
// rebuilds. Old rows are pruned after writes (ChangeLog.Prune), to a window
// the graph Store chooses.
const (
	genTable    = "innograph_generation"
	changeTable = "innograph_changes"
)

// ChangeLog is the generation and change log of a PostgreSQL database
// that servers share.
type ChangeLog struct{ db *sql.DB }

// ChangeLog returns the store's change log, nil on CockroachDB.
func (s *Store) ChangeLog() *ChangeLog {
	if s.db == nil {
		return nil
	}
	return &ChangeLog{s.db}
}

// Create creates the change log's tables where they are missing.
// Servers opening at once serialise on an advisory lock. On a hot standby,
// where nothing can be created, tables the primary made are enough.
func (l *ChangeLog) Create(ctx context.Context) error {
	db := l.db
	var have bool
	err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL`, genTable, changeTable).Scan(&have)
	if err != nil || have {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range []string{
		`SELECT pg_advisory_xact_lock(7305114276411)`,
		`CREATE TABLE IF NOT EXISTS ` + genTable + ` (id INT PRIMARY KEY CHECK (id = 1), gen BIGINT NOT NULL, pruned BIGINT NOT NULL)`,
		`INSERT INTO ` + genTable + ` (id, gen, pruned) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING`,
		`CREATE TABLE IF NOT EXISTS ` + changeTable + ` (gen BIGINT PRIMARY KEY, quads INT NOT NULL, change BYTEA, at TIMESTAMPTZ NOT NULL DEFAULT now())`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create the change log: %w", err)
		}
	}
	return tx.Commit()
}

// nextGeneration takes the next generation for the write tx runs.
func nextGeneration(ctx context.Context, tx *sql.Tx) (uint64, error) {
	var gen int64
	err := tx.QueryRowContext(ctx, `UPDATE `+genTable+` SET gen = gen + 1 WHERE id = 1 RETURNING gen`).Scan(&gen)
	if err != nil {
		return 0, fmt.Errorf("take a generation: %w", err)
	}
	return uint64(gen), nil
}

// logChange records deltas as the change of generation gen; bulk records
// the change without its quads.
func logChange(ctx context.Context, tx *sql.Tx, gen uint64, deltas []cgraph.Delta, bulk bool) error {
	var change any // NULL for a bulk batch (a nil []byte would go as an empty bytea)
	if !bulk {
		enc, err := encodeChange(deltas)
		if err != nil {
			return err
		}
		change = enc
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO `+changeTable+` (gen, quads, change) VALUES ($1, $2, $3)`, int64(gen), len(deltas), change)
	if err != nil {
		return fmt.Errorf("log the change: %w", err)
	}
	return nil
}

// Prune drops the log rows older than the window (the last keep
// generations before gen, fewer where they name more than keepQuads
// quads) and records how far it pruned.
func (l *ChangeLog) Prune(ctx context.Context, gen uint64, keep, keepQuads int64) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The newest row past which the kept rows name more than the quad
	// budget, else the count window.
	var cut sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT max(gen) FROM (SELECT gen, sum(quads) OVER (ORDER BY gen DESC) AS newer FROM `+changeTable+`) t WHERE newer > $1`, keepQuads).Scan(&cut)
	if err != nil {
		return err
	}
	upto := int64(gen) - keep
	if cut.Valid && cut.Int64 > upto {
		upto = cut.Int64
	}
	if upto <= 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+changeTable+` WHERE gen <= $1`, upto); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+genTable+` SET pruned = GREATEST(pruned, $1) WHERE id = 1`, upto); err != nil {
		return err
	}
	return tx.Commit()
}

// Head returns the database's generation and how far its log is pruned.
func (l *ChangeLog) Head(ctx context.Context) (gen, pruned uint64, err error) {
	var g, p int64
	err = l.db.QueryRowContext(ctx, `SELECT gen, pruned FROM `+genTable+` WHERE id = 1`).Scan(&g, &p)
	return uint64(g), uint64(p), err
}

// ErrLogGap says the log cannot bring a reader from its generation to the
// database's: pruned past it, or holding a change without its quads.
var ErrLogGap = errors.New("the change log does not hold every change since")

// Since calls fn with each change after generation after, up to upto, in
// order: the quads it added and removed. It returns ErrLogGap (before
// calling fn) when a change in that range is missing or was logged without
// its quads.
func (l *ChangeLog) Since(ctx context.Context, after, upto uint64, fn func(gen uint64, adds, removes []quad.Quad) error) error {
	rows, err := l.db.QueryContext(ctx, `SELECT gen, change FROM `+changeTable+` WHERE gen > $1 AND gen <= $2 ORDER BY gen`, int64(after), int64(upto))
	if err != nil {
		return err
	}
	defer rows.Close()
	type logged struct {
		gen    uint64
		change []byte
	}
	var got []logged
	next := after + 1
	for rows.Next() {
		var l logged
		var g int64
		if err := rows.Scan(&g, &l.change); err != nil {
			return err
		}
		l.gen = uint64(g)
		if l.gen != next || l.change == nil {
			return fmt.Errorf("%w generation %d (found %d)", ErrLogGap, after, l.gen)
		}
		next++
		got = append(got, l)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if next != upto+1 {
		return fmt.Errorf("%w generation %d (log ends at %d, database at %d)", ErrLogGap, after, next-1, upto)
	}
	for _, l := range got {
		adds, removes, err := decodeChange(l.change)
		if err != nil {
			return fmt.Errorf("change of generation %d: %w", l.gen, err)
		}
		if err := fn(l.gen, adds, removes); err != nil {
			return err
		}
	}
	return nil
}

// encodeChange encodes deltas for the log: per delta one byte (1 add, 2
// remove), then its four values (nil for the default graph) each as a
// uvarint length and Cayley's protobuf encoding of the value (pquads), the
// encoding its key-value stores keep, so every value kind comes back as it
// was.
func encodeChange(deltas []cgraph.Delta) ([]byte, error) {
	var b []byte
	for _, d := range deltas {
		op := byte(1)
		if d.Action == cgraph.Delete {
			op = 2
		}
		b = append(b, op)
		for _, dir := range quad.Directions {
			v := d.Quad.Get(dir)
			if v == nil {
				b = binary.AppendUvarint(b, 0)
				continue
			}
			enc, err := pquads.MarshalValue(v)
			if err != nil {
				return nil, fmt.Errorf("encode %v for the change log: %w", v, err)
			}
			b = binary.AppendUvarint(b, uint64(len(enc)))
			b = append(b, enc...)
		}
	}
	return b, nil
}

// decodeChange is encodeChange's inverse.
func decodeChange(b []byte) (adds, removes []quad.Quad, err error) {
	for len(b) > 0 {
		op := b[0]
		b = b[1:]
		var q quad.Quad
		for _, dir := range quad.Directions {
			n, k := binary.Uvarint(b)
			if k <= 0 || uint64(len(b)-k) < n {
				return nil, nil, errors.New("truncated change")
			}
			b = b[k:]
			if n == 0 {
				continue
			}
			v, err := pquads.UnmarshalValue(b[:n])
			if err != nil {
				return nil, nil, err
			}
			q.Set(dir, v)
			b = b[n:]
		}
		switch op {
		case 1:
			adds = append(adds, q)
		case 2:
			removes = append(removes, q)
		default:
			return nil, nil, fmt.Errorf("unknown change %d", op)
		}
	}
	return adds, removes, nil
}
