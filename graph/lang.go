package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/cayley/query/graphql"
	"github.com/cayleygraph/quad"
	"github.com/dennwc/graphql/language/ast"
	"github.com/dennwc/graphql/language/kinds"
	"github.com/dennwc/graphql/language/parser"
	"github.com/dop251/goja"
)

// Language is one of Cayley's query languages that Query runs.
type Language string

// The languages Query runs.
const (
	Gizmo   Language = "gizmo"   // Cayley's JavaScript traversal language
	GraphQL Language = "graphql" // Cayley's GraphQL dialect
)

// MaxQueryText bounds the text of a Gizmo or GraphQL query.
const MaxQueryText = 64 << 10

// LangQuery is a query in one of Cayley's languages.
type LangQuery struct {
	Language Language
	Text     string
	// Limit bounds the results (0: the default page size). For GraphQL it
	// bounds the objects of every field that has a selection and gives no
	// smaller "first".
	Limit int
	// Limits bound the query; zero fields take their defaults.
	Limits QueryLimits
}

// LangResult is what a Gizmo or GraphQL query returned: for Gizmo one JSON
// value per emitted result, for GraphQL the one data object.
type LangResult struct {
	Results []json.RawMessage `json:"result"`
	// Truncated reports that the limit cut the results short.
	Truncated bool `json:"truncated,omitempty"`
}

// Query runs a Gizmo or GraphQL query, read-only, over the store. Neither
// language can change the store: Cayley's Gizmo environment offers only
// traversals and GraphQL only the "query" operation, and both are handed
// a view of the store whose write methods fail. A script that runs past
// ctx's deadline is interrupted there (Gizmo's JavaScript runtime stops
// between instructions, traversals check ctx between results).
//
// It returns Invalid for an unknown language, a text that does not parse or
// a script that fails, TooLarge for a text over MaxQueryText, and Timeout
// when ctx ends first.
func (s *Store) Query(ctx context.Context, q LangQuery) (LangResult, error) {
	op := "query " + string(q.Language)
	lim := q.Limits.withDefaults()
	size, err := lim.pageSize(op, q.Limit)
	if err != nil {
		return LangResult{}, err
	}
	switch {
	case strings.TrimSpace(q.Text) == "":
		return LangResult{}, Errorf(op, Invalid, "the query is empty")
	case len(q.Text) > MaxQueryText:
		return LangResult{}, Errorf(op, TooLarge, "the query has %d bytes, more than %d", len(q.Text), MaxQueryText)
	}
	var res LangResult
	if s.unsafeDuringWrites() {
		// Cayley's memory store is not safe to read while it is written:
		// the languages read it directly, so writes wait for them.
		s.wmu.RLock()
		defer s.wmu.RUnlock()
	}
	err = s.read(op, func(qs cgraph.QuadStore) error {
		ro := readOnly{QuadStore: qs}
		switch q.Language {
		case Gizmo:
			res, err = runGizmo(ctx, op, ro, q.Text, size)
		case GraphQL:
			res, err = runGraphQL(ctx, op, ro, q.Text, size)
		default:
			err = Errorf(op, Invalid, "language %q is not one of gizmo, graphql", q.Language)
		}
		return err
	})
	return res, err
}

// errReadOnly is what a query language gets if it tries to write.
var errReadOnly = errors.New("the query languages are read-only")

// readOnly is the store as the query languages see it: reads pass
// through, writes fail. Gizmo and GraphQL have no write operation; this
// keeps it so should a future Cayley add one.
type readOnly struct {
	cgraph.QuadStore
}

func (readOnly) ApplyDeltas([]cgraph.Delta, cgraph.IgnoreOpts) error { return errReadOnly }
func (readOnly) NewQuadWriter() (quad.WriteCloser, error)            { return nil, errReadOnly }
func (readOnly) Close() error                                        { return errReadOnly }

// runGizmo runs a script and collects up to size results.
func runGizmo(ctx context.Context, op string, qs cgraph.QuadStore, text string, size int) (res LangResult, err error) {
	defer func() {
		// goja reports some misuse of the Go bindings by panicking.
		if v := recover(); v != nil {
			err = Errorf(op, Invalid, "script failed: %v", v)
		}
	}()
	sess := gizmo.NewSession(qs)
	it, err := sess.Execute(ctx, text, query.Options{Limit: size + 1, Collation: query.JSON})
	if err != nil {
		return LangResult{}, Errorf(op, Invalid, "%w", err)
	}
	defer drainGizmo(it)
	res.Results = []json.RawMessage{}
	for it.Next(ctx) {
		v := it.Result()
		if v == nil {
			continue // the script's own return value
		}
		if len(res.Results) == size {
			res.Truncated = true
			break
		}
		b, err := marshal(v)
		if err != nil {
			return LangResult{}, Errorf(op, Internal, "encode a result: %w", err)
		}
		res.Results = append(res.Results, b)
	}
	if err := ctx.Err(); err != nil {
		return LangResult{}, E(op, Timeout, err)
	}
	if err := it.Err(); err != nil {
		return LangResult{}, gizmoError(op, err)
	}
	return res, nil
}

