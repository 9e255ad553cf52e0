package rdfio

import "strings"

// iriParts is an IRI reference split into the five components of RFC 3986
// section 3. The has* flags distinguish an empty component from an absent
// one, which resolution needs ("?" keeps an empty query, "" inherits one).
type iriParts struct {
	scheme, auth, path, query, frag string
	hasAuth, hasQuery, hasFrag      bool
}

// iriSchemeLen returns the length of the scheme of s (without the colon), or 0
// when s has none and is therefore a relative reference.
func iriSchemeLen(s string) int {
	if s == "" || !ttlAlpha(s[0]) {
		return 0
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return i
		case ttlAlpha(c) || ttlDigit(c) || c == '+' || c == '-' || c == '.':
		default:
			return 0
		}
	}
	return 0
}

func iriSplit(s string) iriParts {
	var p iriParts
	if n := iriSchemeLen(s); n > 0 {
		p.scheme, s = s[:n], s[n+1:]
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		p.frag, p.hasFrag, s = s[i+1:], true, s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		p.query, p.hasQuery, s = s[i+1:], true, s[:i]
	}
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		i := strings.IndexByte(s, '/')
		if i < 0 {
			i = len(s)
		}
		p.auth, p.hasAuth, s = s[:i], true, s[i:]
	}
	p.path = s
	return p
}

func (p iriParts) String() string {
	var b strings.Builder
	b.Grow(len(p.scheme) + len(p.auth) + len(p.path) + len(p.query) + len(p.frag) + 6)
	if p.scheme != "" {
		b.WriteString(p.scheme)
		b.WriteByte(':')
	}
	if p.hasAuth {
		b.WriteString("//")
		b.WriteString(p.auth)
	}
	b.WriteString(p.path)
	if p.hasQuery {
		b.WriteByte('?')
		b.WriteString(p.query)
	}
	if p.hasFrag {
		b.WriteByte('#')
		b.WriteString(p.frag)
	}
	return b.String()
}

// iriHasDotSegment reports whether path may hold a "." or ".." segment, so
// that the common case skips remove_dot_segments.
func iriHasDotSegment(path string) bool {
	return strings.HasPrefix(path, ".") || strings.Contains(path, "/.")
}

// iriRemoveDots is the algorithm of RFC 3986 section 5.2.4.
func iriRemoveDots(in string) string {
	if !iriHasDotSegment(in) {
		return in
	}
	out := make([]byte, 0, len(in))
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			out = out[:iriLastSlash(out)]
		case in == "/..":
			in = "/"
			out = out[:iriLastSlash(out)]
		case in == "." || in == "..":
			in = ""
		default:
			i := 0
			if in[0] == '/' {
				i = 1
			}
			j := strings.IndexByte(in[i:], '/')
			if j < 0 {
				j = len(in)
			} else {
				j += i
			}
			out = append(out, in[:j]...)
			in = in[j:]
		}
	}
	return string(out)
}

// iriLastSlash returns the index of the last '/' in b, or 0 when there is none
// (removing the last segment of "a" leaves "").
func iriLastSlash(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '/' {
			return i
		}
	}
	return 0
}

// ResolveIRI is the one IRI resolution rule of every reader (Turtle, TriG,
// N-Triples, N-Quads, JSON-LD, and any reader added later): it resolves
// the reference ref against base with the algorithm of RFC 3986 section
// 5.2 (5.2.2 with the merge of 5.2.3 and remove_dot_segments of 5.2.4),
// without any normalisation beyond it: "//" stays, case and
// percent-encoding are kept, and a base whose path is not hierarchical
// (urn:, tag:) is merged like any other.
//
// A reference that has a scheme is an IRI already and is returned exactly
// as written, dot segments included. RDF compares IRIs character by
// character, and N-Triples, N-Quads and JSON-LD (IRI expansion, step 6 of
// JSON-LD 1.1 API section 5.2.2) keep absolute IRIs as they are, so
// rewriting them in Turtle alone would turn one IRI into two nodes
// depending on the upload format, and change an export on re-import.
//
// An empty base leaves ref as it is (a relative reference then stays
// relative; readers decide whether that is an error).
func ResolveIRI(base, ref string) string {
	if iriSchemeLen(ref) > 0 || base == "" {
		return ref
	}
	r, b := iriSplit(ref), iriSplit(base)
	t := iriParts{scheme: b.scheme, frag: r.frag, hasFrag: r.hasFrag}
	switch {
	case r.hasAuth:
		t.auth, t.hasAuth = r.auth, true
		t.path = iriRemoveDots(r.path)
		t.query, t.hasQuery = r.query, r.hasQuery
	case r.path == "":
		t.auth, t.hasAuth = b.auth, b.hasAuth
		t.path = b.path
		if r.hasQuery {
			t.query, t.hasQuery = r.query, true
		} else {
			t.query, t.hasQuery = b.query, b.hasQuery
		}
	default:
		t.auth, t.hasAuth = b.auth, b.hasAuth
		if r.path[0] == '/' {
			t.path = iriRemoveDots(r.path)
		} else {
			t.path = iriRemoveDots(iriMerge(b, r.path))
		}
		t.query, t.hasQuery = r.query, r.hasQuery
	}
	return t.String()
}

// iriMerge is section 5.2.3 of RFC 3986.
func iriMerge(b iriParts, ref string) string {
	if b.hasAuth && b.path == "" {
		return "/" + ref
	}
	i := strings.LastIndexByte(b.path, '/')
	return b.path[:i+1] + ref
}

func ttlAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func ttlDigit(c byte) bool { return c >= '0' && c <= '9' }

// IsAbsoluteIRI reports whether s begins with a scheme.
func IsAbsoluteIRI(s string) bool { return iriSchemeLen(s) > 0 }
