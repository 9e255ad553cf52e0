package rdfio

import (
	"sort"
	"strings"
)

// This file and the other jsonld_*.go files are innograph's own JSON-LD 1.1
// processor (W3C JSON-LD 1.1 Processing Algorithms and API, and JSON-LD
// 1.1 Framing), written here rather than taken from json-gold v0.7.0, the
// version our Cayley pin allows: json-gold resolves relative IRIs with its
// own rules inside expansion (collapsing "//", mis-resolving against
// non-hierarchical bases), fails on JSON literals that are not objects,
// implements little of Framing 1.1, recurses without bound into
// self-including remote contexts, and offers no hook for any of these.
// Every relative IRI here goes through ResolveIRI, the rule all readers
// share.

// JSON-LD processing modes.
const (
	ldMode10 = "json-ld-1.0"
	ldMode11 = "json-ld-1.1"
)

// maxRemoteContexts bounds the depth of remote context loading (a context
// that includes itself, directly or through others): past it, processing
// fails with "context overflow" instead of recursing until the stack is
// exhausted.
const maxRemoteContexts = 32

// ldTerm is a term definition.
type ldTerm struct {
	id        string // IRI mapping; "" with nullID for a term mapped to null
	nullID    bool
	reverse   bool
	typ       string   // type mapping: "", "@id", "@vocab", "@json", "@none" or an IRI
	container []string // sorted
	lang      *string  // language mapping; non-nil with "" meaning null... see hasLang
	hasLang   bool     // a language mapping is set (lang nil means null)
	dir       *string
	hasDir    bool
	context   any // local context
	hasCtx    bool
	baseURL   string
	index     string
	nest      string
	prefix    bool
	protected bool
}

func (t *ldTerm) hasContainer(c string) bool {
	for _, x := range t.container {
		if x == c {
			return true
		}
	}
	return false
}

// sameAs compares definitions, ignoring the protected flag (a protected
// term may be redefined identically).
func (t *ldTerm) sameAs(u *ldTerm) bool {
	if t.id != u.id || t.nullID != u.nullID || t.reverse != u.reverse || t.typ != u.typ ||
		strings.Join(t.container, " ") != strings.Join(u.container, " ") || t.hasLang != u.hasLang ||
		t.hasDir != u.hasDir || t.hasCtx != u.hasCtx || t.index != u.index || t.nest != u.nest || t.prefix != u.prefix {
		return false
	}
	if t.hasLang && !ptrEq(t.lang, u.lang) || t.hasDir && !ptrEq(t.dir, u.dir) {
		return false
	}
	return !t.hasCtx || ldEqual(t.context, u.context)
}

