/* The notice under the top bar: errors stay until dismissed, confirmations for a few seconds. */

import { $ } from "./dom.js";
import { T } from "./strings.js";

let timer = null;

/** Shows `text`; `info` for a confirmation that goes by itself. Repeats are not re-announced. */
export function notify(text, info) {
  if ($("notice-text").textContent !== text) $("notice-text").textContent = text;
  $("notice").classList.toggle("info", Boolean(info));
  $("notice").classList.add("shown");
  $("notice-close").hidden = false;
  clearTimeout(timer);
  if (info) timer = setTimeout(clearNotice, 4000);
}

export function clearNotice() {
  $("notice").classList.remove("shown");
  $("notice-close").hidden = true;
  $("notice-text").textContent = "";
}

/** The usual way to report a failed call: a visible, polite message (a 401 already signed out). */
export function fail(error) {
  if (error && error.status === 401) return;
  notify((error && error.message) || T.error);
}
