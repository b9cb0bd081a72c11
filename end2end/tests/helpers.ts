import { expect, Page } from '@playwright/test';

export const ADMIN = { name: 'Dilnoza Rahimova', email: 'admin@karvon.uz', password: 'secret-admin-1' };

/** Waits until the WASM has hydrated the page (the frontend marks <body data-hydrated>). */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated=true]').waitFor({ state: 'attached' });
}

export async function login(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.locator('[data-test=field-email]').fill(email);
  await page.locator('[data-test=field-password]').fill(password);
  await page.locator('[data-test=login-submit]').click();
  await expect(page.locator('[data-test=user-menu]')).toBeVisible();
}

export async function logout(page: Page) {
  await page.locator('[data-test=user-menu]').click();
  await page.locator('[data-test=logout]').click();
  await expect(page).toHaveURL(/\/login$/);
}

export async function shot(page: Page, name: string) {
  for (const [w, h, tag] of [[768, 1024, 'tablet'], [1366, 850, 'desktop']] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(300); // let the side navigation finish sliding after a resize
    await page.screenshot({ path: `screenshots/${name}-${tag}.png`, fullPage: true });
  }
}

/** A JSON POST in the signed-in page's session (its origin header, as the browser sends it), failing the test
 *  on an error answer; the parsed answer. */
export function poster(page: Page) {
  const origin = { origin: new URL(page.url()).origin };
  return async (path: string, data: object) => {
    const res = await page.request.post(path, { headers: origin, data });
    const text = await res.text();
    expect(res.status(), `${path}: ${text}`).toBeLessThan(300);
    return text ? JSON.parse(text) : null;
  };
}
