package rdftest

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"testing"
)

// The independent tools, at fixed paths: the Debian packages raptor2-utils,
// python3-rdflib and python3-pyld (not whatever python3 is first on PATH).
const (
	Rapper = "/usr/bin/rapper"
	Python = "/usr/bin/python3"
)

// RequireTool skips the test when the program at path is missing, and
// fails it instead under CI=true, where .ci/run installs every tool.
func RequireTool(tb testing.TB, path string) {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is required under CI: %v", path, err)
		}
		tb.Skipf("%s not installed: %v", path, err)
	}
}

// RequirePython is RequireTool for a module of /usr/bin/python3.
func RequirePython(tb testing.TB, module string) {
	tb.Helper()
	RequireTool(tb, Python)
	if err := exec.Command(Python, "-c", "import "+module).Run(); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("python module %s is required under CI: %v", module, err)
		}
		tb.Skipf("python module %s not available: %v", module, err)
	}
}

// Run feeds in to the command and returns its standard output, failing
// the test with the command's standard error when it exits non-zero.
func Run(tb testing.TB, in io.Reader, name string, args ...string) []byte {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stdin = in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := stderr.Bytes()
		if len(msg) > 4000 {
			msg = msg[:4000]
		}
		tb.Fatalf("%s %v: %v\n%s", name, args, err, msg)
	}
	return out
}

// RapperArgs are the arguments that make rapper read syntax (turtle, trig,
// ntriples, nquads) from standard input against base and print N-Quads.
func RapperArgs(syntax, base string) []string {
	return []string{"-q", "-i", syntax, "-o", "nquads", "-", base}
}

// RDFLibScript, run as python3 -c RDFLibScript FORMAT, parses standard
// input in rdflib's FORMAT (turtle, trig, nt, nquads) and prints N-Quads
// (rdflib 6 has no faithful N-Quads output for the default graph).
const RDFLibScript = `
import sys, rdflib
rdflib.NORMALIZE_LITERALS = False
fmt, default = sys.argv[1], rdflib.URIRef("urn:x-test:default")
d = rdflib.ConjunctiveGraph()
d.parse(data=sys.stdin.buffer.read().decode("utf-8"), format=fmt, publicID=default)
dc = d.default_context.identifier
def nt(v):
    if not isinstance(v, rdflib.Literal):
        return v.n3()
    e = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if v.language:
        return '"%s"@%s' % (e, v.language)
    if v.datatype:
        return '"%s"^^<%s>' % (e, v.datatype)
    return '"%s"' % e
out = sys.stdout
for s, p, o, g in d.quads((None, None, None)):
    gid = getattr(g, "identifier", g)
    label = "" if gid in (dc, default) else " " + nt(gid)
    out.write("%s %s %s%s .\n" % (nt(s), nt(p), nt(o), label))
`

// PyLDScript, run as python3 -c PyLDScript URL FILE, reads JSON-LD from
// standard input and prints its N-Quads, serving the context at URL from
// FILE and refusing every other remote document.
const PyLDScript = `
import sys, json
from pyld import jsonld
url, path = sys.argv[1], sys.argv[2]
ctx = json.load(open(path))
def loader(u, options=None):
    if u != url:
        raise Exception("refusing to load " + u)
    return {"contextUrl": None, "documentUrl": u, "document": ctx}
doc = json.load(sys.stdin)
sys.stdout.write(jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": loader}))
`

// RDFLibBatchScript, run as python3 -c RDFLibBatchScript, reads a JSON
// array of {"id", "format", "data"} documents from standard input, parses
// each with rdflib in its format (turtle, trig, nt, nquads, json-ld) and
// prints, for each, a line "### id" followed by its N-Quads, or a line
// "### id ERROR message": one process for many documents, where starting
// Python for each would take minutes.
const RDFLibBatchScript = `
import sys, json, rdflib
rdflib.NORMALIZE_LITERALS = False
default = rdflib.URIRef("urn:x-test:default")
def nt(v):
    if not isinstance(v, rdflib.Literal):
        return v.n3()
    e = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if v.language:
        return '"%s"@%s' % (e, v.language)
    if v.datatype:
        return '"%s"^^<%s>' % (e, v.datatype)
    return '"%s"' % e
out = sys.stdout
for doc in json.load(sys.stdin):
    try:
        d = rdflib.ConjunctiveGraph()
        d.parse(data=doc["data"], format=doc["format"], publicID=default)
        dc = d.default_context.identifier
        lines = []
        for s, p, o, g in d.quads((None, None, None)):
            gid = getattr(g, "identifier", g)
            label = "" if gid in (dc, default) else " " + nt(gid)
            lines.append("%s %s %s%s .\n" % (nt(s), nt(p), nt(o), label))
        out.write("### %s\n" % doc["id"])
        out.writelines(lines)
    except Exception as ex:
        out.write("### %s ERROR %s\n" % (doc["id"], str(ex).replace("\n", " ")[:300]))
`
