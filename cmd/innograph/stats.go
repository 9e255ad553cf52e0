package main

import (
	"encoding/json"
	"fmt"
)

// stats prints the store's figures as JSON, the same document as
// GET /api/v1/stats.
func stats(e *env, cfg *Config, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("stats takes no arguments, got %q", args)
	}
	store, err := openExisting(e, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	st, err := store.Stats(e.ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(st)
}
