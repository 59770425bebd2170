// Bilans and the attestation of skills, in a real Chromium at 360×640: the
// counsellor prepares an exit bilan for a demo worker from her parcours,
// completes and validates it, downloads its PDF and shares it with her; then
// issues the attestation of skills and downloads it; a visitor checks it on
// the public page its QR code opens; the worker, with no network, finds both
// in "Mes bilans" on her phone, in plain words. Its own server.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { axeProblems } from '../support/axe';
import { test, expect, hydrated, readyOffline, scrollsSideways, signIn, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon, type Jalon } from '../support/server';

async function phone(browser: Browser, jalon: Jalon) {
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 }, locale: 'fr-FR', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  return { context, page };
}

/** Clicks a download link and answers the file's name and first bytes. */
async function downloaded(page: Page, name: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).first().click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), head: readFileSync(path!).subarray(0, 5).toString() };
}

test('a counsellor prepares, validates and shares an exit bilan and an attestation; the worker reads them offline', async ({ browser }) => {
  test.setTimeout(300_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  try {
    const cip = await phone(browser, jalon);
    await signIn(cip.page, DEMO.counsellor, DEMO.staffPassword);
    await expect(cip.page.getByRole('heading', { level: 1 })).toContainText('Bonjour');
    await cip.page.goto('/salaries');
    await hydrated(cip.page);
    await cip.page.getByRole('link', { name: /Amina Diallo/ }).first().click();
    await expect(cip.page.getByRole('heading', { name: 'Amina Diallo', level: 1 })).toBeVisible();
    const papers = cip.page.locator('#bilans');
    // The demo's entry bilan is already there.
    await expect(papers.getByTestId('bilans')).toContainText("Bilan d'entrée");
    await hydrated(cip.page);

    // An exit bilan over her parcours so far.
    await papers.getByLabel('Type de bilan').selectOption({ label: 'Bilan de sortie' });
    await papers.getByRole('button', { name: 'Préparer le bilan' }).click();
    await expect(cip.page).toHaveURL(/\/bilans\//);
    await hydrated(cip.page);
    await expect(cip.page.getByTestId('bilan-status')).toHaveText('Brouillon');
    const doc = cip.page.locator('article.document');
    await expect(doc).toContainText('Taux de présence');
    await expect(doc).toContainText('Salarié : Amina Diallo');
    // Validating with no conclusions: a French message, still a draft.
    await cip.page.getByRole('button', { name: 'Valider le bilan' }).click();
    await expect(cip.page.getByRole('alert')).toContainText('conclusions');
    await cip.page.getByLabel('Les mots de la personne').fill("J'ai appris à tailler les haies, j'ai aimé le travail en équipe.");
    await cip.page.getByLabel('Conclusions').fill('Parcours régulier ; autonomie acquise sur la taille.');
    await cip.page.getByLabel('Prochains objectifs').fill('Passer le CACES R489');
    await cip.page.getByLabel('Orientation').fill("CDD d'agent d'espaces verts");
    expect(await scrollsSideways(cip.page)).toBe(false);
    if (process.env.JALON_SCREENS) await cip.page.screenshot({ path: 'screens-out/bilan-draft.png', fullPage: true });
    await cip.page.getByRole('button', { name: 'Valider le bilan' }).click();
    await expect(cip.page.getByTestId('bilan-status')).toHaveText('Validé');
    await expect(doc).toContainText('Parcours régulier ; autonomie acquise sur la taille.');
    await expect(cip.page.getByRole('button', { name: 'Enregistrer le brouillon' })).toHaveCount(0);
    const pdf = await downloaded(cip.page, 'Télécharger le PDF');
    expect(pdf.name).toMatch(/^bilan-sortie-amina-diallo-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(pdf.head).toBe('%PDF-');
    await cip.page.getByRole('radio', { name: 'La personne' }).check();
    await cip.page.getByRole('button', { name: 'Partager', exact: true }).click();
    await expect(cip.page.getByTestId('shares')).toContainText('La personne');
    await cip.page.getByRole('button', { name: 'Créer ces objectifs' }).click();
    await expect(cip.page.getByRole('status').filter({ hasText: 'objectif créé' })).toBeVisible();
    expect(await axeProblems(cip.page)).toEqual([]);
    expect(await scrollsSideways(cip.page)).toBe(false);
    if (process.env.JALON_SCREENS) await cip.page.screenshot({ path: 'screens-out/bilan-validated.png', fullPage: true });

    // The attestation of skills, from the parcours.
    await cip.page.getByRole('link', { name: '← Retour au parcours' }).click();
    await hydrated(cip.page);
    await expect(papers.getByTestId('bilans')).toContainText('Bilan de sortie');
    await expect(papers.getByLabel('Encadrant technique qui signe')).toHaveValue('Julien Morel');
    await papers.getByLabel('Responsable de la structure qui signe').fill('Anne Morel, directrice');
    await papers.getByRole('button', { name: "Établir l'attestation" }).click();
    await expect(cip.page).toHaveURL(/\/attestations\//);
    await hydrated(cip.page);
    const attestation = cip.page.locator('article.document');
    await expect(attestation).toContainText('Attestation de compétences');
    await expect(attestation).toContainText('Anne Morel, directrice');
    await expect(attestation.locator('.document__qr svg')).toBeVisible();
    const link = (await attestation.getByText(/\/verifier\//).textContent())!.trim();
    const code = link.split('/verifier/')[1];
    expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
    const file = await downloaded(cip.page, 'Télécharger le PDF');
    expect(file.name).toMatch(/^attestation-competences-amina-diallo-.*\.pdf$/);
    expect(file.head).toBe('%PDF-');
    expect(await axeProblems(cip.page)).toEqual([]);
    expect(await scrollsSideways(cip.page)).toBe(false);
    if (process.env.JALON_SCREENS) await cip.page.screenshot({ path: 'screens-out/attestation.png', fullPage: true });

    // Anyone who scans the code: genuine, and what it states.
    const visitor = await phone(browser, jalon);
    await visitor.page.goto(`/verifier/${code}`);
    await expect(visitor.page.getByTestId('verdict')).toContainText('Attestation authentique');
    await expect(visitor.page.getByTestId('verified-name')).toHaveText('Amina Diallo');
    await visitor.page.goto('/verifier/AAAAA-AAAAA');
    await expect(visitor.page.getByTestId('verdict')).toContainText('Aucune attestation ne porte ce code');

    // The worker's phone, with no network: both, in plain words.
    const amina = await phone(browser, jalon);
    await readyOffline(amina.page, DEMO.firstWorker, DEMO.workerPin);
    await amina.context.setOffline(true);
    await amina.page.locator('[data-card="bilans"]').getByRole('link', { name: 'Voir mes bilans' }).click();
    await hydrated(amina.page);
    const mine = amina.page.getByTestId('my-bilan');
    await expect(mine).toHaveCount(2);
    await expect(mine.first()).toContainText('Votre bilan de sortie');
    await expect(mine.first()).toContainText("Ce que vous avez dit : « J'ai appris à tailler les haies");
    await expect(mine.first()).toContainText('Vos prochains objectifs : Passer le CACES R489.');
    await expect(mine.nth(1)).toContainText("Votre bilan d'entrée");
    await expect(amina.page.getByTestId('my-attestation')).toContainText(code);
    expect(await axeProblems(amina.page)).toEqual([]);
    expect(await scrollsSideways(amina.page)).toBe(false);
    if (process.env.JALON_SCREENS) await amina.page.screenshot({ path: 'screens-out/my-bilans.png', fullPage: true });
    await amina.page.reload();
    await hydrated(amina.page);
    await expect(amina.page.getByTestId('my-bilan')).toHaveCount(2);
  } finally {
    await jalon.stop();
  }
});
