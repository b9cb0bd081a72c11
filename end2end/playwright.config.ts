import { defineConfig } from '@playwright/test';

// The release server on its own port and database (E2E_DATABASE_URL, set by scripts/test.sh).
const port = 3100;
const chromium = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The dev-profile server renders more slowly than the release one; the longest tests take ~30 s with it.
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    locale: 'en-US',
    trace: 'off',
    // Tests load the app's WASM chunks with the service worker out of the way (two runs failed on a chunk
    // load mid-page, cause not yet found); the PWA test registers it in a real profile of its own.
    serviceWorkers: 'block',
  },
  projects: [
    { name: 'js', testMatch: /app\.spec\.ts/ },
    { name: 'no-js', testMatch: /nojs\.spec\.ts/, use: { javaScriptEnabled: false }, dependencies: ['js'] },
  ],
  webServer: [{
    // Real IMAP (Dovecot) and SMTP servers for the mail tests, on ports 3143 and 3025.
    command: 'target/debug/mailservers',
    cwd: '..',
    port: 3143,
    reuseExistingServer: false,
    timeout: 30_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 3000 },
  }, {
    // scripts/test.sh builds the server in the dev profile (KARVON_E2E_BIN=target/debug/karvon).
    command: process.env.KARVON_E2E_BIN || 'target/release/karvon',
    cwd: '..',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: {
      KARVON_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: process.env.E2E_DATABASE_URL || 'sqlite://target/e2e/karvon.db',
      KARVON_SITE_ROOT: 'target/site',
      KARVON_LOG: 'warn',
      KARVON_TELEPHONY_TOKEN: 'e2e-pbx-secret-0123456789',
      KARVON_MAIL_KEY_FILE: 'target/e2e/mail.key',
      KARVON_MAIL_ALLOW_PRIVATE_HOSTS: '1',
      KARVON_WEBHOOK_ALLOW_PRIVATE_HOSTS: '1',
    },
  }],
});
