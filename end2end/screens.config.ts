// On-demand screenshots of the main screens at 360×640 (not part of the suite):
//   npx playwright test -c screens.config.ts   → end2end/screens-out/*.png
import base from './playwright.config';
import { defineConfig } from '@playwright/test';

export default defineConfig({ ...base, testDir: './screens', workers: 1 });
