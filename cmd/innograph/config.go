package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
)

// Config is everything a subcommand can be told, resolved from flags and
// INNOGRAPH_* environment variables (flags win).
type Config struct {
	Store graph.Config

	// serve
	Addr            string
	BaseURL         string
	Seed            bool
	ShutdownTimeout time.Duration
	LogFormat       string
	Query           QueryConfig
	Writes          writeConfig
	CORSOrigins     string // comma-separated; "*" for every origin
	Scale           scaleConfig
	TrustedProxies  string // comma-separated addresses or CIDR ranges
	Timeouts        api.Timeouts
	MaxExports      int
	Gizmo           bool
	MaxScripts      int

	// load / export
	Format        string
	Graph         string
	Base          string
	BatchSize     int
	ProgressEvery time.Duration
	CPUProfile    string
	Output        string
	Type          string // export: only the descriptions of this class's instances

	// backup
	From  string
	Token string
}

// envName is the environment variable that sets flag name.
func envName(name string) string {
	return "INNOGRAPH_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// command is one subcommand: its flags and what it does.
type command struct {
	name    string
	args    string // positional arguments, for usage
	summary string
	flags   func(fs *flag.FlagSet, cfg *Config)
	run     func(e *env, cfg *Config, args []string) error
}

// storeFlags are shared by every subcommand that opens the store.
func storeFlags(fs *flag.FlagSet, cfg *Config) {
	fs.Func("backend", "storage backend: bolt, memory, leveldb, postgres or cockroach (default bolt)", func(s string) error {
		for _, b := range graph.Backends() {
			if string(b) == s {
				cfg.Store.Backend = b
				return nil
			}
		}
		return fmt.Errorf("unknown backend %q (want one of %v)", s, graph.Backends())
	})
	fs.StringVar(&cfg.Store.Path, "data", "innograph-data", "directory of the embedded store (bolt, leveldb); created on first use")
	fs.StringVar(&cfg.Store.DSN, "dsn", "", "connection string for postgres or cockroach, e.g. postgres://user@host:5432/db?sslmode=disable")
	// Only serve reads through the in-memory tier (readTierFlag); the
	// other commands read or write once and would only pay for its build.
	cfg.Store.ReadTier = graph.ReadTierOff
	fs.BoolVar(&cfg.Store.NoSync, "nosync", false, "skip fsync after each embedded-store transaction, and on postgres commit load batches with synchronous_commit off (faster bulk loads; a machine or database crash may lose the last batches, never part of one)")
}

// readTierFlag is serve's -read-tier: what answers queries.
func readTierFlag(fs *flag.FlagSet, cfg *Config) {
	cfg.Store.ReadTier = graph.ReadTierMemory
	fs.Func("read-tier", "what answers queries: memory (a copy of the graph in memory, built at start and kept current by every write; about 65 bytes a quad) or off (the store itself) (default memory)", func(s string) error {
		for _, t := range graph.ReadTiers() {
			if string(t) == s {
				cfg.Store.ReadTier = t
				return nil
			}
		}
		return fmt.Errorf("unknown read tier %q (want one of %v)", s, graph.ReadTiers())
	})
}

// parse fills cfg from environment variables, then from args, and returns
// the positional arguments. Unknown variables are ignored; a bad value in
// either place is an error naming its source.
func parse(c *command, args []string, getenv func(string) string, stdout, stderr io.Writer, cfg *Config) ([]string, error) {
	fs := flag.NewFlagSet("innograph "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.flags(fs, cfg)
	// Help asked for goes to stdout (it is the answer); after a usage
	// error it goes to stderr, below flag's message.
	fs.Usage = func() {}
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if v := getenv(envName(f.Name)); v != "" && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s=%q: %w", envName(f.Name), v, err)
			}
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			usage(fs, c, stdout)
			return nil, errHelp
		}
		usage(fs, c, stderr)
		return nil, errUsage
	}
	return fs.Args(), nil
}

// usage prints the subcommand's flags with their defaults and variables.
func usage(fs *flag.FlagSet, c *command, w io.Writer) {
	fmt.Fprintf(w, "usage: innograph %s [flags] %s\n\n%s\n\nflags (each also settable by its environment variable):\n", c.name, c.args, c.summary)
	fs.VisitAll(func(f *flag.Flag) {
		// One default per flag: a usage text that names its default
		// ("(default bolt)") gives it where the flag has none of its own.
		text, def := f.Usage, f.DefValue
		if i := strings.Index(text, " (default "); i >= 0 && strings.HasSuffix(text, ")") {
			if def == "" {
				def = text[i+len(" (default ") : len(text)-1]
			}
			text = text[:i]
		}
		if def == "" {
			def = "none"
		}
		fmt.Fprintf(w, "  -%s\n      %s\n      (env %s, default %s)\n", f.Name, text, envName(f.Name), def)
	})
}

// graphFlag defines -graph, checked as every graph name entering the store
// is (graph.GraphName): an absolute IRI, or the command fails before it
// opens the store.
func graphFlag(fs *flag.FlagSet, cfg *Config, usage string) {
	fs.Func("graph", usage, func(s string) error {
		if s == "" {
			cfg.Graph = ""
			return nil
		}
		iri, err := graph.GraphName(s)
		if err != nil {
			return err
		}
		cfg.Graph = string(iri)
		return nil
	})
}

// timeoutFlags are serve's connection and response timeouts.
func timeoutFlags(fs *flag.FlagSet, cfg *Config) {
	d := api.DefaultTimeouts()
	t := &cfg.Timeouts
	fs.DurationVar(&t.ReadHeader, "read-header-timeout", d.ReadHeader, "longest a client may take to send a request's headers")
	fs.DurationVar(&t.Idle, "idle-timeout", d.Idle, "close a keep-alive connection idle this long")
	fs.DurationVar(&t.Write, "write-timeout", d.Write, "longest a response may take to write, except streamed ones (whole graphs, exports)")
	fs.DurationVar(&t.Progress, "progress-timeout", d.Progress, "longest each write of a streamed response may wait for a slow client before it is cut off")
	fs.DurationVar(&t.Body, "body-timeout", d.Body, "longest a write's body may take to arrive (then 408)")
	fs.BoolVar(&cfg.Gizmo, "gizmo", false, "serve POST /api/v1/query/gizmo (off by default: a script's memory cannot be bounded; for trusted readers)")
	fs.IntVar(&cfg.MaxScripts, "max-scripts", api.DefaultMaxScripts, "Gizmo and GraphQL queries that run at once; more get 503 with Retry-After")
	fs.IntVar(&cfg.MaxExports, "max-exports", api.DefaultMaxExports, "whole-graph reads and exports that run at once; more get 503 with Retry-After")
}
