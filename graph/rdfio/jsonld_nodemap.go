package rdfio

import (
	"sort"
	"strconv"
)

// bnodeIssuer is the Generate Blank Node Identifier algorithm: labels
// _:b0, _:b1, ... in order of first use, the same for the same input label.
type bnodeIssuer struct {
	prefix string
	n      int
	issued map[string]string
}

func newIssuer(prefix string) *bnodeIssuer {
	return &bnodeIssuer{prefix: prefix, issued: map[string]string{}}
}

// get returns the label for id ("" for a fresh node).
func (b *bnodeIssuer) get(id string) string {
	if id != "" {
		if l, ok := b.issued[id]; ok {
			return l
		}
	}
	l := b.prefix + strconv.Itoa(b.n)
	b.n++
	if id != "" {
		b.issued[id] = l
	}
	return l
}

// nodeMap maps graph names ("@default" first) to subjects to node objects.
type nodeMap map[string]map[string]map[string]any

// generateNodeMap is the Node Map Generation algorithm (JSON-LD 1.1 API
// 7.2.2). activeSubject is a string, a map (a reverse reference) or nil;
// list, when non-nil, is the list object being filled.
func (p *ldProc) generateNodeMap(element any, nm nodeMap, graph string, activeSubject any, prop string, list map[string]any) error {
	if arr, ok := element.([]any); ok {
		for _, item := range arr {
			if err := p.generateNodeMap(item, nm, graph, activeSubject, prop, list); err != nil {
				return err
			}
		}
		return nil
	}
	e, ok := element.(map[string]any)
	if !ok {
		return nil
	}
	g := nm[graph]
	if g == nil {
		g = map[string]map[string]any{}
		nm[graph] = g
	}
	var subjectNode map[string]any
	if s, ok := activeSubject.(string); ok {
		subjectNode = g[s]
	}
	if t, ok := e["@type"]; ok {
		var types []any
		for _, x := range asArray(t) {
			if s, ok := x.(string); ok && isBlankID(s) {
				x = p.issuer.get(s)
			}
			types = append(types, x)
		}
		if _, isArr := t.([]any); isArr || len(types) != 1 {
			e["@type"] = types
		} else {
			e["@type"] = types[0]
		}
	}
	// A value or a list with no subject to hang on in this graph (one
	// left free-floating inside an @graph container, say) says nothing
	// about any node: it is dropped, as free-floating values are.
	if subjectNode == nil && list == nil && (isValueObject(e) || isListObject(e)) {
		return nil
	}
	switch {
	case isValueObject(e):
		if list == nil {
			appendUnique(subjectNode, prop, e)
		} else {
			list["@list"] = append(list["@list"].([]any), e)
		}
	case isListObject(e):
		result := map[string]any{"@list": []any{}}
		if err := p.generateNodeMap(e["@list"], nm, graph, activeSubject, prop, result); err != nil {
			return err
		}
		if list == nil {
			arr, _ := subjectNode[prop].([]any)
			subjectNode[prop] = append(arr, result)
		} else {
			list["@list"] = append(list["@list"].([]any), result)
		}
	default:
		var id string
		if v, ok := e["@id"]; ok {
			s, isStr := v.(string)
			if !isStr {
				return nil // a null @id: the node has no identity and is dropped
			}
			id = s
			if isBlankID(id) {
				id = p.issuer.get(id)
			}
			delete(e, "@id")
		} else {
			id = p.issuer.get("")
		}
		node := g[id]
		if node == nil {
			node = map[string]any{"@id": id}
			g[id] = node
		}
		if ref, ok := activeSubject.(map[string]any); ok {
			appendUnique(node, prop, ref)
		} else if prop != "" {
			ref := map[string]any{"@id": id}
			if list == nil {
				appendUnique(subjectNode, prop, ref)
			} else {
				list["@list"] = append(list["@list"].([]any), ref)
			}
		}
		if t, ok := e["@type"]; ok {
			for _, x := range asArray(t) {
				appendUnique(node, "@type", x)
			}
			delete(e, "@type")
		}
		if idx, ok := e["@index"]; ok {
			if cur, has := node["@index"]; has && !ldEqual(cur, idx) {
				return ldErr("conflicting indexes", "node %s has two @index values", id)
			}
			node["@index"] = idx
			delete(e, "@index")
		}
		if rev, ok := e["@reverse"].(map[string]any); ok {
			ref := map[string]any{"@id": id}
			for _, rp := range sortedKeys(rev) {
				for _, v := range asArray(rev[rp]) {
					if err := p.generateNodeMap(v, nm, graph, ref, rp, nil); err != nil {
						return err
					}
				}
			}
			delete(e, "@reverse")
		}
		if gv, ok := e["@graph"]; ok {
			if err := p.generateNodeMap(gv, nm, id, nil, "", nil); err != nil {
				return err
			}
			delete(e, "@graph")
		}
		if inc, ok := e["@included"]; ok {
			if err := p.generateNodeMap(inc, nm, graph, nil, "", nil); err != nil {
				return err
			}
			delete(e, "@included")
		}
		for _, property := range sortedKeys(e) {
			value := e[property]
			if isBlankID(property) {
				property = p.issuer.get(property)
			}
			if _, has := node[property]; !has {
				node[property] = []any{}
			}
			if err := p.generateNodeMap(value, nm, graph, id, property, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// onlyID reports whether a node object holds nothing but its @id.
func onlyID(n map[string]any) bool {
	if len(n) != 1 {
		return false
	}
	_, ok := n["@id"]
	return ok
}

// flatten is the Flattening algorithm (7.1.2) up to, not including,
// compaction: the default graph's nodes, each named graph as a node with
// @graph.
func (p *ldProc) flatten(expanded []any) ([]any, error) {
	nm := nodeMap{"@default": {}}
	if err := p.generateNodeMap(ldClone(expanded), nm, "@default", nil, "", nil); err != nil {
		return nil, err
	}
	def := nm["@default"]
	var names []string
	for n := range nm {
		if n != "@default" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		entry := def[name]
		if entry == nil {
			entry = map[string]any{"@id": name}
			def[name] = entry
		}
		g := nm[name]
		out := []any{}
		for _, id := range sortedNodeIDs(g) {
			if n := g[id]; !onlyID(n) {
				out = append(out, n)
			}
		}
		entry["@graph"] = out
	}
	out := []any{}
	for _, id := range sortedNodeIDs(def) {
		if n := def[id]; !onlyID(n) {
			out = append(out, n)
		}
	}
	return out, nil
}

func sortedNodeIDs(g map[string]map[string]any) []string {
	ids := make([]string, 0, len(g))
	for id := range g {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
