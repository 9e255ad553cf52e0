package rdfio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// JSON values inside the JSON-LD processor are what encoding/json gives
// with UseNumber: map[string]any, []any, string, json.Number, bool and
// nil. Numbers stay json.Number so that a JSON literal keeps the number as
// written until RFC 8785 decides its form.

// ldError is a JSON-LD processing error: Code is the error code of the
// JSON-LD 1.1 API specification ("invalid @id value", ...).
type ldError struct {
	Code string
	Msg  string
}

func (e *ldError) Error() string {
	if e.Msg == "" {
		return e.Code
	}
	return e.Code + ": " + e.Msg
}

func ldErr(code, format string, args ...any) *ldError {
	return &ldError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// ldKeywords are the JSON-LD 1.1 keywords.
var ldKeywords = map[string]bool{
	"@base": true, "@container": true, "@context": true, "@default": true, "@direction": true,
	"@embed": true, "@explicit": true, "@graph": true, "@id": true, "@import": true, "@included": true,
	"@index": true, "@json": true, "@language": true, "@list": true, "@nest": true, "@none": true,
	"@null": true, "@omitDefault": true, "@prefix": true, "@preserve": true, "@propagate": true,
	"@protected": true, "@requireAll": true, "@reverse": true, "@set": true, "@type": true,
	"@value": true, "@version": true, "@vocab": true, "@any": true,
}

func isKeyword(s string) bool { return ldKeywords[s] && s != "@any" && s != "@null" }

// hasKeywordForm reports whether s looks like a keyword ("@" and one or
// more ALPHA), which JSON-LD 1.1 reserves: such terms are ignored.
func hasKeywordForm(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !ttlAlpha(s[i]) {
			return false
		}
	}
	return true
}

func isBlankID(s string) bool { return strings.HasPrefix(s, "_:") }

// isAbsIRI reports whether s has the form of an absolute IRI (a scheme).
func isAbsIRI(s string) bool { return iriSchemeLen(s) > 0 }

// wellFormedIRI is the toRdf test of an IRI: the same RFC 3987 check
// every reader's output passes (CheckIRI), so what JSON-LD keeps is never
// refused later and what it drops would have been refused.
func wellFormedIRI(s string) bool { return CheckIRI(s) == nil }

func asArray(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	return []any{v}
}

func isMap(v any) bool { _, ok := v.(map[string]any); return ok }

func isScalar(v any) bool {
	switch v.(type) {
	case string, json.Number, bool, float64:
		return true
	}
	return false
}

func isValueObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m["@value"]
	return ok
}

func isListObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m["@list"]
	return ok
}

// isGraphObject: a map with @graph and at most @id, @index and @context.
func isGraphObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	if _, ok := m["@graph"]; !ok {
		return false
	}
	for k := range m {
		switch k {
		case "@graph", "@id", "@index", "@context":
		default:
			return false
		}
	}
	return true
}

// isSimpleGraphObject is a graph object without @id.
func isSimpleGraphObject(v any) bool {
	if !isGraphObject(v) {
		return false
	}
	_, ok := v.(map[string]any)["@id"]
	return !ok
}

// isNodeObject: a map that is neither a value, list nor set object (in
// expanded form).
func isNodeObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for _, k := range []string{"@value", "@list", "@set"} {
		if _, ok := m[k]; ok {
			return false
		}
	}
	return true
}

// isNodeReference is a map holding only @id.
func isNodeReference(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false
	}
	_, ok = m["@id"]
	return ok
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// ldClone deep-copies a JSON value.
func ldClone(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = ldClone(e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = ldClone(e)
		}
		return a
	}
	return v
}

// ldEqual compares JSON values: numbers by value, objects by members,
// arrays in order.
func ldEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !ldEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !ldEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number, float64:
		f, ok1 := ldNumber(a)
		g, ok2 := ldNumber(b)
		return ok1 && ok2 && f == g
	}
	return a == b
}

func ldNumber(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		return f, err == nil || math.IsInf(f, 0)
	case float64:
		return t, true
	}
	return 0, false
}

func isNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64:
		return true
	}
	return false
}

// addValue is the "add value" helper of JSON-LD 1.1 API: it adds v (each
// of its items, when an array) under key, as an array when asArray is set
// or when key already has a value.
func addValue(obj map[string]any, key string, v any, asArr bool) {
	if asArr {
		if cur, ok := obj[key]; !ok {
			obj[key] = []any{}
		} else if _, isArr := cur.([]any); !isArr {
			obj[key] = []any{cur}
		}
	}
	if a, ok := v.([]any); ok {
		for _, e := range a {
			addValue(obj, key, e, asArr)
		}
		return
	}
	cur, ok := obj[key]
	if !ok {
		obj[key] = v
		return
	}
	arr, isArr := cur.([]any)
	if !isArr {
		arr = []any{cur}
	}
	obj[key] = append(arr, v)
}

// appendUnique appends v to the array under key unless an equal value is
// there.
func appendUnique(obj map[string]any, key string, v any) {
	arr, _ := obj[key].([]any)
	for _, e := range arr {
		if ldEqual(e, v) {
			obj[key] = arr
			return
		}
	}
	obj[key] = append(arr, v)
}

// decodeJSONNumbers parses one JSON value keeping numbers as json.Number.
func decodeJSONNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}
