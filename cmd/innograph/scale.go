package main

import (
	"flag"
	"time"

	"github.com/innograph/innograph/api"
)

// scaleConfig is what serve is told about running as one of many servers:
// read-only on a replica, how far behind it may be, how long caches keep
// answers.
type scaleConfig struct {
	ReadOnly          bool
	PrimaryURL        string
	MaxReplicaLag     time.Duration
	CacheMaxAge       time.Duration
	CacheStale        time.Duration
	MinGenerationWait time.Duration
}

// scaleFlags are serve's flags for replicas and caches (docs/scale.md).
func scaleFlags(fs *flag.FlagSet, cfg *Config) {
	sc := &cfg.Scale
	fs.BoolVar(&sc.ReadOnly, "read-only", false, "serve reads only and refuse every write with a 403 read-only problem (for a server on a PostgreSQL hot standby); also skips the seed load and schema set-up")
	fs.StringVar(&sc.PrimaryURL, "primary-url", "", "base URL of the read-write server, named in a read-only server's refusals, e.g. https://write.kg.example/")
	fs.DurationVar(&sc.MaxReplicaLag, "max-replica-lag", api.DefaultMaxReplicaLag, "on a PostgreSQL hot standby, /readyz answers 503 while replay is further behind the primary than this")
	fs.DurationVar(&sc.CacheMaxAge, "cache-max-age", api.DefaultCacheMaxAge, "Cache-Control max-age of read answers; 0 makes caches revalidate every time (no-cache)")
	fs.DurationVar(&sc.CacheStale, "cache-stale", 0, "Cache-Control stale-while-revalidate of read answers; 0 leaves it out")
	fs.DurationVar(&sc.MinGenerationWait, "min-generation-wait", api.DefaultMinGenerationWait, "how long a read carrying Innograph-Min-Generation waits for this server's store to reach it before a 503")
}

// apply copies the scale settings into the HTTP configuration.
func (sc scaleConfig) apply(ac *api.Config) {
	ac.ReadOnly = sc.ReadOnly
	ac.PrimaryURL = sc.PrimaryURL
	ac.MaxReplicaLag = sc.MaxReplicaLag
	ac.CacheMaxAge = sc.CacheMaxAge
	if sc.CacheMaxAge <= 0 {
		ac.CacheMaxAge = -1 // zero in api.Config is the default
	}
	ac.CacheStale = sc.CacheStale
	ac.MinGenerationWait = sc.MinGenerationWait
}
