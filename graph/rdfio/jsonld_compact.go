package rdfio

import (
	"sort"
	"strings"
)

// compactOptions are the options of the compaction algorithms.
type compactOptions struct {
	compactArrays     bool
	compactToRelative bool
	// safe, for the writer: an IRI that would be read back as a compact
	// IRI (its scheme is a prefix of the context) is reported through
	// errConfusedIRI so the caller can write its node without the context,
	// instead of failing.
	safe bool
}

// inverseContext is the Inverse Context Creation algorithm (4.3.2):
// IRI -> container -> "@language"/"@type"/"@any" -> value -> term.
func (c *ldContext) inverseCtx() map[string]map[string]map[string]map[string]string {
	if c.inverse != nil {
		return c.inverse
	}
	result := map[string]map[string]map[string]map[string]string{}
	defLang := "@none"
	if c.hasLang {
		defLang = strings.ToLower(c.lang)
	}
	terms := make([]string, 0, len(c.terms))
	for t := range c.terms {
		terms = append(terms, t)
	}
	sort.Slice(terms, func(i, j int) bool {
		if len(terms[i]) != len(terms[j]) {
			return len(terms[i]) < len(terms[j])
		}
		return terms[i] < terms[j]
	})
	set := func(m map[string]string, k, term string) {
		if _, ok := m[k]; !ok {
			m[k] = term
		}
	}
	for _, term := range terms {
		def := c.terms[term]
		if def == nil || def.nullID {
			continue
		}
		container := "@none"
		if len(def.container) > 0 {
			container = strings.Join(def.container, "")
		}
		iri := def.id
		cm := result[iri]
		if cm == nil {
			cm = map[string]map[string]map[string]string{}
			result[iri] = cm
		}
		tl := cm[container]
		if tl == nil {
			tl = map[string]map[string]string{"@language": {}, "@type": {}, "@any": {"@none": term}}
			cm[container] = tl
		}
		typeMap, langMap := tl["@type"], tl["@language"]
		switch {
		case def.reverse:
			set(typeMap, "@reverse", term)
		case def.typ == "@none":
			set(langMap, "@any", term)
			set(typeMap, "@any", term)
		case def.typ != "":
			set(typeMap, def.typ, term)
		case def.hasLang && def.hasDir:
			ld := "@null"
			switch {
			case def.lang != nil && def.dir != nil:
				ld = strings.ToLower(*def.lang + "_" + *def.dir)
			case def.lang != nil:
				ld = strings.ToLower(*def.lang)
			case def.dir != nil:
				ld = "_" + *def.dir
			}
			set(langMap, ld, term)
		case def.hasLang:
			l := "@null"
			if def.lang != nil {
				l = strings.ToLower(*def.lang)
			}
			set(langMap, l, term)
		case def.hasDir:
			d := "@none"
			if def.dir != nil {
				d = "_" + *def.dir
			}
			set(langMap, d, term)
		case c.dir != "":
			set(langMap, strings.ToLower(defLangOrEmpty(c)+"_"+c.dir), term)
			set(langMap, "@none", term)
			set(typeMap, "@none", term)
		default:
			set(langMap, defLang, term)
			set(langMap, "@none", term)
			set(typeMap, "@none", term)
		}
	}
	c.inverse = result
	return result
}

func defLangOrEmpty(c *ldContext) string {
	if c.hasLang {
		return c.lang
	}
	return ""
}

// maxCompactCache bounds the compactIRI results a context keeps.
const maxCompactCache = 1 << 16

// errConfusedIRI is the "IRI confused with prefix" error.
const errConfusedIRI = "IRI confused with prefix"

// compactIRI is the IRI Compaction algorithm (6.2.2). value is the value
// the IRI is the property of (nil when none).
func (p *ldProc) compactIRI(active *ldContext, iri string, value any, vocab, reverse bool, opt compactOptions) (string, error) {
	if value != nil || reverse {
		return p.compactIRIUncached(active, iri, value, vocab, reverse, opt)
	}
	// Without a value the result depends on the IRI alone: an export
	// compacts the same @id and @type IRIs over and over.
	k := compactKey{iri, vocab}
	if r, ok := active.compacted[k]; ok {
		return r.s, r.err
	}
	s, err := p.compactIRIUncached(active, iri, nil, vocab, false, opt)
	if active.compacted == nil || len(active.compacted) >= maxCompactCache {
		active.compacted = map[compactKey]compactResult{} // bounded: start over
	}
	active.compacted[k] = compactResult{s, err}
	return s, err
}

