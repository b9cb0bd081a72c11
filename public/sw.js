// Karvon service worker: keeps the app shell (WASM, JS, CSS, icons) so the app starts fast and offline
// shows the last page instead of the browser's error. Data calls (/rpc, /api) always go to the network.
const CACHE = 'karvon-shell-v1';
const SHELL = ['/pkg/karvon.js', '/pkg/karvon.wasm', '/pkg/karvon.css', '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/rpc/') || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/')) {
    // Shell assets: network first (a new build replaces them), the cache when offline.
    // Only whole, successful answers are kept: a 404 or a cut-off body must never be what offline serves.
    event.respondWith(fetch(event.request).then((res) => {
      if (res.ok && res.status === 200) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(event.request, copy)).catch(() => {});
      }
      return res;
    }).catch(() => caches.match(event.request)));
    return;
  }
  if (event.request.mode === 'navigate') {
    event.respondWith(fetch(event.request).catch(() =>
      caches.match(event.request).then((r) => r || new Response('Karvon: offline', { status: 503 }))));
  }
});
