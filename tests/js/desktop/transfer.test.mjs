// Tests of src/wwe_host/web/static/desktop/transfer.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import {
  consultNote, SEARCH_WAIT_MS, targetOf, TransferControls, transferMode,
} from "../../../src/wwe_host/web/static/desktop/transfer.js";

let document;
beforeEach(() => {
  document = installDom();
});

const ANNA = { username: "asmith", name: "Anna Smith", number: "5002" };
const BOB = { username: "bjones", name: "Bob Jones", number: "5003" };

test("transferMode: Reject on offers, the form on a talking call, complete on its consultation", () => {
  assert.equal(transferMode({ media: "voice", state: "RINGING" }), "offer");
  assert.equal(transferMode({ media: "chat", state: "INVITED" }), "offer");
  assert.equal(transferMode({ media: "email", state: "INVITED" }), "offer");
  assert.equal(transferMode({ media: "voice", state: "TALKING" }), "call");
  assert.equal(transferMode({ media: "voice", state: "HELD" }), null);
  assert.equal(transferMode({ media: "voice", state: "TALKING", isConsultation: true,
    parentInteractionId: "1" }), "consultation");
  // The consulted agent's side of a consultation has nothing to complete.
  assert.equal(transferMode({ media: "voice", state: "TALKING", isConsultation: true }), null);
  assert.equal(transferMode({ media: "chat", state: "ACCEPTED" }), null);
});

test("targetOf: a typed number wins over the picked agent", () => {
  assert.deepEqual(targetOf("asmith", ""), { type: "AGENT", destination: "asmith" });
  assert.deepEqual(targetOf("asmith", " +1555 "), { type: "DN", destination: "+1555" });
  assert.equal(targetOf("", "  "), null);
  assert.equal(consultNote({ isConsultation: true, parentInteractionId: "4" }),
    "Consultation for call 4");
  assert.equal(consultNote({ isConsultation: true }), "Consultation call");
  assert.equal(consultNote({}), "");
});

/** The server's side of findColleagues: matches `query` in `team`; `asked` logs queries. */
function directory(team, { more = false, fail = false } = {}) {
  const asked = [];
  return {
    asked,
    action: async (op, args) => {
      assert.equal(op, "findColleagues");
      asked.push(args.query);
      if (fail) throw new Error("offline");
      const q = args.query.toLowerCase();
      return { colleagues: team.filter((c) => c.name.toLowerCase().includes(q)), more };
    },
  };
}

function strip(interaction, connection = directory([ANNA])) {
  const acts = [];
  const errors = [];
  const card = {
    id: interaction.interactionId,
    act: async (op, args = {}) => { acts.push([op, args]); return { ok: true }; },
    actions: { showError: (text) => errors.push(text), connection },
  };
  const controls = new TransferControls(card);
  document.body.append(controls.el);
  controls.update(interaction);
  return { controls, acts, errors };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const button = (el, label) => el.querySelectorAll("button").find((b) => b.textContent === label);

test("a talking call: pick an agent or type a number, then consult or transfer", async () => {
  const call = { interactionId: "3", media: "voice", state: "TALKING" };
  const { controls, acts, errors } = strip(call);
  await settle();
  assert.equal(controls.form.hidden, false);
  assert.equal(controls.reject.hidden, true);
  assert.equal(controls.complete.hidden, true);
  assert.deepEqual(controls.agent.children.map((o) => o.textContent),
    ["\u2014 choose \u2014", "Anna Smith (5002)"]);
  button(controls.form, "Consult").click();
  await settle();
  assert.deepEqual(errors, ["Choose a colleague or enter a phone number."]);
  controls.agent.value = "asmith";
  controls.update(call); // a snapshot keeps the choice
  assert.equal(controls.agent.value, "asmith");
  button(controls.form, "Consult").click();
  controls.number.value = "+15559999";
  button(controls.form, "Transfer").click();
  await settle();
  assert.deepEqual(acts, [
    ["consult", { target: { type: "AGENT", destination: "asmith" } }],
    ["singleStepTransfer", { target: { type: "DN", destination: "+15559999" } }],
  ]);
  assert.equal(controls.number.value, "");
  button(controls.form, "Conference").click();
  await settle();
  assert.deepEqual(acts[2], ["singleStepConference",
    { target: { type: "AGENT", destination: "asmith" } }]);
});

test("a consult call completes; an offer is rejected; nothing on a held call", () => {
  const { controls, acts } = strip({ interactionId: "4", media: "voice", state: "TALKING",
    isConsultation: true, parentInteractionId: "3" });
  assert.equal(controls.note.textContent, "Consultation for call 3");
  assert.equal(controls.complete.hidden, false);
  assert.equal(controls.form.hidden, true);
  button(controls.complete, "Complete Transfer").click();
  button(controls.complete, "Complete Conference").click();
  assert.deepEqual(acts.map(([op]) => op), ["completeTransfer", "completeConference"]);
  controls.update({ interactionId: "4", media: "chat", state: "INVITED" });
  assert.equal(controls.reject.hidden, false);
  controls.reject.click();
  assert.deepEqual(acts[2], ["reject", {}]);
  controls.update({ interactionId: "4", media: "voice", state: "HELD" });
  assert.equal(controls.el.hidden, true);
});

test("the picker asks the server once, then again for what the agent types", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const server = directory([ANNA, BOB], { more: true });
  const call = { interactionId: "5", media: "voice", state: "TALKING" };
  const { controls } = strip(call, server);
  await settle();
  controls.update(call); // a later snapshot does not ask again
  await settle();
  assert.deepEqual(server.asked, [""]);
  assert.deepEqual(controls.agent.children.map((o) => o.textContent), ["\u2014 choose \u2014",
    "Anna Smith (5002)", "Bob Jones (5003)", "\u2026 more: search to narrow the list"]);
  controls.agent.value = "bjones";
  controls.search.value = "bo";
  controls.search.dispatchEvent({ type: "input" });
  controls.search.value = " bob ";
  controls.search.dispatchEvent({ type: "input" });
  t.mock.timers.tick(SEARCH_WAIT_MS);
  await settle();
  assert.deepEqual(server.asked, ["", "bob"]); // one question for the pause in typing
  assert.equal(controls.agent.dataset.answered, "bob"); // what testing.Desktop waits for
  assert.deepEqual(controls.agent.children.map((o) => o.value), ["", "bjones", ""]);
  assert.equal(controls.agent.value, "bjones"); // the choice survives the narrower list
});

test("a picker whose question failed asks again at the next snapshot", async () => {
  const server = directory([ANNA], { fail: true });
  const call = { interactionId: "6", media: "voice", state: "TALKING" };
  const { controls } = strip(call, server);
  await settle();
  assert.deepEqual(controls.agent.children.map((o) => o.value), []);
  controls.update(call);
  await settle();
  assert.deepEqual(server.asked, ["", ""]);
});
