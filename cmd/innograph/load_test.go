package main

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadTwiceAddsNothing: loading the same files again, blank nodes
// included (named from the file's content hash, computed in the checking
// pass), plain and gzipped, leaves the store as it was.
func TestLoadTwiceAddsNothing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	ttl := filepath.Join(dir, "org.ttl")
	doc := "@prefix ex: <https://example.org/> .\n" +
		"ex:org ex:address [ ex:city \"Aarhus\" ; ex:zip \"8000\" ] ; ex:member [ ex:name \"A\" ] , [ ex:name \"B\" ] .\n"
	if err := os.WriteFile(ttl, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "org2.ttl.gz")
	f, err := os.Create(gz)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write([]byte(doc + "ex:org ex:p \"only in the gzipped file\" .\n"))
	zw.Close()
	f.Close()

	var counts []int64
	for i := 0; i < 3; i++ {
		if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, ttl, gz); err != nil {
			t.Fatalf("load %d: %v\n%s", i+1, err, stderr)
		}
		counts = append(counts, quadCount(t, data))
	}
	// 7 triples from the Turtle file; the gzipped one has other bytes, so
	// other blank nodes: 7 more, plus its extra triple.
	if counts[0] != 15 || counts[1] != counts[0] || counts[2] != counts[0] {
		t.Errorf("quads after each of three loads = %v, want 15 each time", counts)
	}
}

// TestLoadBadLineInLaterChunk: an N-Quads file of several megabytes,
// parsed in chunks on several goroutines, with one bad line far in: load
// names that line of the file and writes nothing, into an empty store (a
// bulk load) as into one holding data.
func TestLoadBadLineInLaterChunk(t *testing.T) {
	dir := t.TempDir()
	const lines, badAt = 40000, 31234 // about 4 MB: the bad line is chunks in
	var b strings.Builder
	for i := 1; i <= lines; i++ {
		if i == badAt {
			b.WriteString("<https://example.org/s> <https://example.org/p> \"no end\n")
			continue
		}
		fmt.Fprintf(&b, "<https://example.org/s%d> <https://example.org/p> \"value %d with some padding to make a long line\" <https://example.org/g> .\r\n", i, i)
	}
	file := filepath.Join(dir, "big.nq")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.nq")
	os.WriteFile(good, []byte("<https://example.org/a> <https://example.org/p> \"x\" .\n"), 0o600)
	for _, name := range []string{"empty", "holding data"} {
		data := filepath.Join(dir, name)
		var before int64
		if name != "empty" {
			if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, good); err != nil {
				t.Fatalf("load: %v\n%s", err, stderr)
			}
			before = quadCount(t, data)
		}
		_, _, err := runCmd(t, nil, "", "load", "-data", data, file)
		if want := fmt.Sprintf("big.nq:%d:", badAt); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s store: load = %v, want an error naming %s", name, err, want)
		}
		if name != "empty" {
			if after := quadCount(t, data); after != before {
				t.Errorf("%s store: %d quads after the rejected load, %d before", name, after, before)
			}
		} else if _, err := os.Stat(data); err == nil {
			// Loaded in one pass as it was parsed, then undone.
			if n := quadCount(t, data); n != 0 {
				t.Errorf("empty store: %d quads after the rejected load", n)
			}
			if _, stderr, err := runCmd(t, nil, "", "load", "-data", data, good); err != nil {
				t.Fatalf("load into the emptied store: %v\n%s", err, stderr)
			}
			if n := quadCount(t, data); n != 1 {
				t.Errorf("emptied store: %d quads after loading one", n)
			}
		}
	}
}

// TestLoadOnePass checks that a file loaded into a fresh store is parsed
// once (no check pass: it is loaded as it is read, and a syntax error
// empties the store again, TestLoadBadLineInLaterChunk), while a second
// file in the same command, and a file loaded into a store holding data,
// are checked whole before anything is written.
func TestLoadOnePass(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.nt"), filepath.Join(dir, "b.nt")
	os.WriteFile(a, []byte("<https://example.org/a> <https://example.org/p> \"x\" .\n<https://example.org/a> <https://example.org/p> \"y\" .\n"), 0o600)
	os.WriteFile(b, []byte("<https://example.org/b> <https://example.org/p> \"z\" .\n"), 0o600)
	data := filepath.Join(dir, "data")
	_, stderr, err := runCmd(t, nil, "", "load", "-data", data, a, b)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, stderr)
	}
	if n := quadCount(t, data); n != 3 {
		t.Errorf("%d quads after loading 3", n)
	}
	if strings.Contains(stderr, "checked; writing\" file="+a) || !strings.Contains(stderr, "checked; writing\" file="+b) {
		t.Errorf("want the first file loaded unchecked and the second checked first; the log:\n%s", stderr)
	}
	_, stderr, err = runCmd(t, nil, "", "load", "-data", data, a)
	if err != nil {
		t.Fatalf("second load: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "checked; writing\" file="+a) {
		t.Errorf("into a store holding data the file must be checked first; the log:\n%s", stderr)
	}
}
