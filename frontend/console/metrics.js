/* Metrics for a range of days: each figure as a card with its definition, then the tables. */

import { api } from "./api.js";
import { $, el } from "./dom.js";
import { fail } from "./notice.js";
import { T, fill } from "./strings.js";
import { duration } from "./time.js";
import { actionCalls, handoversByReason, outcomesByDay, percent, topics } from "./metrics-tables.js";

function isoDay(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}

function defaultRange() {
  if ($("range-to").value) return;
  const today = new Date();
  $("range-to").value = isoDay(today);
  $("range-from").value = isoDay(new Date(today.getTime() - 6 * 86400000));
}

export function loadMetrics() {
  defaultRange();
  const from = new Date($("range-from").value + "T00:00:00");
  const to = new Date($("range-to").value + "T00:00:00");
  to.setDate(to.getDate() + 1);
  const body = $("metrics-body");
  body.textContent = "";
  body.appendChild(el("p", { class: "muted", text: T.loading }));
  return api("/metrics", { query: { from: from.toISOString(), to: to.toISOString() } }).then(function (figures) {
    body.textContent = "";
    body.appendChild(renderMetrics(figures));
  }, function (error) {
    body.textContent = "";
    if (error.status === 404) {
      body.appendChild(el("div", { class: "metrics-unavailable" }, [
        el("p", {}, [el("strong", { text: T.noMetrics })]), el("p", { text: T.noMetricsHint })
      ]));
    } else fail(error);
  });
}

function number(value) {
  return value === null || value === undefined ? T.m.none : Number(value).toLocaleString();
}

function rating(average, n) {
  if (average === null || average === undefined) return [T.m.none, fill(T.m.rated, { n: number(n) })];
  return [average.toFixed(2) + " / 5", fill(T.m.rated, { n: number(n) })];
}

// [key of the label and its definition, value, an optional line under the value]
function outcomeCards(f) {
  const resolutions = fill(T.m.resolutions, { confirmed: number(f.confirmed_resolutions),
    assumed: number(f.assumed_resolutions), back: number(f.resolutions_taken_back) });
  return [
    ["conversations", number(f.conversations)],
    ["involvement_rate", percent(f.involvement_rate)],
    ["resolution_rate", percent(f.resolution_rate), resolutions],
    ["automation_rate", percent(f.automation_rate)],
    ["durable_resolution_rate", percent(f.durable_resolution_rate)],
    ["reopen_rate", percent(f.reopen_rate)],
    ["handover_rate", percent(f.handover_rate)],
    ["unanswered_questions", number(f.unanswered_questions)],
    ["csat_bot_only"].concat(rating(f.csat_bot_only_average, f.csat_bot_only_responses)),
    ["csat_human"].concat(rating(f.csat_human_average, f.csat_human_responses))
  ];
}

function teamCards(f) {
  const cost = f.estimated_cost_usd;
  const money = cost === null || cost === undefined ? T.m.none : new Intl.NumberFormat(undefined,
    { style: "currency", currency: "USD", maximumFractionDigits: cost > 0 && cost < 1 ? 4 : 2 }).format(cost);
  const csat = f.csat_average === null || f.csat_average === undefined ? T.m.none : f.csat_average.toFixed(2) + " / 5";
  return [
    ["median_first_response_seconds", duration(f.median_first_response_seconds)],
    ["median_resolution_seconds", duration(f.median_resolution_seconds)],
    ["csat_average", csat, fill(T.m.responses, { n: number(f.csat_responses), rate: percent(f.csat_response_rate) })],
    ["thumbs", number(f.thumbs_up) + " / " + number(f.thumbs_down)],
    ["tokens", number(f.model_input_tokens) + " / " + number(f.model_output_tokens)],
    ["estimated_cost_usd", money]
  ];
}

function cardList(cards) {
  const list = el("dl", { class: "cards" });
  cards.forEach(function (card) {
    list.appendChild(el("div", { class: "card-metric", "data-figure": card[0] }, [
      el("dt", { text: T.m[card[0]] }),
      el("dd", {}, [card[1], card[2] ? el("span", { class: "sub", text: card[2] }) : null]),
      el("dd", { class: "definition", text: T.m.def[card[0]] })
    ]));
  });
  return list;
}

function renderMetrics(f) {
  return el("div", {}, [
    cardList(outcomeCards(f)),
    outcomesByDay(f.outcomes_by_day || []),
    topics(f.topics || []),
    actionCalls(f.actions || []),
    el("h2", { class: "metrics-part", text: T.m.teamTitle }),
    cardList(teamCards(f)),
    handoversByReason(f.handovers_by_reason || {})
  ]);
}

export function bindMetrics() {
  $("range").addEventListener("submit", function (e) { e.preventDefault(); loadMetrics(); });
}
