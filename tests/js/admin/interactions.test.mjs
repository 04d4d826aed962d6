// Tests of src/wwe_host/web/static/admin/interactions.js and agents.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom } from "../fake-dom.mjs";
import { AgentsTable, fullName, stateText } from "../../../src/wwe_host/web/static/admin/agents.js";
import {
  factsOf, LiveInteractions, simButtons, typedValue,
} from "../../../src/wwe_host/web/static/admin/interactions.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("typedValue keeps numbers and booleans typed while the text reads as one", () => {
  assert.equal(typedValue(5, "6"), 6);
  assert.equal(typedValue(5, "six"), "six");
  assert.equal(typedValue(5, " "), " ");
  assert.equal(typedValue(true, "false"), false);
  assert.equal(typedValue(true, "no"), "no");
  assert.equal(typedValue("5", "6"), "6");
});

test("facts: per media, without empty values", () => {
  const call = { agent: "u01", media: "voice", state: "TALKING", interactionUUID: "u",
    interactionId: "3", callUuid: "C", direction: "IN", ani: "+1", dnis: "" };
  assert.deepEqual(factsOf(call).map(([k]) => k), ["Agent", "Media", "State", "Parties",
    "Interaction UUID", "Interaction id", "Call UUID", "Direction", "ANI"]);
  const consult = { media: "voice", isConsultation: true, parentInteractionId: "1",
    extensions: { Trunk: "2", Hint: "x" } };
  assert.deepEqual(factsOf(consult).slice(-2),
    [["Consultation of", "1"], ["Extensions", "Trunk=2, Hint=x"]]);
  assert.deepEqual(factsOf({ media: "voice", isConsultation: true }).slice(-1),
    [["Consultation of", "another agent's call"]]);
  assert.deepEqual(factsOf({ media: "chat", messages: 0 }, "c1").slice(-2),
    [["Messages", 0], ["Chat id", "c1"]]);
});

test("simulator buttons fit the state", () => {
  const labels = (i, chatId) => simButtons(i, chatId).map(([label]) => label);
  assert.deepEqual(labels({ media: "voice", callUuid: "C", direction: "OUT", state: "DIALING" }),
    ["Far end answers", "Far end hangs up"]);
  assert.deepEqual(labels({ media: "voice", callUuid: "C", state: "IDLE" }), []);
  assert.deepEqual(labels({ media: "voice", state: "TALKING" }), [], "no call uuid");
  assert.deepEqual(labels({ media: "chat", state: "ACCEPTED" }, "c1"), ["Customer leaves"]);
  assert.deepEqual(labels({ media: "chat", state: "ACCEPTED" }, null), []);
});

function live() {
  const list = h("ul");
  const empty = h("p");
  document.body.append(list, empty);
  const acts = [];
  const errors = [];
  const actions = { act: async (...args) => { acts.push(args); return { ok: true }; },
    showError: (t) => errors.push(t) };
  const known = new Map([["uuid-chat", "chat-1"]]);
  const chatIds = { of: (i) => i.chatId ?? known.get(i.interactionUUID) ?? null };
  return { panel: new LiveInteractions({ list, empty, actions, chatIds }), list, empty, acts, errors };
}

test("a card per interaction: named with its agent, data editable, sim buttons that post", async () => {
  const { panel, list, empty, acts } = live();
  const call = { interactionUUID: "uuid-call", agent: "u01", media: "voice", state: "TALKING",
    ani: "+1555", callUuid: "C 1", userData: { n: 5 } };
  panel.render([call]);
  assert.equal(empty.hidden, true);
  const card = list.children[0];
  assert.equal(card.querySelector("article").getAttribute("aria-label"),
    "Voice call \u2013 +1555 \u2013 u01");
  assert.equal(card.querySelector(".ix-title").textContent, "Voice call \u00B7 +1555");
  assert.equal(card.querySelector(".empty").hidden, true);
  const input = card.querySelector("tbody input");
  input.value = "6";
  input.dispatchEvent(event("change"));
  card.querySelector(".sim-actions button").click();
  await settle();
  assert.deepEqual(acts, [["PATCH", "/interactions/uuid-call/user-data", { n: 6 }],
    ["POST", "/sim/calls/C%201/hangup"]]);
  panel.render([{ ...call, userData: {} }]);
  assert.equal(list.children[0], card, "kept");
  assert.equal(card.querySelector(".empty").hidden, false);
  panel.render([]);
  assert.equal(list.children.length, 0);
  assert.equal(empty.hidden, false);
});

test("a chat: the customer writes and leaves when this page knows its chat id", async () => {
  const { panel, list, acts, errors } = live();
  panel.render([{ interactionUUID: "uuid-chat", agent: "u01", media: "chat", state: "ACCEPTED" },
    { interactionUUID: "uuid-other", agent: "u02", media: "chat", state: "INVITED" }]);
  const [mine, other] = list.children;
  assert.equal(mine.querySelector(".hint").hidden, true);
  assert.equal(other.querySelector(".hint").hidden, false);
  assert.equal(other.querySelector(".customer-form"), null);
  const form = mine.querySelector(".customer-form");
  form.dispatchEvent(event("submit"));
  assert.deepEqual(errors, ["Enter what the customer writes."]);
  form.querySelector("input").value = "Thanks";
  form.dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(acts, [["POST", "/sim/chats/chat-1/messages", { message: "Thanks" }]]);
  assert.equal(form.querySelector("input").value, "");
});

test("the agents table: names, states as text, logged-out rows marked", () => {
  const body = h("tbody");
  const table = new AgentsTable(body);
  table.render([{ username: "u01", firstname: "Ann", lastname: "Lee", number: "6001",
    loggedIn: true, state: { displayName: "Not Ready", reason: "Break", type: "NOT_READY" },
    mediaStates: { voice: { displayName: "Ready" } }, interactions: 2 },
  { username: "u02", number: "6002" }]);
  const [a, b] = body.children;
  assert.deepEqual(a.children.map((c) => c.textContent),
    ["u01", "Ann Lee", "6001", "Yes", "Not Ready (Break)", "voice: Ready", "2", ""]);
  assert.equal(b.dataset.loggedIn, "false");
  assert.equal(stateText(null), "");
  assert.equal(stateText({ type: "READY" }), "READY");
  assert.equal(fullName({ firstname: "Ann" }), "Ann");
});
