// The SPARQL editor: a query box with examples, sent to /sparql by the
// SPARQL 1.1 Protocol (POST, application/x-www-form-urlencoded). SELECT and
// ASK answers (application/sparql-results+json) become a table with links
// into entity pages; CONSTRUCT and DESCRIBE answers (N-Triples) are drawn
// as a graph. Every result format can be downloaded. ?query= holds the
// query, ?example= names an example.

import { el, href, curie, status, download, parseNQuads, problem } from './common.js';
import { Picture } from './graph.js';

const prologue = `PREFIX ig: <https://w3id.org/innograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
`;

// examples are the queries offered to start from.
const examples = {
  universities: ['Universities and the networks they are members of', `${prologue}
SELECT ?university ?name ?network ?networkName WHERE {
  ?university a ig:University ; rdfs:label ?name ; ig:memberOf ?network .
  ?network rdfs:label ?networkName .
  FILTER(lang(?name) = "en" && lang(?networkName) = "en")
}
ORDER BY ?name ?networkName`],
  funders: ['Funders, what they fund and how much', `${prologue}
SELECT ?funder (SAMPLE(?fn) AS ?funderName) ?award (SAMPLE(?an) AS ?awardName) (SAMPLE(?a) AS ?amount) (SAMPLE(?c) AS ?currency) WHERE {
  ?award a ig:FundingAward ; ig:funder ?funder .
  OPTIONAL { ?award rdfs:label ?an }
  OPTIONAL { ?funder rdfs:label ?fn }
  OPTIONAL { ?award ig:fundingAmount ?m . ?m ig:amount ?a ; ig:currency ?c }
}
GROUP BY ?funder ?award
ORDER BY ?funderName`],
  classes: ['How many entities each class has', `SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE {
  ?s a ?class
}
GROUP BY ?class
ORDER BY DESC(?entities)`],
  members: ['The members of Danish HealthTech, as a graph (CONSTRUCT)', `${prologue}
CONSTRUCT {
  ?member ig:memberOf <https://w3id.org/innograph/id/org/danish-healthtech> .
  ?member rdfs:label ?name . ?member a ?type .
  <https://w3id.org/innograph/id/org/danish-healthtech> rdfs:label "Danish HealthTech"@en .
} WHERE {
  ?member ig:memberOf <https://w3id.org/innograph/id/org/danish-healthtech> ; rdfs:label ?name ; a ?type .
  FILTER(lang(?name) = "en")
}`],
  ask: ['Is Aarhus University a member of anything? (ASK)', `${prologue}
ASK { <https://w3id.org/innograph/id/org/aarhus-university> ig:memberOf ?network }`],
};

const selectFormats = [
  ['JSON', 'application/sparql-results+json', 'json'],
  ['XML', 'application/sparql-results+xml', 'srx'],
  ['CSV', 'text/csv', 'csv'],
  ['TSV', 'text/tab-separated-values', 'tsv'],
];
const graphFormats = [
  ['Turtle', 'text/turtle', 'ttl'],
  ['JSON-LD', 'application/ld+json', 'jsonld'],
  ['N-Triples', 'application/n-triples', 'nt'],
  ['RDF/XML', 'application/rdf+xml', 'rdf'],
  ['N-Quads', 'application/n-quads', 'nq'],
  ['TriG', 'application/trig', 'trig'],
];

export const endpoint = '/sparql';

// runQuery sends text by the protocol asking for accept.
function runQuery(text, accept) {
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: accept },
    body: new URLSearchParams({ query: text }),
  });
}

