// How soon a field screen answers a tap on a cheap phone, measured on demand:
// Chromium at 360×640 with its CPU slowed four times
// (Emulation.setCPUThrottlingRate), on a repeat visit (the service worker's
// copy in place), online and offline. A run starts at the navigation and ends
// when a tap has visibly changed the screen:
// - the observation form: tap the kind "Frein", its categories appear;
// - the roll call: tap "Présent" on a row, the row shows it.
// The probe taps as soon as the app has taken the page over, from inside the
// page, so the figure holds no test-driver delay. After each roll-call run
// the row is marked absent again (untimed), so the next run has a row to mark.
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, hydrated, readyOffline, DEMO } from '../support/fixtures';
import { report } from '../support/measure';

const RUNS = 7;

interface Probe {
  /** What to tap: a selector, taken once the app holds the page. */
  tap: string;
  /** What shows the tap was taken: a selector; `$who` is the tapped row's name. */
  done: string;
}

const FORM: Probe = { tap: 'label[for="kind-barrier"]', done: 'input[name="category"]' };
const ROLL: Probe = {
  tap: 'li.roll__row .roll__present[aria-pressed="false"]',
  done: 'li.roll__row[data-worker="$who"] .roll__present[aria-pressed="true"]',
};

// Runs in the page from its first script: taps, then records the time
// (performance.now() counts from the navigation's start).
// A tap that lands before the screen listens (a server-rendered button not
// hydrated yet) does nothing, as for a person, who taps again: the probe taps
// again every 25 ms until the screen shows it.
function probe(p: Probe) {
  let who: string | null = null;
  let lastTap = -Infinity;
  const tick = () => {
    const ready = document.body?.dataset.hydrated === 'true';
    if (who !== null && document.querySelector(p.done.replace('$who', who))) {
      (window as unknown as { __interactive: number }).__interactive = performance.now();
      return;
    }
    const target =
      who === null
        ? document.querySelector<HTMLElement>(p.tap)
        : document.querySelector<HTMLElement>(`li[data-worker="${who}"] .roll__present`) ?? document.querySelector<HTMLElement>(p.tap);
    if (ready && target && performance.now() - lastTap >= 25) {
      if (who === null) {
        who = target.closest('li')?.getAttribute('data-worker') ?? '';
        (window as unknown as { __who: string }).__who = who;
      }
      target.click();
      lastTap = performance.now();
    }
    setTimeout(tick, 4);
  };
  tick();
}

async function once(context: BrowserContext, url: string, p: Probe): Promise<number> {
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(probe, p);
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(() => (window as unknown as { __interactive?: number }).__interactive, null, {
    timeout: 60_000,
    polling: 50,
  });
  const ms = (await handle.jsonValue()) as number;
  if (p === ROLL) {
    const who = await page.evaluate(() => (window as unknown as { __who: string }).__who);
    const row = page.locator(`li.roll__row[data-worker="${who}"]`);
    await row.locator('.roll__more').click();
    await row.locator('.roll__panel .button--choice').first().click();
    await expect(row).toHaveClass(/roll__row--absent/);
  }
  await page.close();
  return ms;
}

function figures(samples: number[]): Record<string, string | number> {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    median_ms: sorted[Math.floor(sorted.length / 2)].toFixed(0),
    max_ms: sorted[sorted.length - 1].toFixed(0),
    all_ms: sorted.map((s) => s.toFixed(0)).join(' '),
  };
}

test('supervisor: observation form and roll call answer a tap (4× slower CPU, repeat visit)', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  // One online visit of each screen, as a supervisor's first morning would.
  for (const url of ['/observations/nouvelle', '/pointage']) {
    await page.goto(url);
    await hydrated(page);
  }
  await page.waitForTimeout(3000);
  await page.close();

  for (const offline of [false, true]) {
    await context.setOffline(offline);
    const where = offline ? 'offline' : 'online';
    const form: number[] = [];
    const roll: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      form.push(await once(context, '/observations/nouvelle', FORM));
      roll.push(await once(context, '/pointage', ROLL));
    }
    report(`observation form: navigation → tap "Frein" shows its categories (${where})`, figures(form));
    report(`roll call: navigation → tap "Présent" marks the row (${where})`, figures(roll));
  }
  await context.setOffline(false);
  await context.close();
});
