// Offline first, in a real Chromium: the service worker opens the app with
// no network, observations are written to IndexedDB, and the sync delivers
// each of them to the server exactly once.
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { test, expect, hydrated, signIn, readyOffline, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon } from '../support/server';
import { readStore, storeCount } from '../support/phone';

async function writeObservation(page: Page, worker: string, kind: string, text: string, category?: string) {
  await page.goto('/observations/nouvelle');
  await hydrated(page);
  await page.getByLabel('Personne').selectOption({ label: worker });
  await page.getByLabel(kind, { exact: true }).check();
  if (category) await page.getByLabel(category, { exact: true }).check();
  await page.getByLabel('Ce que vous avez vu ou entendu').fill(text);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
}

/** The observations whose text contains `marker`, as a counsellor's session sees them on the server. */
async function onServer(browser: Browser, baseURL: string, marker: string): Promise<string[]> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, DEMO.counsellor, DEMO.staffPassword);
  await expect(page).toHaveURL(/\/$/);
  const bodies: string[] = [];
  let cursor = 0;
  for (;;) {
    const res = await page.request.post('/api/sync/v1/pull', { data: { cursor, scope: '', roster: '' } });
    expect(res.status()).toBe(200);
    const json = await res.json();
    for (const r of json.records) if (r.record_type === 'observation' && !r.deleted && r.data.body.includes(marker)) bodies.push(r.data.body);
    cursor = json.cursor;
    if (!json.more) break;
  }
  await context.close();
  return bodies;
}

test('twenty observations written offline, across reloads, reach the server once', async ({ page, context, browser, jalon }) => {
  test.setTimeout(180_000);
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);

  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('body')).toHaveAttribute('data-rendered', 'offline');
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'offline');
  // The home needs the server: it says so and offers what works offline.
  await expect(page.getByText('Pas de réseau.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Nouvelle observation' })).toBeVisible();

  const marker = `hors-ligne-${Date.now()}`;
  for (let i = 1; i <= 20; i++) {
    await writeObservation(page, 'Amina Diallo — Espaces verts – équipe A', 'Compétence métier', `${marker} n°${i} : taille de haie soignée`);
  }
  await page.reload();
  await hydrated(page);
  const mine = page.locator('.observation', { hasText: marker });
  await expect(mine).toHaveCount(20);
  await expect(mine.locator('.chip', { hasText: 'Sur ce téléphone uniquement' })).toHaveCount(20);
  await expect(page.locator('.syncbar')).toContainText('Hors ligne · 20 en attente');

  await context.setOffline(false);
  await expect(mine.locator('.chip', { hasText: 'Envoyée' })).toHaveCount(20, { timeout: 30_000 });
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok');
  const server = await onServer(browser, jalon.url, marker);
  expect(server).toHaveLength(20);
  expect(new Set(server).size).toBe(20);
});

test('a page killed in the middle of a sync leaves no duplicate', async ({ context, browser, jalon }) => {
  test.setTimeout(120_000);
  const page = await context.newPage();
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  const marker = `coupure-${Date.now()}`;
  for (let i = 1; i <= 5; i++) {
    await writeObservation(page, 'Kevin Lefort — Espaces verts – équipe A', 'Comportement', `${marker} n°${i}`, 'Autonomie');
  }
  // The push reaches the server and is applied, then the page dies before
  // the answer arrives: the phone never learns that it was received.
  let pushes = 0;
  await context.route('**/api/sync/v1/push', async (route) => {
    pushes += 1;
    const response = await route.fetch();
    expect(response.status()).toBe(200);
    await page.close();
    await route.abort().catch(() => {});
  });
  await context.setOffline(false);
  await expect.poll(() => page.isClosed(), { timeout: 30_000 }).toBe(true);
  expect(pushes).toBe(1);
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  expect(await onServer(browser, jalon.url, marker)).toHaveLength(5);

  // The phone opens again, still believing the five are waiting, and sends them again.
  const again = await context.newPage();
  await again.goto('/observations');
  await hydrated(again);
  const mine = again.locator('.observation', { hasText: marker });
  await expect(mine.locator('.chip', { hasText: 'Envoyée' })).toHaveCount(5, { timeout: 30_000 });
  const server = await onServer(browser, jalon.url, marker);
  expect(server).toHaveLength(5);
  expect(new Set(server).size).toBe(5);
});

