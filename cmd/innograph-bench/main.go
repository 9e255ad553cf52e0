// Command innograph-bench measures loading and storage per backend on
// generated ecosystems (graph/gen): load rate and peak memory of
// "innograph load" beside Cayley's own batched ApplyDeltas, store size on
// disk, N-Quads export rate, and path-query latency with a check that every
// backend gives the same answers. See docs/performance.md.
//
//	go run ./cmd/innograph-bench -sizes 100000,1000000 -backends bolt,leveldb,postgres
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "innograph-bench:", err)
		os.Exit(1)
	}
}
