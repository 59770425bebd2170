// What a phone downloads, in Debian's Chromium at 360×640: a worker's and a
// supervisor's first visit (sign-in page, code, then the home with its first
// sync, the service worker installing its offline copy) and the worker's
// repeat visit (the home opened again the next time, the offline copy in
// place).
// Bytes are the encoded (compressed) bodies plus headers of every response
// that came over the network, service worker fetches included; what the
// service worker serves from its cache costs nothing and is counted apart.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

import type { BrowserContext, Request } from '@playwright/test';
import { test, expect, hydrated, readyOffline, DEMO } from '../support/fixtures';
import { report } from '../support/measure';

interface Tally {
  /** The large ones (over 50 KB), one line each: who fetched it, size. */
  large: string[];
  requests: number;
  bytes: number;
  fromServiceWorker: number;
  byKind: Record<string, number>;
}

function kindOf(url: string): string {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.js')) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.startsWith('/api/')) return 'api';
  if (/\.(png|svg|webmanifest)$/.test(path)) return 'icons+manifest';
  return 'html';
}

function watch(context: BrowserContext): Tally {
  const tally: Tally = { large: [], requests: 0, bytes: 0, fromServiceWorker: 0, byKind: {} };
  context.on('requestfinished', async (request: Request) => {
    const response = await request.response();
    if (!response) return;
    if (response.fromServiceWorker()) {
      tally.fromServiceWorker++;
      return;
    }
    const sizes = await request.sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    tally.requests++;
    tally.bytes += bytes;
    const kind = kindOf(request.url());
    if (bytes > 50_000) {
      const by = request.serviceWorker() ? 'service worker' : 'page';
      const encoding = (await response.allHeaders())['content-encoding'] ?? 'none';
      tally.large.push(`${kind} by the ${by}: ${kb(bytes)} (${encoding})`);
    }
    tally.byKind[kind] = (tally.byKind[kind] ?? 0) + bytes;
  });
  return tally;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function figures(t: Tally): Record<string, string | number> {
  const out: Record<string, string | number> = {
    transferred: `${t.bytes} bytes (${kb(t.bytes)})`,
    network_requests: t.requests,
    served_by_service_worker: t.fromServiceWorker,
  };
  for (const [k, v] of Object.entries(t.byKind).sort()) out[`  ${k}`] = kb(v);
  t.large.forEach((line, n) => (out[`  large ${n + 1}`] = line));
  return out;
}

test('worker: transfer size of the first visit and of a repeat visit', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const first = watch(context);
  const page = await context.newPage();
  await readyOffline(page, DEMO.firstWorker, DEMO.workerPin);
  await expect(page.locator('[data-card="objectifs"]')).toBeVisible();
  // Let the service worker finish its offline copy before counting.
  await page.waitForTimeout(3000);
  report('worker first visit (sign-in page → code → home, first sync, offline copy)', figures(first));
  await page.close();

  // The next time: a new tab on the home, the session and offline copy kept.
  context.removeAllListeners('requestfinished');
  const repeat = watch(context);
  const again = await context.newPage();
  await again.goto('/');
  await hydrated(again);
  await expect(again.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 20_000 });
  await expect(again.locator('[data-card="objectifs"]')).toBeVisible();
  await again.waitForTimeout(2000);
  report('worker repeat visit (home opened again, synced)', figures(repeat));
  await context.close();
});

test('supervisor: transfer size of the first visit', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const first = watch(context);
  const page = await context.newPage();
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  await expect(page.getByRole('link', { name: 'Pointage du jour' })).toBeVisible();
  // Let the service worker finish its offline copy before counting.
  await page.waitForTimeout(3000);
  report('supervisor first visit (sign-in page → password → home, first sync, offline copy)', figures(first));
  await context.close();
});
