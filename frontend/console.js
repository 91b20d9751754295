/*
 * Operator console: sign in, the inbox, one conversation, metrics, the knowledge base. No framework, no build step.
 * Configuration lives in console.html's <meta> elements (support-api-base, google-client-id).
 * Every text a customer, the model or an operator wrote is rendered with textContent.
 */
(function () {
  "use strict";

  var T = {
    brand: "Support console", sections: "Sections", inbox: "Inbox", metrics: "Metrics", knowledge: "Knowledge",
    team: "Team",
    signOut: "Sign out",
    signInTitle: "Sign in to the support console", signInLead: "For members of the support team.",
    email: "Work email", signIn: "Sign in", signingIn: "Signing in…",
    localHint: "Local run: sign in with the email of a member of the team, added by an admin under Team; " +
      "on a new, empty team, the first person to sign in becomes its admin.",
    localMember: "Local run: sign in with the email of a member of the team. An admin adds people under Team.",
    localFirst: "Local run, and the team is empty: the first email to sign in becomes the team's admin. " +
      "After that, only people an admin adds under Team can sign in.",
    googleHint: "Sign in with your Google account once an admin has added you to the team.",
    googleDomainHint: "Sign in with your {domain} Google account once an admin has added you to the team.",
    sessionEnded: "Your session has ended. Please sign in again.", signedOut: "You are signed out.",
    googleFailed: "Google sign-in could not load. Check your connection, then reload the page.",
    roles: { admin: "Admin", agent: "Agent" },
    conversations: "Conversations", conversation: "Conversation",
    waiting: "Waiting", mine: "Mine", open: "Open", resolved: "Resolved", all: "All",
    reasonFilter: "Reason", allReasons: "All reasons", search: "Search every conversation, by text or ID",
    searchPlaceholder: "Search text or ID",
    reason_person: "Asked for a person", reason_frustration: "Frustration", reason_unanswered: "Unanswered",
    reason_model: "Bot handed over", reason_agent: "Taken by an agent",
    loading: "Loading…",
    empty: { waiting: "Nobody is waiting for a person.", mine: "No conversations are assigned to you.",
      open: "No open conversations.", resolved: "No resolved conversations yet.", all: "No conversations yet." },
    emptyFiltered: "No conversation matches these filters.", showMore: "Show more",
    visitor: "Visitor {id}", waitingFor: "Waiting {t}", ago: "{t} ago", justNow: "just now", underAMinute: "<1 min",
    unread: "{n} unread", helpfulCount: "{n} helpful", unhelpfulCount: "{n} not helpful", csatMark: "CSAT {n}/5",
    unassigned: "Unassigned", assignedTo: "Assigned to {name}",
    selectConversation: "Select a conversation",
    selectHint: "Conversations waiting for a person appear under Waiting, oldest first.",
    backToList: "Back to the conversations", details: "Details",
    states: { bot: "Bot", waiting: "Waiting", assigned: "Assigned", resolved: "Resolved" },
    take_over: "Take over", hand_back: "Hand back to bot", resolve: "Resolve", reopen: "Reopen", assign: "Assign",
    done: { take_over: "You took over the conversation.", hand_back: "The bot answers again.",
      resolve: "Conversation resolved.", reopen: "Conversation reopened.", assign: "Conversation assigned." },
    assignTo: "Assign to", chooseOperator: "Assign to…",
    summary: "Summary", customer: "Customer", history: "History", csatTitle: "Satisfaction",
    noSummary: "No summary yet.", refreshSummary: "Refresh summary", refreshingSummary: "Writing the summary…",
    summaryRefreshed: "Summary refreshed.", newMessages: "New messages",
    contactEmail: "Email", locale: "Language", started: "Started", conversationId: "ID",
    transcript: "Transcript", customerName: "Customer", bot: "Bot", agent: "Agent", system: "System",
    internalNote: "Internal note", sources: "Sources", decisions: { answered: "answered", not_covered: "not covered",
      handover: "handover", failed: "fallback" }, decisionLabel: "Retrieval decision",
    helpful: "Helpful", unhelpful: "Not helpful", ratedBy: "Customer rated:",
    composeAs: "Write", reply: "Reply", note: "Internal note", send: "Send", addNote: "Add note",
    replyLabel: "Reply to the customer", noteLabel: "Internal note, only your team sees it",
    replyPlaceholder: "Reply to the customer… (Enter sends, Shift+Enter adds a line)",
    notePlaceholder: "Write a note only your team can see…",
    replyTakesOver: "Replying assigns this conversation to you.", noteHint: "Notes are never shown to the customer.",
    replySent: "Reply sent.", noteAdded: "Note added.",
    event: { handover: "handed over", take_over: "taken over", assign: "assigned", hand_back: "handed back",
      resolve: "resolved", reopen: "reopened", customer_wrote: "customer wrote" },
    by: "by {name}", automatically: "automatically",
    metricsTitle: "Metrics", from: "From", to: "To", apply: "Show",
    noMetrics: "Metrics are not available.", noMetricsHint: "This deployment does not report metrics yet.",
    m: { conversations: "Conversations", bot_resolved_rate: "Resolved by the bot", handover_rate: "Handed over",
      median_first_response_seconds: "Median first response", median_resolution_seconds: "Median resolution",
      csat_average: "CSAT average", thumbs: "Thumbs up / down", unanswered_questions: "Unanswered questions",
      tokens: "Model tokens in / out", estimated_cost_usd: "Estimated model cost", byReason: "Handovers by reason",
      responses: "{n} responses ({rate})", none: "—", noHandovers: "No handovers in this period." },
    kbEntries: "Entries", kbTry: "Try it", kbGaps: "Gaps", kbReview: "Review", kbCases: "Cases",
    kbSearch: "Filter entries", kbNew: "New entry", kbEditor: "Entry", kbBack: "Back to the entries",
    kbSelect: "Select an entry", kbSelectHint: "What you publish here is what the bot answers the next customer.",
    kbEmpty: "No entries yet.", kbEmptyFiltered: "No entry matches this filter.",
    kbVersion: "Version {n}", kbToReview: "{n} to review", kbNewTitle: "New entry",
    kbUpdated: "updated {t}", kbFromGap: "From {n} customer questions: publishing adds them to the regression set.",
    kbId: "ID", kbIdHint: "Default: made from the question", kbQuestion: "Question", kbAnswer: "Answer",
    kbExamples: "Example questions", kbExamplesHint: "One per line: other ways customers ask this.",
    kbKeywords: "Keywords", kbKeywordsHint: "Separated by commas.", kbUrl: "Link (optional)",
    kbTranslations: "Translations", langs: { fr: "French", es: "Spanish", de: "German" },
    kbVersions: "Versions", kbNoVersions: "Not published yet.", kbChanged: "changed {fields}",
    kbRetiredMark: "retired", kbCreated: "created",
    kbSave: "Save", kbRetire: "Retire", kbRetireYes: "Retire entry", cancel: "Cancel",
    kbRetireConfirm: "Retire this entry? The bot stops answering from it at once; its history stays.",
    kbReload: "Reload", kbConflictHint: "Reload to see the newest version; your changes here were not saved.",
    kbBroken: "Publishing this would break {n} of the {total} regression cases. Nothing is published yet.",
    kbCaseQuery: "Customer question", kbExpected: "Expected", kbWouldAnswer: "Would answer with",
    kbNothing: "nothing (not covered)", kbPublishAnyway: "Publish anyway", kbKeepEditing: "Keep editing",
    kbSaved: "Published version {n}.", kbUnchanged: "Nothing changed.", kbRetired: "Entry retired.",
    kbApproved: "Entry published. Regression cases added: {n}.",
    kbNotFound: "This entry no longer exists.",
    kbDraftNeedsReview: "This draft was written from agents' replies, with personal details replaced by placeholders such as [name] and [order number]. Read it through and make it general before you publish.",
    kbTryTitle: "Try a question", kbTryLead: "What the bot would answer, and why. No customer sees this.",
    kbTryQuestion: "A customer question", kbAnyLanguage: "Detect the language", kbTryRun: "Try",
    kbDecision: "Decision", kbDecisions: { answer: "Answers", not_covered: "Not covered" },
    kbAnsweredWith: "Answers with", kbThreshold: "Threshold", kbLanguage: "Language", kbMode: "Retrieval",
    kbParts: "Parts", kbEntry: "Entry", kbScore: "Score", kbFits: "Fits", yes: "yes", no: "no",
    kbNoCandidates: "No entry comes close.",
    kbGapsTitle: "Questions the bot could not answer",
    kbGapsLead: "Grouped by similarity. Each question you approve joins the regression set.",
    kbGapsEmpty: "No open gaps.", kbAsked: "Asked {n} times", kbAskedOnce: "Asked once", kbLastSeen: "Last seen",
    gapReasons: { not_covered: "not covered", thumbs_down: "thumbs down", handed_over: "handed over" },
    kbAddTo: "Add to entry", kbChooseEntry: "Choose an entry…", kbNewFromGap: "New entry…",
    kbAddedTo: "Added to “{entry}”. Regression cases added: {n}.", kbDismissed: "Gap dismissed.",
    kbReviewTitle: "Replies to review",
    kbReviewLead: "Bot replies that used an older version of an entry: check that they were still right.",
    kbReviewEmpty: "Nothing to review.", kbUsedVersion: "Used version {used}, now {current}",
    kbCustomerAsked: "Customer asked", kbBotReplied: "Bot replied", kbOpenConversation: "Open the conversation",
    kbMarkReviewed: "Mark reviewed", kbMarkAllReviewed: "Mark all reviewed", kbReviewed: "Marked as reviewed.",
    kbCasesTitle: "Regression cases",
    kbCasesLead: "Customer questions and the entries that must answer them; every save is checked against them.",
    kbCasesEmpty: "No cases yet: approving a gap adds its questions here.", kbAddedBy: "Added by", kbAdded: "Added",
    teamTitle: "Team", teamAdd: "Add a member", teamName: "Name", teamNameHint: "Default: from the email",
    teamLead: "Who may sign in to this console. Agents answer conversations; admins also publish to the knowledge " +
      "base and manage the team. Removing someone signs them out at once.",
    teamRole: "Role", roleAgent: "Agent", roleAdmin: "Admin", teamAddButton: "Add", teamActions: "Actions",
    teamYou: "(you)", teamRoleOf: "Role of {name}", teamRemove: "Remove", teamRemoveConfirm: "Remove {name}?",
    teamRemoveYes: "Yes, remove", teamEmpty: "Nobody is on the team yet.",
    teamAdded: "{name} can now sign in.", teamRoleChanged: "{name} is now {role}.",
    teamRoles: { agent: "an agent", admin: "an admin" }, teamRemoved: "{name} was removed and signed out.",
    dismiss: "Dismiss", notFound: "This conversation no longer exists.",
    error: "Something went wrong. Please try again.", offline: "You are offline. Check your connection."
  };

  var config = {
    apiBase: (meta("support-api-base") || location.origin).replace(/\/+$/, ""),
    googleClientId: meta("google-client-id")
  };
  var INBOX_POLL_MS = 4000;
  var PAGE_SIZE = 50;
  var CONVERSATION_POLL_MS = 3000;
  var LATE_MINUTES = 10;  // a customer waiting this long is shown in red
  var KB_POLL_MS = 10000;
  var KB_VIEWS = ["entries", "try", "gaps", "review", "cases"];
  var LANGS = ["fr", "es", "de"];  // the translations an entry can have (shared/knowledge_schemas.py Language)
  var FEATURES = ["lexical", "dense", "centroid", "learned"];
  // Each tab's inbox view; "all" is every conversation a customer wrote in, the bot's own included.
  var TABS = {
    waiting: { view: "waiting" },
    mine: { view: "assigned", assigned: "me" },
    open: { view: "open" },
    resolved: { view: "resolved" },
    all: { view: "all" }
  };
  // The actions each state allows (shared/handoff/states.py TRANSITIONS, agent events only).
  var ACTIONS = {
    bot: ["take_over", "resolve", "assign"],
    waiting: ["take_over", "hand_back", "resolve", "assign"],
    assigned: ["take_over", "hand_back", "resolve", "assign"],
    resolved: ["take_over", "reopen", "assign"]
  };
  var ICONS = {
    bubble: "M4 4h16v12H7l-3 3z",
    inbox: "M5.6 3h12.8L22 12.5V21H2v-8.5zM4.4 12H9a3 3 0 0 0 6 0h4.6L17 5H7z",
    book: "M4 4a2 2 0 0 1 2-2h13v16H6a1 1 0 0 0 0 2h13v2H6a2 2 0 0 1-2-2z",
    thumb: "M2 10h4v11H2zM8 21h9.3a2 2 0 0 0 2-1.6l1.5-7.2A1.9 1.9 0 0 0 18.9 10H14l.9-4.3A1.6 1.6 0 0 0 12.2 4L8 10z",
    star: "M12 2l3 6.9 7.5.6-5.7 4.9 1.8 7.3L12 17.8l-6.6 3.9 1.8-7.3-5.7-4.9L9 8.9z"
  };
  var storageKey = "support-console:" + config.apiBase;

  function meta(name) {
    var node = document.querySelector('meta[name="' + name + '"]');
    return node ? node.getAttribute("content").trim() : "";
  }

  function $(id) { return document.getElementById(id); }

  // ---- state ----------------------------------------------------------------------------------
  var state = {
    token: null, operator: null, operators: [], tab: "waiting", reason: "", q: "", current: null, detail: null,
    listKey: "", detailKey: "", inboxSeq: 0, detailSeq: 0, sending: false, acting: false, pages: 1,
    // follow: keep the transcript at its end; seenId: the newest message shown while it was (older: the marker).
    follow: true, seenId: 0,
    // The knowledge area: the entries, the entry in the editor ({id, version, gap}), a gap's draft on its way
    // to the editor, the draft the regression check ran on, and what each list last rendered.
    kb: { view: "entries", entries: [], editing: null, pending: null, checked: null, seq: 0, busy: false, keys: {} }
  };

  // The operator token and who it belongs to, for this tab only (sessionStorage).
  function loadSession() {
    try {
      return JSON.parse(sessionStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function saveSession(session) {
    state.token = session ? session.token : null;
    try {
      if (session) sessionStorage.setItem(storageKey, JSON.stringify(session));
      else sessionStorage.removeItem(storageKey);
    } catch (e) { /* storage blocked: the token lives as long as the page */ }
  }

  // ---- the API wrapper ------------------------------------------------------------------------
  // status 0: no answer (offline, refused); code: the API's error code; details: [{field, message}].
  function ApiError(message, status, code, details) {
    this.message = message;
    this.status = status;
    this.code = code || "";
    this.details = details || [];
  }

  // Calls the operator API; resolves to the JSON body (null for 204). A 401 returns to sign-in,
  // unless the token it was sent with has already gone (a poll that crossed a sign-out).
  function api(path, options) {
    options = options || {};
    var headers = { Accept: "application/json" };
    if (options.body) headers["Content-Type"] = "application/json";
    if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
    var sentToken = state.token;
    if (sentToken) headers.Authorization = "Bearer " + sentToken;
    var query = options.query ? "?" + new URLSearchParams(options.query) : "";
    return fetch(config.apiBase + "/operator_api" + path + query, {
      method: options.method || "GET",
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined
    }).then(function (response) {
      if (response.ok) return response.status === 204 ? null : response.json();
      return response.json().catch(function () { return {}; }).then(function (body) {
        var error = (body && body.error) || {};
        var failure = new ApiError(error.message || T.error, response.status, error.code, error.details);
        var stillSignedIn = sentToken && state.token === sentToken;
        if (response.status === 401 && path !== "/sign-in" && stillSignedIn) showSignIn(T.sessionEnded);
        throw failure;
      });
    }, function () {
      throw new ApiError(navigator.onLine === false ? T.offline : T.error, 0);
    });
  }

  // ---- writes carried out once -------------------------------------------------------------------
  // Each submit gets an Idempotency-Key; sending the same submit again (after no answer, a server error, or
  // while the first is still being answered) reuses it, so the server acts once. Keys by what they send.
  var pendingKeys = {};

  function sendOnce(path, body) {
    var what = path + " " + JSON.stringify(body || null);
    var key = pendingKeys[what] || (pendingKeys[what] = newKey());
    return api(path, { method: "POST", body: body, idempotencyKey: key }).then(function (result) {
      delete pendingKeys[what];
      return result;
    }, function (error) {
      var mayHaveHappened = error.status === 0 || error.status >= 500 || error.code === "in_progress";
      if (!mayHaveHappened) delete pendingKeys[what];
      throw error;
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;  // a version 4 UUID
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // The usual way to report a failed call: a visible, polite message (a 401 already went to sign-in).
  function fail(error) {
    if (error && error.status === 401) return;
    notify((error && error.message) || T.error);
  }

  // The message stays until dismissed (errors) or for a few seconds (confirmations); repeats are not re-announced.
  function notify(text, info) {
    if ($("notice-text").textContent !== text) $("notice-text").textContent = text;
    $("notice").classList.toggle("info", Boolean(info));
    $("notice").classList.add("shown");
    $("notice-close").hidden = false;
    clearTimeout(notify.timer);
    if (info) notify.timer = setTimeout(clearNotice, 4000);
  }

  function clearNotice() {
    $("notice").classList.remove("shown");
    $("notice-close").hidden = true;
    $("notice-text").textContent = "";
  }

  // ---- DOM helpers ----------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function icon(name) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "icon");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill-rule", "evenodd");
    svg.appendChild(path);
    return svg;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function applyStrings() {
    each("[data-t]", function (node) { node.textContent = T[node.dataset.t]; });
    each("[data-t-label]", function (node) { node.setAttribute("aria-label", T[node.dataset.tLabel]); });
    each("[data-t-placeholder]", function (node) { node.placeholder = T[node.dataset.tPlaceholder]; });
    each("[data-icon]", function (node) { node.appendChild(icon(node.dataset.icon)); });
  }

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // ---- times ----------------------------------------------------------------------------------
  function span(iso) {
    var seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 45) return "";
    if (seconds < 3600) return Math.max(1, Math.round(seconds / 60)) + " min";
    if (seconds < 86400) return Math.floor(seconds / 3600) + " h";
    return Math.floor(seconds / 86400) + " d";
  }

  // "Waiting 12 min" for the queue, "5 min ago" otherwise; refreshed every half minute.
  function relative(node) {
    var since = node.getAttribute("datetime");
    var amount = span(since);
    var waiting = node.dataset.relative === "waiting";
    if (waiting) node.textContent = fill(T.waitingFor, { t: amount || T.underAMinute });
    else node.textContent = amount ? fill(T.ago, { t: amount }) : T.justNow;
    var minutes = (Date.now() - new Date(since).getTime()) / 60000;
    node.classList.toggle("late", waiting && minutes >= LATE_MINUTES);
  }

  function relativeTime(iso, kind) {
    var node = el("time", { class: "when", datetime: iso, "data-relative": kind });
    relative(node);
    return node;
  }

  function clock(iso) {
    var date = new Date(iso);
    var today = new Date().toDateString() === date.toDateString();
    var options = today ? { hour: "2-digit", minute: "2-digit" }
      : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
    return el("time", { datetime: iso, text: date.toLocaleString(undefined, options) });
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return T.m.none;
    if (seconds < 60) return Math.round(seconds) + " s";
    if (seconds < 3600) return Math.round(seconds / 60) + " min";
    var hours = Math.floor(seconds / 3600);
    return hours + " h " + Math.round((seconds % 3600) / 60) + " min";
  }

  // ---- sign in and out --------------------------------------------------------------------------
  function showSignIn(message) {
    stopPolling();
    saveSession(null);
    state.operator = null;
    state.current = null;
    state.detail = null;
    state.listKey = "";
    $("list").textContent = "";
    state.kb.entries = [];
    closeEditor();
    $("conv").hidden = true;
    $("conv-empty").hidden = false;
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

  // Who may sign in, as the server says (the first email on an empty team becomes its admin; then only members).
  function explainSignIn() {
    var who = $("signin-who");
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
    if (loadGoogle.started) return;
    loadGoogle.started = true;
    var script = el("script", { src: "https://accounts.google.com/gsi/client", async: true });
    script.addEventListener("load", renderGoogleButton);
    script.addEventListener("error", function () {
      loadGoogle.started = false;
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
    var options = { theme: "outline", size: "large", text: "signin_with" };
    window.google.accounts.id.renderButton($("google-button"), options);
  }

  function signIn(body) {
    $("signin-message").textContent = T.signingIn;
    return api("/sign-in", { method: "POST", body: body }).then(function (signed) {
      saveSession({ token: signed.token, operator: signed.operator });
      enter(signed.operator);
    }, function (error) {
      $("signin-message").textContent = error.message;
    });
  }

  function signOut() {
    var done = function () {
      if (window.google && window.google.accounts) window.google.accounts.id.disableAutoSelect();
      showSignIn(T.signedOut);
    };
    stopPolling();
    api("/sign-out", { method: "POST" }).then(done, done);
  }

  function enter(operator) {
    showOperator(operator);
    $("signin").hidden = true;
    $("signin-message").textContent = "";
    $("app").hidden = false;
    clearNotice();
    loadOperators();
    route();
    if (!state.current && !$("inbox-view").hidden) currentTab().focus();
  }

  function showOperator(operator) {
    state.operator = operator;
    $("me-name").textContent = operator.display_name;
    $("me-role").textContent = T.roles[operator.role] || operator.role;
    document.body.classList.toggle("can-edit", isAdmin());
  }

  function isAdmin() { return Boolean(state.operator && state.operator.role === "admin"); }

  // ---- routing: #/ the inbox, #/conversations/<id> one conversation, #/metrics, #/knowledge[/...] --
  function route() {
    if (!state.operator) return;
    var hash = location.hash.replace(/^#\/?/, "");
    var view = hash === "metrics" ? "metrics" : /^knowledge(\/|$)/.test(hash) ? "knowledge"
      : hash === "team" && isAdmin() ? "team" : "inbox";
    var views = ["inbox", "metrics", "knowledge", "team"];
    views.forEach(function (name) { $(name + "-view").hidden = name !== view; });
    markCurrent("nav-", views, view);
    stopPolling();
    if (view === "metrics") return loadMetrics();
    if (view === "team") return loadTeam();
    if (view === "knowledge") return routeKnowledge(hash.replace(/^knowledge\/?/, ""));
    var match = /^conversations\/([0-9a-f-]{36})$/i.exec(hash);
    openConversation(match ? match[1].toLowerCase() : null);
    inboxPoll.now();
  }

  // The link to the view shown gets aria-current="page", the others lose it.
  function markCurrent(prefix, names, current) {
    names.forEach(function (name) {
      if (name === current) $(prefix + name).setAttribute("aria-current", "page");
      else $(prefix + name).removeAttribute("aria-current");
    });
  }

  // ---- polling: only while the page is visible ----------------------------------------------------
  function poller(ms, fn) {
    var timer = null;
    var self = {
      now: function () {
        clearTimeout(timer);
        timer = null;
        if (document.hidden || !state.operator) return;
        Promise.resolve(fn()).catch(function () {}).then(self.arm);
      },
      arm: function () {
        clearTimeout(timer);
        timer = document.hidden || !state.operator ? null : setTimeout(self.now, ms);
      },
      stop: function () { clearTimeout(timer); timer = null; }
    };
    return self;
  }

  var inboxPoll = poller(INBOX_POLL_MS, loadInbox);
  var conversationPoll = poller(CONVERSATION_POLL_MS, function () { return state.current && loadConversation(); });
  var kbPoll = poller(KB_POLL_MS, loadKnowledge);

  function stopPolling() {
    inboxPoll.stop();
    conversationPoll.stop();
    kbPoll.stop();
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden || !state.operator || !$("metrics-view").hidden || !$("team-view").hidden) return stopPolling();
    if (!$("knowledge-view").hidden) return kbPoll.now();
    inboxPoll.now();
    if (state.current) conversationPoll.now();
  });

  // ---- inbox ----------------------------------------------------------------------------------
  function currentTab() { return $("tab-" + state.tab); }

  function selectTab(name, focus) {
    state.tab = name;
    each(".tab", function (tab) {
      var selected = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    });
    $("list-panel").setAttribute("aria-labelledby", "tab-" + name);
    if (focus) currentTab().focus();
    refreshList();
  }

  function refreshList() {
    state.listKey = "";
    state.pages = 1;
    $("list").textContent = "";
    $("list-empty").textContent = T.loading;
    $("list-empty").hidden = false;
    inboxPoll.now();
  }

  // Every page the operator has opened is fetched again on each poll (following the cursors), so
  // the list stays current as far down as they have read.
  function loadInbox() {
    var seq = ++state.inboxSeq;
    var items = [];
    function fetchPage(cursor, remaining) {
      var query = { limit: String(PAGE_SIZE) };
      Object.keys(TABS[state.tab]).forEach(function (key) { query[key] = TABS[state.tab][key]; });
      if (state.reason) query.reason = state.reason;
      if (state.q) query.q = state.q;
      if (cursor) query.cursor = cursor;
      return api("/conversations", { query: query }).then(function (page) {
        if (seq !== state.inboxSeq) return;
        if (!cursor) showCounts(page.counts);
        items = items.concat(page.conversations);
        if (page.next_cursor && remaining > 1) return fetchPage(page.next_cursor, remaining - 1);
        $("show-more").hidden = !page.next_cursor;
        renderList(unique(items));
      });
    }
    return fetchPage(null, state.pages).then(null, fail);
  }

  function showCounts(counts) {
    each("[data-count]", function (node) {
      var n = counts[node.dataset.count];
      node.textContent = n === undefined ? "" : String(n);
    });
  }

  // A conversation that moved up between two page reads would otherwise be listed twice.
  function unique(items) {
    var seen = {};
    return items.filter(function (item) { return seen[item.id] ? false : (seen[item.id] = true); });
  }

  function showMore() {
    state.pages += 1;
    inboxPoll.now();
  }

  function renderList(items) {
    var key = JSON.stringify(items) + "|" + state.current;
    if (sameKey(state, "listKey", key)) return;
    rebuildList($("list"), $("list-empty"), items, function (item) { return el("li", {}, [row(item)]); },
      state.reason || state.q ? T.emptyFiltered : T.empty[state.tab]);
  }

  // Records key as keys[name]; true when it was there already, so what it describes need not be drawn again.
  function sameKey(keys, name, key) {
    if (keys[name] === key) return true;
    keys[name] = key;
    return false;
  }

  // Rebuilds a list and its empty text; the row that had focus (by data-id) gets it back, so a poll does not move it.
  function rebuildList(list, emptyNode, items, build, emptyText) {
    var focused = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement.dataset.id : null;
    list.textContent = "";
    items.forEach(function (item) { list.appendChild(build(item)); });
    emptyNode.hidden = items.length > 0;
    emptyNode.textContent = emptyText;
    if (focused) {
      var again = list.querySelector('[data-id="' + CSS.escape(focused) + '"]');
      if (again) again.focus({ preventScroll: true });
    }
  }

  function visitor(id, email) {
    return email || fill(T.visitor, { id: id.slice(0, 6) });
  }

  function row(item) {
    var link = el("a", {
      class: "item" + (item.unread ? " has-unread" : ""), href: "#/conversations/" + item.id, "data-id": item.id,
      "aria-current": item.id === state.current ? "true" : null
    });
    link.appendChild(el("span", { class: "row" }, [
      el("span", { class: "who", text: visitor(item.id, item.contact_email) }),
      item.waiting_since && item.state === "waiting"
        ? relativeTime(item.waiting_since, "waiting") : relativeTime(item.last_activity_at, "ago")
    ]));
    link.appendChild(el("span", { class: "row" }, [
      el("span", { class: "preview", text: item.preview || "" }),
      item.unread ? el("span", { class: "unread" }, [
        el("span", { "aria-hidden": "true", text: String(item.unread) }),
        el("span", { class: "visually-hidden", text: fill(T.unread, { n: item.unread }) })
      ]) : null
    ]));
    link.appendChild(el("span", { class: "row meta" }, [
      state.tab === "all" ? el("span", { class: "state " + item.state, text: stateName(item.state) }) : null,
      item.reason_kind ? reasonChip(item.reason_kind, item.reason) : null,
      el("span", { text: item.assignee || T.unassigned }),
      item.thumbs_up ? mark("up", item.thumbs_up, T.helpfulCount) : null,
      item.thumbs_down ? mark("down", item.thumbs_down, T.unhelpfulCount) : null,
      typeof item.csat === "number"
        ? el("span", { class: "mark" }, [icon("star"), fill(T.csatMark, { n: item.csat })]) : null
    ]));
    return link;
  }

  function reasonChip(kind, reason) {
    var label = T["reason_" + kind] || kind;
    return el("span", { class: "chip " + kind, text: label, title: reason || null });
  }

  function mark(kind, n, template) {
    return el("span", { class: "mark " + kind }, [
      icon("thumb"), el("span", { "aria-hidden": "true", text: String(n) }),
      el("span", { class: "visually-hidden", text: fill(template, { n: n }) })
    ]);
  }

  function onTabKey(e) {
    var names = Object.keys(TABS);
    var index = names.indexOf(state.tab);
    var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: names.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(names[(next + names.length) % names.length], true);
  }

  // ---- one conversation ---------------------------------------------------------------------------
  function openConversation(id) {
    var changed = id !== state.current;
    var previous = state.current;
    state.current = id;
    $("inbox-view").classList.toggle("show-conversation", Boolean(id));
    each(".item", function (link) {
      if (link.dataset.id === id) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    state.listKey = "";
    if (!id) {
      state.detail = null;
      $("conv").hidden = true;
      $("conv-empty").hidden = false;
      // Back from a conversation (on a phone): return to its row rather than to the top of the page.
      var row = previous && $("list").querySelector('[data-id="' + previous + '"]');
      if (row) row.focus();
      return;
    }
    if (!changed && state.detail) return conversationPoll.now();
    state.detail = null;
    state.detailKey = "";
    $("conv").classList.remove("details-open");
    $("details-toggle").setAttribute("aria-expanded", "false");
    $("composer-text").value = "";
    setMode("reply");
    loadConversation().then(function () {
      if (state.current !== id) return;
      if (state.detail) $("conv-title").focus({ preventScroll: true });
      conversationPoll.arm();
      inboxPoll.now();  // reading it cleared its unread mark
    });
  }

  function loadConversation() {
    var id = state.current;
    var seq = ++state.detailSeq;
    return api("/conversations/" + encodeURIComponent(id)).then(function (detail) {
      if (seq !== state.detailSeq || id !== state.current) return;
      renderConversation(detail);
    }, function (error) {
      if (error.status === 404 || error.status === 422) {
        notify(T.notFound);
        location.hash = "#/";
      } else fail(error);
    });
  }

  function renderConversation(detail) {
    var key = JSON.stringify(detail);
    if (key === state.detailKey) return;
    var fresh = !state.detail || state.detail.id !== detail.id;
    var log = $("transcript");
    var top = log.scrollTop;
    if (fresh) state.follow = true;
    state.detailKey = key;
    state.detail = detail;
    $("conv-empty").hidden = true;
    $("conv").hidden = false;
    $("conv-title").textContent = visitor(detail.id, detail.contact_email);
    var sub = $("conv-sub");
    sub.textContent = "";
    sub.appendChild(el("span", { class: "state " + detail.state, text: T.states[detail.state] || detail.state }));
    if (detail.reason_kind) sub.appendChild(reasonChip(detail.reason_kind, null));
    if (detail.reason) sub.appendChild(el("span", { class: "reason-text", text: detail.reason }));
    var owner = detail.assignee ? fill(T.assignedTo, { name: detail.assignee }) : T.unassigned;
    sub.appendChild(el("span", { text: owner }));
    $("summary-text").textContent = detail.summary || T.noSummary;
    $("summary-text").classList.toggle("empty", !detail.summary);
    // Open on a wide screen; on a phone one tap away, so that the transcript keeps the room.
    if (fresh) $("summary").open = !window.matchMedia("(max-width: 760px)").matches;
    renderActions(detail);
    renderTranscript(detail.messages);
    renderFacts(detail);
    renderCsat(detail.csat);
    renderHistory(detail.history);
    updateHint();
    if (state.follow) toEnd();
    else {
      log.scrollTop = top;
      $("new-messages").hidden = newestId() <= state.seenId;
    }
  }

  // ---- following the transcript: at its end unless the agent scrolled up (then a marker) ----------
  // Whether the agent is reading the end is known from their scrolling, not measured at each render:
  // a notice or the composer growing shrinks the transcript without the agent moving away from its end.
  function atEnd(log) { return log.scrollHeight - log.scrollTop - log.clientHeight < 40; }

  function newestId() {
    var messages = state.detail ? state.detail.messages : [];
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

  function bindTranscript() {
    var log = $("transcript");
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

  function isMine(detail) {
    return Boolean(state.operator && detail.assignee_id === state.operator.id);
  }

  function renderActions(detail) {
    var allowed = ACTIONS[detail.state] || [];
    var focused = document.activeElement;
    each("[data-action]", function (button) {
      var action = button.dataset.action;
      var show = allowed.indexOf(action) >= 0 && !(action === "take_over" && isMine(detail));
      if (action === "assign") button.closest(".assign").hidden = !show;
      else button.hidden = !show;
    });
    var select = $("assign-to");
    var chosen = select.value;
    select.textContent = "";
    select.appendChild(el("option", { value: "", text: T.chooseOperator }));
    state.operators.forEach(function (operator) {
      if (!operator.active || operator.id === detail.assignee_id) return;
      select.appendChild(el("option", { value: operator.id, text: operator.display_name }));
    });
    select.value = chosen;
    if (select.value !== chosen) select.value = "";
    $("actions").querySelector('[data-action="assign"]').disabled = !select.value || state.acting;
    // A hidden button cannot keep focus: move it to the heading rather than losing it to <body>.
    if (focused && focused.closest && focused.closest("[hidden]")) $("conv-title").focus({ preventScroll: true });
  }

  function act(action) {
    var detail = state.detail;
    if (!detail || state.acting) return;
    var body = { action: action };
    if (action === "assign") body.operator_id = $("assign-to").value;
    setActing(true);
    sendOnce("/conversations/" + detail.id + "/actions", body).then(function (updated) {
      if (state.current === updated.id) renderConversation(updated);
      notify(T.done[action], true);
      inboxPoll.now();
    }, fail).then(function () { setActing(false); });
  }

  // Asks for a new summary for the team (from the messages as they are now), then shows it.
  function refreshSummary() {
    var detail = state.detail;
    var button = $("summary-refresh");
    if (!detail || button.disabled) return;
    button.disabled = true;
    button.textContent = T.refreshingSummary;
    sendOnce("/conversations/" + detail.id + "/summary", {}).then(function () {
      notify(T.summaryRefreshed, true);
      return detail.id === state.current ? loadConversation() : null;
    }, fail).then(function () {
      button.disabled = false;
      button.textContent = T.refreshSummary;
    });
  }

  // While an action is on its way, none can be clicked (a second click would ask for it again).
  function setActing(acting) {
    state.acting = acting;
    $("actions").setAttribute("aria-busy", String(acting));
    each("#actions button[data-action]", function (button) {
      button.disabled = acting || (button.dataset.action === "assign" && !$("assign-to").value);
    });
  }

  function renderTranscript(messages) {
    var log = $("transcript");
    log.textContent = "";
    messages.forEach(function (message) { log.appendChild(messageNode(message)); });
  }

  function messageNode(message) {
    var sender = message.sender;
    var who = { user: T.customerName, bot: T.bot, system: T.system }[sender] || message.author || T.agent;
    var by = el("div", { class: "by" }, [el("span", { class: "author", text: who }), clock(message.created_at)]);
    if (message.internal) by.appendChild(el("span", { class: "note-label", text: T.internalNote }));
    if (sender === "bot" && message.decision) {
      by.appendChild(el("span", { class: "tag " + message.decision },
        [el("span", { class: "visually-hidden", text: T.decisionLabel + ": " }),
          T.decisions[message.decision] || message.decision]));
    }
    var node = el("li", { class: "msg " + sender + (message.internal ? " note" : ""), "data-id": String(message.id) }, [
      by, el("div", { class: "bubble", text: message.content })
    ]);
    if (message.sources && message.sources.length) {
      var list = el("ul", { class: "sources", "aria-label": T.sources },
        [el("li", { "aria-hidden": "true", text: T.sources + ":" })]);
      message.sources.forEach(function (source) {
        var safe = source.url && /^https?:\/\//i.test(source.url);
        list.appendChild(el("li", {}, [safe
          ? el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer", text: source.question })
          : el("span", { text: source.question })]));
      });
      node.appendChild(list);
    }
    if (message.feedback) {
      var up = message.feedback === "up";
      node.appendChild(el("div", { class: "feedback" }, [
        el("span", { class: "visually-hidden", text: T.ratedBy }),
        el("span", { class: "mark " + (up ? "up" : "down") }, [icon("thumb"), up ? T.helpful : T.unhelpful]),
        message.feedback_comment ? el("q", { text: message.feedback_comment }) : null
      ]));
    }
    return node;
  }

  function renderFacts(detail) {
    var facts = $("facts");
    facts.textContent = "";
    var add = function (label, value) {
      if (value !== null && value !== undefined && value !== "") addFact(facts, label, value);
    };
    add(T.contactEmail, detail.contact_email);
    add(T.locale, detail.locale);
    Object.keys(detail.attributes || {}).forEach(function (name) {
      var value = detail.attributes[name];
      add(name.charAt(0).toUpperCase() + name.slice(1), typeof value === "string" ? value : JSON.stringify(value));
    });
    add(T.started, clock(detail.created_at));
    add(T.conversationId, detail.id);
  }

  function addFact(list, label, value) {
    list.appendChild(el("dt", { text: label }));
    list.appendChild(el("dd", {}, [value]));
  }

  function renderCsat(csat) {
    var box = $("csat");
    $("csat-box").hidden = !csat;
    box.textContent = "";
    if (!csat) return;
    var filled = Math.max(0, Math.min(5, csat.rating));
    var stars = "★★★★★".slice(0, filled) + "☆☆☆☆☆".slice(0, 5 - filled);
    box.appendChild(el("div", {}, [
      el("span", { class: "csat", "aria-hidden": "true", text: stars }), " ",
      el("strong", { text: csat.rating + " / 5" })
    ]));
    if (csat.comment) box.appendChild(el("p", { class: "csat-comment" }, [el("q", { text: csat.comment })]));
  }

  function stateName(value) { return T.states[value] || value; }

  function renderHistory(history) {
    var list = $("history");
    list.textContent = "";
    history.slice().reverse().forEach(function (change) {
      var states = stateName(change.from_state) + " → " + stateName(change.to_state);
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

  // ---- composer -------------------------------------------------------------------------------
  function isNote() { return document.querySelector('input[name="mode"]:checked').value === "note"; }

  function setMode(mode) {
    document.querySelector('input[name="mode"][value="' + mode + '"]').checked = true;
    updateHint();
  }

  function updateHint() {
    var note = isNote();
    $("composer").classList.toggle("note-mode", note);
    $("composer-text").placeholder = note ? T.notePlaceholder : T.replyPlaceholder;
    $("composer-label").textContent = note ? T.noteLabel : T.replyLabel;
    $("send").textContent = note ? T.addNote : T.send;
    var detail = state.detail;
    $("composer-hint").textContent = note ? T.noteHint : detail && !detail.assignee_id ? T.replyTakesOver : "";
  }

  function submitComposer() {
    var text = $("composer-text").value.trim();
    var detail = state.detail;
    if (!text || !detail || state.sending) return;
    var note = isNote();
    state.sending = true;
    $("send").disabled = true;
    sendOnce("/conversations/" + detail.id + "/messages", { content: text, internal: note })
      .then(function () {
        if ($("composer-text").value.trim() === text) $("composer-text").value = "";
        notify(note ? T.noteAdded : T.replySent, true);
        state.follow = true;  // what the agent just wrote is shown, wherever they were reading
        return loadConversation();
      }, fail)
      .then(function () {
        state.sending = false;
        $("send").disabled = false;
        inboxPoll.now();
      });
  }

  // ---- the team (admins only): add, re-role and remove operators ------------------------------------
  function loadTeam() {
    return api("/operators").then(function (list) {
      state.operators = list.operators;
      var active = list.operators.filter(function (operator) { return operator.active; });
      rebuildList($("team-list"), $("team-empty"), active, teamRow, T.teamEmpty);
    }, fail);
  }

  function teamRow(operator) {
    var me = Boolean(state.operator && operator.id === state.operator.id);
    var name = operator.display_name;
    var role = el("select", { "aria-label": fill(T.teamRoleOf, { name: name }), disabled: me }, [
      el("option", { value: "agent", text: T.roleAgent }), el("option", { value: "admin", text: T.roleAdmin })
    ]);
    role.value = operator.role;
    role.addEventListener("change", function () { changeRole(operator, role); });
    var actions = el("div", { class: "actions" });
    if (!me) showRemove(operator, actions);
    return el("tr", { "data-operator": operator.id }, [
      el("td", {}, [name, me ? el("span", { class: "you", text: " " + T.teamYou }) : null]),
      el("td", { text: operator.email }), el("td", {}, [role]), el("td", {}, [actions])
    ]);
  }

  function changeRole(operator, select) {
    var role = select.value;
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
    var remove = el("button", { class: "btn danger", type: "button", "data-team": "remove", text: T.teamRemove,
      onclick: function () { confirmRemove(operator, box); } });
    box.appendChild(remove);
    return remove;
  }

  function confirmRemove(operator, box) {
    box.textContent = "";
    var yes = el("button", { class: "btn danger", type: "button", "data-team": "confirm", text: T.teamRemoveYes,
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
    var body = { email: $("team-email").value.trim(), role: $("team-role").value };
    if ($("team-name").value.trim()) body.display_name = $("team-name").value.trim();
    $("team-add-button").disabled = true;
    api("/operators", { method: "POST", body: body }).then(function (added) {
      notify(fill(T.teamAdded, { name: added.display_name }), true);
      $("team-add").reset();
      return loadTeam();
    }, fail).then(function () { $("team-add-button").disabled = false; });
  }

  // ---- operators (for Assign) --------------------------------------------------------------------
  function loadOperators() {
    return api("/operators").then(function (list) {
      state.operators = list.operators;
      if (state.detail) renderActions(state.detail);
    }, fail);
  }

  // ---- metrics ----------------------------------------------------------------------------------
  function isoDay(date) {
    var local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 10);
  }

  function defaultRange() {
    if ($("range-to").value) return;
    var today = new Date();
    $("range-to").value = isoDay(today);
    $("range-from").value = isoDay(new Date(today.getTime() - 6 * 86400000));
  }

  function loadMetrics() {
    defaultRange();
    var from = new Date($("range-from").value + "T00:00:00");
    var to = new Date($("range-to").value + "T00:00:00");
    to.setDate(to.getDate() + 1);
    var body = $("metrics-body");
    body.textContent = "";
    body.appendChild(el("p", { class: "muted", text: T.loading }));
    return api("/metrics", { query: { from: from.toISOString(), to: to.toISOString() } }).then(function (figures) {
      body.textContent = "";
      body.appendChild(renderMetrics(figures));
    }, function (error) {
      body.textContent = "";
      if (error.status === 404) {
        body.appendChild(el("div", { class: "metrics-unavailable" }, [
          el("p", {}, [el("strong", { text: T.noMetrics })]), el("p", { text: T.noMetricsHint })
        ]));
      } else fail(error);
    });
  }

  function percent(value) {
    if (value === null || value === undefined) return T.m.none;
    return Math.round(value * 1000) / 10 + " %";
  }

  function number(value) {
    return value === null || value === undefined ? T.m.none : Number(value).toLocaleString();
  }

  function renderMetrics(f) {
    var cost = f.estimated_cost_usd;
    var money = cost === null || cost === undefined ? T.m.none : new Intl.NumberFormat(undefined,
      { style: "currency", currency: "USD", maximumFractionDigits: cost > 0 && cost < 1 ? 4 : 2 }).format(cost);
    var csat = f.csat_average === null || f.csat_average === undefined ? T.m.none : f.csat_average.toFixed(2) + " / 5";
    var cards = [
      [T.m.conversations, number(f.conversations)],
      [T.m.bot_resolved_rate, percent(f.bot_resolved_rate)],
      [T.m.handover_rate, percent(f.handover_rate)],
      [T.m.median_first_response_seconds, duration(f.median_first_response_seconds)],
      [T.m.median_resolution_seconds, duration(f.median_resolution_seconds)],
      [T.m.csat_average, csat,
        fill(T.m.responses, { n: number(f.csat_responses), rate: percent(f.csat_response_rate) })],
      [T.m.thumbs, number(f.thumbs_up) + " / " + number(f.thumbs_down)],
      [T.m.unanswered_questions, number(f.unanswered_questions)],
      [T.m.tokens, number(f.model_input_tokens) + " / " + number(f.model_output_tokens)],
      [T.m.estimated_cost_usd, money]
    ];
    var wrap = el("div");
    var list = el("dl", { class: "cards" });
    cards.forEach(function (card) {
      list.appendChild(el("div", { class: "card-metric" }, [
        el("dt", { text: card[0] }),
        el("dd", {}, [card[1], card[2] ? el("span", { class: "sub", text: card[2] }) : null])
      ]));
    });
    wrap.appendChild(list);
    var reasons = f.handovers_by_reason || {};
    var kinds = Object.keys(reasons).sort(function (a, b) { return reasons[b] - reasons[a]; });
    var max = Math.max.apply(null, [1].concat(kinds.map(function (k) { return reasons[k]; })));
    var box = el("section", { class: "panel-box", "aria-labelledby": "by-reason" },
      [el("h3", { id: "by-reason", text: T.m.byReason })]);
    if (!kinds.length) box.appendChild(el("p", { class: "muted", text: T.m.noHandovers }));
    else {
      var bars = el("ul", { class: "bars" });
      kinds.forEach(function (kind) {
        var bar = el("span", { class: "bar" });
        bar.style.width = Math.round((reasons[kind] / max) * 100) + "%";
        bars.appendChild(el("li", {}, [
          el("span", { text: T["reason_" + kind] || kind }), el("span", {}, [bar]),
          el("strong", { text: String(reasons[kind]) })
        ]));
      });
      box.appendChild(bars);
    }
    wrap.appendChild(box);
    return wrap;
  }

  // ---- knowledge: #/knowledge the entries, /entries/<id> one, /new, /try, /gaps, /review, /cases -----
  function routeKnowledge(rest) {
    var match = /^entries\/(.+)$/.exec(rest);
    var view = match || rest === "new" || !rest ? "entries" : rest;
    if (KB_VIEWS.indexOf(view) < 0) view = "entries";
    if (view !== state.kb.view) {
      state.kb.keys = {};
      if (KB_LISTS[view]) showListLoading(view);
    }
    state.kb.view = view;
    each("[data-kb-view]", function (panel) { panel.hidden = panel.dataset.kbView !== view; });
    markCurrent("kb-tab-", KB_VIEWS, view);
    if (view === "entries") {
      if (match) loadEntry(decodeURIComponent(match[1]));
      else if (rest === "new") openNewEntry();
      else closeEditor();
    }
    kbPoll.now();
  }

  // Setting the hash it already has would not route: route at once instead.
  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  function entryHash(id) { return "#/knowledge/entries/" + encodeURIComponent(id); }

  // The entries on every poll (for the list, the review count and the gaps' choice of entry), then the view's own list.
  function loadKnowledge() {
    var view = state.kb.view;
    return api("/kb/entries").then(function (body) {
      state.kb.entries = body.entries;
      renderEntries();
      var load = { gaps: loadGaps, review: loadReview, cases: loadCases }[view];
      return load && state.kb.view === view ? load() : null;
    }).then(null, fail);
  }

  // ---- the entries list ----
  function renderEntries() {
    var q = $("kb-search").value.trim().toLowerCase();
    var shown = state.kb.entries.filter(function (entry) { return !q || entryMatches(entry, q); });
    var current = state.kb.editing && state.kb.editing.id;
    var key = JSON.stringify(shown) + "|" + current;
    var toReview = state.kb.entries.reduce(function (sum, entry) { return sum + entry.replies_to_review; }, 0);
    $("kb-review-count").textContent = toReview ? String(toReview) : "";
    if (sameKey(state.kb.keys, "entries", key)) return;
    rebuildList($("kb-list"), $("kb-list-empty"), shown,
      function (entry) { return el("li", {}, [entryRow(entry, current)]); }, q ? T.kbEmptyFiltered : T.kbEmpty);
  }

  function entryMatches(entry, q) {
    var text = [entry.id, entry.question, entry.answer].concat(entry.keywords, entry.examples).join("\n");
    return text.toLowerCase().indexOf(q) >= 0;
  }

  function entryRow(entry, current) {
    var toReview = entry.replies_to_review;
    return el("a", {
      class: "item", href: entryHash(entry.id), "data-id": entry.id,
      "aria-current": entry.id === current ? "true" : null
    }, [
      el("span", { class: "row" }, [
        el("span", { class: "who", text: entry.question }),
        el("span", { class: "when", text: fill(T.kbVersion, { n: entry.version }) })
      ]),
      el("span", { class: "row" }, [
        el("span", { class: "kb-id", text: entry.id }),
        toReview ? el("span", { class: "chip review", "data-testid": "review-badge",
          text: fill(T.kbToReview, { n: toReview }) }) : null
      ])
    ]);
  }

  function entryById(id) {
    return state.kb.entries.filter(function (entry) { return entry.id === id; })[0] || null;
  }

  // ---- the editor ----
  function loadEntry(id) {
    var seq = ++state.kb.seq;
    return api("/kb/entries/" + encodeURIComponent(id)).then(function (detail) {
      if (seq !== state.kb.seq) return;
      fillEditor(detail.entry, { id: detail.entry.id, version: detail.entry.version, gap: null });
      renderVersions(detail.versions);
      $("kb-editor-title").focus({ preventScroll: true });
    }, function (error) {
      if (seq !== state.kb.seq) return;
      if (error.status === 404 || error.status === 422) {
        notify(T.kbNotFound);
        location.hash = "#/knowledge";
      } else fail(error);
    });
  }

  // A blank entry, or the draft a gap's "New entry…" prepared (publishing it approves the gap).
  function openNewEntry() {
    var pending = state.kb.pending;
    state.kb.pending = null;
    state.kb.seq++;
    fillEditor(pending ? pending.draft : {}, { id: null, version: null, gap: pending ? pending.gap : null });
    $("kb-draft-review").hidden = !(pending && pending.draft.needs_review);
    renderVersions([]);
    $("kb-question").focus();
  }

  function closeEditor() {
    state.kb.seq++;
    state.kb.editing = null;
    $("kb-editor").hidden = true;
    $("kb-empty").hidden = false;
    $("kb-entries").classList.remove("show-editor");
    renderEntries();
  }

  function fillEditor(entry, editing) {
    state.kb.editing = editing;
    resetEditorAlerts();
    $("kb-id-row").hidden = Boolean(editing.id);
    $("kb-id").value = "";
    $("kb-question").value = entry.question || "";
    $("kb-answer").value = entry.answer || "";
    $("kb-examples").value = (entry.examples || []).join("\n");
    $("kb-keywords").value = (entry.keywords || []).join(", ");
    $("kb-url").value = entry.url || "";
    LANGS.forEach(function (lang) {
      var translation = (entry.translations || {})[lang] || {};
      $("kb-tr-" + lang + "-question").value = translation.question || "";
      $("kb-tr-" + lang + "-answer").value = translation.answer || "";
      $("kb-tr-" + lang + "-examples").value = (translation.examples || []).join("\n");
    });
    $("kb-fields").disabled = !isAdmin();
    $("kb-retire").hidden = !editing.id;
    renderEditorHead(entry, editing);
    $("kb-empty").hidden = true;
    $("kb-editor").hidden = false;
    $("kb-entries").classList.add("show-editor");
    renderEntries();
  }

  function renderEditorHead(entry, editing) {
    $("kb-editor-title").textContent = editing.id ? entry.question : T.kbNewTitle;
    var sub = $("kb-editor-sub");
    sub.textContent = "";
    if (editing.id) {
      sub.appendChild(el("span", { class: "chip", text: entry.id }));
      sub.appendChild(el("span", { id: "kb-editor-version", text: fill(T.kbVersion, { n: entry.version }) }));
      sub.appendChild(el("span", { text: fill(T.kbUpdated, { t: new Date(entry.updated_at).toLocaleString() }) }));
      if (entry.replies_to_review) {
        sub.appendChild(el("a", { class: "chip review", href: "#/knowledge/review",
          text: fill(T.kbToReview, { n: entry.replies_to_review }) }));
      }
    } else if (editing.gap) {
      sub.appendChild(el("span", { id: "kb-editor-gap", text: fill(T.kbFromGap, { n: editing.gap.message_ids.length }) }));
    }
  }

  function renderVersions(versions) {
    var list = $("kb-versions");
    list.textContent = "";
    if (!versions.length) list.appendChild(el("li", { class: "muted", text: T.kbNoVersions }));
    versions.forEach(function (version) {
      var what = version.retired ? T.kbRetiredMark : version.version === 1 || !version.changed.length ? T.kbCreated
        : fill(T.kbChanged, { fields: version.changed.join(", ") });
      list.appendChild(el("li", { "data-version": String(version.version) }, [
        el("span", { class: "change", text: fill(T.kbVersion, { n: version.version }) }),
        el("span", { class: "why", text: what + " · " + fill(T.by, { name: version.author }) }),
        clock(version.created_at)
      ]));
    });
  }

  function lines(text) {
    return text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
  }

  // The form as an EntryDraft (shared/knowledge_schemas.py); a translation left blank is left out.
  function readDraft() {
    var draft = {
      question: $("kb-question").value.trim(),
      answer: $("kb-answer").value.trim(),
      examples: lines($("kb-examples").value),
      keywords: $("kb-keywords").value.split(",").map(function (k) { return k.trim(); }).filter(Boolean),
      url: $("kb-url").value.trim() || null,
      translations: {}
    };
    LANGS.forEach(function (lang) {
      var translation = {
        question: $("kb-tr-" + lang + "-question").value.trim(),
        answer: $("kb-tr-" + lang + "-answer").value.trim(),
        examples: lines($("kb-tr-" + lang + "-examples").value)
      };
      if (translation.question || translation.answer || translation.examples.length) draft.translations[lang] = translation;
    });
    if (!state.kb.editing.id && $("kb-id").value.trim()) draft.id = $("kb-id").value.trim();
    return draft;
  }

  function resetEditorAlerts() {
    state.kb.checked = null;
    $("kb-retire-confirm").hidden = true;
    $("kb-conflict").hidden = true;
    $("kb-broken").hidden = true;
    $("kb-draft-review").hidden = true;
    $("kb-editor-error").textContent = "";
  }

  function setEditorBusy(busy) {
    state.kb.busy = busy;
    ["kb-save", "kb-publish-anyway", "kb-retire-yes"].forEach(function (id) { $(id).disabled = busy; });
  }

  // Save = check the draft against the regression set, then publish; broken cases wait for "Publish anyway".
  function saveEntry() {
    var editing = state.kb.editing;
    if (!editing || state.kb.busy) return;
    var draft = readDraft();
    resetEditorAlerts();
    setEditorBusy(true);
    var check = Object.assign(editing.id ? { entry_id: editing.id } : {}, draft);
    api("/kb/check", { method: "POST", body: check }).then(function (result) {
      if (result.broken.length) return showBroken(result, draft);
      return publish(draft);
    }).then(null, editorFailed).then(function () { setEditorBusy(false); });
  }

  function showBroken(result, draft) {
    state.kb.checked = draft;
    $("kb-broken-text").textContent = fill(T.kbBroken, { n: result.broken.length, total: result.cases });
    var rows = $("kb-broken-list");
    rows.textContent = "";
    result.broken.forEach(function (broken) {
      rows.appendChild(el("tr", {}, [
        el("td", { text: broken.query }),
        el("td", { text: broken.expected.join(", ") }),
        el("td", { text: broken.answered.length ? broken.answered.join(", ") : T.kbNothing })
      ]));
    });
    $("kb-broken").hidden = false;
    setEditorBusy(false);
    $("kb-publish-anyway").focus();
  }

  function publishAnyway() {
    var draft = state.kb.checked;
    if (!draft || state.kb.busy) return;
    resetEditorAlerts();
    setEditorBusy(true);
    publish(draft).then(null, editorFailed).then(function () { setEditorBusy(false); });
  }

  // A gap's draft is published by approving the gap; an edit names the version it was made from.
  function publish(draft) {
    var editing = state.kb.editing;
    var request;
    if (editing.gap) {
      request = api("/kb/gaps/approve", { method: "POST", body: { message_ids: editing.gap.message_ids, new_entry: draft } });
    } else if (editing.id) {
      var body = Object.assign({ base_version: editing.version }, draft);
      request = api("/kb/entries/" + encodeURIComponent(editing.id), { method: "PUT", body: body });
    } else {
      request = api("/kb/entries", { method: "POST", body: draft });
    }
    return request.then(function (saved) {
      if (editing.gap) notify(fill(T.kbApproved, { n: saved.cases_added }), true);
      else notify(saved.changed.length ? fill(T.kbSaved, { n: saved.version }) : T.kbUnchanged, true);
      go(entryHash(saved.entry.id));
    });
  }

  // A 409 on an entry that exists: someone saved since it was loaded; never overwrite, offer the newest.
  function editorFailed(error) {
    if (error.status === 401) return;
    if (error.status === 409 && state.kb.editing && state.kb.editing.id) {
      $("kb-conflict-text").textContent = error.message + " " + T.kbConflictHint;
      $("kb-conflict").hidden = false;
      $("kb-reload").focus();
      return;
    }
    var box = $("kb-editor-error");
    box.textContent = "";
    box.appendChild(el("p", { text: error.message }));
    if (error.details.length) {
      box.appendChild(el("ul", {}, error.details.map(function (detail) {
        return el("li", { text: detail.field + ": " + detail.message });
      })));
    }
  }

  function retireEntry() {
    var editing = state.kb.editing;
    if (!editing || !editing.id || state.kb.busy) return;
    setEditorBusy(true);
    var body = { base_version: editing.version };
    api("/kb/entries/" + encodeURIComponent(editing.id) + "/retire", { method: "POST", body: body }).then(function () {
      notify(T.kbRetired, true);
      location.hash = "#/knowledge";
    }, function (error) {
      $("kb-retire-confirm").hidden = true;
      editorFailed(error);
    }).then(function () { setEditorBusy(false); });
  }

  function buildTranslationFields() {
    var box = $("kb-translations");
    LANGS.forEach(function (lang) {
      var id = "kb-tr-" + lang + "-";
      box.appendChild(el("fieldset", {}, [
        el("legend", { text: T.langs[lang] }),
        field(T.kbQuestion, el("input", { id: id + "question", lang: lang, maxlength: "500", autocomplete: "off" })),
        field(T.kbAnswer, el("textarea", { id: id + "answer", lang: lang, maxlength: "10000" })),
        field(T.kbExamples, el("textarea", { id: id + "examples", lang: lang }), T.kbExamplesHint)
      ]));
    });
  }

  function field(label, control, hint) {
    return el("label", { class: "field" }, [
      el("span", { text: label }), control, hint ? el("span", { class: "hint", text: hint }) : null
    ]);
  }

  // ---- try it ----
  function tryQuestion() {
    var body = { question: $("kb-try-question").value.trim() };
    if (!body.question) return;
    if ($("kb-try-locale").value) body.locale = $("kb-try-locale").value;
    var out = $("kb-try-result");
    out.textContent = "";
    out.appendChild(el("p", { class: "muted", text: T.loading }));
    $("kb-try-run").disabled = true;
    api("/kb/try", { method: "POST", body: body }).then(function (result) {
      out.textContent = "";
      out.appendChild(renderTry(result));
    }, function (error) {
      out.textContent = "";
      fail(error);
    }).then(function () { $("kb-try-run").disabled = false; });
  }

  function renderTry(result) {
    var facts = el("dl", { class: "facts" });
    var add = function (label, value) { addFact(facts, label, value); };
    add(T.kbDecision, el("span", { id: "kb-try-decision", class: "decision " + result.decision,
      "data-decision": result.decision, text: T.kbDecisions[result.decision] || result.decision }));
    add(T.kbAnsweredWith, result.answered_with.join(", ") || T.m.none);
    add(T.kbThreshold, el("span", { id: "kb-try-threshold", text: score(result.threshold) }));
    add(T.kbLanguage, el("span", { id: "kb-try-language", text: result.language }));
    add(T.kbMode, result.mode);
    if (result.parts.length) {  // only when the message asks several things
      add(T.kbParts, el("ol", { id: "kb-try-parts" }, result.parts.map(function (part) {
        return el("li", { text: part });
      })));
    }
    var box = el("div", {}, [el("div", { class: "panel-box" }, [facts])]);
    if (!result.candidates.length) box.appendChild(el("p", { class: "muted", text: T.kbNoCandidates }));
    else box.appendChild(el("div", { class: "panel-box" }, [candidatesTable(result.candidates)]));
    return box;
  }

  function score(value) {
    return value === null || value === undefined ? T.m.none : Number(value).toFixed(3);
  }

  function candidatesTable(candidates) {
    var head = [T.kbEntry, T.kbScore].concat(FEATURES, [T.kbFits]);
    return table("kb-try-candidates", head, candidates.map(function (candidate) {
      return el("tr", { class: candidate.fits ? "fits" : null, "data-id": candidate.id }, [
        el("td", {}, [el("a", { href: entryHash(candidate.id), text: candidate.question }),
          el("div", { class: "kb-id", text: candidate.id })]),
        el("td", { class: "num", text: score(candidate.score) })
      ].concat(FEATURES.map(function (name) {
        return el("td", { class: "num", "data-feature": name, text: score(candidate.features[name]) });
      }), [el("td", { text: candidate.fits ? T.yes : T.no })]));
    }));
  }

  function table(id, headings, rows) {
    return el("table", { class: "data", id: id }, [
      el("thead", {}, [el("tr", {}, headings.map(function (h) { return el("th", { text: h }); }))]),
      el("tbody", {}, rows)
    ]);
  }

  // ---- gaps, review, cases: lists re-rendered only when what they show changed ----
  var KB_LISTS = { gaps: "kb-gap-list", review: "kb-review-list", cases: "kb-case-list" };

  // Not the list as it was when last shown: it is loaded again (aria-busy until then).
  function showListLoading(name) {
    $(KB_LISTS[name]).textContent = "";
    $(KB_LISTS[name]).setAttribute("aria-busy", "true");
    $("kb-" + name + "-empty").textContent = T.loading;
    $("kb-" + name + "-empty").hidden = false;
  }

  function renderKbList(name, items, build) {
    var names = state.kb.entries.map(function (entry) { return [entry.id, entry.question]; });
    var key = JSON.stringify([items, names, isAdmin()]);
    if (sameKey(state.kb.keys, name, key)) return;
    var list = $(KB_LISTS[name]);
    list.removeAttribute("aria-busy");
    rebuildList(list, $("kb-" + name + "-empty"), items, build,
      T["kb" + name.charAt(0).toUpperCase() + name.slice(1) + "Empty"]);
  }

  function loadGaps() {
    return api("/kb/gaps").then(function (body) { renderKbList("gaps", body.groups, gapCard); });
  }

  function gapCard(group) {
    var reasons = Object.keys(group.reasons || {}).filter(function (kind) { return group.reasons[kind] > 0; });
    var card = el("li", { class: "kb-card gap", "data-key": group.key }, [
      el("h2", { text: group.count === 1 ? T.kbAskedOnce : fill(T.kbAsked, { n: group.count }) }),
      el("ul", { class: "quotes" }, group.examples.map(function (text) { return el("li", {}, [el("q", { text: text })]); })),
      el("div", { class: "row meta" }, [T.kbLastSeen + " ", clock(group.last_seen)].concat(reasons.map(function (kind) {
        return el("span", { class: "chip", "data-reason": kind,
          text: (T.gapReasons[kind] || kind) + " × " + group.reasons[kind] });
      })))
    ]);
    if (isAdmin()) card.appendChild(gapActions(group));
    return card;
  }

  function gapActions(group) {
    var select = el("select", { class: "gap-entry", "aria-label": T.kbChooseEntry },
      [el("option", { value: "", text: T.kbChooseEntry })].concat(state.kb.entries.map(function (entry) {
        return el("option", { value: entry.id, text: entry.question });
      })));
    select.value = group.suggestion ? group.suggestion.id : "";
    var add = el("button", { class: "btn", type: "button", "data-gap-action": "add", text: T.kbAddTo,
      disabled: !select.value, onclick: function () { approveGap(group, select.value); } });
    select.addEventListener("change", function () { add.disabled = !select.value; });
    return el("div", { class: "actions" }, [select, add,
      el("button", { class: "btn", type: "button", "data-gap-action": "new", text: T.kbNewFromGap,
        onclick: function () { draftFromGap(group); } }),
      el("button", { class: "btn ghost", type: "button", "data-gap-action": "dismiss", text: T.dismiss,
        onclick: function () { dismissGap(group); } })
    ]);
  }

  function approveGap(group, entryId) {
    var body = { message_ids: group.message_ids, entry_id: entryId };
    api("/kb/gaps/approve", { method: "POST", body: body }).then(function (result) {
      notify(fill(T.kbAddedTo, { n: result.cases_added, entry: result.entry.question }), true);
      kbPoll.now();
    }, fail);
  }

  function draftFromGap(group) {
    api("/kb/gaps/draft", { method: "POST", body: { message_ids: group.message_ids } }).then(function (draft) {
      state.kb.pending = { draft: draft, gap: { message_ids: group.message_ids } };
      go("#/knowledge/new");
    }, fail);
  }

  function dismissGap(group) {
    api("/kb/gaps/dismiss", { method: "POST", body: { message_ids: group.message_ids } }).then(function () {
      notify(T.kbDismissed, true);
      kbPoll.now();
    }, fail);
  }

  function loadReview() {
    return api("/kb/review").then(function (body) {
      state.kb.review = body.replies;
      $("kb-review-all").hidden = !body.replies.length;
      renderKbList("review", body.replies, reviewCard);
    });
  }

  function reviewCard(reply) {
    var entry = entryById(reply.entry_id);
    return el("li", { class: "kb-card review", "data-message-id": String(reply.message_id) }, [
      el("h2", {}, [el("a", { href: entryHash(reply.entry_id), text: entry ? entry.question : reply.entry_id })]),
      el("div", { class: "row meta" }, [
        el("span", { class: "chip review",
          text: fill(T.kbUsedVersion, { used: reply.used_version, current: reply.current_version }) }),
        clock(reply.created_at),
        el("a", { href: "#/conversations/" + encodeURIComponent(reply.session_id), text: T.kbOpenConversation })
      ]),
      said(T.kbCustomerAsked, reply.question),
      said(T.kbBotReplied, reply.reply),
      el("div", { class: "actions" }, [el("button", { class: "btn", type: "button", "data-review": "one",
        text: T.kbMarkReviewed, onclick: function () { markReviewed([reply.message_id]); } })])
    ]);
  }

  function said(label, text) {
    return el("div", {}, [el("span", { class: "said-label", text: label }), el("p", { class: "said", text: text || "" })]);
  }

  function markReviewed(ids) {
    if (!ids.length) return;
    api("/kb/review", { method: "POST", body: { message_ids: ids } }).then(function () {
      notify(T.kbReviewed, true);
      kbPoll.now();
    }, fail);
  }

  function loadCases() {
    return api("/kb/cases").then(function (body) {
      renderKbList("cases", body.cases, function (item) {
        return el("tr", { "data-case": String(item.id) }, [
          el("td", { text: item.query }), el("td", { text: item.expected.join(", ") }), el("td", { text: item.lang }),
          el("td", { text: item.created_by }), el("td", {}, [clock(item.created_at)])
        ]);
      });
    });
  }

  function bindKnowledge() {
    buildTranslationFields();
    $("kb-search").addEventListener("input", renderEntries);
    $("kb-new").addEventListener("click", function (e) {
      e.preventDefault();
      state.kb.pending = null;
      go("#/knowledge/new");
    });
    $("kb-save").addEventListener("click", saveEntry);
    $("kb-publish-anyway").addEventListener("click", publishAnyway);
    $("kb-broken-cancel").addEventListener("click", resetEditorAlerts);
    // A changed draft is no longer the one that was checked.
    $("kb-fields").addEventListener("input", function () {
      state.kb.checked = null;
      $("kb-broken").hidden = true;
    });
    $("kb-retire").addEventListener("click", function () {
      $("kb-retire-confirm").hidden = false;
      $("kb-retire-yes").focus();
    });
    $("kb-retire-yes").addEventListener("click", retireEntry);
    $("kb-retire-no").addEventListener("click", function () {
      $("kb-retire-confirm").hidden = true;
      $("kb-retire").focus();
    });
    $("kb-reload").addEventListener("click", function () { if (state.kb.editing) loadEntry(state.kb.editing.id); });
    $("kb-try-form").addEventListener("submit", function (e) { e.preventDefault(); tryQuestion(); });
    $("kb-review-all").addEventListener("click", function () {
      markReviewed((state.kb.review || []).map(function (reply) { return reply.message_id; }));
    });
  }

  // ---- wiring ----------------------------------------------------------------------------------
  function bind() {
    $("local-form").addEventListener("submit", function (e) {
      e.preventDefault();
      signIn({ local_email: $("local-email").value.trim() });
    });
    $("sign-out").addEventListener("click", signOut);
    $("notice-close").addEventListener("click", clearNotice);
    each(".tab", function (tab) {
      tab.addEventListener("click", function () { if (tab.dataset.tab !== state.tab) selectTab(tab.dataset.tab); });
      tab.addEventListener("keydown", onTabKey);
    });
    $("show-more").addEventListener("click", showMore);
    $("reason").addEventListener("change", function () { state.reason = this.value; refreshList(); });
    var typing = null;
    $("search").addEventListener("input", function () {
      var value = this.value.trim();
      clearTimeout(typing);
      typing = setTimeout(function () {
        if (value === state.q) return;
        state.q = value;
        // A search looks through every conversation, whatever its state: it shows under All.
        if (value && state.tab !== "all") selectTab("all");
        else refreshList();
      }, 300);
    });
    each("[data-action]", function (button) {
      button.addEventListener("click", function () { act(button.dataset.action); });
    });
    $("assign-to").addEventListener("change", function () {
      $("actions").querySelector('[data-action="assign"]').disabled = !this.value || state.acting;
    });
    $("details-toggle").addEventListener("click", function () {
      var open = $("conv").classList.toggle("details-open");
      this.setAttribute("aria-expanded", String(open));
    });
    $("details").addEventListener("keydown", function (e) {
      if (e.key === "Escape" && $("conv").classList.contains("details-open")) $("details-toggle").click();
    });
    each('input[name="mode"]', function (radio) { radio.addEventListener("change", updateHint); });
    $("composer").addEventListener("submit", function (e) { e.preventDefault(); submitComposer(); });
    $("composer-text").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submitComposer();
      }
    });
    $("range").addEventListener("submit", function (e) { e.preventDefault(); loadMetrics(); });
    bindTranscript();
    $("team-add").addEventListener("submit", function (e) { e.preventDefault(); addOperator(); });
    $("summary-refresh").addEventListener("click", refreshSummary);
    bindKnowledge();
    window.addEventListener("hashchange", route);
    setInterval(function () { each("time[data-relative]", relative); }, 30000);
  }

  function start() {
    applyStrings();
    bind();
    selectTab(state.tab);
    updateHint();
    var session = loadSession();
    if (!session || !session.token || !session.operator) return showSignIn();
    saveSession(session);
    enter(session.operator);
    // Still valid? A 401 returns to sign-in; a changed name or role is picked up.
    api("/me").then(function (operator) {
      saveSession({ token: session.token, operator: operator });
      showOperator(operator);
    }, fail);
  }

  start();
})();
