package rdfio

import (
	"sort"
)

// JSON-LD 1.1 Framing (W3C Recommendation): the Framing algorithm over
// the node map of the expanded input, then compaction.

// frameOptions are the framing flags and API options.
type frameOptions struct {
	embed       string // "@once" (default), "@always", "@never"
	explicit    bool
	requireAll  bool
	omitDefault bool
	omitGraph   bool
	pruneBNodes bool
}

// frameState is the state of one framing run.
type frameState struct {
	opt          frameOptions
	graphMap     nodeMap
	graph        string
	subjects     map[string]map[string]any
	embedded     bool
	subjectStack []frameStackEntry
	uniqueEmbeds map[string]map[string]bool
}

type frameStackEntry struct {
	id    string
	graph string
}

// frameDoc is the frame() API operation: expanded input and frame, the
// frame's context (ctx as the active context, ctxValue as written), and
// whether the frame names @graph at its top level (then the default graph
// is framed, otherwise the merged graph).
func (p *ldProc) frameDoc(input, frame []any, active *ldContext, ctxValue any, frameHasGraph bool, opt frameOptions) (any, error) {
	nm := nodeMap{"@default": {}}
	if err := p.generateNodeMap(ldClone(input), nm, "@default", nil, "", nil); err != nil {
		return nil, err
	}
	st := &frameState{opt: opt, graphMap: nm, graph: "@default", uniqueEmbeds: map[string]map[string]bool{}}
	if !frameHasGraph {
		nm["@merged"] = mergeNodeMaps(nm)
		st.graph = "@merged"
	}
	st.subjects = nm[st.graph]
	if len(frame) == 0 {
		frame = []any{map[string]any{}} // an empty frame matches every node
	}
	var framed []any
	parent := &frameParent{list: &framed}
	if err := p.frameSubjects(st, sortedNodeIDs(st.subjects), frame, parent, ""); err != nil {
		return nil, err
	}
	// Blank node identifiers used once in the output are not needed to
	// join nodes.
	var clear map[string]bool
	if opt.pruneBNodes {
		uses := map[string]int{}
		countBNodes(framed, uses)
		clear = map[string]bool{}
		for id, n := range uses {
			if n == 1 {
				clear[id] = true
			}
		}
	}
	out := cleanupPreserve(framed, clear)
	copt := compactOptions{compactArrays: true, compactToRelative: true}
	c, err := p.compact(active, "", out, copt)
	if err != nil {
		return nil, err
	}
	c = cleanupNull(c)
	var result map[string]any
	ga, err := p.compactIRI(active, "@graph", nil, true, false, copt)
	if err != nil {
		return nil, err
	}
	switch x := c.(type) {
	case []any:
		if opt.omitGraph && len(x) == 1 {
			if m, ok := x[0].(map[string]any); ok {
				result = m
				break
			}
		}
		result = map[string]any{ga: x}
	case map[string]any:
		if opt.omitGraph {
			result = x
		} else {
			result = map[string]any{ga: []any{x}}
		}
	default:
		result = map[string]any{ga: []any{}}
	}
	if !emptyContext(ctxValue) {
		result["@context"] = ctxValue
	}
	return result, nil
}

// mergeNodeMaps merges the nodes of every graph into one map.
func mergeNodeMaps(nm nodeMap) map[string]map[string]any {
	merged := map[string]map[string]any{}
	var names []string
	for g := range nm {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		for _, id := range sortedNodeIDs(nm[g]) {
			node := nm[g][id]
			m := merged[id]
			if m == nil {
				m = map[string]any{"@id": id}
				merged[id] = m
			}
			for _, prop := range sortedKeys(node) {
				v := node[prop]
				if prop != "@type" && isKeyword(prop) {
					m[prop] = ldClone(v)
					continue
				}
				for _, item := range asArray(v) {
					appendUnique(m, prop, ldClone(item))
				}
			}
		}
	}
	return merged
}

// frameParent is where framed output goes: a top-level list or a
// property of a node.
type frameParent struct {
	list *[]any
	node map[string]any
}

func (fp *frameParent) add(prop string, v any) {
	if fp.node == nil {
		*fp.list = append(*fp.list, v)
		return
	}
	addValue(fp.node, prop, v, true)
}

