package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The scale-out tests run on a real PostgreSQL primary and a hot standby
// streaming from it (.ci/postgres.sh pg_start_replica). They skip without
// the two DSNs, and fail under CI=true.

// replicationBound is how soon a write acknowledged by the read-write server
// must be readable through a read-only server on the standby. Streaming
// replication on loopback replays in milliseconds; the bound leaves room
// for a loaded machine and the WAL watcher's 25 ms poll.
const replicationBound = 5 * time.Second

// replicaDSNs returns the primary's and the standby's DSNs after emptying
// the primary's innograph tables, and waits until the standby has replayed
// that.
func replicaDSNs(t *testing.T) (primary, standby string) {
	t.Helper()
	primary, standby = os.Getenv("INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN"), os.Getenv("INNOGRAPH_TEST_POSTGRES_STANDBY_DSN")
	if primary == "" || standby == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN and INNOGRAPH_TEST_POSTGRES_STANDBY_DSN are needed under CI=true (.ci/postgres.sh pg_start_replica)")
		}
		t.Skip("set INNOGRAPH_TEST_POSTGRES_PRIMARY_DSN and INNOGRAPH_TEST_POSTGRES_STANDBY_DSN (a primary and a hot standby; .ci/postgres.sh pg_start_replica) to run")
	}
	p := openDB(t, primary)
	if _, err := p.Exec(`DROP TABLE IF EXISTS quads, nodes, innograph_bulk_schema, innograph_generation, innograph_changes CASCADE`); err != nil {
		t.Fatal(err)
	}
	waitReplayed(t, p, openDB(t, standby))
	return primary, standby
}

