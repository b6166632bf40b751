import { defineConfig } from '@playwright/test';

/**
 * Playwright cannot download its own browsers here: Debian's Chromium is used through
 * executablePath. The flags keep it from reaching for the network.
 */
const chromium = process.env.INLET_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Playwright empties its outputDir on start: keep it apart from the other runners' reports.
  outputDir: 'test-results/playwright',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'e2e', testDir: 'test/e2e/renderer' },
    { name: 'app', testDir: 'test/e2e/app' },
  ],
});
