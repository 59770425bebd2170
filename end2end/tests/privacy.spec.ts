// Data protection in a real Chromium (issue 22): the admin sees who will be
// anonymised this month and holds one of them, then erases a person; the
// supervisor's phone that held that person's records loses them at its next
// sync. Each test starts its own server (the erasure would change the demo
// the other files share).
import { test, expect, hydrated, signIn, readyOffline, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon } from '../support/server';
import { readStore } from '../support/phone';
import { readFileSync } from 'node:fs';

const shots = process.env.JALON_SCREENS;

test('the admin sees this month’s anonymisations, holds one with a reason and sets the period', async ({ browser }) => {
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  try {
    const page = await context.newPage();
    await signIn(page, DEMO.admin, DEMO.staffPassword);
    await expect(page).toHaveURL(/\/$/);
    await hydrated(page);
    await page.getByRole('link', { name: 'Conservation des données' }).click();
    await expect(page).toHaveURL(/\/admin\/conservation$/);
    await expect(page.getByRole('heading', { name: 'Conservation des données', level: 1 })).toBeVisible();
    await expect(page.getByText('2 ans après le dernier contact')).toBeVisible();
    await expect(page.getByText(/délibérations n° 2021-028 et n° 2023-095/)).toBeVisible();

    // The demo's parcours that ended almost two years ago is due this month.
    const item = page.locator('[data-testid="retention-list"] li', { hasText: 'Lucien Marchal' });
    await expect(item).toContainText(/Anonymisation le \d\d\/\d\d\/\d{4}/);
    if (shots) await page.screenshot({ path: 'screens-out/retention.png', fullPage: true });

    // A legal hold: a day in the future and a reason, both required.
    await item.getByText('Conserver plus longtemps').click();
    const until = new Date();
    until.setFullYear(until.getFullYear() + 1);
    const day = until.toISOString().slice(0, 10);
    await item.getByLabel("Conserver jusqu'au").fill(day);
    await item.getByLabel('Motif (obligation légale, contentieux…)').fill('Contentieux prud’homal en cours');
    await item.getByRole('button', { name: 'Prolonger la conservation' }).click();
    await expect(page.getByText('Conservation prolongée.')).toBeVisible();
    const held = page.locator('[data-testid="retention-list"] li', { hasText: 'Lucien Marchal' });
    await expect(held).toContainText(`Conservée jusqu'au ${day.split('-').reverse().join('/')} : Contentieux prud’homal en cours`);

    // The period: three years from now on.
    await page.getByLabel('Années après le dernier contact').selectOption('3');
    await page.getByRole('button', { name: 'Enregistrer la durée' }).click();
    await expect(page.getByText('3 ans après le dernier contact')).toBeVisible();

    // Both changes are in the audit log.
    await page.goto('/admin/journal');
    await hydrated(page);
    await expect(page.locator('main')).toContainText('Conservation prolongée');
  } finally {
    await context.close();
    await jalon.stop();
  }
});

test('an erased person leaves the list, the file, and the supervisor’s phone at its next sync', async ({ browser }) => {
  test.setTimeout(120_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const phone = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const desk = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  try {
    // The supervisor's phone holds Kevin's records.
    const sup = await phone.newPage();
    await readyOffline(sup, DEMO.supervisorA, DEMO.staffPassword);
    const workers = await readStore<{ id: string; first_name: string; last_name: string }[]>(sup, 'workers', 'all');
    const kevin = workers.find((w) => `${w.first_name} ${w.last_name}` === 'Kevin Lefort');
    expect(kevin).toBeTruthy();
    const onPhone = async () =>
      (await readStore<{ worker_id: string }[]>(sup, 'attendance', 'all')).filter((r) => r.worker_id === kevin!.id).length;
    expect(await onPhone()).toBeGreaterThan(0);

    // The admin erases him from his file, with a reason.
    const admin = await desk.newPage();
    await signIn(admin, DEMO.admin, DEMO.staffPassword);
    await expect(admin).toHaveURL(/\/$/);
    await admin.goto(`/salaries/${kevin!.id}`);
    await hydrated(admin);
    // Before: his right of access, as a file to hand over.
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('access').getByRole('link', { name: 'Fichier de données (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^acces-donnees-kevin-lefort-\d{4}-\d{2}-\d{2}\.json$/);
    const held = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(held.format).toBe('jalon-acces');
    expect(held.sections.file[0].last_name).toBe('Lefort');
    expect(held.sections.attendance.length).toBeGreaterThan(0);

    await admin.getByText('Effacer les données de cette personne').click();
    const erase = admin.locator('[data-testid="erase"]');
    await erase.getByLabel('Motif').selectOption('person_request');
    // Not without the confirmation box.
    await erase.getByRole('button', { name: 'Effacer définitivement' }).click();
    await expect(admin).toHaveURL(new RegExp(`/salaries/${kevin!.id}$`));
    await erase.getByLabel("J'efface définitivement les données de Kevin Lefort").check();
    if (shots) await admin.screenshot({ path: 'screens-out/erase.png', fullPage: true });
    await erase.getByRole('button', { name: 'Effacer définitivement' }).click();
    await expect(admin).toHaveURL(/\/salaries$/);
    await expect(admin.locator('main')).not.toContainText('Kevin Lefort');
    await admin.goto(`/salaries/${kevin!.id}`);
    await hydrated(admin);
    await expect(admin.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();

    // The phone, at its next sync: Kevin is gone from the roll call and the store.
    await sup.goto('/pointage');
    await hydrated(sup);
    await expect(sup.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 20_000 });
    await expect(sup.locator('.roll__row')).toHaveCount(7);
    await expect(sup.locator('.roll__row', { hasText: 'Kevin Lefort' })).toHaveCount(0);
    await expect.poll(onPhone).toBe(0);
  } finally {
    await phone.close();
    await desk.close();
    await jalon.stop();
  }
});
