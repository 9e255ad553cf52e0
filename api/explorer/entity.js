// The entity page's picture: the page (/doc/...) is complete without
// JavaScript; this draws the entity's neighbourhood above its tables.
// Clicking a node (or its "show neighbours" button in the list) adds that
// node's neighbourhood; ?expand= in the URL keeps the expanded nodes, so a
// reload or a shared link draws the same picture.

import { getJSON, shortId, href, parseNQuads, status } from './common.js';
import { Picture } from './graph.js';

const section = document.getElementById('picture');
const figure = section && section.querySelector('figure[data-entity]');
if (figure) start(figure);

async function start(figure) {
  const centre = figure.dataset.entity;
  const region = section.querySelector('.status');
  section.hidden = false;
  const sourceLabels = new Map();
  const picture = new Picture(figure, { caption: `Neighbourhood of ${document.title.replace(/ · innograph$/, '')}`, onExpand: expand });
  window.innographPicture = picture; // for the browser test and measurements
  picture.cy.on('dbltap', 'node', (ev) => { location.href = href(ev.target.id()); });

  const url = new URL(location.href);
  const expanded = (url.searchParams.get('expand') || '').split(',').filter(Boolean);

  // ?hops= and ?limit= on the page are passed to the centre's
  // neighbourhood, for a wider picture than the API's default.
  const wide = new URLSearchParams();
  for (const k of ['hops', 'limit']) if (url.searchParams.get(k)) wide.set(k, url.searchParams.get(k));

  async function neighbourhood(id) {
    let base = `/api/v1/entities/${encodeURIComponent(shortId(id)).replace(/%2F/g, '/')}/neighbourhood`;
    if (id === centre && wide.size) base += '?' + wide;
    const [answer, quads] = await Promise.all([
      getJSON(base),
      fetch(base, { headers: { Accept: 'application/n-quads' } }).then((r) => (r.ok ? r.text() : '')).catch(() => ''),
    ]);
    const sources = new Map();
    for (const q of parseNQuads(quads)) {
      if (q.literal || !q.g) continue;
      const k = `${q.s} ${q.p} ${q.o}`;
      const labels = sources.get(k) || [];
      labels.push(sourceLabels.get(q.g) || q.g);
      sources.set(k, labels);
    }
    picture.setSources(sources);
    picture.add(answer, centre);
    picture.markExpanded(id);
    return answer;
  }

  async function expand(id) {
    if (picture.expanded.has(id)) return;
    status(region, 'Loading the neighbours…');
    try {
      const before = picture.nodes.size;
      await neighbourhood(id);
      picture.layout();
      const name = (picture.nodes.get(id) || {}).label || id;
      status(region, `Added ${picture.nodes.size - before} nodes around ${name}.`);
      const u = new URL(location.href);
      const list = [...picture.expanded].filter((x) => x !== centre).map(shortId);
      u.searchParams.set('expand', list.join(','));
      history.replaceState(null, '', u);
    } catch (err) {
      status(region, `Could not load the neighbours: ${err.message}`, 'error');
    }
  }

  try {
    const docs = await getJSON('/api/v1/entities?type=SourceDocument&limit=1000').catch(() => ({ entities: [] }));
    for (const d of docs.entities || []) sourceLabels.set(d.id, d.label);
    await neighbourhood(centre);
    for (const id of expanded) {
      await neighbourhood(id.includes('://') ? id : 'https://w3id.org/innograph/id/' + id).catch(() => {});
    }
    performance.mark('innograph-data-loaded');
    picture.layout();
    // Drawn once the frame after the layout has been painted.
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    performance.mark('innograph-picture-drawn');
    status(region, `${picture.nodes.size} nodes and ${picture.edges.size} links. Click a node (or its button in the list) to show its neighbours; double-click to open its page.`);
    section.dataset.ready = 'true';
  } catch (err) {
    status(region, `Could not draw the neighbourhood: ${err.message}`, 'error');
  }
}
