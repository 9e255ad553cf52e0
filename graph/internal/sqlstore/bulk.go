package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Bulk loads into an empty PostgreSQL store build the quads table's
// secondary indexes once, at the end, instead of row by row.
//
// Cayley's schema gives the quads table four non-unique three-column
// indexes (spo, ops, osp, pos, fill factor 50) and four foreign keys to the
// nodes table, beside the primary key and the two unique indexes that make
// loads idempotent. Every row inserted updates six B-trees at random places
// (the keys are SHA-1 hashes) and checks four keys in nodes: at 1M quads
// that is most of the load's time (docs/performance.md). Into an empty
// store, a bulk load (Store.BeginBulk, Store.EndBulk) instead:
//
//   - saves the definitions of those indexes and foreign keys, as
//     PostgreSQL prints them, into innograph_bulk_schema and drops them, in
//     one transaction; the primary key and the unique indexes stay, so
//     duplicates are still refused and concurrent writers stay correct;
//   - loads;
//   - recreates every saved definition (a sorted index build, one join to
//     validate each key) and deletes the saved rows, in one transaction.
//
// A load that dies in between leaves the saved definitions behind; Open
// recreates them before the store serves anything, so a crash costs time,
// never an index. Reads during the load are answered, more slowly where
// they would have used a dropped index.

// bulkSchemaTable holds the definitions a bulk load dropped.
const bulkSchemaTable = "innograph_bulk_schema"

// bulkIndexes and bulkForeignKeys are what a bulk load drops, by the names
// Cayley's PostgreSQL schema gives them. Whatever of them exists is saved as
// PostgreSQL defines it, so a schema Cayley changes is restored as it was.
var (
	bulkIndexes     = []string{"spo_index", "ops_index", "osp_index", "pos_index"}
	bulkForeignKeys = []string{"subject_hash_fk", "predicate_hash_fk", "object_hash_fk", "label_hash_fk"}
)

// errNoBulk marks why a bulk load cannot start where an ordinary load still
// can: the role does not own the tables, their lock was not granted in
// bulkLockWait, or another server created the bulk table at the same time.
var errNoBulk = errors.New("no bulk load")

// bulkLockWait bounds the wait for the exclusive lock a bulk load starts
// with: queued behind a long read on another server, it would hold up every
// reader of the two tables behind it.
const bulkLockWait = "5s"

// dropForBulk drops the secondary indexes and foreign keys of quads,
// saving their definitions, if quads is still empty once locked. It
// reports whether it dropped anything.
func (s *Store) dropForBulk(ctx context.Context) (dropped bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() {
		if err != nil || !dropped {
			tx.Rollback()
		}
		var pe *pq.Error
		// insufficient_privilege, lock_not_available, and unique_violation
		// (two first bulk loads creating innograph_bulk_schema at once).
		if errors.As(err, &pe) && (pe.Code == "42501" || pe.Code == "55P03" || pe.Code == "23505") {
			err = fmt.Errorf("%w: %v", errNoBulk, err)
		}
	}()
	if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '`+bulkLockWait+`'`); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+bulkSchemaTable+` (name TEXT PRIMARY KEY, kind TEXT NOT NULL, ddl TEXT NOT NULL)`); err != nil {
		return false, err
	}
	// In the order writers take them (nodes, then quads), so a writer
	// holding one is waited for, not deadlocked with; dropping a foreign
	// key locks both tables.
	if _, err := tx.ExecContext(ctx, `LOCK TABLE nodes, quads IN ACCESS EXCLUSIVE MODE`); err != nil {
		return false, err
	}
	var used bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM quads)`).Scan(&used); err != nil || used {
		return false, err // another server wrote first
	}
	defs, err := schemaDefs(ctx, tx, "index", indexDefsQuery, bulkIndexes)
	if err != nil {
		return false, err
	}
	fks, err := schemaDefs(ctx, tx, "foreign key", `SELECT conname, 'ALTER TABLE quads ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'quads'::regclass AND contype = 'f' AND conname = ANY($1)`, bulkForeignKeys)
	if err != nil {
		return false, err
	}
	defs = append(defs, fks...)
	for _, d := range defs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+bulkSchemaTable+` (name, kind, ddl) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`, d.name, d.kind, d.ddl); err != nil {
			return false, err
		}
		drop := "DROP INDEX " + pq.QuoteIdentifier(d.name)
		if d.kind == "foreign key" {
			drop = "ALTER TABLE quads DROP CONSTRAINT " + pq.QuoteIdentifier(d.name)
		}
		if _, err := tx.ExecContext(ctx, drop); err != nil {
			return false, fmt.Errorf("%s: %w", drop, err)
		}
	}
	if len(defs) == 0 {
		return false, nil
	}
	return true, tx.Commit()
}

// indexDefsQuery selects the name and definition of each index of quads
// named in $1; foreign keys are found by the same table reference.
const indexDefsQuery = `SELECT c.relname::text, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'quads'::regclass AND c.relname = ANY($1)`

// schemaDef is a saved index or foreign key: its name, kind and the
// statement that creates it.
type schemaDef struct{ name, kind, ddl string }

// schemaDefs runs query, which selects a name and its creating statement
// for each of names, and returns them as definitions of kind.
func schemaDefs(ctx context.Context, tx *sql.Tx, kind, query string, names []string) ([]schemaDef, error) {
	rows, err := tx.QueryContext(ctx, query, pq.Array(names))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var defs []schemaDef
	for rows.Next() {
		d := schemaDef{kind: kind}
		if err := rows.Scan(&d.name, &d.ddl); err != nil {
			return nil, err
		}
		defs = append(defs, d)
	}
	return defs, rows.Err()
}

// restoreSchema recreates every index and foreign key a bulk load saved
// and forgets them, in one transaction: at the end of the load, and in Open
// after a load that did not finish. A deadlock with a writer of another
// server (Cayley's deletes lock quads before nodes) is retried.
func restoreSchema(ctx context.Context, db *sql.DB) error {
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, bulkSchemaTable).Scan(&exists); err != nil || !exists {
		return err
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if err = restoreOnce(ctx, db); err == nil {
			return nil
		}
		var pe *pq.Error
		if !errors.As(err, &pe) || pe.Code != "40P01" { // deadlock_detected
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
	}
	return err
}

func restoreOnce(ctx context.Context, db *sql.DB) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	// A larger sort memory for the index builds, for this transaction only.
	if _, err := tx.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return err
	}
	// Writers out, in their own order (nodes, then quads), before the
	// index builds and key checks take their locks one by one.
	if _, err := tx.ExecContext(ctx, `LOCK TABLE nodes, quads IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT name, kind, ddl FROM `+bulkSchemaTable+` ORDER BY kind DESC, name FOR UPDATE`)
	if err != nil {
		return err
	}
	var defs []schemaDef
	for rows.Next() {
		var d schemaDef
		if err := rows.Scan(&d.name, &d.kind, &d.ddl); err != nil {
			rows.Close()
			return err
		}
		defs = append(defs, d)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, d := range defs {
		var present bool
		q := `SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'quads'::regclass AND c.relname = $1)`
		if d.kind == "foreign key" {
			q = `SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'quads'::regclass AND conname = $1)`
		}
		if err := tx.QueryRowContext(ctx, q, d.name).Scan(&present); err != nil {
			return err
		}
		if !present {
			if _, err := tx.ExecContext(ctx, d.ddl); err != nil {
				return fmt.Errorf("restore %s %s (%s): %w", d.kind, d.name, d.ddl, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+bulkSchemaTable+` WHERE name = $1`, d.name); err != nil {
			return err
		}
	}
	return tx.Commit()
}
