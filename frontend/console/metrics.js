/* Metrics for a range of days: figures as cards, handovers by reason as bars. */

import { api } from "./api.js";
import { $, el } from "./dom.js";
import { fail } from "./notice.js";
import { T, fill } from "./strings.js";
import { duration } from "./time.js";

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

function percent(value) {
  if (value === null || value === undefined) return T.m.none;
  return Math.round(value * 1000) / 10 + " %";
}

function number(value) {
  return value === null || value === undefined ? T.m.none : Number(value).toLocaleString();
}

function renderMetrics(f) {
  const cost = f.estimated_cost_usd;
  const money = cost === null || cost === undefined ? T.m.none : new Intl.NumberFormat(undefined,
    { style: "currency", currency: "USD", maximumFractionDigits: cost > 0 && cost < 1 ? 4 : 2 }).format(cost);
  const csat = f.csat_average === null || f.csat_average === undefined ? T.m.none : f.csat_average.toFixed(2) + " / 5";
  const cards = [
    [T.m.conversations, number(f.conversations)],
    [T.m.bot_resolved_rate, percent(f.bot_resolved_rate)],
    [T.m.handover_rate, percent(f.handover_rate)],
    [T.m.median_first_response_seconds, duration(f.median_first_response_seconds)],
    [T.m.median_resolution_seconds, duration(f.median_resolution_seconds)],
    [T.m.csat_average, csat,
      fill(T.m.responses, { n: number(f.csat_responses), rate: percent(f.csat_response_rate) })],
    [T.m.thumbs, number(f.thumbs_up) + " / " + number(f.thumbs_down)],
    [T.m.unanswered_questions, number(f.unanswered_questions)],
    [T.m.tokens, number(f.model_input_tokens) + " / " + number(f.model_output_tokens)],
    [T.m.estimated_cost_usd, money]
  ];
  const wrap = el("div");
  const list = el("dl", { class: "cards" });
  cards.forEach(function (card) {
    list.appendChild(el("div", { class: "card-metric" }, [
      el("dt", { text: card[0] }),
      el("dd", {}, [card[1], card[2] ? el("span", { class: "sub", text: card[2] }) : null])
    ]));
  });
  wrap.appendChild(list);
  const reasons = f.handovers_by_reason || {};
  const kinds = Object.keys(reasons).sort(function (a, b) { return reasons[b] - reasons[a]; });
  const max = Math.max.apply(null, [1].concat(kinds.map(function (k) { return reasons[k]; })));
  const box = el("section", { class: "panel-box", "aria-labelledby": "by-reason" },
    [el("h3", { id: "by-reason", text: T.m.byReason })]);
  if (!kinds.length) box.appendChild(el("p", { class: "muted", text: T.m.noHandovers }));
  else {
    const bars = el("ul", { class: "bars" });
    kinds.forEach(function (kind) {
      const bar = el("span", { class: "bar" });
      bar.style.width = Math.round((reasons[kind] / max) * 100) + "%";
      bars.appendChild(el("li", {}, [
        el("span", { text: T["reason_" + kind] || kind }), el("span", {}, [bar]),
        el("strong", { text: String(reasons[kind]) })
      ]));
    });
    box.appendChild(bars);
  }
  wrap.appendChild(box);
  return wrap;
}

export function bindMetrics() {
  $("range").addEventListener("submit", function (e) { e.preventDefault(); loadMetrics(); });
}
