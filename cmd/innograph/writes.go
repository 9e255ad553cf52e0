package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/seeds/seeddocs"
)

// writeConfig is what serve is told about writes: tokens, limits, audit.
type writeConfig struct {
	WriteTokens, WriteTokensFile string
	ReadTokens, ReadTokensFile   string
	AuditLog                     string
	Limits                       api.Limits
}

// writeFlags are serve's flags for authenticated writes. Secrets are best
// given by environment variable or file: a flag shows in the process list.
func writeFlags(fs *flag.FlagSet, cfg *Config) {
	w := &cfg.Writes
	d := api.DefaultLimits()
	fs.StringVar(&w.WriteTokens, "write-tokens", "", "write tokens, comma-separated \"id:secret\" (or bare secrets); none means writes are off (403). Prefer the variable or -write-tokens-file")
	fs.StringVar(&w.WriteTokensFile, "write-tokens-file", "", "file of write tokens, one \"id:secret\" per line, '#' comments")
	fs.StringVar(&w.ReadTokens, "read-tokens", "", "read tokens; when set (or -read-tokens-file), reads need a read or write token")
	fs.StringVar(&w.ReadTokensFile, "read-tokens-file", "", "file of read tokens, one per line")
	fs.StringVar(&w.AuditLog, "audit-log", "", "also append the write audit log to this file as JSON lines")
	fs.Int64Var(&w.Limits.MaxBodyBytes, "max-body-bytes", d.MaxBodyBytes, "largest write body, in bytes after gzip decoding")
	fs.Int64Var(&w.Limits.MaxGzipRatio, "max-gzip-ratio", d.MaxGzipRatio, "largest expansion of a gzip body (decoded size / sent size)")
	fs.IntVar(&w.Limits.MaxQuads, "max-quads", d.MaxQuads, "most quads in one write")
	fs.IntVar(&w.Limits.MaxLiteralBytes, "max-literal-bytes", d.MaxLiteralBytes, "longest literal in a write, in bytes")
	fs.IntVar(&w.Limits.MaxIRIBytes, "max-iri-bytes", d.MaxIRIBytes, "longest IRI in a write, in bytes")
	fs.IntVar(&w.Limits.MaxJSONDepth, "max-json-depth", d.MaxJSONDepth, "deepest JSON-LD nesting of arrays and objects")
	fs.IntVar(&w.Limits.MaxPrefixes, "max-prefixes", d.MaxPrefixes, "most prefix declarations (Turtle, TriG) or context terms (JSON-LD) in a write")
}

// tokens reads a token list from its flag and its file; both may be set.
func tokens(list, file, what string) ([]api.Token, error) {
	toks, err := api.ParseTokens(list)
	if err != nil {
		return nil, fmt.Errorf("%s tokens: %w", what, err)
	}
	if file == "" {
		return toks, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s tokens file: %w", what, err)
	}
	defer f.Close()
	more, err := api.ReadTokens(f)
	if err != nil {
		return nil, fmt.Errorf("%s tokens file %s: %w", what, file, err)
	}
	return append(toks, more...), nil
}

// apiConfig builds the HTTP configuration of serve. The returned closer
// closes the audit file, if any.
func apiConfig(e *env, cfg *Config) (api.Config, io.Closer, error) {
	w := cfg.Writes
	wt, err := tokens(w.WriteTokens, w.WriteTokensFile, "write")
	if err != nil {
		return api.Config{}, nil, err
	}
	rt, err := tokens(w.ReadTokens, w.ReadTokensFile, "read")
	if err != nil {
		return api.Config{}, nil, err
	}
	proxies := splitList(cfg.TrustedProxies)
	for _, p := range proxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return api.Config{}, nil, fmt.Errorf("-trusted-proxies: %q is neither an IP address nor a CIDR range", p)
		}
	}
	ac := api.Config{
		TrustedProxies: proxies,
		Timeouts:       cfg.Timeouts,
		MaxExports:     cfg.MaxExports,
		Gizmo:          cfg.Gizmo,
		MaxScripts:     cfg.MaxScripts,
		BaseURL:        cfg.BaseURL,
		CORSOrigins:    splitList(cfg.CORSOrigins),
		WriteTokens:    wt,
		ReadTokens:     rt,
		WriteLimits:    w.Limits,
		QueryTimeout:   cfg.Query.Timeout,
		QueryLimits:    cfg.Query.limits(),
		MaxSPARQLRows:  cfg.Query.maxSPARQLRows(),
		ParseProfile:   seeddocs.ParseUpload,
	}
	var closer io.Closer = io.NopCloser(nil)
	if w.AuditLog != "" {
		f, err := os.OpenFile(w.AuditLog, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return api.Config{}, nil, fmt.Errorf("audit log: %w", err)
		}
		closer = f
		// The audit log goes to the process log and to its own file.
		ac.Audit = slog.New(slog.NewMultiHandler(e.log.Handler(), slog.NewJSONHandler(f, nil)))
	}
	if len(wt) == 0 {
		e.log.Info("writes are off: set INNOGRAPH_WRITE_TOKENS or INNOGRAPH_WRITE_TOKENS_FILE to enable them")
	} else {
		e.log.Info("writes enabled", "tokens", len(wt), "read_tokens", len(rt))
	}
	return ac, closer, nil
}
