/* The metrics' tables: the bot's outcomes by day, topics, handovers by reason. */

import { el } from "./dom.js";
import { T } from "./strings.js";

function percent(value) {
  if (value === null || value === undefined) return T.m.none;
  return Math.round(value * 1000) / 10 + " %";
}

function box(id, title, children) {
  return el("section", { class: "panel-box", "aria-labelledby": id }, [el("h3", { id: id, text: title })]
    .concat(children));
}

function table(className, heads, rows) {
  return el("table", { class: "metrics-table " + className }, [
    el("thead", {}, [el("tr", {}, heads.map(function (h) { return el("th", { scope: "col", text: h }); }))]),
    el("tbody", {}, rows)
  ]);
}

function stack(day, max) {
  const bar = el("span", { class: "stack" });
  ["answered", "suggested", "unknown"].forEach(function (kind) {
    const part = el("span", { class: "part " + kind, title: T.m[kind] + ": " + day[kind] });
    part.style.width = (day[kind] / max) * 100 + "%";
    bar.appendChild(part);
  });
  return bar;
}

export function outcomesByDay(days) {
  if (!days.length) return box("by-day", T.m.outcomesTitle, [el("p", { class: "muted", text: T.m.noDays })]);
  const max = Math.max.apply(null, [1].concat(days.map(function (d) { return d.answered + d.suggested + d.unknown; })));
  const rows = days.map(function (d) {
    return el("tr", {}, [el("th", { scope: "row", text: d.day.slice(0, 10) }),
      el("td", { text: String(d.answered) }), el("td", { text: String(d.suggested) }),
      el("td", { text: String(d.unknown) }), el("td", {}, [stack(d, max)])]);
  });
  return box("by-day", T.m.outcomesTitle,
    [table("outcome-days", [T.m.day, T.m.answered, T.m.suggested, T.m.unknown, ""], rows)]);
}

// An entry's question, a help-center passage's page › section, or what a topic no longer named was.
function topicName(t) {
  if (!t.entry_id) return T.m.noTopic;
  if (t.question) return t.question;
  return t.entry_id.indexOf("passage:") === 0 ? T.m.changedSection : t.entry_id;
}

export function topics(list) {
  if (!list.length) return box("topics", T.m.topicsTitle, [el("p", { class: "muted", text: T.m.noTopics })]);
  const rows = list.map(function (t) {
    const csat = t.csat_average === null ? T.m.none : t.csat_average.toFixed(2) + " (" + t.csat_responses + ")";
    return el("tr", {}, [el("th", { scope: "row", text: topicName(t) }),
      el("td", { text: t.conversations.toLocaleString() }), el("td", { text: percent(t.resolution_rate) }),
      el("td", { text: csat })]);
  });
  return box("topics", T.m.topicsTitle, [el("p", { class: "definition", text: T.m.topicsLead }),
    table("topics", [T.m.topic, T.m.topicConversations, T.m.topicResolution, T.m.topicCsat], rows)]);
}

export function handoversByReason(reasons) {
  const kinds = Object.keys(reasons).sort(function (a, b) { return reasons[b] - reasons[a]; });
  if (!kinds.length) return box("by-reason", T.m.byReason, [el("p", { class: "muted", text: T.m.noHandovers })]);
  const max = Math.max.apply(null, [1].concat(kinds.map(function (k) { return reasons[k]; })));
  const bars = el("ul", { class: "bars" });
  kinds.forEach(function (kind) {
    const bar = el("span", { class: "bar" });
    bar.style.width = Math.round((reasons[kind] / max) * 100) + "%";
    bars.appendChild(el("li", {}, [
      el("span", { text: T["reason_" + kind] || kind }), el("span", {}, [bar]),
      el("strong", { text: String(reasons[kind]) })
    ]));
  });
  return box("by-reason", T.m.byReason, [bars]);
}

/** Calls to the shop's API per action: how many, how many failed, how long they took. */
export function actionCalls(list) {
  if (!list.length) return box("actions", T.m.actionsTitle, [el("p", { class: "muted", text: T.m.noActions })]);
  const ms = function (value) { return value === null ? T.m.none : value + " ms"; };
  const rows = list.map(function (a) {
    return el("tr", {}, [el("th", { scope: "row", text: a.action }), el("td", { text: a.calls.toLocaleString() }),
      el("td", { text: a.failures.toLocaleString() }), el("td", { text: ms(a.p50_ms) }), el("td", { text: ms(a.p95_ms) })]);
  });
  return box("actions", T.m.actionsTitle, [el("p", { class: "definition", text: T.m.actionsLead }),
    table("action-calls", [T.m.action, T.m.calls, T.m.failures, T.m.p50, T.m.p95], rows)]);
}

export { percent };
