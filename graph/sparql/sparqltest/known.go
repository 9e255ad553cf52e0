package sparqltest

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// Known is the checked-in list of tests known to fail: Test.ID to the
// reason. A listed test that passes fails the run, as does a failing test
// that is not listed.
type Known map[string]string

// LoadKnown reads the list: one test per line, its ID, white space, the
// reason; '#' starts a comment line.
func LoadKnown(path string) (Known, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	k := Known{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("%s:%d: %s has no reason", path, n, id)
		}
		k[id] = reason
	}
	return k, sc.Err()
}

// Tally counts outcomes per suite and checks them against the known
// failures.
type Tally struct {
	known  Known
	seen   map[string]bool
	counts map[string]*[3]int // suite -> passed, failed, out of scope
}

// NewTally starts a tally against the known failures.
func NewTally(known Known) *Tally {
	return &Tally{known: known, seen: map[string]bool{}, counts: map[string]*[3]int{}}
}

func (ta *Tally) count(suite string, i int) {
	c := ta.counts[suite]
	if c == nil {
		c = &[3]int{}
		ta.counts[suite] = c
	}
	c[i]++
}

// OutOfScope records a test that is not run, with the reason.
func (ta *Tally) OutOfScope(t *testing.T, test Test, reason string) {
	t.Helper()
	ta.count(test.Suite(), 2)
	t.Logf("%s: out of scope: %s", test.ID(), reason)
}

// Record records the outcome of test: err nil for a pass. It fails t when
// the outcome contradicts the known-failures list.
func (ta *Tally) Record(t *testing.T, test Test, err error) {
	t.Helper()
	id := test.ID()
	ta.seen[id] = true
	reason, listed := ta.known[id]
	switch {
	case err == nil && listed:
		ta.count(test.Suite(), 0)
		t.Errorf("%s passes but is listed as a known failure (%s): remove it from the list", id, reason)
	case err == nil:
		ta.count(test.Suite(), 0)
	case listed:
		ta.count(test.Suite(), 1)
		t.Logf("%s: known failure (%s): %v", id, reason, err)
	default:
		ta.count(test.Suite(), 1)
		t.Errorf("%s (%s): %v", id, test.Name, err)
	}
}

// Report logs the totals per suite and overall and returns the overall
// pass rate among run tests. prefix selects the known failures this tally
// is responsible for (so that a listed test that no longer exists is
// reported).
func (ta *Tally) Report(t *testing.T, title string, owns func(id string) bool) float64 {
	t.Helper()
	suites := make([]string, 0, len(ta.counts))
	for s := range ta.counts {
		suites = append(suites, s)
	}
	sort.Strings(suites)
	var tot [3]int
	var b strings.Builder
	fmt.Fprintf(&b, "%s: passed / failed (known) / out of scope\n", title)
	for _, s := range suites {
		c := ta.counts[s]
		fmt.Fprintf(&b, "  %-40s %4d %4d %4d\n", s, c[0], c[1], c[2])
		for i := range tot {
			tot[i] += c[i]
		}
	}
	rate := 0.0
	if run := tot[0] + tot[1]; run > 0 {
		rate = float64(tot[0]) / float64(run)
	}
	fmt.Fprintf(&b, "  %-40s %4d %4d %4d  (%.2f%% of runnable tests pass)", "total", tot[0], tot[1], tot[2], 100*rate)
	t.Log(b.String())
	for id := range ta.known {
		if owns(id) && !ta.seen[id] {
			t.Errorf("known failure %s names no test that ran", id)
		}
	}
	return rate
}