func (p *ldProc) compactIRIUncached(active *ldContext, iri string, value any, vocab, reverse bool, opt compactOptions) (string, error) {
	if vocab {
		if inv, ok := active.inverseCtx()[iri]; ok {
			if t := p.selectTermFor(active, iri, inv, value, reverse, opt); t != "" {
				return t, nil
			}
		}
	}
	if vocab && active.hasVocab && strings.HasPrefix(iri, active.vocab) && len(iri) > len(active.vocab) {
		suffix := iri[len(active.vocab):]
		if _, ok := active.terms[suffix]; !ok {
			return suffix, nil
		}
	}
	compact := ""
	for _, pt := range active.prefixTerms() {
		if pt.iri == iri || !strings.HasPrefix(iri, pt.iri) {
			continue
		}
		cand := pt.term + ":" + iri[len(pt.iri):]
		if compact != "" && (len(cand) > len(compact) || len(cand) == len(compact) && cand >= compact) {
			continue
		}
		if cd, ok := active.terms[cand]; !ok || cd != nil && cd.id == iri && value == nil {
			compact = cand
		}
	}
	if compact != "" {
		return compact, nil
	}
	if i := strings.IndexByte(iri, ':'); i > 0 && !isBlankID(iri) {
		if t := active.terms[iri[:i]]; t != nil && t.prefix && !strings.HasPrefix(iri[i+1:], "//") {
			return "", ldErr(errConfusedIRI, "<%s> would read back as a compact IRI with prefix %q", iri, iri[:i])
		}
	}
	if !vocab && opt.compactToRelative && active.hasBase {
		return relativeIRI(active.base, iri), nil
	}
	return iri, nil
}

