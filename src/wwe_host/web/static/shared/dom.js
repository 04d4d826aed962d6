// Small DOM helpers shared by the desktop and the admin page. Text from the server or from
// a frame always goes in as text (textContent), never as HTML.
//
// Rendering is keyed: an element is created once per thing (a case, a row, an iframe) and
// updated in place, so focus, typed text and iframes (which reload when moved) stay put.
// `rebuild` is for small groups of children that are cheaper to build again when what they
// show changed (a card's buttons, a text-only table).

export const $ = (id) => document.getElementById(id);

/** createElement with attributes; children are nodes or strings (added as text). */
export function h(tag, props = null, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") el.className = value;
      else if (name === "text") el.textContent = value;
      else if (name === "value") el.value = value;
      else if (name === "dataset") Object.assign(el.dataset, value);
      else if (name.startsWith("on") && typeof value === "function") {
        el.addEventListener(name.slice(2), value);
      } else el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) el.append(child);
  }
  return el;
}

export function setText(el, text) {
  const value = text ?? "";
  if (el.textContent !== value) el.textContent = value;
}

export function setAttr(el, name, value) {
  if (value === null || value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else {
    const text = value === true ? "" : String(value);
    if (el.getAttribute(name) !== text) el.setAttribute(name, text);
  }
}

export function setHidden(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}

/**
 * Keep an input in step with the server without fighting the person: the server value is
 * written only when they are not in the field and has not typed over the last one.
 */
export function syncInput(input, serverValue) {
  const value = serverValue === null || serverValue === undefined ? "" : String(serverValue);
  const previous = input.dataset.server;
  if (previous === value) return;
  const untouched = previous === undefined || input.value === previous;
  if (document.activeElement !== input && untouched) input.value = value;
  input.dataset.server = value;
}

const signatures = new WeakMap(); // element → what it was last built from

/** True (and remembered) when `signature` differs from the one `el` was last built from. */
export function changed(el, signature) {
  if (signatures.get(el) === signature) return false;
  signatures.set(el, signature);
  return true;
}

/**
 * Replace the children of `container` with `build()` when `signature` changed. If focus was
 * inside, it moves to the new element with the same data-key, else to the first control, so
 * a keyboard user is not thrown back to the top of the page.
 */
export function rebuild(container, signature, build) {
  if (!changed(container, signature)) return;
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  const key = focused?.dataset?.key;
  container.replaceChildren(...build().flat(Infinity).filter((c) => c !== null && c !== undefined
    && c !== false));
  if (focused) {
    const again = (key && container.querySelector(`[data-key="${CSS.escape(key)}"]`))
      || container.querySelector("button, input, select, textarea");
    again?.focus();
  }
}

/** Put `el` right after `previous` (or first) in `parent`, moving it only if needed. */
export function placeAfter(parent, el, previous) {
  const wanted = previous ? previous.nextSibling : parent.firstChild;
  if (wanted !== el) parent.insertBefore(el, wanted);
}

/**
 * Keyed children of a list or table body, in the order of `items`: `make(key, item)` creates
 * an entry `{el, ...}` once, `update(entry, item)` refreshes it; the entries of keys no longer
 * present are removed. `map` (key → entry) is the caller's, kept between calls.
 */
export function syncKeyed(parent, map, items, keyOf, make, update) {
  const keys = new Set();
  let previous = null;
  for (const item of items) {
    const key = keyOf(item);
    keys.add(key);
    let entry = map.get(key);
    if (!entry) {
      entry = make(key, item);
      map.set(key, entry);
    }
    update(entry, item);
    placeAfter(parent, entry.el, previous);
    previous = entry.el;
  }
  for (const [key, entry] of map) {
    if (!keys.has(key)) {
      entry.el.remove();
      map.delete(key);
    }
  }
}
