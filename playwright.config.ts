import { defineConfig } from '@playwright/test';
import { SYSTEM_CHROMIUM } from './test/e2e/support/system-chromium.js';

// Browser mode end to end: a real `marquee serve` (started in test/e2e/support/global-setup.ts on a
// free port with a temp data dir) and the system Chromium; Playwright never downloads a browser here.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalSetup: './test/e2e/support/global-setup.ts',
  globalTeardown: './test/e2e/support/global-teardown.ts',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: SYSTEM_CHROMIUM,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
