/* The console's configuration: console.html's <meta> elements (support-api-base, google-client-id). */

function meta(name) {
  const node = document.querySelector('meta[name="' + name + '"]');
  return node ? node.getAttribute("content").trim() : "";
}

export const config = {
  apiBase: (meta("support-api-base") || location.origin).replace(/\/+$/, ""),
  googleClientId: meta("google-client-id")
};
