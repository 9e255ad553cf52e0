package rdfio

import (
	"sort"
	"strings"
)

// expandDoc is the expand() API operation over a parsed document: the
// Expansion algorithm, then the top-level @graph unwrapped and the result
// made an array.
func (p *ldProc) expandDoc(doc any, base string, expandContext any, frame bool) ([]any, error) {
	active := newContext(base, p.mode)
	if expandContext != nil {
		ec := expandContext
		if m, ok := ec.(map[string]any); ok {
			if c, ok := m["@context"]; ok {
				ec = c
			}
		}
		var err error
		if active, err = p.processContext(active, ec, base, nil, false, true, true); err != nil {
			return nil, err
		}
	}
	out, err := p.expand(active, "", false, doc, base, frame, false)
	if err != nil {
		return nil, err
	}
	if m, ok := out.(map[string]any); ok && len(m) == 1 {
		if g, ok := m["@graph"]; ok {
			out = g
		}
	}
	if out == nil {
		return []any{}, nil
	}
	return asArray(out), nil
}

// expand is the Expansion algorithm (JSON-LD 1.1 API 5.1.2). prop is the
// active property ("" with hasProp false for none).
func (p *ldProc) expand(active *ldContext, prop string, hasProp bool, element any, baseURL string, frame, fromMap bool) (any, error) {
	if element == nil {
		return nil, nil
	}
	if prop == "@default" {
		frame = false
	}
	var propTerm *ldTerm
	if hasProp {
		propTerm = active.terms[prop]
	}
	switch e := element.(type) {
	case []any:
		result := []any{}
		for _, item := range e {
			ex, err := p.expand(active, prop, hasProp, item, baseURL, frame, fromMap)
			if err != nil {
				return nil, err
			}
			if propTerm != nil && propTerm.hasContainer("@list") {
				if _, nested := item.([]any); active.is10() && (nested || isListObject(ex)) {
					return nil, ldErr("list of lists", "a list inside a list in json-ld-1.0 mode")
				}
				if arr, ok := ex.([]any); ok {
					ex = map[string]any{"@list": arr}
				}
			}
			switch x := ex.(type) {
			case nil:
			case []any:
				result = append(result, x...)
			default:
				result = append(result, x)
			}
		}
		return result, nil
	case map[string]any:
		return p.expandMap(active, prop, hasProp, propTerm, e, baseURL, frame, fromMap)
	}
	// A scalar.
	if !hasProp || prop == "@graph" {
		return nil, nil
	}
	if propTerm != nil && propTerm.hasCtx {
		var err error
		if active, err = p.processContext(active, propTerm.context, propTerm.baseURL, nil, false, true, true); err != nil {
			return nil, err
		}
	}
	return p.expandValue(active, prop, element)
}

// expandValue is the Value Expansion algorithm (5.3.2).
func (p *ldProc) expandValue(active *ldContext, prop string, value any) (any, error) {
	t := active.terms[prop]
	if t != nil {
		if s, ok := value.(string); ok && (t.typ == "@id" || t.typ == "@vocab") {
			id, ok, err := p.expandIRIString(active, s, true, t.typ == "@vocab")
			if err != nil {
				return nil, err
			}
			if !ok {
				return map[string]any{"@id": nil}, nil
			}
			return map[string]any{"@id": id}, nil
		}
	}
	result := map[string]any{"@value": value}
	if t != nil && t.typ != "" && t.typ != "@id" && t.typ != "@vocab" && t.typ != "@none" {
		result["@type"] = t.typ
		return result, nil
	}
	if _, ok := value.(string); ok {
		if t != nil && t.hasLang {
			if t.lang != nil {
				result["@language"] = *t.lang
			}
		} else if active.hasLang {
			result["@language"] = active.lang
		}
		if t != nil && t.hasDir {
			if t.dir != nil {
				result["@direction"] = *t.dir
			}
		} else if active.dir != "" {
			result["@direction"] = active.dir
		}
	}
	return result, nil
}

