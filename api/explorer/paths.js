// The path finder: pairs connected from an entity or class to another
// through a third (GET /api/v1/connections), or every shortest path
// between two entities (GET /api/v1/shortest-path). The answer's paths are
// drawn; choosing a pair highlights its paths. Pairs come a page at a time
// (limit, default the API's): "More pairs" asks the API's next page and
// adds it. The state (mode, from, to, through, maxHops, limit, pair) is
// the URL's query.

import { getJSON, el, href, curie, className, shortId, status, debounce, pathAnswer, predicateLabel, edgeTriple } from './common.js';
import { Picture } from './graph.js';

export async function pathFinder(main, params, navigate) {
  const mode = params.get('mode') === 'shortest' ? 'shortest' : 'connections';
  const state = {
    mode,
    from: params.get('from') || '',
    to: params.get('to') || '',
    through: params.get('through') || '',
    maxHops: params.get('maxHops') || '',
    limit: params.get('limit') || '',
    pair: params.get('pair') || '',
  };
  document.title = 'Path finder · innograph explorer';
  const suggestions = el('datalist', { id: 'terms' });
  const field = (name, label, hint) => el('p', { class: 'field' },
    el('label', { for: 'f-' + name }, label),
    el('input', { id: 'f-' + name, name, value: state[name], list: 'terms', autocomplete: 'off', 'aria-describedby': 'f-' + name + '-hint', oninput: suggest }),
    el('span', { id: 'f-' + name + '-hint', class: 'meta' }, hint));
  const modeChoice = (value, label) => el('label', {},
    el('input', { type: 'radio', name: 'mode', value, checked: mode === value, onchange: () => { throughField.hidden = value === 'shortest'; } }), ' ', label);
  const throughField = field('through', 'Through', 'an entity or class every path passes (optional)');
  throughField.hidden = mode === 'shortest';
  const form = el('form', { class: 'finder', onsubmit: submit },
    el('fieldset', {}, el('legend', {}, 'Find'), modeChoice('connections', 'connections (pairs and their paths)'), ' ', modeChoice('shortest', 'shortest paths between two entities')),
    field('from', 'From', 'an entity (org/aarhus-university) or a class (University)'),
    field('to', 'To', 'an entity or a class'),
    throughField,
    el('p', { class: 'field' }, el('label', { for: 'f-maxHops' }, 'Most hops'),
      el('input', { id: 'f-maxHops', name: 'maxHops', type: 'number', min: 1, max: 12, value: state.maxHops, inputmode: 'numeric' })),
    el('p', {}, el('button', { type: 'submit' }, 'Find paths')),
    suggestions);
  const region = el('p', { class: 'status', role: 'status' });
  const downloads = el('p', { class: 'downloads' });
  const pairs = el('ol', { class: 'pairs' });
  const more = el('button', { type: 'button', class: 'more', hidden: true, onclick: () => nextPage() }, 'More pairs');
  const figure = el('figure');
  main.append(el('h1', {}, 'Path finder'), form, region, downloads, figure, el('section', { 'aria-labelledby': 'pairs-h' }, el('h2', { id: 'pairs-h' }, 'Answers'), pairs, el('p', {}, more)));

  // Classes from the statistics, entities from a label search as one types.
  getJSON('/api/v1/stats').then((st) => {
    for (const c of st.classes || []) suggestions.append(el('option', { value: curie(c.class) }, className(c.class)));
  }).catch(() => {});
  const lookup = debounce(async (text) => {
    const page = await getJSON('/api/v1/entities?limit=8&q=' + encodeURIComponent(text)).catch(() => ({ entities: [] }));
    for (const o of suggestions.querySelectorAll('option.entity')) o.remove();
    for (const e of page.entities || []) suggestions.append(el('option', { class: 'entity', value: shortId(e.id) }, e.label));
  }, 250);
  function suggest(ev) {
    const v = ev.target.value.trim();
    if (v.length >= 3 && !v.includes('/') && !v.includes(':')) lookup(v);
  }

  function submit(ev) {
    ev.preventDefault();
    const data = new FormData(form);
    const u = new URLSearchParams();
    if (data.get('mode') === 'shortest') u.set('mode', 'shortest');
    for (const k of ['from', 'to', 'through', 'maxHops']) {
      const v = String(data.get(k) || '').trim();
      if (v && !(k === 'through' && data.get('mode') === 'shortest')) u.set(k, v);
    }
    if (state.limit && data.get('mode') !== 'shortest') u.set('limit', state.limit);
    navigate('/explore/paths?' + u);
  }

  if (!state.from || !state.to) {
    status(region, 'Give a start and an end: an entity by its short form or a class by its name; the suggestions list classes and, as you type a name, entities.');
    return;
  }
  const api = new URL(mode === 'shortest' ? '/api/v1/shortest-path' : '/api/v1/connections', location.origin);
  for (const k of ['from', 'to', 'through', 'maxHops', 'limit']) {
    if (state[k] && !((k === 'through' || k === 'limit') && mode === 'shortest')) api.searchParams.set(k, state[k]);
  }
  status(region, 'Searching…');
  let answer;
  try {
    answer = pathAnswer(await getJSON(api));
  } catch (err) {
    status(region, `No answer: ${err.message}`, 'error');
    return;
  }
  const withFormat = (f) => { const u = new URL(api); u.searchParams.set('format', f); return u.pathname + u.search; };
  downloads.append('Download this answer: ',
    el('a', { href: withFormat('jsonld'), download: 'paths.jsonld', type: 'application/ld+json' }, 'JSON-LD'), ' · ',
    el('a', { href: withFormat('turtle'), download: 'paths.ttl', type: 'text/turtle' }, 'Turtle'), ' · ',
    el('a', { href: api.pathname + api.search, download: 'paths.json', type: 'application/json' }, 'JSON'));

  // Shortest paths are one pair's paths.
  const groups = mode === 'shortest'
    ? (answer.paths.length ? [{ from: answer.paths[0].nodes[0], to: answer.paths[0].nodes.at(-1), paths: answer.paths }] : [])
    : answer.pairs;
  const picture = new Picture(figure, { caption: 'Paths of the answer' });
  window.innographPicture = picture; // for the browser test and measurements
  let next = answer.next;
  const hops = mode === 'shortest' && answer.hops ? `, ${answer.hops} hops each` : '';
  const tell = () => {
    const count = mode === 'shortest' ? `${answer.paths.length} shortest paths${hops}` : `${groups.length} pairs${next ? ', more to come' : ''}`;
    status(region, groups.length ? `${count}. Choose a pair to highlight its paths.` : 'No paths found within the hop limit.');
    more.hidden = !next;
    pairs.dataset.count = String(groups.length);
    main.dataset.pairs = String(groups.length);
  };

  const select = (i, push) => {
    for (const b of pairs.querySelectorAll('button[aria-pressed]')) b.setAttribute('aria-pressed', String(b.dataset.index === String(i)));
    if (i === '') { picture.highlight(); return; }
    const g = groups[Number(i)];
    if (!g) return;
    picture.highlight(g.paths.flatMap((p) => p.nodes.map((n) => n.id)), g.paths.flatMap((p) => p.edges));
    if (push) {
      const u = new URL(location.href);
      u.searchParams.set('pair', i);
      history.replaceState(null, '', u);
    }
  };
  // show draws and lists the groups from index first on.
  const show = (first) => {
    for (const g of groups.slice(first)) for (const p of g.paths) picture.add(p);
    picture.layout();
    pairs.append(...groups.slice(first).map((g, k) => {
      const i = first + k;
      return el('li', {},
        el('button', { type: 'button', class: 'pair', 'aria-pressed': 'false', 'data-index': i, onclick: () => select(String(i), true) },
          `${g.from.label || curie(g.from.id)} → ${g.to.label || curie(g.to.id)}`),
        ' ', el('span', { class: 'meta' }, `${g.paths.length} path${g.paths.length === 1 ? '' : 's'}`),
        el('ul', { class: 'paths' }, g.paths.map((p) => el('li', {}, describePath(p)))));
    }));
    tell();
  };
  // nextPage adds the API's next page of pairs (none after an error).
  async function nextPage() {
    if (!next) return;
    more.disabled = true;
    const u = new URL(api);
    u.searchParams.set('cursor', next);
    try {
      const page = pathAnswer(await getJSON(u));
      const first = groups.length;
      groups.push(...page.pairs);
      next = page.next;
      show(first);
    } catch (err) {
      next = '';
      more.hidden = true;
      status(region, `No next page: ${err.message}`, 'error');
    } finally {
      more.disabled = false;
    }
  }
  show(0);
  // A chosen pair of a later page: fetch the pages up to it.
  while (state.pair !== '' && Number(state.pair) >= groups.length && next) await nextPage();
  if (state.pair !== '') select(state.pair, false);
}

// describePath writes a path as text with links: A —memberOf→ B ←partOf— C.
function describePath(p) {
  const out = [];
  p.nodes.forEach((n, i) => {
    if (i > 0) {
      const e = p.edges[i - 1];
      const forward = edgeTriple(e).s === e.from;
      out.push(forward ? ` —${predicateLabel(e.predicate)}→ ` : ` ←${predicateLabel(e.predicate)}— `);
    }
    out.push(el('a', { href: href(n.id), title: n.id }, n.label || curie(n.id)));
  });
  return out;
}
