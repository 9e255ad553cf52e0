package graph

import (
	"context"
	"errors"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/innograph/innograph/graph/frontier"
	"github.com/innograph/innograph/graph/rdfio"
	"github.com/innograph/innograph/graph/sparql"
	"github.com/innograph/innograph/graph/sparql/algebra"
	"github.com/innograph/innograph/graph/sparql/parse"
)

// SPARQLRequest is one SPARQL query or update as the SPARQL 1.1 Protocol
// carries it.
type SPARQLRequest struct {
	// Text is the query or the update request.
	Text string
	// Base is the base IRI relative IRIs resolve against until the text's
	// BASE changes it; empty leaves them unresolved (an error where an IRI
	// must be absolute).
	Base string
	// DefaultGraphs and NamedGraphs are the protocol's default-graph-uri
	// and named-graph-uri (using-graph-uri and using-named-graph-uri for
	// an update). When either is given they make the dataset, replacing
	// the text's FROM and FROM NAMED (USING and USING NAMED).
	DefaultGraphs, NamedGraphs []string
	// MaxRows bounds the rows of a SELECT (the triples of a CONSTRUCT or
	// DESCRIBE); zero means no bound.
	MaxRows int64
	// MaxUpdateQuads bounds the quads an update may delete plus insert;
	// zero means no bound.
	MaxUpdateQuads int64
}

// SPARQLForm is the kind of a SPARQL query: "SELECT", "ASK", "CONSTRUCT"
// or "DESCRIBE".
type SPARQLForm string

// The query forms.
const (
	FormSelect    SPARQLForm = "SELECT"
	FormAsk       SPARQLForm = "ASK"
	FormConstruct SPARQLForm = "CONSTRUCT"
	FormDescribe  SPARQLForm = "DESCRIBE"
)

// SPARQLPlan is the plan a prepared query runs: operators with the
// reader's estimates, for people tuning queries.
type SPARQLPlan = sparql.Explain

// SPARQLQuery is a query prepared on one state of the store, ready to run
// once; Close releases it. It is used from one goroutine.
type SPARQLQuery struct {
	r    frontier.Reader
	plan *sparql.Plan
	form SPARQLForm
}

func formOf(f algebra.Form) SPARQLForm {
	switch f {
	case algebra.Ask:
		return FormAsk
	case algebra.Construct:
		return FormConstruct
	case algebra.Describe:
		return FormDescribe
	}
	return FormSelect
}

// PrepareSPARQL parses a query and plans it on the store's current state.
// The default graph is the union of every graph of the store, the named
// graphs are the store's graphs (the source documents and written graphs);
// FROM, FROM NAMED and the request's dataset narrow it. It returns an
// Invalid error wrapping a located *parse.SyntaxError for text that is not
// a query, Invalid for a bad dataset IRI, Unprocessable for SERVICE,
// Timeout when ctx ends, Unavailable after Close.
func (s *Store) PrepareSPARQL(ctx context.Context, req SPARQLRequest) (*SPARQLQuery, error) {
	const op = "sparql query"
	q, err := parse.Query(req.Text, parse.Options{Base: req.Base})
	if err != nil {
		return nil, sparqlError(op, err)
	}
	opt, err := sparqlOptions(req)
	if err != nil {
		return nil, err
	}
	r, err := s.Reader(ctx)
	if err != nil {
		return nil, err
	}
	plan, err := sparql.Prepare(ctx, r, q, opt)
	if err != nil {
		r.Close()
		return nil, sparqlError(op, err)
	}
	return &SPARQLQuery{r: r, plan: plan, form: formOf(q.Form)}, nil
}

// Form is the query's form.
func (q *SPARQLQuery) Form() SPARQLForm { return q.form }

// Vars are the result columns of a SELECT, in order.
func (q *SPARQLQuery) Vars() []string { return q.plan.Vars() }

// Plan is the plan the query runs, with the reader's estimates.
func (q *SPARQLQuery) Plan() *SPARQLPlan { return q.plan.Explain() }