// expandMap is steps 7-20 of the Expansion algorithm, for a map.
func (p *ldProc) expandMap(active *ldContext, prop string, hasProp bool, propTerm *ldTerm, e map[string]any, baseURL string, frame, fromMap bool) (any, error) {
	keys := sortedKeys(e)
	// Expanded keys, computed against the context before any embedded
	// context: step 7 looks at @value and @id.
	if active.previous != nil && !fromMap {
		revert := true
		for _, k := range keys {
			if x, _, _ := p.expandIRIString(active, k, false, true); x == "@value" {
				revert = false
				break
			}
		}
		if revert && len(keys) == 1 {
			if x, _, _ := p.expandIRIString(active, keys[0], false, true); x == "@id" {
				revert = false
			}
		}
		if revert {
			active = active.previous
		}
	}
	var err error
	if propTerm != nil && propTerm.hasCtx {
		if active, err = p.processContext(active, propTerm.context, propTerm.baseURL, nil, true, true, true); err != nil {
			return nil, err
		}
	}
	if c, ok := e["@context"]; ok {
		if active, err = p.processContext(active, c, baseURL, nil, false, true, true); err != nil {
			return nil, err
		}
	}
	typeScoped := active
	var inputType string
	haveType := false
	for _, k := range keys {
		x, _, err := p.expandIRIString(active, k, false, true)
		if err != nil {
			return nil, err
		}
		if x != "@type" {
			continue
		}
		var types []string
		for _, t := range asArray(e[k]) {
			if s, ok := t.(string); ok {
				types = append(types, s)
			}
		}
		sortStrings(types)
		for _, t := range types {
			if td := typeScoped.terms[t]; td != nil && td.hasCtx {
				if active, err = p.processContext(active, td.context, td.baseURL, nil, false, false, true); err != nil {
					return nil, err
				}
			}
		}
		if !haveType && len(asArray(e[k])) > 0 {
			arr := asArray(e[k])
			if s, ok := arr[len(arr)-1].(string); ok {
				it, _, err := p.expandIRIString(active, s, false, true)
				if err != nil {
					return nil, err
				}
				inputType = it
			}
			haveType = true
		}
	}
	result := map[string]any{}
	nests := map[string]bool{}
	if err := p.expandEntries(active, typeScoped, prop, hasProp, e, keys, result, nests, inputType, baseURL, frame); err != nil {
		return nil, err
	}
	if err := p.expandNests(active, typeScoped, prop, hasProp, e, nests, result, inputType, baseURL, frame); err != nil {
		return nil, err
	}
	return p.finishExpandedMap(result, prop, hasProp, frame)
}

// expandNests is step 14: the entries of nested objects join result.
func (p *ldProc) expandNests(active, typeScoped *ldContext, prop string, hasProp bool, e map[string]any, nests map[string]bool, result map[string]any, inputType, baseURL string, frame bool) error {
	var names []string
	for k := range nests {
		names = append(names, k)
	}
	sortStrings(names)
	for _, nk := range names {
		for _, nv := range asArray(e[nk]) {
			nm, ok := nv.(map[string]any)
			if !ok {
				return ldErr("invalid @nest value", "%v is not an object", nv)
			}
			for k := range nm {
				if x, _, _ := p.expandIRIString(active, k, false, true); x == "@value" {
					return ldErr("invalid @nest value", "a nested object holds @value")
				}
			}
			nctx := active
			if t := active.terms[nk]; t != nil && t.hasCtx {
				var err error
				if nctx, err = p.processContext(active, t.context, t.baseURL, nil, true, true, true); err != nil {
					return err
				}
			}
			inner := map[string]bool{}
			if err := p.expandEntries(nctx, typeScoped, nk, true, nm, sortedKeys(nm), result, inner, inputType, baseURL, frame); err != nil {
				return err
			}
			if err := p.expandNests(nctx, typeScoped, nk, true, nm, inner, result, inputType, baseURL, frame); err != nil {
				return err
			}
		}
	}
	return nil
}

