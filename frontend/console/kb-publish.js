/*
 * Publishing from the knowledge base's editor: the draft is checked against the regression set, then
 * published (broken cases wait for "Publish anyway"); retiring an entry; a conflict or refusal shown in place.
 */

import { api } from "./api.js";
import { $, el, entryHash, go } from "./dom.js";
import { notify } from "./notice.js";
import { state } from "./state.js";
import { T, fill } from "./strings.js";

export const LANGS = ["fr", "es", "de", "it", "pt", "nl"];  // the translations an entry can have (shared/schemas/faq.py TranslationLanguage)

function lines(text) {
  return text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
}

// The form as an EntryDraft (shared/schemas/knowledge.py); a translation left blank is left out.
function readDraft() {
  const draft = {
    question: $("kb-question").value.trim(),
    answer: $("kb-answer").value.trim(),
    examples: lines($("kb-examples").value),
    keywords: $("kb-keywords").value.split(",").map(function (k) { return k.trim(); }).filter(Boolean),
    url: $("kb-url").value.trim() || null,
    translations: {}
  };
  LANGS.forEach(function (lang) {
    const translation = {
      question: $("kb-tr-" + lang + "-question").value.trim(),
      answer: $("kb-tr-" + lang + "-answer").value.trim(),
      examples: lines($("kb-tr-" + lang + "-examples").value)
    };
    if (translation.question || translation.answer || translation.examples.length) draft.translations[lang] = translation;
  });
  if (!state.kb.editing.id && $("kb-id").value.trim()) draft.id = $("kb-id").value.trim();
  return draft;
}

export function resetEditorAlerts() {
  state.kb.checked = null;
  $("kb-retire-confirm").hidden = true;
  $("kb-conflict").hidden = true;
  $("kb-broken").hidden = true;
  $("kb-draft-review").hidden = true;
  $("kb-editor-error").textContent = "";
}

function setEditorBusy(busy) {
  state.kb.busy = busy;
  ["kb-save", "kb-publish-anyway", "kb-retire-yes"].forEach(function (id) { $(id).disabled = busy; });
}

// Save = check the draft against the regression set, then publish; broken cases wait for "Publish anyway".
function saveEntry() {
  const editing = state.kb.editing;
  if (!editing || state.kb.busy) return;
  const draft = readDraft();
  resetEditorAlerts();
  setEditorBusy(true);
  const check = Object.assign(editing.id ? { entry_id: editing.id } : {}, draft);
  api("/kb/check", { method: "POST", body: check }).then(function (result) {
    if (result.broken.length) return showBroken(result, draft);
    return publish(draft);
  }).then(null, editorFailed).then(function () { setEditorBusy(false); });
}

function showBroken(result, draft) {
  state.kb.checked = draft;
  $("kb-broken-text").textContent = fill(T.kbBroken, { n: result.broken.length, total: result.cases });
  const rows = $("kb-broken-list");
  rows.textContent = "";
  result.broken.forEach(function (broken) {
    rows.appendChild(el("tr", {}, [
      el("td", { text: broken.query }),
      el("td", { text: broken.expected.join(", ") }),
      el("td", { text: broken.answered.length ? broken.answered.join(", ") : T.kbNothing })
    ]));
  });
  $("kb-broken").hidden = false;
  setEditorBusy(false);
  $("kb-publish-anyway").focus();
}

function publishAnyway() {
  const draft = state.kb.checked;
  if (!draft || state.kb.busy) return;
  resetEditorAlerts();
  setEditorBusy(true);
  publish(draft).then(null, editorFailed).then(function () { setEditorBusy(false); });
}

// A gap's draft is published by approving the gap; an edit names the version it was made from.
function publish(draft) {
  const editing = state.kb.editing;
  let request;
  if (editing.gap) {
    request = api("/kb/gaps/approve", { method: "POST", body: { message_ids: editing.gap.message_ids, new_entry: draft } });
  } else if (editing.id) {
    const body = Object.assign({ base_version: editing.version }, draft);
    request = api("/kb/entries/" + encodeURIComponent(editing.id), { method: "PUT", body: body });
  } else {
    request = api("/kb/entries", { method: "POST", body: draft });
  }
  return request.then(function (saved) {
    if (editing.gap) notify(fill(T.kbApproved, { n: saved.cases_added }), true);
    else notify(saved.changed.length ? fill(T.kbSaved, { n: saved.version }) : T.kbUnchanged, true);
    go(entryHash(saved.entry.id));
  });
}

// A 409 on an entry that exists: someone saved since it was loaded; never overwrite, offer the newest.
function editorFailed(error) {
  if (error.status === 401) return;
  if (error.status === 409 && state.kb.editing && state.kb.editing.id) {
    $("kb-conflict-text").textContent = error.message + " " + T.kbConflictHint;
    $("kb-conflict").hidden = false;
    $("kb-reload").focus();
    return;
  }
  const box = $("kb-editor-error");
  box.textContent = "";
  box.appendChild(el("p", { text: error.message }));
  if (error.details.length) {
    box.appendChild(el("ul", {}, error.details.map(function (detail) {
      return el("li", { text: detail.field + ": " + detail.message });
    })));
  }
}

function retireEntry() {
  const editing = state.kb.editing;
  if (!editing || !editing.id || state.kb.busy) return;
  setEditorBusy(true);
  const body = { base_version: editing.version };
  api("/kb/entries/" + encodeURIComponent(editing.id) + "/retire", { method: "POST", body: body }).then(function () {
    notify(T.kbRetired, true);
    location.hash = "#/knowledge";
  }, function (error) {
    $("kb-retire-confirm").hidden = true;
    editorFailed(error);
  }).then(function () { setEditorBusy(false); });
}

export function bindPublish() {
  $("kb-save").addEventListener("click", saveEntry);
  $("kb-publish-anyway").addEventListener("click", publishAnyway);
  $("kb-broken-cancel").addEventListener("click", resetEditorAlerts);
  // A changed draft is no longer the one that was checked.
  $("kb-fields").addEventListener("input", function () {
    state.kb.checked = null;
    $("kb-broken").hidden = true;
  });
  $("kb-retire").addEventListener("click", function () {
    $("kb-retire-confirm").hidden = false;
    $("kb-retire-yes").focus();
  });
  $("kb-retire-yes").addEventListener("click", retireEntry);
  $("kb-retire-no").addEventListener("click", function () {
    $("kb-retire-confirm").hidden = true;
    $("kb-retire").focus();
  });
}
