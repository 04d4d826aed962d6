// Tests of src/wwe_host/web/static/shared/user-data.js: the attached-data editor of the
// desktop's case data and of the admin page's cards.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom } from "../fake-dom.mjs";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";
import { keyValueRow, UserDataEditor } from "../../../src/wwe_host/web/static/shared/user-data.js";

let document;
beforeEach(() => {
  document = installDom();
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("a row saves on Enter and on change, each new value once", async () => {
  const saved = [];
  const { tr, input } = keyValueRow("Tier", { save: async (text) => {
    saved.push(text);
    return { ok: true };
  }, remove: () => {} });
  document.body.append(tr);
  input.dataset.server = "gold";
  input.value = "gold";
  input.dispatchEvent(event("keydown", { key: "Enter" }));
  input.value = "silver";
  input.dispatchEvent(event("keydown", { key: "Enter" }));
  input.dispatchEvent(event("change"));
  await settle();
  assert.deepEqual(saved, ["silver"]);
  assert.equal(tr.dataset.key, "Tier");
  assert.equal(tr.querySelector("th").textContent, "Tier");
  assert.equal(input.getAttribute("aria-label"), "Tier");
  assert.equal(tr.querySelector("button").textContent, "Delete Tier");
});

test("a refused value shows the stored one again unless the person is still typing", async () => {
  const { tr, input } = keyValueRow("K", { save: async () => ({ ok: false }), remove: () => {} });
  document.body.append(tr);
  input.dataset.server = "stored";
  input.value = "refused";
  input.dispatchEvent(event("change"));
  await settle();
  assert.equal(input.value, "stored");
  input.focus();
  input.value = "again";
  input.dispatchEvent(event("change"));
  await settle();
  assert.equal(input.value, "again");
  input.dispatchEvent(event("keydown", { key: "Escape" }));
  assert.equal(input.value, "stored");
});

function editor(overrides = {}) {
  const calls = [];
  const errors = [];
  const parts = {
    body: h("tbody"),
    form: h("form"),
    keyInput: h("input"),
    valueInput: h("input"),
  };
  parts.form.append(parts.keyInput, parts.valueInput);
  document.body.append(h("table", null, parts.body), parts.form);
  const record = (name) => async (...args) => {
    calls.push([name, ...args]);
    return { ok: true };
  };
  const ed = new UserDataEditor({ ...parts, save: record("save"), remove: record("remove"),
    add: record("add"), showError: (text) => errors.push(text), ...overrides });
  return { ed, parts, calls, errors };
}

test("rows follow the data: keyed, in order, values as text, typed text kept", () => {
  const { ed, parts } = editor();
  ed.render({ a: "1", b: { n: 2 } });
  const rows = () => parts.body.children.map((tr) => [tr.dataset.key,
    tr.querySelector("input").value]);
  assert.deepEqual(rows(), [["a", "1"], ["b", '{"n":2}']]);
  const rowA = parts.body.children[0];
  rowA.querySelector("input").value = "typing";
  ed.render({ b: 3, a: "1b", c: null });
  assert.deepEqual(rows(), [["b", "3"], ["a", "typing"], ["c", ""]]);
  assert.equal(parts.body.children[1], rowA, "the row is kept");
  ed.render({});
  assert.equal(parts.body.children.length, 0);
});

test("save and remove name the key; save also gets the value it replaces", async () => {
  const { ed, parts, calls } = editor();
  ed.render({ n: 5 });
  const row = parts.body.children[0];
  row.querySelector("input").value = "6";
  row.querySelector("input").dispatchEvent(event("change"));
  row.querySelector("button").click();
  await settle();
  assert.deepEqual(calls, [["save", "n", "6", 5], ["remove", "n"]]);
});

test("add: a key is required; a success empties the form and focuses the key", async () => {
  const { ed, parts, calls, errors } = editor({ what: "case data" });
  parts.valueInput.value = "v";
  parts.form.dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(errors, ["Enter a key for the new case data."]);
  assert.equal(document.activeElement, parts.keyInput);
  assert.deepEqual(calls, []);
  parts.keyInput.value = "  Key ";
  const submitted = event("submit");
  parts.form.dispatchEvent(submitted);
  assert.equal(submitted.defaultPrevented, true);
  await settle();
  assert.deepEqual(calls, [["add", "Key", "v"]]);
  assert.equal(parts.keyInput.value, "");
  assert.equal(parts.valueInput.value, "");
});

test("a refused add keeps what was typed; clear forgets the rows", async () => {
  const { ed, parts } = editor({ add: async () => ({ ok: false }) });
  parts.keyInput.value = "k";
  parts.valueInput.value = "v";
  parts.form.dispatchEvent(event("submit"));
  await settle();
  assert.equal(parts.keyInput.value, "k");
  ed.render({ a: 1 });
  ed.clear();
  assert.equal(parts.body.children.length, 0);
  ed.render({ a: 1 });
  assert.equal(parts.body.children.length, 1);
});
