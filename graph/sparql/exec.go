package sparql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"regexp"
	"strconv"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
)

// batchSize is the number of solutions that travel together between
// operators, and the number of nodes one reader call asks about.
const batchSize = 512

// batch is a block of solutions of equal width: row i is
// ids[i*w:(i+1)*w], indexed by variable slot, zero for unbound. src[i] is
// the index of the input row that row i extends (see node).
type batch struct {
	w   int
	n   int
	ids []ID
	src []int32
}

// newBatch returns an empty batch of width w. It starts small and grows
// to batchSize rows as it fills: most operators of a selective query
// emit a few rows, and a full batch's array is many KB to clear.
func newBatch(w int) *batch {
	return &batch{w: w, ids: make([]ID, 0, 16*w), src: make([]int32, 0, 16)}
}

func (b *batch) row(i int) []ID { return b.ids[i*b.w : (i+1)*b.w : (i+1)*b.w] }

func (b *batch) reset() {
	b.n = 0
	b.ids = b.ids[:0]
	b.src = b.src[:0]
}

// add appends a copy of row with source src and returns the copy, which
// the caller may still change.
func (b *batch) add(row []ID, src int32) []ID {
	b.ids = append(b.ids, row...)
	b.src = append(b.src, src)
	b.n++
	return b.ids[len(b.ids)-b.w:]
}

func (b *batch) full() bool { return b.n >= batchSize }

// unitBatch is one solution binding nothing: the input of a plan's root.
func unitBatch(w int) *batch {
	b := newBatch(w)
	b.add(make([]ID, w), 0)
	return b
}

// emitFn receives a batch of solutions. It must not keep b, and may change
// its rows (callers reuse the batch after it returns).
type emitFn func(b *batch) error

// flusher collects output rows and hands them on in full batches:
// callers append to out (changing the appended row in place if they
// need to), then call check.
type flusher struct {
	out  *batch
	emit emitFn
}

func newFlusher(w int, emit emitFn) *flusher { return &flusher{out: newBatch(w), emit: emit} }

// check hands the batch on when it is full.
func (f *flusher) check() error {
	if f.out.full() {
		return f.flush()
	}
	return nil
}

// flush hands on what is collected.
func (f *flusher) flush() error {
	if f.out.n == 0 {
		return nil
	}
	err := f.emit(f.out)
	f.out.reset()
	return err
}

// exec is the state of one evaluation: the reader and dictionary, the
// options, and what functions such as NOW(), RAND() and BNODE() keep
// stable within it.
type exec struct {
	r           frontier.Reader
	d           *dict
	opt         *Options
	op          string // "query" or "update", for errors
	base        string
	now         val
	rng         *mrand.Rand
	bnodePrefix string
	bnodeSeq    int
	regexps     map[string]*regexp.Regexp
	held        int64 // solutions held by materialising operators
	scratchIDs  []ID
	scratchVals []quad.Value
	named       []ID // the named graphs, once enumerated
	namedDone   bool
	params      []ID                // the graphs graphLoopNodes iterate
	cache       map[node][][]ID     // solutions of nodes evaluated on their own
	tables      map[node]*hashTable // their hash tables
	chains      map[*chainNode][]ID // the nodes chains reach
}

func newExec(r frontier.Reader, d *dict, opt *Options, op, base string) *exec {
	var seed [16]byte
	rand.Read(seed[:])
	prefix := "q" + hex.EncodeToString(seed[:6])
	ex := &exec{r: r, d: d, opt: opt, op: op, base: base, regexps: map[string]*regexp.Regexp{},
		rng:         mrand.New(mrand.NewPCG(uint64(seed[6])|uint64(seed[7])<<8|uint64(seed[8])<<16, uint64(seed[9]))),
		bnodePrefix: prefix}
	return ex
}

// nowVal is NOW(): the clock read once per evaluation, at its first use.
func (ex *exec) nowVal() val {
	if ex.now.k != kDateTime {
		now := ex.opt.now()
		_, offset := now.Zone()
		t, _ := parseDateTime(now.Format("2006-01-02T15:04:05.000000000"))
		t.hasTZ, t.tz = true, offset/60
		ex.now = val{k: kDateTime, t: t}
	}
	return ex.now
}

// newBNode returns a blank node label unique within the evaluation and,
// through its random prefix, unlikely to meet any label of the store.
func (ex *exec) newBNode() string {
	ex.bnodeSeq++
	return ex.bnodePrefix + "b" + strconv.Itoa(ex.bnodeSeq)
}

func (ex *exec) uuid() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (ex *exec) regexp(pattern, flags string) *regexp.Regexp {
	key := flags + "/" + pattern
	if re, ok := ex.regexps[key]; ok {
		return re
	}
	re := compileRegexp(pattern, flags)
	if len(ex.regexps) < 1024 {
		ex.regexps[key] = re
	}
	return re
}

// hold counts n more solutions held in memory by a materialising operator
// (sort, group, distinct, hash join) and fails once the total passes the
// limit.
func (ex *exec) hold(n int) error {
	ex.held += int64(n)
	if lim := ex.opt.maxHeld(); ex.held > lim {
		return errorf(ex.op, TooLarge, "more than %d intermediate solutions held in memory (sort, group, distinct or join); narrow the query", lim)
	}
	return nil
}

func (ex *exec) release(n int) { ex.held -= int64(n) }

// checkCtx returns the context's error as an *Error.
func (ex *exec) checkCtx(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return wrapCtx(ex.op, err)
	}
	return nil
}
