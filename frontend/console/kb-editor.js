/* The knowledge base's editor: a new entry, an edit, or a gap's draft, with the entry's versions. */

import { api } from "./api.js";
import { $, el } from "./dom.js";
import { renderEntries } from "./kb-entries.js";
import { LANGS, bindPublish, resetEditorAlerts } from "./kb-publish.js";
import { fail, notify } from "./notice.js";
import { isAdmin, state } from "./state.js";
import { T, fill } from "./strings.js";
import { clock } from "./time.js";

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
  bindPublish();
  $("kb-reload").addEventListener("click", function () { if (state.kb.editing) loadEntry(state.kb.editing.id); });
}