func ptrEq(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// ldContext is an active context. It is never modified once built by
// processContext: processing a local context copies it.
type ldContext struct {
	base         string
	hasBase      bool // base "" with hasBase false is "no base"
	originalBase string
	vocab        string
	hasVocab     bool
	lang         string
	hasLang      bool
	dir          string
	terms        map[string]*ldTerm
	previous     *ldContext
	mode         string
	inverse      map[string]map[string]map[string]map[string]string
	prefixes     []ldPrefix                   // the terms usable as compact IRI prefixes, built on first use
	compacted    map[compactKey]compactResult // compactIRI results without a value
}

// ldPrefix is a term usable as the prefix of a compact IRI.
type ldPrefix struct{ term, iri string }

type compactKey struct {
	iri   string
	vocab bool
}

type compactResult struct {
	s   string
	err error
}

// prefixTerms returns the terms with the prefix flag, by term.
func (c *ldContext) prefixTerms() []ldPrefix {
	if c.prefixes != nil {
		return c.prefixes
	}
	c.prefixes = []ldPrefix{}
	for term, def := range c.terms {
		if def != nil && !def.nullID && def.prefix {
			c.prefixes = append(c.prefixes, ldPrefix{term, def.id})
		}
	}
	sort.Slice(c.prefixes, func(i, j int) bool { return c.prefixes[i].term < c.prefixes[j].term })
	return c.prefixes
}

func newContext(base, mode string) *ldContext {
	return &ldContext{base: base, hasBase: base != "", originalBase: base, terms: map[string]*ldTerm{}, mode: mode}
}

func (c *ldContext) copy() *ldContext {
	n := *c
	n.terms = make(map[string]*ldTerm, len(c.terms))
	for k, v := range c.terms {
		n.terms[k] = v
	}
	n.inverse, n.prefixes, n.compacted = nil, nil, nil
	return &n
}

func (c *ldContext) is10() bool { return c.mode == ldMode10 }

func (c *ldContext) hasProtected() bool {
	for _, t := range c.terms {
		if t != nil && t.protected {
			return true
		}
	}
	return false
}

// ldProc carries what one JSON-LD operation needs: its options and the
// documents it may load.
type ldProc struct {
	mode     string
	loader   *offlineLoader
	ordered  bool
	issuer   *bnodeIssuer
	docCache map[string]any
}

// loadContextDoc returns the "@context" value of the remote context at url.
func (p *ldProc) loadContextDoc(url string) (any, error) {
	if p.loader == nil {
		return nil, ldErr("loading remote context failed", "remote context %s refused: no remote contexts are registered", url)
	}
	doc, err := p.loader.load(url)
	if err != nil {
		return nil, ldErr("loading remote context failed", "%v", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, ldErr("invalid remote context", "%s is not a JSON object", url)
	}
	c, ok := m["@context"]
	if !ok {
		return nil, ldErr("invalid remote context", "%s has no @context", url)
	}
	return c, nil
}

// processContext is the Context Processing algorithm (JSON-LD 1.1 API
// 4.1.2).
func (p *ldProc) processContext(active *ldContext, local any, baseURL string, remote []string, overrideProtected, propagate, validateScoped bool) (*ldContext, error) {
	result := active.copy()
	if m, ok := local.(map[string]any); ok {
		if v, ok := m["@propagate"]; ok {
			b, isBool := v.(bool)
			if !isBool {
				return nil, ldErr("invalid @propagate value", "%v", v)
			}
			propagate = b
		}
	}
	if !propagate && result.previous == nil {
		result.previous = active
	}
	for _, ctx := range asArray(local) {
		switch c := ctx.(type) {
		case nil:
			if !overrideProtected && result.hasProtected() {
				return nil, ldErr("invalid context nullification", "a null context would clear protected terms")
			}
			prev := result
			result = newContext(active.originalBase, active.mode)
			result.hasBase = active.originalBase != ""
			if !propagate {
				result.previous = prev
			}
			continue
		case string:
			if !isAbsIRI(c) && baseURL == "" {
				return nil, ldErr("loading document failed", "relative context IRI %q without a base", c)
			}
			u := ResolveIRI(baseURL, c)
			if containsStr(remote, u) {
				if !validateScoped {
					continue
				}
				return nil, ldErr("recursive context inclusion", "%s includes itself", u)
			}
			if len(remote) >= maxRemoteContexts {
				return nil, ldErr("context overflow", "more than %d nested remote contexts (at %s)", maxRemoteContexts, u)
			}
			loaded, err := p.loadContextDoc(u)
			if err != nil {
				return nil, err
			}
			rem := append(append([]string(nil), remote...), u)
			r, err := p.processContext(result, loaded, u, rem, overrideProtected, true, validateScoped)
			if err != nil {
				return nil, err
			}
			result = r
			continue
		case map[string]any:
			if err := p.processContextMap(result, c, baseURL, remote, overrideProtected, validateScoped); err != nil {
				return nil, err
			}
		default:
			return nil, ldErr("invalid local context", "a context is %T, not an object, string or null", ctx)
		}
	}
	return result, nil
}

func containsStr(a []string, s string) bool {
	for _, x := range a {
		if x == s {
			return true
		}
	}
	return false
}

// processContextMap applies one context object to result (steps 5.5-5.13).
func (p *ldProc) processContextMap(result *ldContext, c map[string]any, baseURL string, remote []string, overrideProtected, validateScoped bool) error {
	if v, ok := c["@version"]; ok {
		if n, isNum := ldNumber(v); !isNum || n != 1.1 {
			return ldErr("invalid @version value", "%v", v)
		}
		if result.mode == ldMode10 {
			return ldErr("processing mode conflict", "@version 1.1 in json-ld-1.0 mode")
		}
	}
	if v, ok := c["@import"]; ok {
		if result.is10() {
			return ldErr("invalid context entry", "@import in json-ld-1.0 mode")
		}
		s, isStr := v.(string)
		if !isStr {
			return ldErr("invalid @import value", "%v", v)
		}
		u := ResolveIRI(baseURL, s)
		imported, err := p.loadContextDoc(u)
		if err != nil {
			return err
		}
		im, ok := imported.(map[string]any)
		if !ok {
			return ldErr("invalid remote context", "imported context %s is not an object", u)
		}
		if _, ok := im["@import"]; ok {
			return ldErr("invalid context entry", "imported context %s has @import", u)
		}
		merged := make(map[string]any, len(im)+len(c))
		for k, v := range im {
			merged[k] = v
		}
		for k, v := range c {
			merged[k] = v
		}
		c = merged
	}
	if v, ok := c["@base"]; ok && len(remote) == 0 {
		switch b := v.(type) {
		case nil:
			result.base, result.hasBase = "", false
		case string:
			switch {
			case isAbsIRI(b):
				result.base, result.hasBase = b, true
			case result.hasBase:
				result.base = ResolveIRI(result.base, b)
			default:
				return ldErr("invalid base IRI", "relative @base %q without a base", b)
			}
		default:
			return ldErr("invalid base IRI", "%v", v)
		}
	}
	if v, ok := c["@vocab"]; ok {
		switch s := v.(type) {
		case nil:
			result.vocab, result.hasVocab = "", false
		case string:
			if !isAbsIRI(s) && result.is10() && !isBlankID(s) {
				return ldErr("invalid vocab mapping", "relative @vocab %q in json-ld-1.0 mode", s)
			}
			iri, err := p.expandIRI(result, s, true, true, nil, nil)
			if err != nil {
				return err
			}
			if iri == nil || !isAbsIRI(*iri) && !isBlankID(*iri) && result.is10() {
				return ldErr("invalid vocab mapping", "%q", s)
			}
			result.vocab, result.hasVocab = *iri, true
		default:
			return ldErr("invalid vocab mapping", "%v", v)
		}
	}
	if v, ok := c["@language"]; ok {
		switch s := v.(type) {
		case nil:
			result.lang, result.hasLang = "", false
		case string:
			result.lang, result.hasLang = strings.ToLower(s), true
		default:
			return ldErr("invalid default language", "%v", v)
		}
	}
	if v, ok := c["@direction"]; ok {
		if result.is10() {
			return ldErr("invalid context entry", "@direction in json-ld-1.0 mode")
		}
		switch s := v.(type) {
		case nil:
			result.dir = ""
		case string:
			if s != "ltr" && s != "rtl" {
				return ldErr("invalid base direction", "%q", s)
			}
			result.dir = s
		default:
			return ldErr("invalid base direction", "%v", v)
		}
	}
	if v, ok := c["@propagate"]; ok {
		if result.is10() {
			return ldErr("invalid context entry", "@propagate in json-ld-1.0 mode")
		}
		if _, isBool := v.(bool); !isBool {
			return ldErr("invalid @propagate value", "%v", v)
		}
	}
	protected := false
	if v, ok := c["@protected"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return ldErr("invalid @protected value", "%v", v)
		}
		if result.is10() {
			return ldErr("invalid context entry", "@protected in json-ld-1.0 mode")
		}
		protected = b
	}
	defined := map[string]bool{}
	keys := sortedKeys(c)
	for _, k := range keys {
		switch k {
		case "@base", "@direction", "@import", "@language", "@propagate", "@protected", "@version", "@vocab":
			continue
		}
		if err := p.createTerm(result, c, k, defined, baseURL, protected, overrideProtected, remote, validateScoped); err != nil {
			return err
		}
	}
	return nil
}

// validContainers are the container mappings JSON-LD 1.1 allows, as the
// sorted keywords joined by spaces.
var validContainers = map[string]bool{
	"@graph": true, "@id": true, "@index": true, "@language": true, "@list": true, "@set": true, "@type": true,
	"@index @set": true, "@id @set": true, "@set @type": true, "@language @set": true,
	"@graph @id": true, "@graph @index": true, "@graph @set": true, "@graph @id @set": true, "@graph @index @set": true,
}

// createTerm is the Create Term Definition algorithm (4.2.2).
func (p *ldProc) createTerm(active *ldContext, local map[string]any, term string, defined map[string]bool, baseURL string, protected, overrideProtected bool, remote []string, validateScoped bool) error {
	if d, ok := defined[term]; ok {
		if d {
			return nil
		}
		return ldErr("cyclic IRI mapping", "term %q", term)
	}
	if term == "" {
		return ldErr("invalid term definition", "the empty term")
	}
	defined[term] = false
	value := local[term]
	if term == "@type" && !active.is10() {
		m, ok := value.(map[string]any)
		if !ok || len(m) == 0 {
			return ldErr("keyword redefinition", "@type")
		}
		for k, v := range m {
			switch k {
			case "@container":
				if v != "@set" {
					return ldErr("keyword redefinition", "@type with @container %v", v)
				}
			case "@protected":
			default:
				return ldErr("keyword redefinition", "@type with %s", k)
			}
		}
	} else if isKeyword(term) {
		return ldErr("keyword redefinition", "%s", term)
	} else if hasKeywordForm(term) {
		delete(defined, term)
		return nil // reserved for future keywords: ignored
	}
	prev := active.terms[term]
	delete(active.terms, term)
	simple := false
	var m map[string]any
	switch v := value.(type) {
	case nil:
		m = map[string]any{"@id": nil}
	case string:
		m = map[string]any{"@id": v}
		simple = true
	case map[string]any:
		m = v
	default:
		return ldErr("invalid term definition", "term %q: %v", term, value)
	}
	def := &ldTerm{protected: protected}
	if v, ok := m["@protected"]; ok {
		if active.is10() {
			return ldErr("invalid term definition", "@protected in json-ld-1.0 mode")
		}
		b, isBool := v.(bool)
		if !isBool {
			return ldErr("invalid @protected value", "term %q", term)
		}
		def.protected = b
	}
	if v, ok := m["@type"]; ok {
		s, isStr := v.(string)
		if !isStr {
			return ldErr("invalid type mapping", "term %q: %v", term, v)
		}
		t, err := p.expandIRI(active, s, false, true, local, defined)
		if err != nil {
			return err
		}
		if t == nil {
			return ldErr("invalid type mapping", "term %q: %q", term, s)
		}
		switch *t {
		case "@json", "@none":
			if active.is10() {
				return ldErr("invalid type mapping", "term %q: %s in json-ld-1.0 mode", term, *t)
			}
		case "@id", "@vocab":
		default:
			if !isAbsIRI(*t) {
				return ldErr("invalid type mapping", "term %q: %q is not an IRI", term, *t)
			}
		}
		def.typ = *t
	}
	if v, ok := m["@reverse"]; ok {
		if _, has := m["@id"]; has {
			return ldErr("invalid reverse property", "term %q has @id and @reverse", term)
		}
		if _, has := m["@nest"]; has {
			return ldErr("invalid reverse property", "term %q has @nest and @reverse", term)
		}
		s, isStr := v.(string)
		if !isStr {
			return ldErr("invalid IRI mapping", "term %q: @reverse %v", term, v)
		}
		if hasKeywordForm(s) {
			delete(defined, term)
			return nil
		}
		id, err := p.expandIRI(active, s, false, true, local, defined)
		if err != nil {
			return err
		}
		if id == nil || !(isAbsIRI(*id) || isBlankID(*id)) {
			return ldErr("invalid IRI mapping", "term %q: @reverse %q", term, s)
		}
		def.id = *id
		if c, ok := m["@container"]; ok {
			switch c {
			case nil:
			case "@set", "@index":
				def.container = []string{c.(string)}
			default:
				return ldErr("invalid reverse property", "term %q: @container %v", term, c)
			}
		}
		def.reverse = true
		if v, ok := m["@index"]; ok {
			if err := p.termIndex(active, local, defined, term, def, v); err != nil {
				return err
			}
		}
		return p.finishTerm(active, term, def, prev, m, defined, overrideProtected)
	}
	if v, ok := m["@id"]; ok && v != term {
		if v == nil {
			def.nullID = true
		} else {
			s, isStr := v.(string)
			if !isStr {
				return ldErr("invalid IRI mapping", "term %q: @id %v", term, v)
			}
			if !isKeyword(s) && hasKeywordForm(s) {
				delete(defined, term)
				return nil
			}
			id, err := p.expandIRI(active, s, false, true, local, defined)
			if err != nil {
				return err
			}
			if id == nil || !(isKeyword(*id) || isAbsIRI(*id) || isBlankID(*id)) {
				return ldErr("invalid IRI mapping", "term %q: @id %q", term, s)
			}
			if *id == "@context" {
				return ldErr("invalid keyword alias", "term %q aliases @context", term)
			}
			def.id = *id
			if i := strings.IndexByte(term[1:], ':'); !active.is10() && ((i >= 0 && i+1 < len(term)-1) || strings.Contains(term, "/")) {
				defined[term] = true
				exp, err := p.expandIRI(active, term, false, true, local, defined)
				if err != nil {
					return err
				}
				if exp == nil || *exp != def.id {
					return ldErr("invalid IRI mapping", "term %q looks like an IRI but maps to %q", term, def.id)
				}
			}
			if !strings.ContainsAny(term, ":/") && simple && (isBlankID(def.id) || strings.ContainsAny(def.id[len(def.id)-1:], ":/?#[]@")) {
				def.prefix = true
			}
		}
	} else if i := strings.IndexByte(term, ':'); i > 0 {
		prefix, suffix := term[:i], term[i+1:]
		if _, ok := local[prefix]; ok {
			if err := p.createTerm(active, local, prefix, defined, baseURL, protected, overrideProtected, remote, validateScoped); err != nil {
				return err
			}
		}
		if pt := active.terms[prefix]; pt != nil && !pt.nullID && !strings.HasPrefix(suffix, "//") {
			def.id = pt.id + suffix
		} else {
			def.id = term
		}
	} else if strings.Contains(term, "/") {
		id, err := p.expandIRI(active, term, false, true, nil, nil)
		if err != nil {
			return err
		}
		if id == nil || !isAbsIRI(*id) {
			return ldErr("invalid IRI mapping", "term %q", term)
		}
		def.id = *id
	} else if term == "@type" {
		def.id = "@type"
	} else if active.hasVocab {
		def.id = active.vocab + term
	} else {
		return ldErr("invalid IRI mapping", "term %q has no IRI and there is no @vocab", term)
	}
	if v, ok := m["@container"]; ok {
		var cs []string
		for _, e := range asArray(v) {
			s, isStr := e.(string)
			if !isStr {
				return ldErr("invalid container mapping", "term %q: %v", term, v)
			}
			cs = append(cs, s)
		}
		sort.Strings(cs)
		key := strings.Join(cs, " ")
		if !validContainers[key] {
			return ldErr("invalid container mapping", "term %q: %v", term, v)
		}
		if active.is10() {
			if _, isArr := v.([]any); isArr || key == "@graph" || key == "@id" || key == "@type" {
				return ldErr("invalid container mapping", "term %q: %v in json-ld-1.0 mode", term, v)
			}
		}
		def.container = cs
		if def.hasContainer("@type") {
			if def.typ == "" {
				def.typ = "@id"
			}
			if def.typ != "@id" && def.typ != "@vocab" {
				return ldErr("invalid type mapping", "term %q: @type container with type %q", term, def.typ)
			}
		}
	}
	if v, ok := m["@index"]; ok {
		if err := p.termIndex(active, local, defined, term, def, v); err != nil {
			return err
		}
	}
	if v, ok := m["@context"]; ok {
		if active.is10() {
			return ldErr("invalid term definition", "term %q: @context in json-ld-1.0 mode", term)
		}
		if _, err := p.processContext(active, v, baseURL, remote, true, true, false); err != nil {
			if le, ok := err.(*ldError); ok && le.Code == "loading remote context failed" {
				return err
			}
			return ldErr("invalid scoped context", "term %q: %v", term, err)
		}
		def.context, def.hasCtx, def.baseURL = v, true, baseURL
	}
	if v, ok := m["@language"]; ok {
		if _, hasType := m["@type"]; !hasType {
			switch s := v.(type) {
			case nil:
				def.hasLang, def.lang = true, nil
			case string:
				l := strings.ToLower(s)
				def.hasLang, def.lang = true, &l
			default:
				return ldErr("invalid language mapping", "term %q: %v", term, v)
			}
		}
	}
	if v, ok := m["@direction"]; ok {
		if _, hasType := m["@type"]; !hasType {
			switch s := v.(type) {
			case nil:
				def.hasDir, def.dir = true, nil
			case string:
				if s != "ltr" && s != "rtl" {
					return ldErr("invalid base direction", "term %q: %q", term, s)
				}
				def.hasDir, def.dir = true, &s
			default:
				return ldErr("invalid base direction", "term %q: %v", term, v)
			}
		}
	}
	if v, ok := m["@nest"]; ok {
		if active.is10() {
			return ldErr("invalid term definition", "term %q: @nest in json-ld-1.0 mode", term)
		}
		s, isStr := v.(string)
		if !isStr || isKeyword(s) && s != "@nest" {
			return ldErr("invalid @nest value", "term %q: %v", term, v)
		}
		def.nest = s
	}
	if v, ok := m["@prefix"]; ok {
		if active.is10() || strings.ContainsAny(term, ":/") {
			return ldErr("invalid term definition", "term %q: @prefix", term)
		}
		b, isBool := v.(bool)
		if !isBool {
			return ldErr("invalid @prefix value", "term %q: %v", term, v)
		}
		def.prefix = b
		if b && isKeyword(def.id) {
			return ldErr("invalid term definition", "term %q: a keyword alias cannot be a prefix", term)
		}
	}
	return p.finishTerm(active, term, def, prev, m, defined, overrideProtected)
}

// termIndex reads the @index entry of a term definition (step 22).
func (p *ldProc) termIndex(active *ldContext, local map[string]any, defined map[string]bool, term string, def *ldTerm, v any) error {
	if active.is10() || !def.hasContainer("@index") {
		return ldErr("invalid term definition", "term %q: @index without an @index container", term)
	}
	s, isStr := v.(string)
	if !isStr || isKeyword(s) {
		return ldErr("invalid term definition", "term %q: @index %v", term, v)
	}
	e, err := p.expandIRI(active, s, false, true, local, defined)
	if err != nil {
		return err
	}
	if e == nil || !isAbsIRI(*e) {
		return ldErr("invalid term definition", "term %q: @index %q is not an IRI", term, s)
	}
	def.index = s
	return nil
}

// finishTerm checks the entries of a definition and protection, then
// stores it (steps 28-30).
func (p *ldProc) finishTerm(active *ldContext, term string, def, prev *ldTerm, m map[string]any, defined map[string]bool, overrideProtected bool) error {
	for k := range m {
		switch k {
		case "@id", "@reverse", "@container", "@context", "@direction", "@index", "@language", "@nest", "@prefix", "@protected", "@type":
		default:
			return ldErr("invalid term definition", "term %q has entry %q", term, k)
		}
	}
	if !overrideProtected && prev != nil && prev.protected {
		if !def.sameAs(prev) {
			return ldErr("protected term redefinition", "term %q", term)
		}
		def = prev
	}
	active.terms[term] = def
	defined[term] = true
	return nil
}

// expandIRI is the IRI Expansion algorithm (5.2.2). It returns nil for a
// value that expands to null (a term mapped to null, a keyword-like value).
func (p *ldProc) expandIRI(active *ldContext, value string, docRelative, vocab bool, local map[string]any, defined map[string]bool) (*string, error) {
	if isKeyword(value) {
		return &value, nil
	}
	if hasKeywordForm(value) {
		return nil, nil
	}
	if local != nil {
		if _, ok := local[value]; ok && !defined[value] {
			if err := p.createTerm(active, local, value, defined, "", false, false, nil, true); err != nil {
				return nil, err
			}
		}
	}
	if t, ok := active.terms[value]; ok && t != nil && isKeyword(t.id) {
		s := t.id
		return &s, nil
	}
	if vocab {
		if t, ok := active.terms[value]; ok {
			if t == nil || t.nullID {
				return nil, nil
			}
			s := t.id
			return &s, nil
		}
	}
	if i := strings.IndexByte(value, ':'); i > 0 {
		prefix, suffix := value[:i], value[i+1:]
		if prefix == "_" || strings.HasPrefix(suffix, "//") {
			return &value, nil
		}
		if local != nil {
			if _, ok := local[prefix]; ok && !defined[prefix] {
				if err := p.createTerm(active, local, prefix, defined, "", false, false, nil, true); err != nil {
					return nil, err
				}
			}
		}
		if t := active.terms[prefix]; t != nil && !t.nullID && (t.prefix || active.is10()) {
			s := t.id + suffix
			return &s, nil
		}
		if isAbsIRI(value) {
			return &value, nil
		}
	}
	if vocab && active.hasVocab {
		s := active.vocab + value
		return &s, nil
	}
	if docRelative && active.hasBase {
		s := ResolveIRI(active.base, value)
		return &s, nil
	}
	return &value, nil
}

// expandIRIString is expandIRI for callers that treat null as "".
func (p *ldProc) expandIRIString(active *ldContext, value string, docRelative, vocab bool) (string, bool, error) {
	s, err := p.expandIRI(active, value, docRelative, vocab, nil, nil)
	if err != nil || s == nil {
		return "", false, err
	}
	return *s, true, nil
}
