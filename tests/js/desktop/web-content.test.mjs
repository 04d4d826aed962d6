// Tests of src/wwe_host/web/static/desktop/web-content.js: the third-party apps' frames,
// with a fake connection (frame.open answers) and a fake relay.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, withIds } from "../fake-dom.mjs";
import { TabSet } from "../../../src/wwe_host/web/static/desktop/tabs.js";
import {
  SANDBOX, tabNames, wantedApps, WebContent,
} from "../../../src/wwe_host/web/static/desktop/web-content.js";
import { Store } from "../../../src/wwe_host/web/static/shared/store.js";

let document;
beforeEach(() => {
  document = installDom();
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("wantedApps: agent-level first, then each interaction's, with their keys", () => {
  const apps = wantedApps({
    workspace: [{ section: "Dialer" }],
    interaction: { 3: [{ section: "CRM" }, { section: "Notes" }], 4: null },
  });
  assert.deepEqual(apps.map((a) => [a.key, a.interactionId]),
    [["w:Dialer", null], ["i:3:CRM", "3"], ["i:3:Notes", "3"]]);
  assert.deepEqual(wantedApps(undefined), []);
});

test("tabNames tells the same app of two interactions apart", () => {
  assert.deepEqual(tabNames([{ label: "CRM", interactionId: "1" }, { label: "Notes" },
    { label: "CRM", interactionId: "2" }]), ["CRM (1)", "Notes", "CRM (2)"]);
});

function setup() {
  const els = withIds({
    "workspace-tabs": "div", "workspace-panels": "div", "workspace-popups": "div",
    "case-app-tabbar": "div", "case-app-tabs": "div > case-app-tabbar", "case-app-panels": "div",
    "no-case-apps": "p", "offscreen-frames": "div",
  });
  const store = new Store();
  const sent = [];
  let nextFrame = 1;
  const connection = {
    requests: [],
    request(message) {
      this.requests.push(message);
      return Promise.resolve({ frameId: `f-${nextFrame++}` });
    },
    send: (message) => sent.push(message),
  };
  const relay = {
    registered: new Map(),
    register(frameId, info) { this.registered.set(frameId, info); },
    unregister(frameId) { this.registered.delete(frameId); },
    setPopup() {},
  };
  const notes = [];
  const errors = [];
  const wc = new WebContent({
    store, connection, relay,
    actions: { act: async () => ({ ok: true }), showError: (t) => errors.push(t) },
    note: (t) => notes.push(t),
    workspaceTabs: new TabSet(els["workspace-tabs"]),
    caseAppTabs: new TabSet(els["case-app-tabs"]),
  });
  const render = (s) => {
    store.set(s);
    wc.sync(s);
  };
  return { els, wc, connection, relay, sent, notes, errors, render };
}

const crm = (url = "https://a.example/crm?i=3") => ({ section: "CRM", label: "CRM", url,
  origin: "https://a.example", mode: "tab" });

test("a tab app: a tab at once, an iframe registered before it loads, removed with its interaction", async () => {
  const { els, wc, connection, relay, sent, render } = setup();
  const interaction = { interactionId: "3", caseId: "c1" };
  render({ selectedCase: "c1", interactions: [interaction],
    webContent: { interaction: { 3: [crm()] } } });
  assert.deepEqual(connection.requests, [{ type: "frame.open", section: "CRM",
    origin: "https://a.example", interactionId: "3" }]);
  assert.equal(els["case-app-tabs"].children[0].textContent, "CRM");
  assert.equal(els["no-case-apps"].hidden, true);
  await settle();
  const iframe = els["case-app-panels"].querySelector("iframe");
  assert.equal(iframe.getAttribute("sandbox"), SANDBOX);
  assert.equal(iframe.dataset.frameId, "f-1");
  assert.equal(iframe.dataset.interactionId, "3");
  assert.equal(relay.registered.get("f-1").element, iframe);
  assert.equal(wc.frameLabel("f-1"), "CRM #3");
  render({ selectedCase: null, interactions: [], webContent: { interaction: {} } });
  assert.deepEqual(sent, [{ type: "frame.close", frameId: "f-1" }]);
  assert.equal(relay.registered.size, 0);
  assert.equal(iframe.isConnected, false);
  assert.equal(els["case-app-tabs"].children.length, 0);
});

test("background apps load off screen; a bad URL is reported, not loaded", async () => {
  const { els, wc, relay, notes, render } = setup();
  render({ interactions: [{ interactionId: "3", caseId: "c" }], webContent: { interaction: { 3: [
    { section: "Bg", label: "Bg", url: "https://b.example/", origin: "https://b.example", mode: "background" },
    { ...crm("javascript:alert(1)") },
  ] } } });
  await settle();
  assert.equal(els["offscreen-frames"].children.length, 1);
  assert.deepEqual(wc.inMode("background").map((app) => app.section), ["Bg"]);
  assert.deepEqual(notes, ["CRM could not be opened: its URL is not an http(s) address."]);
  assert.equal(relay.registered.size, 1);
});

test("an app destroyed before its frame id came closes that frame", async () => {
  const { connection, sent, render } = setup();
  render({ interactions: [], webContent: { interaction: { 3: [crm()] } } });
  render({ interactions: [], webContent: { interaction: {} } });
  await settle();
  assert.equal(connection.requests.length, 1);
  assert.deepEqual(sent, [{ type: "frame.close", frameId: "f-1" }]);
});

test("agent-level apps are workspace tabs created once", async () => {
  const { els, connection, render } = setup();
  const s = { interactions: [], webContent: { workspace: [{ section: "Dialer", label: "Dialer",
    url: "https://a.example/d", origin: "https://a.example" }] } };
  render(s);
  render(s);
  await settle();
  assert.equal(connection.requests.length, 1);
  assert.deepEqual(connection.requests[0], { type: "frame.open", section: "Dialer",
    origin: "https://a.example" });
  assert.equal(els["workspace-panels"].querySelectorAll("iframe").length, 1);
});

test("background, hidden and popup apps: only the leading tab loads them", async () => {
  let state = "FOLLOWING";
  const { els, wc, sent, connection } = setup();
  wc.tabState = () => state;
  const bg = { section: "Bg", label: "Bg", url: "https://b.example/", origin: "https://b.example",
    mode: "background" };
  const s = { interactions: [{ interactionId: "3", caseId: "c" }],
    webContent: { interaction: { 3: [bg, crm()] } } };
  wc.sync(s);
  await settle();
  assert.deepEqual(connection.requests.map((r) => r.section), ["CRM"]); // no Bg
  state = "NEGOTIATING";
  wc.sync(s);
  assert.equal(connection.requests.length, 1); // negotiating: nothing new
  state = "LEADING";
  wc.sync(s);
  await settle();
  assert.deepEqual(connection.requests.map((r) => r.section), ["CRM", "Bg"]);
  assert.equal(els["offscreen-frames"].children.length, 1);
  state = "NEGOTIATING";
  wc.sync(s);
  assert.equal(els["offscreen-frames"].children.length, 1); // kept while negotiating
  state = "FOLLOWING";
  wc.sync(s);
  assert.equal(els["offscreen-frames"].children.length, 0);
  assert.deepEqual(sent, [{ type: "frame.close", frameId: "f-2" }]);
  assert.equal(wc.inMode("tab").length, 1); // CRM stays
});
