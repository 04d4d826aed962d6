// Tests of src/wwe_host/web/static/desktop/interaction-card.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom, text } from "../fake-dom.mjs";
import {
  chatTime, controlsFor, emptyWarning, InteractionCard, metaText, outcomeText, recordingText,
  tickTimer, timerSpan,
} from "../../../src/wwe_host/web/static/desktop/interaction-card.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

const labels = (i) => controlsFor(i).map(([label]) => label);

test("voice controls follow the call's state and recording", () => {
  assert.deepEqual(labels({ media: "voice", state: "RINGING" }), ["Answer", "Hang Up"]);
  assert.deepEqual(labels({ media: "voice", state: "DIALING" }), ["Hang Up"]);
  assert.deepEqual(labels({ media: "voice", state: "TALKING" }),
    ["Hold", "Hang Up", "Start Recording"]);
  assert.deepEqual(labels({ media: "voice", state: "HELD", recordingState: "RECORDING" }),
    ["Resume", "Hang Up", "Pause Recording", "Stop Recording"]);
  assert.deepEqual(labels({ media: "voice", state: "TALKING", recordingState: "PAUSED" }),
    ["Hold", "Hang Up", "Resume Recording", "Stop Recording"]);
  assert.deepEqual(labels({ media: "voice", state: "IDLE" }), ["Mark Done"]);
  assert.deepEqual(controlsFor({ media: "voice", state: "TALKING", recordingState: "RECORDING" })[2],
    ["Pause Recording", "recording", { action: "pause" }]);
});

test("e-mail and chat controls", () => {
  assert.deepEqual(labels({ media: "email", state: "INVITED" }), ["Accept"]);
  assert.deepEqual(labels({ media: "email", state: "COMPOSING" }), ["Mark Done"]);
  assert.deepEqual(labels({ media: "chat", state: "INVITED" }), ["Accept"]);
  assert.deepEqual(labels({ media: "chat", state: "ACCEPTED" }), ["End Chat", "Mark Done"]);
});

test("metaText and recordingText", () => {
  assert.equal(metaText({ media: "voice", direction: "IN", callType: "INBOUND", ani: "+1", dnis: "6001" }),
    "Inbound \u00B7 from +1 \u00B7 to 6001");
  assert.equal(metaText({ media: "voice", direction: "OUT", callType: "INTERNAL", dnis: "6002" }),
    "Outbound \u00B7 internal \u00B7 to 6002");
  assert.equal(metaText({ media: "email", from: "a@x", to: "b@x" }), "From a@x \u00B7 To b@x");
  assert.equal(metaText({ media: "chat", transcript: [{}] }), "1 message");
  assert.equal(metaText({ media: "chat", messages: 2 }), "2 messages");
  assert.equal(metaText({ media: "fax" }), "");
  assert.equal(recordingText("RECORDING"), "\u25CF REC");
  assert.equal(recordingText("PAUSED"), "\u275A\u275A REC paused");
  assert.equal(recordingText(null), "");
});

test("tickTimer shows the time since data-since, nothing without one", () => {
  const el = h("span", { dataset: { since: "1000" } });
  tickTimer(el, 1_065_000);
  assert.equal(el.textContent, "01:05");
  el.dataset.since = "";
  tickTimer(el, 1_065_000);
  assert.equal(el.textContent, "");
});

