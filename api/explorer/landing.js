// The landing page: what the graph holds (from /api/v1/stats), canonical
// questions one click away, and search results (?q= for a label search,
// ?type= for a class's entities).

import { getJSON, el, href, curie, className, entityLink, status } from './common.js';

// Questions a newcomer can ask with one click.
const questions = [
  ['Which universities connect to which business clusters through Danish HealthTech?',
    '/explore/paths?from=University&to=BusinessCluster&through=org%2Fdanish-healthtech'],
  ['What links Aarhus University to Thuringia?', '/explore/paths?mode=shortest&from=org%2Faarhus-university&to=region%2Fdeg'],
  ['Who surrounds the Ministry of Higher Education and Science?', '/doc/org/ministry-of-higher-education-and-science'],
  ['What does the graph say about Central Denmark Region?', '/doc/region/dk04'],
  ['Which funders fund what, and how much? (SPARQL)', '/explore/sparql?example=funders'],
];

export async function landing(main, params, navigate) {
  const q = params.get('q') || '';
  const type = params.get('type') || '';
  if (q || type) return results(main, q, type, params.get('cursor') || '');
  document.title = 'innograph explorer';
  const region = el('p', { class: 'status', role: 'status' });
  main.append(
    el('h1', {}, 'innograph explorer'),
    el('p', {}, 'A knowledge graph of regional health-innovation ecosystems: who is connected to whom, through what, and which source document says so. Search for a name above, follow a question below, or find paths between actors.'),
    el('section', { 'aria-labelledby': 'questions-h' },
      el('h2', { id: 'questions-h' }, 'Questions to start with'),
      el('ul', { class: 'questions' }, questions.map(([text, url]) => el('li', {}, el('a', { href: url }, text))))),
    region,
  );
  let stats;
  try {
    stats = await getJSON('/api/v1/stats');
  } catch (err) {
    status(region, `Could not read the statistics: ${err.message}`, 'error');
    return;
  }
  const docs = await getJSON('/api/v1/entities?type=SourceDocument&limit=1000').catch(() => ({ entities: [] }));
  const titles = new Map((docs.entities || []).map((d) => [d.id, d.label]));
  const fmt = new Intl.NumberFormat('en');
  const graphs = (stats.graphs || []).filter((g) => g.graph);
  main.append(
    el('section', { 'aria-labelledby': 'holds-h' },
      el('h2', { id: 'holds-h' }, 'What the graph holds'),
      el('p', {}, `${fmt.format(stats.quads)} statements (${fmt.format(stats.triples)} distinct triples) about ${fmt.format(stats.subjects)} subjects, from ${graphs.length} source documents. `,
        lastChange(stats)),
      el('div', { class: 'columns' },
        el('section', { 'aria-labelledby': 'sources-h' },
          el('h3', { id: 'sources-h' }, 'Source documents'),
          table(['source document', 'statements'], graphs.map((g) => [
            el('a', { href: href(g.graph), title: g.graph }, titles.get(g.graph) || curie(g.graph)), fmt.format(g.quads)]))),
        el('section', { 'aria-labelledby': 'classes-h' },
          el('h3', { id: 'classes-h' }, 'Entities per class'),
          table(['class', 'entities'], (stats.classes || []).map((c) => [
            el('a', { href: '/?type=' + encodeURIComponent(curie(c.class)), title: c.class }, className(c.class)), fmt.format(c.entities)])))),
    ),
  );
}

// lastChange says when a write through this server last changed the graph.
function lastChange(stats) {
  const t = stats.lastChange;
  if (!t) return 'No write has changed it since the server started.';
  return `Last change: ${new Date(t).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}.`;
}

function table(heads, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, heads.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c, i) => el('td', { class: i ? 'num' : '' }, c))))));
}

// results lists the entities matching a label search or of a class.
async function results(main, q, type, cursor) {
  const title = q ? `Search: ${q}` : `Entities of class ${className(type)}`;
  document.title = `${title} · innograph explorer`;
  const region = el('p', { class: 'status', role: 'status' });
  const list = el('ul', { class: 'results' });
  main.append(el('h1', {}, title), region, list);
  const url = new URL('/api/v1/entities', location.origin);
  if (q) url.searchParams.set('q', q);
  if (type) url.searchParams.set('type', type);
  url.searchParams.set('limit', '50');
  if (cursor) url.searchParams.set('cursor', cursor);
  let page;
  try {
    page = await getJSON(url);
  } catch (err) {
    status(region, `The search failed: ${err.message}`, 'error');
    return;
  }
  const found = page.entities || [];
  status(region, found.length ? `${found.length}${page.next ? '+' : ''} found.` : 'Nothing found. Case and diacritics are ignored: "tvaerspor" finds Tværspor.');
  list.append(...found.map((e) => el('li', {}, entityLink(e), e.types && e.types.length ? el('span', { class: 'meta' }, ' ' + e.types.map(className).join(', ')) : null)));
  if (page.next) {
    const next = new URL(location.href);
    next.searchParams.set('cursor', page.next);
    main.append(el('p', {}, el('a', { href: next.pathname + next.search }, 'More results')));
  }
}
