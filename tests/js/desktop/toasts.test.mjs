// Tests of src/wwe_host/web/static/desktop/toasts.js and mymessage.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, text, withIds } from "../fake-dom.mjs";
import { MyMessages } from "../../../src/wwe_host/web/static/desktop/mymessage.js";
import { Toasts } from "../../../src/wwe_host/web/static/desktop/toasts.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

function toasts() {
  const box = h("section");
  document.body.append(box);
  const log = [];
  const panel = new Toasts({ box,
    actions: { act: async (op, args) => { log.push([op, args]); return { ok: true }; } },
    show: (frameId) => log.push(["show", frameId]) });
  return { panel, box, log };
}

const buttons = (el) => el.querySelectorAll("button").map((b) => b.textContent);

test("a toast: title, subject, message, key/values as text, buttons", () => {
  const { panel, box } = toasts();
  panel.render({ toasts: [{ id: "toast-1", title: "<b>T</b>", subject: "S", message: "M",
    keyValues: { Tier: "gold" }, iconUrl: "javascript:x", buttons: ["One", "Two"] }] });
  const el = box.children[0];
  assert.equal(el.getAttribute("role"), "status");
  assert.equal(el.getAttribute("aria-labelledby"), "toast-toast-1-title");
  assert.equal(el.querySelector("h3").textContent, "<b>T</b>");
  assert.equal(el.querySelector("b"), null);
  assert.equal(el.querySelector("img"), null, "not an http(s) icon");
  assert.equal(text(el.querySelector("dl")), "Tiergold");
  assert.deepEqual(buttons(el), ["One", "Two"]);
});

test("Show brings the app into view first, then clicks; OK closes", () => {
  const { panel, box, log } = toasts();
  panel.render({ toasts: [{ id: "t1", title: "A", buttonShowDismiss: true, frameId: "f-4" },
    { id: "t2", title: "B" }] });
  const [a, b] = box.children;
  assert.deepEqual(buttons(a), ["Show", "Dismiss"]);
  a.querySelector("button").click();
  b.querySelector("button").click();
  assert.deepEqual(log, [["show", "f-4"], ["toastClick", { toastId: "t1", buttonIndex: 0 }],
    ["toastClose", { toastId: "t2" }]]);
});

test("toasts are kept while shown (closeAt alone rebuilds nothing) and removed when gone", () => {
  const { panel, box } = toasts();
  const toast = { id: "t1", title: "A", closeAt: 1 };
  panel.render({ toasts: [toast] });
  const title = box.querySelector("h3");
  panel.render({ toasts: [{ ...toast, closeAt: 2 }] });
  assert.equal(box.querySelector("h3"), title);
  panel.render({ toasts: [{ ...toast, title: "A2" }] });
  assert.equal(box.querySelector("h3").textContent, "A2");
  panel.render({});
  assert.equal(box.children.length, 0);
});

test("MyMessage: newest first, with the time of day", () => {
  withIds({ "mymessage-list": "ol", "mymessage-empty": "p" });
  const panel = new MyMessages();
  panel.render({ myMessages: [] });
  assert.equal(document.getElementById("mymessage-empty").hidden, false);
  const at = new Date(2024, 0, 1, 9, 8, 7).getTime() / 1000;
  panel.render({ myMessages: [{ id: 1, title: "Old", at }, { id: 2, title: "New",
    message: "m", keyValues: [["k", "v"]] }] });
  const items = document.getElementById("mymessage-list").children;
  assert.deepEqual(items.map((li) => li.querySelector("strong").textContent), ["New", "Old"]);
  assert.equal(items[1].querySelector("time").textContent, "09:08:07");
  assert.equal(text(items[0].querySelector("dl")), "kv");
  assert.equal(document.getElementById("mymessage-empty").hidden, true);
});
