package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/innograph/innograph/graph"
)

// openAPIDocument is the part of openapi.json the tests read.
type openAPIDocument struct {
	OpenAPI string                                `json:"openapi"`
	Info    struct{ Title, Version string }       `json:"info"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
	Comps   struct {
		Schemas map[string]struct {
			Properties           map[string]json.RawMessage `json:"properties"`
			AdditionalProperties *bool                      `json:"additionalProperties"`
		} `json:"schemas"`
	} `json:"components"`
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z]+)`)

// TestOpenAPIMatchesRoutes keeps openapi.json in step with the route table:
// every registered route is described and every described operation is
// registered. A path whose gin route differs (the catch-all
// /entities/*id serves /entities/{id} and /entities/{id}/neighbourhood)
// names it in "x-gin-route". Whoever adds a route adds its description.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("openapi.json: openapi %q, info %+v; want an OpenAPI 3 document with title and version", doc.OpenAPI, doc.Info)
	}
	s := New(Config{}, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	registered := map[string]bool{}
	for _, r := range s.engine.Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	described := map[string]bool{}
	methods := map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}
	for path, item := range doc.Paths {
		route := ginParam.ReplaceAllString(path, "{$1}") // no gin syntax in OpenAPI paths
		if route != path {
			t.Errorf("openapi.json path %q uses gin syntax; write {param}", path)
		}
		route = regexp.MustCompile(`\{([A-Za-z]+)\}`).ReplaceAllString(path, ":$1")
		if raw, ok := item["x-gin-route"]; ok {
			if err := json.Unmarshal(raw, &route); err != nil {
				t.Errorf("%s: x-gin-route: %v", path, err)
			}
		}
		for m, op := range item {
			if !methods[m] {
				continue
			}
			var o struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.OperationID == "" || len(o.Responses) == 0 {
				t.Errorf("%s %s: want an operationId and responses (%v)", m, path, err)
			}
			key := strings.ToUpper(m) + " " + route
			described[key] = true
			if !registered[key] {
				t.Errorf("openapi.json describes %s %s (route %s), which the server does not register", strings.ToUpper(m), path, route)
			}
		}
	}
	var missing []string
	for k := range registered {
		if !described[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		t.Errorf("route %s is not described in api/openapi.json", k)
	}
}

// TestOpenAPIPatternSchema checks that the documented pattern fields are
// the ones the strict decoder of POST /paths accepts.
func TestOpenAPIPatternSchema(t *testing.T) {
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"Pattern": graph.Pattern{}, "Start": graph.Start{}, "Step": graph.Step{}, "Repeat": graph.Repeat{}} {
		var want []string
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			if tag != "-" && tag != "" {
				want = append(want, tag)
			}
		}
		sch, ok := doc.Comps.Schemas[name]
		if !ok {
			t.Errorf("no schema %s", name)
			continue
		}
		var got []string
		for p := range sch.Properties {
			got = append(got, p)
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") || sch.AdditionalProperties == nil || *sch.AdditionalProperties {
			t.Errorf("schema %s: properties %v (additionalProperties %v), want %v and additionalProperties false", name, got, sch.AdditionalProperties, want)
		}
	}
}

// TestOpenAPIValid checks openapi.json against the OpenAPI 3 specification
// with kin-openapi's validator: structure, references, parameters, schemas.
func TestOpenAPIValid(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDoc)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
}
