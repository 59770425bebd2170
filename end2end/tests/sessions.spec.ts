// Skill frameworks and learning sessions in a real Chromium, on phone-sized
// screens: the admin edits a framework and imports files (a faulty one
// changes nothing); a supervisor prepares a session from a template, goes
// offline, runs it with three workers and evaluates four criteria each,
// reloads, syncs; the counsellor sees the levels on each worker's page; a
// worker sees only their own results. Each test starts its own server.
import type { Browser, Page } from '@playwright/test';
import { test, expect, hydrated, readyOffline, scrollsSideways, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon, type Jalon } from '../support/server';
import { readStore } from '../support/phone';

const TEMPLATE = 'Tailler une haie au taille-haie électrique';
const PLAN = 'Taille de haie — groupe du mardi';
const PARTICIPANTS = ['Amina Diallo', 'Laetitia Roux', 'Mehdi Bouzid'];

async function phone(browser: Browser, jalon: Jalon, login: string, secret = DEMO.staffPassword) {
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await readyOffline(page, login, secret);
  return { context, page };
}

const skillCards = (page: Page) => page.locator('article.skill');

test('the admin edits a framework; a faulty import changes nothing, a good one adds a framework', async ({ browser }) => {
  test.setTimeout(180_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  try {
    const { context, page } = await phone(browser, jalon, DEMO.admin);
    await page.getByRole('link', { name: 'Référentiels de compétences' }).click();
    await hydrated(page);
    const list = page.getByRole('list', { name: 'Référentiels' });
    for (const title of ['Comportements professionnels', 'Espaces verts', 'Second œuvre du bâtiment', 'Tri et réemploi textile']) {
      await expect(list.locator(`[data-framework="${title}"]`)).toBeVisible();
    }
    await expect(list.getByRole('listitem')).toHaveCount(4);
    expect(await scrollsSideways(page)).toBe(false);

    await list.getByRole('link', { name: /Espaces verts/ }).click();
    await hydrated(page);
    await expect(page.getByRole('heading', { name: 'Espaces verts', level: 1 })).toBeVisible();
    const before = await skillCards(page).count();

    // Add a skill with two criteria (blank lines are dropped).
    await page.getByText('Ajouter une compétence').click();
    const add = page.locator('details', { hasText: 'Ajouter une compétence' });
    await add.getByLabel('Domaine').fill('Taille');
    await add.getByLabel('Compétence').fill('Tailler à la cisaille <b>manuelle</b>');
    await add.getByPlaceholder('Critère 1').fill('Garde la lame parallèle à la haie');
    await add.getByPlaceholder('Critère 2').fill('Nettoie et range la cisaille');
    await add.getByRole('button', { name: 'Enregistrer la compétence' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Compétence enregistrée.' })).toBeVisible();
    await expect(skillCards(page)).toHaveCount(before + 1);
    const added = page.locator('article.skill[data-skill="Tailler à la cisaille <b>manuelle</b>"]');
    await expect(added.getByRole('listitem')).toHaveCount(2);

    // Reorder: the new skill goes up one place.
    const order = () => skillCards(page).evaluateAll((cards) => cards.map((c) => c.getAttribute('data-skill')));
    const was = await order();
    const at = was.indexOf('Tailler à la cisaille <b>manuelle</b>');
    await added.getByRole('button', { name: /^Monter/ }).click();
    await expect.poll(order).not.toEqual(was);
    expect((await order()).indexOf('Tailler à la cisaille <b>manuelle</b>')).toBe(at - 1);

    // Archive a skill: still listed, marked, kept.
    const mulch = page.locator('article.skill[data-skill="Pailler un massif"]');
    await mulch.getByRole('button', { name: 'Archiver' }).click();
    await expect(mulch.locator('.badge', { hasText: 'Archivée' })).toBeVisible();
    await expect(mulch.getByRole('button', { name: 'Réactiver' })).toBeVisible();

    // Export: the file names the skills, archived one included.
    const exportLink = page.getByRole('link', { name: 'Exporter (fichier JSON)' });
    const href = await exportLink.getAttribute('href');
    const exported = await page.request.get(href!);
    expect(exported.status()).toBe(200);
    const file = await exported.text();
    expect(JSON.parse(file)).toMatchObject({ format: 'jalon-referentiel', version: 1, title: 'Espaces verts' });
    expect(file).toContain('"archived": true');

    // A faulty file: refused with its line and reason; nothing imported.
    await page.getByRole('link', { name: '‹ Tous les référentiels' }).click();
    await expect(page.getByRole('list', { name: 'Référentiels' }).getByRole('listitem')).toHaveCount(4);
    const faulty = file.replace('"title": "Espaces verts"', '"title": "Espaces verts (copie)"').replace('"text": "Garde la lame parallèle à la haie"', '"text": ""');
    const faultyLine = faulty.split('\n').findIndex((l) => l.includes('"text": ""'));
    await page.getByLabel('Contenu du fichier (ou collez-le ici)').fill(faulty);
    await page.getByRole('button', { name: 'Importer' }).click();
    await expect(page.getByRole('alert')).toContainText(`Fichier refusé, ligne ${faultyLine} : critère`);
    await expect(page.getByRole('alert')).toContainText('Texte : à remplir');
    const broken = file.replace('"version": 1,', '"version": 1');
    await page.getByLabel('Contenu du fichier (ou collez-le ici)').fill(broken);
    await page.getByRole('button', { name: 'Importer' }).click();
    await expect(page.getByRole('alert')).toContainText('ligne 4 : JSON mal formé');
    await page.reload();
    await hydrated(page);
    await expect(page.getByRole('list', { name: 'Référentiels' }).getByRole('listitem')).toHaveCount(4);

    // The same file, corrected, chosen from the phone's files: a new framework.
    await page.getByLabel('Fichier', { exact: true }).setInputFiles({
      name: 'referentiel.json',
      mimeType: 'application/json',
      buffer: Buffer.from(file.replace('"title": "Espaces verts"', '"title": "Espaces verts (réseau)"')),
    });
    await expect(page.getByLabel('Contenu du fichier (ou collez-le ici)')).toHaveValue(/Espaces verts \(réseau\)/);
    await page.getByRole('button', { name: 'Importer' }).click();
    await expect(page.getByRole('heading', { name: 'Espaces verts (réseau)', level: 1 })).toBeVisible();
    await expect(skillCards(page)).toHaveCount(before + 1);
    expect(await scrollsSideways(page)).toBe(false);
    await context.close();
  } finally {
    await jalon.stop();
  }
});

test('a session prepared from a template is run offline with three workers; the counsellor sees their levels, each worker only their own', async ({ browser }) => {
  test.setTimeout(300_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  try {
    const sup = await phone(browser, jalon, DEMO.supervisorA);
    const page = sup.page;

    // Prepare: duplicate the template (one tap), keep the hedge skill only.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Séances' }).click();
    await hydrated(page);
    await page.getByRole('link', { name: 'Plans de séance' }).click();
    await hydrated(page);
    await page.locator(`[data-plan="${TEMPLATE}"]`).getByRole('button', { name: 'Dupliquer' }).click();
    await expect(page).toHaveURL(/\/seances\/plans\/[^/]+\/modifier$/);
    await hydrated(page);
    await expect(page.getByLabel('Titre de la séance')).toHaveValue(`${TEMPLATE} (copie)`);
    await page.getByLabel('Titre de la séance').fill(PLAN);
    await page.getByText('Comportements professionnels', { exact: true }).click();
    await page.getByLabel('Sécurité et EPI').uncheck();
    await expect(page.locator('.plan-criteria__item')).toHaveCount(4);
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByRole('button', { name: 'Enregistrer le plan' }).click();
    await expect(page.getByRole('heading', { name: PLAN, level: 1 })).toBeVisible();
    await expect(page.getByRole('article', { name: 'Fiche de préparation' })).toContainText('Tâche support');
    await expect(page.getByRole('button', { name: 'Imprimer' })).toBeVisible();

    // The phone keeps the plans: reloading syncs and refreshes its copy.
    await page.reload();
    await hydrated(page);
    await expect
      .poll(async () => JSON.stringify(await readStore<unknown[]>(page, 'meta', 'all')), { timeout: 30_000 })
      .toContain(PLAN);

    // Offline: start the session, three participants, four criteria each.
    await sup.context.setOffline(true);
    await page.goto('/seances/nouvelle');
    await hydrated(page);
    let taps = 0;
    await page.getByRole('radio', { name: new RegExp(PLAN) }).check();
    taps++;
    await page.getByLabel('Lieu').fill('Résidence Les Tilleuls');
    for (const name of PARTICIPANTS) {
      await page.getByRole('checkbox', { name }).check();
      taps++;
    }
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByRole('button', { name: 'Commencer la séance' }).click();
    taps++;
    await expect(page.getByRole('heading', { name: PLAN, level: 1 })).toBeVisible();
    const startTaps = taps;

    const levels: Record<string, string[]> = {
      'Amina Diallo': ['Acquis', 'Acquis', 'Acquis', 'Acquis'],
      'Laetitia Roux': ['En cours', 'Acquis', 'Non acquis', 'Acquis'],
      'Mehdi Bouzid': ['Non acquis', 'Non acquis', 'Non acquis', 'Non acquis'],
    };
    // Participants are in alphabetical order: Amina, Laetitia, Mehdi.
    for (const [i, name] of PARTICIPANTS.entries()) {
      const person = page.locator(`[data-participant="${name}"]`);
      await expect(person).toBeVisible();
      const criteria = person.locator('fieldset.criterion');
      await expect(criteria).toHaveCount(4);
      for (let k = 0; k < 4; k++) {
        const button = criteria.nth(k).getByRole('button', { name: levels[name][k], exact: true });
        await button.click();
        taps++;
        await expect(criteria.nth(k).getByRole('button', { name: levels[name][k], exact: true })).toHaveAttribute('aria-pressed', 'true');
      }
      expect(await scrollsSideways(page)).toBe(false);
      if (i < PARTICIPANTS.length - 1) {
        await page.getByRole('button', { name: `Personne suivante : ${PARTICIPANTS[i + 1]}` }).click();
        taps++;
      }
    }
    // A comment on Mehdi's first criterion.
    const mehdi = page.locator('[data-participant="Mehdi Bouzid"]');
    await mehdi.locator('fieldset.criterion').first().locator('summary', { hasText: 'Commentaire' }).click();
    await mehdi.locator('fieldset.criterion').first().getByRole('textbox').fill('Coupe en <b>biais</b>, à revoir avec lui.');
    await mehdi.getByRole('heading', { name: 'Mehdi Bouzid' }).click();
    console.log(`taps to evaluate 3 participants on 4 criteria: ${taps - startTaps} (plus ${startTaps} to start the session)`);

    // Reload offline once the phone has written the comment: everything is
    // still there, nothing sent yet.
    await expect.poll(async () => JSON.stringify(await readStore(page, 'evaluation', 'all'))).toContain('biais');
    await page.reload();
    await hydrated(page);
    const participants = page.getByRole('navigation', { name: 'Participants' });
    await expect(participants.getByRole('button')).toHaveCount(3);
    await expect(participants.getByRole('button', { name: /Amina Diallo 4\/4/ })).toBeVisible();
    await participants.getByRole('button', { name: /Mehdi Bouzid/ }).click();
    await expect(mehdi.locator('fieldset.criterion').first().getByRole('textbox')).toHaveValue('Coupe en <b>biais</b>, à revoir avec lui.');
    await expect(mehdi.getByRole('button', { name: 'Non acquis', exact: true }).first()).toHaveAttribute('aria-pressed', 'true');
    await expect(mehdi.getByText('Sur ce téléphone uniquement')).toBeVisible();

    // Back online: the three records are sent.
    await sup.context.setOffline(false);
    await page.getByRole('button', { name: 'Synchroniser' }).click().catch(() => undefined);
    await expect(mehdi.getByText('Envoyée')).toBeVisible({ timeout: 30_000 });
    await page.goto('/seances');
    await hydrated(page);
    await expect(page.locator(`[data-session="${PLAN}"]`)).toContainText('3 évalué(s) sur 3');

    // The counsellor: each worker's page shows the levels.
    const cip = await phone(browser, jalon, DEMO.counsellor);
    const expected: Record<string, string> = {
      'Amina Diallo': 'Acquis',
      'Laetitia Roux': "En cours d'acquisition",
      'Mehdi Bouzid': 'Non acquis',
    };
    for (const name of PARTICIPANTS) {
      await cip.page.goto('/salaries');
      await hydrated(cip.page);
      await cip.page.getByRole('link', { name }).first().click();
      await hydrated(cip.page);
      await cip.page.getByRole('link', { name: 'Ses compétences (évaluations)' }).click();
      await hydrated(cip.page);
      await expect(cip.page.getByRole('heading', { name: `Compétences de ${name}` })).toBeVisible();
      const hedge = cip.page.locator('article.progress[data-skill="Tailler une haie"]');
      await expect(hedge.locator('.level-chip').first()).toHaveText(expected[name]);
      await expect(hedge).toContainText(`« ${PLAN} » · Julien Morel`);
      expect(await scrollsSideways(cip.page)).toBe(false);
    }
    // Amina's history: the demo session a week ago, then today's.
    await cip.page.goto('/salaries');
    await cip.page.getByRole('link', { name: 'Amina Diallo' }).first().click();
    await cip.page.getByRole('link', { name: 'Ses compétences (évaluations)' }).click();
    const hedge = cip.page.locator('article.progress[data-skill="Tailler une haie"]');
    await hedge.getByText('Historique (2 évaluations)').click();
    await expect(hedge.locator('.history__item')).toHaveCount(2);
    await expect(hedge.locator('.history__item').first()).toContainText(PLAN);
    await expect(hedge.locator('.history__item').nth(1)).toContainText(TEMPLATE);
    await cip.context.close();

    // Amina on her phone: her results in plain words, successes first, and
    // nothing about the other participants.
    const amina = await phone(browser, jalon, DEMO.firstWorker, DEMO.workerPin);
    await amina.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Réussites' }).click();
    await hydrated(amina.page);
    await expect(amina.page.getByRole('list', { name: 'Ce que je sais faire' })).toContainText('Tailler une haie');
    await amina.page.getByRole('link', { name: 'Voir le détail' }).click();
    await hydrated(amina.page);
    await expect(amina.page.getByRole('heading', { name: 'Ce que je sais faire' })).toBeVisible();
    const first = amina.page.locator('article.progress').first();
    await expect(first.locator('.level-chip').first()).toHaveText('Je sais faire');
    await expect(amina.page.locator('article.progress[data-skill="Tailler une haie"] .level-chip').first()).toHaveText('Je sais faire');
    const text = await amina.page.locator('main').innerText();
    for (const other of ['Laetitia', 'Mehdi', 'Kevin', 'Fatou']) expect(text).not.toContain(other);
    const held = await readStore<{ data: { worker_id: string; results: { comment: string }[] } }[]>(amina.page, 'evaluation', 'all');
    expect(held.length).toBe(2);
    expect(new Set(held.map((r) => r.data.worker_id)).size).toBe(1);
    expect(JSON.stringify(held)).not.toContain('biais');
    expect(await scrollsSideways(amina.page)).toBe(false);
    await amina.context.close();

    // Mehdi sees his own (not acquired) results and his comment as text.
    const mehdiPhone = await phone(browser, jalon, 'demo.s04', DEMO.workerPin);
    await mehdiPhone.page.goto('/mes-competences');
    await hydrated(mehdiPhone.page);
    const own = mehdiPhone.page.locator('article.progress[data-skill="Tailler une haie"]');
    await expect(own.locator('.level-chip').first()).toHaveText('À travailler');
    await own.getByText('Détail').click();
    await expect(own).toContainText('Coupe en <b>biais</b>, à revoir avec lui.');
    await expect(mehdiPhone.page.locator('main')).not.toContainText('Amina');
    await mehdiPhone.context.close();
    await sup.context.close();
  } finally {
    await jalon.stop();
  }
});

test('an AFEST session records what the worker says before the evaluation; absent participants are marked', async ({ browser }) => {
  test.setTimeout(180_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  try {
    const sup = await phone(browser, jalon, DEMO.supervisorA);
    const page = sup.page;
    await page.goto('/seances/plans/nouveau');
    await hydrated(page);
    await page.getByLabel('Titre de la séance').fill('AFEST tonte');
    await page.getByText('AFEST : mise en situation').click();
    await page.getByText('Espaces verts', { exact: true }).click();
    await page.getByLabel('Tondre une pelouse').check();
    await page.getByLabel('Critère à ajouter').fill('Explique pourquoi il ramasse les objets avant');
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await expect(page.locator('.plan-criteria__item')).toHaveCount(5);
    await page.locator('#step-title-0').fill('Mise en situation');
    await page.getByRole('button', { name: 'Enregistrer le plan' }).click();
    await expect(page.getByRole('heading', { name: 'AFEST tonte', level: 1 })).toBeVisible();
    await expect(page.getByText('Fiche de préparation — AFEST')).toBeVisible();
    await page.getByRole('link', { name: 'Commencer une séance' }).click();
    await hydrated(page);
    await expect
      .poll(async () => {
        await page.reload();
        await hydrated(page);
        return page.getByRole('radio', { name: /AFEST tonte/ }).count();
      }, { timeout: 30_000 })
      .toBe(1);
    await page.getByRole('radio', { name: /AFEST tonte/ }).check();
    await page.getByRole('checkbox', { name: 'Kevin Lefort' }).check();
    await page.getByRole('checkbox', { name: 'Fatou Camara' }).check();
    await page.getByRole('button', { name: 'Commencer la séance' }).click();
    const fatou = page.locator('[data-participant="Fatou Camara"]');
    await expect(fatou).toBeVisible();
    await fatou.getByRole('button', { name: 'Absent ce jour' }).click();
    await expect(fatou.getByRole('button', { name: /Absent ce jour/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(fatou.locator('fieldset.criterion')).toHaveCount(0);
    await page.getByRole('button', { name: 'Personne suivante : Kevin Lefort' }).click();
    const kevin = page.locator('[data-participant="Kevin Lefort"]');
    const reflection = kevin.getByLabel('Temps réflexif : ce que la personne dit avoir fait et compris');
    await reflection.fill("J'ai ramassé les branches avant, sinon la lame casse.");
    await kevin.getByRole('heading', { name: 'Kevin Lefort' }).click();
    await kevin.locator('fieldset.criterion').last().getByRole('button', { name: 'Acquis', exact: true }).click();
    // Reload once the phone has written both (the reflection and the tap).
    await expect
      .poll(async () => {
        const held = await readStore<{ data: { reflection: string; results: { level: string }[] } }[]>(page, 'evaluation', 'all');
        return held.some((r) => r.data.reflection.includes('ramassé') && r.data.results.some((c) => c.level === 'acquired'));
      })
      .toBe(true);
    await page.reload();
    await hydrated(page);
    await page.getByRole('navigation', { name: 'Participants' }).getByRole('button', { name: /Fatou Camara absent/ }).waitFor();
    await page.getByRole('navigation', { name: 'Participants' }).getByRole('button', { name: /Kevin Lefort 1\/5/ }).click();
    await expect(kevin.getByLabel('Temps réflexif : ce que la personne dit avoir fait et compris')).toHaveValue("J'ai ramassé les branches avant, sinon la lame casse.");
    await sup.context.close();
  } finally {
    await jalon.stop();
  }
});
