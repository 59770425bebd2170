// The browser code in pieces (cargo leptos build --split): every screen opens
// online and offline once its role's phone has been online, a worker's phone
// never fetches staff screens, and a screen whose piece is not on the phone
// says so in French while the rest of the app goes on.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, hydrated, readyOffline, signIn, DEMO } from '../support/fixtures';

interface Pieces {
  /** role → the files its phone keeps */
  roles: Record<string, string[]>;
  /** screen's piece name → its files */
  screens: Record<string, string[]>;
}

/** The lists the server wrote into this deployment's service worker. */
async function pieces(page: Page): Promise<Pieces> {
  const script = await (await page.request.get('/sw.js')).text();
  const grab = (name: string) => JSON.parse(script.match(new RegExp(`const ${name} = (.*);`))![1]);
  return { roles: grab('PIECES'), screens: grab('SCREENS') };
}

/** The files of `files` this deployment's offline copy does not hold. */
function notKept(page: Page, files: string[]): Promise<string[]> {
  return page.evaluate(async (files) => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('jalon-') && n !== 'jalon-meta')!);
    const missing = [];
    for (const f of files) if (!(await cache.match(f))) missing.push(f);
    return missing;
  }, files);
}

/** Waits until the service worker holds every piece of `role`. */
async function keptFor(page: Page, role: string) {
  const { roles } = await pieces(page);
  expect(roles[role].length, `pieces of ${role}`).toBeGreaterThan(0);
  await expect.poll(() => notKept(page, roles[role]), { timeout: 30_000 }).toEqual([]);
}

/** The first link of a list page whose address matches `pattern`. */
async function firstLink(page: Page, list: string, pattern: RegExp): Promise<string> {
  await page.goto(list);
  await hydrated(page);
  // Lists read from the phone's store fill in after hydration.
  let found: string | undefined;
  await expect
    .poll(async () => {
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      found = hrefs.find((h) => pattern.test(h));
      return found;
    }, { message: `a link like ${pattern} on ${list}` })
    .toBeTruthy();
  return found!;
}

function watchErrors(page: Page, offline: { now: boolean }): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // With no network, a screen that asks the server gets a refused request
    // (the browser reports it); it then shows "Pas de réseau". Not a fault.
    if (offline.now && /Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(m.text())) return;
    errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

/** Opens each address online, then each again offline; every one shows its
 * screen (a title, or offline the "Pas de réseau" notice of a screen that
 * needs the server), never the "not on this phone" notice, and no error. */
async function everyScreen(context: BrowserContext, page: Page, role: string, urls: string[]) {
  const offline = { now: false };
  const errors = watchErrors(page, offline);
  for (const url of urls) {
    await page.goto(url);
    await hydrated(page);
    await expect(page.locator('main h1').first(), `${url} online`).toBeVisible();
    await expect(page.locator('[data-chunk-missing]'), `${url} online`).toHaveCount(0);
  }
  await keptFor(page, role);
  offline.now = true;
  await context.setOffline(true);
  for (const url of urls) {
    await page.goto(url);
    await hydrated(page);
    // A screen drawn from the phone's data shows its title; one that needs
    // the server says "Pas de réseau" — either way its code is here.
    await expect(page.locator('main h1').or(page.getByText('Pas de réseau.')).first(), `${url} offline`).toBeVisible();
    await expect(page.locator('[data-chunk-missing]'), `${url} offline`).toHaveCount(0);
  }
  await context.setOffline(false);
  expect(errors).toEqual([]);
}

test('every staff screen opens online, then offline, with no console error', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  const worker = await firstLink(page, '/salaries', /^\/salaries\/[0-9a-f-]{36}$/);
  // Objectives are listed per person: the first person with one in progress.
  await page.goto('/objectifs');
  await hydrated(page);
  const person = await page.locator('a[href^="/objectifs?salarie="]', { hasText: 'en cours' }).filter({ hasNotText: 'Aucun' }).first().getAttribute('href');
  const objective = await firstLink(page, person!, /^\/objectifs\/[0-9a-f-]{36}$/);
  const plan = await firstLink(page, '/seances/plans', /^\/seances\/plans\/[0-9a-f-]{36}$/);
  const session = await firstLink(page, '/seances', /^\/seances\/[0-9a-f-]{36}$/);
  const framework = await firstLink(page, '/referentiels', /^\/referentiels\/[0-9a-f-]{36}$/);
  await everyScreen(context, page, 'supervisor', [
    '/', '/compte', '/pointage', '/observations', '/observations/nouvelle', '/fil', '/presences',
    '/salaries', worker, '/seances', '/seances/nouvelle', session,
    '/seances/plans', '/seances/plans/nouveau', plan, `${plan}/modifier`, '/progression',
    '/objectifs', '/objectifs/nouveau', objective, `${objective}/modifier`, '/referentiels', framework,
  ]);
  await context.close();
});

