// Attendance in a real Chromium: a supervisor takes the roll call offline,
// the counsellor reads the rates and exports them, the worker sees their
// own month and nothing else. Each test starts its own server (fresh SQLite
// file, demo data with four weeks of past roll calls).
import type { Browser, Page } from '@playwright/test';
import { test, expect, hydrated, signIn, readyOffline, scrollsSideways, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon, type Jalon } from '../support/server';
import { readStore } from '../support/phone';

const TEAM_A = 'Espaces verts – équipe A';

/** The test's oracle for "a day people are expected at work" (weekdays
 * that are not French public holidays), written apart from the app's. */
function workingDay(d: Date): boolean {
  const day = d.getDay();
  if (day === 0 || day === 6) return false;
  const y = d.getFullYear();
  const md = `${d.getMonth() + 1}-${d.getDate()}`;
  if (['1-1', '5-1', '5-8', '7-14', '8-15', '11-1', '11-11', '12-25'].includes(md)) return false;
  // Easter (anonymous Gregorian algorithm), then its Monday, Ascension, Whit Monday.
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, dd = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - dd - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const easter = new Date(y, Math.floor((h + l - 7 * m + 114) / 31) - 1, ((h + l - 7 * m + 114) % 31) + 1);
  const offset = Math.round((Date.UTC(y, d.getMonth(), d.getDate()) - Date.UTC(y, easter.getMonth(), easter.getDate())) / 86_400_000);
  return ![1, 39, 50].includes(offset);
}

const iso = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const french = (isoDay: string) => isoDay.split('-').reverse().join('/');

function lastWorkingDayBefore(d: Date): Date {
  const day = new Date(d);
  do day.setDate(day.getDate() - 1);
  while (!workingDay(day));
  return day;
}

async function ownServer(): Promise<Jalon> {
  return startJalon({ dataDir: freshDataDir() });
}

/** A server of the test's own, and supervisor A's phone on it, ready offline. */
async function supervisorPhone(browser: Browser) {
  const jalon = await ownServer();
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  const close = async () => {
    await context.close();
    await jalon.stop();
  };
  return { jalon, context, page, close };
}

async function counsellorPage(browser: Browser, jalon: Jalon): Promise<Page> {
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await signIn(page, DEMO.counsellor, DEMO.staffPassword);
  await expect(page).toHaveURL(/\/$/);
  return page;
}

const row = (page: Page, name: string) => page.locator('.roll__row', { hasText: name });

