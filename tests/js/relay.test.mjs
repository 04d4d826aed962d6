// Tests of src/wwe_host/web/static/relay.js and message-check.js, run with
// `node --test tests/js/`.
//
// The relay is imported as the ES module the desktop loads. A small fake `window` (the
// desktop page) is installed as a global; a frame is a fake iframe element whose
// contentWindow records what is posted to it (message after a structured clone, and
// targetOrigin), and a MessageEvent is a plain {data, origin, source} handed to onMessage.
import { test } from "node:test";
import assert from "node:assert/strict";

import { Relay } from "../../src/wwe_host/web/static/relay.js";
import {
  DEFAULT_LIMITS,
  badReference,
  checkShape,
  tooDeep,
  tooLarge,
  tooLargeAtLeast,
  utf8Length,
} from "../../src/wwe_host/web/static/message-check.js";

const CRM = "https://crm.example:8443";

const desktopWindow = {
  addEventListener() {},
  removeEventListener() {},
  location: {},
};
desktopWindow.parent = desktopWindow; // the desktop is a top-level page
globalThis.window = desktopWindow;

function fakeFrameWindow() {
  const win = {
    closed: false,
    posted: [],
    postMessage(message, targetOrigin) {
      win.posted.push({ message: structuredClone(message), targetOrigin });
    },
  };
  return win;
}

// A relay with one registered iframe "f-1" (section CRM, origin CRM).
function setUp({ limits } = {}) {
  const sent = [];
  const rows = [];
  const relay = new Relay({
    send: (message) => sent.push(message),
    log: (row) => rows.push(row),
    ...(limits ? { limits: () => limits } : {}),
  });
  const frame = fakeFrameWindow();
  const element = { contentWindow: frame, addEventListener() {}, removeEventListener() {} };
  relay.register("f-1", { element, expectedOrigin: CRM, section: "CRM", interactionId: "1" });
  const post = (data, { origin = CRM, source = frame } = {}) =>
    relay.onMessage({ data, origin, source });
  return { relay, sent, rows, frame, post };
}

const request = (fields = {}) => ({
  request: "agent.getState",
  referenceId: "7",
  userAgent: "WWE Client",
  protocolVersion: 2,
  frameId: "f-1",
  ...fields,
});

function nestedArray(depth) {
  let value = [];
  for (let i = 1; i < depth; i += 1) value = [value];
  return value;
}

// Counts JSON.stringify calls while `body` runs: the relay must not serialize what it refuses.
function countStringify(body) {
  const original = JSON.stringify;
  let calls = 0;
  JSON.stringify = (...args) => {
    calls += 1;
    return original(...args);
  };
  try {
    body();
  } finally {
    JSON.stringify = original;
  }
  return calls;
}

function onlyFailure(frame) {
  assert.equal(frame.posted.length, 1, "exactly one message to the frame");
  const [{ message, targetOrigin }] = frame.posted;
  assert.equal(targetOrigin, CRM, "posted to the frame's exact origin");
  assert.equal(message.errorCode, "INVALID_PARAMETER");
  assert.equal(message.userAgent, "WWE Server");
  assert.equal(message.protocolVersion, 2);
  assert.ok(!("event" in message), "a reply never has an event key");
  return message;
}

test("a normal message is forwarded as JSON text with the frame's identity", () => {
  const { sent, frame, post } = setUp();
  const data = request({ parameters: ["1", { Key1: "é✓😀" }] });
  post(data);
  assert.equal(sent.length, 1);
  const [forwarded] = sent;
  assert.equal(forwarded.type, "frame.message");
  assert.equal(forwarded.frameId, "f-1");
  assert.equal(forwarded.origin, CRM);
  assert.equal(typeof forwarded.message, "string");
  assert.deepEqual(JSON.parse(forwarded.message), data);
  assert.deepEqual(frame.posted, [], "nothing is echoed back to the frame");
});

