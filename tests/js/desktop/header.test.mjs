// Tests of src/wwe_host/web/static/desktop/header.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, withIds } from "../fake-dom.mjs";
import { agentName, Header, stateOptions } from "../../../src/wwe_host/web/static/desktop/header.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";
import { Store } from "../../../src/wwe_host/web/static/shared/store.js";
import { tickTimer } from "../../../src/wwe_host/web/static/desktop/interaction-card.js";

let document;
beforeEach(() => {
  document = installDom();
});

const LIST = [{ operationName: "Ready", displayName: "Ready" },
  { operationName: "NotReady", displayName: "Not Ready" }];

test("stateOptions: the state list, the current state chosen", () => {
  const select = h("select", { disabled: true });
  stateOptions(select, LIST, { operationName: "NotReady", type: "NOT_READY" });
  assert.deepEqual(select.children.map((o) => o.textContent), ["Ready", "Not Ready"]);
  assert.equal(select.value, "NotReady");
  assert.equal(select.disabled, false);
  assert.equal(select.dataset.state, "NOT_READY");
  const first = select.children[0];
  stateOptions(select, LIST, { operationName: "Ready", type: "READY" });
  assert.equal(select.children[0], first, "same list: options kept");
  assert.equal(select.value, "Ready");
});

test("stateOptions: a reported-only state is shown first and cannot be chosen", () => {
  const select = h("select");
  stateOptions(select, LIST, { operationName: "PartialReady", displayName: "Partially Ready",
    type: "PARTIAL_READY" });
  const [only] = select.children;
  assert.equal(only.textContent, "Partially Ready");
  assert.equal(only.hasAttribute("disabled"), true);
  assert.equal(select.children.length, 3);
});

test("agentName: first and last name, else the username", () => {
  assert.equal(agentName({ firstname: "Ann", lastname: "Lee", username: "ann" }), "Ann Lee");
  assert.equal(agentName({ username: "ann" }), "ann");
  assert.equal(agentName(undefined), "");
});

function header(snapshot) {
  withIds({ "agent-name": "span", "agent-number": "span", "agent-state": "select",
    "state-time": "span", "media-states": "div", "mute-microphone": "button", "mute-speaker": "button", logout: "button" });
  const store = new Store(snapshot);
  const acts = [];
  let answer = { ok: true };
  const actions = { act: async (op, args) => { acts.push([op, args]); return answer; } };
  const panel = new Header({ store, actions, connection: { stop() {} } });
  store.subscribe((s) => panel.render(s));
  store.notify();
  return { panel, store, acts, refuse: () => { answer = { ok: false }; } };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("the header: name, number, a menu per media, mute toggles that say what they do", async () => {
  const { store, acts } = header({ agent: { firstname: "Ann", lastname: "Lee" }, number: "6001",
    stateList: LIST, state: { operationName: "Ready" },
    media: { voice: { operationName: "Ready" }, chat: { operationName: "NotReady" } },
    microphoneMuted: true });
  assert.equal(document.getElementById("agent-name").textContent, "Ann Lee");
  assert.equal(document.getElementById("agent-number").textContent, "DN 6001");
  assert.equal(document.title, "Ann Lee – Agent desktop");
  const menus = document.getElementById("media-states").querySelectorAll("select");
  assert.deepEqual(menus.map((s) => [s.getAttribute("aria-label"), s.value]),
    [["voice state", "Ready"], ["chat state", "NotReady"]]);
  const mic = document.getElementById("mute-microphone");
  assert.equal(mic.textContent, "Unmute microphone");
  assert.equal(mic.getAttribute("aria-pressed"), "true");
  mic.click();
  menus[1].value = "Ready";
  menus[1].dispatchEvent({ type: "change" });
  await settle();
  assert.deepEqual(acts, [["mute", { microphone: false }],
    ["setMediaState", { media: "chat", operationName: "Ready" }]]);
  store.set({ ...store.get(), media: { voice: { operationName: "Ready" } } });
  assert.equal(document.getElementById("media-states").querySelectorAll("select").length, 1);
});

test("a refused state change puts the menu back to the server's state", async () => {
  const { refuse } = header({ stateList: LIST, state: { operationName: "Ready" } });
  refuse();
  const select = document.getElementById("agent-state");
  select.value = "NotReady";
  select.dispatchEvent({ type: "change" });
  await settle();
  assert.equal(select.value, "Ready");
});

test("the time in the agent's state is a timer from the server's stateSince", () => {
  header({ agent: { username: "ann" }, stateList: LIST,
    state: { operationName: "Ready", displayName: "Ready" }, stateSince: 1000, media: {} });
  const el = document.getElementById("state-time");
  assert.equal(el.dataset.since, "1000");
  assert.equal(el.getAttribute("aria-label"), "Time in Ready");
  tickTimer(el, 1_000_000 + 125_000);
  assert.equal(el.textContent, "02:05");
});
