package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFailover follows docs/scale.md's failover on a primary and a hot
// standby of its own (made here with initdb and pg_basebackup, so that
// promoting the standby disturbs no other test): a read-write server on
// the primary and a read-only one on the standby; a write; the writer
// stopped and the standby promoted; a read-write server started on the
// promoted standby, which holds the write and continues the generations;
// the read-only server, still running, sees the new write, reports its
// database no longer a standby, and still refuses writes.
func TestFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("failover test skipped in -short mode")
	}
	bin, who := failoverPrereqs(t)
	// Not t.TempDir: the postgres user must reach the clusters' directories.
	dir, err := os.MkdirTemp("", "innograph-failover-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pgDir, sbDir := filepath.Join(dir, "primary"), filepath.Join(dir, "standby")
	for _, d := range []string{pgDir, sbDir} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(d, who.uid, who.gid); err != nil {
			t.Fatal(err)
		}
	}
	pgPort, sbPort := freePort(t), freePort(t)
	asPostgres := func(cmdline string) {
		t.Helper()
		out, err := exec.Command("su", who.name, "-s", "/bin/sh", "-c", cmdline).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmdline, err, out)
		}
	}
	opts := func(port int, sockets string) string {
		return fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=100 -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on", port, sockets)
	}
	asPostgres(fmt.Sprintf("%s/initdb -D %s -A trust -U postgres -E UTF8 >/dev/null", bin, pgDir))
	asPostgres(fmt.Sprintf("%s/pg_ctl -D %s -l %s/log -o '%s' -w start >/dev/null", bin, pgDir, pgDir, opts(pgPort, pgDir)))
	t.Cleanup(func() {
		exec.Command("su", who.name, "-s", "/bin/sh", "-c", fmt.Sprintf("%s/pg_ctl -D %s -m immediate -w stop", bin, pgDir)).Run()
	})
	asPostgres(fmt.Sprintf("%s/pg_basebackup -h 127.0.0.1 -p %d -U postgres -D %s -R -X stream -c fast", bin, pgPort, sbDir))
	asPostgres(fmt.Sprintf("%s/pg_ctl -D %s -l %s/log -o '%s' -w start >/dev/null", bin, sbDir, sbDir, opts(sbPort, sbDir)))
	t.Cleanup(func() {
		exec.Command("su", who.name, "-s", "/bin/sh", "-c", fmt.Sprintf("%s/pg_ctl -D %s -m immediate -w stop", bin, sbDir)).Run()
	})
	dsn := func(port int) string {
		return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	}

	w := startServer(t, "-backend", "postgres", "-dsn", dsn(pgPort), "-write-tokens", "w:"+scaleWriteSecret)
	waitReplayed(t, openDB(t, dsn(pgPort)), openDB(t, dsn(sbPort)))
	r := startServer(t, "-backend", "postgres", "-dsn", dsn(sbPort), "-read-only", "-primary-url", w.url+"/", "-write-tokens", "w:"+scaleWriteSecret)
	before := "before the failover " + time.Now().Format(time.RFC3339Nano)
	gen1 := commentWrite(t, w.url, before)
	if resp, body := httpDo(t, "GET", r.url+replicaDoc, map[string]string{"Accept": "text/turtle", "Innograph-Min-Generation": strconv.FormatUint(gen1, 10)}, ""); resp.StatusCode != 200 || !strings.Contains(body, before) {
		t.Fatalf("the write is not readable on the standby before the failover: %d", resp.StatusCode)
	}

	// 1. Writes stop. 2. The standby is promoted.
	if err := w.stop(); err != nil {
		t.Fatalf("stop the read-write server: %v", err)
	}
	asPostgres(fmt.Sprintf("%s/pg_ctl -D %s -w promote >/dev/null", bin, sbDir))
	// 3. A read-write server on the new primary.
	w2 := startServer(t, "-backend", "postgres", "-dsn", dsn(sbPort), "-write-tokens", "w:"+scaleWriteSecret)
	if resp, body := httpDo(t, "GET", w2.url+replicaDoc, map[string]string{"Accept": "text/turtle"}, ""); resp.StatusCode != 200 || !strings.Contains(body, before) {
		t.Fatalf("the new primary's server lacks the write made before the failover: %d", resp.StatusCode)
	}
	after := "after the failover " + time.Now().Format(time.RFC3339Nano)
	gen2 := commentWrite(t, w2.url, after)
	if gen2 <= gen1 {
		t.Errorf("the new primary's write took generation %d, not after the old primary's %d", gen2, gen1)
	}
	// The read-only server, on the same database, follows.
	deadline := time.Now().Add(replicationBound)
	for {
		_, body := httpDo(t, "GET", r.url+replicaDoc, map[string]string{"Accept": "text/turtle"}, "")
		if strings.Contains(body, after) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the read-only server does not show the new primary's write after %v", replicationBound)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var ready struct {
		Replication struct {
			Standby bool `json:"standby"`
		} `json:"replication"`
		ReadOnly bool `json:"readOnly"`
	}
	if code := getJSON(t, r.url+"/readyz", &ready); code != 200 || ready.Replication.Standby || !ready.ReadOnly {
		t.Errorf("/readyz of the read-only server after the promotion = %d %+v, want ready, standby false, read-only", code, ready)
	}
	resp, body := httpDo(t, "PUT", r.url+"/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fg%2Fro", map[string]string{
		"Content-Type": "application/n-triples", "Authorization": "Bearer " + scaleWriteSecret}, "<https://example.org/a> <https://example.org/p> \"x\" .\n")
	if resp.StatusCode != 403 {
		t.Errorf("a write to the read-only server after the promotion = %d %s, want 403 until it is restarted without -read-only", resp.StatusCode, body)
	}
}

type pgUser struct {
	name     string
	uid, gid int
}

// failoverPrereqs returns PostgreSQL's newest bin directory and the
// postgres account, skipping (failing under CI=true) where the test
// cannot make clusters: not root, or no PostgreSQL server installed.
func failoverPrereqs(t *testing.T) (string, pgUser) {
	t.Helper()
	miss := func(why string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: needed under CI=true (.ci/run installs PostgreSQL and runs as root)", why)
		}
		t.Skip(why)
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		miss("no PostgreSQL server under /usr/lib/postgresql")
	}
	sort.Slice(bins, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(bins[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(bins[j]))))
		return vi < vj
	})
	if os.Geteuid() != 0 {
		miss("the failover test runs PostgreSQL clusters of its own as the postgres user: it needs root")
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		miss("no postgres user: " + err.Error())
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.Dir(bins[len(bins)-1]), pgUser{name: u.Username, uid: uid, gid: gid}
}

// freePort returns a TCP port on 127.0.0.1 free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
