// Accounts, teams, worker files and worker activation, as the admin, the
// counsellor and the worker do it on a phone.
import type { Browser, Page } from '@playwright/test';
import { test, expect, DEMO, hydrated, signIn } from '../support/fixtures';
import { axeProblems } from '../support/axe';

async function asUser(browser: Browser, baseURL: string, login: string, secret: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 640 }, locale: 'fr-FR' });
  const page = await context.newPage();
  // A crash in the page would otherwise only show up as a time-out.
  page.on('pageerror', (e) => console.log(`[${login}] page error: ${e.message}`));
  await signIn(page, login, secret);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Bonjour');
  return page;
}

function neverRunsScripts(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return dialogs;
}

test('an admin opens a worker file; the worker activates their account with a code and a PIN', async ({ browser, jalon }) => {
  const admin = await asUser(browser, jalon.url, DEMO.admin, DEMO.staffPassword);
  const dialogs = neverRunsScripts(admin);
  await admin.goto('/salaries/nouveau');
  await hydrated(admin);
  await admin.getByLabel('Prénom').fill('<script>alert(1)</script>');
  await admin.getByLabel('Nom', { exact: true }).fill(`O'Brien "Test"`);
  await admin.getByLabel('Équipe').selectOption({ label: 'Espaces verts – équipe A' });
  await admin.getByLabel('CIP référent·e').selectOption({ label: 'Sophie Lambert' });
  await admin.getByRole('button', { name: 'Créer le parcours' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(`<script>alert(1)</script> O'Brien "Test"`);
  await expect(admin.getByText('Espaces verts – équipe A').first()).toBeVisible();

  await admin.getByRole('button', { name: "Créer un code d'activation" }).click();
  const code = (await admin.getByLabel("Code d'activation").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await expect(admin.locator('.activation__qr svg')).toBeVisible();
  const login = (await admin.locator('.activation strong').textContent())!.trim();
  expect(dialogs).toEqual([]);

  // The worker, on their own phone, with the code typed by hand.
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const phone = await context.newPage();
  const workerDialogs = neverRunsScripts(phone);
  await phone.goto('/activer');
  await hydrated(phone);
  await phone.getByLabel('Code reçu').fill(code.toLowerCase());
  await phone.getByLabel('Choisissez votre code secret (6 chiffres)').fill('123456');
  await phone.getByLabel('Tapez encore le même code').fill('123456');
  await phone.getByRole('button', { name: 'Activer mon compte' }).click();
  await expect(phone.getByRole('alert')).toHaveText(/trop facile à deviner/);
  await phone.getByLabel('Choisissez votre code secret (6 chiffres)').fill('482913');
  await phone.getByLabel('Tapez encore le même code').fill('482913');
  await phone.getByRole('button', { name: 'Activer mon compte' }).click();
  // First, what Jalon keeps about them and their rights, in easy words.
  await expect(phone).toHaveURL(/\/confidentialite\?facile=1&activation=1$/);
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Vos données dans Jalon');
  await expect(phone.getByTestId('easy-read')).toContainText('Vous pouvez voir ce qui est écrit sur vous.');
  await expect(phone.getByTestId('easy-read')).toContainText('2 ans après la fin de votre parcours');
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await phone.getByRole('link', { name: "J'ai compris" }).click();
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Bonjour <script>alert(1)</script>');
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // Always reachable from their home; the full version too.
  await phone.locator('[data-card="donnees"]').getByRole('link', { name: 'Mes données' }).click();
  await expect(phone.getByRole('heading', { name: 'Mes données', level: 1 })).toBeVisible();
  await phone.getByRole('link', { name: 'Lire ce que Jalon garde et pourquoi' }).click();
  await expect(phone.getByTestId('easy-read')).toBeVisible();
  await phone.getByRole('link', { name: 'Lire la version complète' }).click();
  await expect(phone.getByRole('heading', { name: 'Vos droits' })).toBeVisible();
  // Staff see on the file when the person was shown it.
  await admin.reload();
  await hydrated(admin);
  const shown = new Date().toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
  await expect(admin.locator('[data-figure="notice"]')).toHaveText(`vue le ${shown}`);

  // The code works once only; the worker signs in again with identifier + PIN.
  await phone.context().clearCookies();
  await phone.goto(`/activer?code=${code.replace('-', '')}`);
  await hydrated(phone);
  await expect(phone.getByLabel('Code reçu')).toHaveValue(code.replace('-', ''));
  await phone.getByLabel('Choisissez votre code secret (6 chiffres)').fill('572046');
  await phone.getByLabel('Tapez encore le même code').fill('572046');
  await phone.getByRole('button', { name: 'Activer mon compte' }).click();
  await expect(phone.getByRole('alert')).toHaveText(/Ce code ne marche pas/);
  await signIn(phone, login, '482913');
  await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Bonjour <script>alert(1)</script>');
  expect(workerDialogs).toEqual([]);
  await context.close();
  await admin.context().close();
});

test("a worker typing another worker's address sees « not found »", async ({ browser, jalon }) => {
  const admin = await asUser(browser, jalon.url, DEMO.admin, DEMO.staffPassword);
  await admin.goto('/salaries');
  await admin.getByRole('link', { name: /Kevin Lefort/ }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Kevin Lefort');
  const colleagueUrl = new URL(admin.url()).pathname;
  await admin.goto('/salaries');
  await admin.getByRole('link', { name: /Amina Diallo/ }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Amina Diallo');
  const ownUrl = new URL(admin.url()).pathname;
  await admin.context().close();

  const worker = await asUser(browser, jalon.url, DEMO.firstWorker, DEMO.workerPin);
  const response = await worker.goto(colleagueUrl);
  expect(response?.status()).toBe(404);
  await expect(worker.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
  await expect(worker.getByText('Kevin')).toHaveCount(0);
  // Their own file opens.
  await worker.goto(ownUrl);
  await expect(worker.getByRole('heading', { level: 1 })).toHaveText('Amina Diallo');
  await worker.context().close();
});

test('a deactivated supervisor is signed out on their next request', async ({ browser, jalon }) => {
  const supervisor = await asUser(browser, jalon.url, DEMO.supervisorB, DEMO.staffPassword);
  const admin = await asUser(browser, jalon.url, DEMO.admin, DEMO.staffPassword);
  await admin.goto('/admin/comptes');
  await hydrated(admin);
  const row = admin.getByRole('listitem').filter({ hasText: 'Nadia Ferhat' });
  await row.getByText('Modifier').click();
  await row.getByRole('button', { name: 'Désactiver le compte' }).click();
  await expect(admin.locator('main').getByRole('status')).toHaveText(/Compte mis à jour/);
  await expect(row).toContainText('Désactivé');

  await supervisor.reload();
  await expect(supervisor).toHaveURL(/\/connexion$/);
  await signIn(supervisor, DEMO.supervisorB, DEMO.staffPassword);
  await expect(supervisor.getByRole('alert')).toHaveText(/Identifiant ou mot de passe incorrect/);

  // Reactivated, she can sign in again.
  await row.getByText('Modifier').click();
  await row.getByRole('button', { name: 'Réactiver le compte' }).click();
  await expect(row).toContainText('Actif');
  await signIn(supervisor, DEMO.supervisorB, DEMO.staffPassword);
  await expect(supervisor.getByRole('heading', { level: 1 })).toHaveText('Bonjour Nadia Ferhat');
  await supervisor.context().close();
  await admin.context().close();
});

test('admin forms refuse empty, huge and malformed input in French, and store hostile text as text', async ({ browser, jalon }) => {
  const admin = await asUser(browser, jalon.url, DEMO.admin, DEMO.staffPassword);
  const dialogs = neverRunsScripts(admin);
  await admin.goto('/admin/comptes');
  await hydrated(admin);
  const form = admin.locator('form').filter({ hasText: 'Nouveau compte' });
  const create = form.getByRole('button', { name: 'Créer le compte' });

  await form.getByLabel('Nom affiché').fill('   ');
  await form.getByLabel('Identifiant').fill('nouvel.encadrant');
  await form.getByLabel('Mot de passe (10 caractères ou plus)').fill('un mot de passe');
  await create.click();
  await expect(form.getByRole('alert')).toHaveText('Nom : à remplir.');

  // A hostile client ignores the field's maxlength: the server still refuses.
  await form.getByLabel('Nom affiché').evaluate((el) => el.removeAttribute('maxlength'));
  await form.getByLabel('Nom affiché').fill('x'.repeat(10_000));
  await create.click();
  await expect(form.getByRole('alert')).toHaveText('Nom : trop long (10000 caractères, au plus 100).');

  await form.getByLabel('Nom affiché').fill('Paul Martin');
  await form.getByLabel('Identifiant').fill(`x'; DROP TABLE users; --`);
  await create.click();
  await expect(form.getByRole('alert')).toHaveText(/Identifiant : lettres sans accent/);

  await form.getByLabel('Identifiant').fill('nouvel.encadrant');
  await form.getByLabel('Mot de passe (10 caractères ou plus)').fill('court');
  await create.click();
  await expect(form.getByRole('alert')).toHaveText('Mot de passe : au moins 10 caractères.');

  await form.getByLabel('Nom affiché').fill(`<img src=x onerror=alert(1)> "Paul" O'Neil`);
  await form.getByLabel('Mot de passe (10 caractères ou plus)').fill('un mot de passe solide');
  await create.click();
  await expect(form.getByRole('status')).toHaveText('Compte créé.');
  await expect(admin.getByText(`<img src=x onerror=alert(1)> "Paul" O'Neil`)).toBeVisible();

  // The same identifier twice is refused.
  await create.click();
  await expect(form.getByRole('alert')).toHaveText('L\'identifiant « nouvel.encadrant » est déjà pris.');

  await admin.goto('/admin/equipes');
  await hydrated(admin);
  const team = admin.locator('form').filter({ hasText: 'Nouvelle équipe' });
  await team.getByLabel("Nom de l'équipe").fill(`Tri'; DROP TABLE teams; --`);
  await team.getByLabel('Activité').fill('Tri et réemploi textile');
  await team.getByRole('button', { name: "Créer l'équipe" }).click();
  await expect(team.getByRole('status')).toHaveText('Équipe créée.');
  await expect(admin.getByRole('heading', { name: `Tri'; DROP TABLE teams; --` })).toBeVisible();
  await expect(admin.getByRole('heading', { name: 'Espaces verts – équipe A' })).toBeVisible();

  // Every change is in the journal, with old and new values.
  await admin.goto('/admin/journal?action=user_created');
  await expect(admin.getByRole('listitem').filter({ hasText: 'Compte créé' }).first()).toBeVisible();
  await expect(admin.getByText(/"after":\{"display_name":"<img src=x onerror=alert\(1\)>/)).toBeVisible();
  expect(dialogs).toEqual([]);
  await admin.context().close();
});

test('a supervisor changes her password; the old one stops working and her other phone is signed out', async ({ browser }) => {
  const { startJalon } = await import('../support/server');
  const jalon = await startJalon();
  try {
    const other = await asUser(browser, jalon.url, DEMO.supervisorA, DEMO.staffPassword);
    const page = await asUser(browser, jalon.url, DEMO.supervisorA, DEMO.staffPassword);
    await page.goto('/compte');
    await hydrated(page);
    await expect(page.getByText(DEMO.supervisorA, { exact: true })).toBeVisible();
    await page.getByText('Changer mon mot de passe').click();
    await page.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe');
    await page.getByLabel('Nouveau mot de passe (10 caractères ou plus)').fill('jardin-sous-la-pluie');
    await page.getByLabel('Tapez encore le nouveau mot de passe').fill('jardin-sous-la-pluie');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByRole('alert')).toHaveText('Le mot de passe ou le code actuel est incorrect.');
    await page.getByLabel('Mot de passe actuel').fill(DEMO.staffPassword);
    await page.getByLabel('Tapez encore le nouveau mot de passe').fill('jardin-sous-la-neige');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByRole('alert')).toHaveText('Les deux mots de passe ne sont pas identiques.');
    await page.getByLabel('Tapez encore le nouveau mot de passe').fill('jardin-sous-la-pluie');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.locator('main').getByRole('status')).toHaveText(/C'est changé/);

    await other.reload();
    await expect(other).toHaveURL(/\/connexion$/);
    await signIn(other, DEMO.supervisorA, DEMO.staffPassword);
    await expect(other.getByRole('alert')).toHaveText(/Identifiant ou mot de passe incorrect/);
    await signIn(other, DEMO.supervisorA, 'jardin-sous-la-pluie');
    await expect(other.getByRole('heading', { level: 1 })).toHaveText('Bonjour Julien Morel');
    await page.context().close();
    await other.context().close();
  } finally {
    await jalon.stop();
  }
});

test('the referent counsellor renews a contract and ends the parcours with its outcome; the file keeps the history', async ({ browser, jalon }) => {
  // The admin opens a file followed by the demo counsellor (a new one, in no
  // team: the server is shared with other tests). Who else may do this is
  // the access matrix's business (server/src/tests/access_matrix).
  const admin = await asUser(browser, jalon.url, DEMO.admin, DEMO.staffPassword);
  const choices = await (await admin.request.post('/api/people/choices')).json();
  const cipId = choices.counsellors.find((c: { label: string }) => c.label === 'Sophie Lambert').id;
  const created = await admin.request.post('/api/people/create_worker', {
    form: { first_name: 'Inès', last_name: `Parcours${Date.now()}`, counsellor_id: cipId, contract_start: '2026-01-05', contract_end: '2026-06-30' },
  });
  expect(created.status()).toBe(200);
  const id = await created.json();

  const cip = await asUser(browser, jalon.url, DEMO.counsellor, DEMO.staffPassword);
  await cip.goto(`/salaries/${id}`);
  await hydrated(cip);
  await expect(cip.getByText("Ni renouvellement, ni changement de CIP, ni sortie pour l'instant.")).toBeVisible();
  // The figures at a glance: nothing pointed or noted yet.
  await expect(cip.locator('[data-figure="rate-4-weeks"]')).toHaveText('—');
  await expect(cip.locator('[data-figure="open-alerts"]')).toHaveText('0');
  await expect(cip.locator('[data-figure="barriers"]')).toHaveText('aucun noté');
  // A renewal that would shorten the contract is refused in French.
  await cip.getByLabel('Nouvelle fin du contrat').fill('2026-05-31');
  await cip.getByLabel('Motif').first().fill('Erreur de saisie');
  await cip.getByRole('button', { name: 'Renouveler' }).click();
  await expect(cip.getByRole('alert')).toContainText('choisissez une date après la fin actuelle');
  await cip.getByLabel('Nouvelle fin du contrat').fill('2026-12-31');
  await cip.getByLabel('Motif').first().fill('Prolongation pour finir la formation');
  await cip.getByRole('button', { name: 'Renouveler' }).click();
  await expect(cip.locator('.facts')).toContainText('du 05/01/2026 au 31/12/2026');
  await expect(cip.locator('.list__item', { hasText: 'Contrat renouvelé' })).toContainText('fin le 31/12/2026 au lieu du 30/06/2026');
  await expect(cip.locator('.list__item', { hasText: 'Contrat renouvelé' })).toContainText('Motif : Prolongation pour finir la formation');

  await cip.getByLabel('Date de fin').fill('2026-11-27');
  await cip.getByRole('radio', { name: /^Emploi durable/ }).check();
  await cip.getByLabel('Précisions (facultatif)').fill("CDI d'agent d'entretien");
  expect(await cip.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  if (process.env.JALON_SCREENS) await cip.screenshot({ path: 'screens-out/parcours-forms.png', fullPage: true });
  await cip.getByRole('button', { name: 'Terminer le parcours' }).click();
  await expect(cip.locator('.facts')).toContainText('terminé · Emploi durable');
  await expect(cip.getByRole('button', { name: 'Renouveler' })).toHaveCount(0);
  const exit = cip.locator('.list__item', { hasText: 'Fin du parcours' });
  await expect(exit).toContainText('Emploi durable');
  await expect(exit).toContainText('le 27/11/2026 · par Sophie Lambert');
});

test("the counsellor reads a person's parcours as one timeline, filtered by kind, eight weeks at a time", async ({ browser, jalon }) => {
  const cip = await asUser(browser, jalon.url, DEMO.counsellor, DEMO.staffPassword);
  const workers = await (await cip.request.post('/api/people/list_workers')).json();
  // demo.s03: a contract begun more than 8 weeks ago, a roll call every day
  // of the last four weeks, two observations of this week (one sensitive,
  // which the counsellor may read).
  let first = { id: '' };
  for (const w of workers.filter((w: { team: string | null }) => w.team?.startsWith('Espaces'))) {
    const file = await (await cip.request.post('/api/people/get_worker', { form: { id: w.id } })).json();
    if (file.login === 'demo.s03') first = file;
  }
  await cip.goto(`/salaries/${first.id}`);
  await hydrated(cip);
  await expect(cip.getByRole('heading', { name: 'En un coup d\'œil' })).toBeVisible();
  await expect(cip.locator('[data-figure="rate-4-weeks"]')).toHaveText(/^\d+(,\d)? %$/);

  const timeline = cip.locator('.timeline');
  await expect(timeline.locator('.timeline__item[data-kind="presence"]').first()).toContainText('Présences de la semaine');
  await expect(timeline.locator('.timeline__item[data-kind="observation"]').first()).toBeVisible();
  const dates = await timeline.locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
  expect(dates.length).toBeGreaterThan(4);
  expect([...dates].sort().reverse()).toEqual(dates);

  await timeline.getByRole('link', { name: 'Observations', exact: true }).click();
  await expect(cip).toHaveURL(/\?vue=observation$/);
  await expect(timeline.getByRole('link', { name: 'Observations', exact: true })).toHaveAttribute('aria-current', 'true');
  await expect(timeline.locator('.timeline__item[data-kind="presence"]')).toHaveCount(0);
  await expect(timeline.locator('.timeline__item[data-kind="observation"]').first()).toBeVisible();

  // Older windows, back to the contract's start, keep the filter.
  const shown = await timeline.locator('.list__meta').first().textContent();
  await timeline.getByRole('link', { name: "Voir les 8 semaines d'avant" }).click();
  await expect(cip).toHaveURL(/\?vue=observation&avant=\d{4}-\d{2}-\d{2}$/);
  await expect(timeline.locator('.list__meta').first()).not.toHaveText(shown ?? '');
  expect(await cip.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  if (process.env.JALON_SCREENS) {
    await cip.goto(`/salaries/${first.id}`);
    await hydrated(cip);
    await cip.screenshot({ path: 'screens-out/parcours-timeline.png', fullPage: true });
  }
});

// Tabs until `target` has the focus (at most `max` presses); true if it did.
async function tabTo(page: Page, target: import('@playwright/test').Locator, max = 150): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return true;
    await page.keyboard.press('Tab');
  }
  return target.evaluate((el) => el === document.activeElement);
}

test('at a desk (1280×800): side bar, feed | observation and people | parcours in two columns, the keyboard goes from the feed to a parcours and back, axe finds nothing serious', async ({ browser, jalon }) => {
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, locale: 'fr-FR' });
  const cip = await context.newPage();
  cip.on('pageerror', (e) => console.log(`[cip desk] page error: ${e.message}`));
  await signIn(cip, DEMO.counsellor, DEMO.staffPassword);
  await expect(cip.getByRole('heading', { level: 1 })).toContainText('Bonjour');

  // The feed: the list on the left, the observation opened on the right.
  await cip.goto('/fil');
  await hydrated(cip);
  const nav = cip.getByRole('navigation', { name: 'Navigation principale' });
  const side = (await nav.boundingBox())!;
  expect(side.x).toBe(0);
  expect(side.height).toBeGreaterThan(700);
  expect(side.width).toBeLessThan(300);
  const alertCard = cip.locator('.split__list .observation--open-alert').first();
  const who = (await alertCard.locator('.card__title').textContent())!.trim();
  const open = alertCard.getByRole('link', { name: `Ouvrir l'observation sur ${who}` });
  expect(await tabTo(cip, open)).toBe(true);
  expect(await open.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  await cip.keyboard.press('Enter');
  const detail = cip.getByRole('region', { name: 'Observation ouverte' });
  await expect(detail.getByRole('button', { name: 'Prendre en compte' })).toBeVisible();
  await expect(detail).toBeFocused();
  await expect(alertCard).toHaveAttribute('aria-current', 'true');
  const list = (await cip.locator('.split--feed > .split__list').boundingBox())!;
  const right = (await detail.boundingBox())!;
  expect(right.x).toBeGreaterThan(list.x + list.width - 1);
  expect(await axeProblems(cip)).toEqual([]);
  if (process.env.JALON_SCREENS) await cip.screenshot({ path: 'screens-out/desk-feed.png' });

  // From the observation to the person's parcours, keyboard only.
  const toFile = detail.getByRole('link', { name: `Parcours de ${who}` });
  expect(await tabTo(cip, toFile)).toBe(true);
  await cip.keyboard.press('Enter');
  await expect(cip).toHaveURL(/\/salaries\/[0-9a-f-]+$/);
  await hydrated(cip);
  await expect(cip.getByRole('heading', { level: 1 })).toHaveText(who);
  const people = cip.getByRole('navigation', { name: 'Salariés' });
  await expect(people.getByRole('link', { name: new RegExp(who) })).toHaveAttribute('aria-current', 'page');
  const column = (await people.boundingBox())!;
  const file = (await cip.locator('#fiche').boundingBox())!;
  expect(file.x).toBeGreaterThan(column.x + column.width - 1);

  // Back to the feed with the side bar's link, keyboard only.
  const feedLink = nav.getByRole('link', { name: /Observations/ });
  expect(await tabTo(cip, feedLink)).toBe(true);
  await cip.keyboard.press('Enter');
  await expect(cip).toHaveURL(/\/fil$/);
  await hydrated(cip);
  await expect(cip.getByRole('heading', { level: 1 })).toHaveText('Fil des observations');

  // Within a file: the timeline's filters by keyboard, then axe.
  const workers = await (await cip.request.post('/api/people/list_workers')).json();
  await cip.goto(`/salaries/${workers[0].id}`);
  await hydrated(cip);
  await cip.keyboard.press('Tab');
  await expect(cip.getByRole('link', { name: 'Aller au contenu' })).toBeFocused();
  const target = cip.locator('.timeline').getByRole('link', { name: 'Observations', exact: true });
  expect(await tabTo(cip, target)).toBe(true);
  expect(await target.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  await cip.keyboard.press('Enter');
  await expect(cip).toHaveURL(/\?vue=observation$/);
  await hydrated(cip);
  expect(await axeProblems(cip)).toEqual([]);
  if (process.env.JALON_SCREENS) await cip.screenshot({ path: 'screens-out/desk-parcours.png' });
  await cip.goto('/salaries');
  await hydrated(cip);
  await expect(cip.getByText('Choisissez une personne dans la liste')).toBeVisible();
  expect(await axeProblems(cip)).toEqual([]);
  await context.close();
});

test("the funders' summary of a period: figures on a phone, a printable page and its CSV file", async ({ browser, jalon }) => {
  const cip = await asUser(browser, jalon.url, DEMO.counsellor, DEMO.staffPassword);
  await cip.goto('/presences');
  await hydrated(cip);
  await cip.getByRole('link', { name: 'Synthèse pour les financeurs de cette période' }).click();
  await expect(cip.getByRole('heading', { level: 1 })).toHaveText('Synthèse pour les financeurs');
  await hydrated(cip);
  await expect(cip.getByTestId('period')).toContainText('Période du 01/');
  const accompanied = Number(await cip.locator('[data-figure="accompanied"]').textContent());
  expect(accompanied).toBeGreaterThan(0);
  await expect(cip.getByRole('table', { name: 'Sorties par issue' })).toContainText('Emploi durable');
  await expect(cip.locator('[data-figure="present"]')).not.toHaveText('0');
  expect(await cip.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await axeProblems(cip)).toEqual([]);
  if (process.env.JALON_SCREENS) await cip.screenshot({ path: 'screens-out/funders-phone.png', fullPage: true });

  const [download] = await Promise.all([
    cip.waitForEvent('download'),
    cip.getByRole('link', { name: 'Télécharger (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^synthese-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = (await (await download.createReadStream()).toArray()).map(String).join('');
  expect(text.startsWith('\ufeffRubrique;Indicateur;Valeur\r\n')).toBe(true);
  expect(text).toContain(`Personnes;Personnes accompagnées;${accompanied}\r\n`);

  // Printed: no navigation, no buttons, the figures.
  await cip.emulateMedia({ media: 'print' });
  await expect(cip.getByRole('navigation', { name: 'Navigation principale' })).toBeHidden();
  await expect(cip.getByRole('button', { name: 'Imprimer' })).toBeHidden();
  await expect(cip.locator('[data-figure="accompanied"]')).toBeVisible();
  await cip.context().close();
});

test('the admin sets a counsellor\'s address for alert e-mails and sees that, without an SMTP server, alerts stay in Jalon', async ({ browser, jalon }) => {
  const admin = await asUser(browser, jalon.url, DEMO.admin, DEMO.staffPassword);
  await admin.goto('/admin/comptes');
  await hydrated(admin);
  await expect(admin.getByTestId('alert-mail')).toContainText("Aucun serveur d'envoi n'est réglé");
  const row = admin.locator('.list__item', { hasText: 'Sophie Lambert' });
  await row.getByText('Modifier').click();
  const field = row.getByLabel('E-mail pour les alertes (vide : aucun)');
  // The browser lets this through (no dot needed in HTML); the server does not.
  await field.fill('sophie@demo');
  await row.getByRole('button', { name: "Enregistrer l'adresse" }).click();
  await expect(admin.getByRole('alert').filter({ hasText: 'Adresse e-mail' })).toBeVisible();
  await field.fill('sophie.lambert@demo.jalon.test');
  await row.getByRole('button', { name: "Enregistrer l'adresse" }).click();
  await expect(admin.getByText('Adresse enregistrée.')).toBeVisible();
  await expect(admin.locator('.list__item', { hasText: 'Sophie Lambert' }).locator('.list__meta')).toContainText('sophie.lambert@demo.jalon.test');
  await admin.context().close();
});
