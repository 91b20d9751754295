/* "Try it": what the bot would answer to a question, and why. No customer sees this. */

import { api } from "./api.js";
import { $, addFact, el, entryHash } from "./dom.js";
import { fail } from "./notice.js";
import { T } from "./strings.js";

const FEATURES = ["lexical", "dense", "centroid", "learned"];
const PASSAGE_FEATURES = ["lexical", "dense"];

function tryQuestion() {
  const body = { question: $("kb-try-question").value.trim() };
  if (!body.question) return;
  if ($("kb-try-locale").value) body.locale = $("kb-try-locale").value;
  const out = $("kb-try-result");
  out.textContent = "";
  out.appendChild(el("p", { class: "muted", text: T.loading }));
  $("kb-try-run").disabled = true;
  api("/kb/try", { method: "POST", body: body }).then(function (result) {
    out.textContent = "";
    out.appendChild(renderTry(result));
  }, function (error) {
    out.textContent = "";
    fail(error);
  }).then(function () { $("kb-try-run").disabled = false; });
}

function renderTry(result) {
  const facts = el("dl", { class: "facts" });
  const add = function (label, value) { addFact(facts, label, value); };
  add(T.kbDecision, el("span", { id: "kb-try-decision", class: "decision " + result.decision,
    "data-decision": result.decision, "data-outcome": result.outcome,
    text: T.kbOutcomes[result.outcome] || result.outcome }));
  add(T.kbReason, el("span", { id: "kb-try-reason", "data-reason": result.reason,
    text: T.kbReasons[result.reason] || result.reason }));
  add(T.kbAnsweredWith, el("span", { id: "kb-try-answered-with", text: answeredWith(result) || T.m.none }));
  if (result.offered.length) add(T.kbOffered, el("span", { id: "kb-try-offered", text: result.offered.join(", ") }));
  if (result.unknown_words.length) {
    add(T.kbUnknownWords, el("span", { id: "kb-try-unknown", text: result.unknown_words.join(", ") }));
  }
  add(T.kbThreshold, el("span", { id: "kb-try-threshold", text: score(result.threshold) }));
  add(T.kbLanguage, el("span", { id: "kb-try-language", text: result.language }));
  add(T.kbMode, result.mode);
  if (result.parts.length) {  // only when the message asks several things
    add(T.kbParts, el("ol", { id: "kb-try-parts" }, result.parts.map(function (part) {
      return el("li", { text: part });
    })));
  }
  const box = el("div", {}, [el("div", { class: "panel-box" }, [facts])]);
  if (!result.candidates.length) box.appendChild(el("p", { class: "muted", text: T.kbNoCandidates }));
  else box.appendChild(el("div", { class: "panel-box" }, [candidatesTable(result.candidates)]));
  if (result.passages.length) {
    box.appendChild(el("div", { class: "panel-box" }, [
      el("h3", { text: T.kbPassagesTitle }), passagesTable(result.passages)]));
  }
  return box;
}

/* The entries' ids, and a passage by where it sits ("Shipping guide › Canada"). */
function answeredWith(result) {
  const where = {};
  result.passages.forEach(function (passage) { where[passage.id] = passage.question; });
  return result.answered_with.map(function (id) {
    return where[id] ? T.kbFromPassage.replace("{where}", where[id]) : id;
  }).join(", ");
}

function score(value) {
  return value === null || value === undefined ? T.m.none : Number(value).toFixed(3);
}

function candidatesTable(candidates) {
  const head = [T.kbEntry, T.kbScore].concat(FEATURES, [T.kbFits]);
  return table("kb-try-candidates", head, candidates.map(function (candidate) {
    return el("tr", { class: candidate.fits ? "fits" : null, "data-id": candidate.id }, [
      el("td", {}, [el("a", { href: entryHash(candidate.id), text: candidate.question }),
        el("div", { class: "kb-id", text: candidate.id })]),
      el("td", { class: "num", text: score(candidate.score) })
    ].concat(FEATURES.map(function (name) {
      return el("td", { class: "num", "data-feature": name, text: score(candidate.features[name]) });
    }), [el("td", { text: candidate.fits ? T.yes : T.no })]));
  }));
}

function passagesTable(passages) {
  const head = [T.kbPassage, T.kbScore, T.kbThreshold].concat(PASSAGE_FEATURES, [T.kbFits]);
  return table("kb-try-passages", head, passages.map(function (passage) {
    const where = passage.url
      ? el("a", { href: passage.url, target: "_blank", rel: "noopener noreferrer", text: passage.question })
      : el("span", { text: passage.question });
    return el("tr", { class: "passage" + (passage.fits ? " fits" : ""), "data-id": passage.id }, [
      el("td", {}, [el("span", { class: "tag passage", text: T.kbHelpCenter }), " ", where,
        el("div", { class: "kb-id", text: passage.document || passage.id })]),
      el("td", { class: "num", text: score(passage.score) }),
      el("td", { class: "num", text: score(passage.threshold) })
    ].concat(PASSAGE_FEATURES.map(function (name) {
      return el("td", { class: "num", "data-feature": name, text: score(passage.features[name]) });
    }), [el("td", { text: passage.fits ? T.yes : T.no })]));
  }));
}

function table(id, headings, rows) {
  return el("table", { class: "data", id: id }, [
    el("thead", {}, [el("tr", {}, headings.map(function (h) { return el("th", { text: h }); }))]),
    el("tbody", {}, rows)
  ]);
}

export function bindTry() {
  $("kb-try-form").addEventListener("submit", function (e) { e.preventDefault(); tryQuestion(); });
}
