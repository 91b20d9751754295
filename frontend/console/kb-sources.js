/*
 * The help center's sources: #/knowledge/sources lists them for every operator, /sources/<id> adds that
 * source's documents. Admins add a source, re-sync or remove one; a sync runs in the request (up to about
 * a minute) and what it did is told when it ends. A change made here raises "console:kb-changed".
 */

import { api } from "./api.js";
import { $, each, el, go, rebuildList, sameKey } from "./dom.js";
import { KB_CHANGED } from "./kb-lists.js";
import { fail, notify } from "./notice.js";
import { isAdmin, state } from "./state.js";
import { T, fill } from "./strings.js";
import { clock } from "./time.js";

const DOCUMENT_STATES = ["indexed", "unchanged", "failed", "retired"];

/** The sources and, when one is chosen, its documents. */
export function loadSources() {
  const chosen = state.kb.source;
  return api("/kb/sources").then(function (body) {
    renderSources(body.sources);
    if (!chosen) {
      $("kb-documents").hidden = true;
      return null;
    }
    return api("/kb/sources/" + chosen + "/documents").then(renderDocuments, function (error) {
      if (error.status !== 404) throw error;
      go("#/knowledge/sources");  // removed meanwhile
    });
  });
}

/** Forgets what was shown (on sign-out). */
export function clearSources() {
  $("kb-source-list").textContent = "";
  $("kb-document-list").textContent = "";
  $("kb-documents").hidden = true;
}

function renderSources(sources) {
  const key = JSON.stringify([sources, state.kb.source, isAdmin(), Boolean(state.kb.syncing)]);
  if (sameKey(state.kb.keys, "sources", key)) return;
  rebuildList($("kb-source-list"), $("kb-sources-empty"), sources, sourceRow,
    isAdmin() ? T.kbSourcesEmptyAdmin : T.kbSourcesEmpty);
}

function sourceRow(source) {
  const chosen = String(source.id) === state.kb.source;
  const row = el("tr", { "data-source": String(source.id), "aria-current": chosen ? "true" : null }, [
    el("td", {}, [
      el("a", { href: "#/knowledge/sources/" + source.id, "data-id": "show-" + source.id, text: source.location }),
      el("span", { class: "doc-location", text: source.kind })
    ]),
    el("td", {}, [chip(source.status, T.kbSourceStates[source.status]), reason(source.error, "reason")]),
    el("td", { text: counts(source.documents) }),
    el("td", {}, [source.last_synced_at ? clock(source.last_synced_at) : T.kbNever])
  ]);
  if (isAdmin()) {
    const box = el("div", { class: "actions" });
    showActions(source, box);
    row.appendChild(el("td", {}, [box]));
  }
  return row;
}

function chip(status, text) { return el("span", { class: "chip", "data-status": status, text: text || status }); }

function reason(text, kind) { return text ? el("span", { class: kind, text: text }) : null; }

function counts(documents) {
  const parts = DOCUMENT_STATES.filter(function (status) { return documents[status] > 0; })
    .map(function (status) { return documents[status] + " " + T.kbDocumentStates[status]; });
  return parts.join(", ") || T.kbNoDocuments;
}

// Re-sync and Remove; Remove asks once more in place. Returns the Remove button.
function showActions(source, box) {
  box.textContent = "";
  box.appendChild(el("button", { class: "btn", type: "button", "data-source-action": "sync",
    "data-id": "sync-" + source.id, text: T.kbResync, disabled: Boolean(state.kb.syncing),
    onclick: function () { syncSource(source); } }));
  const remove = el("button", { class: "btn danger", type: "button", "data-source-action": "remove",
    "data-id": "remove-" + source.id, text: T.teamRemove, disabled: Boolean(state.kb.syncing),
    onclick: function () { confirmRemove(source, box); } });
  box.appendChild(remove);
  return remove;
}

