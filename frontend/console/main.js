/*
 * The operator console's entry module: sign-in, routing between the areas, polling while visible.
 * No framework, no build step; configuration lives in console.html's <meta> elements (config.js).
 * Every text a customer, the model or an operator wrote is rendered with textContent.
 *
 * #/ the inbox, #/conversations/<id> one conversation, #/metrics, #/team (admins), #/knowledge[/...].
 */

import { SIGNED_OUT, api } from "./api.js";
import { closeConversation, conversationPoll, bindConversation, loadOperators, openConversation } from "./conversation.js";
import { updateHint } from "./composer.js";
import { $, applyStrings, markCurrent } from "./dom.js";
import { bindInbox, clearInbox, currentTab, inboxPoll, selectTab } from "./inbox.js";
import { bindKnowledge, clearKnowledge, kbPoll, routeKnowledge } from "./knowledge.js";
import { bindMetrics, loadMetrics } from "./metrics.js";
import { clearNotice, fail } from "./notice.js";
import { stopPolling } from "./poll.js";
import { bindSignIn, hideSignIn, showSignIn } from "./signin.js";
import { isAdmin, loadSession, saveSession, state } from "./state.js";
import { T } from "./strings.js";
import { bindTeam, loadTeam } from "./team.js";
import { keepTimesFresh } from "./time.js";

const VIEWS = ["inbox", "metrics", "knowledge", "team"];

function route() {
  if (!state.operator) return;
  const hash = location.hash.replace(/^#\/?/, "");
  const view = hash === "metrics" ? "metrics" : /^knowledge(\/|$)/.test(hash) ? "knowledge"
    : hash === "team" && isAdmin() ? "team" : "inbox";
  VIEWS.forEach(function (name) { $(name + "-view").hidden = name !== view; });
  markCurrent("nav-", VIEWS, view);
  stopPolling();
  if (view === "metrics") return loadMetrics();
  if (view === "team") return loadTeam();
  if (view === "knowledge") return routeKnowledge(hash.replace(/^knowledge\/?/, ""));
  const match = /^conversations\/([0-9a-f-]{36})$/i.exec(hash);
  openConversation(match ? match[1].toLowerCase() : null);
  inboxPoll.now();
}

function enter(operator) {
  showOperator(operator);
  hideSignIn();
  $("app").hidden = false;
  clearNotice();
  loadOperators();
  route();
  if (!state.current && !$("inbox-view").hidden) currentTab().focus();
}

function showOperator(operator) {
  state.operator = operator;
  $("me-name").textContent = operator.display_name;
  $("me-role").textContent = T.roles[operator.role] || operator.role;
  document.body.classList.toggle("can-edit", isAdmin());
}

// Signed out (by the operator, or a 401 from api.js): nothing of the session stays on screen.
function leave(message) {
  stopPolling();
  saveSession(null);
  state.operator = null;
  state.current = null;
  clearInbox();
  clearKnowledge();
  closeConversation();
  showSignIn(message);
}

function onVisibility() {
  if (document.hidden || !state.operator || !$("metrics-view").hidden || !$("team-view").hidden) return stopPolling();
  if (!$("knowledge-view").hidden) return kbPoll.now();
  inboxPoll.now();
  if (state.current) conversationPoll.now();
}

function bind() {
  bindSignIn(enter);
  $("notice-close").addEventListener("click", clearNotice);
  bindInbox();
  bindConversation();
  bindMetrics();
  bindTeam();
  bindKnowledge();
  window.addEventListener(SIGNED_OUT, function (e) { leave(e.detail.message); });
  window.addEventListener("hashchange", route);
  document.addEventListener("visibilitychange", onVisibility);
  keepTimesFresh();
}

function start() {
  applyStrings();
  bind();
  selectTab(state.tab);
  updateHint();
  const session = loadSession();
  if (!session || !session.token || !session.operator) return leave("");
  saveSession(session);
  enter(session.operator);
  // Still valid? A 401 signs out; a changed name or role is picked up.
  api("/me").then(function (operator) {
    saveSession({ token: session.token, operator: operator });
    showOperator(operator);
  }, fail);
}

start();