// Select streams the solutions of a SELECT: fn gets each row, row[i] the
// value of Vars()[i] (nil when unbound), reused after fn returns. It stops
// at fn's first error and returns it; otherwise a TooLarge error past
// MaxRows or past the memory bound of sorts and groups, Timeout when ctx
// ends.
func (q *SPARQLQuery) Select(ctx context.Context, fn func(row []quad.Value) error) error {
	return q.run(func() error { return q.plan.Select(ctx, fn) })
}

// Ask answers an ASK query. Errors as Select.
func (q *SPARQLQuery) Ask(ctx context.Context) (bool, error) {
	var ok bool
	err := q.run(func() (err error) {
		ok, err = q.plan.Ask(ctx)
		return err
	})
	return ok, err
}

// Construct streams the triples of a CONSTRUCT or DESCRIBE query (quads
// without a graph). Errors as Select.
func (q *SPARQLQuery) Construct(ctx context.Context, fn func(quad.Quad) error) error {
	return q.run(func() error { return q.plan.Construct(ctx, fn) })
}

// run maps the engine's errors, leaving the caller's own unchanged.
func (q *SPARQLQuery) run(fn func() error) error {
	err := fn()
	var se *sparql.Error
	if err == nil || !errors.As(err, &se) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return err
	}
	return sparqlError("sparql query", err)
}

// Close releases the state the query reads.
func (q *SPARQLQuery) Close() error { return q.r.Close() }

// SPARQLChange is what one update request did.
type SPARQLChange struct {
	// Added and Removed count the quads the update added and removed.
	Added, Removed int
	// Graphs lists the graphs the update changed (nil for the default
	// graph), each once.
	Graphs []quad.Value
}

// UpdateSPARQL runs a SPARQL 1.1 Update request as one transaction: every
// operation is evaluated in turn on the store's state (each seeing the
// ones before), and the net change is validated against v (when not nil)
// and applied whole, or nothing is. Writers are held off meanwhile, so no
// other write slips in between. Templates and graph operations address
// the store's graphs, whose default graph is the unnamed one; WHERE
// clauses match in the service's dataset (the union of every graph), or
// the one USING, WITH or the request name. It returns an Invalid error
// wrapping a *parse.SyntaxError for text that is not an update,
// Unprocessable for LOAD (the service fetches no URLs) or for a change v
// refuses (wrapping a *ValidationError), NotFound for CLEAR, DROP, ADD,
// MOVE or COPY of a graph that does not exist without SILENT, Invalid for
// CREATE of one that does, TooLarge past MaxUpdateQuads, Timeout when ctx
// ends, Internal when the backend fails (then nothing is applied).
func (s *Store) UpdateSPARQL(ctx context.Context, req SPARQLRequest, v *Validator) (SPARQLChange, error) {
	const op = "sparql update"
	u, err := parse.Update(req.Text, parse.Options{Base: req.Base})
	if err != nil {
		return SPARQLChange{}, sparqlError(op, err)
	}
	if err := checkInsertData(u); err != nil {
		return SPARQLChange{}, err
	}
	opt, err := sparqlOptions(req)
	if err != nil {
		return SPARQLChange{}, err
	}
	if err := ctx.Err(); err != nil {
		return SPARQLChange{}, E(op, Timeout, err)
	}
	unlock, err := s.lockWriters(ctx, op)
	if err != nil {
		return SPARQLChange{}, err
	}
	defer unlock()
	// Under the writers' lock the reader holds every write made so far
	// (on PostgreSQL, other servers' too: the tier catches up first, and
	// their writes wait for this one).
	s.tierReady(ctx, true)
	r, err := s.Reader(ctx)
	if err != nil {
		return SPARQLChange{}, err
	}
	d, err := sparql.Update(ctx, r, u, opt)
	r.Close()
	if err != nil {
		return SPARQLChange{}, sparqlError(op, err)
	}
	ch := SPARQLChange{Added: len(d.Insert), Removed: len(d.Delete)}
	seen := map[quad.Value]bool{}
	for _, qs := range [][]quad.Quad{d.Delete, d.Insert} {
		for _, q := range qs {
			if !seen[q.Label] {
				seen[q.Label] = true
				ch.Graphs = append(ch.Graphs, q.Label)
			}
		}
	}
	if len(d.Insert)+len(d.Delete) == 0 {
		return ch, nil
	}
	err = s.read(op, func(cqs cgraph.QuadStore) error {
		if v != nil {
			if err := v.checkDelta(ctx, cqs, d.Insert, d.Delete); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return E(op, Timeout, err)
		}
		deltas := make([]cgraph.Delta, 0, len(d.Delete)+len(d.Insert))
		for _, q := range d.Delete {
			deltas = append(deltas, cgraph.Delta{Action: cgraph.Delete, Quad: q})
		}
		for _, q := range d.Insert {
			deltas = append(deltas, cgraph.Delta{Action: cgraph.Add, Quad: q})
		}
		// A quad both deleted and inserted ends inserted, as SPARQL
		// orders them; the backends apply adds before removes.
		deltas = settle(deltas)
		if err := s.applyDeltas(deltas, false, false); err != nil {
			return E(op, Internal, err)
		}
		return nil
	})
	if err != nil {
		return SPARQLChange{}, err
	}
	return ch, nil
}

