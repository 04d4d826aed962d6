// Tests of src/wwe_host/web/static/desktop/header-menus.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, withIds } from "../fake-dom.mjs";
import { startHeaderMenus } from "../../../src/wwe_host/web/static/desktop/header-menus.js";

let document;
beforeEach(() => {
  document = installDom();
  document.defaultView = globalThis.window;
});

function fire(type, fields = {}) {
  for (const listener of document.listeners.get(type) ?? []) listener({ type, ...fields });
}

test("a header toggle opens and closes its group; Escape, a click or focus elsewhere, blur close it", () => {
  const els = withIds({ toggle: "button", tools: "div", other: "button" });
  els.toggle.className = "header-toggle";
  els.toggle.setAttribute("aria-controls", "tools");
  els.toggle.setAttribute("aria-expanded", "false");
  const [menu] = startHeaderMenus(document);
  els.toggle.click();
  assert.equal(els.toggle.getAttribute("aria-expanded"), "true");
  assert.equal(els.tools.hasAttribute("data-open"), true);
  fire("keydown", { key: "Escape" });
  assert.equal(menu.isOpen, false);
  assert.equal(els.tools.hasAttribute("data-open"), false);
  assert.equal(document.activeElement, els.toggle);

  els.toggle.click();
  fire("pointerdown", { target: els.tools });
  assert.equal(menu.isOpen, true, "a click inside the group keeps it open");
  fire("pointerdown", { target: els.other });
  assert.equal(menu.isOpen, false);

  els.toggle.click();
  fire("focusin", { target: els.other });
  assert.equal(menu.isOpen, false, "focus moved elsewhere");

  els.toggle.click();
  window.fire("blur");
  assert.equal(menu.isOpen, false);
});