// expandEntries is step 13: each entry of e, expanded into result.
func (p *ldProc) expandEntries(active, typeScoped *ldContext, prop string, hasProp bool, e map[string]any, keys []string, result map[string]any, nests map[string]bool, inputType, baseURL string, frame bool) error {
	for _, key := range keys {
		value := e[key]
		if key == "@context" {
			continue
		}
		xp, ok, err := p.expandIRIString(active, key, false, true)
		if err != nil {
			return err
		}
		if !ok || !(strings.Contains(xp, ":") || isKeyword(xp)) {
			continue
		}
		if isKeyword(xp) {
			if prop == "@reverse" {
				return ldErr("invalid reverse property map", "keyword %s in @reverse", xp)
			}
			if _, dup := result[xp]; dup && xp != "@included" && xp != "@type" {
				return ldErr("colliding keywords", "%s", xp)
			}
			if err := p.expandKeyword(active, typeScoped, prop, hasProp, xp, key, value, result, nests, inputType, baseURL, frame); err != nil {
				return err
			}
			continue
		}
		t := active.terms[key]
		var ev any
		switch {
		case t != nil && t.typ == "@json":
			ev = map[string]any{"@value": value, "@type": "@json"}
		case t != nil && t.hasContainer("@language") && isMap(value):
			var dir *string
			if active.dir != "" {
				d := active.dir
				dir = &d
			}
			if t.hasDir {
				dir = t.dir
			}
			out := []any{}
			vm := value.(map[string]any)
			for _, lang := range sortedKeys(vm) {
				for _, item := range asArray(vm[lang]) {
					if item == nil {
						continue
					}
					s, isStr := item.(string)
					if !isStr {
						return ldErr("invalid language map value", "%v", item)
					}
					v := map[string]any{"@value": s, "@language": strings.ToLower(lang)}
					if x, _, _ := p.expandIRIString(active, lang, false, true); x == "@none" {
						delete(v, "@language")
					}
					if dir != nil {
						v["@direction"] = *dir
					}
					out = append(out, v)
				}
			}
			ev = out
		case t != nil && (t.hasContainer("@index") || t.hasContainer("@type") || t.hasContainer("@id")) && isMap(value):
			out, err := p.expandIndexMap(active, t, key, value.(map[string]any), baseURL, frame)
			if err != nil {
				return err
			}
			ev = out
		default:
			x, err := p.expand(active, key, true, value, baseURL, frame, false)
			if err != nil {
				return err
			}
			ev = x
		}
		if ev == nil {
			continue
		}
		if t != nil && t.hasContainer("@list") && !isListObject(ev) {
			ev = map[string]any{"@list": asArray(ev)}
		}
		if t != nil && t.hasContainer("@graph") && !t.hasContainer("@id") && !t.hasContainer("@index") {
			var gs []any
			for _, item := range asArray(ev) {
				gs = append(gs, map[string]any{"@graph": asArray(item)})
			}
			ev = gs
		}
		if t != nil && t.reverse {
			rm, _ := result["@reverse"].(map[string]any)
			if rm == nil {
				rm = map[string]any{}
				result["@reverse"] = rm
			}
			for _, item := range asArray(ev) {
				if isValueObject(item) || isListObject(item) {
					return ldErr("invalid reverse property value", "%s", key)
				}
				addValue(rm, xp, item, true)
			}
			continue
		}
		addValue(result, xp, ev, true)
	}
	return nil
}

