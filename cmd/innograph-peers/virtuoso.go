package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// virtuosoINI is the private configuration of the Virtuoso the command
// starts: every file in dir, both ports on 127.0.0.1, the bulk loader
// allowed to read dataDir, and no limit that could cut an answer short
// (ResultSetMaxRows, MaxQueryExecutionTime: a cut answer would be a
// wrong one). buffers is NumberOfBuffers (8 KB pages; Virtuoso's advice
// is 170,000 for 2 GB of memory, which holds a 1M-quad database whole),
// with MaxDirtyBuffers at three quarters of it; one query may use every
// core.
func virtuosoINI(dir, dataDir string, sqlPort, httpPort, cores, buffers int) string {
	f := func(name string) string { return filepath.Join(dir, name) }
	return fmt.Sprintf(`; written by cmd/innograph-peers for one run; nothing else uses it
[Database]
DatabaseFile       = %s
ErrorLogFile       = %s
LockFile           = %s
TransactionFile    = %s
xa_persistent_file = %s
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = %s
TransactionFile    = %s
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:%d
DisableUnixSocket    = 1
MaxClientConnections = 20
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = ., %s
NumberOfBuffers      = %d
MaxDirtyBuffers      = %d
ThreadsPerQuery      = %d
AsyncQueueMaxThreads = 10
MaxQueryMem          = 2G

[HTTPServer]
ServerPort           = 127.0.0.1:%d
ServerRoot           = %s
MaxClientConnections = 20
ServerThreads        = 20
MaxKeepAlives        = 20
KeepAliveTimeout     = 60
EnabledGzipContent   = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
`, f("virtuoso.db"), f("virtuoso.log"), f("virtuoso.lck"), f("virtuoso.trx"), f("virtuoso.pxa"),
		f("virtuoso-temp.db"), f("virtuoso-temp.trx"),
		sqlPort, dataDir, buffers, buffers*3/4, cores, httpPort, dir)
}

// virtuosoLoad is the bulk load Virtuoso documents for large files: the
// file registered with ld_dir, loaded by rdf_loader_run (one loader: its
// advice is at most one per 2.5 cores), made durable by a checkpoint.
func virtuosoLoad(dataDir, fileName string) string {
	return fmt.Sprintf("ld_dir('%s', '%s', 'urn:innograph:peers:default'); rdf_loader_run(); checkpoint;",
		sqlString(dataDir), sqlString(fileName))
}

// sqlString escapes s for a single-quoted SQL string.
func sqlString(s string) string { return strings.ReplaceAll(s, "'", "''") }

