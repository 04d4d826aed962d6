// Small DOM helpers shared by the desktop and the admin page. Text from the server or from
// a frame always goes in as text (textContent), never as HTML.

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
