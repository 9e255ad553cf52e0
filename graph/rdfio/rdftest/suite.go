package rdftest

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// Suite runs the tests of one conformance suite against its checked-in
// list of known failures: a test on the list must fail (a listed test that
// passes fails the run, so the list shrinks as fixes land), a test not on
// it must pass, and the totals are logged and checked against the README's
// conformance table.
type Suite struct {
	name    string
	list    string
	known   map[string]string
	ran     map[string]bool
	total   int
	passed  int
	failing []string
}

// NewSuite reads the known-failure list at path: one test a line, "id:
// reason"; blank lines and lines starting with "//" are comments. A
// missing file is an empty list.
func NewSuite(tb testing.TB, name, path string) *Suite {
	tb.Helper()
	s := &Suite{name: name, list: path, known: map[string]string{}, ran: map[string]bool{}}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return s
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		id, reason, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(reason) == "" {
			tb.Fatalf("%s:%d: want \"id: reason\", got %q", path, n, line)
		}
		id = strings.TrimSpace(id)
		if _, dup := s.known[id]; dup {
			tb.Fatalf("%s:%d: %s listed twice", path, n, id)
		}
		s.known[id] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return s
}

// Run runs one test as a subtest of t; check returns nil when the test
// passes.
func (s *Suite) Run(t *testing.T, id, name string, check func(t *testing.T) error) {
	t.Helper()
	s.ran[id] = true
	s.total++
	t.Run(id+" "+name, func(t *testing.T) {
		err := check(t)
		reason, known := s.known[id]
		switch {
		case err == nil && known:
			s.passed++
			t.Errorf("%s passes now: remove it from %s (listed as: %s)", id, s.list, reason)
		case err == nil:
			s.passed++
		case known:
			s.failing = append(s.failing, id)
			t.Logf("known failure (%s): %v", reason, err)
		default:
			s.failing = append(s.failing, id)
			t.Errorf("%v", err)
		}
	})
}

// Finish checks that every listed test ran, logs the totals and returns
// them.
func (s *Suite) Finish(t *testing.T) (total, passed int) {
	t.Helper()
	var stale []string
	for id := range s.known {
		if !s.ran[id] {
			stale = append(stale, id)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("%s lists tests the suite does not have: %v", s.list, stale)
	}
	t.Logf("%s: %d/%d passed (%.1f%%), %d known failures listed in %s",
		s.name, s.passed, s.total, 100*float64(s.passed)/float64(max(s.total, 1)), len(s.known), s.list)
	return s.total, s.passed
}

// CheckREADME checks the row of the conformance table in the README at
// path that names the suite: "| name | total | passed | ... |".
func CheckREADME(t *testing.T, path, name string, total, passed int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("| %s | %d | %d |", name, total, passed)
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "| "+name+" |") {
			if !strings.HasPrefix(line, want) {
				t.Errorf("%s: conformance row %q does not start %q", path, line, want)
			}
			return
		}
	}
	t.Errorf("%s has no conformance row for %s (want a line starting %q)", path, name, want)
}
