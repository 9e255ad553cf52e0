package graph

import (
	"context"
	"io/fs"
	"path/filepath"
)

// size reports the store's bytes on disk, or 0 and why not. It is not
// cached: files grow without a write of ours (bolt's free pages, leveldb's
// compactions).
func (s *Store) size(ctx context.Context) (int64, string) {
	switch s.backend {
	case Memory:
		return 0, "the memory backend keeps nothing on disk"
	case Bolt, LevelDB:
		var n int64
		err := filepath.WalkDir(s.path, func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				fi, err := d.Info()
				if err != nil {
					return err
				}
				n += fi.Size()
			}
			return nil
		})
		if err != nil {
			return 0, "cannot read the store directory: " + err.Error()
		}
		return n, ""
	case Postgres:
		var n int64
		err := s.sqlDB.QueryRowContext(ctx, `SELECT pg_total_relation_size('nodes') + pg_total_relation_size('quads')`).Scan(&n)
		if err != nil {
			return 0, "PostgreSQL did not report the table sizes: " + err.Error()
		}
		return n, ""
	default:
		return 0, "CockroachDB has no pg_total_relation_size, and Cayley's store exposes no connection to ask it otherwise"
	}
}
