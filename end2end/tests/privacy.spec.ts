// Data protection in a real Chromium (issue 22): the admin sees who will be
// anonymised this month and holds one of them, then erases a person; the
// supervisor's phone that held that person's records loses them at its next
// sync. Each test starts its own server (the erasure would change the demo
// the other files share).
import { test, expect, hydrated, signIn, readyOffline, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon } from '../support/server';
import { readStore, storeCount } from '../support/phone';
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

test('a supervisor’s lost phone, signed out by the admin, empties itself at its next sync and says what was lost', async ({ browser }) => {
  test.setTimeout(120_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const phone = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const desk = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  try {
    const sup = await phone.newPage();
    await readyOffline(sup, DEMO.supervisorA, DEMO.staffPassword);
    expect(await storeCount(sup, 'workers')).toBeGreaterThan(0);
    // The supervisor sees this phone in their own list.
    await sup.goto('/appareils');
    await hydrated(sup);
    await expect(sup.getByRole('heading', { name: 'Mes appareils' })).toBeVisible();
    await expect(sup.getByTestId('device').filter({ has: sup.locator('.badge') })).toContainText('Chrome · Linux');

    // Out of network, a note stays on the phone.
    await phone.setOffline(true);
    await sup.goto('/observations/nouvelle');
    await hydrated(sup);
    await sup.getByLabel('Personne').selectOption({ label: 'Amina Diallo — Espaces verts – équipe A' });
    await sup.getByLabel('Compétence métier', { exact: true }).check();
    const lost = `perdu-${Date.now()}`;
    await sup.getByLabel('Ce que vous avez vu ou entendu').fill(`${lost} : écrit sur le téléphone perdu`);
    await sup.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(sup.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
    expect(await storeCount(sup, 'outbox')).toBe(1);

    // The admin signs that phone out from the supervisor's account, dropping what it holds.
    const admin = await desk.newPage();
    await signIn(admin, DEMO.admin, DEMO.staffPassword);
    await expect(admin).toHaveURL(/\/$/);
    await admin.goto('/admin/comptes');
    await hydrated(admin);
    const row = admin.locator('li', { hasText: 'Julien Morel' });
    await row.getByText('Modifier').click();
    await row.getByRole('link', { name: 'Appareils connectés' }).click();
    await expect(admin.getByRole('heading', { name: 'Appareils de Julien Morel' })).toBeVisible();
    await hydrated(admin);
    const device = admin.getByTestId('device').filter({ hasText: 'Chrome · Linux' }).first();
    await device.getByText('Déconnecter cet appareil').click();
    await device.getByLabel(/Tout effacer sans envoyer/).check();
    if (shots) await admin.screenshot({ path: 'screens-out/devices-sign-out.png', fullPage: true });
    await device.getByRole('button', { name: 'Confirmer la déconnexion' }).click();
    await expect(admin.getByText('Appareil déconnecté.')).toBeVisible();
    await expect(admin.getByTestId('revoked').first()).toContainText('Déconnecté le');
    await expect(admin.getByTestId('revoked').first()).toContainText('par Claire Dumas ; effacement à son prochain contact.');

    // Back in network, the phone's next sync signs it out and empties it.
    await phone.setOffline(false);
    await expect(sup).toHaveURL(/\/appareils\?retire=1$/, { timeout: 30_000 });
    await expect(sup.getByTestId('removed')).toContainText('Cet appareil a été déconnecté de Jalon à distance');
    await expect(sup.getByTestId('removed')).toContainText("1 enregistrement qui n'avait pas été envoyé a été effacé.");
    if (shots) await sup.screenshot({ path: 'screens-out/devices-removed.png', fullPage: true });
    for (const store of ['outbox', 'workers', 'observation', 'attendance', 'meta']) {
      expect(await storeCount(sup, store), store).toBe(0);
    }
    const signedOut = await sup.request.post('/api/privacy/devices', { form: {} });
    expect(signedOut.status()).toBe(401);

    // The admin sees it emptied; the note never reached the server.
    await admin.reload();
    await expect(admin.getByTestId('revoked').first()).toContainText('données effacées le');
    const res = await admin.request.post('/api/sync/v1/pull', { data: { cursor: 0 } });
    expect(JSON.stringify(await res.json())).not.toContain(lost);
  } finally {
    await phone.close();
    await desk.close();
    await jalon.stop();
  }
});

test('a worker asks from their phone for a copy and a correction; their counsellor sees them on the feed and answers', async ({ browser }) => {
  test.setTimeout(120_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const phone = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const desk = await browser.newContext({ baseURL: jalon.url, viewport: { width: 1280, height: 800 } });
  try {
    const me = await phone.newPage();
    await signIn(me, DEMO.firstWorker, DEMO.workerPin);
    await expect(me).toHaveURL(/\/$/);
    await hydrated(me);
    await me.locator('[data-card="donnees"]').getByRole('link', { name: 'Mes données' }).click();
    await expect(me.getByRole('heading', { name: 'Mes données', level: 1 })).toBeVisible();
    await hydrated(me);
    await me.getByRole('button', { name: 'Demander une copie' }).click();
    await expect(me.getByTestId('my-requests')).toContainText('Copie de mes données');
    await me.getByLabel("Qu'est-ce qui est faux ?").fill('Mon numéro de téléphone a changé : 06 12 34 56 78.');
    await me.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect(me.getByTestId('my-requests').locator('li')).toHaveCount(2);
    await expect(me.getByTestId('my-requests')).toContainText('En attente de réponse.');
    expect(await me.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    if (shots) await me.screenshot({ path: 'screens-out/my-data.png', fullPage: true });

    // The counsellor sees them waiting on the feed, hands over the copy and answers.
    const cip = await desk.newPage();
    await signIn(cip, DEMO.counsellor, DEMO.staffPassword);
    await expect(cip).toHaveURL(/\/$/);
    await cip.goto('/fil');
    await hydrated(cip);
    await expect(cip.getByTestId('waiting-requests')).toContainText('2 demandes de salariés attendent votre réponse.');
    await cip.getByTestId('waiting-requests').getByRole('link', { name: 'Voir les demandes' }).click();
    await expect(cip).toHaveURL(/\/demandes$/);
    await hydrated(cip);
    const fix = cip.getByTestId('request').filter({ hasText: 'Mon numéro de téléphone a changé' });
    await expect(fix).toContainText('Amina Diallo');
    const copy = cip.getByTestId('request').filter({ hasText: 'Demande une copie de ses données' });
    await expect(copy.getByRole('link', { name: 'Document à remettre (PDF)' })).toBeVisible();
    await fix.getByLabel('Réponse donnée (ce qui a été remis ou corrigé)').fill('Numéro corrigé dans votre dossier.');
    if (shots) await cip.screenshot({ path: 'screens-out/requests.png', fullPage: true });
    await fix.getByRole('button', { name: 'Enregistrer la réponse' }).click();
    await expect(cip.getByText('Réponse enregistrée.')).toBeVisible();
    await expect(cip.getByTestId('request').filter({ hasText: 'Mon numéro de téléphone a changé' })).toContainText('Numéro corrigé dans votre dossier.');

    // The worker reads the answer on their phone.
    await me.reload();
    await expect(me.getByTestId('my-requests')).toContainText('Numéro corrigé dans votre dossier.');
  } finally {
    await phone.close();
    await desk.close();
    await jalon.stop();
  }
});
