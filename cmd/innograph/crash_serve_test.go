package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
)

// TestCrashServe runs the real server in a child process, sends concurrent
// authenticated writes, kills it with SIGKILL at a random moment, 20 times,
// and after each kill reopens the store and checks that every acknowledged
// write is there whole and no write is there in part:
//   - each PUT of a new graph is all of its quads or none, and present
//     when it was acknowledged;
//   - each writer's replaced graph (whose size changes from version to
//     version) holds exactly one version, whole, no older than the last
//     version acknowledged.
func TestCrashServe(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	const (
		rounds  = 20
		writers = 4
		perPut  = 150 // quads per write
	)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	tokens := writeTokensFile(t)
	type ack struct {
		graph   string
		version int // for replaced graphs
	}
	var acked []ack
	lastVersion := map[string]int{} // replaced graph -> last acknowledged version
	inFlightAtKill := 0
	for r := 0; r < rounds; r++ {
		cmd := helperCmd("serve", "-data", data, "-addr", "127.0.0.1:0", "-seed=false", "-write-tokens-file", tokens)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		addr := waitForAddr(stderr)
		if addr == "" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: serve did not report its address", r)
		}
		base := "http://" + addr
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		inFlight := 0
		// The kill comes at a random moment after the round's first
		// acknowledged write, so that every round exercises the server
		// however slow the machine (under -race on a busy machine the
		// first writes take a while).
		firstAck := make(chan struct{})
		var firstOnce sync.Once
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var g string
					version := 0
					if i%2 == 0 {
						g = fmt.Sprintf("https://example.org/crash/r%d/w%d/n%d", r, w, i)
					} else {
						g = fmt.Sprintf("https://example.org/crash/replaced/w%d", w)
						version = r*100000 + i
					}
					mu.Lock()
					inFlight++
					mu.Unlock()
					ok := crashPut(base, g, version, perPut)
					mu.Lock()
					inFlight--
					if ok {
						firstOnce.Do(func() { close(firstAck) })
						acked = append(acked, ack{g, version})
						if version > 0 && version > lastVersion[g] {
							lastVersion[g] = version
						}
					}
					mu.Unlock()
					if !ok {
						return // the server is gone
					}
				}
			}(w)
		}
		select {
		case <-firstAck:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: no write acknowledged within 30 s", r)
		}
		time.Sleep(time.Duration(100+rand.IntN(600)) * time.Millisecond)
		mu.Lock()
		if inFlight > 0 {
			inFlightAtKill++
		}
		mu.Unlock()
		cmd.Process.Kill()
		close(stop)
		wg.Wait()
		cmd.Wait()
		checkCrashStore(t, r, data, perPut, func(fn func(g string, version int)) {
			mu.Lock()
			defer mu.Unlock()
			for _, a := range acked {
				fn(a.graph, a.version)
			}
		}, lastVersion)
	}
	t.Logf("%d acknowledged writes over %d kills; %d kills landed with writes in flight", len(acked), rounds, inFlightAtKill)
	if len(acked) < 2*rounds {
		t.Errorf("only %d writes acknowledged: the test did not exercise the server", len(acked))
	}
	if inFlightAtKill < rounds/2 {
		t.Errorf("only %d of %d kills interrupted a write", inFlightAtKill, rounds)
	}
}

// crashQuads is the size of a write: replaced graphs (version > 0) vary in
// size, so a replace also shrinks a graph whose nodes it reuses.
func crashQuads(version, perPut int) int {
	if version == 0 {
		return perPut
	}
	return perPut - version%100
}

// crashPut PUTs a graph tagged with version and reports whether the server
// acknowledged it.
func crashPut(base, g string, version, perPut int) bool {
	n := crashQuads(version, perPut)
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<%s/s%d> <https://example.org/p> \"v%d\" .\n", g, i, version)
	}
	req, err := http.NewRequest("PUT", base+"/api/v1/graphs?graph="+url.QueryEscape(g), strings.NewReader(b.String()))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/n-triples")
	req.Header.Set("Authorization", "Bearer "+testSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusNoContent
}

var addrRE = regexp.MustCompile(`msg=serving addr=(\S+)`)

// waitForAddr reads serve's log until it names its address.
func waitForAddr(r interface{ Read([]byte) (int, error) }) string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := addrRE.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			return m[1]
		}
	}
	return ""
}

// checkCrashStore reopens the store after a kill and checks the invariants.
func checkCrashStore(t *testing.T, r int, data string, perPut int, eachAck func(func(string, int)), lastVersion map[string]int) {
	t.Helper()
	s, err := graph.Open(context.Background(), graph.Config{Backend: graph.Bolt, Path: data})
	if err != nil {
		t.Fatalf("round %d: store does not reopen after SIGKILL: %v", r, err)
	}
	defer s.Close()
	count := map[string]int{}
	versions := map[string]map[string]bool{}
	err = s.EachQuad(context.Background(), graph.Selection{}, func(q quad.Quad) error {
		g := "(default graph)"
		if iri, ok := q.Label.(quad.IRI); ok {
			g = string(iri)
		}
		count[g]++
		if versions[g] == nil {
			versions[g] = map[string]bool{}
		}
		obj, _ := q.Object.(quad.String)
		versions[g][string(obj)] = true
		return nil
	})
	if err != nil {
		t.Fatalf("round %d: read after restart: %v", r, err)
	}
	for g, n := range count {
		if len(versions[g]) != 1 {
			t.Errorf("round %d: graph %s mixes versions %v", r, g, versions[g])
			continue
		}
		for v := range versions[g] {
			var version int
			fmt.Sscanf(v, "v%d", &version)
			if want := crashQuads(version, perPut); n != want {
				t.Errorf("round %d: graph %s holds %d quads, not the %d of one whole write", r, g, n, want)
			}
		}
	}
	eachAck(func(g string, version int) {
		if count[g] == 0 {
			t.Errorf("round %d: acknowledged write of %s is missing after restart", r, g)
		}
	})
	for g, last := range lastVersion {
		for v := range versions[g] {
			var got int
			fmt.Sscanf(v, "v%d", &got)
			if got < last {
				t.Errorf("round %d: %s holds version %d, older than the acknowledged %d", r, g, got, last)
			}
		}
	}
}
