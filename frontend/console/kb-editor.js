/* The knowledge base's editor: a new entry, an edit, or a gap's draft; checked against the regression set, then published. */

import { api } from "./api.js";
import { $, el, entryHash, go } from "./dom.js";
import { renderEntries } from "./kb-entries.js";
import { fail, notify } from "./notice.js";
import { isAdmin, state } from "./state.js";
import { T, fill } from "./strings.js";
import { clock } from "./time.js";

const LANGS = ["fr", "es", "de"];  // the translations an entry can have (shared/knowledge_schemas.py Language)

export function loadEntry(id) {
  const seq = ++state.kb.seq;
  return api("/kb/entries/" + encodeURIComponent(id)).then(function (detail) {
    if (seq !== state.kb.seq) return;
    fillEditor(detail.entry, { id: detail.entry.id, version: detail.entry.version, gap: null });
    renderVersions(detail.versions);
    $("kb-editor-title").focus({ preventScroll: true });
  }, function (error) {
    if (seq !== state.kb.seq) return;
    if (error.status === 404 || error.status === 422) {
      notify(T.kbNotFound);
      location.hash = "#/knowledge";
    } else fail(error);
  });
}

// A blank entry, or the draft a gap's "New entry…" prepared (publishing it approves the gap).
export function openNewEntry() {
  const pending = state.kb.pending;
  state.kb.pending = null;
  state.kb.seq++;
  fillEditor(pending ? pending.draft : {}, { id: null, version: null, gap: pending ? pending.gap : null });
  $("kb-draft-review").hidden = !(pending && pending.draft.needs_review);
  renderVersions([]);
  $("kb-question").focus();
}

export function closeEditor() {
  state.kb.seq++;
  state.kb.editing = null;
  $("kb-editor").hidden = true;
  $("kb-empty").hidden = false;
  $("kb-entries").classList.remove("show-editor");
  renderEntries();
}

function fillEditor(entry, editing) {
  state.kb.editing = editing;
  resetEditorAlerts();
  $("kb-id-row").hidden = Boolean(editing.id);
  $("kb-id").value = "";
  $("kb-question").value = entry.question || "";
  $("kb-answer").value = entry.answer || "";
  $("kb-examples").value = (entry.examples || []).join("\n");
  $("kb-keywords").value = (entry.keywords || []).join(", ");
  $("kb-url").value = entry.url || "";
  LANGS.forEach(function (lang) {
    const translation = (entry.translations || {})[lang] || {};
    $("kb-tr-" + lang + "-question").value = translation.question || "";
    $("kb-tr-" + lang + "-answer").value = translation.answer || "";
    $("kb-tr-" + lang + "-examples").value = (translation.examples || []).join("\n");
  });
  $("kb-fields").disabled = !isAdmin();
  $("kb-retire").hidden = !editing.id;
  renderEditorHead(entry, editing);
  $("kb-empty").hidden = true;
  $("kb-editor").hidden = false;
  $("kb-entries").classList.add("show-editor");
  renderEntries();
}

function renderEditorHead(entry, editing) {
  $("kb-editor-title").textContent = editing.id ? entry.question : T.kbNewTitle;
  const sub = $("kb-editor-sub");
  sub.textContent = "";
  if (editing.id) {
    sub.appendChild(el("span", { class: "chip", text: entry.id }));
    sub.appendChild(el("span", { id: "kb-editor-version", text: fill(T.kbVersion, { n: entry.version }) }));
    sub.appendChild(el("span", { text: fill(T.kbUpdated, { t: new Date(entry.updated_at).toLocaleString() }) }));
    if (entry.replies_to_review) {
      sub.appendChild(el("a", { class: "chip review", href: "#/knowledge/review",
        text: fill(T.kbToReview, { n: entry.replies_to_review }) }));
    }
  } else if (editing.gap) {
    sub.appendChild(el("span", { id: "kb-editor-gap", text: fill(T.kbFromGap, { n: editing.gap.message_ids.length }) }));
  }
}

function renderVersions(versions) {
  const list = $("kb-versions");
  list.textContent = "";
  if (!versions.length) list.appendChild(el("li", { class: "muted", text: T.kbNoVersions }));
  versions.forEach(function (version) {
    const what = version.retired ? T.kbRetiredMark : version.version === 1 || !version.changed.length ? T.kbCreated
      : fill(T.kbChanged, { fields: version.changed.join(", ") });
    list.appendChild(el("li", { "data-version": String(version.version) }, [
      el("span", { class: "change", text: fill(T.kbVersion, { n: version.version }) }),
      el("span", { class: "why", text: what + " · " + fill(T.by, { name: version.author }) }),
      clock(version.created_at)
    ]));
  });
}

function lines(text) {
  return text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
}

// The form as an EntryDraft (shared/knowledge_schemas.py); a translation left blank is left out.
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

function resetEditorAlerts() {
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

function buildTranslationFields() {
  const box = $("kb-translations");
  LANGS.forEach(function (lang) {
    const id = "kb-tr-" + lang + "-";
    box.appendChild(el("fieldset", {}, [
      el("legend", { text: T.langs[lang] }),
      field(T.kbQuestion, el("input", { id: id + "question", lang: lang, maxlength: "500", autocomplete: "off" })),
      field(T.kbAnswer, el("textarea", { id: id + "answer", lang: lang, maxlength: "10000" })),
      field(T.kbExamples, el("textarea", { id: id + "examples", lang: lang }), T.kbExamplesHint)
    ]));
  });
}

function field(label, control, hint) {
  return el("label", { class: "field" }, [
    el("span", { text: label }), control, hint ? el("span", { class: "hint", text: hint }) : null
  ]);
}

export function bindEditor() {
  buildTranslationFields();
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
  $("kb-reload").addEventListener("click", function () { if (state.kb.editing) loadEntry(state.kb.editing.id); });
}
