import { defineConfig } from '@playwright/test';

// The board benchmarks (scripts/bench-board.sh): the release server on a seeded database (BENCH_DATABASE_URL).
const port = 3200;
export default defineConfig({
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  workers: 1,
  retries: 0,
  timeout: 300_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
    locale: 'en-US',
    viewport: { width: 1366, height: 850 },
  },
  webServer: {
    command: process.env.KARVON_BENCH_BIN || 'target/release/karvon',
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      KARVON_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: process.env.BENCH_DATABASE_URL || '',
      KARVON_SITE_ROOT: 'target/site',
      KARVON_LOG: 'warn',
    },
  },
});
