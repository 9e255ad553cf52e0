// oxigraph-server.js: the Oxigraph side of the peer comparison run by
// cmd/innograph-peers (docs/performance.md, "Peer comparison").
//
//   node oxigraph-server.js FILE.nq
//
// Loads the N-Quads file into an in-memory Oxigraph store (npm oxigraph,
// pinned by package-lock.json), then serves on 127.0.0.1 (a free port):
//
//   POST /sparql   the SPARQL 1.1 protocol's query operation (a form field
//                  "query" or an application/sparql-query body); the default
//                  graph is the union of all graphs; SELECT and ASK answer
//                  application/sparql-results+json, or TSV when the Accept
//                  header names text/tab-separated-values
//   GET  /dump     every quad as N-Quads (the export)
//   GET  /stats    {"quads", "rss", "maxRSS"} of this process, in bytes
//
// When the store is loaded it prints one JSON line to stdout:
// {"port", "loadMs", "quads", "rss", "maxRSS"}. It exits when stdin closes,
// so it never outlives the command that started it.
"use strict";

const fs = require("fs");
const http = require("http");
const oxigraph = require("oxigraph");

function* chunks(path) {
  const fd = fs.openSync(path, "r");
  const buf = Buffer.alloc(1 << 20);
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      // load() reads each chunk before asking for the next one: a copy is
      // only needed because the buffer is reused.
      yield new Uint8Array(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
}

function memory() {
  return { rss: process.memoryUsage().rss, maxRSS: process.resourceUsage().maxRSS * 1024 };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on("data", (c) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function fail(res, status, message) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(message + "\n");
}

async function serve(store, req, res) {
  const url = new URL(req.url, "http://127.0.0.1");
  if (url.pathname === "/stats" && req.method === "GET") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ quads: store.size, ...memory() }));
    return;
  }
  if (url.pathname === "/dump" && req.method === "GET") {
    const body = store.dump({ format: "application/n-quads" });
    res.writeHead(200, { "Content-Type": "application/n-quads" });
    res.end(body);
    return;
  }
  if (url.pathname !== "/sparql") {
    fail(res, 404, "no resource at " + url.pathname);
    return;
  }
  let query = url.searchParams.get("query");
  if (req.method === "POST") {
    const body = await readBody(req);
    const type = (req.headers["content-type"] || "").split(";")[0].trim();
    if (type === "application/sparql-query") {
      query = body;
    } else if (type === "application/x-www-form-urlencoded") {
      query = new URLSearchParams(body).get("query");
    } else {
      fail(res, 415, "send the query as application/sparql-query or a form");
      return;
    }
  }
  if (!query) {
    fail(res, 400, "no query");
    return;
  }
  // JSON unless the client asks for TSV (the full scan does).
  const format = (req.headers.accept || "").includes("text/tab-separated-values")
    ? "text/tab-separated-values"
    : "application/sparql-results+json";
  let answer;
  try {
    answer = store.query(query, {
      use_default_graph_as_union: true,
      results_format: format,
    });
  } catch (e) {
    fail(res, 400, String(e));
    return;
  }
  res.writeHead(200, { "Content-Type": format });
  res.end(answer);
}

function main() {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: node oxigraph-server.js FILE.nq\n");
    process.exit(2);
  }
  const start = process.hrtime.bigint();
  const store = new oxigraph.Store();
  // no_transaction: the bulk path Oxigraph documents for loading a file
  // into an empty store (a syntax error may leave a partial load, which
  // here only fails the run).
  store.load(chunks(file), { format: "application/n-quads", no_transaction: true });
  const loadMs = Number(process.hrtime.bigint() - start) / 1e6;

  const server = http.createServer((req, res) => {
    serve(store, req, res).catch((e) => fail(res, 500, String(e)));
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, "127.0.0.1", () => {
    const line = { port: server.address().port, loadMs, quads: store.size, ...memory() };
    process.stdout.write(JSON.stringify(line) + "\n");
  });
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
}

main();
