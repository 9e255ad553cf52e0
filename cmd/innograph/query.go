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
	fs.IntVar(&cfg.Query.MaxPageSize, "max-page-size", d.MaxPageSize, "largest page (limit) a query may ask for")
}
