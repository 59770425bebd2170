// The app shell: server rendering, hydration, sign-in per role, 404, layout
// on a 360×640 phone.
import { test, expect, DEMO, hydrated, signIn, scrollsSideways } from '../support/fixtures';

test('the sign-in page is complete without JavaScript', async ({ browser, jalon }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  const response = await page.goto(`${jalon.url}/`);
  // A visitor is sent to the sign-in page by the server itself.
  expect(page.url()).toBe(`${jalon.url}/connexion`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await expect(page.getByLabel('Identifiant')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  // The plain HTML form signs in too, before any wasm has loaded.
  await page.getByLabel('Identifiant').fill(DEMO.supervisorA);
  await page.getByLabel('Mot de passe ou code').fill(DEMO.staffPassword);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { name: 'Bonjour Julien Morel' })).toBeVisible();
  await expect(page.getByText('Espaces verts – équipe A')).toBeVisible();
  await context.close();
});

test('the page hydrates: the show-password control works, with no console error', async ({ page, consoleErrors }) => {
  await page.goto('/connexion');
  // The title screen readers and the tab announce, from the server already.
  await expect(page).toHaveTitle('Connexion · Jalon');
  await hydrated(page);
  const secret = page.getByLabel('Mot de passe ou code');
  await expect(secret).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(secret).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: 'Masquer' }).click();
  await expect(secret).toHaveAttribute('type', 'password');
  expect(consoleErrors).toEqual([]);
});

const homes = [
  { who: 'supervisor', login: DEMO.supervisorA, secret: DEMO.staffPassword, heading: 'Bonjour Julien Morel', shows: ['Espaces verts – équipe A', 'Amina Diallo', 'Dimitri Popescu'], hides: ['Yasmine Haddad'] },
  { who: 'counsellor', login: DEMO.counsellor, secret: DEMO.staffPassword, heading: 'Bonjour Sophie Lambert', shows: [/Vous suivez \d+ salariés\./], hides: [] },
  { who: 'admin', login: DEMO.admin, secret: DEMO.staffPassword, heading: 'Bonjour Claire Dumas', shows: ['salariés en parcours'], hides: [] },
  { who: 'worker', login: DEMO.firstWorker, secret: DEMO.workerPin, heading: 'Bonjour Amina', shows: ['Mes objectifs', 'Mes réussites', 'Mes présences', 'Votre équipe : Espaces verts – équipe A.'], hides: ['Kevin Lefort'] },
];

for (const home of homes) {
  test(`a ${home.who} signs in and lands on their home, fitting a 360px screen`, async ({ page, consoleErrors }) => {
    await signIn(page, home.login, home.secret);
    await expect(page.getByRole('heading', { name: home.heading })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
    for (const text of home.shows) await expect(page.getByText(text).first()).toBeVisible();
    for (const text of home.hides) await expect(page.getByText(text)).toHaveCount(0);
    await expect(page.getByText('Démonstration : toutes les personnes et données sont fictives.')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Navigation principale' })).toBeVisible();
    expect(await scrollsSideways(page)).toBe(false);
    expect(consoleErrors).toEqual([]);
  });
}

test('a wrong password is refused with a French message', async ({ page }) => {
  await signIn(page, DEMO.supervisorA, 'pas le bon');
  await expect(page.getByRole('alert')).toHaveText(/Identifiant ou mot de passe incorrect\./);
  await expect(page).toHaveURL(/\/connexion$/);
});

test('empty fields are refused with a French message', async ({ page }) => {
  await page.goto('/connexion');
  await hydrated(page);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText(/Indiquez votre identifiant et votre mot de passe\./);
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, DEMO.counsellor, DEMO.staffPassword);
  await expect(page.getByRole('heading', { name: 'Bonjour Sophie Lambert' })).toBeVisible();
  await page.getByRole('link', { name: 'Mon compte : Sophie Lambert' }).click();
  await expect(page.getByText('CIP', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
});

test('an unknown address shows a French 404 page', async ({ page, jalon }) => {
  const response = await page.goto(`${jalon.url}/nulle-part`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
  await expect(page.getByRole('link', { name: "Revenir à l'accueil" })).toBeVisible();
  expect(await scrollsSideways(page)).toBe(false);
});

test('hostile text typed in the sign-in form is shown as text, never run', async ({ page, consoleErrors }) => {
  let dialog = false;
  page.on('dialog', async (d) => {
    dialog = true;
    await d.dismiss();
  });
  await signIn(page, `<script>alert(1)</script>' OR '1'='1`, `' OR 1=1 --`);
  await expect(page.getByRole('alert')).toHaveText(/Identifiant ou mot de passe incorrect\./);
  expect(dialog).toBe(false);
  // The refused sign-in is the only thing the console reports (its 401 status).
  expect(consoleErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
});
