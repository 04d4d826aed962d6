// An interaction's attached data as an editable key/value table with an "Add" form: the
// desktop's case data panel and every card of the admin page's live interactions.

import { asText } from "./format.js";
import { h, placeAfter, syncInput } from "./dom.js";

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

/**
 * The rows of `body` follow `render(data)` (keyed by key, in the data's order; a value being
 * edited is not overwritten), and `form` (with `keyInput`, `valueInput`) adds a key.
 *
 * The page supplies what the edits do, each resolving with `{ok}`:
 *   `save(key, text, stored)`  a new value for a key (`stored`: the value it replaces),
 *   `remove(key)`, `add(key, text)`;
 * and `showError(text)`, for a missing key (`what` names the data in that message).
 * `clear()` forgets the rows (another interaction is shown).
 */
export class UserDataEditor {
  constructor({ body, form, keyInput, valueInput, save, remove, add, showError,
    what = "attached data" }) {
    this.body = body;
    this.keyInput = keyInput;
    this.valueInput = valueInput;
    this.actions = { save, remove, add, showError };
    this.what = what;
    this.rows = new Map(); // key → {tr, input}
    this.data = {};
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
  }

  clear() {
    this.rows.clear();
    this.data = {};
    this.body.replaceChildren();
  }

  render(data) {
    this.data = data ?? {};
    for (const [key, row] of this.rows) {
      if (!(key in this.data)) {
        row.tr.remove();
        this.rows.delete(key);
      }
    }
    let previous = null;
    for (const [key, value] of Object.entries(this.data)) {
      let row = this.rows.get(key);
      if (!row) {
        row = keyValueRow(key, {
          save: (text) => this.actions.save(key, text, this.data[key]),
          remove: () => this.actions.remove(key),
        });
        this.rows.set(key, row);
      }
      syncInput(row.input, asText(value));
      placeAfter(this.body, row.tr, previous);
      previous = row.tr;
    }
  }

  async add() {
    const key = this.keyInput.value.trim();
    if (!key) {
      this.actions.showError(`Enter a key for the new ${this.what}.`);
      this.keyInput.focus();
      return;
    }
    const result = await this.actions.add(key, this.valueInput.value);
    if (result.ok) {
      this.keyInput.value = "";
      this.valueInput.value = "";
      this.keyInput.focus();
    }
  }
}
