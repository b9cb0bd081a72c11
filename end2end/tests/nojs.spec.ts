import { test, expect } from '@playwright/test';
import { ADMIN } from './helpers';

// The same browser with JavaScript off: forms must still work (progressive enhancement).
test('login works without JavaScript, errors included', async ({ page }) => {
  await page.goto('/login');
  await page.locator('[data-test=field-email]').fill(ADMIN.email);
  await page.locator('[data-test=field-password]').fill('wrong-password');
  await page.locator('[data-test=login-submit]').click();
  await expect(page.locator('[data-test=form-error]')).toBeVisible();
  await page.locator('[data-test=field-email]').fill(ADMIN.email);
  await page.locator('[data-test=field-password]').fill(ADMIN.password);
  await page.locator('[data-test=login-submit]').click();
  await expect(page.locator('[data-test=user-menu]')).toBeVisible();
});

test('a customer can be created without JavaScript', async ({ page }) => {
  await page.goto('/login');
  await page.locator('[data-test=field-email]').fill(ADMIN.email);
  await page.locator('[data-test=field-password]').fill(ADMIN.password);
  await page.locator('[data-test=login-submit]').click();
  await page.goto('/customers/new');
  await page.locator('[data-test=field-name]').fill('Termiz Farm OK');
  await page.locator('[data-test=customer-submit]').click();
  await expect(page.locator('[data-test=customer-name]')).toHaveText('Termiz Farm OK');
});