test('a roll call of 8 taken offline: 5 taps, kept across a reload, synced once, counted right', async ({ browser }) => {
  test.setTimeout(180_000);
  const { jalon, context, page, close } = await supervisorPhone(browser);
  try {
    await context.setOffline(true);
    await page.goto('/pointage');
    await hydrated(page);
    await expect(page.locator('.roll__row')).toHaveCount(8);
    await expect(page.locator('.roll-call__summary')).toHaveText('8 personnes · 0 présente · 0 absente · 8 à pointer');
    expect(await scrollsSideways(page)).toBe(false);

    let taps = 0;
    const tap = async (name: string) => {
      taps++;
      await page.getByRole('button', { name, exact: true }).click();
    };
    // Two exceptions, two taps each, then everyone else at once.
    await tap('Kevin Lefort : absent, retard ou départ');
    await row(page, 'Kevin Lefort').getByRole('button', { name: 'Maladie' }).click();
    taps++;
    await expect(row(page, 'Kevin Lefort').locator('.roll__state')).toHaveText('Absent : Maladie');
    await tap('Fatou Camara : absent, retard ou départ');
    await row(page, 'Fatou Camara').getByRole('button', { name: '15 min' }).click();
    taps++;
    await expect(row(page, 'Fatou Camara').locator('.roll__state')).toHaveText('Présent, retard 15 min');
    await tap('Tous présents (6)');
    expect(taps).toBe(5);
    await expect(page.locator('.roll-call__summary')).toHaveText('8 personnes · 7 présentes · 1 absente · 0 à pointer');
    await expect(page.locator('.roll__row .chip', { hasText: 'Sur ce téléphone uniquement' })).toHaveCount(8);
    await expect(page.locator('.syncbar')).toContainText('Hors ligne · 8 en attente');

    // Still there after a reload with no network.
    await page.reload();
    await hydrated(page);
    await expect(page.locator('.roll__row--present')).toHaveCount(7);
    await expect(row(page, 'Kevin Lefort').locator('.roll__state')).toHaveText('Absent : Maladie');
    await expect(row(page, 'Amina Diallo').getByRole('button', { name: 'Amina Diallo : présent' })).toHaveAttribute('aria-pressed', 'true');

    // Back online: each entry is sent, once.
    await context.setOffline(false);
    await expect(page.locator('.roll__row .chip', { hasText: 'Envoyé' })).toHaveCount(8, { timeout: 30_000 });
    const today = iso(new Date());
    const stored = await readStore<Array<{ data: { day: string } }>>(page, 'attendance', 'all');
    expect(stored.filter((r) => r.data.day === today)).toHaveLength(8);

    // The counsellor's figures for the team, today.
    const cip = await counsellorPage(browser, jalon);
    await cip.goto(`/presences?du=${today}&au=${today}`);
    await hydrated(cip);
    const teamId = await cip.locator('select[name="equipe"] option', { hasText: TEAM_A }).getAttribute('value');
    await cip.goto(`/presences?equipe=${teamId}&du=${today}&au=${today}`);
    await hydrated(cip);
    const total = cip.locator('.report-total');
    const kevin = cip.locator('li.card', { hasText: 'Kevin Lefort' });
    if (workingDay(new Date())) {
      await expect(total.locator('[data-figure="rate"]')).toHaveText('87,5 %');
      await expect(total.locator('[data-figure="present"]')).toHaveText('7');
      await expect(total.locator('[data-figure="justified"]')).toHaveText('1 j');
      await expect(total.locator('[data-figure="unjustified"]')).toHaveText('0 j');
      await expect(total.locator('[data-figure="late"]')).toHaveText('1 (15 min)');
      await expect(kevin.locator('[data-figure="rate"]')).toHaveText('0,0 %');
    } else {
      // A weekend or public holiday is shown in the detail, not counted.
      await expect(total.locator('[data-figure="rate"]')).toHaveText('—');
      await kevin.getByText('Détail jour par jour').click();
      await expect(kevin.locator('.day-line')).toContainText('non compté');
    }
    await expect(cip.locator('li.card')).toHaveCount(8);
    expect(await scrollsSideways(cip)).toBe(false);

    // The CSV: UTF-8 with BOM, ';', French dates, one row per person today.
    const href = await cip.getByRole('link', { name: 'Exporter le détail (CSV)' }).getAttribute('href');
    const res = await cip.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/csv');
    const bytes = await res.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      "Nom;Prénom;Équipe;Date;Période;Présence;Motif d'absence;Absence justifiée;Retard (minutes);Départ avant l'heure;Compté;Motif de modification",
    );
    const rows = lines.slice(1);
    expect(rows).toHaveLength(8);
    for (const r of rows) expect(r.split(';')[3]).toBe(french(today));
    expect(rows.find((r) => r.startsWith('Lefort;Kevin;'))).toContain(';absent;Maladie;justifiée;');
    expect(rows.find((r) => r.startsWith('Camara;Fatou;'))).toContain(';présent;;;15;');
    const summary = await cip.request.get((await cip.getByRole('link', { name: 'Exporter le résumé (CSV)' }).getAttribute('href'))!);
    const summaryRows = (await summary.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(summaryRows).toHaveLength(1 + 8 + 1);
    expect(summaryRows[9]).toMatch(/^Ensemble;;/);

    // The other exports of the same choice, through the page's own controls.
    await cip.getByText('Autres exports de ce choix (CSV)').click();
    await cip.getByLabel('Inclure les observations sensibles (santé, handicap, justice) que je peux lire').check();
    const [download] = await Promise.all([
      cip.waitForEvent('download'),
      cip.getByRole('button', { name: 'Exporter les observations' }).click(),
    ]);
    expect(download.url()).toContain('sensibles=1');
    expect(download.suggestedFilename()).toMatch(/^observations-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const observations = (await (await cip.request.get(download.url())).text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(observations[0]).toBe(
      'Date;Heure;Nom;Prénom;Équipe;Type;Catégorie;Texte;Auteur;Partagée avec le salarié;Sensible;Alerte prise en compte le',
    );
    const evaluations = await cip.request.get((await cip.getByRole('link', { name: 'Exporter les évaluations' }).getAttribute('href'))!);
    expect(evaluations.status()).toBe(200);
    expect((await evaluations.text()).replace(/^\uFEFF/, '')).toMatch(/^Date;Nom;Prénom;Équipe;Séance;/);
    expect(await scrollsSideways(cip)).toBe(false);
    await cip.context().close();
  } finally {
    await close();
  }
});

test('changing a past day asks why, and the counsellor sees who changed what', async ({ browser }) => {
  test.setTimeout(120_000);
  const { jalon, context, page, close } = await supervisorPhone(browser);
  try {
    const day = iso(lastWorkingDayBefore(new Date()));
    await page.goto(`/pointage?jour=${day}`);
    await hydrated(page);
    // The demo's roll call of that day is on the phone.
    await expect(page.locator('.roll-call__summary')).toContainText('0 à pointer');
    const kevin = row(page, 'Kevin Lefort');
    await page.getByRole('button', { name: 'Kevin Lefort : absent, retard ou départ' }).click();
    await kevin.getByRole('button', { name: 'Formation' }).click();
    await expect(page.getByRole('alert')).toContainText('Jour passé : écrivez d\'abord le motif');
    await expect(kevin.locator('.roll__state')).not.toHaveText('Absent : Formation');
    await page.getByLabel('Jour passé : motif de la modification (obligatoire)').fill('Attestation de formation reçue <b>ce matin</b>');
    await kevin.getByRole('button', { name: 'Formation' }).click();
    await expect(kevin.locator('.roll__state')).toHaveText('Absent : Formation');
    await expect(kevin.locator('.chip', { hasText: 'Envoyé' })).toBeVisible({ timeout: 30_000 });
    // The reason belonged to that day: the day before starts with an empty one.
    await page.getByRole('link', { name: 'Jour précédent' }).click();
    const [y, m, d] = day.split('-').map(Number);
    await expect(page).toHaveURL(new RegExp(`jour=${iso(new Date(y, m - 1, d - 1))}`));
    await expect(page.getByLabel('Jour passé : motif de la modification (obligatoire)')).toHaveValue('');

    const cip = await counsellorPage(browser, jalon);
    await cip.goto(`/presences?du=${day}&au=${day}`);
    await hydrated(cip);
    const card = cip.locator('li.card', { hasText: 'Kevin Lefort' });
    await card.getByText('Détail jour par jour').click();
    await card.getByRole('button', { name: "Modifié : voir l'historique" }).click();
    const history = card.locator('.history li');
    await expect(history).toHaveCount(2);
    await expect(history.nth(1)).toContainText('Julien Morel : Absent : Formation (avant : ');
    await expect(history.nth(1)).toContainText('motif : Attestation de formation reçue <b>ce matin</b>');
    await cip.context().close();
  } finally {
    await close();
  }
});

test('a worker sees their own month, offline too, and nobody else\'s attendance', async ({ page, context, jalon }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 360, height: 640 });
  await readyOffline(page, DEMO.firstWorker, DEMO.workerPin);
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Présences' }).click();
  await expect(page).toHaveURL(/\/mes-presences$/);
  await expect(page.getByRole('heading', { name: 'Mes présences' })).toBeVisible();
  await expect(page.locator('.counts [data-count="present"]')).toContainText('Jours présents : ');
  expect(await scrollsSideways(page)).toBe(false);

  // The phone holds only this worker's days, and the worker list is only them.
  const records = await readStore<Array<{ worker_id: string }>>(page, 'attendance', 'all');
  expect(records.length).toBeGreaterThan(10);
  const own = await readStore<Array<{ id: string; first_name: string }>>(page, 'workers', 'all');
  expect(own.map((w) => w.first_name)).toEqual(['Amina']);
  expect(new Set(records.map((r) => r.worker_id))).toEqual(new Set([own[0].id]));

  // Last month from the phone alone.
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Mois précédent' }).click();
  await expect(page.locator('.month-nav__title')).toBeVisible();
  await expect(page.locator('.cal__day[data-day]').first()).toBeVisible();
  await context.setOffline(false);

  // The staff report and export are not for workers.
  await page.goto('/presences');
  await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
  const csv = await page.request.get(`${jalon.url}/api/attendance/export.csv?detail=1`);
  expect(csv.status()).toBe(404);
});