export async function sparqlEditor(main, params, navigate) {
  document.title = 'SPARQL · innograph explorer';
  const example = examples[params.get('example')] ? params.get('example') : '';
  const text = params.get('query') || (examples[example || 'universities'][1]);
  const box = el('textarea', { id: 'query', name: 'query', rows: 12, spellcheck: 'false', 'aria-describedby': 'query-hint' }, text);
  const picker = el('select', { id: 'example', onchange: () => navigate('/explore/sparql?example=' + picker.value) },
    el('option', { value: '' }, 'Choose an example…'),
    Object.entries(examples).map(([k, [label]]) => el('option', { value: k, selected: k === example }, label)));
  const form = el('form', { class: 'sparql', onsubmit: (ev) => { ev.preventDefault(); navigate('/explore/sparql?query=' + encodeURIComponent(box.value)); } },
    el('p', { class: 'field' }, el('label', { for: 'example' }, 'Examples'), picker),
    el('p', { class: 'field wide' }, el('label', { for: 'query' }, 'Query'), box,
      el('span', { id: 'query-hint', class: 'meta' }, 'SPARQL 1.1; Ctrl+Enter runs it.')),
    el('p', {}, el('button', { type: 'submit' }, 'Run query')));
  box.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) form.requestSubmit(); });
  const region = el('p', { class: 'status', role: 'status' });
  const downloads = el('p', { class: 'downloads' });
  const out = el('div', { class: 'results' });
  main.append(el('h1', {}, 'SPARQL'), form, region, downloads, out);
  if (!params.get('query') && !example) {
    status(region, 'Write a query or choose an example, then run it.');
    return;
  }

  status(region, 'Running…');
  let resp;
  try {
    resp = await runQuery(text, 'application/sparql-results+json, application/n-triples;q=0.9');
  } catch (err) {
    status(region, `The query could not be sent: ${err.message}`, 'error');
    return;
  }
  if (!resp.ok) {
    const err = await problem(resp);
    status(region, resp.status === 404 ? 'This server has no SPARQL endpoint at /sparql.' : `The query failed: ${err.message}`, 'error');
    return;
  }
  const type = (resp.headers.get('Content-Type') || '').split(';')[0].trim();
  const isGraph = type !== 'application/sparql-results+json';
  const body = isGraph ? await resp.text() : await resp.json();
  // ASK answers come as JSON or XML only.
  const formats = isGraph ? graphFormats : typeof body.boolean === 'boolean' ? selectFormats.slice(0, 2) : selectFormats;
  downloads.append('Download: ', ...formats.flatMap(([name, accept, ext], i) => [i ? ' · ' : '',
    el('button', { type: 'button', class: 'link', onclick: () => save(text, accept, ext, region) }, name)]));
  if (isGraph) drawGraph(out, body, region);
  else showTable(out, body, region);
  main.dataset.result = isGraph ? 'graph' : 'table';
}

async function save(text, accept, ext, region) {
  const resp = await runQuery(text, accept);
  if (!resp.ok) {
    status(region, `The download failed: ${(await problem(resp)).message}`, 'error');
    return;
  }
  download('results.' + ext, accept, await resp.blob());
}

// showTable writes SELECT results as a table (ASK as a sentence).
function showTable(out, res, region) {
  if (typeof res.boolean === 'boolean') {
    status(region, 'The answer is ' + (res.boolean ? 'yes.' : 'no.'));
    out.append(el('p', { class: 'ask' }, res.boolean ? 'Yes (true)' : 'No (false)'));
    return;
  }
  const vars = (res.head && res.head.vars) || [];
  const rows = (res.results && res.results.bindings) || [];
  status(region, `${rows.length} row${rows.length === 1 ? '' : 's'}.`);
  out.append(el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Results' },
    el('table', {},
      el('caption', { class: 'visually-hidden' }, `Query results: ${rows.length} rows`),
      el('thead', {}, el('tr', {}, vars.map((v) => el('th', { scope: 'col' }, v)))),
      el('tbody', {}, rows.map((b) => el('tr', {}, vars.map((v) => el('td', {}, cell(b[v])))))))));
}

function cell(t) {
  if (!t) return '';
  if (t.type === 'uri') return el('a', { href: href(t.value), title: t.value }, curie(t.value));
  if (t.type === 'bnode') return '_:' + t.value;
  return [t.value, t['xml:lang'] ? el('span', { class: 'meta' }, ' @' + t['xml:lang']) : null];
}

// drawGraph draws a CONSTRUCT or DESCRIBE answer: IRI-to-IRI statements
// as edges, rdfs:label and rdf:type as the nodes' names and classes.
function drawGraph(out, text, region) {
  const quads = parseNQuads(text);
  const nodes = new Map();
  const edges = [];
  const node = (id) => nodes.get(id) || nodes.set(id, { id, label: '', types: [] }).get(id);
  for (const q of quads) {
    if (q.p === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' && !q.literal) node(q.s).types.push(q.o);
    else if (q.p === 'http://www.w3.org/2000/01/rdf-schema#label' && q.literal) { if (!node(q.s).label || q.lang === 'en') node(q.s).label = q.o; }
    else if (!q.literal) { node(q.s); node(q.o); edges.push({ from: q.s, to: q.o, predicate: q.p, direction: 'out' }); }
  }
  status(region, `${quads.length} statements.`);
  const figure = el('figure');
  out.append(figure);
  const picture = new Picture(figure, { caption: 'The query\'s graph' });
  window.innographPicture = picture;
  picture.add({ nodes: [...nodes.values()], edges });
  picture.layout();
}
