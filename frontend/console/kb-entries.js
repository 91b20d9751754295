/* The knowledge base's list of entries, filtered as the operator types; its rows link to the editor. */

import { $, el, entryHash, rebuildList, sameKey } from "./dom.js";
import { state } from "./state.js";
import { T, fill } from "./strings.js";

export function renderEntries() {
  const q = $("kb-search").value.trim().toLowerCase();
  const shown = state.kb.entries.filter(function (entry) { return !q || entryMatches(entry, q); });
  const current = state.kb.editing && state.kb.editing.id;
  const key = JSON.stringify(shown) + "|" + current;
  const toReview = state.kb.entries.reduce(function (sum, entry) { return sum + entry.replies_to_review; }, 0);
  $("kb-review-count").textContent = toReview ? String(toReview) : "";
  if (sameKey(state.kb.keys, "entries", key)) return;
  rebuildList($("kb-list"), $("kb-list-empty"), shown,
    function (entry) { return el("li", {}, [entryRow(entry, current)]); }, q ? T.kbEmptyFiltered : T.kbEmpty);
}

function entryMatches(entry, q) {
  const text = [entry.id, entry.question, entry.answer].concat(entry.keywords, entry.examples).join("\n");
  return text.toLowerCase().indexOf(q) >= 0;
}

function entryRow(entry, current) {
  const toReview = entry.replies_to_review;
  return el("a", {
    class: "item", href: entryHash(entry.id), "data-id": entry.id,
    "aria-current": entry.id === current ? "true" : null
  }, [
    el("span", { class: "row" }, [
      el("span", { class: "who", text: entry.question }),
      el("span", { class: "when", text: fill(T.kbVersion, { n: entry.version }) })
    ]),
    el("span", { class: "row" }, [
      el("span", { class: "kb-id", text: entry.id }),
      toReview ? el("span", { class: "chip review", "data-testid": "review-badge",
        text: fill(T.kbToReview, { n: toReview }) }) : null
    ])
  ]);
}

