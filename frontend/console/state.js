/* What the console holds in memory, and the operator token kept for this tab only (sessionStorage). */

import { config } from "./config.js";

const storageKey = "support-console:" + config.apiBase;

export const state = {
  token: null, operator: null, operators: [], tab: "waiting", reason: "", q: "", current: null, detail: null,
  listKey: "", detailKey: "", inboxSeq: 0, detailSeq: 0, sending: false, acting: false, pages: 1,
  // follow: keep the transcript at its end; seenId: the newest message shown while it was (older: the marker).
  follow: true, seenId: 0,
  // The knowledge area: the entries, the entry in the editor ({id, version, gap}), a gap's draft on its way
  // to the editor, the draft the regression check ran on, what each list last rendered, the source whose
  // documents are shown (its id as in the hash) and whether a sync started here is running.
  kb: { view: "entries", entries: [], editing: null, pending: null, checked: null, seq: 0, busy: false, keys: {},
    source: null, syncing: false }
};

/** The stored {token, operator}, or null. */
export function loadSession() {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey) || "null");
  } catch (e) {
    return null;
  }
}

/** Keeps `session` ({token, operator}) for this tab, or forgets it (null). */
export function saveSession(session) {
  state.token = session ? session.token : null;
  try {
    if (session) sessionStorage.setItem(storageKey, JSON.stringify(session));
    else sessionStorage.removeItem(storageKey);
  } catch (e) { /* storage blocked: the token lives as long as the page */ }
}

/** Whether the signed-in operator is an admin. */
export function isAdmin() { return Boolean(state.operator && state.operator.role === "admin"); }
