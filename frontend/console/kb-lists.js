/*
 * The knowledge base's lists: gaps (questions the bot could not answer), replies to review, regression cases.
 * Each is re-rendered only when what it shows changed; a change made here raises "console:kb-changed".
 */

import { api } from "./api.js";
import { $, el, entryHash, go, rebuildList, sameKey } from "./dom.js";
import { fail, notify } from "./notice.js";
import { isAdmin, state } from "./state.js";
import { T, fill } from "./strings.js";
import { clock } from "./time.js";

export const KB_CHANGED = "console:kb-changed";
const KB_LISTS = { gaps: "kb-gap-list", review: "kb-review-list", cases: "kb-case-list" };

// Not the list as it was when last shown: it is loaded again (aria-busy until then).
export function showListLoading(name) {
  $(KB_LISTS[name]).textContent = "";
  $(KB_LISTS[name]).setAttribute("aria-busy", "true");
  $("kb-" + name + "-empty").textContent = T.loading;
  $("kb-" + name + "-empty").hidden = false;
}

function renderKbList(name, items, build) {
  const names = state.kb.entries.map(function (entry) { return [entry.id, entry.question]; });
  const key = JSON.stringify([items, names, isAdmin()]);
  if (sameKey(state.kb.keys, name, key)) return;
  const list = $(KB_LISTS[name]);
  list.removeAttribute("aria-busy");
  rebuildList(list, $("kb-" + name + "-empty"), items, build,
    T["kb" + name.charAt(0).toUpperCase() + name.slice(1) + "Empty"]);
}

export function loadGaps() {
  return api("/kb/gaps").then(function (body) { renderKbList("gaps", body.groups, gapCard); });
}

function gapCard(group) {
  const reasons = Object.keys(group.reasons || {}).filter(function (kind) { return group.reasons[kind] > 0; });
  const card = el("li", { class: "kb-card gap", "data-key": group.key }, [
    el("h2", { text: group.count === 1 ? T.kbAskedOnce : fill(T.kbAsked, { n: group.count }) }),
    el("ul", { class: "quotes" }, group.examples.map(function (text) { return el("li", {}, [el("q", { text: text })]); })),
    el("div", { class: "row meta" }, [T.kbLastSeen + " ", clock(group.last_seen)].concat(reasons.map(function (kind) {
      return el("span", { class: "chip", "data-reason": kind,
        text: (T.gapReasons[kind] || kind) + " × " + group.reasons[kind] });
    })))
  ]);
  if (group.passage) card.appendChild(nearPassage(group.passage));
  if (isAdmin()) card.appendChild(gapActions(group));
  return card;
}

/* The help-center section nearest the group's questions: the page almost answers them. */
function nearPassage(passage) {
  const where = passage.url
    ? el("a", { href: passage.url, target: "_blank", rel: "noopener noreferrer", text: passage.question })
    : el("span", { text: passage.question });
  return el("p", { class: "row meta gap-passage", "data-passage": passage.id }, [
    el("span", { class: "tag passage", text: T.kbHelpCenter }), " " + T.kbNearPassage + " ", where
  ]);
}

function gapActions(group) {
  const select = el("select", { class: "gap-entry", "aria-label": T.kbChooseEntry },
    [el("option", { value: "", text: T.kbChooseEntry })].concat(state.kb.entries.map(function (entry) {
      return el("option", { value: entry.id, text: entry.question });
    })));
  select.value = group.suggestion ? group.suggestion.id : "";
  const add = el("button", { class: "btn", type: "button", "data-gap-action": "add", text: T.kbAddTo,
    disabled: !select.value, onclick: function () { approveGap(group, select.value); } });
  select.addEventListener("change", function () { add.disabled = !select.value; });
  return el("div", { class: "actions" }, [select, add,
    el("button", { class: "btn", type: "button", "data-gap-action": "new", text: T.kbNewFromGap,
      onclick: function () { draftFromGap(group); } }),
    el("button", { class: "btn ghost", type: "button", "data-gap-action": "dismiss", text: T.dismiss,
      onclick: function () { dismissGap(group); } })
  ]);
}

