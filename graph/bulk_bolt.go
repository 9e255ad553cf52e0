package graph

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
	"github.com/cayleygraph/cayley/graph/kv"
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
// older to protect, so Load runs such a load with bolt's NoSync and one
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
//
// Writes other than Load's batches (Write: the HTTP API) are always synced,
// and their fsync makes the bulk batches before them durable too. Where the
// boot cannot be identified (not Linux) bulk loads sync every batch.

// boltFile is where Cayley's bolt backend keeps a store: a file in the
// store's directory.
const boltFile = "indexes.bolt"

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

// openBolt opens (creating and initialising on first use) the bolt store in
// dir the way Cayley's bolt backend does, same file and layout, but keeps
// the bolt handle so Load can switch fsync off for a bulk load and sync once
// at the end, and runs Cayley on boltKV (boltkv.go) instead of hidalgo's
// adapter. It waits at most lockWait for another process holding the
// file; Cayley's own open waits forever.
func openBolt(dir string, cfg Config, opts cgraph.Options) (*bolt.DB, cgraph.QuadStore, error) {
	const lockWait = 3 * time.Second
	path := filepath.Join(dir, boltFile)
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: lockWait})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, nil, fmt.Errorf("%s is in use by another process (waited %s)", path, lockWait)
	}
	if err != nil {
		return nil, nil, err
	}
	hdb := boltKV{db}
	db.NoSync, db.NoGrowSync = cfg.NoSync, cfg.NoSync
	if err := recoverBulk(dir, db); err != nil {
		hdb.Close()
		return nil, nil, err
	}
	if err := kv.Init(hdb, opts); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
		hdb.Close()
		return nil, nil, fmt.Errorf("initialise: %w", err)
	}
	qs, err := kv.New(hdb, opts)
	if err != nil {
		hdb.Close()
		return nil, nil, err
	}
	return db, qs, nil
}

// recoverBulk deals with the marker a bulk load left behind (see above).
func recoverBulk(dir string, db *bolt.DB) error {
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
	if err := db.Sync(); err != nil {
		return err
	}
	return removeSynced(name)
}

// beginBulk writes the marker of a bulk load into dir and returns true, or
// returns false when a bulk load cannot be guarded here (no boot id).
func beginBulk(dir string) (bool, error) {
	id := bootID()
	if id == "" {
		return false, nil
	}
	b, err := json.Marshal(bulkMarker{BootID: id, Started: time.Now().UTC(), PID: os.Getpid()})
	if err != nil {
		return false, err
	}
	name := filepath.Join(dir, bulkMarkerName)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
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
		err = syncDir(dir)
	}
	if err != nil {
		os.Remove(name) // a marker not known to be on disk guards nothing
		return false, err
	}
	return true, nil
}

// endBulk makes a bulk load durable: it syncs the bolt file, then removes
// the marker.
func endBulk(dir string, db *bolt.DB) error {
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
