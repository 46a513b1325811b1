// Bridge's service worker, served by the app at /sw.js (bridge.views.service_worker) so it
// controls every page; Workbox (npm, served from /static/, never a CDN) routes and caches.
//
// - Static files: stale-while-revalidate, so a page saved on the device draws offline.
// - Public pages (home, meetings, privacy): network first, then the copy saved when last
//   read - only copies a signed-out visitor was shown (never a private, staff response).
// - The field app's staff pages (contact log, events, attendance): network first, saved per
//   account in "bridge-staff-<store>" (the X-Bridge-Store header); offline, the signed-in
//   account's copy only. Signing out deletes it (static/js/offline.js).
// - A form sent while the network is gone: the page queued it first (offline_store.js);
//   this answers with the form again, where the page says it is waiting on the device.
// - Background Sync ("bridge-queue") sends the queue when the browser regains a network.
/* global workbox, BridgeStore */
const CONFIG = {{ config|safe }};

importScripts(CONFIG.scripts.workbox, CONFIG.scripts.idb, CONFIG.scripts.store);
workbox.setConfig({ debug: false, modulePathCb: (name) => CONFIG.modules[name] });

// Every module is loaded now: importScripts is not allowed once the worker is installed.
const { registerRoute, setCatchHandler } = workbox.routing;
const { NetworkFirst, NetworkOnly, StaleWhileRevalidate } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;
const { CacheableResponsePlugin } = workbox.cacheableResponse;

const STATIC_CACHE = `bridge-static-${CONFIG.version}`;
const PUBLIC_CACHE = "bridge-public";
const publicPages = CONFIG.publicPages.map((p) => new RegExp(p));
const staffPages = CONFIG.staffPages.map((p) => new RegExp(p));
const queuedForms = CONFIG.queuedForms.map((p) => new RegExp(p));
const matches = (patterns, url) => url.origin === self.location.origin && patterns.some((p) => p.test(url.pathname));
const languageOf = (url) => (url.pathname.match(CONFIG.languagePrefix) || [])[1];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(CONFIG.precache)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("bridge-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(CONFIG.staticUrl),
  new StaleWhileRevalidate({
    cacheName: STATIC_CACHE,
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), new ExpirationPlugin({ maxEntries: 300 })],
  })
);

// A public page is kept only as a signed-out visitor saw it.
const publicOnly = {
  cacheWillUpdate: async ({ response }) => {
    const control = response.headers.get("Cache-Control") || "";
    const shared = !/private|no-store/.test(control) && !response.headers.has(CONFIG.storeHeader);
    return response.status === 200 && shared ? response : null;
  },
};

async function keepOfflinePage(url) {
  const lang = languageOf(url);
  if (!lang) return;
  await BridgeStore.setMeta("language", lang);
  const address = CONFIG.offlinePage.replace(CONFIG.languageSlot, lang);
  const cache = await caches.open(PUBLIC_CACHE);
  if (!(await cache.match(address))) {
    try {
      const response = await fetch(address, { credentials: "omit" });
      if (response.ok) await cache.put(address, response);
    } catch (e) {
      /* offline now: next time */
    }
  }
}

async function offlineAnswer(request) {
  const lang = languageOf(new URL(request.url)) || (await BridgeStore.getMeta("language"));
  if (lang) {
    const page = await caches.match(CONFIG.offlinePage.replace(CONFIG.languageSlot, lang), { ignoreVary: true });
    if (page) return page;
  }
  return Response.error();
}

registerRoute(
  ({ request, url }) => request.mode === "navigate" && matches(publicPages, url),
  async (options) => {
    const strategy = new NetworkFirst({
      cacheName: PUBLIC_CACHE,
      networkTimeoutSeconds: 8,
      matchOptions: { ignoreVary: true, ignoreSearch: true },
      plugins: [publicOnly],
    });
    const response = await strategy.handle(options);
    options.event.waitUntil(keepOfflinePage(options.url));
    return response;
  }
);

