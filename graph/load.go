package graph

import (
	"context"
	"errors"
	"io"

	"github.com/cayleygraph/quad"
)

// DefaultBatchSize is the number of quads Load applies per transaction.
const DefaultBatchSize = 10000

// LoadOptions configure Load.
type LoadOptions struct {
	// BatchSize is the number of quads per transaction; 0 means
	// DefaultBatchSize.
	BatchSize int
	// Progress, when set, is called after each batch with the number of
	// quads read so far.
	Progress func(quads int64)
}

// Load reads every quad from r and adds it to the store in batches, each
// applied whole or not at all. Quads already stored are skipped, so loading
// the same document twice adds nothing. On a read error Load stops and
// returns it (the batches before it stay applied); callers that need the
// whole document or nothing validate it first. It returns the number of
// quads read.
func (s *Store) Load(ctx context.Context, r quad.Reader, opt LoadOptions) (int64, error) {
	size := opt.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	buf := make([]quad.Quad, 0, size)
	var n int64
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		err := s.Write(ctx, func(b *Batch) error {
			for _, q := range buf {
				b.Add(q)
			}
			return nil
		})
		buf = buf[:0]
		if err == nil && opt.Progress != nil {
			opt.Progress(n)
		}
		return err
	}
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, err
		}
		n++
		buf = append(buf, q)
		if len(buf) == size {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	return n, flush()
}
