/*
 * The demo storefront's "Sign in as a demo customer" control, for local runs: `./dev run` lists its demo
 * customers at /demo/customers and signs an identity token for one at /demo/sign_in, as a shop's backend
 * would. Anywhere else the list is empty (or missing) and the control stays hidden. The token goes to
 * SupportWidget.identify(); "Sign out" calls SupportWidget.logout(). The choice lasts for this tab.
 */
(function () {
  "use strict";
  var root = document.getElementById("sign-in");
  if (!root) return;
  var picker = document.getElementById("demo-customer");
  var signInButton = document.getElementById("demo-sign-in");
  var signOutButton = document.getElementById("demo-sign-out");
  var status = document.getElementById("demo-status");
  var KEY = "demo-customer";
  var TOKEN_KEY = "demo-identity-token";
  var REFRESH_MS = 25 * 60 * 1000; // the tokens live 30 minutes: the widget gets a fresh one before
  var refresh = null;

  function api(path) {
    return fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("The demo sign-in answered " + response.status + ".");
      return response.json();
    });
  }

  function remember(id) {
    try {
      if (id) sessionStorage.setItem(KEY, id); else sessionStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: the sign-in lasts until the page is left */ }
  }

  function recalled() {
    try { return sessionStorage.getItem(KEY); } catch (e) { return null; }
  }

  // Before the widget starts (this script comes first): a token still valid for a minute goes on its
  // tag, so that a reload opens the signed-in customer's conversation rather than an anonymous one.
  function handOverKeptToken() {
    try {
      var kept = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null");
      var tag = document.querySelector('script[src$="widget.js"]');
      if (kept && tag && kept.expires > Date.now() + 60000) tag.setAttribute("data-identity-token", kept.token);
    } catch (e) { /* storage disabled or unreadable: the widget starts anonymous, as without a sign-in */ }
  }

  function keepToken(token) {
    try {
      if (token) sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ token: token, expires: Date.now() + REFRESH_MS }));
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* as above */ }
  }

  function show(customer) {
    root.querySelector(".signed-out").hidden = !!customer;
    root.querySelector(".signed-in").hidden = !customer;
    document.getElementById("demo-who").textContent = customer ? "Signed in as " + customer.name : "";
  }

  function signIn(id, moveFocus) {
    status.textContent = "";
    return api("/demo/sign_in?customer=" + encodeURIComponent(id)).then(function (answer) {
      remember(id);
      keepToken(answer.identity_token);
      show(answer.customer);
      if (moveFocus) signOutButton.focus();
      clearTimeout(refresh);
      refresh = setTimeout(function () { signIn(id, false); }, REFRESH_MS);
      if (window.SupportWidget) return window.SupportWidget.identify(answer.identity_token);
    }).catch(function () {
      status.textContent = "Could not sign in: is ./dev run still running?";
    });
  }

  function signOut() {
    clearTimeout(refresh);
    remember(null);
    keepToken(null);
    show(null);
    status.textContent = "";
    picker.focus();
    if (window.SupportWidget) window.SupportWidget.logout();
  }

  function offer(customers) {
    customers.forEach(function (customer) {
      var option = document.createElement("option");
      option.value = customer.id;
      option.textContent = customer.name + " (" + customer.id + ")";
      picker.appendChild(option);
    });
    root.hidden = false;
    var id = recalled();
    if (customers.some(function (customer) { return customer.id === id; })) signIn(id, false);
  }

  handOverKeptToken();
  signInButton.addEventListener("click", function () { signIn(picker.value, true); });
  signOutButton.addEventListener("click", signOut);
  // This script runs before the widget's (see handOverKeptToken): listen once every script has run.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.SupportWidget) return;
    window.SupportWidget.on("identity_error", function () {
      status.textContent = "The support chat refused the sign-in; it goes on anonymously.";
    });
  });
  // The widget's login link (data-login-url) leads here: put the keyboard on the control too.
  window.addEventListener("hashchange", function () {
    if (location.hash === "#sign-in" && !root.hidden) (picker.offsetParent ? picker : signOutButton).focus();
  });
  api("/demo/customers").then(function (answer) {
    if (answer.customers && answer.customers.length) offer(answer.customers);
  }, function () { /* not a local run: no demo customers, no control */ });
})();