// startVirtuoso writes a private virtuoso.ini in a directory of the run,
// starts virtuoso-t in the foreground on two free loopback ports, and
// bulk-loads the file through isql. The load time is the isql command's
// wall time (ld_dir, rdf_loader_run, checkpoint); the peak RSS is
// virtuoso-t's VmHWM once loaded.
func startVirtuoso(ctx context.Context, r *runner, work string) (*system, error) {
	dir := filepath.Join(work, "virtuoso")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	sqlPort, err := freePort()
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	ini := filepath.Join(dir, "virtuoso.ini")
	if err := os.WriteFile(ini, []byte(virtuosoINI(dir, filepath.Dir(r.file), sqlPort, httpPort, runtime.NumCPU(), r.cfg.virtuosoBuffers)), 0o600); err != nil {
		return nil, err
	}
	r.logf("virtuoso: starting on 127.0.0.1:%d (SQL) and :%d (HTTP) in %s", sqlPort, httpPort, dir)
	p, err := startProc("virtuoso-t", dir, filepath.Join(dir, "virtuoso.out"), nil,
		r.cfg.virtuoso, "+foreground", "+configfile", ini)
	if err != nil {
		return nil, err
	}
	// A clean stop checkpoints; then the run's directory goes.
	stop := func() { p.stop(30 * time.Second) }
	r.stops = append(r.stops, stop)
	endpoint := fmt.Sprintf("http://127.0.0.1:%d/sparql", httpPort)
	err = waitFor(ctx, p, 2*time.Minute, "serving", func() bool {
		resp, err := r.hc.Get(endpoint + "?query=" + url.QueryEscape("ASK {}"))
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if err != nil {
		return nil, err
	}
	isql := func(sql string) (string, error) {
		cmd := exec.CommandContext(ctx, r.cfg.isql, fmt.Sprintf("127.0.0.1:%d", sqlPort), "dba", "dba",
			"VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "ERRORS=stdout", "exec="+sql)
		out, err := cmd.CombinedOutput()
		if err == nil && strings.Contains(string(out), "*** Error") {
			err = fmt.Errorf("SQL error")
		}
		if err != nil {
			return "", fmt.Errorf("isql %q: %w\n%s", sql, err, snippet(out))
		}
		return strings.TrimSpace(string(out)), nil
	}
	r.logf("virtuoso: bulk load %s", r.file)
	start := time.Now()
	if _, err := isql(virtuosoLoad(filepath.Dir(r.file), filepath.Base(r.file))); err != nil {
		return nil, err
	}
	lf := &loadFigures{Seconds: time.Since(start).Seconds(),
		How: "Virtuoso 7.2 ld_dir + rdf_loader_run + checkpoint through isql (wall time); peak RSS is virtuoso-t's VmHWM"}
	lf.Rate = float64(r.quads) / lf.Seconds
	bad, err := isql("SELECT COUNT(*) FROM DB.DBA.load_list WHERE ll_error IS NOT NULL OR ll_state <> 2;")
	if err != nil {
		return nil, err
	}
	if bad != "0" {
		out, _ := isql("SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;")
		return nil, fmt.Errorf("virtuoso: the bulk load failed:\n%s", out)
	}
	m, err := memoryOf(p.pid())
	if err != nil {
		return nil, err
	}
	lf.Peak = m.Peak
	stored, err := storedBySPARQL(ctx, r.hc, endpoint)
	if err != nil {
		return nil, fmt.Errorf("virtuoso: count quads: %w", err)
	}
	s := &system{Name: "Virtuoso", sparql: endpoint, proc: p, Load: lf, Stored: stored, stop: stop}
	s.export = constructExport(endpoint)
	return s, nil
}

// Virtuoso's export queries. Its endpoint writes no N-Quads: every triple
// of our graphs as N-Triples (each is in one graph only, so the counts
// agree).
const (
	constructAll = `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/innograph/")) }`
	ourGraphs    = `SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/innograph/")) }`
)

// tooLarge is how Virtuoso refuses a CONSTRUCT whose answer, which it
// builds whole before sending, passes its vector limit (10M triples did).
const tooLarge = "The result vector is too large"

// constructExport exports every triple of our graphs from a SPARQL
// endpoint with one CONSTRUCT or, when the endpoint finds that answer too
// large, one CONSTRUCT per graph (timed from listing the graphs to the
// last one's last byte).
func constructExport(endpoint string) func(ctx context.Context, hc *http.Client) (exportFigures, error) {
	return func(ctx context.Context, hc *http.Client) (exportFigures, error) {
		f, err := fetchLines(ctx, hc, endpoint, url.Values{"query": {constructAll}}, "application/n-triples",
			"SPARQL CONSTRUCT of every triple of our graphs as N-Triples (its endpoint writes no N-Quads)")
		if err == nil || !strings.Contains(err.Error(), tooLarge) {
			return f, err
		}
		start := time.Now()
		res, err := (&caller{hc: hc}).sparql(ctx, endpoint, ourGraphs)
		if err != nil {
			return exportFigures{}, fmt.Errorf("export: list the graphs: %w", err)
		}
		all := exportFigures{How: fmt.Sprintf("SPARQL CONSTRUCT of every triple as N-Triples, graph by graph (%d requests: one CONSTRUCT of them all answered %q)",
			len(res.Results.Bindings), tooLarge)}
		for _, b := range res.Results.Bindings {
			q := fmt.Sprintf("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH %s { ?s ?p ?o } }", iriRef(b["g"].Value))
			f, err := fetchLines(ctx, hc, endpoint, url.Values{"query": {q}}, "application/n-triples", "")
			if err != nil {
				return exportFigures{}, fmt.Errorf("export of graph %s: %w", b["g"].Value, err)
			}
			all.Lines += f.Lines
			all.Bytes += f.Bytes
		}
		all.Seconds = time.Since(start).Seconds()
		all.Rate = float64(all.Lines) / all.Seconds
		return all, nil
	}
}
