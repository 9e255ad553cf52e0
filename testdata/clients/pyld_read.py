"""Reads innograph's JSON-LD with pyld over HTTP.

Standard input: {"server": base URL, "jobs": [{"name", "url", "method",
"body", "ops"}]}. For each job the document is fetched (Accept:
application/ld+json) and expanded, compacted against the server's context
and framed (an empty frame under that context), or only the "ops" named,
each turned into N-Quads. pyld's document loader
is one of our own over urllib (Debian's pyld has no HTTP loader without
python3-requests): it fetches remote contexts from the server and refuses
every other host. Standard output: JSON, name -> {"expand", "compact",
"frame"} N-Quads, or {"error"}.
"""
import json
import sys
import urllib.request

from pyld import jsonld

req = json.load(sys.stdin)
server = req["server"]


def fetch(url, method="GET", body=None):
    if not url.startswith(server):
        raise Exception("refusing to fetch %s: only %s is reachable" % (url, server))
    data = body.encode("utf-8") if body is not None else None
    r = urllib.request.Request(url, data=data, method=method, headers={"Accept": "application/ld+json"})
    if data is not None:
        r.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(r) as resp:
        return json.loads(resp.read().decode("utf-8")), resp.geturl()


def loader(url, options=None):
    doc, final = fetch(url)
    return {"contextUrl": None, "documentUrl": final, "document": doc}


ctx = server + "/ontology/context.jsonld"
nq = {"format": "application/n-quads", "documentLoader": loader}
out = {}
for job in req["jobs"]:
    try:
        doc, final = fetch(job["url"], job.get("method", "GET"), job.get("body"))
        opts = {"documentLoader": loader, "base": final}
        res = {}
        ops = job.get("ops") or ["expand", "compact", "frame"]
        if "expand" in ops:
            res["expand"] = jsonld.to_rdf(jsonld.expand(doc, opts), nq)
        if "compact" in ops:
            res["compact"] = jsonld.to_rdf(jsonld.compact(doc, ctx, opts), nq)
        if "frame" in ops:
            res["frame"] = jsonld.to_rdf(jsonld.frame(doc, {"@context": ctx}, opts), nq)
        out[job["name"]] = res
    except Exception as e:
        out[job["name"]] = {"error": "%s: %s" % (type(e).__name__, e)}
json.dump(out, sys.stdout)