func frameFlag(frame map[string]any, name string, def any) any {
	if v, ok := frame[name]; ok {
		arr := asArray(v)
		if len(arr) > 0 {
			if m, ok := arr[0].(map[string]any); ok {
				if val, ok := m["@value"]; ok {
					return val
				}
			}
			return arr[0]
		}
	}
	return def
}

func boolFlag(frame map[string]any, name string, def bool) bool {
	switch v := frameFlag(frame, name, def).(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return def
}

func (st *frameState) embedFlag(frame map[string]any) (string, error) {
	v := frameFlag(frame, "@embed", st.opt.embed)
	switch e := v.(type) {
	case bool:
		if e {
			return "@once", nil
		}
		return "@never", nil
	case string:
		switch e {
		case "@always", "@never", "@once":
			return e, nil
		}
	}
	return "", ldErr("invalid @embed value", "%v", v)
}

// validateFrame checks a frame object.
func validateFrame(frame any) (map[string]any, error) {
	arr, isArr := frame.([]any)
	if isArr {
		if len(arr) != 1 {
			return nil, ldErr("invalid frame", "a frame must be one object")
		}
		frame = arr[0]
	}
	m, ok := frame.(map[string]any)
	if !ok {
		return nil, ldErr("invalid frame", "a frame must be an object")
	}
	for _, key := range []string{"@id", "@type"} {
		for _, v := range asArray(m[key]) {
			if m[key] == nil {
				break
			}
			if vm, ok := v.(map[string]any); ok {
				if key == "@type" && len(vm) == 1 {
					if _, ok := vm["@default"]; ok {
						continue
					}
				}
				if len(vm) != 0 {
					return nil, ldErr("invalid frame", "%s pattern %v", key, v)
				}
				continue
			}
			s, isStr := v.(string)
			if isStr && key == "@type" && s == "@json" {
				continue
			}
			if !isStr || !isAbsIRI(s) || isBlankID(s) {
				return nil, ldErr("invalid frame", "%s pattern %v is not an IRI", key, v)
			}
		}
	}
	return m, nil
}

// frameSubjects is the Framing algorithm (Framing 4.1) for the subjects
// ids against frame, adding output to parent under prop.
func (p *ldProc) frameSubjects(st *frameState, ids []string, frameV any, parent *frameParent, prop string) error {
	frame, err := validateFrame(frameV)
	if err != nil {
		return err
	}
	embed, err := st.embedFlag(frame)
	if err != nil {
		return err
	}
	explicit := boolFlag(frame, "@explicit", st.opt.explicit)
	requireAll := boolFlag(frame, "@requireAll", st.opt.requireAll)
	matches, err := p.filterSubjects(st, ids, frame, requireAll)
	if err != nil {
		return err
	}
	for _, id := range matches {
		subject := st.graphMap[st.graph][id]
		if prop == "" {
			st.uniqueEmbeds = map[string]map[string]bool{st.graph: {}}
		} else if st.uniqueEmbeds[st.graph] == nil {
			st.uniqueEmbeds[st.graph] = map[string]bool{}
		}
		output := map[string]any{"@id": id}
		if !st.embedded && st.uniqueEmbeds[st.graph][id] {
			continue
		}
		if st.embedded && (embed == "@never" || st.circular(id)) {
			parent.add(prop, output)
			continue
		}
		if st.embedded && embed == "@once" && st.uniqueEmbeds[st.graph][id] {
			parent.add(prop, output)
			continue
		}
		st.uniqueEmbeds[st.graph][id] = true
		st.subjectStack = append(st.subjectStack, frameStackEntry{id, st.graph})
		if _, isGraph := st.graphMap[id]; isGraph {
			recurse := false
			var sub any
			if gf, ok := frame["@graph"]; ok {
				recurse = id != "@merged" && id != "@default"
				arr := asArray(gf)
				if len(arr) > 0 && isMap(arr[0]) {
					sub = arr[0]
				} else {
					sub = map[string]any{}
				}
			} else {
				recurse = st.graph != "@merged"
				sub = map[string]any{}
			}
			if recurse {
				saved := *st
				st.graph, st.embedded = id, false
				st.subjects = st.graphMap[id]
				err := p.frameSubjects(st, sortedNodeIDs(st.graphMap[id]), []any{sub}, &frameParent{node: output}, "@graph")
				restore := *st
				*st = saved
				st.uniqueEmbeds = restore.uniqueEmbeds
				if err != nil {
					return err
				}
			}
		}
		if inc, ok := frame["@included"]; ok {
			saved := st.embedded
			st.embedded = false
			err := p.frameSubjects(st, ids, inc, &frameParent{node: output}, "@included")
			st.embedded = saved
			if err != nil {
				return err
			}
		}
		for _, key := range sortedKeys(subject) {
			if isKeyword(key) {
				if key == "@type" {
					output[key] = ldClone(subject[key])
				} else if key != "@id" {
					output[key] = ldClone(subject[key])
				}
				continue
			}
			if _, inFrame := frame[key]; explicit && !inFrame {
				continue
			}
			for _, o := range asArray(subject[key]) {
				var sub any
				if fv, ok := frame[key]; ok {
					sub = fv
				} else {
					sub = implicitFrame(embed, explicit, requireAll)
				}
				switch {
				case isListObject(o):
					var listFrame any
					if fa := asArray(frame[key]); frame[key] != nil && len(fa) > 0 {
						if fm, ok := fa[0].(map[string]any); ok {
							if lf, ok := fm["@list"]; ok {
								listFrame = lf
							}
						}
					}
					if listFrame == nil {
						listFrame = implicitFrame(embed, explicit, requireAll)
					}
					list := map[string]any{"@list": []any{}}
					addValue(output, key, list, true)
					for _, oo := range asArray(o.(map[string]any)["@list"]) {
						if isNodeReference(oo) {
							saved := st.embedded
							st.embedded = true
							lp := &frameListParent{list: list}
							err := p.frameSubjects(st, []string{oo.(map[string]any)["@id"].(string)}, listFrame, lp.parent(), "@list")
							st.embedded = saved
							if err != nil {
								return err
							}
						} else {
							list["@list"] = append(list["@list"].([]any), ldClone(oo))
						}
					}
				case isNodeReference(o):
					saved := st.embedded
					st.embedded = true
					err := p.frameSubjects(st, []string{o.(map[string]any)["@id"].(string)}, sub, &frameParent{node: output}, key)
					st.embedded = saved
					if err != nil {
						return err
					}
				default:
					sf, _ := validateFrameLoose(sub)
					if valueMatch(sf, o) {
						addValue(output, key, ldClone(o), true)
					}
				}
			}
		}
		for _, key := range sortedKeys(frame) {
			if key == "@type" {
				fa := asArray(frame[key])
				if len(fa) == 0 {
					continue
				}
				fm, ok := fa[0].(map[string]any)
				if !ok {
					continue
				}
				if _, ok := fm["@default"]; !ok {
					continue
				}
			} else if isKeyword(key) {
				continue
			}
			var next map[string]any
			if fa := asArray(frame[key]); frame[key] != nil && len(fa) > 0 {
				next, _ = fa[0].(map[string]any)
			}
			if next == nil {
				next = map[string]any{}
			}
			omit := boolFlag(next, "@omitDefault", st.opt.omitDefault)
			if _, has := output[key]; !omit && !has {
				var preserve any = "@null"
				if d, ok := next["@default"]; ok {
					preserve = ldClone(d)
				}
				output[key] = []any{map[string]any{"@preserve": asArray(preserve)}}
			}
		}
		if rev, ok := frame["@reverse"].(map[string]any); ok {
			for _, rp := range sortedKeys(rev) {
				sub := rev[rp]
				for _, sid := range sortedNodeIDs(st.subjects) {
					refs := false
					for _, v := range asArray(st.subjects[sid][rp]) {
						if vm, ok := v.(map[string]any); ok && vm["@id"] == id {
							refs = true
						}
					}
					if !refs {
						continue
					}
					rm, _ := output["@reverse"].(map[string]any)
					if rm == nil {
						rm = map[string]any{}
						output["@reverse"] = rm
					}
					if _, ok := rm[rp]; !ok {
						rm[rp] = []any{}
					}
					saved := st.embedded
					st.embedded = true
					err := p.frameSubjects(st, []string{sid}, sub, &frameParent{node: rm}, rp)
					st.embedded = saved
					if err != nil {
						return err
					}
				}
			}
		}
		parent.add(prop, output)
		st.subjectStack = st.subjectStack[:len(st.subjectStack)-1]
	}
	return nil
}

// frameListParent adds framed nodes to a list object.
type frameListParent struct{ list map[string]any }

func (l *frameListParent) parent() *frameParent { return &frameParent{node: l.list} }

func validateFrameLoose(v any) (map[string]any, bool) {
	arr := asArray(v)
	if len(arr) == 0 {
		return map[string]any{}, false
	}
	m, ok := arr[0].(map[string]any)
	if !ok {
		return map[string]any{}, false
	}
	return m, true
}

func implicitFrame(embed string, explicit, requireAll bool) any {
	return []any{map[string]any{"@embed": []any{embed}, "@explicit": []any{explicit}, "@requireAll": []any{requireAll}}}
}

func (st *frameState) circular(id string) bool {
	for i := len(st.subjectStack) - 1; i >= 0; i-- {
		e := st.subjectStack[i]
		if e.graph == st.graph && e.id == id {
			return true
		}
	}
	return false
}

// filterSubjects returns the ids (in order) whose nodes match frame.
func (p *ldProc) filterSubjects(st *frameState, ids []string, frame map[string]any, requireAll bool) ([]string, error) {
	var out []string
	for _, id := range ids {
		node := st.graphMap[st.graph][id]
		if node == nil {
			continue
		}
		ok, err := p.filterSubject(st, node, frame, requireAll)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, id)
		}
	}
	return out, nil
}