// selectTermFor is steps 4.1-4.19 of IRI Compaction: the containers and
// preferred values for value, then Term Selection.
func (p *ldProc) selectTermFor(active *ldContext, iri string, inv map[string]map[string]map[string]string, value any, reverse bool, opt compactOptions) string {
	defLang := "@none"
	if active.dir != "" {
		defLang = strings.ToLower(defLangOrEmpty(active) + "_" + active.dir)
	} else if active.hasLang {
		defLang = strings.ToLower(active.lang)
	}
	vm, _ := value.(map[string]any)
	if pv, ok := vm["@preserve"]; ok {
		vm, _ = asArray(pv)[0].(map[string]any)
	}
	var containers []string
	typeLang, typeLangValue := "@language", "@null"
	_, hasIndex := vm["@index"]
	if hasIndex && !isGraphObject(vm) {
		containers = append(containers, "@index", "@index@set")
	}
	switch {
	case reverse:
		typeLang, typeLangValue = "@type", "@reverse"
		containers = append(containers, "@set")
	case isListObject(vm):
		if !hasIndex {
			containers = append(containers, "@list")
		}
		list := asArray(vm["@list"])
		commonLang, commonType := "", ""
		if len(list) == 0 {
			commonLang = defLang
		}
		for _, item := range list {
			itemLang, itemType := "@none", "@none"
			if im, ok := item.(map[string]any); ok && isValueObject(im) {
				if d, ok := im["@direction"].(string); ok {
					l, _ := im["@language"].(string)
					itemLang = strings.ToLower(l + "_" + d)
				} else if l, ok := im["@language"].(string); ok {
					itemLang = strings.ToLower(l)
				} else if t, ok := im["@type"].(string); ok {
					itemType = t
				} else {
					itemLang = "@null"
				}
			} else {
				itemType = "@id"
			}
			if commonLang == "" {
				commonLang = itemLang
			} else if itemLang != commonLang && isValueObject(item) {
				commonLang = "@none"
			}
			if commonType == "" {
				commonType = itemType
			} else if itemType != commonType {
				commonType = "@none"
			}
			if commonLang == "@none" && commonType == "@none" {
				break
			}
		}
		if commonLang == "" {
			commonLang = "@none"
		}
		if commonType == "" {
			commonType = "@none"
		}
		if commonType != "@none" {
			typeLang, typeLangValue = "@type", commonType
		} else {
			typeLangValue = commonLang
		}
	case isGraphObject(vm):
		_, hasID := vm["@id"]
		if hasIndex {
			containers = append(containers, "@graph@index", "@graph@index@set")
		}
		if hasID {
			containers = append(containers, "@graph@id", "@graph@id@set")
		}
		containers = append(containers, "@graph", "@graph@set", "@set")
		if !hasIndex {
			containers = append(containers, "@graph@index", "@graph@index@set")
		}
		if !hasID {
			containers = append(containers, "@graph@id", "@graph@id@set")
		}
		containers = append(containers, "@index", "@index@set")
		typeLang, typeLangValue = "@type", "@id"
	default:
		if isValueObject(vm) {
			_, hasDir := vm["@direction"]
			_, hasLang := vm["@language"]
			switch {
			case hasDir && !hasIndex:
				l, _ := vm["@language"].(string)
				d, _ := vm["@direction"].(string)
				typeLangValue = strings.ToLower(l + "_" + d)
				containers = append(containers, "@language", "@language@set")
			case hasLang && !hasIndex:
				typeLangValue = strings.ToLower(vm["@language"].(string))
				containers = append(containers, "@language", "@language@set")
			default:
				if t, ok := vm["@type"].(string); ok {
					typeLang, typeLangValue = "@type", t
				}
			}
		} else {
			typeLang, typeLangValue = "@type", "@id"
			containers = append(containers, "@id", "@id@set", "@type", "@set@type")
		}
		containers = append(containers, "@set")
	}
	containers = append(containers, "@none")
	if !active.is10() {
		if !hasIndex {
			containers = append(containers, "@index", "@index@set")
		}
		if isValueObject(vm) && len(vm) == 1 {
			containers = append(containers, "@language", "@language@set")
		}
	}
	var preferred []string
	if typeLangValue == "@reverse" {
		preferred = append(preferred, "@reverse")
	}
	if id, ok := vm["@id"].(string); ok && (typeLangValue == "@id" || typeLangValue == "@reverse") {
		c, err := p.compactIRI(active, id, nil, true, false, opt)
		if t := active.terms[c]; err == nil && t != nil && t.id == id {
			preferred = append(preferred, "@vocab", "@id", "@none")
		} else {
			preferred = append(preferred, "@id", "@vocab", "@none")
		}
	} else {
		preferred = append(preferred, typeLangValue, "@none")
		if l, ok := vm["@list"].([]any); ok && len(l) == 0 {
			typeLang = "@any"
		}
	}
	preferred = append(preferred, "@any")
	for _, pv := range preferred {
		if i := strings.IndexByte(pv, '_'); i >= 0 {
			preferred = append(preferred, pv[i:])
			break
		}
	}
	for _, c := range containers {
		tl, ok := inv[c]
		if !ok {
			continue
		}
		vmap := tl[typeLang]
		for _, pv := range preferred {
			if t, ok := vmap[pv]; ok {
				return t
			}
		}
	}
	return ""
}

// relativeIRI writes iri relative to base when they share scheme and
// authority, so that ResolveIRI(base, result) == iri; otherwise, or when no
// relative form resolves back exactly, iri itself.
func relativeIRI(base, iri string) string {
	if base == "" || !isAbsIRI(iri) {
		return iri
	}
	b, r := iriSplit(base), iriSplit(iri)
	if b.scheme != r.scheme || b.hasAuth != r.hasAuth || b.auth != r.auth || !strings.HasPrefix(r.path, "/") || !strings.HasPrefix(b.path, "/") {
		return iri
	}
	var rel string
	switch {
	case r.path == b.path && r.hasQuery == b.hasQuery && r.query == b.query && r.hasFrag:
		rel = "#" + r.frag
	case r.path == b.path && r.hasQuery:
		rel = "?" + r.query
		if r.hasFrag {
			rel += "#" + r.frag
		}
	default:
		bs := strings.Split(b.path, "/")
		rs := strings.Split(r.path, "/")
		bs = bs[:len(bs)-1] // the base's last segment is not a directory
		i := 0
		for i < len(bs) && i < len(rs)-1 && bs[i] == rs[i] {
			i++
		}
		rel = strings.Repeat("../", len(bs)-i) + strings.Join(rs[i:], "/")
		if rel == "" {
			rel = "./"
		}
		first, _, _ := strings.Cut(rel, "/")
		if strings.Contains(first, ":") || hasKeywordForm(first) {
			rel = "./" + rel
		}
		if r.hasQuery {
			rel += "?" + r.query
		}
		if r.hasFrag {
			rel += "#" + r.frag
		}
	}
	if ResolveIRI(base, rel) != iri {
		return iri
	}
	return rel
}

