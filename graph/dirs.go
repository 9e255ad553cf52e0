package graph

import (
	"os"
	"path/filepath"
)

// embeddedFiles are the files by which an embedded store's directory is
// recognised: bolt's one database file, leveldb's CURRENT pointer.
var embeddedFiles = []struct {
	backend Backend
	file    string
}{{Bolt, "indexes.bolt"}, {LevelDB, "CURRENT"}}

// checkDir refuses a directory that holds another embedded backend's store
// (opening it would create a second, empty store beside it) and, when
// mustExist is set, a directory that does not exist (a read-only command
// would otherwise create an empty store and report nothing in it).
func checkDir(op string, b Backend, dir string, mustExist bool) error {
	info, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err) && mustExist:
		return Errorf(op, NotFound, "no store at %s: the directory does not exist (check -data)", dir)
	case os.IsNotExist(err):
		return nil
	case err != nil:
		return E(op, Unavailable, err)
	case !info.IsDir():
		return Errorf(op, Invalid, "%s is a file, not a store directory", dir)
	}
	for _, e := range embeddedFiles {
		if e.backend == b {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.file)); err == nil {
			mine := ""
			for _, m := range embeddedFiles {
				if m.backend == b {
					mine = m.file
				}
			}
			if _, err := os.Stat(filepath.Join(dir, mine)); err != nil {
				return Errorf(op, Invalid, "%s holds a %s store (%s), not a %s one: pass -backend %s", dir, e.backend, e.file, b, e.backend)
			}
		}
	}
	if mustExist {
		for _, e := range embeddedFiles {
			if e.backend == b {
				if _, err := os.Stat(filepath.Join(dir, e.file)); err != nil {
					return Errorf(op, NotFound, "no %s store in %s (found no %s)", b, dir, e.file)
				}
			}
		}
	}
	return nil
}
