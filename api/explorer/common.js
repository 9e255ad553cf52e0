// Shared helpers of the explorer: fetching the public API, naming terms,
// building DOM nodes. No framework; every view is plain DOM.

// The published base of entity IRIs; entities under it are served at /doc/.
export const idBase = 'https://w3id.org/innograph/id/';
const prefixes = [
  ['ig:', 'https://w3id.org/innograph/ontology#'],
  ['rdf:', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'],
  ['rdfs:', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['skos:', 'http://www.w3.org/2004/02/skos/core#'],
  ['dcterms:', 'http://purl.org/dc/terms/'],
  ['schema:', 'http://schema.org/'],
  ['org:', 'http://www.w3.org/ns/org#'],
  ['prov:', 'http://www.w3.org/ns/prov#'],
  ['foaf:', 'http://xmlns.com/foaf/0.1/'],
];

// ProblemError is a failed API call; its message is the problem body's
// detail when the server sent one.
export class ProblemError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

// getJSON fetches url and parses its JSON body, throwing ProblemError on a
// non-2xx answer.
export async function getJSON(url, init = {}) {
  const headers = { Accept: 'application/json', ...(init.headers || {}) };
  const resp = await fetch(url, { ...init, headers });
  if (!resp.ok) throw await problem(resp);
  return resp.json();
}

// problem reads the problem+json body of a failed response.
export async function problem(resp) {
  let detail = '';
  try {
    const body = await resp.json();
    detail = body.detail || body.title || '';
  } catch { /* not JSON */ }
  return new ProblemError(resp.status, detail);
}

// href is where this server shows iri: /doc/... for entities under the
// published base (or this server's own /id/), the IRI itself otherwise.
export function href(iri) {
  if (iri.startsWith(idBase)) return '/doc/' + iri.slice(idBase.length);
  const own = location.origin + '/id/';
  if (iri.startsWith(own)) return '/doc/' + iri.slice(own.length);
  return iri;
}

// shortId is what the API accepts for iri in a URL: the short form under
// the published base (org/aarhus-university), else the IRI itself.
export function shortId(iri) {
  return iri.startsWith(idBase) ? iri.slice(idBase.length) : iri;
}

// localName is the last segment of an IRI (after # or /).
export function localName(iri) {
  const m = /[#/]([^#/]+)$/.exec(iri);
  return m ? decodeURIComponent(m[1]) : iri;
}

// curie abbreviates iri with the ontology's common prefixes.
export function curie(iri) {
  for (const [p, ns] of prefixes) {
    if (iri.startsWith(ns) && iri.length > ns.length) return p + iri.slice(ns.length);
  }
  return iri;
}

// predicateLabel names a predicate for a picture or a table: its local
// name ("memberOf").
export function predicateLabel(iri) {
  return localName(iri);
}

// className names a class for people: "BusinessCluster" as "Business cluster".
export function className(iri) {
  const n = localName(iri).replace(/([a-z])([A-Z])/g, '$1 $2');
  return n.charAt(0) + n.slice(1).toLowerCase();
}

// el builds an element: el('a', {href: '/x'}, 'text', child...). Attributes
// starting with "on" are listeners; children may be strings, nodes, arrays
// or null.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(e, c);
    else e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// entityLink is a link to the entity page of node {id, label}.
export function entityLink(node) {
  return el('a', { href: href(node.id), title: node.id }, node.label || curie(node.id));
}

// status shows a message in the view's live region (announced by screen
// readers); kind "error" styles it as an error.
export function status(region, text, kind = '') {
  region.textContent = text;
  region.className = 'status' + (kind ? ' ' + kind : '');
}

// debounce delays fn until ms have passed without another call.
export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

// download saves body as a file named name.
export function download(name, type, body) {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// parseNQuads reads the statements of an N-Quads or N-Triples document whose
// subject is an IRI or blank node: {s, p, o, literal, lang, g}. It knows
// exactly the escapes the server writes.
export function parseNQuads(text) {
  const out = [];
  const term = '(<[^>]*>|_:\\S+)';
  const lit = '("(?:[^"\\\\]|\\\\.)*"(?:@[A-Za-z0-9-]+|\\^\\^<[^>]*>)?)';
  const re = new RegExp(`^${term} (<[^>]*>) (${term.slice(1, -1)}|${lit.slice(1, -1)})(?: ${term})? \\.$`);
  for (const line of text.split('\n')) {
    const m = re.exec(line.trim());
    if (!m) continue;
    const q = { s: unIRI(m[1]), p: unIRI(m[2]), g: m[4] ? unIRI(m[4]) : '' };
    if (m[3].startsWith('"')) {
      const lm = /^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$/.exec(m[3]);
      q.literal = true;
      q.o = unescape(lm[1]);
      q.lang = lm[2] || '';
    } else {
      q.o = unIRI(m[3]);
    }
    out.push(q);
  }
  return out;
}

function unIRI(t) {
  return t.startsWith('<') ? t.slice(1, -1) : t;
}

function unescape(s) {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, e) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e;
    }
  });
}

// pathAnswer reads a path answer (connections, shortest paths) into one
// shape whatever the server sends: nodes given inline as {id, label, types},
// or as ids (or bare {id}) completed from the answer's `nodes` table (a
// list, or an object keyed by id); an edge without its ends joins the
// nodes either side of it in its path.
export function pathAnswer(answer) {
  const table = new Map();
  const t = answer.nodes;
  if (Array.isArray(t)) t.forEach((n) => typeof n === 'object' && table.set(n.id, n));
  else if (t && typeof t === 'object') Object.entries(t).forEach(([id, n]) => table.set(id, { id, ...n }));
  const node = (x) => {
    if (typeof x === 'string') return table.get(x) || { id: x, label: '', types: [] };
    return !x.label && !(x.types || []).length && table.has(x.id) ? table.get(x.id) : x;
  };
  const path = (p) => {
    const nodes = (p.nodes || []).map(node);
    const edges = (p.edges || []).map((e, i) => ({ ...e, from: e.from || nodes[i].id, to: e.to || nodes[i + 1].id }));
    return { nodes, edges };
  };
  return {
    pairs: (answer.pairs || []).map((pr) => ({ from: node(pr.from), to: node(pr.to), paths: (pr.paths || []).map(path) })),
    paths: (answer.paths || []).map(path),
    hops: answer.hops,
    next: answer.next || '',
  };
}

// subject and object of an answer's edge: "out" edges point from -> to,
// "in" edges were followed against the statement.
export function edgeTriple(e) {
  return e.direction === 'in' ? { s: e.to, p: e.predicate, o: e.from } : { s: e.from, p: e.predicate, o: e.to };
}