// compact is the Compaction algorithm (6.1.2).
func (p *ldProc) compact(active *ldContext, prop string, element any, opt compactOptions) (any, error) {
	typeScoped := active
	switch e := element.(type) {
	case []any:
		result := []any{}
		for _, item := range e {
			c, err := p.compact(active, prop, item, opt)
			if err != nil {
				return nil, err
			}
			if c != nil {
				result = append(result, c)
			}
		}
		t := active.terms[prop]
		if len(result) != 1 || !opt.compactArrays || prop == "@graph" || prop == "@set" || t != nil && (t.hasContainer("@list") || t.hasContainer("@set")) {
			return result, nil
		}
		return result[0], nil
	case map[string]any:
		return p.compactMap(active, typeScoped, prop, e, opt)
	}
	return element, nil
}

func (p *ldProc) compactMap(active, typeScoped *ldContext, prop string, e map[string]any, opt compactOptions) (any, error) {
	var err error
	if active.previous != nil {
		_, hasValue := e["@value"]
		if !hasValue && !(len(e) == 1 && e["@id"] != nil) {
			active = active.previous
		}
	}
	if t := typeScoped.terms[prop]; t != nil && t.hasCtx {
		if active, err = p.processContext(active, t.context, t.baseURL, nil, true, true, true); err != nil {
			return nil, err
		}
	}
	_, hasValue := e["@value"]
	_, hasID := e["@id"]
	if hasValue || hasID {
		r, err := p.compactValue(active, prop, e, opt)
		if err != nil {
			return nil, err
		}
		t := active.terms[prop]
		if isScalar(r) || r == nil || t != nil && t.typ == "@json" {
			return r, nil
		}
		if _, isArr := r.([]any); isArr && t != nil && t.typ == "@json" {
			return r, nil
		}
	}
	if l, ok := e["@list"]; ok {
		if t := active.terms[prop]; t != nil && t.hasContainer("@list") {
			return p.compact(active, prop, l, opt)
		}
	}
	insideReverse := prop == "@reverse"
	result := map[string]any{}
	if types, ok := e["@type"]; ok {
		var cts []string
		for _, t := range asArray(types) {
			s, _ := t.(string)
			c, err := p.compactIRI(active, s, nil, true, false, opt)
			if err != nil {
				return nil, err
			}
			cts = append(cts, c)
		}
		sort.Strings(cts)
		for _, ct := range cts {
			if td := typeScoped.terms[ct]; td != nil && td.hasCtx {
				if active, err = p.processContext(active, td.context, td.baseURL, nil, false, false, true); err != nil {
					return nil, err
				}
			}
		}
	}
	alias := func(kw string) (string, error) { return p.compactIRI(active, kw, nil, true, false, opt) }
	for _, xp := range sortedKeys(e) {
		xv := e[xp]
		switch xp {
		case "@id":
			s, _ := xv.(string)
			cv, err := p.compactIRI(active, s, nil, false, false, opt)
			if err != nil {
				return nil, err
			}
			a, err := alias("@id")
			if err != nil {
				return nil, err
			}
			result[a] = cv
			continue
		case "@type":
			var cv any
			if s, ok := xv.(string); ok {
				c, err := p.compactIRI(typeScoped, s, nil, true, false, opt)
				if err != nil {
					return nil, err
				}
				cv = c
			} else {
				arr := []any{}
				for _, t := range asArray(xv) {
					s, _ := t.(string)
					c, err := p.compactIRI(typeScoped, s, nil, true, false, opt)
					if err != nil {
						return nil, err
					}
					arr = append(arr, c)
				}
				cv = arr
			}
			a, err := alias("@type")
			if err != nil {
				return nil, err
			}
			at := active.terms[a]
			asArr := (!active.is10() && at != nil && at.hasContainer("@set")) || !opt.compactArrays
			addValue(result, a, cv, asArr)
			if arr, ok := result[a].([]any); ok && len(arr) == 1 && !asArr {
				result[a] = arr[0]
			}
			continue
		case "@reverse":
			cvAny, err := p.compact(active, "@reverse", xv, opt)
			if err != nil {
				return nil, err
			}
			cv, _ := cvAny.(map[string]any)
			for _, k := range sortedKeys(cv) {
				if t := active.terms[k]; t != nil && t.reverse {
					asArr := t.hasContainer("@set") || !opt.compactArrays
					addValue(result, k, cv[k], asArr)
					delete(cv, k)
				}
			}
			if len(cv) > 0 {
				a, err := alias("@reverse")
				if err != nil {
					return nil, err
				}
				result[a] = cv
			}
			continue
		case "@preserve":
			cv, err := p.compact(active, prop, xv, opt)
			if err != nil {
				return nil, err
			}
			if arr, ok := cv.([]any); !ok || len(arr) > 0 {
				result["@preserve"] = cv
			}
			continue
		case "@index":
			if t := active.terms[prop]; t != nil && t.hasContainer("@index") {
				continue
			}
			fallthrough
		case "@direction", "@language", "@value":
			a, err := alias(xp)
			if err != nil {
				return nil, err
			}
			result[a] = xv
			continue
		}
		if arr, ok := xv.([]any); ok && len(arr) == 0 {
			iap, err := p.compactIRI(active, xp, xv, true, insideReverse, opt)
			if err != nil {
				return nil, err
			}
			nr, err := p.nestResult(active, result, iap)
			if err != nil {
				return nil, err
			}
			addValue(nr, iap, []any{}, true)
			continue
		}
		for _, item := range asArray(xv) {
			iap, err := p.compactIRI(active, xp, item, true, insideReverse, opt)
			if err != nil {
				return nil, err
			}
			nr, err := p.nestResult(active, result, iap)
			if err != nil {
				return nil, err
			}
			t := active.terms[iap]
			var container []string
			if t != nil {
				container = t.container
			}
			has := func(c string) bool {
				for _, x := range container {
					if x == c {
						return true
					}
				}
				return false
			}
			asArr := has("@set") || iap == "@graph" || iap == "@list" || !opt.compactArrays
			im, _ := item.(map[string]any)
			inner := item
			switch {
			case isListObject(im):
				inner = im["@list"]
			case isGraphObject(im):
				inner = im["@graph"]
			}
			ci, err := p.compact(active, iap, inner, opt)
			if err != nil {
				return nil, err
			}
			switch {
			case isListObject(im):
				ci = asArray(ci)
				if !has("@list") {
					la, err := alias("@list")
					if err != nil {
						return nil, err
					}
					cm := map[string]any{la: ci}
					if idx, ok := im["@index"]; ok {
						ia, err := alias("@index")
						if err != nil {
							return nil, err
						}
						cm[ia] = idx
					}
					addValue(nr, iap, cm, asArr)
				} else {
					nr[iap] = ci
				}
			case isGraphObject(im):
				switch {
				case has("@graph") && has("@id"):
					mo, _ := nr[iap].(map[string]any)
					if mo == nil {
						mo = map[string]any{}
						nr[iap] = mo
					}
					key := "@none"
					if id, ok := im["@id"].(string); ok {
						key, err = p.compactIRI(active, id, nil, false, false, opt)
					} else {
						key, err = alias("@none")
					}
					if err != nil {
						return nil, err
					}
					addValue(mo, key, ci, asArr)
				case has("@graph") && has("@index") && isSimpleGraphObject(im):
					mo, _ := nr[iap].(map[string]any)
					if mo == nil {
						mo = map[string]any{}
						nr[iap] = mo
					}
					key, _ := im["@index"].(string)
					if key == "" {
						if key, err = alias("@none"); err != nil {
							return nil, err
						}
					}
					addValue(mo, key, ci, asArr)
				case has("@graph") && isSimpleGraphObject(im):
					if arr, ok := ci.([]any); ok && len(arr) > 1 {
						ia, err := alias("@included")
						if err != nil {
							return nil, err
						}
						ci = map[string]any{ia: arr}
					}
					addValue(nr, iap, ci, asArr)
				default:
					ga, err := alias("@graph")
					if err != nil {
						return nil, err
					}
					cm := map[string]any{ga: ci}
					if id, ok := im["@id"].(string); ok {
						a, err := alias("@id")
						if err != nil {
							return nil, err
						}
						if cm[a], err = p.compactIRI(active, id, nil, false, false, opt); err != nil {
							return nil, err
						}
					}
					if idx, ok := im["@index"]; ok {
						a, err := alias("@index")
						if err != nil {
							return nil, err
						}
						cm[a] = idx
					}
					addValue(nr, iap, cm, asArr)
				}
			case (has("@language") || has("@index") || has("@id") || has("@type")) && !has("@graph"):
				mo, _ := nr[iap].(map[string]any)
				if mo == nil {
					mo = map[string]any{}
					nr[iap] = mo
				}
				var ck string
				for _, c := range []string{"@language", "@index", "@id", "@type"} {
					if has(c) {
						if ck, err = alias(c); err != nil {
							return nil, err
						}
						break
					}
				}
				indexKey := "@index"
				if t != nil && t.index != "" {
					indexKey = t.index
				}
				var key string
				haveKey := false
				cim, _ := ci.(map[string]any)
				switch {
				case has("@language"):
					if _, ok := im["@value"]; ok {
						ci = im["@value"]
					}
					if l, ok := im["@language"].(string); ok {
						key, haveKey = l, true
					}
				case has("@index") && indexKey == "@index":
					if idx, ok := im["@index"].(string); ok {
						key, haveKey = idx, true
					}
				case has("@index"):
					xk, _, err := p.expandIRIString(active, indexKey, false, true)
					if err != nil {
						return nil, err
					}
					var first any
					if vals := asArray(im[xk]); len(vals) > 0 && im[xk] != nil {
						first = vals[0]
					}
					ck, err = p.compactIRI(active, xk, first, true, false, opt)
					if err != nil {
						return nil, err
					}
					if cim != nil {
						vals := asArray(cim[ck])
						if _, present := cim[ck]; present && len(vals) > 0 {
							if s, isStr := vals[0].(string); isStr {
								key, haveKey = s, true
								rest := vals[1:]
								delete(cim, ck)
								if len(rest) > 0 {
									addValue(cim, ck, rest, false)
								}
							}
						}
					}
				case has("@id"):
					if cim != nil {
						if s, ok := cim[ck].(string); ok {
							key, haveKey = s, true
						}
						delete(cim, ck)
					}
				case has("@type"):
					if cim != nil {
						vals := asArray(cim[ck])
						if _, present := cim[ck]; present && len(vals) > 0 {
							if s, isStr := vals[0].(string); isStr {
								key, haveKey = s, true
							}
							rest := vals[1:]
							delete(cim, ck)
							if len(rest) > 0 {
								addValue(cim, ck, rest, false)
							}
						}
						if len(cim) == 1 {
							for k := range cim {
								if x, _, _ := p.expandIRIString(active, k, false, true); x == "@id" {
									ci, err = p.compact(active, iap, map[string]any{"@id": im["@id"]}, opt)
									if err != nil {
										return nil, err
									}
								}
							}
						}
					}
				}
				if !haveKey {
					if key, err = alias("@none"); err != nil {
						return nil, err
					}
				}
				addValue(mo, key, ci, asArr)
			default:
				addValue(nr, iap, ci, asArr)
			}
		}
	}
	return result, nil
}

