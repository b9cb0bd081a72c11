import { expect, Page } from '@playwright/test';

// The benchmarks' user (scripts/bench-board.sh creates it).
const USER = { email: process.env.BENCH_EMAIL || 'bench@karvon.uz', password: process.env.BENCH_PASSWORD || 'bench-password-1' };

/** Signs the benchmarks' user in through the login form. */
export async function signIn(page: Page) {
  await page.goto('/login');
  await page.locator('[data-test=field-email]').fill(USER.email);
  await page.locator('[data-test=field-password]').fill(USER.password);
  await page.locator('[data-test=login-submit]').click();
  await expect(page.locator('[data-test=user-menu]')).toBeVisible();
}
