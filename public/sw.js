// Jalon's service worker. The server fills in VERSION, ASSETS and PIECES
// when it starts (server/src/pwa.rs): one cache per deployment, holding the
// offline shell, the main piece of code that shell names, and the pieces of
// the screens the signed-in role opens, all under this deployment's own
// addresses, so a page never mixes one deployment's HTML with another's code.
const VERSION = "__JALON_VERSION__";
const ASSETS = __JALON_ASSETS__;
// Role → the files of the screens that role opens (each screen's code is a
// piece of its own, fetched when first opened). A worker's phone never
// fetches the staff screens.
const PIECES = __JALON_PIECES__;
// Each screen's files (its piece and those it shares), by the piece's name.
const SCREENS = __JALON_SCREENS__;
const SHELL = "/coquille";
const CACHE = "jalon-" + VERSION;
// Remembers the role last signed in on this phone (no data, one word), so the
// next deployment's worker keeps the same screens before it takes over.
const META = "jalon-meta";
const ROLE_KEY = "/__jalon/role";
// With a network this slow, the phone opens the offline shell instead.
const PAGE_TIMEOUT_MS = 4000;

// The shell is fetched afresh and without the session cookie: it holds
// nobody's data. The build's files never change under their address, so a
// copy the page has just downloaded is taken from the browser's cache
// instead of being downloaded a second time.
const fresh = (url) =>
  new Request(url, { cache: url === SHELL ? "reload" : "default", credentials: "omit" });

async function rememberedRole() {
  const hit = await (await caches.open(META)).match(ROLE_KEY);
  return hit ? hit.text() : "";
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const role = await rememberedRole();
      const cache = await caches.open(CACHE);
      await cache.addAll([SHELL, ...ASSETS].map(fresh));
      // The screens of whoever was signed in: a new deployment takes over
      // only once they are here, so offline stays whole across it.
      await cache.addAll((PIECES[role] || []).map(fresh));
    })(),
  );
});

// Keeps the screens of `role` (the page says who signed in), fetching only
// the ones not kept yet, each kept as soon as it arrives: a network lost
// half-way leaves what came, and the next start fetches the rest. Answers
// "ready" when every one is here, else "incomplete".
async function keep(role) {
  const files = PIECES[role] || [];
  await (await caches.open(META)).put(ROLE_KEY, new Response(role));
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const url of files) {
    if (!(await cache.match(url))) missing.push(url);
  }
  let failed = 0;
  const worker = async () => {
    for (let url = missing.shift(); url; url = missing.shift()) {
      try {
        const response = await fetch(fresh(url));
        if (response.ok) await cache.put(url, response);
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return failed === 0 ? "ready" : "incomplete";
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("jalon-") && name !== CACHE && name !== META)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  // The page asks for this when the person taps "Nouvelle version disponible".
  if (event.data === "skip-waiting") self.skipWaiting();
  else if (event.data && typeof event.data.keep === "string") {
    // The page shows whether this phone is ready to work offline.
    event.waitUntil(keep(event.data.keep).then((state) => event.source && event.source.postMessage({ offline: state })));
  }
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

// A piece of this deployment fetched on first opening (a screen not kept
// yet) is kept as it arrives.
const PIECE_URLS = new Set(Object.values(SCREENS).flat());

async function file(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  const path = new URL(request.url).pathname;
  if (response.ok && PIECE_URLS.has(path)) await cache.put(path, response.clone());
  return response;
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