test('the admin switches to half-days; the roll call then asks morning or afternoon', async ({ browser }) => {
  test.setTimeout(120_000);
  const jalon = await ownServer();
  const admin = await browser.newContext({ baseURL: jalon.url });
  const supervisor = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  try {
    const a = await admin.newPage();
    await signIn(a, DEMO.admin, DEMO.staffPassword);
    await expect(a).toHaveURL(/\/$/);
    await a.getByRole('link', { name: 'Présences et export' }).click();
    await hydrated(a);
    await a.getByRole('button', { name: 'Pointer par demi-journée' }).click();
    await expect(a.getByText('Réglage enregistré.')).toBeVisible();

    const s = await supervisor.newPage();
    await readyOffline(s, DEMO.supervisorA, DEMO.staffPassword);
    await s.getByRole('link', { name: 'Pointage du jour' }).click();
    await expect(s.getByRole('link', { name: 'Matin' })).toBeVisible();
    await s.getByRole('link', { name: 'Après-midi' }).click();
    await expect(s.getByRole('link', { name: 'Après-midi' })).toHaveAttribute('aria-current', 'page');
    await s.getByRole('button', { name: 'Amina Diallo : présent' }).click();
    // Tapped while the first one may still be syncing: sent right after it,
    // not at the next minute's sync.
    await s.getByRole('button', { name: 'Tous présents (7)' }).click();
    await expect(s.locator('.roll__row .chip', { hasText: 'Envoyé' })).toHaveCount(8, { timeout: 15_000 });
    const stored = await readStore<Array<{ data: { slot: string } }>>(s, 'attendance', 'all');
    expect(stored.filter((r) => r.data.slot === 'afternoon')).toHaveLength(8);
    await s.getByRole('link', { name: 'Matin' }).click();
    await expect(s.locator('.roll-call__summary')).toContainText('8 à pointer');
  } finally {
    await admin.close();
    await supervisor.close();
    await jalon.stop();
  }
});
