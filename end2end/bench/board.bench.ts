import { test, expect } from '@playwright/test';
import { hydrated } from '../tests/helpers';
import { signIn } from './sign-in';

// Benchmarks of the deal board in Chromium on a board with 5,000 open deals (scripts/bench-board.sh seeds
// them): the first render of /deals (navigation start to first contentful paint, and to hydration), and a
// move from the key press in one browser to the card in its new column in another browser's board.
const RUNS = Number(process.env.BENCH_RUNS || 15);

function pct(v: number[]): [number, number] {
  const s = [...v].sort((a, b) => a - b);
  const at = (p: number) => s[Math.round((s.length - 1) * p)];
  return [at(0.5), at(0.99)];
}

const rows: string[] = [];
const row = (what: string, v: number[]) => {
  const [p50, p99] = pct(v);
  rows.push(`| ${what} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${v.length} |`);
};

test.afterAll(() => {
  console.log(['', `| board with 5,000 open deals (${process.env.BENCH_LABEL || ''}) | p50 ms | p99 ms | runs |`,
    '|---|---|---|---|', ...rows, ''].join('\n'));
});

test('first render of the board', async ({ page }) => {
  await signIn(page);
  await page.goto('/deals');
  await hydrated(page); // warm: the WASM and the chunks are cached, as for a manager who opens it daily
  const fcp: number[] = [], dcl: number[] = [], ttfb: number[] = [], hydr: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto('/deals');
    await hydrated(page);
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { ttfb: nav.responseStart, dcl: nav.domContentLoadedEventEnd, fcp: paint ? paint.startTime : NaN,
        now: performance.now(), cards: document.querySelectorAll('[data-test=deal-card]').length };
    });
    expect(t.cards).toBeGreaterThan(100);
    ttfb.push(t.ttfb); dcl.push(t.dcl); fcp.push(t.fcp); hydr.push(t.now);
  }
  row('server response (TTFB)', ttfb);
  row('first contentful paint', fcp);
  row('DOMContentLoaded', dcl);
  row('hydrated (interactive)', hydr);
});

test('a move, from the key press to the other browser', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  for (const p of [a, b]) {
    await signIn(p);
    await p.goto('/deals');
    await hydrated(p);
  }
  await b.waitForTimeout(500); // both event streams open
  const cols = a.locator('.kanban-col');
  const first = cols.nth(0);
  const id = await first.locator('[data-test=deal-card]').first().getAttribute('data-deal');
  const testOf = async (i: number) => (await cols.nth(i).getAttribute('data-test'))!;
  const [c0, c1] = [await testOf(0), await testOf(1)];
  const lat: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    const [key, target] = i % 2 === 0 ? ['ArrowRight', c1] : ['ArrowLeft', c0];
    // The other browser notes the moment the card appears in the target column.
    const seen = b.evaluate(({ id, target }) => new Promise<number>((resolve) => {
      const sel = `[data-test="${target}"] [data-deal="${id}"]`;
      if (document.querySelector(sel)) return resolve(-1);
      const obs = new MutationObserver(() => {
        if (document.querySelector(sel)) { obs.disconnect(); resolve(Date.now()); }
      });
      obs.observe(document.body, { childList: true, subtree: true });
    }), { id, target });
    const card = a.locator(`[data-deal="${id}"]`);
    await card.focus();
    const t0 = await a.evaluate(() => Date.now());
    await a.keyboard.press(key);
    const t1 = await seen;
    expect(t1).toBeGreaterThan(0);
    lat.push(t1 - t0);
    await expect(a.locator(`[data-test="${target}"] [data-deal="${id}"]`)).toBeVisible();
    await a.waitForTimeout(150);
  }
  row('move: key press → card in the other browser', lat);
});
