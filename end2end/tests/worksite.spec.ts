// On the worksite in a real Chromium (issue 23): a supervisor with no
// network ticks a new worker's welcome, hands over safety shoes, holds a
// safety briefing with the team and reports a near miss; back online, the
// counsellor sees each once; the worker confirms the shoes on their phone.
import { test, expect, hydrated, signIn, readyOffline, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon } from '../support/server';
import { readStore } from '../support/phone';

const shots = process.env.JALON_SCREENS;
const iso = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

test('offline on the worksite: welcome, equipment, a briefing and a near miss, synced once; the worker confirms', async ({ browser }) => {
  test.setTimeout(240_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const phone = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const desk = await browser.newContext({ baseURL: jalon.url, viewport: { width: 1280, height: 800 } });
  const workerPhone = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  try {
    const page = await phone.newPage();
    await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
    const welcome = await page.getByRole('link', { name: 'Accueil de Amina Diallo' }).getAttribute('href');
    expect(welcome).toMatch(/^\/accueil\?salarie=/);

    // No network from here on.
    await phone.setOffline(true);
    await page.goto(welcome!);
    await hydrated(page);
    await expect(page.getByRole('heading', { name: 'Accueil de Amina Diallo', level: 1 })).toBeVisible();
    const progress = page.locator('[data-figure="welcome-progress"]');
    await expect(progress).toHaveText('0 sur 8 étapes faites');
    await page.getByLabel('Règlement intérieur expliqué').check();
    await expect(progress).toHaveText('1 sur 8 étapes faites');
    await page.getByLabel('Visite du chantier et des locaux').check();
    await expect(progress).toHaveText('2 sur 8 étapes faites');
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    await page.locator('li[data-item="equipe"]').getByLabel('Prévu le').fill(iso(tomorrow));
    await expect(page.locator('li[data-item="equipe"] .card__meta')).toContainText('Prévu le');

    // Safety shoes handed over; she will confirm on her own phone.
    await page.getByText('Remettre un équipement').click();
    await page.getByLabel('Équipement', { exact: true }).selectOption('safety_shoes');
    await page.getByLabel('Taille').fill('38');
    await page.getByRole('button', { name: 'Enregistrer la remise' }).click();
    const register = page.getByRole('list', { name: 'Registre des équipements' });
    await expect(page.getByText('Équipement enregistré sur ce téléphone.')).toBeVisible();
    await expect(register.getByText('Chaussures de sécurité, taille 38')).toBeVisible();
    await expect(register.locator('li')).toHaveCount(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    if (shots) await page.screenshot({ path: 'screens-out/welcome.png', fullPage: true });

    // A safety briefing with the team: two people there, one tap each.
    await page.goto('/securite');
    await hydrated(page);
    const topic = 'Ranger les outils tranchants après usage';
    await page.getByLabel('Thème').fill(topic);
    await page.getByRole('button', { name: 'Amina Diallo' }).click();
    await page.getByRole('button', { name: 'Kevin Lefort' }).click();
    await expect(page.getByRole('button', { name: 'Kevin Lefort' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('button', { name: "Enregistrer le quart d'heure" }).click();
    await expect(page.getByText("Quart d'heure enregistré sur ce téléphone : 2 présent(s).")).toBeVisible();
    const history = page.getByRole('list', { name: "Quarts d'heure de l'équipe" });
    await expect(history.locator('li', { hasText: topic })).toContainText('2 présent(s) sur 8');
    if (shots) await page.screenshot({ path: 'screens-out/briefing.png', fullPage: true });

    // A near miss, with an action to take.
    await page.goto('/observations/nouvelle');
    await hydrated(page);
    await page.locator('#worker').selectOption({ label: 'Amina Diallo — Espaces verts – équipe A' });
    await page.locator('label.choice--incident').click();
    await page.getByLabel("Presque-accident (personne n'est blessé)").check();
    await page.getByLabel('Lieu').fill('Parc des Tilleuls');
    const marker = `Sécateur tombé de la remorque ${Date.now()}`;
    await page.getByLabel('Ce que vous avez vu ou entendu').fill(marker);
    await page.getByRole('button', { name: '+ Ajouter une action' }).click();
    await page.getByLabel('Action à mener').fill('Fixer un bac à outils dans la remorque');
    await page.getByLabel("Qui s'en charge").fill('Julien Morel');
    // The long form keeps its button stuck above the bottom bar, where a
    // thumb taps it; Playwright's scroll-then-click lands beside a sticky
    // button in a tall form, so the test presses it from the keyboard.
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).press('Enter');
    await expect(page).toHaveURL(/\/observations\?enregistree=1$/);
    await expect(page.locator('.syncbar')).toContainText('en attente');

    // Back online: everything is sent, once.
    await phone.setOffline(false);
    await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 30_000 });
    await expect.poll(async () => (await readStore<unknown[]>(page, 'outbox', 'all')).length, { timeout: 30_000 }).toBe(0);

    // The counsellor sees each once.
    const cip = await desk.newPage();
    await readyOffline(cip, DEMO.counsellor, DEMO.staffPassword);
    // Her home shows how far the newcomer of the week is in their welcome.
    await cip.goto('/');
    await hydrated(cip);
    await expect(cip.locator('.list__item', { hasText: 'Inès Garnier' }).locator('.list__welcome'))
      .toContainText('accueil : 4 étape(s) sur 8');
    await expect(cip.locator('.list__welcome:not(:empty)')).toHaveCount(1);
    if (shots) {
      await cip.screenshot({ path: 'screens-out/counsellor-home.png', fullPage: true });
      await cip.setViewportSize({ width: 360, height: 640 });
      await cip.locator('.list__item', { hasText: 'Inès Garnier' }).scrollIntoViewIfNeeded();
      await cip.screenshot({ path: 'screens-out/counsellor-home-360.png' });
      await cip.setViewportSize({ width: 1280, height: 800 });
    }
    await cip.goto(welcome!);
    await hydrated(cip);
    await expect(cip.locator('[data-figure="welcome-progress"]')).toHaveText('2 sur 8 étapes faites');
    await expect(cip.getByRole('list', { name: 'Registre des équipements' }).locator('li')).toHaveCount(1);
    await cip.goto(`/fil?salarie=${welcome!.split('=')[1]}`);
    await hydrated(cip);
    await expect(cip.locator('.observation', { hasText: marker })).toHaveCount(1);
    await expect(cip.locator('.observation', { hasText: marker })).toContainText('1 action à faire');
    await cip.goto('/securite');
    await hydrated(cip);
    await expect(cip.getByRole('list', { name: "Quarts d'heure de l'équipe" }).locator('li', { hasText: topic })).toHaveCount(1);

    // Amina confirms the shoes on her phone.
    const me = await workerPhone.newPage();
    await signIn(me, DEMO.firstWorker, DEMO.workerPin);
    await expect(me).toHaveURL(/\/$/);
    await hydrated(me);
    await me.locator('[data-card="accueil"]').getByRole('link', { name: 'Voir mon accueil' }).click();
    await expect(me.getByRole('heading', { name: 'Mes premiers jours', level: 1 })).toBeVisible();
    await hydrated(me);
    await expect(me.getByRole('list', { name: 'Mon accueil' })).toContainText('Règlement intérieur expliqué');
    const mine = me.getByRole('list', { name: 'Mes équipements' }).locator('li', { hasText: 'Chaussures de sécurité, taille 38' });
    await mine.getByRole('button', { name: "J'ai reçu cet équipement" }).click();
    await expect(mine).toContainText('Reçu : confirmé sur son téléphone le');
    if (shots) await me.screenshot({ path: 'screens-out/my-welcome.png', fullPage: true });
    await expect(me.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 30_000 });
    await expect.poll(async () => (await readStore<unknown[]>(me, 'outbox', 'all')).length, { timeout: 30_000 }).toBe(0);

    // The supervisor's register shows it at the next sync.
    await page.goto(welcome!);
    await hydrated(page);
    await expect(page.getByRole('list', { name: 'Registre des équipements' })).toContainText('Reçu : confirmé sur son téléphone le', { timeout: 90_000 });
  } finally {
    await phone.close();
    await desk.close();
    await workerPhone.close();
    await jalon.stop();
  }
});