// nestResult returns the map a property's values go to: result, or the
// nest object its term names.
func (p *ldProc) nestResult(active *ldContext, result map[string]any, prop string) (map[string]any, error) {
	t := active.terms[prop]
	if t == nil || t.nest == "" {
		return result, nil
	}
	nt := t.nest
	if nt != "@nest" {
		if x, _, _ := p.expandIRIString(active, nt, false, true); x != "@nest" {
			return nil, ldErr("invalid @nest value", "%q", nt)
		}
	}
	m, _ := result[nt].(map[string]any)
	if m == nil {
		m = map[string]any{}
		result[nt] = m
	}
	return m, nil
}

// compactValue is the Value Compaction algorithm (6.3.2).
func (p *ldProc) compactValue(active *ldContext, prop string, value map[string]any, opt compactOptions) (any, error) {
	t := active.terms[prop]
	var lang, dir *string
	if active.hasLang {
		l := active.lang
		lang = &l
	}
	if active.dir != "" {
		d := active.dir
		dir = &d
	}
	if t != nil && t.hasLang {
		lang = t.lang
	}
	if t != nil && t.hasDir {
		dir = t.dir
	}
	typ := ""
	if t != nil {
		typ = t.typ
	}
	hasIndexContainer := t != nil && t.hasContainer("@index")
	_, hasIndex := value["@index"]
	if id, ok := value["@id"].(string); ok && (len(value) == 1 || len(value) == 2 && hasIndex) {
		switch typ {
		case "@id":
			if len(value) == 1 || hasIndexContainer {
				return p.compactIRI(active, id, nil, false, false, opt)
			}
		case "@vocab":
			if len(value) == 1 || hasIndexContainer {
				return p.compactIRI(active, id, nil, true, false, opt)
			}
		}
	}
	result := map[string]any{}
	for k, v := range value {
		result[k] = v
	}
	vt, hasType := value["@type"]
	switch {
	case hasType && vt == typ && (!hasIndex || hasIndexContainer):
		return value["@value"], nil
	case typ == "@none" || hasType && vt != typ:
		if hasType {
			if s, ok := vt.(string); ok {
				c, err := p.compactIRI(active, s, nil, true, false, opt)
				if err != nil {
					return nil, err
				}
				result["@type"] = c
			}
		}
	default:
		if _, isID := value["@id"]; isID {
			break
		}
		v := value["@value"]
		if _, isStr := v.(string); !isStr {
			if !hasIndex || hasIndexContainer {
				return v, nil
			}
			break
		}
		vl, hasL := value["@language"].(string)
		vd, hasD := value["@direction"].(string)
		langOK := (!hasL && lang == nil) || (hasL && lang != nil && strings.EqualFold(vl, *lang))
		dirOK := (!hasD && dir == nil) || (hasD && dir != nil && vd == *dir)
		if langOK && dirOK && (!hasIndex || hasIndexContainer) {
			return v, nil
		}
	}
	out := map[string]any{}
	for k, v := range result {
		if k == "@index" && hasIndexContainer {
			continue
		}
		if k == "@id" {
			c, err := p.compactIRI(active, v.(string), nil, false, false, opt)
			if err != nil {
				return nil, err
			}
			v = c
		}
		a, err := p.compactIRI(active, k, nil, true, false, opt)
		if err != nil {
			return nil, err
		}
		out[a] = v
	}
	return out, nil
}

// compactDoc is the compact() API operation over expanded input: the
// Compaction algorithm, then the result wrapped with @context and, for
// several nodes, an aliased @graph. ctxValue is the "@context" value to
// write; graph forces the @graph wrapper (framing with omitGraph false).
func (p *ldProc) compactDoc(active *ldContext, expanded []any, ctxValue any, graph bool, opt compactOptions) (any, error) {
	c, err := p.compact(active, "", any(expanded), opt)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	switch x := c.(type) {
	case []any:
		if len(x) == 0 && !graph {
			out = map[string]any{}
		} else {
			ga, err := p.compactIRI(active, "@graph", nil, true, false, opt)
			if err != nil {
				return nil, err
			}
			out = map[string]any{ga: x}
		}
	case map[string]any:
		out = x
		if graph {
			ga, err := p.compactIRI(active, "@graph", nil, true, false, opt)
			if err != nil {
				return nil, err
			}
			out = map[string]any{ga: []any{x}}
		}
	default:
		out = map[string]any{}
	}
	if !emptyContext(ctxValue) {
		out["@context"] = ctxValue
	}
	return out, nil
}

func emptyContext(c any) bool {
	switch x := c.(type) {
	case nil:
		return true
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}
