package kvstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// genFile keeps the store's generation (the graph Store's Generation)
// across restarts, so caches keyed by it (ETags) stay valid after a clean
// one. It holds "<generation> clean" after Close and "<generation> open"
// while a Store has the directory open. Writes do not touch it: a store
// that was not closed cleanly (a crash, a kill) starts 2^32 generations
// on, past any generation the lost process can have handed out, so a
// generation never names two states.
const genFile = "innograph-generation"

// uncleanStep is how far the generation moves on after an unclean stop.
const uncleanStep = 1 << 32

// OpenGeneration returns the generation the store starts from, read from
// genFile, which it marks open.
func (s *Store) OpenGeneration() (uint64, error) {
	path := filepath.Join(s.dir, genFile)
	var start uint64
	b, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
	case err != nil:
		return 0, err
	default:
		text, state, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
		n, perr := strconv.ParseUint(text, 10, 64)
		if perr != nil {
			return 0, fmt.Errorf("%s: %q is no generation", path, b)
		}
		start = n
		if state != "clean" {
			start += uncleanStep
		}
	}
	if err := writeGeneration(path, start, "open"); err != nil {
		return 0, err
	}
	return start, nil
}

// CloseGeneration records gen as the generation of the cleanly closed
// store.
func (s *Store) CloseGeneration(gen uint64) error {
	return writeGeneration(filepath.Join(s.dir, genFile), gen, "clean")
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
