/*
 * Looking things up at the shop for the conversation's signed-in customer (its read actions: an order's
 * status, their recent orders). The result comes back as an internal note with its card, in the transcript.
 * The form is built once per conversation and set of lookups, so a poll does not wipe what the agent typed.
 */

import { api } from "./api.js";
import { $, el } from "./dom.js";
import { fail, notify } from "./notice.js";
import { state } from "./state.js";
import { T } from "./strings.js";

let builtFor = "";

export function renderLookups(detail, onDone) {
  const lookups = detail.lookups || [];
  $("lookups-box").hidden = !lookups.length;
  const key = detail.id + " " + lookups.map(function (lookup) { return lookup.name; }).join(",");
  if (key === builtFor) return;
  builtFor = key;
  const box = $("lookups");
  box.textContent = "";
  lookups.forEach(function (lookup) { box.appendChild(lookupForm(lookup, onDone)); });
}

function lookupForm(lookup, onDone) {
  const inputs = lookup.parameters.map(function (parameter) {
    const id = "lookup-" + lookup.name + "-" + parameter.name;
    const input = el("input", { id: id, name: parameter.name, required: parameter.required, autocomplete: "off",
      pattern: parameter.pattern ? parameter.pattern.replace(/^\^|\$$/g, "") : null });
    return el("label", { class: "lookup-field", for: id }, [parameter.description || parameter.name, input]);
  });
  const button = el("button", { class: "btn", type: "submit", text: T.lookupRun });
  const form = el("form", { class: "lookup", "aria-label": lookup.description },
    [el("p", { class: "lookup-what", text: lookup.description })].concat(inputs, [button]));
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(lookup, form, button, onDone);
  });
  return form;
}

function run(lookup, form, button, onDone) {
  const values = {};
  Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) {
    if (input.value.trim()) values[input.name] = input.value.trim();
  });
  button.disabled = true;
  const path = "/conversations/" + encodeURIComponent(state.current) + "/lookups";
  api(path, { method: "POST", body: { action: lookup.name, arguments: values } }).then(function (result) {
    if (!result.ok) notify(result.text);
    onDone();
  }, fail).then(function () { button.disabled = false; });
}
