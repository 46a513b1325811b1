// The field app on every page (no inline script: the CSP forbids it).
// - Registers the service worker (bridge/sw.js) for everyone: public pages read offline.
// - On a signed-in staff page (the JSON config "bridge-offline", base.html): keeps the
//   account's queue (offline_store.js), shows what waits and why, sends it when the network
//   returns, lets the liaison edit or correct each item, and clears the device on sign-out.
/* global BridgeStore, bootstrap */
(() => {
  "use strict";

  const script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.worker) {
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(() => {});
  }

  const configNode = document.getElementById("bridge-offline");
  if (!configNode || !window.indexedDB || !window.BridgeStore) return;
  const config = JSON.parse(configNode.textContent);
  const store = config.store;
  const T = config.text;
  const lang = document.documentElement.lang || undefined;
  const fill = (text, values) => text.replace(/%\((\w+)\)[sd]/g, (m, key) => String(values[key]));
  const staleMs = config.staleDays * 24 * 60 * 60 * 1000;
  const panel = document.getElementById("offline-panel");
  const status = document.getElementById("offline-status");
  // Announced from outside the panel: a live region inside a hidden section is not read out.
  const live = document.getElementById("offline-live");
  const action = document.getElementById("offline-action");
  const list = document.getElementById("offline-items");
  let lastResult = null;
  let flushing = false;

  BridgeStore.setMeta("current", store).catch(() => {});
  document.querySelectorAll(".offline-staff-link").forEach((node) => { node.hidden = false; });

  // --- What the form holds, as a queue item ------------------------------------------
  function labelOf(input) {
    const label = input.id && document.querySelector(`label[for="${input.id}"]`);
    // Without the required-field asterisk crispy-forms adds.
    return label ? label.textContent.replace(/\*\s*$/, "").trim() : input.value;
  }

  function summaryOf(form) {
    const parts = [];
    if (form.dataset.offlineTitle) parts.push(form.dataset.offlineTitle);
    for (const name of (form.dataset.offlineSummary || "").split(" ").filter(Boolean)) {
      const inputs = [...form.elements].filter((el) => el.name === name);
      const values = [];
      for (const el of inputs) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) values.push(labelOf(el));
        } else if (el.tagName === "SELECT") {
          if (el.value) values.push(el.selectedOptions[0].textContent.trim());
        } else if (el.type === "date" && el.value) {
          const day = new Date(`${el.value}T12:00:00`);
          values.push(new Intl.DateTimeFormat(lang, { dateStyle: "medium" }).format(day));
        } else if (el.value) {
          values.push(`${labelOf(el)}: ${el.value}`);
        }
      }
      if (values.length) parts.push(values.join(", "));
    }
    return parts.join(" · ");
  }

  function fieldsOf(form) {
    return [...new FormData(form)]
      .filter(([name, value]) => name !== "csrfmiddlewaretoken" && name !== "client_id" && typeof value === "string");
  }

  function putIntoForm(form, fields) {
    const byName = {};
    for (const [name, value] of fields) (byName[name] = byName[name] || []).push(value);
    for (const el of form.elements) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "client_id" || el.type === "submit") continue;
      const values = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = values.includes(el.value);
      else if (el.tagName === "SELECT" && el.multiple) [...el.options].forEach((o) => { o.selected = values.includes(o.value); });
      else el.value = values.length ? values[values.length - 1] : "";
    }
    const more = form.querySelector("details.more-details");
    if (more && [...more.querySelectorAll("input, select, textarea")].some(
      (el) => (el.type === "checkbox" || el.type === "radio" ? el.checked : el.value))) {
      more.open = true;
    }
  }

  // --- The panel --------------------------------------------------------------------
  function button(text, onClick, css) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = css;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function link(text, href, css) {
    const a = document.createElement("a");
    a.className = css;
    a.href = href;
    a.textContent = text;
    return a;
  }

  function shownInForm() {
    const id = document.querySelector("form[data-offline-kind] input[name=client_id]");
    return id && id.value && document.querySelector("form[data-offline-kind].offline-editing, #error-summary")
      ? id.value : null;
  }

  const formatWhen = (ms) => new Intl.DateTimeFormat(lang, {
    dateStyle: "medium", timeStyle: "short", timeZone: config.timeZone,
  }).format(new Date(ms));

  function itemRow(item) {
    const li = document.createElement("li");
    li.className = `offline-item border-top pt-2 mt-2${item.state === "refused" ? " offline-refused" : ""}`;
    li.dataset.id = item.id;
    const title = document.createElement("p");
    title.className = "mb-1";
    const kind = document.createElement("strong");
    kind.textContent = `${item.kind === "attendance" ? T.attendance : T.contact}: `;
    title.append(kind, item.summary || "");
    li.append(title);
    const when = document.createElement("p");
    when.className = "mb-1 small text-body-secondary";
    when.textContent = fill(T.savedOn, {
      when: formatWhen(item.createdAt),
    });
    li.append(when);
    if (Date.now() - item.createdAt > staleMs) {
      const stale = document.createElement("p");
      stale.className = "mb-1 small offline-stale";
      stale.innerHTML = '<i class="bi bi-clock-history" aria-hidden="true"></i> ';
      stale.append(T.stale);
      li.append(stale);
    }
    if (item.state === "refused") {
      const why = document.createElement("div");
      why.className = "alert alert-danger py-2 mb-2 offline-reason";
      why.append(...reasons(item));
      li.append(why);
    }
    const actions = document.createElement("p");
    actions.className = "mb-0 d-flex flex-wrap gap-2";
    actions.append(
      link(item.state === "refused" ? T.correct : T.edit, `${item.formUrl}#queued-${item.id}`,
        `btn btn-sm ${item.state === "refused" ? "btn-danger" : "btn-outline-primary"} offline-edit`),
      button(T.remove, async () => {
        if (!window.confirm(T.removeConfirm)) return;
        await BridgeStore.remove(store, item.id);
        render();
      }, "btn btn-sm btn-outline-secondary offline-remove"),
    );
    li.append(actions);
    return li;
  }

  let drawn = "";

  async function render() {
    const items = await BridgeStore.list(store).catch(() => []);
    const inForm = shownInForm();
    const shown = items.filter((item) => item.id !== inForm);
    // Redrawn only when something changed, so a focused button keeps its focus.
    const signature = JSON.stringify(shown.map((i) => [i.id, i.rev, i.state, i.reason, i.summary]));
    if (signature !== drawn) {
      const hadFocus = list.contains(document.activeElement);
      list.replaceChildren(...shown.map(itemRow));
      drawn = signature;
      if (hadFocus) document.getElementById("offline-panel-title").focus();
    }
    let text = "";
    action.hidden = true;
    if (lastResult && lastResult.blocked && ["signin", "mfa", "other-account"].includes(lastResult.blocked.status) && shown.length) {
      text = `${fill(T.waiting, { count: shown.length })}. ${lastResult.blocked.message || ""}`;
      if (lastResult.blocked.url) {
        const a = action.querySelector("a");
        a.href = lastResult.blocked.url;
        a.textContent = lastResult.blocked.status === "mfa" ? T.mfa : T.signin;
        action.hidden = false;
      }
    } else if (shown.length) {
      const refused = shown.filter((item) => item.state === "refused").length;
      const parts = [];
      if (shown.length > refused) parts.push(fill(T.waiting, { count: shown.length - refused }));
      if (refused) parts.push(fill(T.toCorrect, { count: refused }));
      text = parts.join(". ");
      if (flushing) text += `. ${T.sending}`;
      else if (!navigator.onLine) text += `. ${T.offline}`;
      else if (shown.length > refused && lastResult && (lastResult.offline || (lastResult.blocked && lastResult.blocked.status === "error"))) text += `. ${T.retry}`;
    } else if (!navigator.onLine) {
      text = T.offline;
    } else if (lastResult && lastResult.sent) {
      text = fill(T.sent, { count: lastResult.sent });
    }
    status.textContent = text;
    if (live.textContent !== text) live.textContent = text;
    panel.hidden = !text && !shown.length;
    panel.classList.toggle("offline-panel-warning", !navigator.onLine || shown.length > 0);
  }

  // --- Sending ------------------------------------------------------------------------
  async function flush() {
    if (flushing || !navigator.onLine) return render();
    const items = await BridgeStore.list(store).catch(() => []);
    if (!items.some((item) => item.state !== "refused")) return render();
    flushing = true;
    let result = { offline: true };
    try {
      await render();
      result = await BridgeStore.flush(store, location.pathname + location.search);
    } catch (e) {
      /* the device store or the network failed: kept as "try again" */
    } finally {
      flushing = false;
    }
    // A round that found nothing left (the worker sent it meanwhile) keeps the last news.
    if (result.sent || result.refused || result.blocked || result.offline || !lastResult) lastResult = result;
    return render();
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register("bridge-queue"))
      .catch(() => {});
  }

  // --- The forms that work offline (contact log, attendance) ---------------------------
  // en-CA writes dates as YYYY-MM-DD; the unit's time zone decides which day it is.
  const todayIso = () => new Intl.DateTimeFormat("en-CA", { timeZone: config.timeZone }).format(new Date());

  // The note above a form (made once, then reused): saved here, or being changed.
  function noteBefore(form, css, role) {
    let note = form.parentElement.querySelector(`.${css.split(" ").pop()}`);
    if (!note) {
      note = document.createElement("div");
      note.className = `alert ${css}`;
      note.setAttribute("role", role);
      note.tabIndex = -1;
      form.before(note);
    }
    return note;
  }

  // Why the server refused an item: its reason, then each field's message.
  function reasons(item) {
    const nodes = [];
    const head = document.createElement("p");
    head.className = "mb-1 fw-bold";
    head.textContent = item.reason || T.refused;
    nodes.push(head);
    const ul = document.createElement("ul");
    ul.className = "mb-0";
    for (const e of Object.values(item.errors || {})) {
      for (const message of e.messages) {
        const row = document.createElement("li");
        row.textContent = e.label ? `${e.label}: ${message}` : message;
        ul.append(row);
      }
    }
    if (ul.children.length) nodes.push(ul);
    return nodes;
  }

  function editingBanner(form, item) {
    const banner = noteBefore(form, "alert-warning offline-editing-note", "alert");
    const p = document.createElement("p");
    p.className = "mb-1";
    p.textContent = T.editing;
    banner.replaceChildren(p);
    if (item.state === "refused") {
      banner.append(...reasons(item));
      for (const name of Object.keys(item.errors || {})) {
        form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((el) => {
          el.classList.add("is-invalid");
          el.setAttribute("aria-invalid", "true");
        });
      }
    }
    return banner;
  }

  function notice(form, text) {
    const note = noteBefore(form, "alert-success offline-saved-note", "status");
    note.textContent = text;
    note.focus();
  }

  async function openQueued(form) {
    const match = location.hash.match(/^#queued-([0-9a-f-]{36})$/);
    if (!match) return;
    let item = await BridgeStore.get(store, match[1]);
    if (!item) return;
    if (item.renew) {
      // Refused for its identifier: corrected and saved, it goes under a new one.
      item = Object.assign({}, item, { id: BridgeStore.newId(), renew: false });
      await BridgeStore.put(store, item);
      await BridgeStore.remove(store, match[1]);
      history.replaceState(null, "", `${location.pathname}${location.search}#queued-${item.id}`);
    }
    const saved = form.parentElement.querySelector(".offline-saved-note");
    if (saved) saved.remove(); // that was about the previous one
    form.querySelectorAll(".is-invalid").forEach((el) => {
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
    });
    putIntoForm(form, item.fields);
    form.querySelector("input[name=client_id]").value = item.id;
    form.classList.add("offline-editing");
    await BridgeStore.update(store, item.id, { editedAt: Date.now(), state: item.state === "refused" ? "refused" : "editing" });
    editingBanner(form, item).focus();
  }

  function setUp(form) {
    const idInput = form.querySelector("input[name=client_id]");
    const kind = form.dataset.offlineKind;
    const dateName = form.dataset.offlineToday;
    // A copy of the page saved on an earlier day still offers today.
    if (dateName && !location.hash && !document.getElementById("error-summary")) {
      const date = form.elements[dateName];
      if (date && date.value && date.value === date.defaultValue && date.value < todayIso()) date.value = todayIso();
    }
    // The server showed this form back with its reasons: what it holds stays queued, to be
    // corrected here or later, until the server accepts it.
    const summary = document.getElementById("error-summary");
    // A fresh form has no identifier: one the browser restored (back, form restore) belongs
    // to a contact already saved and would make this one its duplicate.
    const forget = () => {
      if (!summary && !/^#queued-/.test(location.hash)) idInput.value = "";
    };
    forget();
    if (idInput.value && summary) {
      const messages = [...summary.querySelectorAll("li")].map((li) => li.textContent.trim());
      BridgeStore.update(store, idInput.value, {
        state: "refused",
        reason: summary.querySelector("h2") ? summary.querySelector("h2").textContent.trim() : "",
        errors: { "": { label: "", messages } },
      }).then(render);
    }
    // Back to this page from the browser's history: it can be sent again.
    window.addEventListener("pageshow", (event) => {
      delete form.dataset.sending;
      if (event.persisted) forget();
    });
    const itemOf = (id, earlier, state) => ({
      id,
      kind,
      url: form.dataset.offlineQueue,
      formUrl: location.pathname,
      fields: fieldsOf(form),
      summary: summaryOf(form),
      createdAt: earlier ? earlier.createdAt : Date.now(),
      rev: ((earlier && earlier.rev) || 0) + 1,
      state,
    });
    const keep = async (id, state) => BridgeStore.put(store, itemOf(id, await BridgeStore.get(store, id), state));

    form.addEventListener("submit", (event) => {
      if (!idInput.value) idInput.value = BridgeStore.newId(); // sent with the form, too
      const id = idInput.value;
      if (navigator.onLine) {
        // Online, the form goes to the server as always; a copy is kept on the device until
        // the saved page confirms it, and if the network is gone after all, the worker keeps
        // what the form held and brings the form back.
        if (location.hash) history.replaceState(null, "", location.pathname + location.search);
        keep(id, "submitted").catch(() => {});
        return;
      }
      event.preventDefault();
      if (form.dataset.sending) return;
      form.dataset.sending = "1";
      keep(id, "waiting")
        .then(() => {
          askForSync();
          form.reset();
          idInput.value = "";
          form.classList.remove("offline-editing");
          form.querySelectorAll(".is-invalid").forEach((el) => {
            el.classList.remove("is-invalid");
            el.removeAttribute("aria-invalid");
          });
          const banner = form.parentElement.querySelector(".offline-editing-note");
          if (banner) banner.remove();
          if (location.hash) history.replaceState(null, "", location.pathname + location.search);
          if (dateName && form.elements[dateName]) form.elements[dateName].value = todayIso();
          notice(form, T.savedHere);
        })
        .finally(() => {
          delete form.dataset.sending;
          render();
        });
    });
    openQueued(form).then(render);
    window.addEventListener("hashchange", () => openQueued(form).then(render));
  }

  // The server took it: the saved page names the device's identifier.
  const sentNode = document.querySelector("[data-offline-sent]");
  const sentId = (sentNode && sentNode.dataset.offlineSent) || config.sent;
  const settled = sentId ? BridgeStore.remove(store, sentId).catch(() => {}) : Promise.resolve();

  document.querySelectorAll("form[data-offline-kind]").forEach(setUp);
  // The worker answered a form sent with no network: it is waiting on the device.
  if (location.hash === "#queued") {
    history.replaceState(null, "", location.pathname + location.search);
    const form = document.querySelector("form[data-offline-kind]");
    if (form) notice(form, T.savedHere);
    askForSync();
  }

  // --- Signing out: warn about what is unsent, then clear this account's store ----------
  const signout = document.getElementById("signout-form");
  const modalNode = document.getElementById("signout-modal");
  if (signout) {
    const leave = async () => {
      try {
        await BridgeStore.clearAccount(store);
      } finally {
        signout.submit();
      }
    };
    signout.addEventListener("submit", async (event) => {
      event.preventDefault();
      const items = await BridgeStore.list(store).catch(() => []);
      if (!items.length || !modalNode || !window.bootstrap) return leave();
      modalNode.querySelector(".signout-count").textContent = fill(T.unsent, { count: items.length });
      bootstrap.Modal.getOrCreateInstance(modalNode).show();
      return undefined;
    });
    const confirm = document.getElementById("signout-confirm");
    if (confirm) confirm.addEventListener("click", leave);
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") flush(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      const result = event.data && event.data.type === "bridge-queue" && event.data.result;
      if (result && (result.sent || result.refused || result.blocked || result.offline)) {
        lastResult = result;
        render();
      }
    });
  }
  setInterval(() => { if (navigator.onLine) flush(); }, 60 * 1000);
  settled.then(flush);
})();
