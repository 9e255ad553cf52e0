// The graph picture: nodes and edges drawn with cytoscape.js, and the same
// content as lists for keyboards and screen readers (the picture's alt
// text). Views feed it {nodes: [{id, label, types}], edges: [{from, to,
// predicate, direction}]} as the API answers them.

import cytoscape from './vendor/cytoscape-3.35.0.esm.min.mjs';
import { el, href, localName, className, predicateLabel, edgeTriple, curie } from './common.js';

// Each class its colour and shape, so that colour is never the only cue.
// Classes not listed get one from the fallback list by a hash of the name.
const classStyles = {
  Region: ['#1f5f8b', 'hexagon'],
  Country: ['#14365a', 'octagon'],
  MacroRegion: ['#3d7cb0', 'hexagon'],
  City: ['#4a7a5c', 'round-triangle'],
  Municipality: ['#4a7a5c', 'round-triangle'],
  Place: ['#4a7a5c', 'round-triangle'],
  University: ['#c4471f', 'round-rectangle'],
  EducationalInstitution: ['#c4471f', 'round-rectangle'],
  ResearchOrganisation: ['#a8326e', 'round-rectangle'],
  Hospital: ['#b5172d', 'rectangle'],
  BusinessCluster: ['#d08a1e', 'diamond'],
  InnovationNetwork: ['#1c8a80', 'star'],
  Network: ['#1c8a80', 'star'],
  MembershipNetwork: ['#1c8a80', 'star'],
  Partnership: ['#1c8a80', 'vee'],
  Company: ['#6a7385', 'rectangle'],
  Organisation: ['#5a4f9c', 'ellipse'],
  RegionalAuthority: ['#5a4f9c', 'barrel'],
  Ministry: ['#5a4f9c', 'barrel'],
  Funder: ['#7b3fb3', 'pentagon'],
  FundingProgramme: ['#7b3fb3', 'tag'],
  FundingAward: ['#9757d1', 'tag'],
  Initiative: ['#188a5a', 'round-rectangle'],
  Project: ['#188a5a', 'round-rectangle'],
  Strategy: ['#8a6d1c', 'rhomboid'],
  PolicyDocument: ['#8a6d1c', 'rhomboid'],
  Person: ['#c2255c', 'ellipse'],
  SourceDocument: ['#555555', 'barrel'],
  ProfileAnswer: ['#8a8a8a', 'ellipse'],
  Concept: ['#6b8e23', 'round-diamond'],
};
const fallbackColours = ['#7f4f24', '#3a5a40', '#6d597a', '#355070', '#b56576', '#4d908e', '#8f5d00', '#5e548e'];
const fallbackShapes = ['ellipse', 'round-rectangle', 'triangle', 'diamond', 'pentagon', 'hexagon', 'star', 'barrel'];

// styleOf picks the style of a node from its most telling type.
export function styleOf(types) {
  for (const t of types || []) {
    const s = classStyles[localName(t)];
    if (s) return { cls: t, colour: s[0], shape: s[1] };
  }
  const t = (types || [])[0] || '';
  if (!t) return { cls: '', colour: '#777777', shape: 'ellipse' };
  let h = 0;
  for (const ch of t) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return { cls: t, colour: fallbackColours[h % fallbackColours.length], shape: fallbackShapes[(h >> 3) % fallbackShapes.length] };
}

function short(text, n = 32) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}

export function edgeKey(e) {
  const t = edgeTriple(e);
  return `${t.s} ${t.p} ${t.o}`;
}

