// oxigraph-queries.js: the Oxigraph side of the SPARQL differential test
// (graph/sparql/oxigraph_test.go). One process answers a whole batch.
//
//   node oxigraph-queries.js < batch.json > answers.jsonl
//
// The batch on stdin is one JSON object:
//
//   {"datasets": {"NAME": [[S, P, O, G], ...], ...},
//    "queries": [{"id": "...", "dataset": "NAME", "form": "SELECT|ASK|CONSTRUCT|DESCRIBE",
//                 "query": "..."}, ...]}
//
// A term is written as in SPARQL JSON results ({"type": "uri"|"bnode"|
// "literal", "value", "xml:lang", "datatype"}); G is null for the default
// graph. Each dataset is added quad by quad to its own in-memory store
// (npm oxigraph, pinned by package-lock.json): unlike Oxigraph's parsers,
// which give every blank node a fresh random name, this keeps blank node
// labels, so answers compare label for label. Queries run on the store's
// own dataset: its default graph (into which the test puts the merge of
// all graphs, innograph's default graph) and its named graphs; the
// use_default_graph_as_union option is not used, as it would match a
// triple stated in two graphs twice. For each query, in order, one JSON
// line goes to stdout:
//
//   {"id", "ms", "body"}   SELECT and ASK: application/sparql-results+json;
//                          CONSTRUCT and DESCRIBE: N-Triples
//   {"id", "ms", "error"}  the message when Oxigraph refuses or fails
"use strict";

const fs = require("fs");
const oxigraph = require("oxigraph");

function term(t) {
  switch (t.type) {
    case "uri":
      return oxigraph.namedNode(t.value);
    case "bnode":
      return oxigraph.blankNode(t.value);
    case "literal":
      if (t["xml:lang"]) return oxigraph.literal(t.value, t["xml:lang"]);
      if (t.datatype) return oxigraph.literal(t.value, oxigraph.namedNode(t.datatype));
      return oxigraph.literal(t.value);
  }
  throw new Error("unknown term type " + t.type);
}

function main() {
  const batch = JSON.parse(fs.readFileSync(0, "utf8"));
  const stores = {};
  for (const [name, quads] of Object.entries(batch.datasets)) {
    const store = new oxigraph.Store();
    for (const [s, p, o, g] of quads) {
      store.add(oxigraph.quad(term(s), term(p), term(o), g ? term(g) : oxigraph.defaultGraph()));
    }
    stores[name] = store;
  }
  const out = [];
  for (const q of batch.queries) {
    const store = stores[q.dataset];
    const line = { id: q.id };
    const start = process.hrtime.bigint();
    try {
      if (!store) throw new Error("no dataset " + q.dataset);
      const graph = q.form === "CONSTRUCT" || q.form === "DESCRIBE";
      line.body = store.query(q.query, {
        results_format: graph ? "application/n-triples" : "application/sparql-results+json",
      });
    } catch (e) {
      line.error = String(e);
    }
    line.ms = Number(process.hrtime.bigint() - start) / 1e6;
    out.push(JSON.stringify(line));
  }
  process.stdout.write(out.join("\n") + "\n");
}

main();
