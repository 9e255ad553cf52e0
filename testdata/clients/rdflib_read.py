"""Reads innograph's RDF with rdflib over HTTP, as a linked-data client does.

Standard input: a JSON list of jobs {"name", "url", "format", "op"}; "op" is
"graph" (Graph().parse(url, format=format), format null meaning rdflib's
default Accept) or "dataset" (ConjunctiveGraph().parse). Standard output: a
JSON object mapping each name to {"nquads": ...} or {"error": ...}. Only the
URLs given are fetched (rdflib's own HTTP client, its own Accept headers);
JSON-LD contexts are fetched by rdflib from the server that sent them.
"""
import json
import sys

import rdflib

rdflib.NORMALIZE_LITERALS = False


def nt(v):
    if not isinstance(v, rdflib.Literal):
        return v.n3()
    e = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if v.language:
        return '"%s"@%s' % (e, v.language)
    if v.datatype:
        return '"%s"^^<%s>' % (e, v.datatype)
    return '"%s"' % e


out = {}
for job in json.load(sys.stdin):
    try:
        lines = []
        if job["op"] == "graph":
            g = rdflib.Graph()
            g.parse(job["url"], format=job["format"])
            for s, p, o in g:
                lines.append("%s %s %s ." % (nt(s), nt(p), nt(o)))
        else:
            d = rdflib.ConjunctiveGraph()
            d.parse(job["url"], format=job["format"])
            # Every quad with its graph; for triple formats rdflib puts the
            # triples in a graph named by the URL, which the caller drops.
            for s, p, o, c in d.quads((None, None, None)):
                gid = getattr(c, "identifier", c)
                lines.append("%s %s %s %s ." % (nt(s), nt(p), nt(o), nt(gid)))
        out[job["name"]] = {"nquads": "\n".join(lines) + "\n"}
    except Exception as e:  # reported per job, so the Go test names it
        out[job["name"]] = {"error": "%s: %s" % (type(e).__name__, e)}
json.dump(out, sys.stdout)
