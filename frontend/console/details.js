/* A conversation's side panel: who the customer is, their other conversations, their rating, its states, their data. */

import { $, addFact, el } from "./dom.js";
import { renderLookups } from "./lookups.js";
import { bindPrivacy, renderPrivacy } from "./privacy.js";
import { T, fill, stateName } from "./strings.js";
import { clock } from "./time.js";

/** `reload`: fetch the conversation again (a lookup's note has joined the transcript). */
export function renderDetails(detail, reload) {
  renderFacts(detail);
  renderLookups(detail, reload);
  renderCsat(detail.csat);
  renderHistory(detail.history);
  renderPrivacy(detail);
}

function renderFacts(detail) {
  const facts = $("facts");
  facts.textContent = "";
  const add = function (label, value) {
    if (value !== null && value !== undefined && value !== "") addFact(facts, label, value);
  };
  const known = detail.customer;
  add(T.identity, el("span", { class: known && known.verified ? "verified" : "unverified",
    text: known && known.verified ? T.verifiedCustomer : T.anonymousCustomer }));
  if (known) {
    add(T.accountName, known.name);
    add(T.customerEmail, known.email);
    add(T.customerId, known.customer_id);
    addAttributes(add, known.attributes, "");
  }
  add(T.contactEmail, detail.contact_email);
  add(T.locale, detail.locale);
  // What the page sent is not signed: anyone can write it, so it is labelled as such.
  addAttributes(add, detail.attributes, " " + T.unverified);
  add(T.started, clock(detail.created_at));
  add(T.conversationId, detail.id);
  renderOthers(detail.other_conversations || []);
}

function addAttributes(add, attributes, suffix) {
  Object.keys(attributes || {}).forEach(function (name) {
    const value = attributes[name];
    add(name.charAt(0).toUpperCase() + name.slice(1) + suffix, typeof value === "string" ? value : JSON.stringify(value));
  });
}

function renderOthers(others) {
  const list = $("other-conversations");
  $("others-box").hidden = !others.length;
  list.textContent = "";
  others.forEach(function (other) {
    list.appendChild(el("li", {}, [
      el("a", { href: "#/conversations/" + other.session_id, text: other.preview }), " ",
      el("span", { class: "why", text: stateName(other.state) }), " ", clock(other.last_message_at)
    ]));
  });
}

function renderCsat(csat) {
  const box = $("csat");
  $("csat-box").hidden = !csat;
  box.textContent = "";
  if (!csat) return;
  const filled = Math.max(0, Math.min(5, csat.rating));
  const stars = "★★★★★".slice(0, filled) + "☆☆☆☆☆".slice(0, 5 - filled);
  box.appendChild(el("div", {}, [
    el("span", { class: "csat", "aria-hidden": "true", text: stars }), " ",
    el("strong", { text: csat.rating + " / 5" })
  ]));
  if (csat.comment) box.appendChild(el("p", { class: "csat-comment" }, [el("q", { text: csat.comment })]));
}

function renderHistory(history) {
  const list = $("history");
  list.textContent = "";
  history.slice().reverse().forEach(function (change) {
    const states = stateName(change.from_state) + " → " + stateName(change.to_state);
    list.appendChild(el("li", {}, [
      el("span", { class: "change", text: states }),
      el("span", { class: "why", text: [
        T.event[change.event] || change.event,
        change.operator ? fill(T.by, { name: change.operator }) : T.automatically
      ].join(" ") + (change.reason ? " · " + change.reason : "") }),
      clock(change.created_at)
    ]));
  });
}

export function bindDetails() {
  bindPrivacy();
  $("details-toggle").addEventListener("click", function () {
    const open = $("conv").classList.toggle("details-open");
    this.setAttribute("aria-expanded", String(open));
  });
  $("details").addEventListener("keydown", function (e) {
    if (e.key === "Escape" && $("conv").classList.contains("details-open")) $("details-toggle").click();
  });
}
