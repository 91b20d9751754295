/* A conversation's customer data (admins only): export it as a JSON file, or erase it after a confirmation. */

import { api } from "./api.js";
import { $ } from "./dom.js";
import { fail, notify } from "./notice.js";
import { state } from "./state.js";
import { T } from "./strings.js";

// The conversation the confirmation was asked for: opening another one withdraws it.
let confirming = null;

/** Withdraws a confirmation asked for another conversation than `detail`'s. */
export function renderPrivacy(detail) {
  if (confirming && confirming !== detail.id) showConfirm(null);
}

function showConfirm(id) {
  confirming = id;
  $("privacy-confirm").hidden = !id;
  if (id) $("privacy-erase-yes").focus();
}

function exportData() {
  const id = state.current;
  $("privacy-export").disabled = true;
  api("/conversations/" + encodeURIComponent(id) + "/export").then(function (data) {
    const link = document.createElement("a");
    link.download = "conversation-" + id + ".json";
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }, fail).then(function () { $("privacy-export").disabled = false; });
}

function erase() {
  const id = confirming;
  $("privacy-erase-yes").disabled = true;
  api("/conversations/" + encodeURIComponent(id), { method: "DELETE" }).then(function () {
    showConfirm(null);
    notify(T.privacyErased, true);
    if (state.current === id) location.hash = "#/";
  }, fail).then(function () { $("privacy-erase-yes").disabled = false; });
}

export function bindPrivacy() {
  $("privacy-export").addEventListener("click", exportData);
  $("privacy-erase").addEventListener("click", function () { showConfirm(state.current); });
  $("privacy-erase-yes").addEventListener("click", erase);
  $("privacy-erase-no").addEventListener("click", function () { showConfirm(null); $("privacy-erase").focus(); });
}
