// Test fixtures: one Jalon server per Playwright worker (demo data), the
// page's base URL pointing at it, and helpers that act as a user would.
import { test as base, expect, type Page } from '@playwright/test';
import { startJalon, type Jalon } from './server';

export const DEMO = {
  staffPassword: 'demo-jalon',
  workerPin: '135790',
  admin: 'demo.admin',
  counsellor: 'demo.cip',
  supervisorA: 'demo.encadrant.a',
  supervisorB: 'demo.encadrant.b',
  firstWorker: 'demo.s01',
};

export const test = base.extend<{ consoleErrors: string[] }, { jalon: Jalon }>({
  jalon: [
    async ({}, use) => {
      const jalon = await startJalon();
      await use(jalon);
      await jalon.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ jalon }, use) => {
    await use(jalon.url);
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await use(errors);
  },
});

export { expect };

/** Waits until the wasm app has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  // Generous: on a loaded 2-core machine, compiling the wasm can take a while.
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
}

export async function signIn(page: Page, login: string, secret: string) {
  await page.goto('/connexion');
  await hydrated(page);
  await page.getByLabel('Identifiant').fill(login);
  await page.getByLabel('Mot de passe ou code').fill(secret);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** True when the page is wider than the screen (horizontal scrolling). */
export async function scrollsSideways(page: Page): Promise<boolean> {
  // Also any element reaching past the right edge: a page can clip its
  // overflow and still hide part of a control from the person.
  return page.evaluate(
    () =>
      document.documentElement.scrollWidth > window.innerWidth ||
      [...document.body.querySelectorAll('*')].some((e) => e.getBoundingClientRect().right > window.innerWidth + 1),
  );
}

/** Signs in and waits until the phone is ready for offline work: the
 * service worker controls the page and a first sync has filled the store. */
export async function readyOffline(page: Page, login: string, secret: string) {
  await signIn(page, login, secret);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.locator('.syncbar')).toHaveAttribute('data-sync', 'ok', { timeout: 20_000 });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // The page that registered the worker is claimed by it; wait for that.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // And the code of every screen of this role is kept on the phone.
  await expect(page.locator('.syncbar')).toHaveAttribute('data-offline', 'ready', { timeout: 30_000 });
}