func isEmptyMap(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}

// filterSubject reports whether node matches frame.
func (p *ldProc) filterSubject(st *frameState, node, frame map[string]any, requireAll bool) (bool, error) {
	wildcard, matchesSome := true, false
	for _, key := range sortedKeys(frame) {
		matchThis := false
		nodeValues := asArray(node[key])
		if node[key] == nil {
			nodeValues = nil
		}
		frameValues := asArray(frame[key])
		if frame[key] == nil {
			frameValues = nil
		}
		isEmpty := len(frameValues) == 0
		switch {
		case key == "@id":
			if len(frameValues) == 0 || isEmptyMap(frameValues[0]) {
				matchThis = true
			} else {
				for _, f := range frameValues {
					if len(nodeValues) > 0 && f == nodeValues[0] {
						matchThis = true
					}
				}
			}
			if !requireAll {
				return matchThis, nil
			}
		case key == "@type":
			wildcard = false
			switch {
			case isEmpty:
				if len(nodeValues) > 0 {
					return false, nil
				}
				matchThis = true
			case len(frameValues) == 1 && isEmptyMap(frameValues[0]):
				matchThis = len(nodeValues) > 0
			default:
				for _, t := range frameValues {
					if tm, ok := t.(map[string]any); ok {
						if _, ok := tm["@default"]; ok {
							matchThis = true
							continue
						}
					}
					for _, nt := range nodeValues {
						if nt == t {
							matchThis = true
						}
					}
				}
				if !requireAll {
					return matchThis, nil
				}
			}
		case isKeyword(key):
			continue
		default:
			var thisFrame map[string]any
			hasFrame := len(frameValues) > 0
			hasDefault := false
			if hasFrame {
				fm, err := validateFrame(frameValues[0])
				if err != nil {
					return false, err
				}
				thisFrame = fm
				_, hasDefault = fm["@default"]
			}
			wildcard = false
			if len(nodeValues) == 0 && hasDefault {
				continue
			}
			if len(nodeValues) > 0 && isEmpty {
				return false, nil
			}
			if !hasFrame {
				if len(nodeValues) > 0 {
					return false, nil
				}
				matchThis = true
			} else {
				switch {
				case isListObject(thisFrame):
					lf := asArray(thisFrame["@list"])
					if len(lf) > 0 && len(nodeValues) > 0 && isListObject(nodeValues[0]) {
						lv := lf[0]
						for _, item := range asArray(nodeValues[0].(map[string]any)["@list"]) {
							if isValueObject(lv) {
								if valueMatch(lv.(map[string]any), item) {
									matchThis = true
								}
							} else if lm, ok := lv.(map[string]any); ok {
								if m, err := p.nodeMatch(st, lm, item, requireAll); err != nil {
									return false, err
								} else if m {
									matchThis = true
								}
							}
						}
					}
				case isValueObject(thisFrame):
					for _, nv := range nodeValues {
						if valueMatch(thisFrame, nv) {
							matchThis = true
						}
					}
				case isNodeReference(thisFrame):
					for _, nv := range nodeValues {
						m, err := p.nodeMatch(st, thisFrame, nv, requireAll)
						if err != nil {
							return false, err
						}
						if m {
							matchThis = true
						}
					}
				default:
					matchThis = len(nodeValues) > 0
				}
			}
		}
		if !matchThis && requireAll {
			return false, nil
		}
		matchesSome = matchesSome || matchThis
	}
	return wildcard || matchesSome, nil
}

