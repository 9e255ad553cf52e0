// Reads innograph's JSON-LD with the npm jsonld processor over HTTP.
// Standard input: {"server", "jobs": [{"name", "url", "method", "body",
// "ops"}]}. Each document is fetched (Accept: application/ld+json), then
// expanded, compacted against the server's context and framed (an empty
// frame under that context), or only the "ops" named, each into N-Quads. The document loader fetches from
// the server only. Standard output: JSON, name -> {"expand", "compact",
// "frame"} or {"error"}.
import jsonld from 'jsonld';

const input = JSON.parse(await new Promise((resolve) => {
  let s = '';
  process.stdin.on('data', (d) => { s += d; });
  process.stdin.on('end', () => resolve(s));
}));
const server = input.server;

async function fetchDoc(url, method = 'GET', body) {
  if (!url.startsWith(server)) throw new Error(`refusing to fetch ${url}: only ${server} is reachable`);
  const headers = { Accept: 'application/ld+json' };
  if (body !== undefined && body !== null) headers['Content-Type'] = 'application/json';
  const resp = await fetch(url, { method, headers, body: body ?? undefined });
  if (!resp.ok) throw new Error(`${method} ${url}: ${resp.status}`);
  return { doc: await resp.json(), final: resp.url };
}

const documentLoader = async (url) => {
  const { doc, final } = await fetchDoc(url);
  return { contextUrl: null, documentUrl: final, document: doc };
};

const ctx = server + '/ontology/context.jsonld';
const nq = { format: 'application/n-quads', documentLoader };
const out = {};
for (const job of input.jobs) {
  try {
    const { doc, final } = await fetchDoc(job.url, job.method || 'GET', job.body);
    const opts = { documentLoader, base: final };
    const ops = job.ops || ['expand', 'compact', 'frame'];
    const res = {};
    if (ops.includes('expand')) res.expand = await jsonld.toRDF(await jsonld.expand(doc, opts), nq);
    if (ops.includes('compact')) res.compact = await jsonld.toRDF(await jsonld.compact(doc, ctx, opts), nq);
    if (ops.includes('frame')) res.frame = await jsonld.toRDF(await jsonld.frame(doc, { '@context': ctx }, opts), nq);
    out[job.name] = res;
  } catch (e) {
    out[job.name] = { error: String(e && e.stack || e) };
  }
}
process.stdout.write(JSON.stringify(out));