function card(interaction, popups = [], snapshot = null) {
  const acts = [];
  const opened = [];
  const deps = {
    actions: { act: async (op, args) => { acts.push([op, args]); return { ok: true }; } },
    popups: { popupButtons: () => popups, openPopup: (key, options) => opened.push([key, options]) },
    store: { get: () => snapshot },
  };
  const c = new InteractionCard(interaction, deps);
  document.body.append(c.el);
  c.update(interaction);
  return { c, acts, opened };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("a call card: name, state, recording, buttons that act on this interaction", () => {
  const call = { interactionId: "3", media: "voice", state: "TALKING", ani: "+1555",
    direction: "IN", recordingState: "RECORDING", createdAt: 0 };
  const { c, acts } = card(call);
  assert.equal(c.el.getAttribute("aria-label"), "Voice call 3 \u2013 +1555");
  assert.equal(c.el.dataset.state, "TALKING");
  assert.equal(c.title.textContent, "+1555");
  assert.equal(c.rec.textContent, "\u25CF REC");
  const buttons = c.controls.children;
  assert.deepEqual(buttons.map((b) => b.textContent),
    ["Hold", "Hang Up", "Pause Recording", "Stop Recording"]);
  assert.equal(buttons[1].className, "bad");
  buttons[2].click();
  assert.deepEqual(acts, [["recording", { interactionId: "3", action: "pause" }]]);
  assert.equal(c.warning.hidden, true);
  c.update({ ...call, markdoneBlocked: "Save the form first" });
  assert.equal(c.warning.textContent, "Mark Done is blocked: Save the form first");
  assert.equal(c.warning.hidden, false);
});

test("the Open <app> buttons of blocked popups", () => {
  const { c, opened } = card({ interactionId: "4", media: "voice", state: "TALKING" },
    [{ key: "i:4:Popup", label: "Popup app" }]);
  assert.equal(text(c.apps), "Open Popup app");
  c.apps.children[0].click();
  assert.deepEqual(opened, [["i:4:Popup", { focus: true }]]);
});

test("an e-mail composer keeps typed text across snapshots and sends what is typed", async () => {
  const mail = { interactionId: "7", media: "email", state: "COMPOSING", to: "a@x.example",
    subject: "", body: "" };
  const { c, acts } = card(mail);
  const { form, to, subject, body } = c.composer;
  assert.equal(form.getAttribute("aria-label"), "E-mail 7 composer");
  assert.equal(to.value, "a@x.example");
  subject.value = "Hello";
  body.value = "Text";
  c.update({ ...mail, to: "a@x.example" });
  assert.equal(subject.value, "Hello");
  form.dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(acts, [["sendEmail", { interactionId: "7", to: "a@x.example", subject: "Hello",
    body: "Text" }]]);
  c.update({ ...mail, state: "SENT", subject: "Hello", body: "Text" });
  assert.equal(form.hidden, true);
  assert.equal(c.mailView.el.hidden, false);
  assert.equal(c.mailView.subject.textContent, "Subject: Hello");
});

test("a chat transcript only grows; the input sends and empties", async () => {
  const chat = { interactionId: "9", media: "chat", state: "ACCEPTED",
    transcript: [{ sender: "customer", name: "Carla", text: "Hi" }] };
  const { c, acts } = card(chat);
  const lines = () => c.transcript.children.map((li) => text(li));
  assert.deepEqual(lines(), ["Carla: Hi"]);
  const first = c.transcript.children[0];
  c.update({ ...chat, transcript: [...chat.transcript, { sender: "agent", text: "Hello" }] });
  assert.deepEqual(lines(), ["Carla: Hi", "agent: Hello"]);
  assert.equal(c.transcript.children[0], first);
  const input = c.chatForm.querySelector("input");
  input.value = "   ";
  c.chatForm.dispatchEvent(event("submit"));
  input.value = "Bye";
  c.chatForm.dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(acts, [["chatSend", { interactionId: "9", text: "Bye" }]]);
  assert.equal(input.value, "");
  c.update({ ...chat, state: "COMPLETED", transcript: [] });
  assert.deepEqual(lines(), []);
  assert.equal(c.chatForm.hidden, true);
});

test("outcomes in words; unknown ones as sent", () => {
  assert.equal(outcomeText("busy"), "Busy");
  assert.equal(outcomeText("no-answer"), "No answer");
  assert.equal(outcomeText("not-available"), "Not available");
  assert.equal(outcomeText("missed"), "Missed");
  assert.equal(outcomeText("abandoned"), "Abandoned");
  assert.equal(outcomeText("something-new"), "something-new");
  assert.equal(outcomeText(null), "");
  const { c } = card({ interactionId: "1", media: "voice", state: "IDLE", outcome: "busy" });
  assert.equal(c.outcome.textContent, "Busy");
  assert.equal(c.outcome.hidden, false);
  c.update({ interactionId: "1", media: "voice", state: "TALKING" });
  assert.equal(c.outcome.hidden, true);
});

test("a call's timer runs from its answer and stops at its end", () => {
  assert.deepEqual(timerSpan({ media: "voice", state: "RINGING", createdAt: 100 }),
    { since: "", until: "" });
  assert.deepEqual(timerSpan({ media: "voice", state: "TALKING", createdAt: 100, answeredAt: 107 }),
    { since: 107, until: "" });
  assert.deepEqual(timerSpan({ media: "voice", state: "IDLE", createdAt: 100, answeredAt: 107,
    endedAt: 127 }), { since: 107, until: 127 });
  assert.deepEqual(timerSpan({ media: "voice", state: "IDLE", createdAt: 100, endedAt: 101 }),
    { since: "", until: "" }, "never answered: no call time");
  assert.deepEqual(timerSpan({ media: "chat", state: "ACCEPTED", createdAt: 100 }),
    { since: 100, until: "" });
  const el = h("span", { dataset: { since: "1000", until: "1020" } });
  tickTimer(el, 5_000_000);
  assert.equal(el.textContent, "00:20");
});

test("the disposition menu, when codes are configured, sets the disposition", async () => {
  const snapshot = { disposition: { codes: ["Resolved", "Callback"], mandatory: true,
    key: "DispositionCode" } };
  const call = { interactionId: "5", media: "voice", state: "IDLE",
    userData: { DispositionCode: "Callback" } };
  const { c, acts } = card(call, [], snapshot);
  const select = c.disposition.select;
  assert.equal(text(c.disposition.label), "Disposition (required)");
  assert.deepEqual(select.querySelectorAll("option").map((o) => o.value), ["", "Resolved", "Callback"]);
  assert.equal(select.value, "Callback");
  select.value = "Resolved";
  select.dispatchEvent(event("change"));
  await settle();
  assert.deepEqual(acts, [["setDisposition", { interactionId: "5", value: "Resolved" }]]);
  const none = card({ interactionId: "6", media: "voice", state: "IDLE" }, [], {});
  assert.equal(none.c.disposition, null);
});

test("reply and forward on a received or sent e-mail", () => {
  assert.deepEqual(controlsFor({ media: "email", state: "ACCEPTED" }),
    [["Reply", "replyEmail"], ["Forward", "replyEmail", { forward: true }], ["Mark Done", "markDone"]]);
  assert.deepEqual(labels({ media: "email", state: "SENT" }), ["Reply", "Forward", "Mark Done"]);
  assert.deepEqual(labels({ media: "email", state: "CREATED" }), ["Mark Done"]);
});

test("the composer warns of an empty subject or body; a second Send sends anyway", async () => {
  assert.equal(emptyWarning("", "x"), "The subject is empty.");
  assert.equal(emptyWarning("x", " "), "The body is empty.");
  assert.equal(emptyWarning("", ""), "The subject and the body are empty.");
  assert.equal(emptyWarning("x", "y"), "");
  const mail = { interactionId: "8", media: "email", state: "CREATED", to: "a@x.example",
    subject: "", body: "" };
  const { c, acts } = card(mail);
  const { form, body, warning } = c.composer;
  body.value = "Text";
  form.dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(acts, []);
  assert.equal(warning.hidden, false);
  assert.equal(warning.textContent, "The subject is empty. Send anyway?");
  assert.equal(text(form.querySelector("button")), "Send anyway");
  form.dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(acts, [["sendEmail", { interactionId: "8", to: "a@x.example", subject: "",
    body: "Text" }]]);
  assert.equal(warning.hidden, true);
});

test("chat lines show their time of day", () => {
  const at = new Date(2026, 0, 2, 9, 5).getTime() / 1000;
  assert.equal(chatTime(at), "09:05");
  assert.equal(chatTime(undefined), "");
  const { c } = card({ interactionId: "9", media: "chat", state: "ACCEPTED",
    transcript: [{ sender: "customer", name: "Carla", text: "Hi", at }] });
  assert.equal(text(c.transcript.children[0]), "09:05Carla: Hi");
});
