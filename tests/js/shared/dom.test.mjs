// Tests of src/wwe_host/web/static/shared/dom.js, on the fake document of fake-dom.mjs.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import {
  $, changed, h, placeAfter, rebuild, setAttr, setHidden, setText, syncInput, syncKeyed,
} from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

test("h: attributes, text, dataset, listeners; children as nodes or text, nothing skipped", () => {
  let clicked = 0;
  const el = h("button", { class: "primary", type: "button", dataset: { key: "k" },
    disabled: false, hidden: true, title: null, onclick: () => { clicked += 1; } },
  "Save", null, [false, ["", h("span", { text: "<b>x</b>" })]]);
  assert.equal(el.className, "primary");
  assert.equal(el.getAttribute("type"), "button");
  assert.equal(el.dataset.key, "k");
  assert.equal(el.hasAttribute("disabled"), false);
  assert.equal(el.getAttribute("hidden"), "");
  assert.equal(el.hasAttribute("title"), false);
  assert.equal(el.textContent, "Save<b>x</b>");
  assert.equal(el.querySelector("b"), null, "text stays text");
  el.click();
  assert.equal(clicked, 1);
  assert.equal(h("input", { value: "v" }).value, "v");
});

test("$ finds by id", () => {
  const el = h("p", { id: "here" });
  document.body.append(el);
  assert.equal($("here"), el);
});

test("setText, setAttr, setHidden write only changes", () => {
  const el = h("p", null, "a");
  const first = el.firstChild;
  setText(el, "a");
  assert.equal(el.firstChild, first, "same text: the node is kept");
  setText(el, null);
  assert.equal(el.textContent, "");
  setAttr(el, "aria-pressed", true);
  assert.equal(el.getAttribute("aria-pressed"), "");
  setAttr(el, "aria-pressed", "false");
  assert.equal(el.getAttribute("aria-pressed"), "false");
  setAttr(el, "aria-pressed", null);
  assert.equal(el.hasAttribute("aria-pressed"), false);
  setHidden(el, true);
  assert.equal(el.hidden, true);
});

test("syncInput: the server's value, unless the person is in the field or typed over it", () => {
  const input = h("input");
  document.body.append(input);
  syncInput(input, "one");
  assert.equal(input.value, "one");
  input.value = "typed";
  syncInput(input, "two");
  assert.equal(input.value, "typed", "typed text is not overwritten");
  input.value = "two";
  syncInput(input, 3);
  assert.equal(input.value, "3");
  input.focus();
  syncInput(input, null);
  assert.equal(input.value, "3", "not while focused");
  assert.equal(input.dataset.server, "");
});

test("changed remembers the last signature per element", () => {
  const el = h("div");
  assert.equal(changed(el, "a"), true);
  assert.equal(changed(el, "a"), false);
  assert.equal(changed(el, "b"), true);
  assert.equal(changed(h("div"), "a"), true);
});

test("rebuild: builds only when the signature changed; focus follows data-key", () => {
  const box = h("div");
  document.body.append(box);
  let builds = 0;
  const build = (keys) => () => {
    builds += 1;
    return keys.map((k) => h("button", { dataset: { key: k } }, k));
  };
  rebuild(box, "ab", build(["a", "b"]));
  rebuild(box, "ab", build(["a", "b"]));
  assert.equal(builds, 1);
  assert.equal(box.children.length, 2);
  box.children[1].focus();
  rebuild(box, "cb", build(["c", "b", null]));
  assert.equal(document.activeElement, box.children[1], "same key, new element");
  assert.equal(document.activeElement.dataset.key, "b");
  rebuild(box, "x", build(["x"]));
  assert.equal(document.activeElement, box.children[0], "else the first control");
});

test("placeAfter moves an element only when it is not in place", () => {
  const list = h("ul");
  const [a, b] = [h("li"), h("li")];
  placeAfter(list, a, null);
  placeAfter(list, b, a);
  assert.deepEqual(list.children, [a, b]);
  placeAfter(list, b, null);
  assert.deepEqual(list.children, [b, a]);
});

test("syncKeyed: one entry per key, in the items' order, reused and removed", () => {
  const list = h("ul");
  const map = new Map();
  let made = 0;
  const render = (items) => syncKeyed(list, map, items, (i) => i.id, (id) => {
    made += 1;
    return { el: h("li", { dataset: { id } }) };
  }, (entry, item) => setText(entry.el, item.text));
  render([{ id: "1", text: "one" }, { id: "2", text: "two" }]);
  const one = list.children[0];
  render([{ id: "2", text: "two!" }, { id: "1", text: "one" }, { id: "3", text: "three" }]);
  assert.equal(made, 3);
  assert.deepEqual(list.children.map((li) => li.textContent), ["two!", "one", "three"]);
  assert.equal(list.children[1], one, "kept, not rebuilt");
  render([{ id: "3", text: "three" }]);
  assert.deepEqual([...map.keys()], ["3"]);
  assert.equal(list.children.length, 1);
});
