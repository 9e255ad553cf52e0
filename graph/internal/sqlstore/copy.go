package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/lib/pq"
)

// Cayley's SQL backend applies a batch with one prepared INSERT per node and
// one per quad: a round trip each, about 10,000 quads/s against a local
// PostgreSQL. For batches that only add, copyAdd writes the same rows into
// the same tables (Cayley's schema: nodes keyed by value hash with a
// reference count, quads as four hashes) with COPY into temporary tables and
// one INSERT ... SELECT per table, in one transaction. The row contents come
// from Cayley's own functions (graphlog.SplitDeltas, csql.NodeValues), so
// the stored rows are the ones Cayley would have written, and reads go
// through Cayley unchanged:
//   - nodes: refs grows by the batch's references, as in Cayley's
//     "ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs";
//   - quads: "ON CONFLICT DO NOTHING", Cayley's IgnoreDup, so loads stay
//     idempotent.
//
// Only PostgreSQL takes this path: CockroachDB runs on Cayley's pgx driver
// and its own retrying transactions, so it keeps Cayley's ApplyDeltas.
// Cayley's SQL store keeps quad and node counts that its ApplyDeltas resets;
// innograph never reads them (Stats counts by iterating), so the COPY path
// leaving them stale within a process is harmless.

// nodeColumns are the columns of Cayley's nodes table, in its order.
var nodeColumns = []string{"hash", "refs", "value", "value_string", "datatype", "language", "iri", "bnode", "value_int", "value_bool", "value_float", "value_time"}

// copyAdd adds the quads of deltas (all of them Adds) in one transaction.
func (s *Store) copyAdd(deltas []cgraph.Delta) (err error) {
	ctx := context.Background() // a batch, once started, runs to completion
	d := graphlog.SplitDeltas(deltas)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if s.noSync {
		// Atomicity is untouched: only the wait for the WAL flush goes.
		if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return err
		}
	}
	// Temporary tables live until the commit; ON COMMIT DROP keeps a
	// pooled connection clean for the next batch.
	for _, stmt := range []string{
		`CREATE TEMP TABLE innograph_load_nodes (LIKE nodes INCLUDING DEFAULTS) ON COMMIT DROP`,
		`CREATE TEMP TABLE innograph_load_quads (subject_hash BYTEA, predicate_hash BYTEA, object_hash BYTEA, label_hash BYTEA) ON COMMIT DROP`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	row := make([]any, len(nodeColumns))
	err = copyRows(ctx, tx, "innograph_load_nodes", nodeColumns, len(d.IncNode), func(i int) ([]any, error) {
		n := d.IncNode[i]
		typ, vals, err := csql.NodeValues(csql.NodeHash{ValueHash: n.Hash}, n.Val)
		if err != nil {
			return nil, fmt.Errorf("node %v: %w", n.Val, err)
		}
		clear(row)
		row[0], row[1] = vals[0], n.RefInc
		for j, col := range typ.Columns() {
			row[columnIndex(col)] = vals[1+j]
		}
		return row, nil
	})
	if err != nil {
		return err
	}
	quadCols := []string{"subject_hash", "predicate_hash", "object_hash", "label_hash"}
	qrow := make([]any, 4)
	err = copyRows(ctx, tx, "innograph_load_quads", quadCols, len(d.QuadAdd), func(i int) ([]any, error) {
		for j, h := range d.QuadAdd[i].Quad.Dirs() {
			qrow[j] = csql.NodeHash{ValueHash: h}.SQLValue()
		}
		return qrow, nil
	})
	if err != nil {
		return err
	}
	for _, stmt := range []string{
		// In hash order, so two servers loading overlapping batches lock
		// shared nodes in the same order instead of deadlocking.
		`INSERT INTO nodes SELECT * FROM innograph_load_nodes ORDER BY hash ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`,
		`INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts) SELECT subject_hash, predicate_hash, object_hash, label_hash, now() FROM innograph_load_quads ON CONFLICT DO NOTHING`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func columnIndex(col string) int {
	for i, c := range nodeColumns {
		if c == col {
			return i
		}
	}
	panic("sqlstore: Cayley node column " + col + " unknown") // Cayley's schema changed
}

// copyRows streams n rows into table with COPY.
func copyRows(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row func(int) ([]any, error)) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, cols...))
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		vals, err := row(i)
		if err != nil {
			stmt.Close()
			return err
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			stmt.Close()
			return err
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return err
	}
	return stmt.Close()
}