// checkInsertData refuses INSERT DATA triples that are not RDF (a
// literal subject, say): the grammar lets them through and the engine
// would drop them silently, so a success would not mean the data was
// stored as sent.
func checkInsertData(u *algebra.Update) error {
	for i, op := range u.Ops {
		ins, ok := op.(*algebra.InsertData)
		if !ok {
			continue
		}
		for _, q := range ins.Quads {
			what := ""
			switch {
			case q.Subject == nil || q.Predicate == nil || q.Object == nil:
				what = "an incomplete triple"
			default:
				switch q.Subject.(type) {
				case quad.IRI, quad.BNode:
				default:
					what = "a literal subject"
				}
				if _, ok := q.Predicate.(quad.IRI); !ok && what == "" {
					what = "a predicate that is not an IRI"
				}
			}
			if what != "" {
				return Errorf("sparql update", Invalid, "operation %d (INSERT DATA): the triple %v %v %v has %s; RDF allows none", i+1, q.Subject, q.Predicate, q.Object, what)
			}
		}
	}
	return nil
}

// sparqlOptions turns a request's limits and dataset into the engine's
// options. It returns an Invalid error for a dataset IRI that is not an
// absolute IRI.
func sparqlOptions(req SPARQLRequest) (sparql.Options, error) {
	opt := sparql.Options{MaxRows: req.MaxRows, MaxUpdateQuads: req.MaxUpdateQuads}
	if len(req.DefaultGraphs)+len(req.NamedGraphs) == 0 {
		return opt, nil
	}
	ds := &sparql.Dataset{}
	for _, g := range req.DefaultGraphs {
		if err := rdfio.CheckIRI(g); err != nil {
			return opt, Errorf("sparql request", Invalid, "default-graph-uri %q: %v", g, err)
		}
		ds.Default.Graphs = append(ds.Default.Graphs, quad.IRI(g))
	}
	for _, g := range req.NamedGraphs {
		if err := rdfio.CheckIRI(g); err != nil {
			return opt, Errorf("sparql request", Invalid, "named-graph-uri %q: %v", g, err)
		}
		ds.Named.Graphs = append(ds.Named.Graphs, quad.IRI(g))
	}
	opt.Protocol = ds
	return opt, nil
}

// sparqlError maps the engine's errors to the store's kinds: a syntax
// error is Invalid (and keeps its position), a refused feature (LOAD,
// SERVICE) Unprocessable, a cancelled request Timeout.
func sparqlError(op string, err error) error {
	var syn *parse.SyntaxError
	if errors.As(err, &syn) {
		return E(op, Invalid, err)
	}
	var kind Kind
	k := sparql.KindOf(err)
	if se, ok := err.(*sparql.Error); ok && se.Err != nil {
		err = se.Err // op already says "sparql query" or "sparql update"
	}
	switch k {
	case sparql.Invalid:
		kind = Invalid
	case sparql.NotFound:
		kind = NotFound
	case sparql.TooLarge:
		kind = TooLarge
	case sparql.Unsupported:
		kind = Unprocessable
	case sparql.Timeout, sparql.Canceled:
		kind = Timeout
	default:
		if k := KindOf(err); k != Internal {
			return err // the store's own error, already classified
		}
		kind = Internal
	}
	return E(op, kind, err)
}