// expandIndexMap is step 13.8: an index, id or type map.
func (p *ldProc) expandIndexMap(active *ldContext, t *ldTerm, key string, value map[string]any, baseURL string, frame bool) ([]any, error) {
	out := []any{}
	indexKey := t.index
	if indexKey == "" {
		indexKey = "@index"
	}
	for _, index := range sortedKeys(value) {
		mapCtx := active
		if t.hasContainer("@id") || t.hasContainer("@type") {
			if active.previous != nil {
				mapCtx = active.previous
			}
		}
		if t.hasContainer("@type") {
			if it := mapCtx.terms[index]; it != nil && it.hasCtx {
				var err error
				if mapCtx, err = p.processContext(mapCtx, it.context, it.baseURL, nil, false, true, true); err != nil {
					return nil, err
				}
			}
		} else if !t.hasContainer("@id") {
			mapCtx = active
		}
		xIndex, _, err := p.expandIRIString(active, index, false, true)
		if err != nil {
			return nil, err
		}
		items, err := p.expand(mapCtx, key, true, asArray(value[index]), baseURL, frame, true)
		if err != nil {
			return nil, err
		}
		for _, item := range asArray(items) {
			if t.hasContainer("@graph") && !isGraphObject(item) {
				item = map[string]any{"@graph": asArray(item)}
			}
			im, isObj := item.(map[string]any)
			if !isObj {
				out = append(out, item)
				continue
			}
			switch {
			case t.hasContainer("@index") && indexKey != "@index" && xIndex != "@none":
				re, err := p.expandValue(active, indexKey, index)
				if err != nil {
					return nil, err
				}
				xKey, _, err := p.expandIRIString(active, indexKey, false, true)
				if err != nil {
					return nil, err
				}
				vals := []any{re}
				if cur, ok := im[xKey]; ok {
					vals = append(vals, asArray(cur)...)
				}
				im[xKey] = vals
				if isValueObject(im) {
					return nil, ldErr("invalid value object", "an index property on a value object")
				}
			case t.hasContainer("@index") && xIndex != "@none":
				if _, has := im["@index"]; !has {
					im["@index"] = index
				}
			case t.hasContainer("@id") && xIndex != "@none":
				if _, has := im["@id"]; !has {
					id, _, err := p.expandIRIString(active, index, true, false)
					if err != nil {
						return nil, err
					}
					im["@id"] = id
				}
			case t.hasContainer("@type") && xIndex != "@none":
				types := []any{xIndex}
				if cur, ok := im["@type"]; ok {
					types = append(types, asArray(cur)...)
				}
				im["@type"] = types
			}
			out = append(out, im)
		}
	}
	return out, nil
}

