/* The composer under a conversation: a reply to the customer, or an internal note. */

import { sendOnce } from "./api.js";
import { $, each } from "./dom.js";
import { inboxPoll } from "./inbox.js";
import { fail, notify } from "./notice.js";
import { state } from "./state.js";
import { T } from "./strings.js";

let reload = null;

function isNote() { return document.querySelector('input[name="mode"]:checked').value === "note"; }

export function setMode(mode) {
  document.querySelector('input[name="mode"][value="' + mode + '"]').checked = true;
  updateHint();
}

/** The labels and hint for the mode chosen (a reply to nobody's conversation takes it over). */
export function updateHint() {
  const note = isNote();
  $("composer").classList.toggle("note-mode", note);
  $("composer-text").placeholder = note ? T.notePlaceholder : T.replyPlaceholder;
  $("composer-label").textContent = note ? T.noteLabel : T.replyLabel;
  $("send").textContent = note ? T.addNote : T.send;
  const detail = state.detail;
  $("composer-hint").textContent = note ? T.noteHint : detail && !detail.assignee_id ? T.replyTakesOver : "";
}

function submitComposer() {
  const text = $("composer-text").value.trim();
  const detail = state.detail;
  if (!text || !detail || state.sending) return;
  const note = isNote();
  state.sending = true;
  $("send").disabled = true;
  sendOnce("/conversations/" + detail.id + "/messages", { content: text, internal: note })
    .then(function () {
      if ($("composer-text").value.trim() === text) $("composer-text").value = "";
      notify(note ? T.noteAdded : T.replySent, true);
      state.follow = true;  // what the agent just wrote is shown, wherever they were reading
      return reload();
    }, fail)
    .then(function () {
      state.sending = false;
      $("send").disabled = false;
      inboxPoll.now();
    });
}

/** Wires the composer; `reloadConversation()` shows the conversation again once a message is sent. */
export function bindComposer(reloadConversation) {
  reload = reloadConversation;
  each('input[name="mode"]', function (radio) { radio.addEventListener("change", updateHint); });
  $("composer").addEventListener("submit", function (e) { e.preventDefault(); submitComposer(); });
  $("composer-text").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitComposer();
    }
  });
}
