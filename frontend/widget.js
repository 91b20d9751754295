/*
 * Support chat widget: one script tag, no dependencies, styles isolated in a shadow root.
 *   <script src=".../widget.js" data-api-base="https://REGION-PROJECT.cloudfunctions.net" defer></script>
 * Options (data-*): api-base, title, accent, position (right|left), greeting, storage (local|session|none), lang,
 * identity-token (a JWT the shop's backend signed for its signed-in customer: their conversations follow them),
 * login-url (where a customer signs in: an http(s) URL, or #id of an element on this page; offered as "Sign in" when
 * what they asked for needs a signed-in customer).
 * Without data-greeting, the server's greeting (GREETING) and bot name (BOT_NAME) come with the session, which
 * is opened when the panel is first opened and remembered afterwards.
 * API: SupportWidget.open(), .close(), .reset(), .on(event, handler) with events open, close, message and
 * identity_error (the shop's token was refused: the chat goes on anonymously);
 * .identify(token) when the customer signs in (again with a fresh token to refresh it), .logout() when they leave.
 * Every text a user or the model wrote is rendered with textContent; formatting is built from DOM nodes.
 */
(function () {
  "use strict";
  if (window.SupportWidget) return;

  var script = document.currentScript;
  var data = (script && script.dataset) || {};

  var STRINGS = {
    en: {
      title: "Support", open: "Open support chat", close: "Close chat", menu: "Conversation options",
      greeting: "Hi! How can we help you today?", placeholder: "Type your message…", send: "Send",
      newChat: "New conversation", deleteChat: "Delete my conversation",
      saveData: "Download my data",
      confirmDelete: "Delete this conversation for good?", deleted: "Your conversation was deleted.",
      typing: "The assistant is typing", you: "You", bot: "Assistant", agent: "Support agent",
      sources: "Sources", helpful: "Helpful", unhelpful: "Not helpful", thanks: "Thanks for your feedback!",
      escalated: "A member of our team will follow up in this conversation.",
      joined: "{name} from our team has joined the conversation.",
      failed: "Not sent.", retry: "Retry", offline: "You are offline. Your message will be kept until you retry.",
      error: "Something went wrong. Please try again.", degraded: "Answered from our help center.",
      slow: "You're sending messages a little fast. Please wait a moment, then retry.",
      unread: "{n} new messages", rateAsk: "How did we do? Rate this conversation.", rate: "{n} out of 5",
      rateComment: "Anything to add? (optional)", rateSend: "Send rating", skip: "Skip",
      rateThanks: "Thank you for your rating!", contactAsk: "We're away right now. Leave your email and we'll send the answer there.",
      email: "Your email address", contactSend: "Send", contactThanks: "Thanks! We'll reply to {email}.",
      previous: "Previous conversations", confirm: "Confirm", cancel: "Cancel", signIn: "Sign in", openLink: "Open link",
      handled: "This request was already handled.", expired: "This request expired. Ask me again."
    },
    fr: {
      title: "Assistance", open: "Ouvrir le chat d'assistance", close: "Fermer le chat", menu: "Options de la conversation",
      greeting: "Bonjour ! Comment pouvons-nous vous aider ?", placeholder: "Écrivez votre message…", send: "Envoyer",
      newChat: "Nouvelle conversation", deleteChat: "Supprimer ma conversation",
      saveData: "Télécharger mes données",
      confirmDelete: "Supprimer définitivement cette conversation ?", deleted: "Votre conversation a été supprimée.",
      typing: "L'assistant écrit", you: "Vous", bot: "Assistant", agent: "Conseiller",
      sources: "Sources", helpful: "Utile", unhelpful: "Pas utile", thanks: "Merci pour votre avis !",
      escalated: "Un membre de notre équipe vous répondra dans cette conversation.",
      joined: "{name}, de notre équipe, a rejoint la conversation.",
      failed: "Non envoyé.", retry: "Réessayer", offline: "Vous êtes hors ligne. Votre message est conservé.",
      error: "Une erreur est survenue. Veuillez réessayer.", degraded: "Réponse tirée de notre centre d'aide.",
      slow: "Vous envoyez des messages un peu vite. Patientez un instant, puis réessayez.",
      unread: "{n} nouveaux messages", rateAsk: "Comment nous sommes-nous débrouillés ? Notez cette conversation.",
      rate: "{n} sur 5", rateComment: "Un commentaire ? (facultatif)", rateSend: "Envoyer la note", skip: "Passer",
      rateThanks: "Merci pour votre note !", contactAsk: "Nous sommes absents pour le moment. Laissez votre e-mail et nous vous y répondrons.",
      email: "Votre adresse e-mail", contactSend: "Envoyer", contactThanks: "Merci ! Nous répondrons à {email}.",
      previous: "Conversations précédentes", confirm: "Confirmer", cancel: "Annuler", signIn: "Se connecter", openLink: "Ouvrir le lien",
      handled: "Cette demande a déjà été traitée.", expired: "Cette demande a expiré. Redemandez-moi."
    },
    es: {
      title: "Soporte", open: "Abrir el chat de soporte", close: "Cerrar el chat", menu: "Opciones de la conversación",
      greeting: "¡Hola! ¿En qué podemos ayudarte hoy?", placeholder: "Escribe tu mensaje…", send: "Enviar",
      newChat: "Nueva conversación", deleteChat: "Eliminar mi conversación",
      saveData: "Descargar mis datos",
      confirmDelete: "¿Eliminar esta conversación definitivamente?", deleted: "Tu conversación se ha eliminado.",
      typing: "El asistente está escribiendo", you: "Tú", bot: "Asistente", agent: "Agente de soporte",
      sources: "Fuentes", helpful: "Útil", unhelpful: "No es útil", thanks: "¡Gracias por tu opinión!",
      escalated: "Una persona de nuestro equipo te responderá en esta conversación.",
      joined: "{name}, de nuestro equipo, se ha unido a la conversación.",
      failed: "No enviado.", retry: "Reintentar", offline: "No tienes conexión. Guardamos tu mensaje hasta que lo reintentes.",
      error: "Algo ha salido mal. Inténtalo de nuevo.", degraded: "Respuesta tomada de nuestro centro de ayuda.",
      slow: "Estás enviando mensajes un poco rápido. Espera un momento y vuelve a intentarlo.",
      unread: "{n} mensajes nuevos", rateAsk: "¿Qué tal lo hemos hecho? Valora esta conversación.", rate: "{n} de 5",
      rateComment: "¿Algo más que añadir? (opcional)", rateSend: "Enviar valoración", skip: "Omitir",
      rateThanks: "¡Gracias por tu valoración!", contactAsk: "Ahora mismo no estamos. Déjanos tu correo electrónico y te enviaremos allí la respuesta.",
      email: "Tu correo electrónico", contactSend: "Enviar", contactThanks: "¡Gracias! Responderemos a {email}.",
      previous: "Conversaciones anteriores", confirm: "Confirmar", cancel: "Cancelar", signIn: "Iniciar sesión", openLink: "Abrir el enlace",
      handled: "Esta solicitud ya se ha tramitado.", expired: "Esta solicitud ha caducado. Vuelve a pedírmelo."
    },
    de: {
      title: "Kundenservice", open: "Support-Chat öffnen", close: "Chat schließen", menu: "Optionen für das Gespräch",
      greeting: "Hallo! Wie können wir Ihnen heute helfen?", placeholder: "Ihre Nachricht…", send: "Senden",
      newChat: "Neues Gespräch", deleteChat: "Mein Gespräch löschen",
      saveData: "Meine Daten herunterladen",
      confirmDelete: "Dieses Gespräch endgültig löschen?", deleted: "Ihr Gespräch wurde gelöscht.",
      typing: "Der Assistent schreibt", you: "Sie", bot: "Assistent", agent: "Support-Team",
      sources: "Quellen", helpful: "Hilfreich", unhelpful: "Nicht hilfreich", thanks: "Danke für Ihr Feedback!",
      escalated: "Jemand aus unserem Team meldet sich in diesem Gespräch bei Ihnen.",
      joined: "{name} aus unserem Team ist dem Gespräch beigetreten.",
      failed: "Nicht gesendet.", retry: "Erneut versuchen", offline: "Sie sind offline. Ihre Nachricht bleibt erhalten, bis Sie es erneut versuchen.",
      error: "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.", degraded: "Antwort aus unserem Hilfe-Center.",
      slow: "Sie senden Nachrichten etwas zu schnell. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
      unread: "{n} neue Nachrichten", rateAsk: "Wie war unsere Hilfe? Bewerten Sie dieses Gespräch.", rate: "{n} von 5",
      rateComment: "Möchten Sie etwas hinzufügen? (optional)", rateSend: "Bewertung senden", skip: "Überspringen",
      rateThanks: "Vielen Dank für Ihre Bewertung!", contactAsk: "Wir sind gerade nicht da. Hinterlassen Sie Ihre E-Mail-Adresse, dann schicken wir Ihnen die Antwort dorthin.",
      email: "Ihre E-Mail-Adresse", contactSend: "Senden", contactThanks: "Danke! Wir antworten an {email}.",
      previous: "Frühere Gespräche", confirm: "Bestätigen", cancel: "Abbrechen", signIn: "Anmelden", openLink: "Link öffnen",
      handled: "Diese Anfrage wurde bereits bearbeitet.", expired: "Diese Anfrage ist abgelaufen. Bitte fragen Sie erneut."
    },
    it: {
      title: "Assistenza", open: "Apri la chat di assistenza", close: "Chiudi la chat", menu: "Opzioni della conversazione",
      greeting: "Buongiorno! Come possiamo aiutarla?", placeholder: "Scriva il suo messaggio…", send: "Invia",
      newChat: "Nuova conversazione", deleteChat: "Elimina la mia conversazione",
      saveData: "Scarica i miei dati",
      confirmDelete: "Eliminare definitivamente questa conversazione?", deleted: "La sua conversazione è stata eliminata.",
      typing: "L'assistente sta scrivendo", you: "Lei", bot: "Assistente", agent: "Operatore",
      sources: "Fonti", helpful: "Utile", unhelpful: "Non utile", thanks: "Grazie per il suo parere!",
      escalated: "Un membro del nostro team le risponderà in questa conversazione.",
      joined: "{name} del nostro team si è unito alla conversazione.",
      failed: "Non inviato.", retry: "Riprova", offline: "È offline. Il suo messaggio resta salvato finché non riprova.",
      error: "Si è verificato un errore. Riprovi.", degraded: "Risposta dal nostro centro assistenza.",
      slow: "Sta inviando messaggi un po' troppo in fretta. Attenda un momento, poi riprovi.",
      unread: "{n} nuovi messaggi", rateAsk: "Come siamo andati? Valuti questa conversazione.", rate: "{n} su 5",
      rateComment: "Vuole aggiungere qualcosa? (facoltativo)", rateSend: "Invia la valutazione", skip: "Salta",
      rateThanks: "Grazie per la sua valutazione!", contactAsk: "Al momento non ci siamo. Lasci il suo indirizzo e-mail e le invieremo lì la risposta.",
      email: "Il suo indirizzo e-mail", contactSend: "Invia", contactThanks: "Grazie! Risponderemo a {email}.",
      previous: "Conversazioni precedenti", confirm: "Conferma", cancel: "Annulla", signIn: "Accedi", openLink: "Apri il link",
      handled: "Questa richiesta è già stata gestita.", expired: "Questa richiesta è scaduta. Me lo chieda di nuovo."
    },
    pt: {
      title: "Apoio ao cliente", open: "Abrir o chat de apoio", close: "Fechar o chat", menu: "Opções da conversa",
      greeting: "Olá! Como podemos ajudar?", placeholder: "Escreva a sua mensagem…", send: "Enviar",
      newChat: "Nova conversa", deleteChat: "Eliminar a minha conversa",
      saveData: "Descarregar os meus dados",
      confirmDelete: "Eliminar esta conversa definitivamente?", deleted: "A sua conversa foi eliminada.",
      typing: "O assistente está a escrever", you: "Você", bot: "Assistente", agent: "Equipa de apoio",
      sources: "Fontes", helpful: "Útil", unhelpful: "Não foi útil", thanks: "Obrigado pela sua opinião!",
      escalated: "Um membro da nossa equipa vai responder-lhe nesta conversa.",
      joined: "{name}, da nossa equipa, juntou-se à conversa.",
      failed: "Não enviada.", retry: "Tentar novamente", offline: "Está sem ligação. A sua mensagem fica guardada até tentar novamente.",
      error: "Algo correu mal. Tente novamente.", degraded: "Resposta do nosso centro de ajuda.",
      slow: "Está a enviar mensagens um pouco depressa. Aguarde um momento e tente novamente.",
      unread: "{n} mensagens novas", rateAsk: "Como correu? Avalie esta conversa.", rate: "{n} de 5",
      rateComment: "Quer acrescentar alguma coisa? (opcional)", rateSend: "Enviar avaliação", skip: "Ignorar",
      rateThanks: "Obrigado pela sua avaliação!", contactAsk: "Neste momento não estamos disponíveis. Deixe o seu e-mail e enviamos-lhe a resposta para lá.",
      email: "O seu endereço de e-mail", contactSend: "Enviar", contactThanks: "Obrigado! Vamos responder para {email}.",
      previous: "Conversas anteriores", confirm: "Confirmar", cancel: "Cancelar", signIn: "Iniciar sessão", openLink: "Abrir a ligação",
      handled: "Este pedido já foi tratado.", expired: "Este pedido expirou. Peça-me novamente."
    },
    nl: {
      title: "Klantenservice", open: "Supportchat openen", close: "Chat sluiten", menu: "Opties voor het gesprek",
      greeting: "Hallo! Waarmee kunnen we u helpen?", placeholder: "Typ uw bericht…", send: "Versturen",
      newChat: "Nieuw gesprek", deleteChat: "Mijn gesprek verwijderen",
      saveData: "Mijn gegevens downloaden",
      confirmDelete: "Dit gesprek definitief verwijderen?", deleted: "Uw gesprek is verwijderd.",
      typing: "De assistent typt", you: "U", bot: "Assistent", agent: "Medewerker",
      sources: "Bronnen", helpful: "Nuttig", unhelpful: "Niet nuttig", thanks: "Bedankt voor uw feedback!",
      escalated: "Een medewerker van ons team reageert in dit gesprek.",
      joined: "{name} van ons team neemt deel aan het gesprek.",
      failed: "Niet verzonden.", retry: "Opnieuw proberen", offline: "U bent offline. Uw bericht blijft bewaard tot u het opnieuw probeert.",
      error: "Er ging iets mis. Probeer het opnieuw.", degraded: "Antwoord uit ons helpcentrum.",
      slow: "U verstuurt berichten iets te snel. Wacht even en probeer het dan opnieuw.",
      unread: "{n} nieuwe berichten", rateAsk: "Hoe hebben we het gedaan? Beoordeel dit gesprek.", rate: "{n} van 5",
      rateComment: "Wilt u nog iets toevoegen? (optioneel)", rateSend: "Beoordeling versturen", skip: "Overslaan",
      rateThanks: "Bedankt voor uw beoordeling!", contactAsk: "We zijn er nu niet. Laat uw e-mailadres achter, dan sturen we het antwoord daarheen.",
      email: "Uw e-mailadres", contactSend: "Versturen", contactThanks: "Bedankt! We antwoorden op {email}.",
      previous: "Eerdere gesprekken", confirm: "Bevestigen", cancel: "Annuleren", signIn: "Inloggen", openLink: "Link openen",
      handled: "Dit verzoek is al afgehandeld.", expired: "Dit verzoek is verlopen. Vraag het mij opnieuw."
    }
  };

  // The visitor's locale (e.g. "es-MX"): its language picks the strings, the whole of it formats times and is
  // sent to the server, which answers in it.
  var locale = data.lang || navigator.language || "en";
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) locale = "en";
  var lang = locale.split("-")[0].toLowerCase();
  var t = STRINGS[lang] || STRINGS.en;
  var config = {
    apiBase: apiBase(data.apiBase),
    title: data.title || t.title,
    accent: /^#[0-9a-f]{3,8}$/i.test(data.accent || "") ? data.accent : "#1f5eff",
    position: data.position === "left" ? "left" : "right",
    greeting: data.greeting,
    storage: pickStorage(data.storage),
    login: /^(https?:\/\/|#[\w-]+$)/i.test(data.loginUrl) ? data.loginUrl : ""
  };
  // While a person is involved: often with the panel open (replies within 5 s), rarely when closed.
  var POLL_OPEN_MS = 4000;
  var POLL_CLOSED_MS = 30000;
  var BUBBLE = "M4 4h16v12H7l-3 3z";
  var WEB = /^https?:\/\/\S+$/i;
  var THUMB = "M2 10h4v11H2zM8 21h9.3a2 2 0 0 0 2-1.6l1.5-7.2A1.9 1.9 0 0 0 18.9 10H14l.9-4.3A1.6 1.6 0 0 0 12.2 4L8 10z";
  var storageKey = "support-widget:" + config.apiBase;
  var profileKey = "support-widget-profile:" + config.apiBase;

  function apiBase(value) {
    if (value) return value.replace(/\/+$/, "");
    return location.origin;
  }

  function pickStorage(mode) {
    try {
      if (mode === "none") return null;
      return mode === "session" ? window.sessionStorage : window.localStorage;
    } catch (e) {
      return null;
    }
  }

  // ---- state ----------------------------------------------------------------------------------
  // lastId: the newest message polling has seen; shown: every message id already on screen (also the
  // ones this page posted), so polling from lastId never skips a colleague's message nor repeats one.
  // profile: the server's {greeting, bot_name} and the language it was asked in, kept across conversations.
  // identity: the shop's signed token for its customer, in memory only; a `known` session is theirs alone.
  var state = { session: load(storageKey), profile: load(profileKey), creating: null, lastId: 0, shown: {},
    status: "open", busy: false, open: false, poller: null, pollMs: 0, unread: 0, botAnswers: true,
    identity: data.identityToken || null, ready: Promise.resolve() };
  var listeners = {};

  function load(key) {
    try {
      return JSON.parse((config.storage && config.storage.getItem(key)) || "null");
    } catch (e) {
      return null;
    }
  }

  function saveSession(session) {
    state.session = session;
    if (!config.storage) return;
    if (session) config.storage.setItem(storageKey, JSON.stringify(session));
    else config.storage.removeItem(storageKey);
  }

  function saveProfile(created) {
    state.profile = { greeting: created.greeting, bot_name: created.bot_name, lang: lang };
    if (config.storage) config.storage.setItem(profileKey, JSON.stringify(state.profile));
  }

  function botName() {
    return (state.profile && state.profile.bot_name) || t.bot;
  }

  // The page's data-greeting, else the server's (if asked in this language), else our own.
  function greetingText() {
    var profile = state.profile;
    return config.greeting || (profile && profile.lang === lang ? profile.greeting : t.greeting);
  }

  function emit(name, detail) {
    (listeners[name] || []).forEach(function (fn) { fn(detail); });
  }

  // ---- the API wrapper ------------------------------------------------------------------------
  // status 0: no answer (offline, refused); code: the API's error code; retryAfter: seconds to wait, or 0.
  function ApiError(message, status, code, retryAfter) {
    this.message = message;
    this.status = status;
    this.code = code || "";
    this.retryAfter = retryAfter || 0;
  }

  function api(name, options) {
    options = options || {};
    var headers = { Accept: options.stream ? "text/event-stream" : "application/json" };
    if (options.body) headers["Content-Type"] = "application/json";
    var bearer = options.identity ? state.identity : state.session && state.session.token;
    if (bearer) headers.Authorization = "Bearer " + bearer;
    var url = config.apiBase + "/" + name + (options.query ? "?" + new URLSearchParams(options.query) : "");
    return fetch(url, {
      method: options.method || "POST",
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined
    }).then(function (response) {
      if (response.ok) return response;
      return response.json().catch(function () { return {}; }).then(function (body) {
        var error = body.error || {};
        var wait = parseInt(response.headers.get("Retry-After"), 10);
        var text = response.status === 429 ? t.slow : error.message || t.error;
        throw new ApiError(text, response.status, error.code, wait > 0 ? wait : 0);
      });
    }, function () {
      throw new ApiError(navigator.onLine === false ? t.offline : t.error, 0);
    });
  }

  function json(response) {
    return response.status === 204 ? null : response.json();
  }

  // ---- DOM ------------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  var host = el("div", { id: "support-widget-host" });
  var root = host.attachShadow({ mode: "open" });
  host.style.setProperty("--accent", config.accent);
  applyStyles(root);

  var badge = el("span", { class: "badge", hidden: "", "aria-hidden": "true" });
  var launcher = el("button", { class: "launcher " + config.position, type: "button", "aria-label": t.open,
    "aria-expanded": "false", "aria-controls": "panel", onclick: function () { toggle(); } }, [svg(BUBBLE), badge]);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": config.title, tabindex: "0" });
  var banner = el("div", { class: "banner", role: "status", hidden: "" , text: t.escalated });
  var typing = el("div", { class: "typing", hidden: "", "aria-label": t.typing, role: "status" },
    [el("span"), el("span"), el("span")]);
  var input = el("textarea", { rows: "1", placeholder: t.placeholder, "aria-label": t.placeholder, maxlength: "2000",
    onkeydown: onKey });
  var sendButton = el("button", { class: "send", type: "submit", "aria-label": t.send, text: t.send });
  var menu = el("div", { class: "menu", role: "menu", hidden: "" }, [
    el("button", { type: "button", role: "menuitem", text: t.newChat, onclick: function () { closeMenu(); reset(); } }),
    el("button", { type: "button", role: "menuitem", text: t.saveData, onclick: function () { closeMenu(); download(); } }),
    el("button", { type: "button", role: "menuitem", text: t.deleteChat, onclick: function () { closeMenu(); erase(); } })
  ]);
  var menuButton = el("button", { class: "icon", type: "button", "aria-label": t.menu, "aria-haspopup": "menu",
    "aria-expanded": "false", text: "⋯", onclick: toggleMenu });
  var panel = el("section", { id: "panel", class: "panel " + config.position, role: "dialog", "aria-label": config.title,
    hidden: "" }, [
    el("div", { class: "head" }, [
      el("h2", { text: config.title }),
      menuButton,
      el("button", { class: "icon", type: "button", "aria-label": t.close, text: "×", onclick: function () { close(); } })
    ]),
    menu, banner, log, typing,
    el("form", { class: "composer", onsubmit: function (e) { e.preventDefault(); submit(); } }, [input, sendButton])
  ]);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.stopPropagation(); if (!menu.hidden) closeMenu(); else close(); }
  });
  root.appendChild(launcher);
  root.appendChild(panel);

  function svg(d) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    node.setAttribute("viewBox", "0 0 24 24");
    node.setAttribute("aria-hidden", "true");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", d);
    node.appendChild(path);
    return node;
  }

  // ---- rendering --------------------------------------------------------------------------------
  // A small, safe subset of formatting: **bold**, "- " and "1. " lists, http(s) links.
  function rich(text) {
    var fragment = document.createDocumentFragment();
    var list = null;
    text.split("\n").forEach(function (line) {
      var item = /^\s*(?:[-*•]|\d+[.)])\s+(.*)$/.exec(line);
      if (item) {
        if (!list) list = fragment.appendChild(el(/^\s*\d/.test(line) ? "ol" : "ul"));
        list.appendChild(inline(el("li"), item[1]));
        return;
      }
      list = null;
      if (line.trim()) fragment.appendChild(inline(el("p"), line));
    });
    return fragment;
  }

  function inline(parent, text) {
    var pattern = /\*\*([^*]+)\*\*|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      if (match[1]) parent.appendChild(el("strong", { text: match[1] }));
      else parent.appendChild(link(match[3] || match[4], match[2] || match[4]));
      last = pattern.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function link(href, label, style) {
    if (!WEB.test(href)) return el("span", { text: label });
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label, class: style || "" });
  }

  // `when`: the server's created_at; a message not stored yet shows the local time until stamped again.
  function bubble(sender, text, extraClass, author, when) {
    var who = (sender === "agent" && author) || { user: t.you, agent: t.agent }[sender] || botName();
    var body = el("div", { class: "body" });
    var node = el("div", { class: "msg " + sender + (extraClass ? " " + extraClass : "") }, [
      el("div", { class: "meta" }, [el("span", { class: "who", text: who }), el("time")]), body
    ]);
    stamp(node, when || Date.now());
    setText(node, text);
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  // A short time for today's messages, the date too for older ones, the full date and time as a tooltip.
  function stamp(node, when) {
    var date = new Date(when);
    if (isNaN(date)) return;
    var now = new Date();
    var options = { hour: "numeric", minute: "2-digit" };
    if (date.toDateString() !== now.toDateString()) {
      options.day = "numeric";
      options.month = "short";
      if (date.getFullYear() !== now.getFullYear()) options.year = "numeric";
    }
    var time = node.querySelector("time");
    time.dateTime = date.toISOString();
    time.textContent = formatDate(date, options);
    time.title = formatDate(date, { dateStyle: "full", timeStyle: "short" });
  }

  function formatDate(date, options) {
    try {
      return new Intl.DateTimeFormat(locale, options).format(date);
    } catch (e) {
      return new Intl.DateTimeFormat(undefined, options).format(date);
    }
  }

  function setText(node, text) {
    var body = node.querySelector(".body");
    body.textContent = "";
    body.appendChild(node.classList.contains("user") ? el("p", { text: text }) : rich(text));
  }

  // The rest of a bot or agent message, once it is stamped and carries its id.
  function finish(node, message) {
    var card = message.card;
    // A card holds the lines after the first (its title, "Label: value"s): the bubble keeps the first.
    setText(node, card ? message.content.split("\n")[0] : message.content);
    if (card) node.appendChild(facts(card));
    if (message.action_request) node.appendChild(proposal(message.action_request));
    if (message.sign_in_required && config.login) {
      node.appendChild(el("a", { class: "primary", href: config.login, text: t.signIn, onclick: signIn }));
    }
    if (message.degraded) node.appendChild(el("p", { class: "note", text: t.degraded }));
    if (message.sources && message.sources.length) {
      var list = el("ul", { class: "sources", "aria-label": t.sources });
      message.sources.forEach(function (source) {
        list.appendChild(el("li", {}, [source.url ? link(source.url, source.question) : el("span", { text: source.question })]));
      });
      node.appendChild(list);
    }
    if (message.sender === "bot") node.appendChild(ratings(message.id));
    chips(message.suggested_actions || []);
  }

  // What an action found. Only a value that is an http(s) URL is a link; the field that holds the card's url
  // becomes its button, under that field's label.
  function facts(card) {
    var label = t.openLink;
    var list = el("dl");
    card.fields.forEach(function (f) {
      if (card.url && f.value === card.url) label = f.label;
      else list.append(el("dt", { text: f.label }), el("dd", {}, [link(f.value, f.value)]));
    });
    return el("div", { class: "facts", role: "group", "aria-label": card.title },
      [el("p", { class: "title", text: card.title }), list, card.url && link(card.url, label, "primary")]);
  }

  // A write the bot proposes runs only once the customer confirms it; either way the outcome is a new message.
  function proposal(request) {
    var box = el("fieldset", { class: "facts" }, [el("legend", { text: request.summary })]);
    [["confirm", "primary", t.confirm], ["cancel", "ghost", t.cancel]].forEach(function (c) {
      box.appendChild(el("button", { type: "button", class: c[1], text: c[2], onclick: function () {
        var focused = box.contains(root.activeElement);
        var settle = function () { box.remove(); if (focused) input.focus(); };
        box.disabled = true;
        api("confirm_action", { body: { session_id: state.session.id, action_request_id: request.id, decision: c[0] } })
          .then(json).then(function (decided) {
            settle();
            render(decided.message);
            showStatus(decided.session);
          }, function (error) {
            // Decided already (in another tab, say) or too late: the buttons go. Anything else can be tried again.
            var gone = { 409: t.handled, 410: t.expired }[error.status];
            box.disabled = false;
            if (gone) settle();
            notice(gone || error.message);
          });
      } }));
    });
    return box;
  }

  // A same-page #id: the page goes there, the keyboard to the first thing in it that takes focus.
  function signIn(e) {
    var target = config.login[0] === "#" && document.getElementById(config.login.slice(1));
    if (!target) return;
    e.preventDefault();
    if (matchMedia("(max-width:480px)").matches) close();  // full screen, the panel hides the page
    location.hash = config.login;
    [target].concat([].slice.call(target.querySelectorAll("a,button,input,select,textarea,[tabindex]")))
      .some(function (node) { node.focus(); return document.activeElement === node; });
  }

  function ratings(messageId) {
    var box = el("div", { class: "rate" });
    [["up", t.helpful], ["down", t.unhelpful]].forEach(function (choice) {
      box.appendChild(el("button", { type: "button", class: choice[0], "aria-label": choice[1], "aria-pressed": "false",
        onclick: function (e) { rate(messageId, choice[0], e.currentTarget, box); } }, [svg(THUMB)]));
    });
    return box;
  }

  function chips(actions) {
    var old = log.querySelector(".chips");
    if (old) old.remove();
    if (!actions.length) return;
    var box = el("div", { class: "chips" });
    actions.forEach(function (action) {
      box.appendChild(el("button", { type: "button", class: "chip", text: action,
        onclick: function () { box.remove(); send(action); } }));
    });
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
  }

  // `session` is the API's {status, state, agent}; a bare status string is accepted for a reset.
  function showStatus(session) {
    var status = typeof session === "string" ? session : session.status;
    state.status = status;
    // The bot answers a customer's message unless an agent owns the conversation or it is resolved.
    if (session.state) state.botAnswers = session.state === "bot" || session.state === "waiting";
    banner.hidden = status !== "escalated";
    banner.textContent = session.state === "assigned" && session.agent
      ? t.joined.replace("{name}", session.agent) : t.escalated;
    if (status === "escalated") startPolling(); else stopPolling();
    if (session.state === "resolved") askRating();
    if (session.offer_contact) offerContact();
  }

  // ---- after a person: leave an email out of hours, rate a resolved conversation ---------------
  function once(name) {
    var key = "support-widget-seen:" + name + ":" + (state.session ? state.session.id : "");
    if (log.querySelector("." + name) || (config.storage && config.storage.getItem(key))) return false;
    if (config.storage) config.storage.setItem(key, "1");
    return true;
  }

  function card(name, children) {
    var node = el("div", { class: "card " + name, role: "group" }, children);
    log.appendChild(node);
    reveal(node);
    return node;
  }

  function askRating() {
    if (!state.session || !once("csat")) return;
    var chosen = 0;
    var comment = el("textarea", { rows: "2", maxlength: "1000", "aria-label": t.rateComment, placeholder: t.rateComment });
    var stars = el("div", { class: "stars" });
    [1, 2, 3, 4, 5].forEach(function (n) {
      stars.appendChild(el("button", { type: "button", class: "star", text: "★", "aria-pressed": "false",
        "aria-label": t.rate.replace("{n}", n), onclick: function () {
          chosen = n;
          Array.prototype.forEach.call(stars.children, function (b, i) { b.setAttribute("aria-pressed", String(i < n)); });
        } }));
    });
    var node = card("csat", [el("p", { text: t.rateAsk }), stars, comment, el("div", { class: "row" }, [
      el("button", { type: "button", class: "primary", text: t.rateSend, onclick: function () {
        if (!chosen) return stars.firstChild.focus();
        var body = { session_id: state.session.id, rating: chosen, comment: comment.value.trim() || undefined };
        api("post_csat", { body: body }).then(function () { done(t.rateThanks); }, function (e) { notice(e.message); });
      } }),
      el("button", { type: "button", class: "link", text: t.skip, onclick: function () { node.remove(); } })
    ])]);
    function done(text) { node.textContent = ""; node.appendChild(el("p", { text: text })); }
  }

  function offerContact() {
    if (!state.session || !once("contact")) return;
    var field = el("input", { type: "email", required: "", maxlength: "254", "aria-label": t.email, placeholder: t.email,
      autocomplete: "email" });
    var node = card("contact", [el("p", { text: t.contactAsk }), el("form", { class: "row", onsubmit: function (e) {
      e.preventDefault();
      if (!field.checkValidity()) return field.reportValidity();
      var email = field.value.trim();
      api("post_contact", { body: { session_id: state.session.id, email: email } }).then(function () {
        node.textContent = "";
        node.appendChild(el("p", { text: t.contactThanks.replace("{email}", email) }));
      }, function (e) { notice(e.message); });
    } }, [field, el("button", { type: "submit", class: "primary", text: t.contactSend })])]);
  }

  function notice(text) {
    var node = el("div", { class: "notice", role: "alert", text: text });
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  // ---- conversation -----------------------------------------------------------------------------
  // One creation at a time: the first open and a quick first message share it.
  function ensureSession() {
    if (state.session) return Promise.resolve(state.session);
    if (state.creating) return state.creating;
    var body = { locale: locale, attributes: { page: location.pathname.slice(0, 400) } };
    if (state.identity) body.identity_token = state.identity;
    state.creating = api("create_session", { body: body }).then(json, function (error) {
      // A refused identity token (expired, say) must not stop the chat: the visitor chats anonymously.
      if (error.code !== "identity_invalid") throw error;
      state.identity = body.identity_token = undefined;
      emit("identity_error", error);
      return api("create_session", { body: body }).then(json);
    }).then(function (created) {
      state.creating = null;
      saveProfile(created);
      saveSession({ id: created.session_id, token: created.session_token, created_at: created.created_at,
        known: !!created.customer });
      return state.session;
    }, function (error) {
      state.creating = null;
      throw error;
    });
    return state.creating;
  }

  // The greeting opens the log. Never greeted by this server yet: open the session now, for its greeting and
  // bot name, rather than at the first message.
  function greet() {
    if (state.session || state.profile) {
      showGreeting();
      return restore().then(showPrevious);
    }
    typing.hidden = false;
    return ensureSession().catch(function () {}).then(function () {
      typing.hidden = !state.busy;
      showGreeting();
      return showPrevious();
    });
  }

  function showGreeting() {
    if (log.querySelector(".greeting")) return;
    var node = bubble("bot", greetingText(), "greeting", null, state.session && state.session.created_at);
    log.insertBefore(node, log.firstChild);
    log.scrollTop = log.scrollHeight;
  }

  // Every message after `after`, asking page after page while the server says it has more.
  function getMessages(after, earlier) {
    var query = { session_id: state.session.id };
    if (after) query.after = after;
    return api("get_messages", { method: "GET", query: query }).then(json).then(function (page) {
      var messages = (earlier || []).concat(page.messages);
      var last = page.messages[page.messages.length - 1];
      if (page.has_more && last && last.id > (after || 0) && state.session) return getMessages(last.id, messages);
      return { session: page.session, messages: messages };
    });
  }

  function restore() {
    if (!state.session) return Promise.resolve();
    return getMessages(0).then(function (page) {
      log.textContent = "";
      showGreeting();
      page.messages.forEach(render);
      clearUnread();  // what was there before this visit is not news
      showStatus(page.session);
      var last = page.messages[page.messages.length - 1];
      if (last && last.sender === "user" && state.botAnswers) waitForReply();
    }, function (error) {
      if (error.status === 401) saveSession(null);
    });
  }

  function render(message) {
    state.lastId = Math.max(state.lastId, message.id);
    if (state.shown[message.id]) return;
    state.shown[message.id] = true;
    var mine = message.sender === "user" && sentHere(message.client_message_id);
    if (mine) {
      markStored(mine, message);
      return;
    }
    var node = bubble(message.sender, message.content, null, message.author, message.created_at);
    if (message.sender !== "user") {
      node.dataset.id = message.id;
      finish(node, message);
    }
    countUnread(message);
    emit("message", message);
  }

  // The server stored the message this bubble shows: its id, its time, and polls no longer show it again.
  function markStored(node, message) {
    node.dataset.id = message.id;
    stamp(node, message.created_at);
    state.shown[message.id] = true;
  }

  // The bubble of a message this page sent (shown before the server gave it an id), if any.
  function sentHere(clientId) {
    var nodes = log.querySelectorAll(".msg.user");
    for (var i = 0; clientId && i < nodes.length; i++) if (nodes[i].dataset.clientId === clientId) return nodes[i];
    return null;
  }

  // A reply still being written (page reloaded, stream cut): the server finishes and stores it.
  // Resolves to whether a reply arrived.
  function waitForReply() {
    typing.hidden = false;
    var tries = 0;
    return new Promise(function (resolve) {
      (function poll() {
        fetchNew().then(function (messages) {
          var replied = messages.some(function (m) { return m.sender !== "user"; });
          if (replied || !state.botAnswers || ++tries > 20) {
            typing.hidden = true;
            resolve(replied);
          } else setTimeout(poll, 1000);
        });
      })();
    });
  }

  // Waits for the stored reply to a message; without one, the message fails and can be retried.
  function recover() {
    return waitForReply().then(function (replied) {
      if (!replied) throw new ApiError(t.error, 0);
    });
  }

  function fetchNew() {
    if (!state.session) return Promise.resolve([]);
    return getMessages(state.lastId).then(function (page) {
      page.messages.forEach(render);
      showStatus(page.session);
      return page.messages;
    }, function () { return []; });
  }

  function startPolling() {
    var every = state.open ? POLL_OPEN_MS : POLL_CLOSED_MS;
    if (state.poller && state.pollMs === every) return;
    stopPolling();
    state.pollMs = every;
    state.poller = setInterval(fetchNew, every);
  }

  function stopPolling() {
    clearInterval(state.poller);
    state.poller = null;
    state.pollMs = 0;
  }

  function countUnread(message) {
    if (state.open || message.sender !== "agent") return;
    state.unread += 1;
    badge.textContent = String(state.unread);
    badge.hidden = false;
    launcher.setAttribute("aria-label", t.open + " (" + t.unread.replace("{n}", state.unread) + ")");
  }

  function clearUnread() {
    state.unread = 0;
    badge.hidden = true;
    launcher.setAttribute("aria-label", t.open);
  }

  function submit() {
    var text = input.value.trim();
    if (!text || state.busy) return;
    input.value = "";
    send(text);
  }

  function send(text, existing) {
    var node = existing || bubble("user", text);
    var clientId = node.dataset.clientId || newId();
    node.dataset.clientId = clientId;
    node.classList.remove("failed");
    var old = node.querySelector(".retry-row");
    if (old) old.remove();
    state.busy = true;
    typing.hidden = false;
    return ensureSession().then(function (session) {
      var body = { session_id: session.id, content: text, client_message_id: clientId };
      return api("post_message", { body: body, stream: true });
    }).then(function (response) {
      return readReply(response, node);
    }).catch(function (error) {
      // The same message is still being answered (another tab, a retry): wait for its reply.
      if (error.code === "in_progress") return recover();
      throw error;
    }).catch(function (error) {
      if (error.status === 401 || error.status === 409) saveSession(null);
      failed(node, text, error.message, error.retryAfter);
    }).then(function () {
      state.busy = false;
      typing.hidden = true;
    });
  }

  function readReply(response, userNode) {
    if ((response.headers.get("Content-Type") || "").indexOf("text/event-stream") < 0) {
      return response.json().then(function (exchange) { done(userNode, null, exchange); });
    }
    var reply = null;
    var shown = "";
    var finished = false;
    var reader = response.body.getReader();
    var handle = function (event, payload) {
      if (event === "start") markStored(userNode, payload.user_message);
      if (event === "delta") {
        typing.hidden = true;
        if (!reply) reply = bubble("bot", "", "streaming");
        shown += payload.text;
        setText(reply, shown);
        log.scrollTop = log.scrollHeight;
      }
      if (event === "done") { finished = true; done(userNode, reply, payload); }
      if (event === "error") throw new ApiError(payload.error.message || t.error, 503, payload.error.code);
    };
    return readEvents(reader, handle).then(function () {
      if (finished) return;
      // The connection ended early: the server still finishes and stores the reply.
      if (reply) reply.remove();
      return recover();
    }, function (error) {
      if (reply) reply.remove();
      reader.cancel().catch(function () {});
      if (error instanceof ApiError) throw error;
      // The connection broke mid-answer: as above, the reply is stored all the same.
      return recover();
    });
  }

  function readEvents(reader, handle) {
    var decoder = new TextDecoder();
    var buffer = "";
    return reader.read().then(function next(chunk) {
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      var blocks = buffer.split("\n\n");
      buffer = blocks.pop();
      blocks.forEach(function (block) {
        var event = /^event: (.*)$/m.exec(block);
        var payload = /^data: (.*)$/m.exec(block);
        if (event && payload) handle(event[1], JSON.parse(payload[1]));
      });
      return reader.read().then(next);
    });
  }

  function done(userNode, reply, exchange) {
    markStored(userNode, exchange.user_message);
    showStatus(exchange.session);
    if (!exchange.reply) {
      // A person owns the conversation: the bot stays silent and the agent answers by polling.
      if (reply) reply.remove();
      return;
    }
    reply = reply || bubble("bot", "");
    reply.classList.remove("streaming");
    markStored(reply, exchange.reply);
    finish(reply, exchange.reply);
    emit("message", exchange.reply);
  }

  function failed(node, text, message, retryAfter) {
    node.classList.add("failed");
    var retry = el("button", { type: "button", class: "retry", text: t.retry, onclick: function () { send(text, node); } });
    var row = node.appendChild(el("div", { class: "retry-row", role: "alert" }, [
      el("span", { text: (message || t.error) + " " }), retry
    ]));
    if (retryAfter) {
      // The server asked for a pause (Retry-After): honour it, up to half a minute.
      retry.disabled = true;
      setTimeout(function () { retry.disabled = false; }, Math.min(retryAfter, 30) * 1000);
    }
    reveal(row);
  }

  // Scrolls the log, and only the log, so that the bottom of `node` is in view.
  function reveal(node) {
    var below = node.getBoundingClientRect().bottom - log.getBoundingClientRect().bottom + 14;
    if (below > 0) log.scrollTop += below;
  }

  function rate(messageId, rating, button, box) {
    api("post_feedback", { body: { session_id: state.session.id, message_id: messageId, rating: rating } }).then(function () {
      Array.prototype.forEach.call(box.querySelectorAll("button"), function (b) { b.setAttribute("aria-pressed", "false"); });
      button.setAttribute("aria-pressed", "true");
      box.setAttribute("title", t.thanks);
    }, function (error) { notice(error.message); });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  // ---- the shop's signed-in customer -----------------------------------------------------------
  // The server refuses to tie a conversation to a second customer: then this one starts afresh.
  function identify(token) {
    state.identity = token || null;
    if (!state.identity || !state.session) return showPrevious();
    return api("identify", { body: { session_id: state.session.id, identity_token: state.identity } }).then(function () {
      state.session.known = true;
      saveSession(state.session);
    }, function (error) {
      if (error.status === 409 || error.code === "unauthorized") forget();
      else emit("identity_error", error);
    }).then(showPrevious);
  }

  // Signed out: their conversations leave this browser with them.
  function logout() {
    state.identity = null;
    if (state.session && state.session.known) forget(); else showPrevious();
  }

  function forget() {
    saveSession(null);
    clearLog();
    if (state.open) showGreeting();
  }

  // The customer's other conversations under the greeting; choosing one continues it here.
  function showPrevious() {
    var old = log.querySelector(".previous");
    if (old) old.remove();
    if (!state.identity || !log.childNodes.length) return Promise.resolve();
    return api("get_conversations", { method: "GET", identity: true }).then(json).then(function (list) {
      var items = list.conversations.filter(function (c) { return !state.session || c.session_id !== state.session.id; })
        .slice(0, 5).map(function (c) {
          var item = el("button", { type: "button", class: "chip", "data-session": c.session_id, onclick: function () {
            api("resume_session", { identity: true, body: { session_id: c.session_id } }).then(json).then(function (r) {
              saveSession({ id: r.session_id, token: r.session_token, known: true });
              clearLog();
              return restore().then(showPrevious);
            }, function (error) { notice(error.message); });
          } }, [el("span", { text: c.preview + " · " }), el("time")]);
          stamp(item, c.last_message_at);
          return item;
        });
      if (!items.length || log.querySelector(".previous")) return;
      var greeting = log.querySelector(".greeting");
      log.insertBefore(el("div", { class: "card previous", role: "group", "aria-label": t.previous },
        [el("p", { class: "note", text: t.previous })].concat(items)), greeting ? greeting.nextSibling : log.firstChild);
    }, function () {});
  }

  function clearLog() {
    state.lastId = 0;
    state.shown = {};
    stopPolling();
    showStatus("open");
    log.textContent = "";
  }

  // ---- open, close, menu ------------------------------------------------------------------------
  function open() {
    if (state.open) return;
    state.open = true;
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    state.ready.then(function () { if (!log.childNodes.length) greet(); });
    clearUnread();
    if (state.status === "escalated") startPolling();
    if (config.storage) config.storage.setItem(storageKey + ":open", "1");
    input.focus();
    emit("open");
  }

  function close() {
    if (!state.open) return;
    state.open = false;
    panel.hidden = true;
    closeMenu();
    if (state.status === "escalated") startPolling(); else stopPolling();
    launcher.setAttribute("aria-expanded", "false");
    if (config.storage) config.storage.removeItem(storageKey + ":open");
    launcher.focus();
    emit("close");
  }

  function toggle() { if (state.open) close(); else open(); }

  function toggleMenu() {
    var opening = menu.hidden;
    menu.hidden = !opening;
    menuButton.setAttribute("aria-expanded", String(opening));
    if (opening) menu.querySelector("button").focus();
  }

  function closeMenu() {
    menu.hidden = true;
    menuButton.setAttribute("aria-expanded", "false");
  }

  function reset() {
    saveSession(null);
    clearLog();
    showGreeting();
    showPrevious();
    input.focus();
  }

  function download() {
    (state.session ? api("export_my_data", { body: { session_id: state.session.id } }).then(json)
      : Promise.resolve({ conversations: [] })).then(function (body) {
      var link = el("a", { download: "my-data.json",
        href: URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)])) });
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }, function (error) { notice(error.message); });
  }

  function erase() {
    if (!state.session) return reset();
    if (!window.confirm(t.confirmDelete)) return;
    api("erase_my_data", { body: { session_id: state.session.id } }).then(function () {
      reset();
      notice(t.deleted);
    }, function (error) { notice(error.message); });
  }

  function onKey(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  // ---- styles -----------------------------------------------------------------------------------
  function applyStyles(shadow) {
    var css = [
      ":host{all:initial;--accent:#1f5eff;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--soft:#f3f4f6;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg)}",
      "*{box-sizing:border-box}",
      "button{font:inherit;cursor:pointer}",
      ":focus-visible{outline:3px solid var(--accent);outline-offset:2px}",
      ".launcher{position:fixed;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--accent);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646;display:grid;place-items:center}",
      ".launcher svg{width:26px;height:26px;fill:currentColor}",
      ".badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b42318;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}",
      ".card{align-self:stretch;border:1px solid #d0d7de;border-radius:12px;padding:10px 12px;display:flex;flex-direction:column;gap:8px}",
      ".card p{margin:0}.card .row{display:flex;gap:8px;align-items:center}",
      ".card textarea,.card input{font:inherit;border:1px solid #8c959f;border-radius:8px;padding:6px 8px;flex:1;min-width:0}",
      ".stars{display:flex;gap:4px}.star{background:none;border:0;font-size:24px;line-height:1;color:#8c959f;padding:2px}",
      ".star[aria-pressed=true]{color:#b58105}",
      ".primary{background:var(--accent);color:#fff;border:0;border-radius:8px;padding:6px 12px;font-weight:600}",
      ".link{background:none;border:0;color:var(--muted);text-decoration:underline}",
      ".right{right:20px}.left{left:20px}",
      ".panel{position:fixed;bottom:88px;width:370px;height:min(600px,calc(100vh - 110px));background:var(--bg);border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647;animation:rise .18s ease-out}",
      ".panel[hidden],[hidden]{display:none!important}",
      "@keyframes rise{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}",
      ".head{display:flex;align-items:center;gap:4px;padding:12px 12px 12px 16px;background:var(--accent);color:#fff}",
      "h2{flex:1;margin:0;font-size:16px;font-weight:600}",
      ".icon{background:transparent;border:0;color:#fff;font-size:22px;line-height:1;width:36px;height:36px;border-radius:8px}",
      ".icon:hover{background:rgba(255,255,255,.18)}",
      ".menu{position:absolute;top:56px;right:12px;background:var(--bg);border:1px solid #d0d7de;border-radius:10px;box-shadow:0 6px 20px rgba(0,0,0,.15);display:flex;flex-direction:column;z-index:2}",
      ".menu button{background:none;border:0;text-align:left;padding:10px 14px;color:var(--fg)}",
      ".menu button:hover{background:var(--soft)}",
      ".banner{background:#fff4d6;color:#5c4400;padding:8px 14px;font-size:14px;border-bottom:1px solid #f0d58c}",
      ".log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px}",
      ".msg{max-width:85%;padding:8px 12px;border-radius:12px;background:var(--soft);word-wrap:break-word}",
      ".msg p{margin:0 0 6px}.msg p:last-child{margin-bottom:0}.msg ul,.msg ol{margin:4px 0;padding-left:20px}",
      ".msg.user{align-self:flex-end;background:var(--accent);color:#fff}",
      ".msg.agent{border:2px solid var(--accent)}",
      ".msg.failed{opacity:.85;border:2px dashed #b42318}",
      ".meta{display:flex;gap:8px;align-items:baseline;font-size:12px;color:var(--muted);margin-bottom:2px}",
      ".msg.user .meta{color:#fff}",
      "time{margin-left:auto;white-space:nowrap}",
      ".note{font-size:12px;color:var(--muted)}",
      ".msg a{color:inherit;text-decoration:underline}",
      ".facts{margin:8px 0 0;padding:8px 10px;background:var(--bg);border:1px solid #d0d7de;border-radius:10px}",
      ".title{font-weight:600}dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 12px;font-size:14px}",
      "dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}legend{float:left;width:100%;padding:0}",
      ".msg .primary{display:inline-block;margin:8px 6px 0 0;color:#fff;text-decoration:none}",
      ".ghost{background:none;color:var(--accent);border:1px solid;border-radius:8px;padding:6px 12px}",
      ".sources{margin:6px 0 0;padding:6px 0 0 18px;border-top:1px solid #d0d7de;font-size:13px}",
      ".rate{display:flex;gap:4px;margin-top:4px}",
      ".rate button{background:none;border:1px solid transparent;border-radius:6px;padding:3px 5px;color:var(--muted);line-height:0}",
      ".rate svg{width:16px;height:16px;fill:currentColor}.rate .down svg{transform:rotate(180deg)}",
      ".rate button[aria-pressed=true]{border-color:var(--accent);color:var(--accent)}",
      ".chips{display:flex;flex-wrap:wrap;gap:6px}",
      ".chip{border:1px solid var(--accent);color:var(--accent);background:var(--bg);border-radius:16px;padding:5px 12px;font-size:14px}",
      ".chip:hover{background:var(--soft)}",
      ".retry-row{margin-top:6px;font-size:13px}",
      ".retry{background:#fff;color:#b42318;border:1px solid #b42318;border-radius:6px;padding:2px 8px}",
      "button:disabled{opacity:.6;cursor:default}",
      ".notice{align-self:center;font-size:13px;color:var(--muted)}",
      ".typing{padding:0 16px 8px;display:flex;gap:4px}",
      ".typing span{width:7px;height:7px;border-radius:50%;background:var(--muted);animation:blink 1s infinite}",
      ".typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}",
      "@keyframes blink{50%{opacity:.25}}",
      ".composer{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d7de}",
      "textarea{flex:1;resize:none;font:inherit;border:1px solid #8c959f;border-radius:10px;padding:8px 10px;max-height:120px;color:var(--fg)}",
      ".send{background:var(--accent);color:#fff;border:0;border-radius:10px;padding:0 16px;font-weight:600}",
      "@media (max-width:480px){.panel{inset:0;width:100%;height:100%;border-radius:0;bottom:0}.panel.right,.panel.left{right:0;left:0}}",
      "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}"
    ].join("\n");
    if (shadow.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.appendChild(el("style", { text: css }));
    }
  }

  // ---- start ----------------------------------------------------------------------------------
  function mount() {
    document.body.appendChild(host);
    // A customer's conversation is shown only with their token, once the server tied it to them.
    if (state.session && state.session.known && !state.identity) saveSession(null);
    if (state.session && state.identity) state.ready = identify(state.identity);
    if (config.storage && config.storage.getItem(storageKey + ":open")) open();
    else if (state.session) {
      // A conversation from an earlier visit: learn its state, so a person's replies raise the badge.
      state.ready.then(function () { if (state.session && !log.childNodes.length) greet(); });
    }
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
  window.addEventListener("online", function () {
    Array.prototype.forEach.call(log.querySelectorAll(".msg.failed"), function (node) {
      node.querySelector(".retry").click();
    });
  });

  window.SupportWidget = {
    open: open,
    close: close,
    reset: reset,
    identify: function (token) { state.ready = identify(token); return state.ready; },
    logout: logout,
    on: function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); },
    off: function (name, fn) { listeners[name] = (listeners[name] || []).filter(function (f) { return f !== fn; }); }
  };
})();