// Picture draws into figure: a <figure> holding (or given) a canvas div, a
// legend and the lists. onExpand(id) is called when a node is clicked or
// its list entry's button pressed.
export class Picture {
  constructor(figure, { onExpand = null, caption = 'Graph' } = {}) {
    this.figure = figure;
    this.onExpand = onExpand;
    this.caption = caption;
    this.nodes = new Map();
    this.edges = new Map();
    this.sources = new Map(); // edge key -> [source labels]
    this.expanded = new Set();
    figure.classList.add('picture');
    this.canvas = el('div', { class: 'canvas', role: 'img', 'aria-label': caption });
    this.tip = el('div', { class: 'tip', hidden: true, 'aria-hidden': 'true' });
    this.legend = el('ul', { class: 'legend', 'aria-label': 'Legend: classes by colour and shape' });
    this.list = el('div', { class: 'alt' });
    // Zoom by keyboard and on phones, where a wheel is missing.
    const zoom = (f) => this.cy.zoom({ level: this.cy.zoom() * f, renderedPosition: { x: this.cy.width() / 2, y: this.cy.height() / 2 } });
    const tools = el('p', { class: 'tools' },
      el('button', { type: 'button', class: 'small', onclick: () => zoom(1.5) }, 'Zoom in'), ' ',
      el('button', { type: 'button', class: 'small', onclick: () => zoom(1 / 1.5) }, 'Zoom out'), ' ',
      el('button', { type: 'button', class: 'small', onclick: () => this.cy.fit(undefined, 20) }, 'Show all'),
      el('span', { class: 'meta' }, ' Labels appear as you zoom in; drag to pan.'));
    figure.replaceChildren(tools, this.canvas, this.tip, el('figcaption', {}, this.legend, this.list));
    this.cy = cytoscape({
      container: this.canvas,
      style: [
        { selector: 'node', style: {
          'background-color': 'data(colour)', shape: 'data(shape)', label: 'data(short)',
          'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#222',
          'text-background-color': '#fff', 'text-background-opacity': 0.7, width: 22, height: 22, 'min-zoomed-font-size': 7,
        } },
        { selector: 'node.centre', style: { width: 34, height: 34, 'border-width': 3, 'border-color': '#000', 'font-size': 14, 'font-weight': 'bold', 'min-zoomed-font-size': 0, 'z-index': 20 } },
        { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#000' } },
        { selector: 'edge', style: {
          width: 1.5, 'line-color': '#9aa5b1', 'target-arrow-color': '#9aa5b1', 'target-arrow-shape': 'triangle',
          'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: '#444', 'text-rotation': 'autorotate',
          'text-background-color': '#fff', 'text-background-opacity': 0.7, 'min-zoomed-font-size': 9,
        } },
        // Many links: straight lines without labels, drawn far faster.
        { selector: 'edge.fast', style: { 'curve-style': 'haystack', 'haystack-radius': 0, label: '', 'target-arrow-shape': 'none' } },
        { selector: '.dim', style: { opacity: 0.15 } },
        { selector: 'edge.hl', style: { width: 4, 'line-color': '#d62828', 'target-arrow-color': '#d62828', 'z-index': 10 } },
        { selector: 'node.hl', style: { 'border-width': 3, 'border-color': '#d62828', 'z-index': 10 } },
      ],
      wheelSensitivity: 0.3,
      hideEdgesOnViewport: true,
      textureOnViewport: true,
      minZoom: 0.02,
      maxZoom: 4,
    });
    this.cy.on('tap', 'node', (ev) => this.onExpand && this.onExpand(ev.target.id()));
    this.cy.on('mouseover', 'node, edge', (ev) => this.showTip(ev));
    this.cy.on('mouseout', 'node, edge', () => { this.tip.hidden = true; });
  }

  showTip(ev) {
    const d = ev.target.data();
    let text;
    if (ev.target.isNode()) {
      text = `${d.label} (${d.cls ? className(d.cls) : 'no class'})${this.onExpand ? ' — click to show its neighbours' : ''}`;
    } else {
      const src = this.sources.get(d.id);
      text = `${d.label}${src && src.length ? ' — source: ' + src.join('; ') : ''}`;
    }
    this.tip.textContent = text;
    this.tip.style.left = ev.renderedPosition.x + 12 + 'px';
    this.tip.style.top = ev.renderedPosition.y + 12 + 'px';
    this.tip.hidden = false;
  }

  // add merges nodes and edges into the picture and reports how many
  // nodes were new.
  add({ nodes = [], edges = [] }, centre = '') {
    const els = [];
    let fresh = 0;
    // Nodes as a list, or as a table keyed by id.
    const list = Array.isArray(nodes) ? nodes : Object.entries(nodes).map(([id, n]) => ({ id, ...n }));
    for (const n of list) {
      const known = this.nodes.get(n.id);
      if (known) {
        if (!known.label && n.label) known.label = n.label;
        continue;
      }
      const s = styleOf(n.types);
      const label = n.label || curie(n.id);
      this.nodes.set(n.id, { id: n.id, label, types: n.types || [], cls: s.cls });
      els.push({ group: 'nodes', data: { id: n.id, label, short: short(label), colour: s.colour, shape: s.shape, cls: s.cls } });
      fresh++;
    }
    for (const e of edges) {
      const t = edgeTriple(e);
      const id = `${t.s} ${t.p} ${t.o}`;
      if (this.edges.has(id)) continue;
      for (const end of [t.s, t.o]) {
        if (!this.nodes.has(end)) {
          this.nodes.set(end, { id: end, label: curie(end), types: [], cls: '' });
          const s = styleOf([]);
          els.push({ group: 'nodes', data: { id: end, label: curie(end), short: short(curie(end)), colour: s.colour, shape: s.shape, cls: '' } });
          fresh++;
        }
      }
      this.edges.set(id, { id, ...t });
      els.push({ group: 'edges', data: { id, source: t.s, target: t.o, label: predicateLabel(t.p) } });
    }
    this.cy.add(els);
    if (centre) {
      this.centre = centre;
      this.cy.getElementById(centre).addClass('centre');
    }
    return fresh;
  }

  // setSources records the source documents of edges (key -> labels).
  setSources(map) {
    for (const [k, v] of map) this.sources.set(k, v);
  }

  markExpanded(id) {
    this.expanded.add(id);
    this.cy.getElementById(id).addClass('expanded');
  }

  // layout places the nodes and fits the view. Around a centre (an
  // entity page) nodes sit in rings by their distance from it, placed
  // here directly, which stays fast at thousands of nodes; otherwise small
  // pictures (paths) are laid out by force, large ones in rings by degree.
  // Fitting measures every label and edge, so around a centre the view is
  // set from the rings' known extent instead.
  layout() {
    const n = this.cy.nodes().length;
    this.cy.edges().toggleClass('fast', this.cy.edges().length > 400);
    if (this.centre && this.nodes.has(this.centre)) {
      this.rings();
    } else {
      const opts = n <= 150
        ? { name: 'cose', animate: false, nodeRepulsion: () => 40000, idealEdgeLength: () => 110, nodeOverlap: 20, componentSpacing: 80, numIter: 500 }
        : { name: 'concentric', animate: false, minNodeSpacing: 4, concentric: (node) => node.degree(), levelWidth: () => 2 };
      this.cy.layout(opts).run();
      this.cy.fit(undefined, 20);
    }
    this.describe();
  }

  // rings places the centre in the middle and every other node on the
  // ring of its distance from the centre (a breadth-first walk over the
  // links either way), ordered by class so that kinds sit together; nodes
  // the walk does not reach go on an outer ring.
  rings() {
    const next = new Map();
    for (const e of this.edges.values()) {
      if (!next.has(e.s)) next.set(e.s, []);
      if (!next.has(e.o)) next.set(e.o, []);
      next.get(e.s).push(e.o);
      next.get(e.o).push(e.s);
    }
    const depth = new Map([[this.centre, 0]]);
    const rings = [[this.centre]];
    for (let d = 0; d < rings.length; d++) {
      const ring = [];
      for (const id of rings[d]) {
        for (const o of next.get(id) || []) {
          if (!depth.has(o)) { depth.set(o, d + 1); ring.push(o); }
        }
      }
      if (ring.length) rings.push(ring);
    }
    const rest = [...this.nodes.keys()].filter((id) => !depth.has(id));
    if (rest.length) rings.push(rest);
    const pos = new Map();
    let radius = 0;
    rings.forEach((ring, d) => {
      if (d === 0) { pos.set(ring[0], { x: 0, y: 0 }); return; }
      ring.sort((a, b) => (this.nodes.get(a).cls || '').localeCompare(this.nodes.get(b).cls || '') || a.localeCompare(b));
      // Room for each node and its label on a small ring (on a large one
      // labels show only when zoomed in anyway), and at least 120 px
      // between rings.
      const arc = ring.length <= 40 ? 100 : 40;
      radius = Math.max(radius + (d === 1 ? 160 : 120), (ring.length * arc) / (2 * Math.PI));
      ring.forEach((id, i) => {
        const a = (2 * Math.PI * i) / ring.length - Math.PI / 2 + d * 0.3;
        pos.set(id, { x: radius * Math.cos(a), y: radius * Math.sin(a) });
      });
    });
    this.cy.nodes().positions((node) => pos.get(node.id()) || { x: 0, y: 0 });
    const w = this.cy.width() || 800;
    const h = this.cy.height() || 600;
    const zoom = Math.min(2, Math.min(w, h) / (2 * radius + 120));
    this.cy.viewport({ zoom, pan: { x: w / 2, y: h / 2 } });
  }

  // highlight emphasises the given node ids and edges ({from, to,
  // predicate, direction}); nothing given clears it.
  highlight(ids = [], edges = []) {
    this.cy.elements().removeClass('hl dim');
    if (!ids.length && !edges.length) return;
    this.cy.elements().addClass('dim');
    for (const id of ids) this.cy.getElementById(id).removeClass('dim').addClass('hl');
    for (const e of edges) this.cy.getElementById(edgeKey(e)).removeClass('dim').addClass('hl');
  }

  // describe writes the legend and the lists: the picture's content for
  // those who cannot see it, and the keyboard's way to expand a node.
  describe() {
    const classes = new Map();
    for (const n of this.nodes.values()) classes.set(n.cls, styleOf(n.cls ? [n.cls] : []));
    this.legend.replaceChildren(...[...classes].sort((a, b) => className(a[0] || 'Thing').localeCompare(className(b[0] || 'Thing'))).map(([cls, s]) =>
      el('li', {}, el('span', { class: 'swatch', style: `background:${s.colour}`, 'aria-hidden': 'true' }), `${cls ? className(cls) : 'Other'} (${s.shape})`)));
    this.canvas.setAttribute('aria-label', `${this.caption}: ${this.nodes.size} nodes and ${this.edges.size} links, listed below the picture`);
    const byId = this.nodes;
    const nodeItems = [...byId.values()].sort((a, b) => a.label.localeCompare(b.label)).map((n) => el('li', { 'data-id': n.id },
      el('a', { href: href(n.id), title: n.id }, n.label), n.cls ? ` (${className(n.cls)})` : '',
      this.onExpand && !this.expanded.has(n.id)
        ? [' ', el('button', { type: 'button', class: 'small', 'aria-label': `Show the neighbours of ${n.label}`, onclick: () => this.onExpand(n.id) }, 'show neighbours')]
        : null));
    const edgeItems = [...this.edges.values()].map((e) => {
      const src = this.sources.get(e.id);
      return el('li', {}, (byId.get(e.s) || {}).label || e.s, ` — ${predicateLabel(e.p)} → `, (byId.get(e.o) || {}).label || e.o,
        src && src.length ? el('span', { class: 'meta' }, ` (source: ${src.join('; ')})`) : null);
    });
    this.list.replaceChildren(
      el('details', {}, el('summary', {}, `The picture as a list: ${this.nodes.size} nodes, ${this.edges.size} links`),
        el('h3', {}, 'Nodes'), el('ul', { class: 'nodes' }, nodeItems),
        el('h3', {}, 'Links'), el('ul', { class: 'links' }, edgeItems)));
  }
}
