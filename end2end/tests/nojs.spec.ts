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

test('an interaction and a task can be logged without JavaScript', async ({ page }) => {
  await page.goto('/login');
  await page.locator('[data-test=field-email]').fill(ADMIN.email);
  await page.locator('[data-test=field-password]').fill(ADMIN.password);
  await page.locator('[data-test=login-submit]').click();
  await page.goto('/customers?q=Termiz');
  await page.locator('[data-test=customer-row] a').first().click();
  await page.locator('[data-test=ql-kind-note]').check({ force: true });
  await page.locator('[data-test=ql-form] [data-test=field-body]').fill('Asked for a visit next week');
  await page.locator('[data-test=ql-submit]').click();
  await expect(page.locator('[data-test=timeline-entry][data-action=note]')).toContainText('Asked for a visit next week');
  await page.locator('[data-test=task-add]').click();
  await page.locator('[data-test=task-form] [data-test=field-title]').fill('Visit Termiz');
  const due = new Date(Date.now() + 5 * 3600 * 1000 + 86400 * 1000).toISOString().slice(0, 16);
  await page.locator('[data-test=field-due]').fill(due);
  await page.locator('[data-test=task-submit]').click();
  await expect(page.locator('[data-test=task]')).toContainText('Visit Termiz');
});

test('a deal can be reopened, moved and closed without JavaScript', async ({ page }) => {
  await page.goto('/login');
  await page.locator('[data-test=field-email]').fill(ADMIN.email);
  await page.locator('[data-test=field-password]').fill(ADMIN.password);
  await page.locator('[data-test=login-submit]').click();
  await page.goto('/deals?view=list&status=lost');
  await page.locator('[data-test=deal-list] a', { hasText: 'Cement M400' }).click();
  await expect(page.locator('[data-test=deal-status]')).toHaveText('Lost');
  await page.locator('[data-test=reopen]').click();
  await expect(page.locator('[data-test=deal-status]')).toHaveText('Open');
  await page.locator('[data-test=stage-track] li').nth(1).locator('button').click();
  await expect(page.locator('[data-test=stage-track] li').nth(1)).toHaveClass(/here/);
  await page.locator('[data-test=mark-lost]').click();
  await expect(page.locator('[data-test=close-error]')).toContainText('Reason');
  await page.locator('[data-test=lost-form] [data-test=field-loss_reason_id]').selectOption({ index: 2 });
  await page.locator('[data-test=mark-lost]').click();
  await expect(page.locator('[data-test=deal-status]')).toHaveText('Lost');
  await expect(page.locator('[data-test=lost-at]')).toHaveText('Qualification');
});