func (p *ldProc) nodeMatch(st *frameState, pattern map[string]any, value any, requireAll bool) (bool, error) {
	vm, ok := value.(map[string]any)
	if !ok {
		return false, nil
	}
	id, ok := vm["@id"].(string)
	if !ok {
		return false, nil
	}
	node := st.subjects[id]
	if node == nil {
		return false, nil
	}
	return p.filterSubject(st, node, pattern, requireAll)
}

// valueMatch matches a value object against a value pattern.
func valueMatch(pattern map[string]any, value any) bool {
	vm, ok := value.(map[string]any)
	if !ok {
		return false
	}
	pv, pt, pl := patternList(pattern, "@value"), patternList(pattern, "@type"), patternList(pattern, "@language")
	if len(pv) == 0 && len(pt) == 0 && len(pl) == 0 {
		return true
	}
	v1, hasV := vm["@value"]
	t1, hasT := vm["@type"]
	l1, hasL := vm["@language"]
	if !(hasV && containsValue(pv, v1) || len(pv) > 0 && isEmptyMap(pv[0])) {
		return false
	}
	if !(!hasT && len(pt) == 0 || hasT && containsValue(pt, t1) || hasT && len(pt) > 0 && isEmptyMap(pt[0])) {
		return false
	}
	if !(!hasL && len(pl) == 0 || hasL && containsLang(pl, l1) || hasL && len(pl) > 0 && isEmptyMap(pl[0])) {
		return false
	}
	return true
}