function approveGap(group, entryId) {
  const body = { message_ids: group.message_ids, entry_id: entryId };
  api("/kb/gaps/approve", { method: "POST", body: body }).then(function (result) {
    notify(fill(T.kbAddedTo, { n: result.cases_added, entry: result.entry.question }), true);
    changed();
  }, fail);
}

function draftFromGap(group) {
  api("/kb/gaps/draft", { method: "POST", body: { message_ids: group.message_ids } }).then(function (draft) {
    state.kb.pending = { draft: draft, gap: { message_ids: group.message_ids } };
    go("#/knowledge/new");
  }, fail);
}

function dismissGap(group) {
  api("/kb/gaps/dismiss", { method: "POST", body: { message_ids: group.message_ids } }).then(function () {
    notify(T.kbDismissed, true);
    changed();
  }, fail);
}

export function loadReview() {
  return api("/kb/review").then(function (body) {
    state.kb.review = body.replies;
    $("kb-review-all").hidden = !body.replies.length;
    renderKbList("review", body.replies, reviewCard);
  });
}

function reviewCard(reply) {
  const entry = entryById(reply.entry_id);
  const title = reply.document_change
    ? el("span", { text: reply.document || reply.entry_id })
    : el("a", { href: entryHash(reply.entry_id), text: entry ? entry.question : reply.entry_id });
  const change = reply.document_change
    ? T.kbDocumentChanges[reply.document_change]
    : fill(T.kbUsedVersion, { used: reply.used_version, current: reply.current_version });
  return el("li", { class: "kb-card review", "data-message-id": String(reply.message_id) }, [
    el("h2", {}, [title]),
    el("div", { class: "row meta" }, [
      el("span", { class: "chip review", "data-document-change": reply.document_change, text: change }),
      clock(reply.created_at),
      el("a", { href: "#/conversations/" + encodeURIComponent(reply.session_id), text: T.kbOpenConversation })
    ]),
    said(T.kbCustomerAsked, reply.question),
    said(T.kbBotReplied, reply.reply),
    el("div", { class: "actions" }, [el("button", { class: "btn", type: "button", "data-review": "one",
      text: T.kbMarkReviewed, onclick: function () { markReviewed([reply.message_id]); } })])
  ]);
}

function entryById(id) {
  return state.kb.entries.filter(function (entry) { return entry.id === id; })[0] || null;
}

function said(label, text) {
  return el("div", {}, [el("span", { class: "said-label", text: label }), el("p", { class: "said", text: text || "" })]);
}

function markReviewed(ids) {
  if (!ids.length) return;
  api("/kb/review", { method: "POST", body: { message_ids: ids } }).then(function () {
    notify(T.kbReviewed, true);
    changed();
  }, fail);
}

export function loadCases() {
  return api("/kb/cases").then(function (body) {
    renderKbList("cases", body.cases, function (item) {
      return el("tr", { "data-case": String(item.id) }, [
        el("td", { text: item.query }), el("td", {}, expectedCells(item.expected)), el("td", { text: item.lang }),
        el("td", { text: item.created_by }), el("td", {}, [clock(item.created_at)])
      ]);
    });
  });
}

/** Whether `view` is one of these lists. */
export function isList(view) { return Boolean(KB_LISTS[view]); }

function changed() { window.dispatchEvent(new Event(KB_CHANGED)); }

export function bindLists() {
  $("kb-review-all").addEventListener("click", function () {
    markReviewed((state.kb.review || []).map(function (reply) { return reply.message_id; }));
  });
}

/* A case's expected entries, and its expected help-center documents ("doc:<URL>[#section]") as links. */
function expectedCells(expected) {
  const parts = [];
  expected.forEach(function (name, i) {
    if (i) parts.push(", ");
    const url = name.indexOf("doc:") === 0 ? name.slice(4) : null;
    if (url && /^https?:\/\//.test(url)) {
      parts.push(el("a", { href: url, target: "_blank", rel: "noopener noreferrer", "data-document": url, text: url }));
    } else {
      parts.push(name);
    }
  });
  return parts;
}
