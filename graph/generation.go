package graph

// openGeneration sets the store's first generation from its backend: an
// embedded store's kept across clean restarts (graph/internal/kvstore),
// the memory store's from the clock, so a restarted server never repeats
// one. PostgreSQL keeps its generation in the database (the change log).
func (s *Store) openGeneration() error {
	g, err := s.be.OpenGeneration()
	if err != nil {
		return err
	}
	s.gen.Store(g)
	s.genOpen = true
	return nil
}

// closeGeneration records the generation of a cleanly closed store where
// its backend keeps one.
func (s *Store) closeGeneration() error {
	if !s.genOpen {
		return nil
	}
	return s.be.CloseGeneration(s.gen.Load())
}
