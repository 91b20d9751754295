/* Small DOM helpers: elements built with textContent only, icons, the page's strings, lists, links. */

import { T } from "./strings.js";

const ICONS = {
  bubble: "M4 4h16v12H7l-3 3z",
  inbox: "M5.6 3h12.8L22 12.5V21H2v-8.5zM4.4 12H9a3 3 0 0 0 6 0h4.6L17 5H7z",
  book: "M4 4a2 2 0 0 1 2-2h13v16H6a1 1 0 0 0 0 2h13v2H6a2 2 0 0 1-2-2z",
  thumb: "M2 10h4v11H2zM8 21h9.3a2 2 0 0 0 2-1.6l1.5-7.2A1.9 1.9 0 0 0 18.9 10H14l.9-4.3A1.6 1.6 0 0 0 12.2 4L8 10z",
  star: "M12 2l3 6.9 7.5.6-5.7 4.9 1.8 7.3L12 17.8l-6.6 3.9 1.8-7.3-5.7-4.9L9 8.9z"
};

export function $(id) { return document.getElementById(id); }

export function each(selector, fn, root) {
  Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
}

/** A new element: attrs.text becomes its textContent, on<event> a listener; children are nodes or text. */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    const value = attrs[key];
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

export function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill-rule", "evenodd");
  svg.appendChild(path);
  return svg;
}

/** Fills the page's data-t, data-t-label and data-t-placeholder attributes from the strings, and its icons. */
export function applyStrings() {
  each("[data-t]", function (node) { node.textContent = T[node.dataset.t]; });
  each("[data-t-label]", function (node) { node.setAttribute("aria-label", T[node.dataset.tLabel]); });
  each("[data-t-placeholder]", function (node) { node.placeholder = T[node.dataset.tPlaceholder]; });
  each("[data-icon]", function (node) { node.appendChild(icon(node.dataset.icon)); });
}

/** A <dt>label</dt><dd>value</dd> pair added to a <dl>. */
export function addFact(list, label, value) {
  list.appendChild(el("dt", { text: label }));
  list.appendChild(el("dd", {}, [value]));
}

/** Records key as keys[name]; true when it was there already, so what it describes need not be drawn again. */
export function sameKey(keys, name, key) {
  if (keys[name] === key) return true;
  keys[name] = key;
  return false;
}

/** Rebuilds a list and its empty text; the row that had focus (by data-id) gets it back, so a poll does not move it. */
export function rebuildList(list, emptyNode, items, build, emptyText) {
  const focused = document.activeElement && list.contains(document.activeElement)
    ? document.activeElement.dataset.id : null;
  list.textContent = "";
  items.forEach(function (item) { list.appendChild(build(item)); });
  emptyNode.hidden = items.length > 0;
  emptyNode.textContent = emptyText;
  if (focused) {
    const again = list.querySelector('[data-id="' + CSS.escape(focused) + '"]');
    if (again) again.focus({ preventScroll: true });
  }
}

/** The link to the view shown gets aria-current="page", the others lose it. */
export function markCurrent(prefix, names, current) {
  names.forEach(function (name) {
    if (name === current) $(prefix + name).setAttribute("aria-current", "page");
    else $(prefix + name).removeAttribute("aria-current");
  });
}

/** Goes to `hash`; setting the hash the page already has would not route, so it routes again at once. */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

export function entryHash(id) { return "#/knowledge/entries/" + encodeURIComponent(id); }
