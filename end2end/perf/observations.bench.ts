// Observation figures in Debian's Chromium (issue 7), on demand:
//   npx playwright test -c perf.config.ts observations
// 1. From the team list, offline, at 360×640: the taps to log an
//    observation and the scripted time from "Noter" to "enregistrée" (the
//    text is filled by the script: a person's typing comes on top).
// 2. The counsellor's feed with 10,000 observations in the database: the
//    server function's response time (50 calls per filter) and the /fil
//    page from navigation to the first card (10 loads).
import type { Page } from '@playwright/test';
import { test, expect, hydrated, readyOffline, signIn, DEMO } from '../support/fixtures';
import { storeKeys } from '../support/phone';
import { percentile, report, summary, timedTap } from '../support/measure';

test('logging an observation from the team list, offline: taps and time', async ({ page, context }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  await context.setOffline(true);
  const rounds = { plain: [] as number[], barrier: [] as number[], save: [] as number[] };
  const taps = { plain: 0, barrier: 0 };
  for (let i = 0; i < 20; i++) {
    for (const kind of ['plain', 'barrier'] as const) {
      await page.goto('/observations');
      await hydrated(page);
      let n = 0;
      const t0 = Date.now();
      await page.getByRole('link', { name: 'Noter une observation sur Kevin Lefort' }).click();
      n++;
      if (kind === 'plain') {
        await page.getByLabel('Atout', { exact: true }).check();
        n++;
      } else {
        await page.getByLabel('Frein', { exact: true }).check();
        await page.getByLabel('Mobilité', { exact: true }).check();
        n += 2;
      }
      await page.getByLabel('Ce que vous avez vu ou entendu').fill(`Mesure ${i} : a rangé le matériel sans qu'on le demande.`);
      n++;
      const save = page.getByRole('button', { name: 'Enregistrer' });
      const commit = await timedTap(save);
      n++;
      await expect(page.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
      rounds[kind].push(Date.now() - t0);
      rounds.save.push(commit);
      taps[kind] = n;
    }
  }
  report('log an observation from the team list, offline, 360×640, 20 rounds each', {
    taps_strength_or_skill_or_alert: `${taps.plain} (Noter, type, text field, Enregistrer)`,
    taps_barrier_or_behaviour: `${taps.barrier} (Noter, type, category, text field, Enregistrer)`,
    scripted_seconds_p50_plain: (percentile([...rounds.plain].sort((a, b) => a - b), 50) / 1000).toFixed(2),
    scripted_seconds_p95_plain: (percentile([...rounds.plain].sort((a, b) => a - b), 95) / 1000).toFixed(2),
    scripted_seconds_p95_barrier: (percentile([...rounds.barrier].sort((a, b) => a - b), 95) / 1000).toFixed(2),
  });
  report('"Enregistrer" → IndexedDB commit', summary(rounds.save));
});

async function seed(page: Page, count: number) {
  const workers = await storeKeys(page, 'workers');
  const device = '01900000-0000-7000-8000-0000000f0ed0';
  const base = Date.now();
  const uuid = (t: number, n: number) => {
    const hex = t.toString(16).padStart(12, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${n.toString(16).padStart(12, '0')}`;
  };
  const kinds = [
    { kind: 'skill' }, { kind: 'strength', shared: true }, { kind: 'barrier', category: 'mobilite' },
    { kind: 'behaviour', category: 'ponctualite' }, { kind: 'incident' }, { kind: 'barrier', category: 'sante' },
    { kind: 'alert' },
  ];
  for (let batch = 0; batch < count / 500; batch++) {
    const mutations = Array.from({ length: 500 }, (_, k) => {
      const i = batch * 500 + k;
      const day = new Date(Date.now() - (i % 300) * 86_400_000).toISOString().slice(0, 10);
      return {
        id: uuid(base + 1, i), record_type: 'observation', schema: 2, record_id: uuid(base, i), op: 'create', base_version: 0,
        data: { worker_id: workers[i % workers.length], observed_on: day, observed_at: `${8 + (i % 9)}:${String(i % 60).padStart(2, '0')}`,
          body: `Observation ${i} : fait constaté sur le chantier, consignes rappelées.`, ...kinds[i % kinds.length] },
      };
    });
    const res = await page.request.post('/api/sync/v1/push', { data: { device_id: device, batch: batch + 1, mutations } });
    expect(res.status()).toBe(200);
  }
}

test('counsellor feed with 10,000 observations in the database', async ({ browser, jalon }) => {
  const seeder = await browser.newContext({ baseURL: jalon.url });
  const sup = await seeder.newPage();
  await readyOffline(sup, DEMO.supervisorA, DEMO.staffPassword);
  await seed(sup, 10_000);
  await seeder.close();

  const office = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const cip = await office.newPage();
  await signIn(cip, DEMO.counsellor, DEMO.staffPassword);
  await expect(cip).toHaveURL(/\/$/);
  const total = await (await cip.request.post('/api/observations/feed', { form: { 'filter[limit]': '1' } })).json();
  const filters: Record<string, Record<string, string>> = {
    'default (30 first: open alerts, unread, newest)': {},
    'kind = barrier': { 'filter[kind]': 'barrier' },
    'period = last 30 days': { 'filter[from]': new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10) },
    '"Voir plus" up to 300': { 'filter[limit]': '300' },
  };
  for (const [name, form] of Object.entries(filters)) {
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      const res = await cip.request.post('/api/observations/feed', { form: { 'filter[kind]': '', ...form } });
      expect(res.status()).toBe(200);
      await res.body();
      samples.push(performance.now() - t0);
    }
    report(`feed server function, ${name}`, summary(samples));
  }
  const loads: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = Date.now();
    await cip.goto('/fil');
    await cip.locator('.observation').first().waitFor();
    loads.push(Date.now() - t0);
  }
  report('/fil page: navigation → first card (server-rendered), 10 loads', summary(loads));
  report('feed figures', { unread_for_the_counsellor: total.unread, open_alerts: total.open_alerts });
  await office.close();
});
