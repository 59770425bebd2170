// Jalon's service worker. The server fills in VERSION and ASSETS when it
// starts (server/src/pwa.rs): one cache per deployment, holding the offline
// shell and exactly the hashed files that shell names, so a page never mixes
// one deployment's HTML with another's code.
const VERSION = "__JALON_VERSION__";
const ASSETS = __JALON_ASSETS__;
const SHELL = "/coquille";
const CACHE = "jalon-" + VERSION;
// With a network this slow, the phone opens the offline shell instead.
const PAGE_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(
        [SHELL, ...ASSETS].map(
          // The shell is fetched afresh and without the session cookie: it
          // holds nobody's data. The hashed files never change under their
          // name, so the copy the page has just downloaded is taken from the
          // browser's cache instead of being downloaded a second time.
          (url) =>
            new Request(url, {
              cache: url === SHELL ? "reload" : "default",
              credentials: "omit",
            }),
        ),
      ),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("jalon-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page asks for this when the person taps "Nouvelle version disponible".
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Server functions and the sync API: always the network.
  if (url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else {
    event.respondWith(file(request));
  }
});

async function page(request) {
  try {
    return await fetchWithin(request, PAGE_TIMEOUT_MS);
  } catch (_) {
    const cache = await caches.open(CACHE);
    const shell = await cache.match(SHELL);
    return shell || Response.error();
  }
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  return hit || fetch(request);
}

function fetchWithin(request, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
