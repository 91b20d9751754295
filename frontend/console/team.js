/* The team (admins only): add, re-role and remove operators. */

import { api } from "./api.js";
import { $, el, rebuildList } from "./dom.js";
import { fail, notify } from "./notice.js";
import { state } from "./state.js";
import { T, fill } from "./strings.js";

export function loadTeam() {
  return api("/operators").then(function (list) {
    state.operators = list.operators;
    const active = list.operators.filter(function (operator) { return operator.active; });
    rebuildList($("team-list"), $("team-empty"), active, teamRow, T.teamEmpty);
  }, fail);
}

function teamRow(operator) {
  const me = Boolean(state.operator && operator.id === state.operator.id);
  const name = operator.display_name;
  const role = el("select", { "aria-label": fill(T.teamRoleOf, { name: name }), disabled: me }, [
    el("option", { value: "agent", text: T.roleAgent }), el("option", { value: "admin", text: T.roleAdmin })
  ]);
  role.value = operator.role;
  role.addEventListener("change", function () { changeRole(operator, role); });
  const actions = el("div", { class: "actions" });
  if (!me) showRemove(operator, actions);
  return el("tr", { "data-operator": operator.id }, [
    el("td", {}, [name, me ? el("span", { class: "you", text: " " + T.teamYou }) : null]),
    el("td", { text: operator.email }), el("td", {}, [role]), el("td", {}, [actions])
  ]);
}

function changeRole(operator, select) {
  const role = select.value;
  select.disabled = true;
  api("/operators/" + operator.id, { method: "PUT", body: { role: role } }).then(function (changed) {
    operator.role = changed.role;
    notify(fill(T.teamRoleChanged, { name: changed.display_name, role: T.teamRoles[changed.role] }), true);
  }, function (error) {
    select.value = operator.role;
    fail(error);
  }).then(function () { select.disabled = false; });
}

// Remove asks once more in place: "Remove Noor?" with Yes and Cancel.
function showRemove(operator, box) {
  box.textContent = "";
  const remove = el("button", { class: "btn danger", type: "button", "data-team": "remove", text: T.teamRemove,
    onclick: function () { confirmRemove(operator, box); } });
  box.appendChild(remove);
  return remove;
}

function confirmRemove(operator, box) {
  box.textContent = "";
  const yes = el("button", { class: "btn danger", type: "button", "data-team": "confirm", text: T.teamRemoveYes,
    onclick: function () { removeOperator(operator, yes); } });
  box.appendChild(el("span", { text: fill(T.teamRemoveConfirm, { name: operator.display_name }) }));
  box.appendChild(yes);
  box.appendChild(el("button", { class: "btn ghost", type: "button", text: T.cancel,
    onclick: function () { showRemove(operator, box).focus(); } }));
  yes.focus();
}

function removeOperator(operator, button) {
  button.disabled = true;
  api("/operators/" + operator.id, { method: "DELETE" }).then(function () {
    notify(fill(T.teamRemoved, { name: operator.display_name }), true);
    $("team-title").focus();
    return loadTeam();
  }, function (error) {
    button.disabled = false;
    fail(error);
  });
}

function addOperator() {
  const body = { email: $("team-email").value.trim(), role: $("team-role").value };
  if ($("team-name").value.trim()) body.display_name = $("team-name").value.trim();
  $("team-add-button").disabled = true;
  api("/operators", { method: "POST", body: body }).then(function (added) {
    notify(fill(T.teamAdded, { name: added.display_name }), true);
    $("team-add").reset();
    return loadTeam();
  }, fail).then(function () { $("team-add-button").disabled = false; });
}

export function bindTeam() {
  $("team-add").addEventListener("submit", function (e) { e.preventDefault(); addOperator(); });
}
