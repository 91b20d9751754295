/* One conversation: its header, the actions the server allows, the summary; polled while open. */

import { api, sendOnce } from "./api.js";
import { bindComposer, setMode, updateHint } from "./composer.js";
import { bindDetails, renderDetails } from "./details.js";
import { $, each, el } from "./dom.js";
import { inboxPoll, reasonChip } from "./inbox.js";
import { fail, notify } from "./notice.js";
import { poller } from "./poll.js";
import { state } from "./state.js";
import { T, fill, visitor } from "./strings.js";
import { bindTranscript, keepPlace, renderTranscript } from "./transcript.js";

const CONVERSATION_POLL_MS = 3000;

export const conversationPoll = poller(CONVERSATION_POLL_MS, function () { return state.current && loadConversation(); });

/** Shows conversation `id` (null: none, back to the list). */
export function openConversation(id) {
  const changed = id !== state.current;
  const previous = state.current;
  state.current = id;
  $("inbox-view").classList.toggle("show-conversation", Boolean(id));
  each(".item", function (link) {
    if (link.dataset.id === id) link.setAttribute("aria-current", "true");
    else link.removeAttribute("aria-current");
  });
  state.listKey = "";
  if (!id) {
    closeConversation();
    // Back from a conversation (on a phone): return to its row rather than to the top of the page.
    const row = previous && $("list").querySelector('[data-id="' + previous + '"]');
    if (row) row.focus();
    return;
  }
  if (!changed && state.detail) return conversationPoll.now();
  state.detail = null;
  state.detailKey = "";
  $("conv").classList.remove("details-open");
  $("details-toggle").setAttribute("aria-expanded", "false");
  $("composer-text").value = "";
  setMode("reply");
  loadConversation().then(function () {
    if (state.current !== id) return;
    if (state.detail) $("conv-title").focus({ preventScroll: true });
    conversationPoll.arm();
    inboxPoll.now();  // reading it cleared its unread mark
  });
}

/** No conversation shown. */
export function closeConversation() {
  state.detail = null;
  $("conv").hidden = true;
  $("conv-empty").hidden = false;
}

function loadConversation() {
  const id = state.current;
  const seq = ++state.detailSeq;
  return api("/conversations/" + encodeURIComponent(id)).then(function (detail) {
    if (seq !== state.detailSeq || id !== state.current) return;
    renderConversation(detail);
  }, function (error) {
    if (error.status === 404 || error.status === 422) {
      notify(T.notFound);
      location.hash = "#/";
    } else fail(error);
  });
}

function renderConversation(detail) {
  const key = JSON.stringify(detail);
  if (key === state.detailKey) return;
  const fresh = !state.detail || state.detail.id !== detail.id;
  const top = $("transcript").scrollTop;
  if (fresh) state.follow = true;
  state.detailKey = key;
  state.detail = detail;
  $("conv-empty").hidden = true;
  $("conv").hidden = false;
  renderHead(detail);
  // Open on a wide screen; on a phone one tap away, so that the transcript keeps the room.
  if (fresh) $("summary").open = !window.matchMedia("(max-width: 760px)").matches;
  renderActions(detail);
  renderTranscript(detail.messages, detail.customer);
  renderDetails(detail, function () { conversationPoll.now(); });
  updateHint();
  keepPlace(top);
}

function renderHead(detail) {
  $("conv-title").textContent = visitor(detail.id, detail.contact_email);
  const sub = $("conv-sub");
  sub.textContent = "";
  sub.appendChild(el("span", { class: "state " + detail.state, text: T.states[detail.state] || detail.state }));
  if (detail.reason_kind) sub.appendChild(reasonChip(detail.reason_kind, null));
  if (detail.reason) sub.appendChild(el("span", { class: "reason-text", text: detail.reason }));
  const owner = detail.assignee ? fill(T.assignedTo, { name: detail.assignee }) : T.unassigned;
  sub.appendChild(el("span", { text: owner }));
  $("summary-text").textContent = detail.summary || T.noSummary;
  $("summary-text").classList.toggle("empty", !detail.summary);
}

// The buttons the server lists in `detail.actions` (its table of state changes, for this operator), and whom to assign.
function renderActions(detail) {
  const allowed = detail.actions || [];
  const focused = document.activeElement;
  each("[data-action]", function (button) {
    const show = allowed.indexOf(button.dataset.action) >= 0;
    if (button.dataset.action === "assign") button.closest(".assign").hidden = !show;
    else button.hidden = !show;
  });
  const select = $("assign-to");
  const chosen = select.value;
  select.textContent = "";
  select.appendChild(el("option", { value: "", text: T.chooseOperator }));
  state.operators.forEach(function (operator) {
    if (!operator.active || operator.id === detail.assignee_id) return;
    select.appendChild(el("option", { value: operator.id, text: operator.display_name }));
  });
  select.value = chosen;
  if (select.value !== chosen) select.value = "";
  $("actions").querySelector('[data-action="assign"]').disabled = !select.value || state.acting;
  // A hidden button cannot keep focus: move it to the heading rather than losing it to <body>.
  if (focused && focused.closest && focused.closest("[hidden]")) $("conv-title").focus({ preventScroll: true });
}

function act(action) {
  const detail = state.detail;
  if (!detail || state.acting) return;
  const body = { action: action };
  if (action === "assign") body.operator_id = $("assign-to").value;
  setActing(true);
  sendOnce("/conversations/" + detail.id + "/actions", body).then(function (updated) {
    if (state.current === updated.id) renderConversation(updated);
    notify(T.done[action], true);
    inboxPoll.now();
  }, fail).then(function () { setActing(false); });
}

// While an action is on its way, none can be clicked (a second click would ask for it again).
function setActing(acting) {
  state.acting = acting;
  $("actions").setAttribute("aria-busy", String(acting));
  each("#actions button[data-action]", function (button) {
    button.disabled = acting || (button.dataset.action === "assign" && !$("assign-to").value);
  });
}

// Asks for a new summary for the team (from the messages as they are now), then shows it.
function refreshSummary() {
  const detail = state.detail;
  const button = $("summary-refresh");
  if (!detail || button.disabled) return;
  button.disabled = true;
  button.textContent = T.refreshingSummary;
  sendOnce("/conversations/" + detail.id + "/summary", {}).then(function () {
    notify(T.summaryRefreshed, true);
    return detail.id === state.current ? loadConversation() : null;
  }, fail).then(function () {
    button.disabled = false;
    button.textContent = T.refreshSummary;
  });
}

/** The team, for Assign. */
export function loadOperators() {
  return api("/operators").then(function (list) {
    state.operators = list.operators;
    if (state.detail) renderActions(state.detail);
  }, fail);
}

export function bindConversation() {
  each("[data-action]", function (button) {
    button.addEventListener("click", function () { act(button.dataset.action); });
  });
  $("assign-to").addEventListener("change", function () {
    $("actions").querySelector('[data-action="assign"]').disabled = !this.value || state.acting;
  });
  $("summary-refresh").addEventListener("click", refreshSummary);
  bindDetails();
  bindTranscript();
  bindComposer(loadConversation);
}
