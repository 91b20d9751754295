/* The knowledge area: #/knowledge the entries, /entries/<id> one, /new, /try, /gaps, /review, /cases,
   /sources (/sources/<id> with its documents); polled. */

import { api } from "./api.js";
import { $, each, go, markCurrent } from "./dom.js";
import { bindEditor, closeEditor, loadEntry, openNewEntry } from "./kb-editor.js";
import { renderEntries } from "./kb-entries.js";
import { KB_CHANGED, bindLists, isList, loadCases, loadGaps, loadReview, showListLoading } from "./kb-lists.js";
import { bindSources, clearSources, loadSources } from "./kb-sources.js";
import { bindTry } from "./kb-try.js";
import { fail } from "./notice.js";
import { poller } from "./poll.js";
import { state } from "./state.js";

const KB_POLL_MS = 10000;
const KB_VIEWS = ["entries", "try", "gaps", "review", "cases", "sources"];

export const kbPoll = poller(KB_POLL_MS, loadKnowledge);

/** Shows the knowledge view `rest` names (the hash after #/knowledge/). */
export function routeKnowledge(rest) {
  const match = /^entries\/(.+)$/.exec(rest);
  const source = /^sources\/(\d+)$/.exec(rest);
  let view = match || rest === "new" || !rest ? "entries" : source ? "sources" : rest;
  if (KB_VIEWS.indexOf(view) < 0) view = "entries";
  state.kb.source = source ? source[1] : null;
  if (view !== state.kb.view) {
    state.kb.keys = {};
    if (isList(view)) showListLoading(view);
  }
  state.kb.view = view;
  each("[data-kb-view]", function (panel) { panel.hidden = panel.dataset.kbView !== view; });
  markCurrent("kb-tab-", KB_VIEWS, view);
  if (view === "entries") {
    if (match) loadEntry(decodeURIComponent(match[1]));
    else if (rest === "new") openNewEntry();
    else closeEditor();
  }
  kbPoll.now();
}

// The entries on every poll (for the list, the review count and the gaps' choice of entry), then the view's own list.
function loadKnowledge() {
  const view = state.kb.view;
  return api("/kb/entries").then(function (body) {
    state.kb.entries = body.entries;
    renderEntries();
    const load = { gaps: loadGaps, review: loadReview, cases: loadCases, sources: loadSources }[view];
    return load && state.kb.view === view ? load() : null;
  }).then(null, fail);
}

/** Forgets the entries and closes the editor (on sign-out). */
export function clearKnowledge() {
  state.kb.entries = [];
  state.kb.keys = {};
  closeEditor();
  clearSources();
}

export function bindKnowledge() {
  $("kb-search").addEventListener("input", renderEntries);
  $("kb-new").addEventListener("click", function (e) {
    e.preventDefault();
    state.kb.pending = null;
    go("#/knowledge/new");
  });
  bindEditor();
  bindTry();
  bindLists();
  bindSources();
  window.addEventListener(KB_CHANGED, function () { kbPoll.now(); });
}
