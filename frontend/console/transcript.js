/*
 * A conversation's transcript, following its end unless the agent scrolled up (then a "New messages" marker).
 * Whether the agent is reading the end is known from their scrolling, not measured at each render:
 * a notice or the composer growing shrinks the transcript without the agent moving away from its end.
 */

import { $, el, icon } from "./dom.js";
import { state } from "./state.js";
import { T } from "./strings.js";
import { clock } from "./time.js";

function atEnd(log) { return log.scrollHeight - log.scrollTop - log.clientHeight < 40; }

function newestId() {
  const messages = state.detail ? state.detail.messages : [];
  return messages.length ? messages[messages.length - 1].id : 0;
}

function toEnd() {
  $("transcript").scrollTop = $("transcript").scrollHeight;
  readToEnd();
}

function readToEnd() {
  state.follow = true;
  state.seenId = newestId();
  $("new-messages").hidden = true;
}

/** `customer`: who the shop's signed token says they are, or null; a verified name labels their messages. */
export function renderTranscript(messages, customer) {
  const log = $("transcript");
  const name = customer && customer.verified && customer.name ? customer.name : T.customerName;
  log.textContent = "";
  messages.forEach(function (message) { log.appendChild(messageNode(message, name)); });
}

/** After a render: at the end if the agent follows it, else back where they were reading (scrollTop `top`). */
export function keepPlace(top) {
  if (state.follow) toEnd();
  else {
    $("transcript").scrollTop = top;
    $("new-messages").hidden = newestId() <= state.seenId;
  }
}

function messageNode(message, customerName) {
  const sender = message.sender;
  const who = { user: customerName, bot: T.bot, system: T.system }[sender] || message.author || T.agent;
  const by = el("div", { class: "by" }, [el("span", { class: "author", text: who }), clock(message.created_at)]);
  if (message.internal) by.appendChild(el("span", { class: "note-label", text: T.internalNote }));
  // The outcome says more than the decision: a suggestion cited nothing, yet it did not say "not covered".
  const decided = message.outcome || message.decision;
  if (sender === "bot" && decided) {
    by.appendChild(el("span", { class: "tag " + decided },
      [el("span", { class: "visually-hidden", text: T.decisionLabel + ": " }), T.decisions[decided] || decided]));
  }
  const node = el("li", { class: "msg " + sender + (message.internal ? " note" : ""), "data-id": String(message.id) }, [
    by, el("div", { class: "bubble", text: message.content })
  ]);
  if (message.card) node.appendChild(cardNode(message.card));
  if (message.sources && message.sources.length) node.appendChild(sourceList(message.sources));
  if (message.feedback) {
    const up = message.feedback === "up";
    node.appendChild(el("div", { class: "feedback" }, [
      el("span", { class: "visually-hidden", text: T.ratedBy }),
      el("span", { class: "mark " + (up ? "up" : "down") }, [icon("thumb"), up ? T.helpful : T.unhelpful]),
      message.feedback_comment ? el("q", { text: message.feedback_comment }) : null
    ]));
  }
  return node;
}

/** What an action on the shop's API found: its title and labelled values; only http(s) values are links. */
function cardNode(card) {
  const fields = el("dl", { class: "facts" });
  card.fields.forEach(function (field) {
    const link = /^https?:\/\//i.test(field.value);
    fields.appendChild(el("dt", { text: field.label }));
    fields.appendChild(el("dd", {}, [link
      ? el("a", { href: field.value, target: "_blank", rel: "noopener noreferrer", text: field.value })
      : field.value]));
  });
  return el("div", { class: "action-card", role: "group", "aria-label": card.title },
    [el("strong", { class: "action-card-title", text: card.title }), fields]);
}

function sourceList(sources) {
  const list = el("ul", { class: "sources", "aria-label": T.sources },
    [el("li", { "aria-hidden": "true", text: T.sources + ":" })]);
  sources.forEach(function (source) {
    const safe = source.url && /^https?:\/\//i.test(source.url);
    list.appendChild(el("li", {}, [safe
      ? el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer", text: source.question })
      : el("span", { text: source.question })]));
  });
  return list;
}

export function bindTranscript() {
  const log = $("transcript");
  log.addEventListener("scroll", function () {
    if (atEnd(log)) readToEnd();
    else state.follow = false;
  });
  new ResizeObserver(function () { if (state.follow) log.scrollTop = log.scrollHeight; }).observe(log);
  $("new-messages").addEventListener("click", function () {
    toEnd();
    log.focus({ preventScroll: true });
  });
}
