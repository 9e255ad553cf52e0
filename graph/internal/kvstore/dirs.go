package kvstore

import (
	"fmt"
	"os"
	"path/filepath"
)

// embeddedFiles are the files by which an embedded store's directory is
// recognised: bolt's one database file, leveldb's CURRENT pointer.
var embeddedFiles = []struct {
	backend Backend
	file    string
}{{Bolt, boltFile}, {LevelDB, "CURRENT"}}

// boltFile is where Cayley's bolt backend keeps a store: a file in the
// store's directory.
const boltFile = "indexes.bolt"

// DirError is why a store directory cannot be opened: NotFound when
// there is no store where one must exist, otherwise the directory is not
// usable as asked (a file, another backend's store). Its message is meant
// for the user.
type DirError struct {
	NotFound bool
	Msg      string
}

func (e *DirError) Error() string { return e.Msg }

func dirErr(notFound bool, format string, args ...any) error {
	return &DirError{NotFound: notFound, Msg: fmt.Sprintf(format, args...)}
}

// checkDir refuses a directory that holds another embedded backend's store
// (opening it would create a second, empty store beside it) and, when
// mustExist is set, a directory that does not exist (a read-only command
// would otherwise create an empty store and report nothing in it). It
// returns a *DirError for those, anything else as it comes.
func checkDir(b Backend, dir string, mustExist bool) error {
	info, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err) && mustExist:
		return dirErr(true, "no store at %s: the directory does not exist (check -data)", dir)
	case os.IsNotExist(err):
		return nil
	case err != nil:
		return err
	case !info.IsDir():
		return dirErr(false, "%s is a file, not a store directory", dir)
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
				return dirErr(false, "%s holds a %s store (%s), not a %s one: pass -backend %s", dir, e.backend, e.file, b, e.backend)
			}
		}
	}
	if mustExist {
		for _, e := range embeddedFiles {
			if e.backend == b {
				if _, err := os.Stat(filepath.Join(dir, e.file)); err != nil {
					return dirErr(true, "no %s store in %s (found no %s)", b, dir, e.file)
				}
			}
		}
	}
	return nil
}