test("a 1000-deep message is refused without being serialized or forwarded", () => {
  for (const depth of [1000, 200_000]) {
    const { sent, frame, rows, post } = setUp();
    const data = request({ request: "interaction.setUserData", parameters: [nestedArray(depth)] });
    const calls = countStringify(() => post(data));
    assert.equal(calls, 0, "JSON.stringify was not called");
    assert.deepEqual(sent, [], "not forwarded");
    const failure = onlyFailure(frame);
    assert.equal(failure.referenceId, "7");
    assert.equal(failure.request, "interaction.setUserData");
    assert.equal(failure.errorMessage, tooDeep(32));
    assert.equal(
      failure.errorMessage,
      "The message nests arrays and objects deeper than 32 levels (the limit).",
    );
    assert.equal(rows.at(-1).outcome, "failed");
  }
});

test("nesting up to the limit passes, one level more is refused", () => {
  // The message object is level 1, parameters level 2: an array of depth 30 inside is 32.
  const ok = setUp();
  ok.post(request({ parameters: [nestedArray(30)] }));
  assert.equal(ok.sent.length, 1);
  const deep = setUp();
  deep.post(request({ parameters: [nestedArray(31)] }));
  assert.deepEqual(deep.sent, []);
  assert.equal(onlyFailure(deep.frame).errorMessage, tooDeep(32));
});

test("a huge message is refused before it is serialized", () => {
  const { sent, frame, post } = setUp();
  const huge = "x".repeat(20 * 1024 * 1024);
  const calls = countStringify(() =>
    post(request({ request: "interaction.setUserData", parameters: ["1", { Big: huge }] })),
  );
  assert.equal(calls, 0);
  assert.deepEqual(sent, []);
  const failure = onlyFailure(frame);
  assert.equal(failure.errorMessage, tooLargeAtLeast(65_536));
  assert.equal(failure.referenceId, "7");
  // A wide array stops the walk at once, without visiting its elements.
  assert.equal(checkShape({ parameters: new Array(10_000_000).fill(0) }, DEFAULT_LIMITS),
    tooLargeAtLeast(65_536));
});

test("the exact UTF-8 size counts: escapes and multi-byte characters", () => {
  const limits = { maxMessageBytes: 2048, maxDepth: 32 };
  // Quotes double when escaped: the walk lets it through, the exact size refuses it.
  const quoted = setUp({ limits });
  const data = request({ parameters: ['"'.repeat(1500)] });
  quoted.post(data);
  assert.deepEqual(quoted.sent, []);
  const size = utf8Length(JSON.stringify(data));
  assert.ok(size > 2048);
  assert.equal(onlyFailure(quoted.frame).errorMessage, tooLarge(size, 2048));
  // Exactly at the limit is forwarded.
  const base = utf8Length(JSON.stringify(request({ parameters: [""] })));
  const fits = setUp({ limits });
  const pad = 2048 - base;
  fits.post(request({ parameters: ["é".repeat(Math.floor(pad / 2)) + "a".repeat(pad % 2)] }));
  assert.equal(utf8Length(fits.sent[0].message), 2048);
  assert.deepEqual(fits.frame.posted, []);
  assert.equal(utf8Length("a é ✓ 😀"), 1 + 1 + 2 + 1 + 3 + 1 + 4);
});

test("a referenceId that is not a string or a number is answered, never forwarded", () => {
  for (const [referenceId, kind] of [
    [{ id: 1 }, "an object"],
    [true, "a boolean"],
    [["1"], "an array"],
  ]) {
    const { sent, frame, post } = setUp();
    post(request({ referenceId }));
    assert.deepEqual(sent, []);
    const failure = onlyFailure(frame);
    assert.deepEqual(failure.referenceId, referenceId, "echoed as sent");
    assert.equal(failure.request, "agent.getState");
    assert.equal(failure.errorMessage, `'referenceId' must be a string or a number, not ${kind}.`);
    assert.equal(badReference(referenceId), failure.errorMessage);
  }
  // A number or a string is fine; null counts as absent (the request is not answered).
  for (const referenceId of [3, "x", null]) {
    const { sent, frame, post } = setUp();
    post(request({ referenceId }));
    assert.equal(sent.length, 1);
    assert.deepEqual(frame.posted, []);
  }
});