test('each person gets only what they may see, and reads it offline', async ({ browser, jalon }) => {
  test.setTimeout(120_000);
  const marker = `equipe-${Date.now()}`;
  const a = await browser.newContext({ baseURL: jalon.url });
  const pageA = await a.newPage();
  await readyOffline(pageA, DEMO.supervisorA, DEMO.staffPassword);
  await writeObservation(pageA, 'Amina Diallo — Espaces verts – équipe A', 'Atout', `${marker} <script>alert("x")</script> l'équipe`);
  await expect(pageA.locator('.observation', { hasText: marker }).locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });

  // Supervisor B (another team) never receives it; the counsellor does, and can read it offline.
  const b = await browser.newContext({ baseURL: jalon.url });
  const pageB = await b.newPage();
  await readyOffline(pageB, DEMO.supervisorB, DEMO.staffPassword);
  await pageB.goto('/observations');
  await hydrated(pageB);
  await expect(pageB.locator('.observation', { hasText: marker })).toHaveCount(0);
  // Team B: its eight workers and the newcomer of the week, Inès Garnier.
  expect(await storeCount(pageB, 'workers')).toBe(9);

  const c = await browser.newContext({ baseURL: jalon.url });
  const pageC = await c.newPage();
  await readyOffline(pageC, DEMO.counsellor, DEMO.staffPassword);
  await c.setOffline(true);
  await pageC.goto('/observations');
  await hydrated(pageC);
  const seen = pageC.locator('.observation', { hasText: marker });
  await expect(seen).toHaveCount(1);
  await expect(seen).toContainText(`<script>alert("x")</script> l'équipe`);
  await expect(seen).toContainText('Amina Diallo');
  await Promise.all([a.close(), b.close(), c.close()]);
});