// openDB opens dsn with the "postgres" driver the store's backend registers.
func openDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitReplayed waits until the standby has replayed everything the primary
// has flushed so far.
func waitReplayed(t *testing.T, primary, standby *sql.DB) {
	t.Helper()
	var target string
	if err := primary.QueryRow(`SELECT pg_current_wal_flush_lsn()::text`).Scan(&target); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var done bool
		if err := standby.QueryRow(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, target).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby has not replayed the primary's WAL up to %s within 30 s", target)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// httpDo sends one request and returns the response with its body read.
func httpDo(t *testing.T, method, url string, header map[string]string, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp, string(b)
}

const replicaDoc = "/doc/region/dk04"

// commentWrite is a write adding a distinct comment to the document's entity.
func commentWrite(t *testing.T, writer, note string) uint64 {
	t.Helper()
	body := fmt.Sprintf("<https://w3id.org/innograph/id/region/dk04> <http://www.w3.org/2000/01/rdf-schema#comment> %q@en .\n", note)
	resp, b := httpDo(t, "POST", writer+"/api/v1/graphs?graph="+"https%3A%2F%2Fexample.org%2Fg%2Freplica", map[string]string{
		"Content-Type": "application/n-triples", "Authorization": "Bearer " + scaleWriteSecret}, body)
	if resp.StatusCode >= 300 {
		t.Fatalf("write %q = %d %s", note, resp.StatusCode, b)
	}
	gen, err := strconv.ParseUint(resp.Header.Get("Innograph-Generation"), 10, 64)
	if err != nil {
		t.Fatalf("write %q answered Innograph-Generation %q", note, resp.Header.Get("Innograph-Generation"))
	}
	return gen
}

const scaleWriteSecret = "scale-write-0123456789abcdef"

// TestReplica runs a read-write server on the primary and a read-only one
// on the standby: writes become readable through the reader within
// replicationBound (and at once when the reader is asked to wait for the
// write's generation), the reader refuses writes naming the writer, and
// pausing replay while writes go on turns the reader's /readyz unready
// within its lag bound, and ready again once replay resumes.
func TestReplica(t *testing.T) {
	primary, standby := replicaDSNs(t)
	w := startServer(t, "-backend", "postgres", "-dsn", primary, "-write-tokens", "w:"+scaleWriteSecret)
	waitReplayed(t, openDB(t, primary), openDB(t, standby))
	const maxLag = 1 * time.Second
	r := startServer(t, "-backend", "postgres", "-dsn", standby, "-read-only", "-primary-url", w.url+"/",
		"-max-replica-lag", maxLag.String(), "-write-tokens", "w:"+scaleWriteSecret)

	if resp, body := httpDo(t, "GET", r.url+replicaDoc, map[string]string{"Accept": "text/turtle"}, ""); resp.StatusCode != 200 {
		t.Fatalf("GET %s on the read-only server = %d %s", replicaDoc, resp.StatusCode, body)
	}

	t.Run("writes become readable", func(t *testing.T) {
		start := time.Now()
		note := "replicated " + start.Format(time.RFC3339Nano)
		commentWrite(t, w.url, note)
		for {
			_, body := httpDo(t, "GET", r.url+replicaDoc, map[string]string{"Accept": "text/turtle"}, "")
			if strings.Contains(body, note) {
				t.Logf("a write was readable through the read-only server after %v", time.Since(start))
				break
			}
			if time.Since(start) > replicationBound {
				t.Fatalf("a write through the read-write server is not readable through the read-only server after %v", replicationBound)
			}
			time.Sleep(5 * time.Millisecond)
		}
		// Read-your-writes: asked for the write's generation, the reader
		// answers with it on the first request.
		note = "read your writes " + time.Now().Format(time.RFC3339Nano)
		gen := commentWrite(t, w.url, note)
		resp, body := httpDo(t, "GET", r.url+replicaDoc, map[string]string{"Accept": "text/turtle", "Innograph-Min-Generation": strconv.FormatUint(gen, 10)}, "")
		if resp.StatusCode != 200 || !strings.Contains(body, note) {
			t.Errorf("GET with Innograph-Min-Generation %d = %d, has the write: %v", gen, resp.StatusCode, strings.Contains(body, note))
		}
		if g, _ := strconv.ParseUint(resp.Header.Get("Innograph-Generation"), 10, 64); g < gen {
			t.Errorf("the answer says generation %d, below the write's %d", g, gen)
		}
	})

	t.Run("writes are refused", func(t *testing.T) {
		resp, body := httpDo(t, "PUT", r.url+"/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fg%2Fro", map[string]string{
			"Content-Type": "application/n-triples", "Authorization": "Bearer " + scaleWriteSecret}, "<https://example.org/a> <https://example.org/p> \"x\" .\n")
		var p struct{ Type, Detail, Primary string }
		json.Unmarshal([]byte(body), &p)
		if resp.StatusCode != 403 || !strings.HasSuffix(p.Type, "/problems/read-only") || p.Primary != w.url+"/" || !strings.Contains(p.Detail, w.url) {
			t.Errorf("PUT on the read-only server = %d %s, want 403 read-only naming %s", resp.StatusCode, body, w.url+"/")
		}
	})

	t.Run("readyz follows the lag", func(t *testing.T) {
		sb := openDB(t, standby)
		if _, err := sb.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
			t.Fatal(err)
		}
		resumed := false
		resume := func() {
			if !resumed {
				resumed = true
				if _, err := sb.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
					t.Error(err)
				}
			}
		}
		defer resume()
		// Writes go on through the primary, one every 100 ms.
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		writes := make(chan struct{})
		go func() {
			defer close(writes)
			for i := 0; ctx.Err() == nil; i++ {
				body := fmt.Sprintf("<https://w3id.org/innograph/id/region/dk04> <http://www.w3.org/2000/01/rdf-schema#comment> \"load %d\"@en .\n", i)
				req, _ := http.NewRequestWithContext(ctx, "POST", w.url+"/api/v1/graphs?graph=https%3A%2F%2Fexample.org%2Fg%2Fload", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/n-triples")
				req.Header.Set("Authorization", "Bearer "+scaleWriteSecret)
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
		paused := time.Now()
		unready := waitReady(t, r.url, false, maxLag+4*time.Second)
		t.Logf("/readyz unready %v after replay was paused (-max-replica-lag %v)", unready, maxLag)
		if unready < maxLag {
			t.Errorf("/readyz went unready %v after the pause, before the lag could pass %v", unready, maxLag)
		}
		resp, body := httpDo(t, "GET", r.url+"/metrics", nil, "")
		lag := regexp.MustCompile(`(?m)^innograph_replica_lag_seconds (\S+)$`).FindStringSubmatch(body)
		if resp.StatusCode != 200 || lag == nil || !strings.Contains(body, "innograph_replica_replay_paused 1") {
			t.Errorf("/metrics during the pause lacks the lag gauge or the paused flag:\n%.2000s", body)
		} else if v, _ := strconv.ParseFloat(lag[1], 64); v < maxLag.Seconds() {
			t.Errorf("innograph_replica_lag_seconds = %s while unready, want above %v", lag[1], maxLag)
		}
		stop()
		<-writes
		pausedFor := time.Since(paused)
		resume()
		ready := waitReady(t, r.url, true, 10*time.Second)
		t.Logf("/readyz ready again %v after replay resumed (paused for %v)", ready, pausedFor)
	})
}

// waitReady polls /readyz until it answers 200 (ready) or 503 (not),
// failing after limit; it returns how long that took.
func waitReady(t *testing.T, base string, ready bool, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	want := http.StatusServiceUnavailable
	if ready {
		want = http.StatusOK
	}
	for {
		resp, body := httpDo(t, "GET", base+"/readyz", nil, "")
		if resp.StatusCode == want {
			if !ready && !strings.Contains(body, "replica-lag") {
				t.Errorf("unready /readyz = %s, want a replica-lag problem", body)
			}
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("/readyz = %d %s after %v, want %d", resp.StatusCode, body, limit, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
