// Progression objectives and the worker's own space, in a real Chromium at
// 360×640: the counsellor creates an objective with three steps; the team's
// supervisor, offline, ticks the first and syncs; the worker signs in, sees
// the progress and the next step, says (offline) she has done the next one;
// the counsellor confirms; the worker sees it in "Mes réussites". A second
// worker's phone holds none of it. The worker screens pass axe-core (no
// serious or critical violation) and the home text is scored for
// readability (Kandel–Moles). Each test starts its own server.
import { axeProblems } from '../support/axe';
import type { Browser, Page } from '@playwright/test';
import { test, expect, hydrated, readyOffline, scrollsSideways, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon, type Jalon } from '../support/server';
import { readStore } from '../support/phone';
import { kandelMoles, syllables } from '../support/readability';

const TITLE = 'Savoir tailler une haie en autonomie';
const STEPS = ["Choisir l'outil adapté", "Tailler avec l'encadrant", 'Tailler seul une haie entière'];

async function phone(browser: Browser, jalon: Jalon, login: string, secret = DEMO.staffPassword) {
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await readyOffline(page, login, secret);
  return { context, page };
}

async function synced(page: Page) {
  await page.getByRole('button', { name: 'Synchroniser' }).click().catch(() => undefined);
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 30_000 });
}

test('the syllable rule of thumb counts plain French words', () => {
  const counted = Object.fromEntries(
    ['chat', 'mange', 'étape', 'objectifs', 'bravo', 'présences', 'tailler', "l'heure", 'venir'].map((w) => [w, syllables(w)]),
  );
  expect(counted).toEqual({ chat: 1, mange: 1, étape: 2, objectifs: 3, bravo: 2, présences: 2, tailler: 2, "l'heure": 1, venir: 2 });
  expect(kandelMoles('Le chat mange. Il dort.').score).toBeGreaterThan(100);
  expect(kandelMoles("L'appréhension institutionnelle des problématiques d'employabilité interroge durablement les dispositifs d'accompagnement socioprofessionnel.").score).toBeLessThan(0);
});

