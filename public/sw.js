// Karvon service worker: keeps the app shell (WASM, JS, CSS, icons, page chunks) so pages start fast, and
// the pages a salesperson opened today (customer cards, My day, the board) so that, offline, they still
// read on a tablet, marked as offline in the page's language. Data calls (/rpc, /api) always go to the
// network. The server fills in BUILD (server/src/pwa.rs), so every build is a new worker with its own caches.
const BUILD = '__BUILD__';
const CACHE = `karvon-shell-${BUILD}`;
const PAGES = `karvon-pages-${BUILD}`;
// The pages kept for offline reading, the most kept, and for how long (a working day's pages).
const KEPT = /^\/(customers\/\d+|deals\/\d+|tasks|deals)$/;
const MAX_PAGES = 40;
const PAGE_TTL_MS = 18 * 3600 * 1000;
const SAVED_AT = 'x-karvon-saved-at';
// The time zone a kept page was shown in (its <html data-tz>, the reader's own or the company's).
const DEFAULT_TZ = 'Asia/Tashkent';
const tzOf = (html) => (/<html[^>]*\sdata-tz="([A-Za-z0-9_+\-\/]+)"/.exec(html) || [])[1] || DEFAULT_TZ;
const OFFLINE = {
  uz: { mark: (t) => `Tarmoq yo'q: sahifa ${t} holatida`, none: "Tarmoq yo'q. Bu sahifa hali ochilmagan, shuning uchun oflayn ko'rsatib bo'lmaydi.", back: 'Orqaga' },
  ru: { mark: (t) => `Нет сети: страница на ${t}`, none: 'Нет сети. Эту страницу ещё не открывали, поэтому без сети её не показать.', back: 'Назад' },
  en: { mark: (t) => `Offline: this page as of ${t}`, none: 'You are offline. This page has not been opened yet, so it cannot be shown offline.', back: 'Back' },
};
// The language of the last page served (a fallback page uses it).
let lastLang = (self.navigator.language || 'uz').slice(0, 2);
const SHELL = ['/pkg/karvon.js', '/pkg/karvon.wasm', '/pkg/karvon.css', '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png'];

// The build of the last page the network served (its `x-karvon-build`). The files keep their names from
// build to build, so they come from this worker's cache only while the pages are of its build; a page of
// a newer build (before the new worker takes over) gets its files from the network.
let pageBuild = BUILD;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== PAGES).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Only whole, successful answers are kept: a 404 or a cut-off body must never be served from the cache.
function keep(request, res) {
  if (res.ok && res.status === 200) {
    const copy = res.clone();
    caches.open(CACHE).then((c) => c.put(request, copy)).catch(() => {});
  }
  return res;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/rpc/') || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/')) {
    if (pageBuild !== BUILD) {
      // A newer build's page: its files from the network (the cache, offline).
      event.respondWith(fetch(event.request).catch(() => caches.match(event.request)));
      return;
    }
    // This build's files: from the cache once fetched (a page loads a couple of hundred small chunks).
    event.respondWith(caches.match(event.request, { cacheName: CACHE })
      .then((hit) => hit || fetch(event.request).then((res) => keep(event.request, res))));
    return;
  }
  if (event.request.mode === 'navigate') {
    // Signing in again (after signing out) starts without anyone's pages.
    if (url.pathname === '/login') caches.delete(PAGES);
    event.respondWith(fetch(event.request).then((res) => {
      pageBuild = res.headers.get('x-karvon-build') || pageBuild;
      if (KEPT.test(url.pathname) && !url.search && res.ok && res.status === 200 && !res.redirected) {
        savePage(event.request, res.clone());
      }
      return res;
    }).catch(() => offlinePage(event.request)));
  }
});

// A page opened inside the app (no page load: the app routes itself) is fetched whole, to keep it too.
self.addEventListener('message', (event) => {
  const path = event.data;
  if (typeof path !== 'string' || !KEPT.test(path)) return;
  event.waitUntil(fetch(path, { credentials: 'same-origin', headers: { accept: 'text/html' } })
    .then((res) => (res.ok && res.status === 200 && !res.redirected ? savePage(new Request(path), res) : null))
    .catch(() => {}));
});

// Keeps a page for offline reading, with the time it was read; the oldest go beyond MAX_PAGES.
async function savePage(request, res) {
  try {
    const body = await res.text();
    lastLang = langOf(body) || lastLang;
    const headers = new Headers(res.headers);
    headers.set(SAVED_AT, String(Date.now()));
    const cache = await caches.open(PAGES);
    await cache.put(request, new Response(body, { status: 200, headers }));
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(old);
  } catch (_) { /* a page not kept is only a page not readable offline */ }
}

function langOf(html) {
  const m = /<html[^>]*\blang="([a-z]{2})/.exec(html);
  return m && OFFLINE[m[1]] ? m[1] : null;
}

// Offline: the page as it was read today, marked (the mark is drawn by the stylesheet from the body's
// `data-offline`, so the page's markup, and its hydration, stay as they were); else a short notice.
async function offlinePage(request) {
  const cache = await caches.open(PAGES);
  const hit = await cache.match(request, { ignoreVary: true, ignoreSearch: true });
  const savedAt = hit && Number(hit.headers.get(SAVED_AT));
  if (hit && Date.now() - savedAt < PAGE_TTL_MS) {
    const html = await hit.text();
    const lang = langOf(html) || lastLang;
    const when = new Date(savedAt).toLocaleString(lang === 'en' ? 'en-GB' : lang === 'ru' ? 'ru-RU' : 'uz-Latn-UZ',
      { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: tzOf(html) });
    const mark = OFFLINE[lang].mark(when).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const marked = html.replace(/<body\b/, `<body data-offline="${mark}"`);
    return new Response(marked, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  const t = OFFLINE[OFFLINE[lastLang] ? lastLang : 'uz'];
  const page = `<!doctype html><html lang="${lastLang}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>Karvon</title><link rel="stylesheet" href="/pkg/karvon.css"><body class="offline-page">`
    + `<main class="panel" data-test="offline-page"><h1>Karvon</h1><p>${t.none}</p>`
    + `<p><a class="button" href="javascript:history.back()">${t.back}</a></p></main></body></html>`;
  return new Response(page, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}
