// The floor of "navigation → a tap visibly answered" on this machine, at 4x
// CPU and 360x640 like end2end/perf/interactive.bench.ts, 7 runs after a first
// visit, each in a new tab:
//   1. a static HTML page whose button answers with an inline onclick (no
//      framework, no wasm): what the browser itself costs;
//   2. the smallest Leptos 0.8 page that hydrates (bench/floor/, served on
//      the address given), if an address is given.
// Usage: node bench/floor.mjs [http://127.0.0.1:3900/]   (bench/floor.sh does it all)
import { chromium } from '../end2end/node_modules/playwright/index.mjs';

const RUNS = 7;
const STATIC = `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Plancher</title></head>
<body><h1>Observation</h1>
<button id="k-Frein" onclick="document.body.insertAdjacentHTML('beforeend','<p class=cats>Catégories</p>')">Frein</button>
<script>document.body.dataset.hydrated = 'true'</script></body></html>`;

// In the page from its first script: once the page says it is live, tap
// "Frein" every 25 ms until its categories show; record the time.
function probe() {
  let last = -Infinity;
  const tick = () => {
    if (document.querySelector('.cats')) {
      window.__answered = performance.now();
      return;
    }
    const live = document.body?.dataset.hydrated === 'true';
    if (live && window.__live === undefined) window.__live = performance.now();
    const button = document.getElementById('k-Frein');
    if (live && button && performance.now() - last >= 25) {
      button.click();
      last = performance.now();
    }
    setTimeout(tick, 4);
  };
  tick();
}

async function measure(browser, url, fulfil) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  if (fulfil) await context.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: STATIC }));
  const warm = await context.newPage();
  await warm.goto(url);
  await warm.waitForSelector('body[data-hydrated="true"]');
  await warm.close();
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.addInitScript(probe);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__answered, null, { polling: 50, timeout: 60_000 });
    rows.push(
      await page.evaluate(() => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        live: window.__live,
        answered: window.__answered,
      })),
    );
    await page.close();
  }
  await context.close();
  const median = (key) => [...rows.map((r) => r[key])].sort((a, b) => a - b)[Math.floor(RUNS / 2)].toFixed(0);
  const max = Math.max(...rows.map((r) => r.answered)).toFixed(0);
  return `first paint ${median('paint')} ms · live ${median('live')} ms · tap answered median ${median('answered')} ms, max ${max} ms`;
}

const browser = await chromium.launch({
  executablePath: process.env.JALON_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
console.log(`static HTML page, inline onclick:     ${await measure(browser, 'http://floor.invalid/', true)}`);
if (process.argv[2]) console.log(`smallest hydrated Leptos 0.8 page:    ${await measure(browser, process.argv[2], false)}`);
await browser.close();
