package kvstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
)

// Bulk loads into an empty bolt store skip the fsync after each batch.
//
// bolt writes every committed page with pwrite before Commit returns, so
// what a killed process committed is in the operating system's page cache
// and survives the process; only a machine crash or power loss can lose it,
// and with it the order in which pages reach the disk, which can leave a
// bolt file whose meta page points at pages that never arrived. fsync after
// every 10,000-quad batch guards against that and costs about a fifth of a
// 1M-quad load (docs/performance.md). Into an empty store there is nothing
// older to protect, so a bulk load (Store.BeginBulk) runs such a load with bolt's NoSync and one
// fsync at the end, and guards the gap with a marker file:
//
//   - before the first batch, the marker (bulkMarkerName in the store's
//     directory) is written and synced, naming this boot of the machine
//     (/proc/sys/kernel/random/boot_id);
//   - after the last batch, the bolt file is synced, then the marker is
//     removed;
//   - Open finding a marker of the same boot knows the page cache still
//     holds every committed batch (a process crash): it syncs the file and
//     removes the marker. A marker of another boot means the machine
//     restarted mid-load: Open refuses the store, saying so, rather than
//     serve a file that may be damaged.
//   - a load into a fresh store written directly in Cayley's layout
//     (direct.go) leaves the store inconsistent until it ends, and its
//     marker says so (Direct): Open finding such a marker of the same boot
//     puts the store back to the fresh one the load started from, so a
//     half-written store never looks complete.
//
// Batches not applied as bulk are always synced,
// and their fsync makes the bulk batches before them durable too. Where the
// boot cannot be identified (not Linux) bulk loads sync every batch.

// bulkMarkerName is the marker of a bulk load in progress.
const bulkMarkerName = "bulk-load-in-progress.json"

// bootIDFile names the current boot of a Linux machine; a variable so tests
// can stand in for another boot.
var bootIDFile = "/proc/sys/kernel/random/boot_id"

// bulkMarker is the content of the marker file.
type bulkMarker struct {
	BootID  string    `json:"bootID"`
	Started time.Time `json:"started"`
	PID     int       `json:"pid"`
	// Direct says the store is being written directly (direct.go) and
	// is not a whole store until the load ends.
	Direct bool `json:"direct,omitempty"`
}

// bootID returns the identity of the machine's current boot, or "" when it
// cannot be known.
func bootID() string {
	b, err := os.ReadFile(bootIDFile)
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(b))
}

// recoverBulk deals with the marker a bulk load left behind (see above).
func recoverBulk(dir string, db *bolt.DB, opts cgraph.Options) error {
	name := filepath.Join(dir, bulkMarkerName)
	b, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var m bulkMarker
	if err := json.Unmarshal(b, &m); err != nil || m.BootID == "" {
		return fmt.Errorf("%s: unreadable bulk-load marker (%v); a bulk load without fsync was interrupted, and whether the machine restarted since cannot be told: remove the directory and load again", name, err)
	}
	if m.BootID != bootID() {
		return fmt.Errorf("a bulk load into %s without fsync (started %s by process %d) was interrupted by a restart of the machine, so the store may be damaged: remove the directory and load again", dir, m.Started.Format(time.RFC3339), m.PID)
	}
	// The same boot: the process died, the page cache kept its writes.
	if m.Direct {
		// ... of a store that was fresh before the load and is whole
		// only after it: back to the fresh store.
		if err := resetFresh(db, opts); err != nil {
			return fmt.Errorf("empty the store a bulk load left half-written: %w", err)
		}
	}
	if err := db.Sync(); err != nil {
		return err
	}
	return removeSynced(name)
}

// writeMarker writes (or rewrites) the marker of a bulk load into dir,
// direct or not, and returns true, or returns false when a bulk load cannot
// be guarded here (no boot id).
func writeMarker(dir string, direct bool) (bool, error) {
	id := bootID()
	if id == "" {
		return false, nil
	}
	b, err := json.Marshal(bulkMarker{BootID: id, Started: time.Now().UTC(), PID: os.Getpid(), Direct: direct})
	if err != nil {
		return false, err
	}
	// Written aside and renamed, so a marker being rewritten is always
	// the old one or the new one.
	name := filepath.Join(dir, bulkMarkerName)
	tmp := name + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return false, err
	}
	_, err = f.Write(b)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}

// syncAndUnmark makes a bulk load durable: it syncs the bolt file, then
// removes the marker.
func syncAndUnmark(dir string, db *bolt.DB) error {
	if err := db.Sync(); err != nil {
		return err
	}
	return removeSynced(filepath.Join(dir, bulkMarkerName))
}

// removeSynced removes a file and syncs its directory, so the removal
// itself survives a crash.
func removeSynced(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(name))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err // some file systems cannot sync a directory (EINVAL)
	}
	return nil
}
