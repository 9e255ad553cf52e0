// Drives the explorer of a running innograph server (seed graph) in
// Debian's chromium through playwright-core and checks it with axe-core.
// Run by cmd/innograph's TestExplorerBrowser:
//
//   node browser.mjs <server URL> <screenshot dir> [chromium path]
//
// Prints one JSON object: {steps: [{name, ok, skipped, error, ms}]}. A
// failed step saves a screenshot <dir>/<step>.png. Exit status 0 when the
// run itself worked (failed steps are in the report), 2 when it could not
// start.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import path from 'node:path';

const [base, shots, exe = '/usr/bin/chromium'] = process.argv.slice(2);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const steps = [];
let browser;

try {
  browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
} catch (err) {
  console.log(JSON.stringify({ error: `launch ${exe}: ${err.message}` }));
  process.exit(2);
}
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);

// Every console error and every failed request or error status is a
// problem of the step that caused it.
let problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('requestfailed', (r) => {
  // A download link's navigation is aborted by design.
  if (!/net::ERR_ABORTED/.test(r.failure()?.errorText || '')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
});
page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/sparql')) problems.push(`HTTP ${r.status()}: ${r.url()}`); });

async function step(name, fn) {
  const start = Date.now();
  problems = [];
  const rec = { name, ok: true };
  try {
    const res = await fn();
    if (res === 'skip') rec.skipped = true;
    if (problems.length) throw new Error(problems.join('\n'));
  } catch (err) {
    rec.ok = false;
    rec.error = String(err && err.stack ? err.message : err);
    try { await page.screenshot({ path: path.join(shots, name.replace(/\W+/g, '-') + '.png'), fullPage: true }); } catch { /* page gone */ }
  }
  rec.ms = Date.now() - start;
  steps.push(rec);
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// accessible runs axe-core on the page; serious and critical violations fail.
async function accessible() {
  await page.addScriptTag({ path: axePath });
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  check(res.length === 0, 'axe-core: ' + res.join('; '));
}

async function apiJSON(p) {
  const r = await fetch(base + p, { headers: { Accept: 'application/json' } });
  check(r.ok, `GET ${p}: ${r.status}`);
  return r.json();
}

const pictureNodes = () => page.evaluate(() => window.innographPicture ? window.innographPicture.cy.nodes().map((n) => n.id()) : []);

await step('landing page loads', async () => {
  await page.goto(base + '/');
  await page.waitForSelector('main[data-ready="true"]');
  await page.waitForSelector('#classes-h');
  check(await page.locator('h1').first().textContent() === 'innograph explorer', 'no title');
  const stats = await apiJSON('/api/v1/stats');
  const rows = await page.locator('section[aria-labelledby="classes-h"] tbody tr').count();
  check(rows === stats.classes.length, `classes table has ${rows} rows, stats ${stats.classes.length}`);
  const srcRows = await page.locator('section[aria-labelledby="sources-h"] tbody tr').count();
  check(srcRows === stats.graphs.filter((g) => g.graph).length, `sources table has ${srcRows} rows`);
  await accessible();
});

await step('searching tvaerspor opens Tværspor', async () => {
  await page.fill('#q', 'tvaerspor');
  await page.press('#q', 'Enter');
  await page.waitForURL(/\?q=tvaerspor/);
  await page.waitForSelector('main[data-ready="true"]');
  await accessible();
  await page.getByRole('link', { name: 'Tværspor', exact: true }).click();
  await page.waitForURL(/\/doc\/initiative\/tvaerspor$/);
  check((await page.locator('h1').textContent()).trim() === 'Tværspor', 'the page is not Tværspor\'s');
  await page.waitForSelector('#picture[data-ready="true"]');
});

await step('dk04 entity page draws its neighbourhood', async () => {
  const hood = await apiJSON('/api/v1/entities/region/dk04/neighbourhood');
  await page.goto(base + '/doc/region/dk04');
  await page.waitForSelector('#picture[data-ready="true"]');
  const drawn = new Set(await pictureNodes());
  const missing = hood.nodes.filter((n) => !drawn.has(n.id)).map((n) => n.id);
  check(drawn.size >= hood.nodes.length && missing.length === 0, `drawn ${drawn.size} of ${hood.nodes.length} nodes; missing ${missing.slice(0, 5)}`);
  const listed = await page.locator('#picture .alt ul.nodes > li').count();
  check(listed === drawn.size, `the list names ${listed} nodes, the picture ${drawn.size}`);
  check(await page.locator('#sources li').count() > 0, 'no sources');
  // Each link names the source document stating it (shown on hover, and
  // in the list).
  const sourced = await page.evaluate(() => [...window.innographPicture.edges.keys()].filter((k) => (window.innographPicture.sources.get(k) || []).length).length);
  check(sourced === hood.edges.length, `${sourced} of ${hood.edges.length} links have their source document`);
  check(await page.locator('#picture .alt ul.links > li', { hasText: 'source: ' }).count() === sourced, 'the list does not name the links\' sources');
  await accessible();
});

await step('hovering a link names its source document', async () => {
  const pos = await page.evaluate(() => {
    const p = window.innographPicture;
    const e = p.cy.edges().filter((x) => x.target().id() === 'https://w3id.org/innograph/id/region/dk04' || x.source().id() === 'https://w3id.org/innograph/id/region/dk04')[0];
    p.cy.zoom(1.5);
    p.cy.center(e);
    const m = e.renderedMidpoint();
    const box = p.canvas.getBoundingClientRect();
    return { x: box.left + m.x, y: box.top + m.y };
  });
  await page.mouse.move(pos.x, pos.y);
  await page.waitForSelector('#picture .tip:not([hidden])');
  const tip = await page.locator('#picture .tip').textContent();
  check(/source: /.test(tip), `the tip says ${JSON.stringify(tip)}`);
});

let expandedURL = '';
let expandedCount = 0;
await step('clicking a node expands it', async () => {
  const before = (await pictureNodes()).length;
  // The node to click: Denmark (region/dk), a neighbour with neighbours.
  const target = 'https://w3id.org/innograph/id/region/dk';
  const pos = await page.evaluate((id) => {
    const p = window.innographPicture;
    const n = p.cy.getElementById(id);
    p.cy.center(n);
    const r = n.renderedPosition();
    const box = p.canvas.getBoundingClientRect();
    return { x: box.left + r.x, y: box.top + r.y };
  }, target);
  await page.mouse.click(pos.x, pos.y);
  await page.waitForFunction((n) => window.innographPicture.cy.nodes().length > n, before);
  await page.waitForURL(/expand=region%2Fdk|expand=region\/dk/);
  expandedURL = page.url();
  expandedCount = (await pictureNodes()).length;
  check(await page.evaluate((id) => window.innographPicture.expanded.has(id), target), 'not marked expanded');
});

await step('entity page URL reloads to the same picture', async () => {
  check(expandedURL, 'no expanded view to reload');
  await page.goto(expandedURL);
  await page.waitForSelector('#picture[data-ready="true"]');
  const n = (await pictureNodes()).length;
  check(n === expandedCount, `reload drew ${n} nodes, before ${expandedCount}`);
});

await step('keyboard expands a node from the list', async () => {
  await page.goto(base + '/doc/region/dk04');
  await page.waitForSelector('#picture[data-ready="true"]');
  const before = (await pictureNodes()).length;
  await page.locator('#picture summary').focus();
  await page.keyboard.press('Enter');
  const button = page.getByRole('button', { name: 'Show the neighbours of Denmark' });
  await button.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => window.innographPicture.cy.nodes().length > n, before);
});

let pairsURL = '';
await step('canonical question draws all 20 pairs', async () => {
  await page.goto(base + '/');
  await page.waitForSelector('main[data-ready="true"]');
  await page.getByRole('link', { name: /universities connect to which business clusters/ }).click();
  await page.waitForSelector('main[data-pairs]');
  const api = await apiJSON('/api/v1/connections?from=University&to=BusinessCluster&through=org/danish-healthtech');
  const pairs = await page.locator('ol.pairs > li').count();
  check(pairs === 20 && api.pairs.length === 20, `pairs shown ${pairs}, API ${api.pairs.length}`);
  const drawn = new Set(await pictureNodes());
  const want = new Set();
  for (const p of api.pairs) for (const path of p.paths) for (const n of path.nodes) want.add(typeof n === 'string' ? n : n.id);
  const missing = [...want].filter((id) => !drawn.has(id));
  check(missing.length === 0, `nodes of the paths not drawn: ${missing}`);
  await page.locator('button.pair').nth(3).click();
  await page.waitForURL(/pair=3/);
  const lit = await page.evaluate(() => window.innographPicture.cy.elements('.hl').length);
  check(lit > 0, 'choosing a pair highlighted nothing');
  pairsURL = page.url();
  for (const [name, type] of [['JSON-LD', 'application/ld+json'], ['Turtle', 'text/turtle']]) {
    const link = await page.getByRole('link', { name, exact: true }).getAttribute('href');
    const r = await fetch(base + link);
    check(r.ok && (r.headers.get('content-type') || '').startsWith(type), `download ${name}: ${r.status} ${r.headers.get('content-type')}`);
  }
  await accessible();
});

await step('path finder URL reloads to the same view', async () => {
  check(pairsURL, 'no path view to reload');
  await page.goto(pairsURL);
  await page.waitForSelector('main[data-pairs="20"]');
  check(await page.locator('button.pair').nth(3).getAttribute('aria-pressed') === 'true', 'the chosen pair is not chosen after a reload');
  check(await page.inputValue('#f-through') === 'org/danish-healthtech', 'the form lost its through');
});

await step('more pairs pages through the answer', async () => {
  await page.goto(base + '/explore/paths?from=University&to=BusinessCluster&through=org%2Fdanish-healthtech&limit=8');
  await page.waitForSelector('main[data-pairs="8"]');
  const all = await apiJSON('/api/v1/connections?from=University&to=BusinessCluster&through=org/danish-healthtech');
  const more = page.getByRole('button', { name: 'More pairs' });
  check(await more.isVisible(), 'no More pairs button with 8 of 20 pairs shown');
  await more.click();
  await page.waitForSelector('main[data-pairs="16"]');
  await more.click();
  await page.waitForSelector('main[data-pairs="20"]');
  check(await more.isHidden(), 'More pairs still offered after the last page');
  const shown = await page.locator('button.pair').allTextContents();
  check(shown.length === all.pairs.length && new Set(shown).size === shown.length, `pairs shown ${shown.length} (${new Set(shown).size} distinct), API ${all.pairs.length}`);
  const drawn = new Set(await pictureNodes());
  const want = new Set();
  for (const p of all.pairs) for (const path of p.paths) for (const n of path.nodes) want.add(typeof n === 'string' ? n : n.id);
  const missing = [...want].filter((id) => !drawn.has(id));
  check(missing.length === 0, `nodes of the later pages' paths not drawn: ${missing}`);
  await page.locator('button.pair').nth(17).click();
  await page.waitForURL(/pair=17/);
  const lit = await page.evaluate(() => window.innographPicture.cy.elements('.hl').length);
  check(lit > 0, 'choosing a pair of the last page highlighted nothing');
  await accessible();
  await page.reload();
  await page.waitForSelector('main[data-pairs="20"]');
  await page.waitForFunction(() => document.querySelector('button.pair[data-index="17"]')?.getAttribute('aria-pressed') === 'true');
});

await step('shortest paths are drawn', async () => {
  await page.goto(base + '/explore/paths?mode=shortest&from=org%2Faarhus-university&to=region%2Fdeg');
  await page.waitForSelector('main[data-pairs]');
  const api = await apiJSON('/api/v1/shortest-path?from=org/aarhus-university&to=region/deg');
  const shown = await page.locator('ul.paths > li').count();
  check(shown === api.paths.length && shown > 0, `paths shown ${shown}, API ${api.paths.length}`);
});

await step('SPARQL query shows its table', async () => {
  const probe = await fetch(base + '/sparql?query=' + encodeURIComponent('ASK {}'), { headers: { Accept: 'application/sparql-results+json' } });
  if (probe.status === 404) return 'skip';
  await page.goto(base + '/explore/sparql?example=universities');
  await page.waitForSelector('main[data-result]');
  const rows = await page.locator('.results tbody tr').count();
  check(rows > 0, 'no rows');
  check(await page.locator('.results tbody a[href^="/doc/"]').count() > 0, 'no links into entity pages');
  await accessible();
  for (const [name, head] of [['CSV', /^university,name,network,networkName\r?\n/], ['TSV', /^\?university\t\?name/]]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
    const text = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8');
    check(head.test(text), `the ${name} download starts ${JSON.stringify(text.slice(0, 60))}`);
  }
  const q = 'SELECT ?s WHERE { ?s a <https://w3id.org/innograph/ontology#University> } ORDER BY ?s';
  await page.fill('#query', q);
  await page.getByRole('button', { name: 'Run query' }).click();
  await page.waitForURL(/query=/);
  await page.waitForSelector('main[data-result="table"]');
  const n = await page.locator('.results tbody tr').count();
  await page.reload();
  await page.waitForSelector('main[data-result="table"]');
  check(await page.inputValue('#query') === q, 'the query text was not kept by the URL');
  check(await page.locator('.results tbody tr').count() === n, 'reload shows other rows');
  await page.goto(base + '/explore/sparql?example=members');
  await page.waitForSelector('main[data-result="graph"]');
  check((await pictureNodes()).length > 1, 'the CONSTRUCT answer was not drawn');
});

await step('phone width', async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  for (const p of ['/', '/doc/region/dk04', '/explore/paths?from=University&to=BusinessCluster&through=org%2Fdanish-healthtech']) {
    await page.goto(base + p);
    await page.waitForLoadState('networkidle');
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(over <= 1, `${p} is ${over}px wider than the phone`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
});

await browser.close();
console.log(JSON.stringify({ steps }));