// "/" chooses a language by redirecting; offline, the home page in the last language read.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin && url.pathname === "/",
  async ({ request }) => {
    try {
      return await fetch(request);
    } catch (e) {
      const lang = await BridgeStore.getMeta("language");
      const home = lang && (await caches.match(CONFIG.homePage.replace(CONFIG.languageSlot, lang), { ignoreVary: true }));
      return home || offlineAnswer(request);
    }
  }
);

const staffKey = (url) => new URL(url.pathname, self.location.origin).href;

registerRoute(
  ({ request, url }) => request.mode === "navigate" && matches(staffPages, url),
  async ({ request, url, event }) => {
    try {
      const response = await fetch(request);
      const store = response.headers.get(CONFIG.storeHeader);
      if (response.ok && store && !response.redirected) {
        const cache = await caches.open(BridgeStore.CACHE_PREFIX + store);
        event.waitUntil(cache.put(staffKey(url), response.clone()));
        event.waitUntil(keepOfflinePage(url));
      }
      return response;
    } catch (e) {
      const store = await BridgeStore.getMeta("current");
      if (store) {
        const cache = await caches.open(BridgeStore.CACHE_PREFIX + store);
        const saved = await cache.match(staffKey(url));
        if (saved) return saved;
      }
      return offlineAnswer(request);
    }
  }
);

// The contact log or attendance form sent with no network: the page queued it first; if its
// script could not (it had not started yet), the worker queues what the form held itself.
async function queueFromWorker(url, data) {
  const store = await BridgeStore.getMeta("current");
  if (!store) return;
  const id = /^[0-9a-f-]{36}$/.test(data.get("client_id") || "") ? data.get("client_id") : BridgeStore.newId();
  if (await BridgeStore.get(store, id)) return;
  const form = CONFIG.queuedForms.findIndex((p) => new RegExp(p).test(url.pathname));
  await BridgeStore.put(store, {
    id,
    kind: CONFIG.queueKinds[form],
    url: new URL(url.pathname + CONFIG.queueSuffixes[form], self.location.origin).pathname,
    formUrl: url.pathname,
    fields: [...data].filter(([name, value]) => !["csrfmiddlewaretoken", "client_id"].includes(name) && typeof value === "string"),
    summary: data.get("date") || "",
    createdAt: Date.now(),
    state: "waiting",
  });
}

registerRoute(
  ({ request, url }) => request.mode === "navigate" && matches(queuedForms, url),
  async ({ request, url }) => {
    const copy = request.clone();
    try {
      return await fetch(request);
    } catch (e) {
      try {
        await queueFromWorker(url, await copy.formData());
      } catch (ignored) {
        /* the page's own copy stands */
      }
      return Response.redirect(`${url.pathname}#queued`, 303);
    }
  },
  "POST"
);

// Signing out, from any page: the account's saved pages are forgotten once the server has
// ended the session (the page's own sign-out also clears the queue, after warning).
const signOuts = CONFIG.signOutPaths.map((p) => new RegExp(p));
registerRoute(
  ({ url }) => matches(signOuts, url),
  async ({ request }) => {
    const store = await BridgeStore.getMeta("current");
    const response = await fetch(request);
    if (store && (response.ok || response.type === "opaqueredirect" || response.redirected)) {
      await BridgeStore.forgetAccount(store);
    }
    return response;
  },
  "POST"
);

// Any other page: the network, and offline the offline page in the page's language.
registerRoute(({ request }) => request.mode === "navigate", new NetworkOnly());

setCatchHandler(async ({ request }) => (request.mode === "navigate" ? offlineAnswer(request) : Response.error()));

async function sendQueue() {
  const store = await BridgeStore.getMeta("current");
  if (!store) return;
  const result = await BridgeStore.flush(store, "");
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "bridge-queue", result });
  }
  // A lost connection again: let the browser try later. A session to renew waits for the page.
  if (result.offline) throw new Error("still offline");
}

self.addEventListener("sync", (event) => {
  if (event.tag === "bridge-queue") event.waitUntil(sendQueue());
});
