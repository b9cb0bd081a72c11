// Karvon service worker: keeps the app shell (WASM, JS, CSS, icons, page chunks) so pages start fast and
// offline shows the last page instead of the browser's error. Data calls (/rpc, /api) always go to the
// network. The server fills in BUILD (server/src/pwa.rs), so every build is a new worker with its own cache.
const BUILD = '__BUILD__';
const CACHE = `karvon-shell-${BUILD}`;
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
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
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
    event.respondWith(fetch(event.request).then((res) => {
      pageBuild = res.headers.get('x-karvon-build') || pageBuild;
      return res;
    }).catch(() =>
      caches.match(event.request).then((r) => r || new Response('Karvon: offline', { status: 503 }))));
  }
});