// expandKeyword is step 13.4: an entry whose key expands to a keyword.
func (p *ldProc) expandKeyword(active, typeScoped *ldContext, prop string, hasProp bool, xp, key string, value any, result map[string]any, nests map[string]bool, inputType, baseURL string, frame bool) error {
	var ev any
	switch xp {
	case "@id":
		switch v := value.(type) {
		case string:
			id, ok, err := p.expandIRIString(active, v, true, false)
			if err != nil {
				return err
			}
			if !ok {
				ev = nil
				result["@id"] = nil
				return nil
			}
			ev = id
		default:
			if frame {
				if m, ok := v.(map[string]any); ok && len(m) == 0 {
					ev = []any{map[string]any{}}
					break
				}
				if arr, ok := v.([]any); ok {
					var ids []any
					for _, x := range arr {
						s, isStr := x.(string)
						if !isStr {
							return ldErr("invalid @id value", "%v", value)
						}
						id, _, err := p.expandIRIString(active, s, true, false)
						if err != nil {
							return err
						}
						ids = append(ids, id)
					}
					ev = ids
					break
				}
			}
			return ldErr("invalid @id value", "%v", value)
		}
		if frame {
			ev = asArray(ev)
		}
	case "@type":
		var types []any
		switch v := value.(type) {
		case string:
			types = []any{v}
		case []any:
			for _, x := range v {
				if _, ok := x.(string); !ok {
					if frame && isMap(x) && len(x.(map[string]any)) == 0 {
						continue
					}
					return ldErr("invalid type value", "%v", value)
				}
			}
			types = v
		case map[string]any:
			if frame && len(v) == 0 {
				ev = []any{v}
				break
			}
			if frame {
				if d, ok := v["@default"]; ok && len(v) == 1 {
					s, isStr := d.(string)
					if !isStr {
						return ldErr("invalid type value", "%v", value)
					}
					x, _, err := p.expandIRIString(typeScoped, s, true, true)
					if err != nil {
						return err
					}
					ev = []any{map[string]any{"@default": x}}
					break
				}
			}
			return ldErr("invalid type value", "%v", value)
		default:
			return ldErr("invalid type value", "%v", value)
		}
		if ev == nil {
			out := []any{}
			for _, x := range types {
				s, ok := x.(string)
				if !ok {
					out = append(out, x)
					continue
				}
				t, ok, err := p.expandIRIString(typeScoped, s, true, true)
				if err != nil {
					return err
				}
				if ok {
					out = append(out, t)
				}
			}
			if _, isStr := value.(string); isStr && len(out) == 1 && !frame {
				ev = out[0]
			} else {
				ev = out
			}
		}
		if cur, ok := result["@type"]; ok {
			ev = append(append([]any{}, asArray(cur)...), asArray(ev)...)
		}
	case "@graph":
		x, err := p.expand(active, "@graph", true, value, baseURL, frame, false)
		if err != nil {
			return err
		}
		ev = asArray(x)
		if x == nil {
			ev = []any{}
		}
	case "@included":
		if active.is10() {
			return nil
		}
		// Expanded as the values of a property, so that nothing is dropped
		// as free-floating before the check that all are node objects.
		x, err := p.expand(active, "@included", true, value, baseURL, frame, false)
		if err != nil {
			return err
		}
		arr := asArray(x)
		if x == nil {
			arr = []any{}
		}
		for _, item := range arr {
			if !isNodeObject(item) {
				return ldErr("invalid @included value", "%v", item)
			}
		}
		if cur, ok := result["@included"]; ok {
			arr = append(append([]any{}, asArray(cur)...), arr...)
		}
		ev = arr
	case "@value":
		if inputType == "@json" {
			if active.is10() {
				return ldErr("invalid value object value", "@json in json-ld-1.0 mode")
			}
			result["@value"] = value
			return nil
		}
		switch v := value.(type) {
		case nil:
			result["@value"] = nil
			return nil
		case map[string]any:
			if !frame || len(v) != 0 {
				return ldErr("invalid value object value", "%v", value)
			}
			ev = []any{v}
		case []any:
			if !frame {
				return ldErr("invalid value object value", "%v", value)
			}
			for _, x := range v {
				if !isScalar(x) {
					return ldErr("invalid value object value", "%v", value)
				}
			}
			ev = v
		default:
			ev = value
			if frame {
				ev = []any{value}
			}
		}
	case "@language":
		switch v := value.(type) {
		case string:
			ev = strings.ToLower(v)
			if frame {
				ev = []any{ev}
			}
		default:
			if frame {
				if m, ok := v.(map[string]any); ok && len(m) == 0 {
					ev = []any{m}
					break
				}
				if arr, ok := v.([]any); ok {
					var ls []any
					for _, x := range arr {
						s, isStr := x.(string)
						if !isStr {
							return ldErr("invalid language-tagged string", "%v", value)
						}
						ls = append(ls, strings.ToLower(s))
					}
					ev = ls
					break
				}
			}
			return ldErr("invalid language-tagged string", "%v", value)
		}
	case "@direction":
		if active.is10() {
			return nil
		}
		if s, ok := value.(string); !ok || s != "ltr" && s != "rtl" {
			if frame {
				if m, ok := value.(map[string]any); ok && len(m) == 0 {
					ev = []any{m}
					break
				}
			}
			return ldErr("invalid base direction", "%v", value)
		}
		ev = value
		if frame {
			ev = []any{value}
		}
	case "@index":
		if _, ok := value.(string); !ok {
			return ldErr("invalid @index value", "%v", value)
		}
		ev = value
	case "@list":
		if !hasProp || prop == "@graph" {
			return nil
		}
		if active.is10() {
			for _, item := range asArray(value) {
				if _, nested := item.([]any); nested {
					return ldErr("list of lists", "a list inside a list in json-ld-1.0 mode")
				}
			}
		}
		x, err := p.expand(active, prop, hasProp, value, baseURL, frame, false)
		if err != nil {
			return err
		}
		if x == nil {
			x = []any{}
		}
		ev = asArray(x)
		if active.is10() {
			for _, item := range ev.([]any) {
				if isListObject(item) {
					return ldErr("list of lists", "a list inside a list in json-ld-1.0 mode")
				}
			}
		}
	case "@set":
		x, err := p.expand(active, prop, hasProp, value, baseURL, frame, false)
		if err != nil {
			return err
		}
		ev = x
		if x == nil {
			ev = []any{}
		}
	case "@reverse":
		vm, ok := value.(map[string]any)
		if !ok {
			return ldErr("invalid @reverse value", "%v", value)
		}
		x, err := p.expand(active, "@reverse", true, vm, baseURL, frame, false)
		if err != nil {
			return err
		}
		xm, _ := x.(map[string]any)
		if r, ok := xm["@reverse"].(map[string]any); ok {
			for _, rp := range sortedKeys(r) {
				addValue(result, rp, r[rp], true)
			}
		}
		if len(xm) > 0 {
			rm, _ := result["@reverse"].(map[string]any)
			for _, k := range sortedKeys(xm) {
				if k == "@reverse" {
					continue
				}
				if rm == nil {
					rm = map[string]any{}
					result["@reverse"] = rm
				}
				for _, item := range asArray(xm[k]) {
					if isValueObject(item) || isListObject(item) {
						return ldErr("invalid reverse property value", "%s", k)
					}
					addValue(rm, k, item, true)
				}
			}
		}
		return nil
	case "@nest":
		nests[key] = true
		return nil
	case "@default", "@embed", "@explicit", "@omitDefault", "@requireAll":
		if !frame {
			return nil
		}
		x, err := p.expand(active, xp, true, value, baseURL, frame, false)
		if err != nil {
			return err
		}
		ev = x
	default:
		return nil
	}
	if ev == nil && xp != "@value" {
		return nil
	}
	result[xp] = ev
	return nil
}

