// Tests of src/wwe_host/web/static/desktop/tabs.js: tabs with roving tabindex.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom } from "../fake-dom.mjs";
import { TabSet } from "../../../src/wwe_host/web/static/desktop/tabs.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

function tabSet(keys, onSelect) {
  const tablist = h("div");
  document.body.append(tablist);
  const set = new TabSet(tablist, onSelect);
  const made = {};
  for (const key of keys) {
    made[key] = { tab: h("button", null, key), panel: h("section") };
    document.body.append(made[key].panel);
    set.add(key, made[key].tab, made[key].panel);
  }
  return { set, tablist, made };
}

test("the first tab is selected; one panel is shown; only it is in the tab order", () => {
  const { made } = tabSet(["a", "b"]);
  assert.equal(made.a.tab.getAttribute("aria-selected"), "true");
  assert.equal(made.a.tab.getAttribute("tabindex"), "0");
  assert.equal(made.b.tab.getAttribute("tabindex"), "-1");
  assert.equal(made.a.panel.hidden, false);
  assert.equal(made.b.panel.hidden, true);
  assert.equal(made.a.tab.getAttribute("role"), "tab");
  assert.equal(made.a.panel.getAttribute("aria-labelledby"), made.a.tab.id);
});

test("clicks and arrow keys select (and tell), skipping hidden tabs", () => {
  const chosen = [];
  const { set, made } = tabSet(["a", "b", "c"], (key) => chosen.push(key));
  made.b.tab.click();
  assert.equal(set.selected, "b");
  set.setVisible("c", false);
  made.b.tab.dispatchEvent(event("keydown", { key: "ArrowRight" }));
  assert.equal(set.selected, "a", "wraps around past the hidden tab");
  assert.equal(document.activeElement, made.a.tab);
  made.a.tab.dispatchEvent(event("keydown", { key: "End" }));
  assert.equal(set.selected, "b");
  assert.deepEqual(chosen, ["b", "a", "b"]);
  set.select("a");
  assert.deepEqual(chosen, ["b", "a", "b"], "a programmatic select does not tell");
});

test("removing the selected tab selects the first visible one", () => {
  const { set, made } = tabSet(["a", "b", "c"]);
  set.select("b");
  set.remove("b");
  assert.equal(set.selected, "a");
  assert.equal(made.b.tab.isConnected, false);
  assert.equal(made.b.panel.isConnected, false);
});
