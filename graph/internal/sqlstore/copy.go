package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
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

// apply writes deltas to PostgreSQL in one transaction, which also
// takes the next generation of the database and records the change in the
// change log (changelog.go), and returns that generation. Adds go in
// with COPY (copyAdd), removes by a join with their COPY-ed hashes
// (deleteQuads). bulk says the batch belongs to a bulk load into the empty
// store: its change is logged without its quads (other servers rebuild
// their read tier from the tables instead).
func (s *Store) apply(deltas []cgraph.Delta, bulk bool) (gen uint64, err error) {
	ctx := context.Background() // a batch, once started, runs to completion
	// Adds and removes apart: graphlog.SplitDeltas nets each node's
	// references over the batch, and a node that loses more quads than it
	// gains would not be written for the quads that add it.
	var addQuads, delQuads []quad.Quad
	for _, d := range deltas {
		if d.Action == cgraph.Delete {
			delQuads = append(delQuads, d.Quad)
		} else {
			addQuads = append(addQuads, d.Quad)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if s.noSync {
		// Atomicity is untouched: only the wait for the WAL flush goes.
		if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return 0, err
		}
	}
	// First, so writers from every server queue here, in one order.
	if gen, err = nextGeneration(ctx, tx); err != nil {
		return 0, err
	}
	if len(addQuads) > 0 {
		if err := copyAdd(ctx, tx, graphlog.InsertQuads(addQuads)); err != nil {
			return 0, err
		}
	}
	if len(delQuads) > 0 {
		if err := deleteQuads(ctx, tx, graphlog.InsertQuads(delQuads).QuadAdd); err != nil {
			return 0, err
		}
	}
	if err := logChange(ctx, tx, gen, deltas, bulk); err != nil {
		return 0, err
	}
	return gen, tx.Commit()
}

// copyAdd adds the quads of d.QuadAdd and the references of d.IncNode
// within tx.
func copyAdd(ctx context.Context, tx *sql.Tx, d *graphlog.Deltas) error {
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
	err := copyRows(ctx, tx, "innograph_load_nodes", nodeColumns, len(d.IncNode), func(i int) ([]any, error) {
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
	if err := copyQuads(ctx, tx, "innograph_load_quads", d.QuadAdd); err != nil {
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
	return nil
}

// copyQuads streams the hashes of qs into the temporary table.
func copyQuads(ctx context.Context, tx *sql.Tx, table string, qs []graphlog.QuadUpdate) error {
	quadCols := []string{"subject_hash", "predicate_hash", "object_hash", "label_hash"}
	qrow := make([]any, 4)
	return copyRows(ctx, tx, table, quadCols, len(qs), func(i int) ([]any, error) {
		for j, h := range qs[i].Quad.Dirs() {
			qrow[j] = csql.NodeHash{ValueHash: h}.SQLValue()
		}
		return qrow, nil
	})
}

// deleteQuads removes the quads qs within tx, as Cayley's ApplyDeltas
// does with IgnoreMissing: quads not stored are skipped; each node loses
// one reference per removed quad that names it, and nodes left with none
// go. It runs after the batch's adds, whose references are counted.
func deleteQuads(ctx context.Context, tx *sql.Tx, qs []graphlog.QuadUpdate) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE innograph_del_quads (subject_hash BYTEA, predicate_hash BYTEA, object_hash BYTEA, label_hash BYTEA) ON COMMIT DROP`); err != nil {
		return err
	}
	if err := copyQuads(ctx, tx, "innograph_del_quads", qs); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `
		WITH gone AS (
			DELETE FROM quads q USING (SELECT DISTINCT * FROM innograph_del_quads) x
			WHERE q.subject_hash = x.subject_hash AND q.predicate_hash = x.predicate_hash AND q.object_hash = x.object_hash
			  AND (q.label_hash = x.label_hash OR q.label_hash IS NULL AND x.label_hash IS NULL)
			RETURNING q.subject_hash, q.predicate_hash, q.object_hash, q.label_hash
		), refs AS (
			SELECT h, count(*) AS n FROM gone,
				LATERAL (VALUES (gone.subject_hash), (gone.predicate_hash), (gone.object_hash), (gone.label_hash)) v(h)
			WHERE h IS NOT NULL GROUP BY h
		), dec AS (
			UPDATE nodes SET refs = nodes.refs - refs.n FROM refs WHERE nodes.hash = refs.h
			RETURNING nodes.hash, nodes.refs
		)
		SELECT hash FROM dec WHERE refs <= 0`)
	if err != nil {
		return err
	}
	var unused [][]byte
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return err
		}
		unused = append(unused, h)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(unused) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM nodes WHERE hash = ANY($1) AND refs <= 0`, pq.ByteaArray(unused)); err != nil {
			return err
		}
	}
	return nil
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
