package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
	"github.com/prometheus/client_golang/prometheus"
)

// openStore opens the configured store, closing nothing on failure.
func openStore(e *env, cfg *Config) (*graph.Store, error) {
	return graph.Open(e.ctx, cfg.Store)
}

// openExisting opens the store for a read-only command (stats, export,
// backup): a data directory that does not exist, or holds no store of the
// backend, is an error rather than a new empty store.
func openExisting(e *env, cfg *Config) (*graph.Store, error) {
	c := cfg.Store
	c.MustExist = true
	return graph.Open(e.ctx, c)
}

// serve runs the HTTP server until ctx is cancelled (SIGINT/SIGTERM), then
// lets in-flight requests finish and closes the store.
func serve(e *env, cfg *Config, args []string) (err error) {
	if len(args) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", args)
	}
	// One registry, made here and passed down, collects the process, the
	// store and the HTTP metrics that GET /metrics serves.
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	cfg.Store.Metrics = reg
	cfg.Store.ReadOnly = cfg.Scale.ReadOnly
	// The port first: a clash fails at once, not after the seed load.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close() // Serve closes it too; a second Close is harmless
	cfg.Store.Progress = func(msg string) { e.log.Info(msg) }
	store, err := openStore(e, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if cfg.Seed && !cfg.Scale.ReadOnly {
		n, err := store.LoadIfEmpty(e.ctx, seedDocuments())
		if err != nil {
			return fmt.Errorf("load seed graph: %w", err)
		}
		if n > 0 {
			e.log.Info("loaded the embedded seed graph", "quads", n)
		}
	}

	// Building the read tier (and a seed load) leaves its transient
	// copies as garbage the collector would return to the system only
	// slowly: hand it back now, before the server settles into serving.
	debug.FreeOSMemory()

	ac, auditFile, err := apiConfig(e, cfg)
	if err != nil {
		return err
	}
	ac.Metrics = reg
	cfg.Scale.apply(&ac)
	defer auditFile.Close()

	gin.SetMode(gin.ReleaseMode) // gin's only switch is global; silence its debug output
	handler := api.New(ac, store, e.log)
	// Requests run under base, not e.ctx: a signal lets them finish; base
	// ends only when the shutdown timeout has passed.
	base, cancelBase := context.WithCancel(context.WithoutCancel(e.ctx))
	defer cancelBase()
	srv := handler.HTTPServer(base)
	e.log.Info("serving", "addr", ln.Addr().String(), "backend", store.Backend(), "read_only", cfg.Scale.ReadOnly)
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(api.GuardListener(ln)) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-e.ctx.Done():
	}
	e.log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// In-flight requests outlived the timeout (a slow reader of an
		// export, say): end them. Their contexts end and their
		// connections close, so a handler blocked on a client returns;
		// the store is closed only once they have.
		e.log.Warn("shutdown timeout passed: ending in-flight requests", "err", err)
		cancelBase()
		srv.Close()
		dctx, dcancel := context.WithTimeout(context.Background(), drainGrace)
		defer dcancel()
		if err := handler.Drain(dctx); err != nil {
			e.log.Error("requests still running after they were ended", "err", err)
		}
		return nil
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// drainGrace is how long ended requests may take to return before the
// store is closed under them.
const drainGrace = 5 * time.Second

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
