// On-demand measurements (not part of the suite; no timed assertions):
//   npx playwright test -c perf.config.ts   → figures printed to the console
import base from './playwright.config';
import { defineConfig } from '@playwright/test';

export default defineConfig({ ...base, testDir: './perf', testMatch: '*.bench.ts', workers: 1, timeout: 900_000 });
