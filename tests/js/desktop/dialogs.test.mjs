// Tests of src/wwe_host/web/static/desktop/dialogs.js: modal dialogs holding a frame.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import { Dialogs, dialogsFor } from "../../../src/wwe_host/web/static/desktop/dialogs.js";
import { SANDBOX } from "../../../src/wwe_host/web/static/desktop/web-content.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const page = h("main", null, h("button", { id: "before" }, "Before"));
  const layer = h("div");
  document.body.append(page, layer);
  const requests = [];
  const sent = [];
  const acts = [];
  const connection = {
    request(message) {
      requests.push(message);
      return Promise.resolve({ frameId: `f-${requests.length + 10}` });
    },
    send: (message) => sent.push(message),
  };
  const relay = {
    registered: new Map(),
    register(frameId, info) { this.registered.set(frameId, info); },
    unregister(frameId) { this.registered.delete(frameId); },
  };
  const dialogs = new Dialogs({ layer, connection, relay,
    actions: { act: (op, args) => acts.push([op, args]) }, note: () => {} });
  return { page, layer, dialogs, requests, sent, acts, relay };
}

const dialog = (over = {}) => ({ id: "wweCustomDialog1", frameId: "f-1",
  section: "@dialog:wweCustomDialog1", url: "https://b.example/d?id=wweCustomDialog1",
  label: "<i>Notes</i>", width: "430px", height: null, tab: "t1", ...over });

test("a tab shows the dialogs the server places in it (or in no tab yet)", () => {
  const s = { dialogs: [dialog(), dialog({ id: "x", tab: "t2" }), dialog({ id: "y", tab: null })] };
  assert.deepEqual(dialogsFor(s, "t1").map((d) => d.id), ["wweCustomDialog1", "y"]);
  assert.deepEqual(dialogsFor({}, "t1"), []);
});

test("a dialog is modal, labelled, holds a registered frame, and gives focus back", async () => {
  const { page, layer, dialogs, requests, sent, acts, relay } = setup();
  const before = document.getElementById("before");
  before.focus();
  dialogs.sync({ dialogs: [dialog()] }, "t1");
  const box = layer.querySelector("[role=dialog]");
  assert.equal(box.getAttribute("aria-modal"), "true");
  const title = document.getElementById(box.getAttribute("aria-labelledby"));
  assert.equal(title.textContent, "<i>Notes</i>");
  assert.equal(box.querySelectorAll("i").length, 0);
  assert.equal(box.style.width, "430px");
  assert.equal(page.inert, true);
  assert.deepEqual(requests, [{ type: "frame.open", section: "@dialog:wweCustomDialog1",
    origin: "https://b.example" }]);
  await settle();
  const iframe = box.querySelector("iframe");
  assert.equal(iframe.getAttribute("sandbox"), SANDBOX);
  assert.equal(iframe.getAttribute("src") ?? iframe.src, "https://b.example/d?id=wweCustomDialog1");
  assert.equal(relay.registered.get("f-11").element, iframe);
  assert.equal(document.activeElement, iframe);
  assert.deepEqual(dialogs.frameIds(), ["f-11"]);
  assert.equal(dialogs.frameLabel("f-11"), "Dialog wweCustomDialog1");
  // The agent's Close button asks the server; the snapshot without it removes it.
  box.querySelector("button").click();
  assert.deepEqual(acts, [["closeDialog", { dialogId: "wweCustomDialog1" }]]);
  dialogs.sync({ dialogs: [] }, "t1");
  assert.equal(layer.children.length, 0);
  assert.deepEqual(sent, [{ type: "frame.close", frameId: "f-11" }]);
  assert.equal(relay.registered.size, 0);
  assert.equal(page.inert, false);
  assert.equal(document.activeElement, before);
});

test("a dialog closed before its frame id came closes that frame", async () => {
  const { dialogs, sent } = setup();
  dialogs.sync({ dialogs: [dialog()] }, "t1");
  dialogs.sync({ dialogs: [] }, "t1");
  await settle();
  assert.deepEqual(sent, [{ type: "frame.close", frameId: "f-11" }]);
});

test("only the newest dialog takes input", () => {
  const { layer, dialogs } = setup();
  dialogs.sync({ dialogs: [dialog(), dialog({ id: "wweCustomDialog2", label: "" })] }, "t1");
  const [first, second] = layer.children;
  assert.equal(first.inert, true);
  assert.equal(second.inert, false);
  assert.equal(second.querySelector("h2").textContent, "Dialog");
});
