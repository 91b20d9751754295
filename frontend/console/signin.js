/* Sign in (Google, or by email on a local run) and sign out. */

import { api, signedOut } from "./api.js";
import { config } from "./config.js";
import { $, el } from "./dom.js";
import { stopPolling } from "./poll.js";
import { saveSession } from "./state.js";
import { T, fill } from "./strings.js";

let onSignedIn = null;
let googleStarted = false;

/** The sign-in screen, with `message` above it. */
export function showSignIn(message) {
  $("app").hidden = true;
  $("signin").hidden = false;
  $("signin-message").textContent = message || "";
  if (config.googleClientId) {
    loadGoogle();
  } else {
    $("local-form").hidden = false;
    $("local-email").focus();
  }
  explainSignIn();
}

export function hideSignIn() {
  $("signin").hidden = true;
  $("signin-message").textContent = "";
}

// Who may sign in, as the server says (the first email on an empty team becomes its admin; then only members).
function explainSignIn() {
  const who = $("signin-who");
  who.textContent = config.googleClientId ? T.googleHint : T.localHint;
  api("/sign-in-options").then(function (options) {
    if (config.googleClientId) {
      who.textContent = options.workspace_domain
        ? fill(T.googleDomainHint, { domain: options.workspace_domain }) : T.googleHint;
    } else if (options.email) {
      who.textContent = options.first_sign_in_becomes_admin ? T.localFirst : T.localMember;
    }
  }, function () { /* an older server: the general wording stays */ });
}

function loadGoogle() {
  if (window.google && window.google.accounts) return renderGoogleButton();
  if (googleStarted) return;
  googleStarted = true;
  const script = el("script", { src: "https://accounts.google.com/gsi/client", async: true });
  script.addEventListener("load", renderGoogleButton);
  script.addEventListener("error", function () {
    googleStarted = false;
    $("signin-message").textContent = T.googleFailed;
  });
  document.head.appendChild(script);
}

function renderGoogleButton() {
  window.google.accounts.id.initialize({
    client_id: config.googleClientId,
    callback: function (response) { signIn({ id_token: response.credential }); }
  });
  $("google-button").textContent = "";
  const options = { theme: "outline", size: "large", text: "signin_with" };
  window.google.accounts.id.renderButton($("google-button"), options);
}

function signIn(body) {
  $("signin-message").textContent = T.signingIn;
  return api("/sign-in", { method: "POST", body: body }).then(function (signed) {
    saveSession({ token: signed.token, operator: signed.operator });
    onSignedIn(signed.operator);
  }, function (error) {
    $("signin-message").textContent = error.message;
  });
}

function signOut() {
  const done = function () {
    if (window.google && window.google.accounts) window.google.accounts.id.disableAutoSelect();
    signedOut(T.signedOut);
  };
  stopPolling();
  api("/sign-out", { method: "POST" }).then(done, done);
}

/** Wires the sign-in form and the sign-out button; `signedIn(operator)` runs after a sign-in. */
export function bindSignIn(signedIn) {
  onSignedIn = signedIn;
  $("local-form").addEventListener("submit", function (e) {
    e.preventDefault();
    signIn({ local_email: $("local-email").value.trim() });
  });
  $("sign-out").addEventListener("click", signOut);
}
