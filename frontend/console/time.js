/* Times as the console shows them: "Waiting 12 min", "5 min ago", a clock, a duration. */

import { el } from "./dom.js";
import { T, fill } from "./strings.js";

const LATE_MINUTES = 10;  // a customer waiting this long is shown in red

function span(iso) {
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return "";
  if (seconds < 3600) return Math.max(1, Math.round(seconds / 60)) + " min";
  if (seconds < 86400) return Math.floor(seconds / 3600) + " h";
  return Math.floor(seconds / 86400) + " d";
}

/** Rewrites a relativeTime() node: "Waiting 12 min" for the queue, "5 min ago" otherwise. */
export function relative(node) {
  const since = node.getAttribute("datetime");
  const amount = span(since);
  const waiting = node.dataset.relative === "waiting";
  if (waiting) node.textContent = fill(T.waitingFor, { t: amount || T.underAMinute });
  else node.textContent = amount ? fill(T.ago, { t: amount }) : T.justNow;
  const minutes = (Date.now() - new Date(since).getTime()) / 60000;
  node.classList.toggle("late", waiting && minutes >= LATE_MINUTES);
}

export function relativeTime(iso, kind) {
  const node = el("time", { class: "when", datetime: iso, "data-relative": kind });
  relative(node);
  return node;
}

/** Every relative time on the page, refreshed every half minute. */
export function keepTimesFresh() {
  setInterval(function () { document.querySelectorAll("time[data-relative]").forEach(relative); }, 30000);
}

export function clock(iso) {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  const options = today ? { hour: "2-digit", minute: "2-digit" }
    : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
  return el("time", { datetime: iso, text: date.toLocaleString(undefined, options) });
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return T.m.none;
  if (seconds < 60) return Math.round(seconds) + " s";
  if (seconds < 3600) return Math.round(seconds / 60) + " min";
  const hours = Math.floor(seconds / 3600);
  return hours + " h " + Math.round((seconds % 3600) / 60) + " min";
}
