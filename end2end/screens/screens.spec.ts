import { test, DEMO, signIn, hydrated } from '../support/fixtures';

const OUT = `${__dirname}/../screens-out`;

test('screens at 360×640', async ({ page }) => {
  await page.goto('/connexion');
  await hydrated(page);
  await page.screenshot({ path: `${OUT}/sign-in.png` });
  for (const [name, login, secret] of [
    ['supervisor', DEMO.supervisorA, DEMO.staffPassword],
    ['counsellor', DEMO.counsellor, DEMO.staffPassword],
    ['admin', DEMO.admin, DEMO.staffPassword],
    ['worker', DEMO.firstWorker, DEMO.workerPin],
  ]) {
    await page.context().clearCookies();
    await signIn(page, login, secret);
    await page.waitForURL(/\/$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.screenshot({ path: `${OUT}/home-${name}.png`, fullPage: true });
  }
  await page.goto('/compte');
  await page.screenshot({ path: `${OUT}/account.png` });
  await page.goto('/nulle-part');
  await page.screenshot({ path: `${OUT}/not-found.png` });
});
