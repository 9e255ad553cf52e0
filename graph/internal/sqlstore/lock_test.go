package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/innograph/innograph/graph/internal/sqlstore"
)

// TestLockWriters: two stores on one database (two servers) hold the
// writers' lock in turn; a wait cut short by its context fails without
// leaving the lock held; and the lock goes with the session, so a released
// lock can be taken again at once by the other store.
func TestLockWriters(t *testing.T) {
	dsn := freshDatabase(t)
	ctx := context.Background()
	open := func() *sqlstore.Store {
		s, err := sqlstore.Open(ctx, sqlstore.Config{Backend: sqlstore.Postgres, DSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()

	releaseA, err := a.LockWriters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// b waits while a holds the lock: with a short deadline it fails.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	_, err = b.LockWriters(short)
	cancel()
	if err == nil {
		t.Fatal("a second server took the writers' lock while the first held it")
	}
	if !errors.Is(err, context.DeadlineExceeded) && short.Err() == nil {
		t.Fatalf("the refused lock failed with %v, not at its deadline", err)
	}

	// b waits, then gets the lock once a releases it.
	got := make(chan func(), 1)
	go func() {
		release, err := b.LockWriters(ctx)
		if err != nil {
			t.Error(err)
			close(got)
			return
		}
		got <- release
	}()
	select {
	case <-got:
		t.Fatal("the second server took the lock before the first released it")
	case <-time.After(200 * time.Millisecond):
	}
	releaseA()
	select {
	case releaseB, ok := <-got:
		if !ok {
			t.Fatal("the second server could not take the lock")
		}
		releaseB()
	case <-time.After(30 * time.Second):
		t.Fatal("the second server never got the lock after the first released it")
	}

	// Neither the cancelled wait nor the releases left the lock held.
	quick, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for _, s := range []*sqlstore.Store{a, b} {
		release, err := s.LockWriters(quick)
		if err != nil {
			t.Fatalf("the lock is still held after every holder released it: %v", err)
		}
		release()
	}
}
