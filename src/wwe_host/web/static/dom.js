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

/**
 * One row of an attached-data table: the key, its value as an input that saves on Enter or
 * change (each new value once; a refused one shows the stored value again unless the person
 * is still typing), and a "Delete <key>" button. `save(text)` resolves with `{ok}`.
 */
export function keyValueRow(key, { save, remove }) {
  const input = h("input", { type: "text", "aria-label": key, autocomplete: "off",
    class: "kv-value" });
  let sending = null;
  const commit = async () => {
    const text = input.value;
    if (text === input.dataset.server || text === sending) return;
    sending = text;
    const result = await save(text);
    sending = null;
    if (!result.ok && document.activeElement !== input) input.value = input.dataset.server ?? "";
  };
  input.addEventListener("change", commit);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") commit();
    if (event.key === "Escape") input.value = input.dataset.server ?? "";
  });
  // Named by its content ("Delete <key>"), not aria-label, so that a lookup by the label
  // <key> finds the value field only.
  const button = h("button", { type: "button", class: "kv-delete", onclick: remove },
    "Delete", h("span", { class: "visually-hidden", text: ` ${key}` }));
  const tr = h("tr", { dataset: { key } }, h("th", { scope: "row", text: key }),
    h("td", null, input), h("td", null, button));
  return { tr, input };
}
