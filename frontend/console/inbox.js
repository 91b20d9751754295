/* The inbox: its tabs, filters and search, and the list of conversations (every page read so far, polled). */

import { api } from "./api.js";
import { $, each, el, icon, rebuildList, sameKey } from "./dom.js";
import { fail } from "./notice.js";
import { poller } from "./poll.js";
import { state } from "./state.js";
import { T, fill, stateName, visitor } from "./strings.js";
import { relativeTime } from "./time.js";

const INBOX_POLL_MS = 4000;
const PAGE_SIZE = 50;
// Each tab's inbox view; "all" is every conversation a customer wrote in, the bot's own included.
const TABS = {
  waiting: { view: "waiting" },
  mine: { view: "assigned", assigned: "me" },
  open: { view: "open" },
  resolved: { view: "resolved" },
  all: { view: "all" }
};

export const inboxPoll = poller(INBOX_POLL_MS, loadInbox);

export function currentTab() { return $("tab-" + state.tab); }

export function selectTab(name, focus) {
  state.tab = name;
  each(".tab", function (tab) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  });
  $("list-panel").setAttribute("aria-labelledby", "tab-" + name);
  if (focus) currentTab().focus();
  refreshList();
}

function refreshList() {
  state.listKey = "";
  state.pages = 1;
  $("list").textContent = "";
  $("list-empty").textContent = T.loading;
  $("list-empty").hidden = false;
  inboxPoll.now();
}

// Every page the operator has opened is fetched again on each poll (following the cursors), so
// the list stays current as far down as they have read.
function loadInbox() {
  const seq = ++state.inboxSeq;
  let items = [];
  function fetchPage(cursor, remaining) {
    const query = { limit: String(PAGE_SIZE) };
    Object.keys(TABS[state.tab]).forEach(function (key) { query[key] = TABS[state.tab][key]; });
    if (state.reason) query.reason = state.reason;
    if (state.q) query.q = state.q;
    if (cursor) query.cursor = cursor;
    return api("/conversations", { query: query }).then(function (page) {
      if (seq !== state.inboxSeq) return;
      if (!cursor) showCounts(page.counts);
      items = items.concat(page.conversations);
      if (page.next_cursor && remaining > 1) return fetchPage(page.next_cursor, remaining - 1);
      $("show-more").hidden = !page.next_cursor;
      renderList(unique(items));
    });
  }
  return fetchPage(null, state.pages).then(null, fail);
}

function showCounts(counts) {
  each("[data-count]", function (node) {
    const n = counts[node.dataset.count];
    node.textContent = n === undefined ? "" : String(n);
  });
}

// A conversation that moved up between two page reads would otherwise be listed twice.
function unique(items) {
  const seen = {};
  return items.filter(function (item) { return seen[item.id] ? false : (seen[item.id] = true); });
}

function showMore() {
  state.pages += 1;
  inboxPoll.now();
}

function renderList(items) {
  const key = JSON.stringify(items) + "|" + state.current;
  if (sameKey(state, "listKey", key)) return;
  rebuildList($("list"), $("list-empty"), items, function (item) { return el("li", {}, [row(item)]); },
    state.reason || state.q ? T.emptyFiltered : T.empty[state.tab]);
}

function row(item) {
  const link = el("a", {
    class: "item" + (item.unread ? " has-unread" : ""), href: "#/conversations/" + item.id, "data-id": item.id,
    "aria-current": item.id === state.current ? "true" : null
  });
  link.appendChild(el("span", { class: "row" }, [
    el("span", { class: "who", text: visitor(item.id, item.contact_email) }),
    item.waiting_since && item.state === "waiting"
      ? relativeTime(item.waiting_since, "waiting") : relativeTime(item.last_activity_at, "ago")
  ]));
  link.appendChild(el("span", { class: "row" }, [
    el("span", { class: "preview", text: item.preview || "" }),
    item.unread ? el("span", { class: "unread" }, [
      el("span", { "aria-hidden": "true", text: String(item.unread) }),
      el("span", { class: "visually-hidden", text: fill(T.unread, { n: item.unread }) })
    ]) : null
  ]));
  link.appendChild(el("span", { class: "row meta" }, [
    state.tab === "all" ? el("span", { class: "state " + item.state, text: stateName(item.state) }) : null,
    item.reason_kind ? reasonChip(item.reason_kind, item.reason) : null,
    el("span", { text: item.assignee || T.unassigned }),
    item.thumbs_up ? mark("up", item.thumbs_up, T.helpfulCount) : null,
    item.thumbs_down ? mark("down", item.thumbs_down, T.unhelpfulCount) : null,
    typeof item.csat === "number"
      ? el("span", { class: "mark" }, [icon("star"), fill(T.csatMark, { n: item.csat })]) : null
  ]));
  return link;
}

/** Why a conversation was handed over, as a chip (its reason as the tooltip). */
export function reasonChip(kind, reason) {
  const label = T["reason_" + kind] || kind;
  return el("span", { class: "chip " + kind, text: label, title: reason || null });
}

function mark(kind, n, template) {
  return el("span", { class: "mark " + kind }, [
    icon("thumb"), el("span", { "aria-hidden": "true", text: String(n) }),
    el("span", { class: "visually-hidden", text: fill(template, { n: n }) })
  ]);
}

function onTabKey(e) {
  const names = Object.keys(TABS);
  const index = names.indexOf(state.tab);
  const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: names.length - 1 }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  selectTab(names[(next + names.length) % names.length], true);
}

/** The list without its rows (on sign-out). */
export function clearInbox() {
  state.listKey = "";
  $("list").textContent = "";
}

export function bindInbox() {
  each(".tab", function (tab) {
    tab.addEventListener("click", function () { if (tab.dataset.tab !== state.tab) selectTab(tab.dataset.tab); });
    tab.addEventListener("keydown", onTabKey);
  });
  $("show-more").addEventListener("click", showMore);
  $("reason").addEventListener("change", function () { state.reason = this.value; refreshList(); });
  let typing = null;
  $("search").addEventListener("input", function () {
    const value = this.value.trim();
    clearTimeout(typing);
    typing = setTimeout(function () {
      if (value === state.q) return;
      state.q = value;
      // A search looks through every conversation, whatever its state: it shows under All.
      if (value && state.tab !== "all") selectTab("all");
      else refreshList();
    }, 300);
  });
}
