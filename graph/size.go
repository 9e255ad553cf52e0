package graph

import "context"

// size reports the store's bytes on disk, or 0 and why not. It is not
// cached: files grow without a write of ours (bolt's free pages, leveldb's
// compactions).
func (s *Store) size(ctx context.Context) (int64, string) { return s.be.Size(ctx) }