test('signing out is refused while records wait, and wipes the phone after', async ({ page, context }) => {
  test.setTimeout(120_000);
  await readyOffline(page, DEMO.supervisorB, DEMO.staffPassword);
  await context.setOffline(true);
  await writeObservation(page, 'Yasmine Haddad — Second œuvre – équipe B', 'Frein', 'Transport : bus supprimé le matin', 'Mobilité');
  await page.goto('/compte');
  await hydrated(page);
  await expect(page.getByText('Vous ne pouvez pas encore vous déconnecter.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toHaveCount(0);

  await context.setOffline(false);
  await page.getByRole('button', { name: 'Synchroniser' }).first().click();
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  for (const store of ['observation', 'outbox', 'workers', 'meta']) {
    expect(await storeCount(page, store), store).toBe(0);
  }
});

/** A UUIDv7, as the phone makes them. */
function uuidv7(): string {
  const hex = Date.now().toString(16).padStart(12, '0');
  const rand = Array.from({ length: 20 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rand.slice(0, 3)}-8${rand.slice(3, 6)}-${rand.slice(6, 18)}`;
}

/** An observation waiting in the outbox, in the stored layout of the phone. */
function waitingObservation(workerId: string, body: string, queuedAt: string) {
  const id = uuidv7();
  const data = { worker_id: workerId, observed_on: new Date().toISOString().slice(0, 10), kind: 'incident', body };
  return {
    key: `observation/${id}`,
    id,
    record: {
      record_type: 'observation', id, worker_id: workerId, data, version: 0, deleted: false,
      state: { state: 'local' }, author_id: '', author_name: 'Julien Morel', updated_at: queuedAt, conflicts: [],
    },
    entry: {
      mutation: { id: uuidv7(), record_type: 'observation', schema: 1, record_id: id, op: 'create', base_version: 0, data },
      queued_at: queuedAt, attempts: 0, rejected: null,
    },
  };
}

async function workerIdOf(page: Page, name: string): Promise<string> {
  const all = await readStore<{ id: string; first_name: string; last_name: string }[]>(page, 'workers', 'all');
  const worker = all.find((w) => `${w.first_name} ${w.last_name}` === name);
  if (!worker) throw new Error(`no worker ${name} on the phone`);
  return worker.id;
}

test('a phone with the first store layout is upgraded and keeps what waited', async ({ browser, jalon }) => {
  // Learn a worker's id from a phone that synced once.
  const first = await browser.newContext({ baseURL: jalon.url });
  const setup = await first.newPage();
  await readyOffline(setup, DEMO.supervisorA, DEMO.staffPassword);
  const workerId = await workerIdOf(setup, 'Fatou Camara');
  await first.close();

  // Another phone still holds layout 1 (no worker list) with a record not yet sent.
  const context = await browser.newContext({ baseURL: jalon.url });
  const page = await context.newPage();
  await page.goto('/connexion');
  await hydrated(page);
  const marker = `ancienne-version-${Date.now()}`;
  const waiting = waitingObservation(workerId, `${marker} : gants oubliés`, new Date().toISOString());
  await page.evaluate((w) => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('jalon', 1);
    open.onupgradeneeded = () => {
      for (const name of ['meta', 'outbox', 'observation']) open.result.createObjectStore(name);
    };
    open.onsuccess = () => {
      const tx = open.result.transaction(['outbox', 'observation'], 'readwrite');
      tx.objectStore('outbox').put(w.entry, w.key);
      tx.objectStore('observation').put(w.record, w.id);
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), waiting);

  await signIn(page, DEMO.supervisorA, DEMO.staffPassword);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/observations');
  await hydrated(page);
  const mine = page.locator('.observation', { hasText: marker });
  await expect(mine.locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });
  const layout = await page.evaluate(() => new Promise<[number, string[]]>((resolve) => {
    const open = indexedDB.open('jalon');
    open.onsuccess = () => resolve([open.result.version, Array.from(open.result.objectStoreNames).sort()]);
  }));
  expect(layout).toEqual([6, [
    'attendance', 'briefing', 'equipment', 'equipment_receipt', 'evaluation', 'meta', 'objective',
    'objective_reaction', 'observation', 'outbox', 'welcome_step', 'workers',
  ]]);
  await context.close();
});

test('records waiting for more than three days raise a warning', async ({ page, context }) => {
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  const workerId = await workerIdOf(page, 'Mehdi Bouzid');
  await context.setOffline(true);
  const fourDaysAgo = new Date(Date.now() - 4 * 24 * 3600 * 1000).toISOString();
  const old = waitingObservation(workerId, `ancienne-${Date.now()}`, fourDaysAgo);
  await page.evaluate((w) => new Promise<void>((resolve) => {
    const open = indexedDB.open('jalon');
    open.onsuccess = () => {
      const tx = open.result.transaction(['outbox', 'observation'], 'readwrite');
      tx.objectStore('outbox').put(w.entry, w.key);
      tx.objectStore('observation').put(w.record, w.id);
      tx.oncomplete = () => resolve();
    };
  }), old);
  await page.reload();
  await hydrated(page);
  await expect(page.getByText('Des enregistrements attendent depuis plus de 3 jours')).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByText('Des enregistrements attendent depuis plus de 3 jours')).toBeHidden({ timeout: 20_000 });
});

test('Jalon is installable: manifest, icons and a service worker', async ({ page, request }) => {
  await page.goto('/connexion');
  await hydrated(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ short_name: 'Jalon', display: 'standalone', lang: 'fr', start_url: '/', theme_color: '#0b5d5b' });
  const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  for (const icon of manifest.icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
  }
  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  const script = await sw.text();
  expect(script).not.toContain('__JALON_');
  const scripts = await page.locator('link[rel="modulepreload"], link[rel="preload"], link[rel="stylesheet"]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('href')).filter((u) => u && u.includes('/pkg/')),
  );
  expect(scripts.length).toBeGreaterThanOrEqual(3);
  for (const file of scripts) expect(script, `the worker caches ${file}`).toContain(file!);
});

test('a new deployment is offered, then loaded whole', async ({ browser }) => {
  test.setTimeout(120_000);
  const dataDir = freshDataDir();
  const before = await startJalon({ dataDir, env: { JALON_BUILD_TAG: 'version-1' } });
  const addr = before.url.replace('http://', '');
  const context = await browser.newContext({ baseURL: before.url });
  const page = await context.newPage();
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  // This deployment's caches (the one-word note of the last role aside).
  const cacheNames = () => page.evaluate(() => caches.keys().then((ks) => ks.filter((k) => k !== 'jalon-meta')));
  const [oldCache] = await cacheNames();
  expect(oldCache).toMatch(/^jalon-/);

  // The same address now serves another deployment.
  await before.stop();
  const after = await startJalon({ dataDir, args: ['--addr', addr], env: { JALON_BUILD_TAG: 'version-2' } });
  try {
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const banner = page.getByRole('button', { name: 'Nouvelle version disponible — recharger' });
    await expect(banner).toBeVisible({ timeout: 20_000 });
    // Nothing changes under the person's feet until they tap it.
    expect(await cacheNames()).toContain(oldCache);
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await Promise.all([page.waitForEvent('load'), banner.click()]);
    await hydrated(page).catch((e) => {
      throw new Error(`${e}\nbrowser errors: ${errors.join('\n')}\nbody: ${page.url()}`);
    });
    await expect.poll(cacheNames).not.toContain(oldCache);
    const [newCache] = await cacheNames();
    // The page and its cache belong to the same deployment: every file the
    // page loaded is one the new cache holds.
    const loaded = await page.locator('link[rel="modulepreload"], link[rel="preload"], link[rel="stylesheet"]').evaluateAll(
      (els) => els.map((e) => e.getAttribute('href')).filter((u) => u && u.includes('/pkg/')),
    );
    const cached = await page.evaluate((name) => caches.open(name).then((c) => c.keys()).then((ks) => ks.map((k) => new URL(k.url).pathname)), newCache);
    for (const file of loaded) expect(cached).toContain(file);
    // Every piece of the supervisor's screens is the new deployment's, under
    // its own addresses, and kept before the person goes offline again.
    const script = await (await page.request.get('/sw.js')).text();
    const pieces: Record<string, string[]> = JSON.parse(script.match(/const PIECES = (.*);/)![1]);
    const root = pieces.supervisor[0].split('/pkg/')[0];
    expect(root).toMatch(/^\/b\/[0-9a-f]{16}$/);
    for (const file of loaded) expect(file.startsWith(`${root}/pkg/`) || file.startsWith('/pkg/jalon.'), file).toBe(true);
    await expect
      .poll(async () => {
        const now = await page.evaluate((name) => caches.open(name).then((c) => c.keys()).then((ks) => ks.map((k) => new URL(k.url).pathname)), newCache);
        return pieces.supervisor.filter((f) => !now.includes(f));
      }, { timeout: 30_000 })
      .toEqual([]);
    await context.setOffline(true);
    await page.goto('/fil');
    await hydrated(page);
    await expect(page.locator('[data-chunk-missing]')).toHaveCount(0);
    await expect(page.locator('main h1').first()).toBeVisible();
    await context.setOffline(false);
    expect(errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  } finally {
    await context.close();
    await after.stop();
  }
});

test('a record the server refuses stays on the phone with the reason', async ({ page, context, browser, jalon }) => {
  test.setTimeout(120_000);
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  await context.setOffline(true);
  const marker = `refus-${Date.now()}`;
  await writeObservation(page, 'Laetitia Roux — Espaces verts – équipe A', 'Incident', `${marker} : chute sans gravité`);
  const workerId = await workerIdOf(page, 'Laetitia Roux');

  // Meanwhile, at the office, Laetitia moves to team B.
  const office = await browser.newContext({ baseURL: jalon.url });
  const admin = await office.newPage();
  await signIn(admin, DEMO.admin, DEMO.staffPassword);
  await expect(admin).toHaveURL(/\/$/);
  const teams = await (await admin.request.post('/api/people/list_teams')).json();
  const teamOf = (prefix: string) => teams.find((t: { name: string }) => t.name.startsWith(prefix)).id;
  const move = (team: string) => admin.request.post('/api/people/move_worker', { form: { worker_id: workerId, team_id: team } });
  expect((await move(teamOf('Second'))).status()).toBe(200);

  try {
    await context.setOffline(false);
    const card = page.locator('.observation', { hasText: marker });
    await expect(card.locator('.chip', { hasText: 'Refusée' })).toBeVisible({ timeout: 20_000 });
    await expect(card).toContainText('Vous ne suivez pas (ou plus) cette personne');
    await expect(page.getByText('1 enregistrement refusé')).toBeVisible();
    expect(await onServer(browser, jalon.url, marker)).toHaveLength(0);
    // The supervisor decides: the note leaves the phone.
    await card.getByRole('button', { name: 'Retirer de ce téléphone' }).click();
    await expect(card).toHaveCount(0);
    await expect(page.getByText('1 enregistrement refusé')).toBeHidden();
  } finally {
    expect((await move(teamOf('Espaces'))).status()).toBe(200);
    await office.close();
  }
});

test("another person signing in on a phone that holds someone's unsent records sees none of them", async ({ page, context }) => {
  test.setTimeout(120_000);
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  // The push never gets through; Julien's session then ends without a sign-out.
  await context.route('**/api/sync/v1/push', (route) => route.abort());
  const marker = `pas-a-toi-${Date.now()}`;
  await writeObservation(page, 'Mehdi Bouzid — Espaces verts – équipe A', 'Frein', `${marker} : logement`, 'Logement');
  await context.clearCookies();

  await signIn(page, DEMO.supervisorB, DEMO.staffPassword);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.getByText('Ce téléphone garde des enregistrements non envoyés de Julien Morel')).toBeVisible();
  await page.goto('/observations');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Observations', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /Mehdi Bouzid/ })).toHaveCount(0);
  await expect(page.locator('.observation', { hasText: marker })).toHaveCount(0);
  await context.unrouteAll({ behavior: 'ignoreErrors' });
});

test('two phones edit the same note offline: both versions are kept until one is chosen', async ({ browser, jalon }) => {
  test.setTimeout(150_000);
  const phone = await browser.newContext({ baseURL: jalon.url });
  const tablet = await browser.newContext({ baseURL: jalon.url });
  const [p, t] = [await phone.newPage(), await tablet.newPage()];
  await readyOffline(p, DEMO.supervisorA, DEMO.staffPassword);
  const marker = `conflit-${Date.now()}`;
  await writeObservation(p, 'Jessica Martin — Espaces verts – équipe A', 'Comportement', `${marker} version d'origine`, 'Ponctualité');
  const card = (page: Page) => page.locator('.observation', { hasText: marker });
  await expect(card(p).locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });
  await readyOffline(t, DEMO.supervisorA, DEMO.staffPassword);

  const edit = async (page: Page, text: string) => {
    await page.goto('/observations');
    await hydrated(page);
    await card(page).getByRole('link', { name: 'Modifier' }).click();
    await page.getByLabel('Ce que vous avez vu ou entendu').fill(`${marker} ${text}`);
    await page.getByLabel('Motif de la correction ou du retrait (obligatoire)').fill(`précision (${text})`);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
  };
  await phone.setOffline(true);
  await tablet.setOffline(true);
  await edit(p, 'corrigée sur le téléphone');
  await edit(t, 'corrigée sur la tablette');
  await phone.setOffline(false);
  await expect(card(p).locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });
  await tablet.setOffline(false);

  // The tablet learns that the note changed meanwhile: nothing is overwritten.
  await expect(card(t).locator('.chip', { hasText: 'Deux versions' })).toBeVisible({ timeout: 20_000 });
  await expect(card(t)).toContainText('corrigée sur le téléphone');
  await expect(card(t)).toContainText('corrigée sur la tablette');
  await card(t).getByRole('button', { name: 'Garder cette version' }).click();
  await expect(card(t).locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });
  await expect(card(t)).not.toContainText('corrigée sur le téléphone');

  // The phone follows at its next sync.
  await p.getByRole('button', { name: 'Synchroniser' }).click();
  await expect(card(p)).toContainText('corrigée sur la tablette', { timeout: 20_000 });
  await expect(card(p).locator('.chip', { hasText: 'Deux versions' })).toHaveCount(0);
  await Promise.all([phone.close(), tablet.close()]);
});
