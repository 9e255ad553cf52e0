// Measures an entity page of a running innograph server in Debian's
// chromium (run by cmd/innograph's TestExplorerMeasure, see
// docs/explorer.md):
//
//   node measure.mjs <page URL> <runs> [chromium path]
//
// Each run opens the page in a fresh browser context (nothing cached) and
// reports, in ms from the start of navigation: first contentful paint,
// the neighbourhood answers in (data), the picture laid out and painted
// (drawn), the renderer main thread's CPU time for all of it (cpu, from the
// DevTools protocol's ThreadTime), and the nodes and links drawn. Prints
// one JSON object.

import { chromium } from 'playwright-core';

const [url, runs = '5', exe = '/usr/bin/chromium'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const out = [];
for (let i = 0; i < Number(runs); i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // The renderer's main-thread CPU time, which the machine's load does not
  // inflate as it does wall time.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpu = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])).ThreadTime;
  const cpu0 = await cpu();
  await page.goto(url);
  await page.waitForSelector('#picture[data-ready="true"]', { timeout: 120000 });
  const cpuMS = Math.round(((await cpu()) - cpu0) * 1000);
  out.push(await page.evaluate((cpuMS) => {
    const mark = (n) => (performance.getEntriesByName(n)[0] || {}).startTime;
    const fcp = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
    const p = window.innographPicture;
    return { fcp: fcp && fcp.startTime, data: mark('innograph-data-loaded'), drawn: mark('innograph-picture-drawn'), cpu: cpuMS, nodes: p.cy.nodes().length, links: p.cy.edges().length };
  }, cpuMS));
  await context.close();
}
await browser.close();
const median = (k) => { const v = out.map((r) => r[k]).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
console.log(JSON.stringify({ url, runs: out, median: { fcp: median('fcp'), data: median('data'), drawn: median('drawn'), layoutAndDraw: median('drawn') - median('data'), cpu: median('cpu') } }));
