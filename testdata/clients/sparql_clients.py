"""Ask innograph's SPARQL endpoint with the clients researchers use.

Reads a JSON job from standard input:
  {"endpoint": URL, "token": write token,
   "queries": [{"name": ..., "query": ...}],
   "construct": a CONSTRUCT query,
   "update": an update, "check": a SELECT to run after it}
and prints JSON: the rows each client got for each query (every value as
its N-Triples form, sorted), the triples rdflib read from the CONSTRUCT
answer, the update's status and the check's rows, and what rdflib's
SPARQLUpdateStore reads back after adding and removing a triple.

SPARQLWrapper asks in JSON and in XML; rdflib's SPARQLStore asks as it
does by default (GET, SPARQL results XML; RDF/XML for CONSTRUCT).
"""

import json
import sys

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper


def nt_json(b):
    """A SPARQL JSON results binding in N-Triples form."""
    if b["type"] == "uri":
        return "<%s>" % b["value"]
    if b["type"] == "bnode":
        return "_:" + b["value"]
    return nt(Literal(b["value"], lang=b.get("xml:lang"), datatype=b.get("datatype")))


def nt(term):
    if term is None:
        return "-"
    if isinstance(term, (URIRef, BNode, Literal)):
        return term.n3()
    return str(term)


def rows_json(endpoint, query):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(JSON)
    res = sw.query().convert()
    if "boolean" in res:
        return [str(res["boolean"]).lower()]
    names = res["head"]["vars"]
    return sorted(" ".join(nt_json(b[v]) if v in b else "-" for v in names) for b in res["results"]["bindings"])


def rows_xml(endpoint, query):
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    ns = "http://www.w3.org/2005/sparql-results#"
    booleans = doc.getElementsByTagNameNS(ns, "boolean")
    if booleans:
        return [booleans[0].firstChild.data.strip()]
    names = [v.getAttribute("name") for v in doc.getElementsByTagNameNS(ns, "variable")]
    out = []
    for result in doc.getElementsByTagNameNS(ns, "result"):
        cells = {}
        for b in result.getElementsByTagNameNS(ns, "binding"):
            el = [c for c in b.childNodes if c.nodeType == c.ELEMENT_NODE][0]
            text = el.firstChild.data if el.firstChild else ""
            if el.localName == "uri":
                cells[b.getAttribute("name")] = "<%s>" % text
            elif el.localName == "bnode":
                cells[b.getAttribute("name")] = "_:" + text
            else:
                lang = el.getAttribute("xml:lang") or None
                dt = el.getAttribute("datatype") or None
                cells[b.getAttribute("name")] = nt(Literal(text, lang=lang, datatype=dt))
        out.append(" ".join(cells.get(n, "-") for n in names))
    return sorted(out)


def rows_rdflib(endpoint, query):
    g = Graph(store=SPARQLStore(endpoint))
    res = g.query(query)
    if res.type == "ASK":
        return [str(res.askAnswer).lower()]
    return sorted(" ".join(nt(v) for v in row) for row in res)


def main():
    job = json.load(sys.stdin)
    ep = job["endpoint"]
    out = {"sparqlwrapper-json": {}, "sparqlwrapper-xml": {}, "rdflib": {}}
    for q in job["queries"]:
        out["sparqlwrapper-json"][q["name"]] = rows_json(ep, q["query"])
        out["sparqlwrapper-xml"][q["name"]] = rows_xml(ep, q["query"])
        out["rdflib"][q["name"]] = rows_rdflib(ep, q["query"])

    # CONSTRUCT through rdflib's store: it asks for RDF/XML and parses it.
    g = Graph(store=SPARQLStore(ep))
    res = g.query(job["construct"])
    out["construct"] = sorted("%s %s %s" % (nt(s), nt(p), nt(o)) for s, p, o in res.graph)

    # An update through SPARQLWrapper with a bearer token, then a read.
    sw = SPARQLWrapper(ep, updateEndpoint=ep)
    sw.setMethod(POST)
    sw.addCustomHttpHeader("Authorization", "Bearer " + job["token"])
    sw.setQuery(job["update"])
    r = sw.query()
    out["update_status"] = r.response.status
    out["check"] = rows_json(ep, job["check"])

    # The same update without a token must fail (401) and change nothing.
    sw = SPARQLWrapper(ep, updateEndpoint=ep)
    sw.setMethod(POST)
    sw.setQuery(job["refused"])
    try:
        sw.query()
        out["refused"] = "accepted"
    except Exception as e:  # SPARQLWrapper raises its own errors per status
        out["refused"] = type(e).__name__ + ": " + str(e)[:200]
    out["check_after_refused"] = rows_json(ep, job["check"])
    # rdflib's SPARQLUpdateStore: a graph read and written through the
    # endpoint, the token in a header.
    st = SPARQLUpdateStore(ep, ep, headers={"Authorization": "Bearer " + job["token"]})
    g = Graph(store=st, identifier=URIRef("https://example.org/rdflib"))
    g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("v", lang="en")))
    out["rdflib_update_len"] = len(g)
    out["rdflib_update_triples"] = sorted("%s %s %s" % (nt(s), nt(p), nt(o)) for s, p, o in g)
    g.remove((None, None, None))
    out["rdflib_update_len_after_remove"] = len(g)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
