package rdfio

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cayleygraph/quad"
)

// drain reads r to its end or first error.
func drain(r Reader) ([]quad.Quad, error) {
	var qs []quad.Quad
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return qs, nil
		}
		if err != nil {
			return qs, err
		}
		qs = append(qs, q)
	}
}

// lineDoc is an N-Quads document of n lines with what the splitter must
// cut around: CRLF and lone CR line ends, comments, blank lines, blank
// nodes, escapes, non-ASCII text and, every 50th line, a line longer than
// any chunk of the tests.
func lineDoc(n int) string {
	var b strings.Builder
	long := strings.Repeat("lang tekst æøå ", 200)
	for i := range n {
		switch i % 10 {
		case 0:
			fmt.Fprintf(&b, "<http://e/s%d> <http://e/p> \"v%d\"@da <http://e/g> .\r\n", i, i)
		case 1:
			fmt.Fprintf(&b, "# comment %d <not a quad>\n", i)
		case 2:
			b.WriteString("\n")
		case 3:
			fmt.Fprintf(&b, "_:b%d <http://e/p> _:c%d .\n", i%7, i%5)
		case 4:
			fmt.Fprintf(&b, "<http://e/s%d> <http://e/p> \"tab\\tquote\\\" \\u00e6\"^^<http://e/t> . # trailing\n", i)
		case 5:
			fmt.Fprintf(&b, "  <http://e/s%d>\t<http://e/p> <http://e/o> <http://e/g%d>   .  \r", i, i%3)
		default:
			fmt.Fprintf(&b, "<http://e/s%d> <http://e/p> \"ø%d\" .\n", i, i)
		}
		if i%50 == 49 {
			fmt.Fprintf(&b, "<http://e/long%d> <http://e/p> \"%s\" .\n", i, long)
		}
	}
	b.WriteString("<http://e/last> <http://e/p> <http://e/o> .") // no line end
	return b.String()
}

// TestParallelReaderSameAsSequential: cut into chunks of any size and
// parsed on several goroutines, a line-format document gives the quads
// the sequential reader gives, in the same order, and the same error at
// the same line and column when a line is malformed, whichever chunk it
// falls in.
func TestParallelReaderSameAsSequential(t *testing.T) {
	opt := ReadOptions{BlankNodePrefix: "x"}
	good := lineDoc(400)
	lines := strings.SplitAfter(good, "\n")
	bad := func(at int, line string) string {
		ls := append([]string(nil), lines...)
		ls[at] = line
		return strings.Join(ls, "")
	}
	docs := map[string]string{
		"good":                   good,
		"empty":                  "",
		"only comments":          "# a\n# b\r\n",
		"bad line early":         bad(3, "<http://e/s> <http://e/p> .\n"),
		"bad line late":          bad(len(lines)-5, "<http://e/s> <http://e/p> <http://e/o> <http://e/g> <http://e/x> .\n"),
		"bad escape mid-line":    bad(len(lines)/2, "<http://e/s> <http://e/p> \"a\\zb\" .\n"),
		"relative IRI":           bad(len(lines)/3, "<s> <http://e/p> <http://e/o> .\n"),
		"invalid UTF-8":          bad(len(lines)/4, "<http://e/s> <http://e/p> \"a\xffb\" .\n"),
		"unterminated literal":   bad(len(lines)-1, "<http://e/s> <http://e/p> \"open"),
		"two bad lines":          bad(7, "bad\n") + "also bad\n",
		"lone CR line ends only": "<http://e/a> <http://e/p> <http://e/o> .\r<http://e/b> <http://e/p> <http://e/o> .\r",
	}
	for name, doc := range docs {
		want, wantErr := readString(t, doc, NQuads, opt)
		for _, chunk := range []int{1, 7, 100, 4096, parallelChunk} {
			for _, workers := range []int{2, 3} {
				t.Run(fmt.Sprintf("%s/chunk %d/%d workers", name, chunk, workers), func(t *testing.T) {
					r, err := newParallelReader(iotest.HalfReader(strings.NewReader(doc)), synNQuads, opt, workers, chunk)
					if err != nil {
						t.Fatal(err)
					}
					defer r.Close()
					got, gotErr := drain(r)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%d quads, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
					}
					var gse, wse *SyntaxError
					switch {
					case wantErr == nil && gotErr != nil:
						t.Errorf("error %v, want none", gotErr)
					case wantErr != nil && !errors.As(gotErr, &gse):
						t.Errorf("error %v, want %v", gotErr, wantErr)
					case wantErr != nil && errors.As(wantErr, &wse) && *gse != *wse:
						t.Errorf("error %v, want %v", gse, wse)
					}
					if _, err := r.ReadQuad(); err == nil || (wantErr == nil && err != io.EOF) {
						t.Errorf("ReadQuad after the end = %v, want the same end again", err)
					}
				})
			}
		}
	}
}

func firstDiff(a, b []quad.Quad) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestParallelReaderThroughNewReader: ReadOptions.Workers switches the
// line formats to the parallel reader and leaves the others alone; a
// document without a blank node prefix still gives one blank node per
// label across chunks.
func TestParallelReaderThroughNewReader(t *testing.T) {
	doc := strings.Repeat("_:a <http://e/p> <http://e/o> .\n", parallelChunk/20)
	r, err := NewReader(strings.NewReader(doc), mustFormat(t, NTriples), ReadOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.(*parallelReader); !ok {
		t.Fatalf("NewReader with Workers 2 gave %T for N-Triples", r)
	}
	qs, err := drain(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != parallelChunk/20 || qs[0].Subject != qs[len(qs)-1].Subject {
		t.Errorf("%d quads, first subject %v, last %v: want %d quads of one blank node", len(qs), qs[0].Subject, qs[len(qs)-1].Subject, parallelChunk/20)
	}
	tr, err := NewReader(strings.NewReader(""), mustFormat(t, Turtle), ReadOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tr.(*parallelReader); ok {
		t.Error("Turtle went to the parallel line reader")
	}
}

// TestParallelReaderErrors: a failing input ends the stream with its
// error after the quads of the lines before it; Close before the end
// stops the reader, and reading after Close fails.
func TestParallelReaderErrors(t *testing.T) {
	doc := lineDoc(200)
	boom := errors.New("disk on fire")
	in := io.MultiReader(strings.NewReader(doc[:len(doc)/2]), iotest.ErrReader(boom))
	r, err := newParallelReader(in, synNQuads, ReadOptions{}, 2, 64)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := drain(r)
	if !errors.Is(err, boom) || len(qs) == 0 {
		t.Errorf("after %d quads, error %v; want quads, then %v", len(qs), err, boom)
	}
	r.Close()

	r, err = newParallelReader(strings.NewReader(doc), synNQuads, ReadOptions{}, 2, 64)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadQuad(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := r.ReadQuad(); err == nil || err == io.EOF {
		t.Errorf("ReadQuad after Close = %v, want an error", err)
	}
}
