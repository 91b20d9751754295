/*
 * The one way the console calls the operator API. A 401 for the token still in use raises the
 * "console:signed-out" event on window (main.js returns to sign-in); the caller gets an ApiError.
 */

import { config } from "./config.js";
import { state } from "./state.js";
import { T } from "./strings.js";

export const SIGNED_OUT = "console:signed-out";

/** status 0: no answer (offline, refused); code: the API's error code; details: [{field, message}]. */
export class ApiError extends Error {
  constructor(message, status, code, details) {
    super(message);
    this.status = status;
    this.code = code || "";
    this.details = details || [];
  }
}

/**
 * Calls the operator API; resolves to the JSON body (null for 204). A 401 signs out, unless the
 * token it was sent with has already gone (a poll that crossed a sign-out).
 */
export function api(path, options) {
  options = options || {};
  const headers = { Accept: "application/json" };
  if (options.body) headers["Content-Type"] = "application/json";
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  const sentToken = state.token;
  if (sentToken) headers.Authorization = "Bearer " + sentToken;
  const query = options.query ? "?" + new URLSearchParams(options.query) : "";
  return fetch(config.apiBase + "/operator_api" + path + query, {
    method: options.method || "GET",
    headers: headers,
    body: options.body ? JSON.stringify(options.body) : undefined
  }).then(function (response) {
    if (response.ok) return response.status === 204 ? null : response.json();
    return response.json().catch(function () { return {}; }).then(function (body) {
      const error = (body && body.error) || {};
      const failure = new ApiError(error.message || T.error, response.status, error.code, error.details);
      const stillSignedIn = sentToken && state.token === sentToken;
      if (response.status === 401 && path !== "/sign-in" && stillSignedIn) signedOut(T.sessionEnded);
      throw failure;
    });
  }, function () {
    throw new ApiError(navigator.onLine === false ? T.offline : T.error, 0);
  });
}

/** Raises the signed-out event; `message` is shown on the sign-in screen. */
export function signedOut(message) {
  window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: { message: message || "" } }));
}

// ---- writes carried out once -------------------------------------------------------------------
// Each submit gets an Idempotency-Key; sending the same submit again (after no answer, a server error, or
// while the first is still being answered) reuses it, so the server acts once. Keys by what they send.
const pendingKeys = {};

/** POSTs `body` to `path` with an Idempotency-Key kept until the write is known to have happened or failed. */
export function sendOnce(path, body) {
  const what = path + " " + JSON.stringify(body || null);
  const key = pendingKeys[what] || (pendingKeys[what] = newKey());
  return api(path, { method: "POST", body: body, idempotencyKey: key }).then(function (result) {
    delete pendingKeys[what];
    return result;
  }, function (error) {
    const mayHaveHappened = error.status === 0 || error.status >= 500 || error.code === "in_progress";
    if (!mayHaveHappened) delete pendingKeys[what];
    throw error;
  });
}

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // a version 4 UUID
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}
