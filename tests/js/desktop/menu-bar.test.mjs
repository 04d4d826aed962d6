// Tests of src/wwe_host/web/static/desktop/menu-bar.js: frames' items in the header.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import { MenuBar } from "../../../src/wwe_host/web/static/desktop/menu-bar.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

function setup(held = ["f-1"]) {
  const list = h("ul");
  document.body.append(list);
  const acts = [];
  const bar = new MenuBar({ list, actions: { act: (op, args) => acts.push([op, args]) },
    holds: (frameId) => held.includes(frameId) });
  return { list, bar, acts };
}

const item = (over = {}) => ({ frameId: "f-1", name: "v", label: "<b>Label</b>", shortLabel: null,
  iconUrl: null, tooltip: "Tip", backgroundColor: "#fff", labelColor: "#123456", ...over });

test("a tab shows the items of the frames it holds, as text, and hides an empty bar", () => {
  const { list, bar } = setup();
  bar.render({ menuItems: [item(), item({ frameId: "f-9", name: "other" })] });
  assert.equal(list.hidden, false);
  const buttons = list.querySelectorAll("button");
  assert.equal(buttons.length, 1);
  assert.equal(buttons[0].textContent, "<b>Label</b>");
  assert.equal(buttons[0].querySelectorAll("b").length, 0);
  assert.equal(buttons[0].getAttribute("title"), "Tip");
  assert.equal(buttons[0].getAttribute("aria-label"), "<b>Label</b>");
  assert.deepEqual(buttons[0].style, { backgroundColor: "#fff", color: "#123456" });
  bar.render({ menuItems: [] });
  assert.equal(list.hidden, true);
  assert.equal(list.querySelectorAll("button").length, 0);
});

test("colours other than #rgb / #rrggbb and non-http icons are not applied", () => {
  const { list, bar } = setup();
  bar.render({ menuItems: [item({ backgroundColor: "red;x", labelColor: "url(x)",
    iconUrl: "javascript:alert(1)", shortLabel: "L" })] });
  const button = list.querySelector("button");
  assert.deepEqual(button.style, {});
  assert.equal(button.querySelectorAll("img").length, 0);
  assert.equal(button.querySelector(".menu-short").textContent, "L");
});

test("a click asks the server to tell the owner frame", () => {
  const { list, bar, acts } = setup();
  bar.render({ menuItems: [item({ iconUrl: "https://i.example/a.png" })] });
  assert.equal(list.querySelector("img").getAttribute("alt"), "");
  list.querySelector("button").click();
  assert.deepEqual(acts, [["menuItemClick", { frameId: "f-1", name: "v" }]]);
});