// drainGizmo stops the script's goroutine (interrupting the JavaScript
// runtime and cancelling its traversals) and waits for it to end, however
// long that takes, so that no script outlives its query: one that went on
// reading the store after Query returned raced the writes that followed
// (on the memory backend a fatal concurrent map access, found by the soak
// test). A script stuck in a built-in the runtime cannot interrupt holds
// its request until the built-in returns; that is why Gizmo is off unless
// the operator turns it on.
func drainGizmo(it query.Iterator) {
	it.Close()
	for it.Next(context.Background()) {
	}
}

// gizmoError classifies a script's failure: an interrupted or cancelled
// run is a Timeout, anything else the script's fault.
func gizmoError(op string, err error) error {
	var ie *goja.InterruptedError
	if errors.As(err, &ie) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return E(op, Timeout, err)
	}
	return Errorf(op, Invalid, "script failed: %w", err)
}

// runGraphQL runs a GraphQL query with every object field limited.
func runGraphQL(ctx context.Context, op string, qs cgraph.QuadStore, text string, size int) (LangResult, error) {
	limited, err := limitGraphQL(ctx, text, size)
	if err != nil {
		return LangResult{}, err
	}
	sess := graphql.NewSession(qs)
	it, err := sess.Execute(ctx, limited, query.Options{Collation: query.JSON})
	if err != nil {
		return LangResult{}, Errorf(op, Invalid, "%w", err)
	}
	defer it.Close()
	data := map[string]any{}
	if it.Next(ctx) {
		if m, ok := it.Result().(map[string]any); ok {
			data = m
		}
	}
	if err := ctx.Err(); err != nil {
		return LangResult{}, E(op, Timeout, err)
	}
	if err := it.Err(); err != nil {
		return LangResult{}, Errorf(op, Invalid, "%w", err)
	}
	res := LangResult{}
	for k, v := range data {
		if arr, ok := v.([]map[string]any); ok && len(arr) > size {
			data[k], res.Truncated = arr[:size], true
		}
	}
	b, err := marshal(map[string]any{"data": plain(data)})
	if err != nil {
		return LangResult{}, Errorf(op, Internal, "encode the result: %w", err)
	}
	res.Results = []json.RawMessage{b}
	return res, nil
}

// plain turns the quad values in a GraphQL result into JSON-LD value
// objects (a plain string for IRIs and simple literals), so that a language
// tag or datatype does not come out as Go field names.
func plain(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = plain(x)
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plain(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plain(x)
		}
		return out
	case []quad.Value:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plain(x)
		}
		return out
	case quad.IRI:
		return string(v)
	case quad.BNode:
		return "_:" + string(v)
	case quad.String:
		return string(v)
	case quad.LangString:
		return map[string]string{"@value": string(v.Value), "@language": v.Lang}
	case quad.TypedString:
		return map[string]string{"@value": string(v.Value), "@type": string(v.Type)}
	case quad.Value:
		if tv, ok := v.(quad.TypedStringer); ok {
			ts := tv.TypedString()
			return map[string]string{"@value": string(ts.Value), "@type": string(ts.Type)}
		}
		return quad.StringOf(v)
	}
	return v
}

// marshal encodes v as JSON without HTML escaping, so that Gizmo's
// "<iri>" values stay readable.
func marshal(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// MaxGraphQLDepth bounds the nesting of a GraphQL query's selections, and
// MaxGraphQLFields the fields of one query (aliases included): the work of
// a query grows with both.
const (
	MaxGraphQLDepth  = 10
	MaxGraphQLFields = 500
)

// graphQLDepth is the deepest nesting of braces in text outside strings
// and comments: checked before parsing, in one pass.
func graphQLDepth(text string) int {
	depth, deepest := 0, 0
	inString, inComment := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case inComment:
			inComment = c != '\n' && c != '\r'
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '#':
			inComment = true
		case c == '"':
			inString = true
		case c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == '}':
			depth--
		}
	}
	return deepest
}

