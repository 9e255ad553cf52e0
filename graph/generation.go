package graph

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// genFile keeps an embedded store's generation (Store.Generation) across
// restarts, so caches keyed by it (ETags) stay valid after a clean one. It
// holds "<generation> clean" after Close and "<generation> open" while a
// Store has the directory open. Writes do not touch it: a store that was
// not closed cleanly (a crash, a kill) starts 2^32 generations on, past
// any generation the lost process can have handed out, so a generation
// never names two states.
const genFile = "innograph-generation"

// uncleanStep is how far the generation moves on after an unclean stop.
const uncleanStep = 1 << 32

// openGeneration sets the store's first generation: for an embedded store
// from genFile (which it marks open), for the memory store from the clock,
// so a restarted server never repeats one. PostgreSQL keeps its generation
// in the database (changelog_sql.go).
func (s *Store) openGeneration() error {
	switch s.backend {
	case Bolt, LevelDB:
	case Memory:
		s.gen.Store(uint64(time.Now().UnixNano()))
		return nil
	default:
		return nil
	}
	path := filepath.Join(s.path, genFile)
	var start uint64
	b, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
	case err != nil:
		return err
	default:
		text, state, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
		n, perr := strconv.ParseUint(text, 10, 64)
		if perr != nil {
			return fmt.Errorf("%s: %q is no generation", path, b)
		}
		start = n
		if state != "clean" {
			start += uncleanStep
		}
	}
	s.gen.Store(start)
	if err := writeGeneration(path, start, "open"); err != nil {
		return err
	}
	s.genOpen = true
	return nil
}

// closeGeneration records the generation of a cleanly closed embedded
// store.
func (s *Store) closeGeneration() error {
	if !s.genOpen {
		return nil
	}
	return writeGeneration(filepath.Join(s.path, genFile), s.gen.Load(), "clean")
}

// writeGeneration replaces path with "<gen> <state>", atomically and
// durably: a crash leaves the old file or the new one.
func writeGeneration(path string, gen uint64, state string) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "%d %s\n", gen, state)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
