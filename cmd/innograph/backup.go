package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/rdfio"
)

// backup writes a consistent snapshot of the store as N-Quads or TriG.
// With -from it asks a running server (GET /api/v1/graphs, which streams
// the whole dataset with writers held off), since an embedded store is
// locked by the server's process; without, it opens the store itself and
// reads it the same way. The snapshot goes to a temporary file that is
// parsed back before it is renamed into place, so a backup file is always
// complete.
func backup(e *env, cfg *Config, args []string) (err error) {
	if len(args) > 0 {
		return fmt.Errorf("backup takes no arguments, got %q", args)
	}
	f, ok := rdfio.Lookup(cfg.Format)
	if !ok || !f.Writable || !f.Graphs {
		return fmt.Errorf("backup format %q: want nquads or trig (a format that keeps graph names)", cfg.Format)
	}
	out := e.stdout
	var tmp *os.File
	if cfg.Output != "-" && cfg.Output != "" {
		tmp, err = os.CreateTemp(filepath.Dir(cfg.Output), ".innograph-backup-*")
		if err != nil {
			return err
		}
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
		out = tmp
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	if cfg.From != "" {
		err = backupHTTP(e, cfg, f, bw)
	} else {
		err = backupStore(e, cfg, f, bw)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if tmp == nil {
		return nil
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	n, err := countQuads(tmp, f)
	if err != nil {
		return fmt.Errorf("the snapshot does not read back (%w); %s was not written", err, cfg.Output)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), cfg.Output); err != nil {
		return err
	}
	tmp = nil
	e.log.Info("backup written", "file", cfg.Output, "format", f.Name, "quads", n)
	return nil
}

// backupStore snapshots an embedded or SQL store opened here.
func backupStore(e *env, cfg *Config, f rdfio.Format, w io.Writer) error {
	store, err := openExisting(e, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	enc, err := rdfio.NewWriter(w, f, graph.WriteOptions(""))
	if err != nil {
		return err
	}
	if err := store.Snapshot(e.ctx, enc.WriteQuad); err != nil {
		return err
	}
	return enc.Close()
}

// backupHTTP downloads the snapshot from a running server.
func backupHTTP(e *env, cfg *Config, f rdfio.Format, w io.Writer) error {
	url := strings.TrimSuffix(cfg.From, "/") + "/api/v1/graphs"
	req, err := http.NewRequestWithContext(e.ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", f.MediaType())
	if cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("backup from %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var p struct {
			Detail string `json:"detail"`
		}
		json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&p)
		return fmt.Errorf("backup from %s: %s: %s", url, resp.Status, p.Detail)
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("backup from %s: %w", url, err)
	}
	return nil
}

// countQuads parses a snapshot whole and counts its quads.
func countQuads(r io.Reader, f rdfio.Format) (int64, error) {
	rd, err := rdfio.NewReader(bufio.NewReaderSize(r, 1<<16), f, rdfio.ReadOptions{KeepBlankNodeLabels: true})
	if err != nil {
		return 0, err
	}
	var n int64
	for {
		_, err := rd.ReadQuad()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// restore loads a backup into an empty store, keeping blank node labels as
// written, so the store holds exactly the quads that were backed up. A store
// that holds anything is refused. The backup is parsed whole first (a
// malformed one restores nothing), then written as a bulk load into the
// empty store (graph.Store.Load: batches, no per-batch fsync on bolt,
// indexes built at the end on PostgreSQL), with progress as for load. Should
// writing fail midway, the store holds whole batches of the backup: the
// error says to restore again into a fresh store.
func restore(e *env, cfg *Config, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("restore takes one FILE, got %d arguments", len(args))
	}
	name := args[0]
	format := cfg.Format
	if format == "" {
		ext, ok := rdfio.ByExtension(name)
		if !ok {
			return fmt.Errorf("%s: cannot tell the format from the file name; use -format nquads or trig", name)
		}
		format = ext.Name
	}
	f, ok := rdfio.Lookup(format)
	if !ok || !f.Graphs || f.Name == rdfio.JSONLD {
		return fmt.Errorf("restore format %q: want nquads or trig", format)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	qs, err := rdfio.ReadAll(data, f, rdfio.ReadOptions{KeepBlankNodeLabels: true}, rdfio.Limits{})
	if err != nil {
		return fmt.Errorf("%s: %w (nothing was restored)", name, err)
	}
	for i, q := range qs {
		if iri, ok := q.Label.(quad.IRI); ok {
			if _, err := graph.GraphName(string(iri)); err != nil {
				return fmt.Errorf("%s: quad %d: %w (nothing was restored)", name, i+1, err)
			}
		}
	}
	store, err := openStore(e, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	empty, err := store.IsEmpty(e.ctx)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("the store is not empty: restore only into an empty store (a fresh -data directory or database)")
	}
	done := 0
	p := newProgress(e, name, int64(len(qs)), int64(len(qs)), func() int64 { return int64(done) }, cfg.ProgressEvery)
	start := time.Now()
	n, err := store.Load(e.ctx, quad.NewReader(qs), graph.LoadOptions{BatchSize: cfg.BatchSize, Progress: func(applied int64) {
		done = int(applied)
		p.update(applied)
	}, Note: func(m string) { e.log.Info(m, "file", name) }})
	p.finish(err == nil)
	if err != nil {
		return fmt.Errorf("%s: %w (the store may hold part of the backup: restore again into a fresh store)", name, err)
	}
	secs := time.Since(start).Seconds()
	e.log.Info("restored", "file", name, "quads", n, "seconds", round(secs), "quads_per_s", round(float64(n)/secs))
	return nil
}