func patternList(pattern map[string]any, key string) []any {
	v, ok := pattern[key]
	if !ok || v == nil {
		return nil
	}
	return asArray(v)
}

func containsValue(list []any, v any) bool {
	for _, x := range list {
		if ldEqual(x, v) {
			return true
		}
	}
	return false
}

func containsLang(list []any, v any) bool {
	s, _ := v.(string)
	for _, x := range list {
		if xs, ok := x.(string); ok && equalFold(xs, s) {
			return true
		}
	}
	return false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i]|0x20, b[i]|0x20
		if x != y {
			return false
		}
	}
	return true
}

// countBNodes counts the uses of blank node identifiers as @id and @type
// values.
func countBNodes(v any, uses map[string]int) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			countBNodes(e, uses)
		}
	case map[string]any:
		for k, e := range x {
			switch k {
			case "@id", "@type":
				for _, s := range asArray(e) {
					if id, ok := s.(string); ok && isBlankID(id) {
						uses[id]++
					}
				}
				continue
			}
			countBNodes(e, uses)
		}
	}
}

// cleanupPreserve replaces @preserve values by their content and drops
// the @id of blank nodes in clear.
func cleanupPreserve(v any, clear map[string]bool) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			out = append(out, cleanupPreserve(e, clear))
		}
		return out
	case map[string]any:
		if pv, ok := x["@preserve"]; ok {
			arr := asArray(pv)
			if len(arr) == 0 {
				return nil
			}
			return cleanupPreserve(arr[0], clear)
		}
		if isValueObject(x) {
			return x
		}
		if l, ok := x["@list"]; ok {
			x["@list"] = cleanupPreserve(l, clear)
			return x
		}
		for k, e := range x {
			if k == "@id" {
				if s, ok := e.(string); ok && clear[s] {
					delete(x, "@id")
				}
				continue
			}
			x[k] = cleanupPreserve(e, clear)
		}
		return x
	}
	return v
}

// cleanupNull turns "@null" markers into null and drops nulls from
// arrays.
func cleanupNull(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if c := cleanupNull(e); c != nil {
				out = append(out, c)
			}
		}
		return out
	case map[string]any:
		for k, e := range x {
			x[k] = cleanupNull(e)
		}
		return x
	case string:
		if x == "@null" {
			return nil
		}
	}
	return v
}
