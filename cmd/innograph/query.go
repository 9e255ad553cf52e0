package main

import (
	"flag"
	"time"

	"github.com/innograph/innograph/api"
	"github.com/innograph/innograph/graph"
)

// QueryConfig bounds the query API of serve.
type QueryConfig struct {
	Timeout     time.Duration
	MaxHops     int
	MaxPageSize int
	// MaxSPARQLRows bounds a SPARQL answer's rows; 0 means no bound.
	MaxSPARQLRows int64
}

// maxSPARQLRows is api.Config's row limit for the flag's value (0: none).
func (q QueryConfig) maxSPARQLRows() int64 {
	if q.MaxSPARQLRows <= 0 {
		return -1
	}
	return q.MaxSPARQLRows
}

// limits are the graph limits the flags give; the rest take defaults.
func (q QueryConfig) limits() graph.QueryLimits {
	return graph.QueryLimits{MaxHops: q.MaxHops, MaxPageSize: q.MaxPageSize}
}

// queryFlags are serve's query limits.
func queryFlags(fs *flag.FlagSet, cfg *Config) {
	d := graph.DefaultQueryLimits()
	fs.DurationVar(&cfg.Query.Timeout, "query-timeout", api.DefaultQueryTimeout, "longest a query may run; then it gets 503 with Retry-After")
	fs.IntVar(&cfg.Query.MaxHops, "max-hops", d.MaxHops, "largest hop count a query may ask for (maxHops, hops, pattern length)")
	fs.Int64Var(&cfg.Query.MaxSPARQLRows, "max-sparql-rows", api.DefaultMaxSPARQLRows, "most rows of a SPARQL answer (triples of a CONSTRUCT or DESCRIBE); past it the answer fails (413, or a cut connection once streaming); 0 for no limit")
	fs.IntVar(&cfg.Query.MaxPageSize, "max-page-size", d.MaxPageSize, "largest page (limit) a query may ask for")
}
