package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/innograph/innograph/graph"
)

// env is what a subcommand may touch of the process: nothing global.
type env struct {
	ctx    context.Context
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	// ready, when set, receives the address serve listens on (tests use it
	// with -addr 127.0.0.1:0).
	ready func(addr string)
}

var (
	errUsage = errors.New("usage")
	errHelp  = errors.New("help")
)

// exitCode maps run's error to the process exit code: 2 for usage errors,
// 1 for everything else.
func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	return 1
}

func commands() []*command {
	return []*command{
		{
			name: "serve", summary: "Serve the HTTP API. On an empty store the embedded seed graph is loaded first.",
			flags: func(fs *flag.FlagSet, cfg *Config) {
				storeFlags(fs, cfg)
				readTierFlag(fs, cfg)
				fs.StringVar(&cfg.Addr, "addr", ":8080", "address to listen on")
				fs.StringVar(&cfg.BaseURL, "base-url", "", "another public base URL of entity IRIs to serve beside the published https://w3id.org/innograph/")
				fs.BoolVar(&cfg.Seed, "seed", true, "load the embedded seed graph when the store is empty")
				fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long in-flight requests may run after SIGINT/SIGTERM")
				fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
				queryFlags(fs, cfg)
				writeFlags(fs, cfg)
				scaleFlags(fs, cfg)
				fs.StringVar(&cfg.CORSOrigins, "cors-origins", "*", "comma-separated origins browsers may read from (* for any)")
				timeoutFlags(fs, cfg)
				fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", "", "comma-separated addresses or CIDR ranges of proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (logged client address, scheme of links); none by default")
			},
			run: serve,
		},
		{
			name: "load", args: "FILE...", summary: "Load RDF files (N-Quads, N-Triples, Turtle, TriG, RDF/XML, JSON-LD, or a profile text with -format profile) into the store.\nA malformed file changes nothing: each file is checked whole before anything is written, except the first into a fresh bolt store, loaded as it is parsed and undone on an error. \"-\" reads standard input.",
			flags: func(fs *flag.FlagSet, cfg *Config) {
				storeFlags(fs, cfg)
				fs.StringVar(&cfg.Format, "format", "", "input format (default: from each file's extension)")
				graphFlag(fs, cfg, "named graph IRI for triples that carry none")
				fs.StringVar(&cfg.Base, "base", "", "base IRI for relative IRIs (default: the file's URL)")
				fs.IntVar(&cfg.BatchSize, "batch-size", graph.DefaultBatchSize, "quads per transaction")
				fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a pprof CPU profile of the load to this file")
				fs.DurationVar(&cfg.ProgressEvery, "progress-every", 10*time.Second, "interval between progress log lines when stderr is not a terminal (0: after every batch); on a terminal a progress bar is drawn")
			},
			run: load,
		},
		{
			name: "export", summary: "Write the store (or one named graph, or one class's instances with their descriptions) as RDF.",
			flags: func(fs *flag.FlagSet, cfg *Config) {
				storeFlags(fs, cfg)
				fs.StringVar(&cfg.Format, "format", "nquads", "output format: nquads, ntriples, turtle, trig, rdfxml or jsonld (the formats without graphs write each triple once)")
				graphFlag(fs, cfg, "export only this named graph (an absolute IRI)")
				fs.StringVar(&cfg.Type, "type", "", "export only the instances of this class (IRI or prefixed name, e.g. ig:Company) with their descriptions")
				fs.StringVar(&cfg.Output, "o", "-", "output file (- for standard output)")
			},
			run: export,
		},
		{
			name: "backup", summary: "Write a consistent snapshot of the store (N-Quads or TriG), from a running server (-from URL) or from the store itself.",
			flags: func(fs *flag.FlagSet, cfg *Config) {
				storeFlags(fs, cfg)
				fs.StringVar(&cfg.From, "from", "", "base URL of a running server to back up over HTTP, e.g. http://127.0.0.1:8080 (needed while serve holds an embedded store)")
				fs.StringVar(&cfg.Token, "token", "", "bearer token for a server whose reads need one")
				fs.StringVar(&cfg.Format, "format", "nquads", "snapshot format: nquads or trig")
				fs.StringVar(&cfg.Output, "o", "-", "output file (- for standard output); written whole or not at all")
			},
			run: backup,
		},
		{
			name: "restore", args: "FILE", summary: "Load a backup (N-Quads or TriG) into an empty store as a bulk load, parsed whole first; a non-empty store is refused.",
			flags: func(fs *flag.FlagSet, cfg *Config) {
				storeFlags(fs, cfg)
				fs.StringVar(&cfg.Format, "format", "", "backup format (default: from the file's extension)")
			},
			run: restore,
		},
		{
			name: "version", summary: "Print the version of innograph (module version and commit) and of Go.",
			flags: func(fs *flag.FlagSet, cfg *Config) {},
			run:   version,
		},
		{
			name: "stats", summary: "Print quads, subjects, quads per named graph, entities per class and the store's size on disk as JSON (the document GET /api/v1/stats serves).",
			flags: func(fs *flag.FlagSet, cfg *Config) { storeFlags(fs, cfg) },
			run:   stats,
		},
	}
}

// version prints what the binary was built from.
func version(e *env, cfg *Config, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("version takes no arguments, got %q", args)
	}
	v, rev, dirty := "(devel)", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+modified"
				}
			}
		}
	}
	if rev != "" {
		v += " " + rev + dirty
	}
	fmt.Fprintf(e.stdout, "innograph %s %s\n", v, runtime.Version())
	return nil
}

func mainUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: innograph COMMAND [flags] [args]\n\ncommands:")
	for _, c := range commands() {
		first, _, _ := strings.Cut(c.summary, "\n")
		fmt.Fprintf(w, "  %-8s %s\n", c.name, first)
	}
	fmt.Fprintln(w, "\nRun 'innograph COMMAND -help' for a command's flags.")
}

// run is the whole program; main only adds signals and the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runEnv(&env{ctx: ctx, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}, args)
}

func runEnv(e *env, args []string) error {
	if len(args) == 0 {
		mainUsage(e.stderr)
		return errUsage
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		mainUsage(e.stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		var cfg Config
		rest, err := parse(c, args[1:], e.getenv, e.stdout, e.stderr, &cfg)
		if errors.Is(err, errHelp) {
			return nil
		}
		if err != nil {
			if !errors.Is(err, errUsage) {
				return err
			}
			return errUsage
		}
		if e.log == nil {
			e.log = newLogger(e.stderr, cfg.LogFormat)
		}
		return c.run(e, &cfg, rest)
	}
	fmt.Fprintf(e.stderr, "innograph: unknown command %q\n\n", args[0])
	mainUsage(e.stderr)
	return errUsage
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