test("a subscription is checked like a request and its failure names the event", () => {
  const { sent, frame, post } = setUp();
  post({ event: "subscribe", data: nestedArray(40), referenceId: 4, frameId: "f-1" });
  assert.deepEqual(sent, []);
  const failure = onlyFailure(frame);
  assert.equal(failure.request, "subscribe");
  assert.equal(failure.referenceId, 4);
});

test("without a referenceId a refused message is only logged", () => {
  const { sent, frame, rows, post } = setUp();
  const data = request({ parameters: [nestedArray(100)] });
  delete data.referenceId;
  post(data);
  assert.deepEqual(sent, []);
  assert.deepEqual(frame.posted, []);
  assert.equal(rows.at(-1).detail, tooDeep(32));
});

test("what JSON cannot carry is refused with the reason", () => {
  const { sent, frame, post } = setUp();
  post(request({ parameters: [1n] }));
  assert.deepEqual(sent, []);
  assert.match(onlyFailure(frame).errorMessage, /^The message cannot be sent as JSON: /);
});

test("the server's limits, once known, replace the defaults", () => {
  const { sent, frame, post } = setUp({ limits: { maxMessageBytes: 4096, maxDepth: 4 } });
  post(request({ parameters: [[[1]]] })); // levels: message 1, parameters 2, 3, 4
  assert.equal(sent.length, 1);
  post(request({ parameters: [[[[1]]]] }));
  assert.equal(sent.length, 1);
  assert.equal(onlyFailure(frame).errorMessage, tooDeep(4));
});

test("refusals go only to the frame's exact origin; others' messages are ignored", () => {
  const { relay, sent, frame, post } = setUp();
  // The frame navigated to another origin: the refusal goes to that origin, not "*".
  const other = "https://other.example";
  post(request({ parameters: [nestedArray(50)] }), { origin: other });
  assert.equal(frame.posted.filter((p) => p.message.errorCode).length, 1);
  const refusal = frame.posted.find((p) => p.message.errorCode);
  assert.equal(refusal.targetOrigin, other);
  assert.ok(frame.posted.every((p) => p.targetOrigin !== "*"));
  // A window the relay did not create is not a frame: ignored, nothing answered.
  const stranger = fakeFrameWindow();
  post(request({ parameters: [nestedArray(50)] }), { source: stranger });
  assert.deepEqual(stranger.posted, []);
  assert.deepEqual(sent, []);
  // Server replies are delivered at the origin the server names, never "*".
  const before = frame.posted.length;
  relay.deliver({ frameId: "f-1", origin: CRM, message: { referenceId: "1", data: null,
    userAgent: "WWE Server", protocolVersion: 2 } });
  relay.deliver({ frameId: "f-1", origin: "*", message: { referenceId: "2", data: null,
    userAgent: "WWE Server", protocolVersion: 2 } });
  const delivered = frame.posted.slice(before);
  assert.deepEqual(delivered.map((p) => [p.message.referenceId, p.targetOrigin]), [["1", CRM]]);
});

test("the walk's size is a lower bound of the JSON size", () => {
  const values = [
    { a: [1, 2.5, -3e21, null, true, "é😀"], b: { c: undefined, d: "x\ny\"" } },
    [[], {}, [[]], ""],
    { "ключ": "значение", nested: [{ k: [1, [2, [3]]] }] },
    { date: new Date(0), map: new Map([[1, 2]]), bytes: new Uint8Array([1, 2, 3]) },
  ];
  for (const value of values) {
    const size = utf8Length(JSON.stringify(value));
    assert.equal(checkShape(value, { maxMessageBytes: size, maxDepth: 32 }), null,
      JSON.stringify(value));
  }
});
