package main

import (
	"compress/gzip"
	"os"
	"path/filepath"
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