// finishExpandedMap is steps 15-20 of the Expansion algorithm.
func (p *ldProc) finishExpandedMap(result map[string]any, prop string, hasProp, frame bool) (any, error) {
	if v, ok := result["@value"]; ok {
		for k := range result {
			switch k {
			case "@direction", "@index", "@language", "@type", "@value":
			default:
				return nil, ldErr("invalid value object", "value object with %s", k)
			}
		}
		_, hasType := result["@type"]
		_, hasLang := result["@language"]
		_, hasDir := result["@direction"]
		if hasType && (hasLang || hasDir) {
			return nil, ldErr("invalid value object", "@type with @language or @direction")
		}
		if result["@type"] == "@json" {
			return result, nil
		}
		if v == nil {
			return nil, nil
		}
		if _, isArr := v.([]any); isArr && frame {
			// a frame's value pattern
		} else if _, isStr := v.(string); !isStr && hasLang {
			if !(frame && isMap(v)) {
				return nil, ldErr("invalid language-tagged value", "%v", v)
			}
		}
		if hasType {
			if !frame {
				s, isStr := result["@type"].(string)
				if !isStr || CheckIRI(s) != nil {
					return nil, ldErr("invalid typed value", "@type %v", result["@type"])
				}
			}
		}
	} else if t, ok := result["@type"]; ok {
		if _, isArr := t.([]any); !isArr {
			result["@type"] = []any{t}
		}
	} else if _, hasSet := result["@set"]; hasSet || isListObject(result) {
		if len(result) > 2 {
			return nil, ldErr("invalid set or list object", "extra entries")
		}
		if len(result) == 2 {
			if _, ok := result["@index"]; !ok {
				return nil, ldErr("invalid set or list object", "extra entries")
			}
		}
		if s, ok := result["@set"]; ok {
			return s, nil
		}
	}
	if len(result) == 1 {
		if _, ok := result["@language"]; ok {
			return nil, nil
		}
	}
	if !hasProp || prop == "@graph" {
		_, hasValue := result["@value"]
		if len(result) == 0 || hasValue || isListObject(result) {
			return nil, nil
		}
		if !frame && len(result) == 1 {
			if _, ok := result["@id"]; ok {
				return nil, nil
			}
		}
	}
	return result, nil
}

func sortStrings(a []string) { sort.Strings(a) }
