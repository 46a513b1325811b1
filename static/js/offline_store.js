// The field app's device store, shared by the pages (static/js/offline.js) and the service
// worker (bridge/sw.js). It keeps, per signed-in account, only the queue of what the liaison
// saved without a network; the form's choices live in that account's saved copy of the page
// (the service worker's "bridge-staff-<store>" cache). IndexedDB through idb (npm).
//
// An item: {id (made here, sent as client_id), kind ("contact" | "attendance"), url (where it
// is sent), formUrl (where it is corrected), fields ([name, value] pairs of the form),
// summary, createdAt, state ("waiting" | "submitted" | "editing" | "refused"), reason, errors}.
// The server accepts each id once, so sending again after a lost answer never doubles it.
/* global idb */
(function (root) {
  "use strict";

  const META = "bridge-meta";
  const QUEUE_PREFIX = "bridge-queue-";
  const CACHE_PREFIX = "bridge-staff-";
  const EDIT_HOLD_MS = 10 * 60 * 1000;

  function meta() {
    return idb.openDB(META, 1, {
      upgrade(db) {
        db.createObjectStore("meta");
      },
    });
  }

  async function getMeta(key) {
    const db = await meta();
    try {
      return await db.get("meta", key);
    } finally {
      db.close();
    }
  }

  async function setMeta(key, value) {
    const db = await meta();
    try {
      if (value === null || value === undefined) await db.delete("meta", key);
      else await db.put("meta", value, key);
    } finally {
      db.close();
    }
  }

  function queue(store) {
    if (!/^[0-9a-f]{16,64}$/.test(store || "")) throw new Error("no store");
    return idb.openDB(QUEUE_PREFIX + store, 1, {
      upgrade(db) {
        db.createObjectStore("items", { keyPath: "id" }).createIndex("createdAt", "createdAt");
      },
    });
  }

  async function withQueue(store, fn) {
    const db = await queue(store);
    try {
      return await fn(db);
    } finally {
      db.close();
    }
  }

  const list = (store) => withQueue(store, (db) => db.getAllFromIndex("items", "createdAt"));
  const get = (store, id) => withQueue(store, (db) => db.get("items", id));
  const put = (store, item) => withQueue(store, (db) => db.put("items", item));
  const remove = (store, id) => withQueue(store, (db) => db.delete("items", id));

  async function update(store, id, changes) {
    return withQueue(store, async (db) => {
      const tx = db.transaction("items", "readwrite");
      const item = await tx.store.get(id);
      if (item) await tx.store.put(Object.assign(item, changes));
      await tx.done;
      return item;
    });
  }

  // Everything this account keeps on the device: its queue and its saved pages.
  async function clearAccount(store) {
    if (!store) return;
    await idb.deleteDB(QUEUE_PREFIX + store);
    if (root.caches) await root.caches.delete(CACHE_PREFIX + store);
    if ((await getMeta("current")) === store) await setMeta("current", null);
  }

  // Signed out some other way (the admin, an unverified session): the account's saved
  // pages go and the device no longer opens as that account; its unsent queue stays, unread,
  // until that account signs in here again.
  async function forgetAccount(store) {
    if (store && root.caches) await root.caches.delete(CACHE_PREFIX + store);
    if ((await getMeta("current")) === store) await setMeta("current", null);
  }

  // Pages and workers run in a secure context, where every browser with service workers
  // has randomUUID.
  const newId = () => root.crypto.randomUUID();

  function sendable(item, now) {
    if (item.state === "refused") return false;
    return !(item.state === "editing" && now - (item.editedAt || 0) < EDIT_HOLD_MS);
  }

  async function json(response) {
    try {
      return await response.json();
    } catch (e) {
      return {};
    }
  }

  // Send what is waiting, oldest first, one at a time. Every item stays on the device until
  // the server has answered for it: "created" or "duplicate" (it had it already) remove it,
  // "refused" keeps it with the reason for the liaison to correct. Each item is read again
  // just before it goes, and an answer is applied only if the item did not change meanwhile
  // (rev); an item edited while its send was on the way is sent again, and the server keeps
  // the last version. A lost connection or an ended session stop the round and keep the rest;
  // a server error skips that item, and after MAX_FAILURES it is handed back to the liaison.
  // Returns {sent, refused, blocked: null | {status, message, url}, offline}.
  const MAX_FAILURES = 3;

  async function flushOnce(store, page) {
    const result = { sent: 0, refused: 0, blocked: null, offline: false };
    const ids = (await list(store)).map((item) => item.id);
    const tokens = {};
    const headers = { "X-Bridge-Queue": "1", "X-Bridge-Store": store, "X-Bridge-Page": page || "" };
    for (let i = 0; i < ids.length; i += 1) {
      const item = await get(store, ids[i]);
      if (!item || !sendable(item, Date.now())) continue;
      const unchanged = async () => {
        const now = await get(store, item.id);
        return now && (now.rev || 0) === (item.rev || 0) ? now : null;
      };
      let response;
      let answer;
      try {
        if (!tokens[item.url]) {
          const ready = await fetch(item.url, { headers, credentials: "same-origin", cache: "no-store" });
          answer = await json(ready);
          if (!ready.ok || !answer.csrf) {
            result.blocked = answer.status ? answer : { status: "error" };
            break;
          }
          tokens[item.url] = answer.csrf;
        }
        const body = new URLSearchParams(item.fields);
        body.set("client_id", item.id);
        response = await fetch(item.url, {
          method: "POST",
          body,
          credentials: "same-origin",
          cache: "no-store",
          headers: Object.assign({ "X-CSRFToken": tokens[item.url] }, headers),
        });
        answer = await json(response);
      } catch (e) {
        result.offline = true;
        break;
      }
      if (answer.status === "created" || answer.status === "duplicate") {
        if (await unchanged()) await remove(store, item.id);
        result.sent += 1;
      } else if (answer.status === "refused") {
        if (await unchanged()) {
          await update(store, item.id, {
            state: "refused",
            reason: answer.message || "",
            errors: answer.errors || {},
            renew: Boolean(answer.renew),
          });
        }
        result.refused += 1;
      } else if (["signin", "mfa", "other-account"].includes(answer.status)) {
        result.blocked = answer;
        break;
      } else {
        // No answer the app knows (a server error, a proxy's page): this one waits, the rest go.
        const failures = (item.failures || 0) + 1;
        const handBack = failures >= MAX_FAILURES || (response.status >= 400 && response.status < 500);
        if (await unchanged()) {
          await update(store, item.id, handBack ? { state: "refused", reason: "", errors: {}, failures } : { failures });
        }
        if (handBack) result.refused += 1;
        else result.blocked = { status: "error" };
      }
    }
    return result;
  }

  // One round at a time across tabs and the service worker (Web Locks where the browser has
  // them; the server's once-per-id rule keeps a round that overlaps anyway harmless).
  function flush(store, page) {
    const locks = root.navigator && root.navigator.locks;
    if (!locks) return flushOnce(store, page);
    return locks.request(`bridge-send-${store}`, () => flushOnce(store, page));
  }

  root.BridgeStore = {
    CACHE_PREFIX,
    getMeta,
    setMeta,
    list,
    get,
    put,
    remove,
    update,
    clearAccount,
    forgetAccount,
    newId,
    flush,
  };
})(self);
