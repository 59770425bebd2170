// Writing an observation as a supervisor does, shared by the specs.
import { expect, type Page } from '@playwright/test';
import { hydrated } from './fixtures';

/** From the team list: "Noter" on a person, the kind (and category), the
 * text, "Enregistrer". Counts the taps a person would make. */
export async function note(page: Page, who: string, kind: string, text: string, options: { category?: string; share?: boolean } = {}) {
  let taps = 0;
  await page.goto('/observations');
  await hydrated(page);
  await page.getByRole('link', { name: `Noter une observation sur ${who}` }).click();
  taps++;
  await hydrated(page);
  await page.getByLabel(kind, { exact: true }).check();
  taps++;
  if (options.category) {
    await page.getByLabel(options.category, { exact: true }).check();
    taps++;
  }
  await page.getByLabel('Ce que vous avez vu ou entendu').fill(text);
  taps++; // the text field
  if (options.share) {
    await page.getByLabel('Partager avec le salarié (il la verra sur son téléphone)').check();
    taps++;
  }
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  taps++;
  await expect(page.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
  return taps;
}
