package rdfio

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/cayleygraph/quad"
)

// parallelChunk is the size of the pieces of input a parallel line reader
// hands its workers: large enough that a chunk's hand-over costs nothing
// beside its parse, small enough that the chunks in flight stay a few
// megabytes.
const parallelChunk = 1 << 20

// lineChunk is one piece of a line-format document: whole lines, the
// number of the first, and, once a worker parsed it, its quads or the
// first error in it.
type lineChunk struct {
	data  []byte
	line  int
	quads []quad.Quad
	err   error
	ready chan struct{}
}

// parallelReader parses N-Triples or N-Quads on several goroutines. The
// line formats carry no state from one line to the next (no prefixes, no
// base; blank node labels map to nodes without a table), so the input can
// be cut at any line feed and the pieces parsed apart: a splitter cuts it
// into chunks of whole lines, counting lines so each worker's errors name
// the line of the whole document, and ReadQuad returns the chunks' quads
// in document order. The first error in document order ends the stream,
// after every quad before it, as the sequential reader does.
type parallelReader struct {
	order chan *lineChunk // every chunk, in document order
	done  chan struct{}   // closed by Close: the goroutines stop
	once  sync.Once
	wg    sync.WaitGroup
	cur   *lineChunk
	qi    int
	err   error // sticky
}

// newParallelReader starts a splitter and workers goroutines over r,
// cutting it into chunks of about chunk bytes.
func newParallelReader(r io.Reader, syn ttlSyntax, opt ReadOptions, workers, chunk int) (*parallelReader, error) {
	if opt.BlankNodePrefix == "" && !opt.KeepBlankNodeLabels {
		// One prefix for the document, not one per chunk.
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("blank node prefix: %w", err)
		}
		opt.BlankNodePrefix = "b" + hex.EncodeToString(b[:])
	}
	p := &parallelReader{
		order: make(chan *lineChunk, 2*workers),
		done:  make(chan struct{}),
	}
	work := make(chan *lineChunk, workers)
	p.wg.Add(1 + workers)
	go func() {
		defer p.wg.Done()
		defer close(work)
		defer close(p.order)
		p.split(r, work, chunk)
	}()
	for range workers {
		go func() {
			defer p.wg.Done()
			for c := range work {
				c.quads, c.err = parseChunk(c, syn, opt)
				close(c.ready)
			}
		}()
	}
	return p, nil
}

// split cuts r into chunks of whole lines and hands each to a worker and,
// in order, to ReadQuad. A chunk grows past parallelChunk only to hold a
// line longer than that (chunk is parallelChunk but in tests). A read
// error becomes the last chunk.
func (p *parallelReader) split(r io.Reader, work chan<- *lineChunk, chunk int) {
	line := 1
	var carry []byte
	for {
		buf := make([]byte, len(carry), max(chunk, 2*len(carry)))
		copy(buf, carry)
		carry = nil
		var rerr error
		for len(buf) < cap(buf) && rerr == nil {
			var n int
			n, rerr = r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			c := &lineChunk{line: line, err: fmt.Errorf("read input: %w", rerr), ready: make(chan struct{})}
			close(c.ready)
			p.send(c, nil)
			return
		}
		eof := rerr != nil
		cut := len(buf)
		if !eof {
			cut = bytes.LastIndexByte(buf, '\n') + 1
			if cut == 0 {
				carry = buf // one line longer than the buffer: read on
				continue
			}
			carry = buf[cut:]
		}
		if cut > 0 {
			c := &lineChunk{data: buf[:cut], line: line, ready: make(chan struct{})}
			if !p.send(c, work) {
				return
			}
			line += bytes.Count(c.data, []byte{'\n'})
		}
		if eof {
			return
		}
	}
}

// send hands c to ReadQuad and, when work is not nil, to a worker; false
// when the reader was closed.
func (p *parallelReader) send(c *lineChunk, work chan<- *lineChunk) bool {
	select {
	case p.order <- c:
	case <-p.done:
		return false
	}
	if work == nil {
		return true
	}
	select {
	case work <- c:
		return true
	case <-p.done:
		return false
	}
}

// parseChunk parses one chunk with the sequential parser, its position
// set to the chunk's first line.
func parseChunk(c *lineChunk, syn ttlSyntax, opt ReadOptions) ([]quad.Quad, error) {
	t, err := newTurtleReader(bytes.NewReader(nil), syn, opt)
	if err != nil {
		return nil, err
	}
	t.in.buf, t.in.end, t.in.line = c.data, len(c.data), c.line
	qs := make([]quad.Quad, 0, len(c.data)/128)
	for {
		q, err := t.ReadQuad()
		if errors.Is(err, io.EOF) {
			return qs, nil
		}
		if err != nil {
			return qs, err
		}
		qs = append(qs, q)
	}
}

// ReadQuad returns the next quad in document order, io.EOF at the end of
// a well-formed document, or the first error, again on every later call.
func (p *parallelReader) ReadQuad() (quad.Quad, error) {
	for {
		if p.err != nil {
			return quad.Quad{}, p.err
		}
		if c := p.cur; c != nil {
			if p.qi < len(c.quads) {
				q := c.quads[p.qi]
				p.qi++
				return q, nil
			}
			if c.err != nil {
				p.err = c.err
				p.Close()
				continue
			}
		}
		c, ok := <-p.order
		if !ok {
			p.err = io.EOF
			continue
		}
		<-c.ready
		p.cur, p.qi = c, 0
	}
}

// Close stops the reader's goroutines and waits for them; ReadQuad after
// Close returns an error. It returns nil.
func (p *parallelReader) Close() error {
	p.once.Do(func() {
		if p.err == nil {
			p.err = errors.New("rdfio: read after Close")
		}
		close(p.done)
		go func() {
			for range p.order { // unblock the splitter
			}
		}()
	})
	p.wg.Wait()
	return nil
}
