import { test, Browser } from '@playwright/test';
import { hydrated } from '../tests/helpers';
import { signIn } from './sign-in';

// Bytes on the wire of a first visit (empty cache, no service worker) to the customer list and to the board,
// as the browser received them (compressed), by kind; and how many requests and how long hydration took.
async function firstVisit(browser: Browser, path: string): Promise<string> {
  const signedIn = await browser.newContext({ serviceWorkers: 'block' });
  await signIn(await signedIn.newPage());
  const cookies = await signedIn.cookies();
  await signedIn.close();
  // A fresh context: nothing cached, only the session cookie.
  const ctx = await browser.newContext({ serviceWorkers: 'block' });
  await ctx.addCookies(cookies);
  const page = await ctx.newPage();
  const sizes: Promise<[string, number]>[] = [];
  page.on('requestfinished', (req) => {
    sizes.push(req.sizes().then((s) => {
      const url = new URL(req.url());
      const kind = url.pathname.endsWith('.wasm') ? 'wasm' : url.pathname.endsWith('.js') ? 'js'
        : url.pathname.endsWith('.css') ? 'css' : url.pathname.startsWith('/rpc/') || url.pathname.startsWith('/api/') ? 'data'
        : 'page';
      return [kind, s.responseBodySize + s.responseHeadersSize] as [string, number];
    }));
  });
  const started = Date.now();
  await page.goto(path);
  await hydrated(page);
  const hydratedMs = Date.now() - started;
  await page.waitForTimeout(500);
  const all = await Promise.all(sizes);
  const by: Record<string, number> = {};
  for (const [k, n] of all) by[k] = (by[k] || 0) + n;
  const kb = (n: number) => (n / 1024).toFixed(0);
  await ctx.close();
  return `| ${path} | ${all.length} | ${kb(all.reduce((a, [, n]) => a + n, 0))} | ${kb(by.page || 0)} | ${kb(by.wasm || 0)} | ${kb(by.js || 0)} | ${kb(by.css || 0)} | ${kb(by.data || 0)} | ${hydratedMs} |`;
}

test('bytes on the wire of a first visit', async ({ browser }) => {
  const rows = [await firstVisit(browser, '/customers'), await firstVisit(browser, '/deals')];
  console.log(['', '| first visit | requests | KB in all | page | WASM | JS | CSS | data | hydrated, ms |',
    '|---|---|---|---|---|---|---|---|---|', ...rows, ''].join('\n'));
});