function confirmRemove(source, box) {
  box.textContent = "";
  const yes = el("button", { class: "btn danger", type: "button", "data-source-action": "confirm",
    text: T.teamRemoveYes, onclick: function () { removeSource(source, yes); } });
  box.appendChild(el("span", { text: fill(T.kbRemoveSource, { source: source.location }) }));
  box.appendChild(yes);
  box.appendChild(el("button", { class: "btn ghost", type: "button", text: T.cancel,
    onclick: function () { showActions(source, box).focus(); } }));
  yes.focus();
}

function removeSource(source, button) {
  button.disabled = true;
  api("/kb/sources/" + source.id, { method: "DELETE" }).then(function () {
    notify(T.kbSourceRemoved, true);
    $("kb-sources-title").focus();
    if (String(source.id) === state.kb.source) go("#/knowledge/sources");
    changed();
  }, function (error) {
    button.disabled = false;
    fail(error);
  });
}

function addSource() {
  const location = $("kb-source-location").value.trim();
  if (!location) return;
  syncing(location, api("/kb/sources", { method: "POST", body: { location: location } })).then(function (result) {
    if (!result) return;
    $("kb-source-form").reset();
    go("#/knowledge/sources/" + result.source.id);
  });
}

function syncSource(source) {
  syncing(source.location, api("/kb/sources/" + source.id + "/sync", { method: "POST" })).then(function (result) {
    if (result) go("#/knowledge/sources/" + source.id);
  });
}

// One sync at a time from this page: the buttons wait, a status line says what is going on.
function syncing(location, request) {
  state.kb.syncing = true;
  setBusy(true);
  $("kb-source-progress").textContent = fill(T.kbSyncing, { source: location });
  return request.then(function (result) {
    notify(told(result), true);
    return result;
  }, function (error) {
    fail(error);
    return null;
  }).then(function (result) {
    state.kb.syncing = false;
    setBusy(false);
    $("kb-source-progress").textContent = "";
    changed();
    return result;
  });
}

function told(result) {
  const source = result.source.location;
  if (result.sync.busy) return fill(T.kbSyncBusy, { source: source });
  const done = fill(T.kbSynced, { source: source, counts: counts(result.sync.documents) });
  return result.sync.left ? done + " " + fill(T.kbSyncLeft, { n: result.sync.left }) : done;
}

function setBusy(busy) {
  $("kb-source-add").disabled = busy;
  each("[data-source-action]", function (button) { button.disabled = busy; });
}

function renderDocuments(body) {
  if (sameKey(state.kb.keys, "documents", JSON.stringify(body))) return;
  $("kb-documents").hidden = false;
  $("kb-documents-title").textContent = fill(T.kbShowDocuments, { source: body.source.location });
  const shown = body.documents.length;
  $("kb-documents-total").textContent = !body.total ? T.kbNoDocuments
    : shown < body.total ? fill(T.kbDocumentsShown, { shown: shown, total: body.total })
      : fill(T.kbDocumentsAll, { total: body.total });
  const list = $("kb-document-list");
  list.textContent = "";
  body.documents.forEach(function (document) { list.appendChild(documentRow(document)); });
}

function documentRow(document) {
  const failing = document.status === "failed" || document.status === "retired";
  return el("tr", { "data-document": String(document.id), "data-status": document.status }, [
    el("td", {}, [el("span", { text: document.title || document.location }),
      document.title ? el("span", { class: "doc-location", text: document.location }) : null]),
    el("td", {}, [chip(document.status, T.kbDocumentStates[document.status]),
      reason(document.error, failing ? "reason" : "doc-location")]),
    el("td", { class: "num", text: String(document.passages) }),
    el("td", {}, [document.fetched_at ? clock(document.fetched_at) : T.kbNever,
      document.retired_at ? el("span", { class: "doc-location" }, [T.kbRetiredMark + " ", clock(document.retired_at)])
        : null])
  ]);
}

function changed() { window.dispatchEvent(new Event(KB_CHANGED)); }

export function bindSources() {
  $("kb-source-form").addEventListener("submit", function (e) {
    e.preventDefault();
    if (!state.kb.syncing) addSource();
  });
}
