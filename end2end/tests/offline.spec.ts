// Offline first, in a real Chromium: the service worker opens the app with
// no network, observations are written to IndexedDB, and the sync delivers
// each of them to the server exactly once.
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { test, expect, hydrated, signIn, DEMO } from '../support/fixtures';

/** Signs in and waits until the phone is ready for offline work: the
 * service worker controls the page and a first sync has filled the store. */
async function readyOffline(page: Page, login: string, secret: string) {
  await signIn(page, login, secret);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 20_000 });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // The page that registered the worker is claimed by it; wait for that.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

async function writeObservation(page: Page, worker: string, kind: string, text: string) {
  await page.goto('/observations/nouvelle');
  await hydrated(page);
  await page.getByLabel('Personne').selectOption({ label: worker });
  await page.getByLabel(kind, { exact: true }).check();
  await page.getByLabel('Ce que vous avez vu (des faits)').fill(text);
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
    for (const r of json.records) if (!r.deleted && r.data.body.includes(marker)) bodies.push(r.data.body);
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

  const marker = `hors-ligne-${Date.now()}`;
  for (let i = 1; i <= 20; i++) {
    await writeObservation(page, 'Amina Diallo — Espaces verts – équipe A', 'Compétence métier', `${marker} n°${i} : taille de haie soignée`);
  }
  await page.reload();
  await hydrated(page);
  const mine = page.locator('.observation', { hasText: marker });
  await expect(mine).toHaveCount(20);
  await expect(mine.locator('.chip', { hasText: 'Sur ce téléphone uniquement' })).toHaveCount(20);
  await expect(page.locator('.syncbar')).toContainText('20 enregistrements en attente');

  await context.setOffline(false);
  await expect(mine.locator('.chip', { hasText: 'Envoyée' })).toHaveCount(20, { timeout: 30_000 });
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok');
  const server = await onServer(browser, jalon.url, marker);
  expect(server).toHaveLength(20);
  expect(new Set(server).size).toBe(20);
});
