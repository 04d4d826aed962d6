// Tests of src/wwe_host/web/static/desktop/tab-state.js: this tab's indicator and reports.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import { isShown, newTabId, STATE_TEXT, TabState } from "../../../src/wwe_host/web/static/desktop/tab-state.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
  document.visibilityState = "visible";
  document.hasFocus = () => false;
  globalThis.getComputedStyle = (el) => ({ visibility: el.dataset.visibility ?? "visible" });
});

function frame(frameId, { laidOut = true, visibility = "visible", parent = document.body } = {}) {
  const element = h("iframe");
  element.dataset.visibility = visibility;
  element.getClientRects = () => (laidOut ? [{}] : []);
  parent.append(element);
  return { frameId, element, popup: null };
}

test("tab ids are made per page and differ", () => {
  assert.match(newTabId(), /^tab-[\w-]{1,60}$/);
  assert.notEqual(newTabId(), newTabId());
});

test("shown: laid out and visible, not a background app; a popup while open", () => {
  const offscreen = h("div", { id: "offscreen-frames" });
  document.body.append(offscreen);
  assert.equal(isShown(frame("a")), true);
  assert.equal(isShown(frame("b", { visibility: "hidden" })), false);
  assert.equal(isShown(frame("c", { laidOut: false })), false);
  assert.equal(isShown(frame("d", { parent: offscreen })), false);
  assert.equal(isShown({ frameId: "p", element: null, popup: { closed: false } }), true);
  assert.equal(isShown({ frameId: "q", element: null, popup: { closed: true } }), false);
});

test("the indicator shows the server's state; reports go when what is shown changed", () => {
  const sent = [];
  const indicator = h("span");
  const frames = new Map([["f-1", frame("f-1")], ["f-2", frame("f-2", { visibility: "hidden" })]]);
  const state = new TabState({ tabId: "tab-x", indicator, connection: { send: (m) => sent.push(m) },
    relay: { frames } });
  state.render({ tabs: { "tab-x": "FOLLOWING", other: "LEADING" } });
  assert.equal(indicator.textContent, STATE_TEXT.FOLLOWING);
  assert.equal(indicator.getAttribute("data-state"), "FOLLOWING");
  assert.deepEqual(sent, [{ type: "tab", visible: true, shown: ["f-1"], active: false }]);
  state.report();
  assert.equal(sent.length, 1); // nothing changed
  frames.get("f-2").element.dataset.visibility = "visible";
  state.report({ active: true });
  assert.deepEqual(sent.at(-1), { type: "tab", visible: true, shown: ["f-1", "f-2"], active: true });
  state.report({ active: true });
  assert.equal(sent.length, 2); // "used" at most every 2 s
  state.connected(); // a reconnect: the server is told again
  assert.equal(sent.length, 3);
  state.render({ tabs: {} });
  assert.equal(indicator.hidden, true);
});
