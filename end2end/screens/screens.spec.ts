import { test, DEMO, signIn, hydrated } from '../support/fixtures';

const OUT = `${__dirname}/../screens-out`;

test('screens at 360×640', async ({ page }) => {
  await page.goto('/connexion');
  await hydrated(page);
  await page.screenshot({ path: `${OUT}/sign-in.png` });
  await page.goto('/activer');
  await page.screenshot({ path: `${OUT}/activate.png` });
  for (const [name, login, secret] of [
    ['supervisor', DEMO.supervisorA, DEMO.staffPassword],
    ['counsellor', DEMO.counsellor, DEMO.staffPassword],
    ['worker', DEMO.firstWorker, DEMO.workerPin],
    ['admin', DEMO.admin, DEMO.staffPassword],
  ]) {
    await page.context().clearCookies();
    await signIn(page, login, secret);
    await page.waitForURL(/\/$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.screenshot({ path: `${OUT}/home-${name}.png` });
  }
  for (const [name, url] of [
    ['workers', '/salaries'],
    ['new-worker', '/salaries/nouveau'],
    ['accounts', '/admin/comptes'],
    ['teams', '/admin/equipes'],
    ['journal', '/admin/journal'],
    ['account', '/compte'],
    ['not-found', '/nulle-part'],
  ]) {
    await page.goto(url);
    await hydrated(page);
    await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
  }
  await page.goto('/salaries');
  await page.getByRole('link', { name: /Amina Diallo/ }).click();
  await page.getByRole('heading', { name: 'Amina Diallo' }).waitFor();
  await page.getByRole('button', { name: "Créer un code d'activation" }).click();
  await page.locator('.activation__qr svg').waitFor();
  await page.screenshot({ path: `${OUT}/worker-file.png`, fullPage: true });
});

test('offline screens at 360×640', async ({ page, context }) => {
  await signIn(page, DEMO.supervisorA, DEMO.staffPassword);
  await page.waitForURL(/\/$/);
  await hydrated(page);
  await page.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await page.screenshot({ path: `${OUT}/home-supervisor-synced.png` });
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await page.getByText('Pas de réseau.').waitFor();
  await page.screenshot({ path: `${OUT}/home-offline.png` });
  await page.goto('/observations/nouvelle');
  await hydrated(page);
  await page.getByLabel('Personne').selectOption({ label: 'Amina Diallo — Espaces verts – équipe A' });
  await page.getByLabel('Atout', { exact: true }).check();
  await page.getByLabel('Ce que vous avez vu ou entendu').fill('A aidé un collègue à finir la tonte sans qu\'on le lui demande.');
  await page.screenshot({ path: `${OUT}/observation-new.png`, fullPage: true });
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Observation enregistrée sur ce téléphone.').waitFor();
  await page.screenshot({ path: `${OUT}/observations-offline.png`, fullPage: true });
  await page.goto('/compte');
  await hydrated(page);
  await page.screenshot({ path: `${OUT}/account-waiting.png`, fullPage: true });
  await context.setOffline(false);
  await page.goto('/observations');
  await page.locator('.chip', { hasText: 'Envoyée' }).first().waitFor({ timeout: 20_000 });
  await page.screenshot({ path: `${OUT}/observations-synced.png`, fullPage: true });
});

test('attendance screens at 360×640', async ({ page }) => {
  await signIn(page, DEMO.supervisorA, DEMO.staffPassword);
  await page.waitForURL(/\/$/);
  await page.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await page.goto('/pointage');
  await hydrated(page);
  await page.locator('.roll__row').first().waitFor();
  await page.screenshot({ path: `${OUT}/roll-call.png` });
  await page.getByRole('button', { name: 'Kevin Lefort : absent, retard ou départ' }).click();
  await page.screenshot({ path: `${OUT}/roll-call-exceptions.png`, fullPage: true });
  await page.locator('.roll__row', { hasText: 'Kevin Lefort' }).getByRole('button', { name: 'Maladie' }).click();
  await page.getByRole('button', { name: /Tous présents/ }).click();
  await page.locator('.roll__row--present').nth(6).waitFor();
  await page.screenshot({ path: `${OUT}/roll-call-done.png` });
  // Sent before another person signs in on this phone (otherwise it stays theirs).
  await page.locator('.roll__row .chip', { hasText: 'Envoyé' }).nth(7).waitFor({ timeout: 20_000 });
  await page.getByRole('link', { name: 'Jour précédent' }).click();
  await page.locator('.past-day').waitFor();
  await page.screenshot({ path: `${OUT}/roll-call-past-day.png` });

  await page.context().clearCookies();
  await signIn(page, DEMO.counsellor, DEMO.staffPassword);
  await page.waitForURL(/\/$/);
  await page.goto('/presences');
  await hydrated(page);
  await page.screenshot({ path: `${OUT}/attendance-report.png`, fullPage: true });

  await page.context().clearCookies();
  await signIn(page, DEMO.firstWorker, DEMO.workerPin);
  await page.waitForURL(/\/$/);
  await page.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await page.goto('/mes-presences');
  await hydrated(page);
  await page.locator('.cal__day').first().waitFor();
  await page.screenshot({ path: `${OUT}/my-attendance.png`, fullPage: true });
});

test('observation screens at 360×640', async ({ page, browser }) => {
  await signIn(page, DEMO.supervisorA, DEMO.staffPassword);
  await page.waitForURL(/\/$/);
  await page.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await page.goto('/observations');
  await hydrated(page);
  await page.locator('.team-row').first().waitFor();
  await page.screenshot({ path: `${OUT}/observations-team.png` });
  await page.getByRole('link', { name: 'Noter une observation sur Amina Diallo' }).click();
  await hydrated(page);
  await page.getByLabel('Atout', { exact: true }).check();
  await page.getByLabel('Ce que vous avez vu ou entendu').fill('A rangé le matériel sans qu\'on le demande.');
  await page.screenshot({ path: `${OUT}/observation-new-plain.png` });
  await page.getByLabel('Frein', { exact: true }).check();
  await page.getByLabel('Santé', { exact: true }).check();
  await page.getByLabel('Ce que vous avez vu ou entendu').fill('Dit avoir mal au genou en se relevant.');
  await page.screenshot({ path: `${OUT}/observation-new-sensitive.png`, fullPage: true });
  await page.getByLabel('Santé', { exact: true }).uncheck().catch(() => undefined);
  await page.getByLabel('Mobilité', { exact: true }).check();
  await page.screenshot({ path: `${OUT}/observation-new-barrier.png` });
  await page.goto('/observations');
  await hydrated(page);
  await page.getByRole('link', { name: /Amina Diallo/ }).first().click();
  await page.locator('.observation').first().waitFor();
  await page.screenshot({ path: `${OUT}/observations-worker.png`, fullPage: true });

  const cip = await browser.newPage({ viewport: { width: 360, height: 640 }, baseURL: page.url().replace(/\/observations.*$/, '') });
  await signIn(cip, DEMO.counsellor, DEMO.staffPassword);
  await cip.waitForURL(/\/$/);
  await cip.goto('/fil');
  await hydrated(cip);
  await cip.locator('.observation').first().waitFor();
  await cip.screenshot({ path: `${OUT}/feed.png` });
  await cip.screenshot({ path: `${OUT}/feed-full.png`, fullPage: true });
  await cip.getByText('Filtrer').click();
  await cip.screenshot({ path: `${OUT}/feed-filters.png` });
  await cip.close();

  const worker = await browser.newPage({ viewport: { width: 360, height: 640 }, baseURL: page.url().replace(/\/observations.*$/, '') });
  await signIn(worker, DEMO.firstWorker, DEMO.workerPin);
  await worker.waitForURL(/\/$/);
  await worker.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await worker.goto('/observations');
  await hydrated(worker);
  await worker.locator('.observation, .empty').first().waitFor();
  await worker.screenshot({ path: `${OUT}/observations-worker-shared.png` });
  await worker.close();
});

test('framework, plan, evaluation and progression screens at 360×640', async ({ page, browser }) => {
  const base = () => page.url().replace(/^(https?:\/\/[^/]+).*$/, '$1');
  await signIn(page, DEMO.supervisorA, DEMO.staffPassword);
  await page.waitForURL(/\/$/);
  await page.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await page.goto('/seances/plans');
  await hydrated(page);
  await page.locator('.plan-card').first().waitFor();
  await page.screenshot({ path: `${OUT}/plans.png` });
  await page.locator('.plan-card a').first().click();
  await page.locator('.doc').waitFor();
  await page.screenshot({ path: `${OUT}/plan-document.png`, fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: `${OUT}/plan-print.png`, fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('link', { name: 'Modifier' }).click();
  await hydrated(page);
  await page.getByText('Espaces verts', { exact: true }).click();
  await page.screenshot({ path: `${OUT}/plan-edit.png`, fullPage: true });
  await page.goto('/seances');
  await hydrated(page);
  await page.locator('[data-session]').first().waitFor({ timeout: 20_000 });
  await page.screenshot({ path: `${OUT}/sessions.png` });
  await page.locator('[data-session] a').first().click();
  await page.locator('fieldset.criterion').first().waitFor();
  await page.screenshot({ path: `${OUT}/evaluate.png` });
  await page.screenshot({ path: `${OUT}/evaluate-full.png`, fullPage: true });
  await page.goto('/seances/nouvelle');
  await hydrated(page);
  await page.screenshot({ path: `${OUT}/session-start.png`, fullPage: true });

  const admin = await browser.newPage({ viewport: { width: 360, height: 640 }, baseURL: base() });
  await signIn(admin, DEMO.admin, DEMO.staffPassword);
  await admin.waitForURL(/\/$/);
  await admin.goto('/referentiels');
  await hydrated(admin);
  await admin.screenshot({ path: `${OUT}/frameworks.png`, fullPage: true });
  await admin.getByRole('link', { name: /Espaces verts/ }).click();
  await admin.locator('article.skill').first().waitFor();
  await admin.screenshot({ path: `${OUT}/framework.png` });
  await admin.close();

  const cip = await browser.newPage({ viewport: { width: 360, height: 640 }, baseURL: base() });
  await signIn(cip, DEMO.counsellor, DEMO.staffPassword);
  await cip.waitForURL(/\/$/);
  await cip.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await cip.goto('/salaries');
  await cip.getByRole('link', { name: 'Amina Diallo' }).first().click();
  await cip.getByRole('link', { name: 'Ses compétences (évaluations)' }).click();
  await cip.locator('article.progress').first().waitFor();
  await cip.locator('article.progress details').first().click();
  await cip.screenshot({ path: `${OUT}/progression.png`, fullPage: true });
  await cip.close();

  const worker = await browser.newPage({ viewport: { width: 360, height: 640 }, baseURL: base() });
  await signIn(worker, DEMO.firstWorker, DEMO.workerPin);
  await worker.waitForURL(/\/$/);
  await worker.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await worker.goto('/mes-competences');
  await hydrated(worker);
  await worker.locator('article.progress').first().waitFor();
  await worker.screenshot({ path: `${OUT}/my-skills.png`, fullPage: true });
  await worker.close();
});

test('objective screens and the worker space at 360×640', async ({ page, browser, baseURL }) => {
  await signIn(page, DEMO.counsellor, DEMO.staffPassword);
  await page.waitForURL(/\/$/);
  await page.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await page.goto('/objectifs');
  await hydrated(page);
  await page.screenshot({ path: `${OUT}/objectives-people.png` });
  await page.getByRole('list', { name: 'Personnes suivies' }).getByRole('link', { name: /Amina Diallo/ }).click();
  await page.locator('[data-objective]').first().waitFor();
  await page.screenshot({ path: `${OUT}/objectives-worker.png`, fullPage: true });
  await page.locator('[data-objective]').first().getByRole('link').click();
  await page.getByRole('list', { name: 'Étapes' }).waitFor();
  await page.screenshot({ path: `${OUT}/objective.png` });
  await page.getByText('Faire le point').click();
  await page.screenshot({ path: `${OUT}/objective-full.png`, fullPage: true });
  await page.goto(page.url() + '/modifier');
  await hydrated(page);
  await page.screenshot({ path: `${OUT}/objective-edit.png`, fullPage: true });

  const worker = await browser.newPage({ viewport: { width: 360, height: 640 }, baseURL });
  await signIn(worker, DEMO.firstWorker, DEMO.workerPin);
  await worker.waitForURL(/\/$/);
  await worker.locator('.syncbar[data-sync="ok"]').waitFor({ timeout: 20_000 });
  await worker.locator('[data-card="objectifs"]').waitFor();
  await worker.screenshot({ path: `${OUT}/worker-home.png`, fullPage: true });
  await worker.goto('/mes-objectifs');
  await hydrated(worker);
  await worker.locator('[data-objective]').first().waitFor();
  await worker.screenshot({ path: `${OUT}/my-objectives.png` });
  await worker.screenshot({ path: `${OUT}/my-objectives-full.png`, fullPage: true });
  await worker.goto('/mes-reussites');
  await hydrated(worker);
  await worker.getByRole('heading', { name: 'Mes réussites' }).waitFor();
  await worker.screenshot({ path: `${OUT}/my-successes.png`, fullPage: true });
  await worker.close();
});
