// Sync figures in Debian's Chromium against a real server (its own fresh
// SQLite file): local save latency (tap → IndexedDB commit, 200 saves), push
// throughput for a 10,000-record backlog, initial pull of 20,000 records.
import type { Page } from '@playwright/test';
import { test, expect, hydrated, signIn, DEMO } from '../support/fixtures';
import { storeCount, storeKeys } from '../support/phone';
import { percentile, report } from '../support/measure';

async function ready(page: Page, login: string) {
  await signIn(page, login, DEMO.staffPassword);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 60_000 });
}

test('local save latency: tap to IndexedDB commit, 200 saves', async ({ page, context }) => {
  await ready(page, DEMO.supervisorA);
  await context.setOffline(true);
  const samples: number[] = [];
  await page.goto('/observations/nouvelle');
  await hydrated(page);
  for (let i = 0; i < 200; i++) {
    await page.getByLabel('Personne').selectOption({ index: 1 + (i % 8) });
    await page.getByLabel('Atout', { exact: true }).check();
    await page.getByLabel('Ce que vous avez vu ou entendu').fill(`Mesure ${i} : travail soigné, consignes respectées.`);
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const before = performance.getEntriesByName('jalon-saved').length;
          const t0 = performance.now();
          (document.querySelector('form button[type="submit"]') as HTMLButtonElement).click();
          const poll = () => {
            const marks = performance.getEntriesByName('jalon-saved');
            if (marks.length > before) resolve(marks[marks.length - 1].startTime - t0);
            else setTimeout(poll, 1);
          };
          poll();
        }),
    );
    samples.push(ms);
    await page.getByText('Observation enregistrée sur ce téléphone.').waitFor();
    await page.getByRole('link', { name: 'Nouvelle observation' }).click();
    await page.getByLabel('Ce que vous avez vu ou entendu').waitFor();
  }
  samples.sort((a, b) => a - b);
  report('local save (tap → IndexedDB commit), offline, 200 saves', {
    p50_ms: percentile(samples, 50).toFixed(1),
    p95_ms: percentile(samples, 95).toFixed(1),
    max_ms: samples[samples.length - 1].toFixed(1),
  });
  await context.setOffline(false);
});

test('push throughput: a 10,000-record backlog', async ({ page, context }) => {
  await ready(page, DEMO.supervisorA);
  await context.setOffline(true);
  // The backlog is written straight into the phone's store, as 10,000 saves would leave it.
  const workers = await storeKeys(page, 'workers');
  await page.evaluate(async ([count, workers]) => {
    const uuid = (t: number, n: number) => {
      const hex = t.toString(16).padStart(12, '0');
      const tail = n.toString(16).padStart(12, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${tail}`;
    };
    const now = new Date().toISOString();
    const day = now.slice(0, 10);
    await new Promise<void>((resolve) => {
      const open = indexedDB.open('jalon');
      open.onsuccess = () => {
        const tx = open.result.transaction(['outbox', 'observation'], 'readwrite');
        const base = Date.now();
        for (let i = 0; i < count; i++) {
          const id = uuid(base, i);
          const worker_id = workers[i % workers.length];
          const data = { worker_id, observed_on: day, kind: 'skill', body: `Arriéré ${i} : tâche terminée.` };
          tx.objectStore('observation').put(
            { record_type: 'observation', id, worker_id, data, version: 0, deleted: false, state: { state: 'local' },
              author_id: '', author_name: 'Julien Morel', updated_at: now, conflicts: [] }, id);
          tx.objectStore('outbox').put(
            { mutation: { id: uuid(base + 1, i), record_type: 'observation', schema: 1, record_id: id, op: 'create', base_version: 0, data },
              queued_at: now, attempts: 0, rejected: null }, `observation/${id}`);
        }
        tx.oncomplete = () => resolve();
      };
    });
  }, [10_000, workers] as const);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.syncbar')).toContainText('10000 en attente');

  const pushes: number[] = [];
  let firstPush = 0;
  let lastPushDone = 0;
  page.on('request', (r) => { if (r.url().endsWith('/api/sync/v1/push') && !firstPush) firstPush = Date.now(); });
  page.on('requestfinished', (r) => {
    if (r.url().endsWith('/api/sync/v1/push')) { lastPushDone = Date.now(); pushes.push(1); }
  });
  const t0 = Date.now();
  await context.setOffline(false);
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 600_000 });
  const t1 = Date.now();
  const pushSeconds = (lastPushDone - firstPush) / 1000;
  report('push of a 10,000-record backlog', {
    push_requests: pushes.length,
    push_seconds: pushSeconds.toFixed(2),
    push_records_per_second: Math.round(10_000 / pushSeconds),
    whole_sync_seconds_incl_pulling_them_back: ((t1 - t0) / 1000).toFixed(2),
  });
});

test('initial pull of 20,000 records on a fresh phone', async ({ browser, jalon }) => {
  // Seed: supervisor B's team gets 20,000 observations, pushed from another device.
  const seeder = await browser.newContext({ baseURL: jalon.url });
  const seed = await seeder.newPage();
  await ready(seed, DEMO.supervisorB);
  const workers = await storeKeys(seed, 'workers');
  const device = '01900000-0000-7000-8000-00000000be0c';
  const day = new Date().toISOString().slice(0, 10);
  const base = Date.now();
  const uuid = (t: number, n: number) => {
    const hex = t.toString(16).padStart(12, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${n.toString(16).padStart(12, '0')}`;
  };
  const seedStart = Date.now();
  for (let batch = 0; batch < 40; batch++) {
    const mutations = Array.from({ length: 500 }, (_, k) => {
      const i = batch * 500 + k;
      return { id: uuid(base + 1, i), record_type: 'observation', schema: 1, record_id: uuid(base, i), op: 'create',
        base_version: 0, data: { worker_id: workers[i % workers.length], observed_on: day, kind: 'behaviour', category: 'securite',
          body: `Observation ${i} : ponctuel, équipement de protection porté toute la journée.` } };
    });
    const res = await seed.request.post('/api/sync/v1/push', { data: { device_id: device, batch: batch + 1, mutations } });
    expect(res.status()).toBe(200);
  }
  const seedSeconds = (Date.now() - seedStart) / 1000;
  report('server alone: 20,000 records pushed from Node in 40 batches of 500', {
    seconds: seedSeconds.toFixed(2),
    records_per_second: Math.round(20_000 / seedSeconds),
  });
  await seeder.close();

  const phone = await browser.newContext({ baseURL: jalon.url });
  const page = await phone.newPage();
  let firstPull = 0;
  let pulls = 0;
  page.on('request', (r) => { if (r.url().endsWith('/api/sync/v1/pull')) { pulls += 1; if (!firstPull) firstPull = Date.now(); } });
  await ready(page, DEMO.supervisorB);
  const t1 = Date.now();
  const held = await storeCount(page, 'observation');
  expect(held).toBeGreaterThanOrEqual(20_000);
  report('initial pull on a fresh phone', {
    records_on_phone: held,
    pull_requests: pulls,
    seconds_from_first_pull_to_synced: ((t1 - firstPull) / 1000).toFixed(2),
    records_per_second: Math.round(held / ((t1 - firstPull) / 1000)),
  });
  await phone.close();
});