// limitGraphQL rewrites a query so that every field with a selection set
// asks for at most size objects ("first"); top-level fields for size+1,
// so that a cut can be reported. A smaller "first" stays. Queries deeper
// than MaxGraphQLDepth or with more than MaxGraphQLFields fields are
// refused (TooLarge) before any work that grows with them; the rewrite
// is printed by printGraphQL, in time linear in the query.
func limitGraphQL(ctx context.Context, text string, size int) (string, error) {
	const op = "query graphql"
	if d := graphQLDepth(text); d > MaxGraphQLDepth {
		return "", Errorf(op, TooLarge, "the query nests selections %d deep, more than %d", d, MaxGraphQLDepth)
	}
	doc, err := parser.Parse(parser.ParseParams{Source: text})
	if err != nil {
		return "", Errorf(op, Invalid, "%w", err)
	}
	if len(doc.Definitions) != 1 {
		return "", Errorf(op, Invalid, "give exactly one query operation")
	}
	def, ok := doc.Definitions[0].(*ast.OperationDefinition)
	if !ok || def.Operation != "query" {
		return "", Errorf(op, Invalid, "only a query operation is supported (the store is read-only)")
	}
	fields := 0
	var limit func(set *ast.SelectionSet, n int) error
	limit = func(set *ast.SelectionSet, n int) error {
		if set == nil {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return E(op, Timeout, err)
		}
		for _, sel := range set.Selections {
			f, ok := sel.(*ast.Field)
			if !ok {
				return Errorf(op, Invalid, "only fields may be selected (no fragments)")
			}
			if fields++; fields > MaxGraphQLFields {
				return Errorf(op, TooLarge, "the query selects more than %d fields", MaxGraphQLFields)
			}
			if f.SelectionSet == nil {
				continue
			}
			found := false
			for _, a := range f.Arguments {
				if a.Name == nil || a.Name.Value != graphql.LimitKey {
					continue
				}
				found = true
				iv, ok := a.Value.(*ast.IntValue)
				if !ok {
					return Errorf(op, Invalid, "%s of %s must be an integer", graphql.LimitKey, f.Name.Value)
				}
				if v, err := strconv.Atoi(iv.Value); err != nil || v < 0 || v > n {
					iv.Value = strconv.Itoa(n)
				}
			}
			if !found {
				f.Arguments = append(f.Arguments, ast.NewArgument(&ast.Argument{
					Kind:  kinds.Argument,
					Name:  ast.NewName(&ast.Name{Kind: kinds.Name, Value: graphql.LimitKey}),
					Value: ast.NewIntValue(&ast.IntValue{Kind: kinds.IntValue, Value: strconv.Itoa(n)}),
				}))
			}
			if err := limit(f.SelectionSet, size); err != nil {
				return err
			}
		}
		return nil
	}
	if err := limit(def.SelectionSet, size+1); err != nil {
		return "", err
	}
	var b strings.Builder
	if err := printSelections(&b, def.SelectionSet); err != nil {
		return "", Errorf(op, Invalid, "%w", err)
	}
	return b.String(), nil
}

// printSelections writes a selection set in GraphQL syntax: the subset
// Cayley's GraphQL reads (fields with aliases, arguments and directives;
// enum, string, number, boolean and list values). The library's printer
// takes time exponential in the depth and quadratic in the fields.
func printSelections(b *strings.Builder, set *ast.SelectionSet) error {
	b.WriteString("{")
	for _, sel := range set.Selections {
		f := sel.(*ast.Field) // limitGraphQL let only fields through
		b.WriteString(" ")
		if f.Alias != nil && f.Alias.Value != "" {
			b.WriteString(f.Alias.Value + ": ")
		}
		b.WriteString(f.Name.Value)
		if err := printArguments(b, f.Arguments); err != nil {
			return err
		}
		for _, d := range f.Directives {
			b.WriteString(" @" + d.Name.Value)
			if err := printArguments(b, d.Arguments); err != nil {
				return err
			}
		}
		if f.SelectionSet != nil {
			b.WriteString(" ")
			if err := printSelections(b, f.SelectionSet); err != nil {
				return err
			}
		}
	}
	b.WriteString(" }")
	return nil
}

func printArguments(b *strings.Builder, args []*ast.Argument) error {
	if len(args) == 0 {
		return nil
	}
	b.WriteString("(")
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.Name.Value + ": ")
		if err := printValue(b, a.Value); err != nil {
			return err
		}
	}
	b.WriteString(")")
	return nil
}

func printValue(b *strings.Builder, v ast.Value) error {
	switch v := v.(type) {
	case *ast.IntValue:
		b.WriteString(v.Value)
	case *ast.FloatValue:
		b.WriteString(v.Value)
	case *ast.EnumValue:
		b.WriteString(v.Value)
	case *ast.BooleanValue:
		b.WriteString(strconv.FormatBool(v.Value))
	case *ast.StringValue:
		q, err := json.Marshal(v.Value)
		if err != nil {
			return err
		}
		b.Write(q)
	case *ast.ListValue:
		b.WriteString("[")
		for i, x := range v.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := printValue(b, x); err != nil {
				return err
			}
		}
		b.WriteString("]")
	default:
		return fmt.Errorf("values of kind %s are not supported (use literals: strings, numbers, booleans, enums, lists)", v.GetKind())
	}
	return nil
}
