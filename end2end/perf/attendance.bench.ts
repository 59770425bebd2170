// Roll call figures in Debian's Chromium, offline, at 360×640: the taps a
// supervisor needs for a team of 8 with 2 exceptions, and the time from a
// tap to its IndexedDB commit (20 rounds, each cleared afterwards).
import type { Page } from '@playwright/test';
import { test, expect, hydrated, readyOffline, DEMO } from '../support/fixtures';
import { percentile, timedTap } from '../support/measure';

const row = (page: Page, name: string) => page.locator('.roll__row', { hasText: name });

test('roll call of 8 with 2 exceptions: taps and save latency per tap', async ({ page, context }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
  await context.setOffline(true);
  await page.goto('/pointage');
  await hydrated(page);
  await expect(page.locator('.roll__row')).toHaveCount(8);

  const single: number[] = [];
  const allPresent: number[] = [];
  let taps = 0;
  for (let round = 0; round < 20; round++) {
    taps = 0;
    await page.getByRole('button', { name: 'Kevin Lefort : absent, retard ou départ' }).click();
    taps++;
    single.push(await timedTap(row(page, 'Kevin Lefort').getByRole('button', { name: 'Maladie' }), 1));
    taps++;
    await page.getByRole('button', { name: 'Fatou Camara : absent, retard ou départ' }).click();
    taps++;
    single.push(await timedTap(row(page, 'Fatou Camara').getByRole('button', { name: '15 min' }), 1));
    taps++;
    allPresent.push(await timedTap(page.getByRole('button', { name: 'Tous présents (6)' }), 1));
    taps++;
    await expect(page.locator('.roll-call__summary')).toContainText('0 à pointer');
    // Clear the day for the next round (not measured).
    for (const name of ['Amina Diallo', 'Kevin Lefort', 'Fatou Camara', 'Mehdi Bouzid', 'Laetitia Roux', 'Ousmane Traoré', 'Jessica Martin', 'Dimitri Popescu']) {
      await page.getByRole('button', { name: `${name} : absent, retard ou départ` }).click();
      await row(page, name).getByRole('button', { name: 'Effacer le pointage' }).click();
    }
    await expect(page.locator('.roll-call__summary')).toContainText('8 à pointer');
  }
  single.sort((a, b) => a - b);
  allPresent.sort((a, b) => a - b);
  console.log('\n== roll call, team of 8, 2 exceptions, offline, 20 rounds');
  console.log(`   taps: ${taps} (exception: 2 taps each; "Tous présents": 1)`);
  console.log(`   one-entry tap → IndexedDB commit: p50 ${percentile(single, 50).toFixed(1)} ms, p95 ${percentile(single, 95).toFixed(1)} ms, max ${single[single.length - 1].toFixed(1)} ms (${single.length} taps)`);
  console.log(`   "Tous présents" (6 entries, one commit) → p50 ${percentile(allPresent, 50).toFixed(1)} ms, p95 ${percentile(allPresent, 95).toFixed(1)} ms (${allPresent.length} taps)`);
  await context.setOffline(false);
});