test('the admin and the worker screens open online, then offline', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  for (const [login, secret, role, urls] of [
    [DEMO.admin, DEMO.staffPassword, 'admin', ['/admin/comptes', '/admin/equipes', '/admin/journal', '/salaries', '/salaries/nouveau']],
    [DEMO.firstWorker, DEMO.workerPin, 'worker', ['/', '/mes-objectifs', '/mes-reussites', '/mes-presences', '/mes-competences', '/compte']],
  ] as const) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await readyOffline(page, login, secret);
    await everyScreen(context, page, role, [...urls]);
    await context.close();
  }
});

test("a worker's phone never fetches a staff screen", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL });
  const fetched = new Set<string>();
  context.on('request', (r) => fetched.add(new URL(r.url()).pathname));
  const page = await context.newPage();
  await readyOffline(page, DEMO.firstWorker, DEMO.workerPin);
  for (const url of ['/mes-objectifs', '/mes-reussites', '/mes-presences', '/mes-competences', '/compte', '/']) {
    await page.goto(url);
    await hydrated(page);
  }
  await keptFor(page, 'worker');
  const { roles } = await pieces(page);
  const own = new Set(roles.worker);
  const staffOnly = [...new Set([...roles.admin, ...roles.supervisor, ...roles.counsellor])].filter((f) => !own.has(f));
  expect(staffOnly.length, 'there are staff pieces to avoid').toBeGreaterThan(5);
  // The check can fail: the worker's own pieces were fetched.
  expect(roles.worker.filter((f) => fetched.has(f))).toEqual(roles.worker);
  expect(staffOnly.filter((f) => fetched.has(f))).toEqual([]);
  await context.close();
});

test('a screen whose code is not on the phone says so offline; the rest goes on', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  await keptFor(page, 'supervisor');
  // The own piece of the feed (and the attendance report) leaves the phone:
  // out of the offline copy and of the browser's cache, as if the phone had
  // gone offline before keeping it.
  const { screens } = await pieces(page);
  const others = new Set(Object.entries(screens).filter(([k]) => k !== 'follow').flatMap(([, v]) => v));
  const own = screens.follow.filter((f) => !others.has(f));
  expect(own.length).toBeGreaterThan(0);
  await page.evaluate(async (files) => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const f of files) await cache.delete(f);
    }
  }, own);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');

  await context.setOffline(true);
  await page.goto('/fil');
  await hydrated(page);
  const notice = page.locator('[data-chunk-missing]');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Cet écran n'a pas encore été chargé sur ce téléphone");
  await expect(page.locator('.syncbar')).toBeVisible();

  // The rest works: an observation written offline, sent when the network returns.
  await page.getByRole('link', { name: 'Revenir à l\'accueil' }).click();
  await page.goto('/observations/nouvelle');
  await hydrated(page);
  await page.getByLabel('Personne').selectOption({ index: 1 });
  await page.getByLabel('Atout', { exact: true }).check();
  await page.getByLabel('Ce que vous avez vu ou entendu').fill('Très bon geste de taille, expliqué au binôme.');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
  await context.setOffline(false);
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 30_000 });

  // Back online, the feed opens.
  await page.goto('/fil');
  await hydrated(page);
  await expect(page.locator('[data-chunk-missing]')).toHaveCount(0);
  await expect(page.locator('main h1').first()).toBeVisible();
  await context.close();
});

test('while the screens are being kept the bar says so; a network lost half-way keeps what came, the next start fetches the rest', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const { screens } = await pieces(page);
  const lost = screens.follow.find((f) => f.includes('split_follow'))!;
  expect(lost).toBeTruthy();
  // The feed's piece is held, then its fetch fails as if the network dropped.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await context.route(`**${lost}`, async (route) => {
    await held;
    await route.abort('internetdisconnected');
  });
  await signIn(page, DEMO.supervisorA, DEMO.staffPassword);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  const bar = page.locator('.syncbar');
  await expect(bar).toHaveAttribute('data-offline', 'keeping', { timeout: 30_000 });
  await expect(bar).toContainText('Préparation hors ligne…', { timeout: 30_000 });
  release();
  await expect(bar).toHaveAttribute('data-offline', 'incomplete', { timeout: 30_000 });
  await expect(bar).not.toContainText('Préparation hors ligne');
  // What came is kept: the field screens are on the phone, the feed's piece is not.
  expect(await notKept(page, [lost])).toEqual([lost]);
  expect(await notKept(page, screens.field)).toEqual([]);

  await context.unroute(`**${lost}`);
  await page.reload();
  await hydrated(page);
  await expect(bar).toHaveAttribute('data-offline', 'ready', { timeout: 30_000 });
  await keptFor(page, 'supervisor');
  await context.close();
});