test('an objective defined by the counsellor is ticked offline, claimed by the worker, confirmed, and shown in her successes', async ({ browser }) => {
  test.setTimeout(300_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  try {
    // The counsellor creates the objective with three steps.
    const cip = await phone(browser, jalon, DEMO.counsellor);
    await cip.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Objectifs' }).click();
    await hydrated(cip.page);
    await cip.page.getByRole('list', { name: 'Personnes suivies' }).getByRole('link', { name: /Amina Diallo/ }).click();
    await expect(cip.page.getByRole('heading', { name: 'Objectifs de Amina Diallo' })).toBeVisible();
    await cip.page.getByRole('link', { name: 'Nouvel objectif' }).click();
    await hydrated(cip.page);
    const form = cip.page.locator('form');
    // Empty title: a clear French message, nothing saved.
    await form.getByRole('button', { name: "Enregistrer l'objectif" }).click();
    await expect(cip.page.getByRole('alert')).toHaveText('Objectif : à remplir.');
    await cip.page.getByLabel('Objectif (avec les mots de la personne)').fill(TITLE);
    await cip.page.getByRole('radio', { name: 'Compétence professionnelle' }).check();
    await cip.page.getByLabel('Échéance (facultatif)').fill('2027-03-31');
    for (const [n, step] of STEPS.entries()) await cip.page.getByLabel(`Étape ${n + 1}`, { exact: true }).fill(step);
    expect(await scrollsSideways(cip.page)).toBe(false);
    await form.getByRole('button', { name: "Enregistrer l'objectif" }).click();
    await expect(cip.page.getByRole('heading', { name: TITLE, level: 1 })).toBeVisible();
    const objectiveUrl = cip.page.url();
    await expect(cip.page.getByRole('list', { name: 'Étapes' }).getByRole('listitem')).toHaveCount(3);
    // A note kept for the team, and one shown to the worker.
    await cip.page.getByLabel('Ajouter une note de suivi').fill('Note interne <b>équipe</b> seulement');
    await cip.page.getByRole('button', { name: 'Ajouter la note' }).click();
    await expect(cip.page.getByRole('list', { name: 'Notes de suivi' })).toContainText('Note interne <b>équipe</b> seulement');
    await cip.page.getByLabel('Ajouter une note de suivi').fill('On commence par le choix des outils.');
    await cip.page.getByText('Montrer cette note à la personne').click();
    await cip.page.getByRole('button', { name: 'Ajouter la note' }).click();
    await expect(cip.page.getByRole('list', { name: 'Notes de suivi' }).getByRole('listitem')).toHaveCount(2);
    await synced(cip.page);
    await expect(cip.page.locator('.chips [data-state]')).toHaveText('Envoyé');

    // The supervisor, offline on the worksite, ticks the first step.
    const sup = await phone(browser, jalon, DEMO.supervisorA);
    await sup.context.setOffline(true);
    await sup.page.goto('/objectifs');
    await hydrated(sup.page);
    await sup.page.getByRole('list', { name: 'Personnes suivies' }).getByRole('link', { name: /Amina Diallo/ }).click();
    await sup.page.locator(`[data-objective="${TITLE}"]`).getByRole('link').click();
    await expect(sup.page.getByRole('heading', { name: TITLE, level: 1 })).toBeVisible();
    await sup.page.getByRole('button', { name: `Marquer fait : ${STEPS[0]}` }).click();
    await expect(sup.page.getByRole('button', { name: `Fait : ${STEPS[0]}` })).toHaveAttribute('aria-pressed', 'true');
    await expect(sup.page.locator('.chips [data-state]')).toHaveText('Sur ce téléphone uniquement');
    expect(await scrollsSideways(sup.page)).toBe(false);
    await sup.page.reload();
    await hydrated(sup.page);
    await expect(sup.page.getByRole('button', { name: `Fait : ${STEPS[0]}` })).toHaveAttribute('aria-pressed', 'true');
    await expect(sup.page.locator('[role="img"][aria-label="1 étape sur 3"]')).toBeVisible();
    await sup.context.setOffline(false);
    await synced(sup.page);
    await expect(sup.page.locator('.chips [data-state]')).toHaveText('Envoyé');

    // The worker: home, readability, her objective and its next step.
    const amina = await phone(browser, jalon, DEMO.firstWorker, DEMO.workerPin);
    const home = amina.page.locator('main');
    await expect(home.locator('[data-card="objectifs"]')).toContainText('À faire :');
    const reading = kandelMoles(await home.innerText());
    console.log(`worker home readability (Kandel–Moles): ${JSON.stringify(reading)}`);
    expect(reading.score).toBeGreaterThanOrEqual(70);
    expect(await axeProblems(amina.page)).toEqual([]);
    expect(await scrollsSideways(amina.page)).toBe(false);

    await amina.context.setOffline(true);
    await amina.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Objectifs' }).click();
    await hydrated(amina.page);
    const mine = amina.page.locator(`[data-objective="${TITLE}"]`);
    await expect(mine.locator('[role="img"][aria-label="1 étape sur 3"]')).toBeVisible();
    await expect(mine).toContainText(`Prochaine étape : ${STEPS[1]}.`);
    await expect(mine).toContainText('On commence par le choix des outils.');
    await expect(mine).not.toContainText('Note interne');
    const held = JSON.stringify(await readStore(amina.page, 'objective', 'all'));
    expect(held).toContain(TITLE);
    expect(held).not.toContain('Note interne');
    await mine.getByRole('button', { name: `Je pense l'avoir fait : ${STEPS[1]}` }).click();
    await expect(mine.locator(`[data-step="${STEPS[1]}"]`)).toContainText('Vous avez dit : c\'est fait.');
    await mine.getByText('Écrire un message').click();
    await mine.getByLabel('Votre message').fill("J'ai taillé la haie du parking avec <b>Julien</b>.");
    await mine.getByRole('button', { name: 'Envoyer' }).click();
    await expect(mine.getByRole('list', { name: 'Messages' })).toContainText("Vous avez écrit, le");
    await expect(mine.getByRole('list', { name: 'Messages' })).toContainText("J'ai taillé la haie du parking avec <b>Julien</b>.");
    expect(await axeProblems(amina.page)).toEqual([]);
    expect(await scrollsSideways(amina.page)).toBe(false);
    await amina.page.reload();
    await hydrated(amina.page);
    await expect(mine.locator(`[data-step="${STEPS[1]}"]`)).toContainText('Vous avez dit : c\'est fait.');
    await amina.context.setOffline(false);
    await synced(amina.page);

    // The counsellor confirms the step; the worker's message is there.
    await cip.page.goto(objectiveUrl);
    await hydrated(cip.page);
    await synced(cip.page);
    const claims = cip.page.getByRole('list', { name: 'À confirmer' });
    await expect(claims).toContainText(`Amina pense avoir fait : ${STEPS[1]}`);
    await expect(cip.page.getByRole('list', { name: 'Messages de la personne' })).toContainText("J'ai taillé la haie du parking avec <b>Julien</b>.");
    await expect(cip.page.getByRole('button', { name: `Fait : ${STEPS[0]}` })).toHaveAttribute('aria-pressed', 'true');
    await claims.getByRole('button', { name: 'Confirmer' }).click();
    await expect(cip.page.getByRole('button', { name: `Fait : ${STEPS[1]}` })).toHaveAttribute('aria-pressed', 'true');
    await expect(cip.page.locator(`[data-step="${STEPS[1]}"]`)).toContainText('signalé par la personne');
    await expect(claims).toHaveCount(0);
    await synced(cip.page);

    // The worker sees it among her successes.
    await amina.page.goto('/mes-reussites');
    await hydrated(amina.page);
    await synced(amina.page);
    const successes = amina.page.getByRole('list', { name: 'Les étapes réussies' });
    await expect(successes.locator(`[data-success="${STEPS[1]}"]`)).toBeVisible();
    await expect(successes.locator(`[data-success="${STEPS[0]}"]`)).toBeVisible();
    expect(await axeProblems(amina.page)).toEqual([]);
    expect(await scrollsSideways(amina.page)).toBe(false);
    await amina.page.goto('/mes-objectifs');
    await hydrated(amina.page);
    await expect(mine.locator('[role="img"][aria-label="2 étapes sur 3"]')).toBeVisible();
    await expect(mine).toContainText(`Prochaine étape : ${STEPS[2]}.`);
    await amina.page.goto('/mes-presences');
    await hydrated(amina.page);
    expect(await axeProblems(amina.page)).toEqual([]);

    // A second worker of the same team: none of it, anywhere.
    const kevin = await phone(browser, jalon, 'demo.s02', DEMO.workerPin);
    await kevin.page.goto('/mes-objectifs');
    await hydrated(kevin.page);
    await expect(kevin.page.getByRole('heading', { name: 'Mes objectifs' })).toBeVisible();
    const text = await kevin.page.locator('main').innerText();
    expect(text).not.toContain(TITLE);
    expect(text).not.toContain('Amina');
    const stores = JSON.stringify([
      await readStore(kevin.page, 'objective', 'all'),
      await readStore(kevin.page, 'objective_reaction', 'all'),
    ]);
    expect(stores).not.toContain(TITLE);
    expect(stores).not.toContain('parking');
    await kevin.page.goto('/mes-reussites');
    await hydrated(kevin.page);
    expect(await kevin.page.locator('main').innerText()).not.toContain(STEPS[1]);

    for (const c of [cip, sup, amina, kevin]) await c.context.close();
  } finally {
    await jalon.stop();
  }
});

test('a review re-adjusts an objective and is kept in its history', async ({ browser }) => {
  test.setTimeout(180_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  try {
    const cip = await phone(browser, jalon, DEMO.counsellor);
    await cip.page.goto('/objectifs');
    await hydrated(cip.page);
    await cip.page.getByRole('list', { name: 'Personnes suivies' }).getByRole('link', { name: /Amina Diallo/ }).click();
    // The demo objective "Venir à l'heure chaque jour" has its first step done.
    await cip.page.locator('[data-objective="Venir à l\'heure chaque jour"]').getByRole('link').click();
    await hydrated(cip.page);
    await cip.page.getByText('Faire le point').click();
    await cip.page.getByRole('button', { name: 'Enregistrer le point' }).click();
    await expect(cip.page.getByRole('alert')).toHaveText('Ce qui a été décidé : à remplir.');
    await cip.page.getByLabel('Ce qui a été décidé').fill("Deux retards à cause du bus : on se donne un mois de plus, avec l'aide au transport.");
    await cip.page.getByLabel('Nouvelle échéance (si elle change)').fill('2027-06-30');
    await cip.page.getByRole('button', { name: 'Enregistrer le point' }).click();
    const history = cip.page.getByRole('list', { name: "Points d'étape" });
    await expect(history.getByRole('listitem')).toHaveCount(1);
    await expect(history).toContainText('→ mer. 30 juin 2027');
    await expect(cip.page.getByText('Échéance : mercredi 30 juin 2027.')).toBeVisible();
    expect(await scrollsSideways(cip.page)).toBe(false);
    await synced(cip.page);
    await cip.page.reload();
    await hydrated(cip.page);
    await expect(history).toContainText('on se donne un mois de plus');
    await cip.context.close();
  } finally {
    await jalon.stop();
  }
});
