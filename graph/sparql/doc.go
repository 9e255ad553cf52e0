// Package sparql evaluates SPARQL 1.1 queries and updates over a
// frontier.Reader: the engine behind innograph's SPARQL endpoint.
//
// # Pipeline
//
// A request goes through four stages, each in its own package, each
// tested on its own:
//
//	text --parse.Query/parse.Update--> algebra (graph/sparql/algebra)
//	     --Prepare--> Plan (physical operators, for one Reader)
//	     --Plan.Select/Ask/Construct--> solutions or triples
//	     --results.NewWriter / rdfio writers--> bytes
//
// parse (graph/sparql/parse) turns text into the algebra of section 18 of
// the SPARQL 1.1 spec, with every syntax and scoping error a located
// *parse.SyntaxError. Prepare resolves the query's constants and dataset
// to the Reader's IDs, asks the Reader's Count for estimates, orders joins
// and compiles the algebra into operators (a Plan); Explain shows the
// plan. Update evaluates an update request into a Delta that the store
// applies as one transaction. results (graph/sparql/results) writes and
// reads the result formats; CONSTRUCT and DESCRIBE triples go to
// graph/rdfio's writers.
//
// # Evaluation
//
// Operators work on rows of IDs, one slot per variable, in batches of a
// few hundred: values are decoded only where an expression, ORDER BY or
// the output needs them (a bounded cache serves expressions; output
// decodes each batch with one reader call). A triple pattern is a bind
// join: for a batch of input rows it asks the reader, in one Quads call
// per access direction, for the quads of every distinct bound node, and
// extends each row with each match. Joins run as pipelines of such steps
// in the order the planner picked from the reader's counts (most
// selective first, then the step that adds the fewest rows per input
// row); a filter runs as soon as the variables it reads are final. An
// operand whose meaning would change if it saw the outer bindings (a
// sub-select with LIMIT, an OPTIONAL reading a variable it does not
// bind) is evaluated once on its own and hash-joined instead. OPTIONAL,
// EXISTS and MINUS inside EXISTS use the same injection, with each output
// row tracing the input row it extends.
//
// Results stream: every operator hands on full batches as it fills them,
// so SELECT, ASK, CONSTRUCT without ORDER BY, GROUP BY or DISTINCT hold a
// few batches whatever the size of the answer. Sorting, grouping,
// DISTINCT and hash joins hold their rows, counted against
// Options.MaxHeld. Where duplicates do not matter (ASK, under DISTINCT,
// inside EXISTS) a join drops variables no later step reads and the
// duplicates that leaves, so a chain of path steps walks distinct nodes.
// Property path repetitions walk breadth first, one reader call per
// level for all start nodes.
//
// One rule goes further where duplicates do not matter: a join that is
// only a chain of links (property paths, or triple patterns with a
// constant predicate) from a constant, c p1 ?x1 . ?x1 p2 ?x2 ... pn ?m,
// whose inner variables join exactly two neighbouring links and are read
// by no consumer, and whose filters each read one variable of the chain
// (and no EXISTS, RAND, BNODE or UUID), is a chain node (chain.go). It
// walks level by level on sets of distinct nodes (a semi-join): one
// reader call per level and direction for the whole frontier, each
// filter run once per node, and binds ?m to each node reached once (or,
// when the far end is a constant, checks that it is reached), instead of
// enumerating every walk. Under DISTINCT, ASK or EXISTS the answers are
// the same, since projecting away the inner variables of the join's
// solutions leaves exactly the reachable far ends. It does not apply
// without DISTINCT (the multiplicities are the walks), when an inner
// variable is projected, read by another pattern, an OPTIONAL or a filter
// over two variables, or when no end of the chain is a constant.
// Explain shows it as "chain".
//
// Every loop checks its context: a deadline or cancellation stops the
// evaluation with an *Error of kind Timeout or Canceled. Options.MaxRows
// bounds the rows (or triples) handed out.
//
// # Datasets
//
// The service's dataset (UnionDataset) has the union of every graph of
// the store as its default graph, the unnamed graph included. A default
// graph made of several graphs is their RDF merge, a set: a triple stated
// in two graphs matches once (scans drop the repeats, within a node's
// quads for a bound pattern and within a subject's for a full scan, so
// the memory this takes is bounded by a node's degree; Oxigraph's union
// default graph instead matches once per graph). Its named graphs are the
// store's graph labels. FROM and
// FROM NAMED narrow it to the graphs they name, and Options.Protocol (the
// protocol's default-graph-uri and named-graph-uri) replaces both.
// StoreDataset (default graph: the unnamed graph alone) is what SPARQL
// Update's graph operations address and what the W3C tests assume.
//
// # Invariants
//
// A term has one ID within an evaluation: the reader's, or (high bit set)
// one of the query's own for terms the store lacks, so ID equality is
// term equality. Zero is unbound. Operators may call the Reader from
// inside a running Quads or All walk, which frontier.Reader allows.
//
// # Imports
//
// The package imports graph/frontier (the reader), the quad data model,
// graph/rdfio (IRI resolution) and its own sub-packages; never a store or
// Cayley's backends, never package graph.
package sparql
