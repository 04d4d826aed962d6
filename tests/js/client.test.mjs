// Tests of src/wwe_host/web/static/wwe-service-client-api.js, run with `node --test tests/js/`.
//
// The script is loaded into a node:vm context whose global object is a small fake `window`:
// message listeners, a parent frame and an opener whose postMessage records (message,
// targetOrigin) after a structured clone (as a browser would copy it), and a way to deliver a
// MessageEvent-like {data, origin, source}.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import {
  DTS_PATH,
  HOST,
  NO_HOST,
  SOURCE,
  API_9_ARGUMENTS,
  catalogRequests,
  fakeWindow,
  load,
  outcome,
  plain,
  tick,
} from "./client-support.mjs";

// ---------------------------------------------------------------------------------------------

test("defines genesys.wwe.service without clobbering existing objects", () => {
  const env = load({ before: "var genesys = { other: 1, wwe: { keep: 2 } };" });
  assert.equal(env.sandbox.genesys.other, 1);
  assert.equal(env.sandbox.genesys.wwe.keep, 2);
  assert.equal(typeof env.service.sendMessage, "function");
  assert.match(env.service.version, /^\d+\.\d+\.\d+/);
  assert.equal(env.listeners.length, 1);
});

test("loading the script twice keeps the first instance", () => {
  const env = load();
  const first = env.service;
  vm.runInContext(SOURCE, env.sandbox);
  assert.equal(env.sandbox.genesys.wwe.service, first);
  assert.equal(env.listeners.length, 1);
});

test("a request before the greeting: exact wire shape, referenceId from \"0\", targetOrigin *", () => {
  const env = load();
  env.service.agent.get(() => {});
  env.service.agent.getState(() => {});
  assert.equal(env.sent().length, 2);
  const [first, second] = env.sent();
  assert.deepEqual(first, {
    message: { request: "agent.get", referenceId: "0", userAgent: "WWE Client", protocolVersion: 2 },
    targetOrigin: "*",
  });
  assert.deepEqual(Object.keys(first.message), ["request", "referenceId", "userAgent", "protocolVersion"]);
  assert.equal(second.message.referenceId, "1");
  assert.equal(second.message.request, "agent.getState");
});

test("after the greeting: positional parameters, frameId, exact host origin", () => {
  const env = load();
  env.greet("f-2");
  env.service.interaction.setUserData("3", { Key1: "v" }, () => {});
  assert.deepEqual(env.last(), {
    message: {
      request: "interaction.setUserData",
      parameters: ["3", { Key1: "v" }],
      referenceId: "0",
      userAgent: "WWE Client",
      protocolVersion: 2,
      frameId: "f-2",
    },
    targetOrigin: HOST,
  });
  assert.deepEqual(Object.keys(env.last().message), [
    "request", "parameters", "referenceId", "userAgent", "protocolVersion", "frameId",
  ]);
});

test("trailing undefined optional parameters are sent as absent, null is kept", () => {
  const env = load();
  env.service.voice.dial("5002", undefined);
  assert.deepEqual(env.last().message.parameters, ["5002"]);
  env.service.voice.dial("5002", null);
  assert.deepEqual(env.last().message.parameters, ["5002", null]);
  env.service.email.create("a@example.com");
  assert.deepEqual(env.last().message.parameters, ["a@example.com"]);
  env.service.voice.dial("5002", { Key1: "x" });
  assert.deepEqual(env.last().message.parameters, ["5002", { Key1: "x" }]);
  env.service.sendMessage({ request: "voice.dial", parameters: ["5003", undefined] });
  assert.deepEqual(env.last().message.parameters, ["5003"]);
  env.service.agent.get();
  assert.equal("parameters" in env.last().message, false);
});

test("voice.dial(destination, done, fail) without userData", async () => {
  const env = load();
  const calls = [];
  const result = env.service.voice.dial("5002", (r) => calls.push(["done", r]), (r) => calls.push(["fail", r]));
  assert.equal(result, undefined);
  const { message } = env.last();
  assert.deepEqual(message.parameters, ["5002"]);
  env.reply(message.referenceId, { request: "voice.dial", data: { interactionId: "7" } });
  assert.deepEqual(plain(calls), [
    ["done", { request: "voice.dial", data: { interactionId: "7" }, userAgent: "WWE Server", protocolVersion: 2 }],
  ]);
});

test("targeting order: targetWWEWindow > opener > parent", () => {
  const env = load({ opener: true });
  env.service.agent.get();
  assert.equal(env.opener.posted.length, 1);
  assert.equal(env.parent.posted.length, 0);

  const other = fakeWindow("embedded desktop");
  env.service.targetWWEWindow(other);
  env.service.agent.get();
  assert.equal(other.posted.length, 1);
  assert.equal(env.opener.posted.length, 1);

  env.service.targetWWEWindow(null);
  env.service.agent.get();
  assert.equal(env.opener.posted.length, 2);

  const framed = load();
  framed.service.agent.get();
  assert.equal(framed.parent.posted.length, 1);
});

test("a new target window forgets the old host origin until it greets", () => {
  const env = load();
  env.greet("f-1");
  env.service.agent.get();
  assert.equal(env.last().targetOrigin, HOST);
  const other = fakeWindow("other");
  env.service.targetWWEWindow(other);
  env.service.agent.get();
  assert.equal(env.last(other).targetOrigin, "*");
  assert.equal("frameId" in env.last(other).message, false);
  env.greet("g-1", { origin: "https://other.example", source: other });
  env.service.agent.get();
  assert.equal(env.last(other).targetOrigin, "https://other.example");
  assert.equal(env.last(other).message.frameId, "g-1");
});

test("a page with no frame parent and no opener fails UNAVAILABLE without posting", async () => {
  const env = load({ topLevel: true });
  const [state, reason] = await outcome(env.service.agent.get());
  assert.equal(state, "rejected");
  assert.equal(reason.errorCode, "UNAVAILABLE");
  assert.match(reason.errorMessage, /targetWWEWindow/);
});

test("replies go to done, or to fail when they carry errorMessage; referenceId removed", () => {
  const env = load();
  env.greet();
  const done = [];
  const fail = [];
  env.service.agent.get((r) => done.push(r), (r) => fail.push(r));
  env.service.voice.dial("5002", {}, (r) => done.push(r), (r) => fail.push(r));
  const [get, dial] = env.sent().map((p) => p.message);
  env.reply(dial.referenceId, {
    request: "voice.dial",
    errorMessage: "The origin 'http://crm.example' is not allowed to use the request 'voice.dial'.",
    errorCode: "NOT_ALLOWED",
  });
  env.reply(get.referenceId, { request: "agent.get", data: { username: "agent1" } });
  assert.equal(done.length, 1);
  assert.equal(fail.length, 1);
  assert.equal(done[0].data.username, "agent1");
  assert.equal("referenceId" in done[0], false);
  assert.deepEqual(plain(fail[0]), {
    request: "voice.dial",
    errorMessage: "The origin 'http://crm.example' is not allowed to use the request 'voice.dial'.",
    errorCode: "NOT_ALLOWED",
    userAgent: "WWE Server",
    protocolVersion: 2,
  });
});

test("a reply with errorMessage fails even when it also has data; one without succeeds with data null", () => {
  const env = load();
  const a = env.service.agent.setState("Ready");
  const b = env.service.system.triggerActivity();
  const [sa, sb] = env.sent().map((p) => p.message);
  env.reply(sa.referenceId, { request: "agent.setState", data: null, errorMessage: "x" });
  env.reply(sb.referenceId, { request: "system.triggerActivity", data: null });
  return Promise.all([outcome(a), outcome(b)]).then(([ra, rb]) => {
    assert.equal(ra[0], "rejected");
    assert.equal(rb[0], "resolved");
    assert.equal(rb[1].data, null);
  });
});

test("promise mode: resolves with the reply, rejects with the failure", async () => {
  const env = load();
  env.greet();
  const ok = env.service.media.getMediaByName("voice");
  const bad = env.service.media.getMediaByName("fax");
  assert.equal(typeof ok.then, "function");
  const [m1, m2] = env.sent().map((p) => p.message);
  assert.deepEqual(m1.parameters, ["voice"]);
  env.reply(m1.referenceId, { request: "media.getMediaByName", data: { name: "voice" } });
  env.reply(m2.referenceId, {
    request: "media.getMediaByName", errorMessage: "Unknown media 'fax'", errorCode: "NOT_FOUND",
  });
  const [s1, r1] = await outcome(ok);
  const [s2, r2] = await outcome(bad);
  assert.equal(s1, "resolved");
  assert.deepEqual(plain(r1.data), { name: "voice" });
  assert.equal("referenceId" in r1, false);
  assert.equal(s2, "rejected");
  assert.equal(r2.errorCode, "NOT_FOUND");
  assert.equal(r2.errorMessage, "Unknown media 'fax'");
});

test("with callbacks: returns undefined and a failure creates no unhandled rejection", async () => {
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const env = load();
    const fail = [];
    assert.equal(env.service.agent.get(() => {}, (r) => fail.push(r)), undefined);
    assert.equal(env.service.agent.get(() => {}), undefined); // done only
    assert.equal(env.service.agent.get(null, (r) => fail.push(r)), undefined); // fail only
    assert.equal(env.service.sendMessage({ request: "agent.get" }, () => {}, (r) => fail.push(r)), undefined);
    const ids = env.sent().map((p) => p.message.referenceId);
    for (const id of ids) env.reply(id, { request: "agent.get", errorMessage: "boom" });
    // Client-side failures too.
    assert.equal(env.service.sendMessage(null, () => {}, (r) => fail.push(r)), undefined);
    await tick();
    await tick();
    assert.equal(fail.length, 4);
    assert.equal(fail[3].errorCode, "INVALID_PARAMETER");
    assert.deepEqual(unhandled, []);
    assert.equal(env.warnings.length, 1, "a failure with only a done callback is reported on the console");
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("sendMessage keeps extra fields and sets its own referenceId, userAgent and protocolVersion", () => {
  const env = load();
  env.greet("f-9");
  env.service.sendMessage(
    { request: "auth.getJwtToken", extra: 1, referenceId: "mine", userAgent: "x", frameId: "y" },
    () => {},
  );
  assert.deepEqual(env.last().message, {
    request: "auth.getJwtToken",
    extra: 1,
    referenceId: "0",
    userAgent: "WWE Client",
    protocolVersion: 2,
    frameId: "f-9",
  });
});

test("subscribe: wire message, reply, and events dispatched to several handlers with their context", async () => {
  const env = load();
  env.greet("f-2");
  const calls = [];
  const ctxA = { name: "A" };
  const ctxB = { name: "B" };
  function handlerA(message) { calls.push(["A", this, message]); }
  function handlerB(message) { calls.push(["B", this, message]); }
  function handlerMedia(message) { calls.push(["M", this, message]); }
  const p1 = env.service.subscribe(["agent", "interaction"], handlerA, ctxA);
  const p2 = env.service.subscribe("agent", handlerB, ctxB);
  env.service.subscribe(["media"], handlerMedia, null, () => {});
  const [s1, s2] = env.sent().map((p) => p.message);
  assert.deepEqual(s1, {
    event: "subscribe",
    data: ["agent", "interaction"],
    referenceId: "0",
    userAgent: "WWE Client",
    protocolVersion: 2,
    frameId: "f-2",
  });
  assert.equal(s2.data, "agent");
  assert.equal(s2.referenceId, "1");
  env.reply("0", { subscriptionId: "sub-1", data: { topics: ["agent", "interaction"] } });
  env.reply("1", { subscriptionId: "sub-2", data: { topics: ["agent"] } });
  const r1 = await p1;
  assert.equal(r1.subscriptionId, "sub-1");
  assert.deepEqual(plain(r1.data), { topics: ["agent", "interaction"] });
  assert.equal((await p2).subscriptionId, "sub-2");

  const agentEvent = {
    event: "agent",
    data: { eventType: "STATE_CHANGED", mediaState: "READY" },
    userAgent: "WWE Server",
    protocolVersion: 2,
  };
  env.deliver(agentEvent);
  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map(([who, ctx]) => [who, ctx]), [["A", ctxA], ["B", ctxB]]);
  assert.equal(calls[0][2], agentEvent, "the handler receives the whole event object");

  env.deliver({ event: "interaction", data: { eventType: "ADDED" }, userAgent: "WWE Server", protocolVersion: 2 });
  assert.equal(calls.length, 3);
  assert.equal(calls[2][0], "A");
  assert.equal(calls[2][2].data.eventType, "ADDED");
});

test("a throwing handler does not stop the other handlers; the error is reported", () => {
  const env = load();
  const calls = [];
  const boom = new Error("handler bug");
  env.service.subscribe("agent", () => { throw boom; });
  env.service.subscribe("agent", () => calls.push("second"));
  env.deliver({ event: "agent", data: {}, userAgent: "WWE Server", protocolVersion: 2 });
  assert.deepEqual(calls, ["second"]);
  assert.deepEqual(env.reported, [boom]);
});

test("unsubscribe sends the no-referenceId message only when a subscription loses its last handler", () => {
  const env = load();
  env.greet("f-2");
  const got = [];
  const h1 = () => got.push("h1");
  const h2 = () => got.push("h2");
  env.service.subscribe("agent", h1, null, () => {});
  env.service.subscribe("agent", h2, null, () => {});
  env.reply("0", { subscriptionId: "sub-1", data: { topics: ["agent"] } });
  env.reply("1", { subscriptionId: "sub-2", data: { topics: ["agent"] } });
  const before = env.sent().length;

  assert.equal(env.service.unsubscribe(() => {}), false);
  assert.equal(env.sent().length, before, "an unknown handler sends nothing");

  assert.equal(env.service.unsubscribe(h1), true);
  assert.equal(env.sent().length, before + 1);
  assert.deepEqual(env.last(), {
    message: { event: "unsubscribe", data: "sub-1", userAgent: "WWE Client", protocolVersion: 2, frameId: "f-2" },
    targetOrigin: HOST,
  });

  env.deliver({ event: "agent", data: {}, userAgent: "WWE Server", protocolVersion: 2 });
  assert.deepEqual(got, ["h2"]);

  assert.equal(env.service.unsubscribe(h1), false);
  assert.equal(env.sent().length, before + 1, "unsubscribing twice sends nothing more");

  env.service.unsubscribe(h2);
  assert.equal(env.last().message.data, "sub-2");
  assert.equal("referenceId" in env.last().message, false);
  env.deliver({ event: "agent", data: {}, userAgent: "WWE Server", protocolVersion: 2 });
  assert.deepEqual(got, ["h2"]);

  // A new request still counts on from the last referenceId (unsubscribe used none).
  env.service.agent.get(() => {});
  assert.equal(env.last().message.referenceId, "2");
});

test("unsubscribe before the subscribe reply: the unsubscribe is sent when the reply arrives", () => {
  const env = load();
  const h = () => {};
  env.service.subscribe("interaction", h, null, () => {});
  env.service.unsubscribe(h);
  assert.equal(env.sent().length, 1, "nothing to unsubscribe yet");
  env.reply("0", { subscriptionId: "sub-7", data: { topics: ["interaction"] } });
  assert.equal(env.sent().length, 2);
  assert.deepEqual(env.last().message, {
    event: "unsubscribe", data: "sub-7", userAgent: "WWE Client", protocolVersion: 2,
  });
});

test("a refused subscribe fails and does not keep the handler", async () => {
  const env = load();
  const got = [];
  const p = env.service.subscribe(["agent", "bogus"], () => got.push(1));
  env.reply("0", { errorMessage: "Unknown topic(s): bogus", errorCode: "INVALID_PARAMETER" });
  const [state, reason] = await outcome(p);
  assert.equal(state, "rejected");
  assert.equal(reason.errorMessage, "Unknown topic(s): bogus");
  env.deliver({ event: "agent", data: {}, userAgent: "WWE Server", protocolVersion: 2 });
  assert.deepEqual(got, []);
});

test("messages from another window, another origin, a non-WWE userAgent or a client are ignored", async () => {
  const env = load();
  env.greet("f-2");
  const p = env.service.agent.get();
  const ref = env.last().message.referenceId;
  const reply = { referenceId: ref, request: "agent.get", data: "forged", userAgent: "WWE Server", protocolVersion: 2 };
  env.deliver(reply, { source: fakeWindow("intruder") });
  env.deliver(reply, { origin: "https://evil.example" });
  env.deliver({ ...reply, userAgent: "Mozilla" });
  env.deliver({ ...reply, userAgent: undefined });
  env.deliver({ ...reply, userAgent: "WWE Client" });
  // A greeting from another window must not change the origin either.
  env.greet("f-evil", { origin: "https://evil.example", source: fakeWindow("intruder") });
  env.service.agent.getState(() => {});
  assert.equal(env.last().targetOrigin, HOST);
  assert.equal(env.last().message.frameId, "f-2");

  env.reply(ref, { request: "agent.get", data: "genuine" });
  const [state, value] = await outcome(p);
  assert.equal(state, "resolved");
  assert.equal(value.data, "genuine");
});

test("non-object messages are ignored", async () => {
  const env = load();
  const p = env.service.agent.get();
  for (const data of [
    JSON.stringify({ referenceId: "0", userAgent: "WWE Server", data: "string" }),
    [{ referenceId: "0", userAgent: "WWE Server" }],
    null,
    undefined,
    42,
    new (class Reply { constructor() { this.referenceId = "0"; this.userAgent = "WWE Server"; } })(),
  ]) {
    env.deliver(data);
  }
  env.reply("0", { request: "agent.get", data: "real" });
  const [state, value] = await outcome(p);
  assert.equal(state, "resolved");
  assert.equal(value.data, "real");
});

test("before the greeting, replies are accepted from the target window of any origin", async () => {
  const env = load();
  const p = env.service.agent.get();
  env.reply("0", { request: "agent.get", data: 1 }, { origin: "https://somewhere.example" });
  assert.equal((await p).data, 1);
});

test("a later greeting from the target window with a new origin is accepted", () => {
  const env = load();
  env.greet("f-2");
  env.greet("f-5", { origin: "https://new-desktop.example" });
  env.service.agent.get(() => {});
  assert.equal(env.last().targetOrigin, "https://new-desktop.example");
  assert.equal(env.last().message.frameId, "f-5");
});

test("a request that gets no reply fails with TIMEOUT; a late reply is ignored", async () => {
  const env = load({ refTimers: true });
  assert.equal(env.service.timeout, 10000);
  assert.deepEqual(plain(env.service.configure({ timeout: 30 })), { timeout: 30 });
  assert.equal(env.service.timeout, 30);

  const p = env.service.voice.hold("3");
  const done = [];
  const fail = [];
  env.service.voice.resume("3", (r) => done.push(r), (r) => fail.push(r));
  const [state, reason] = await outcome(p);
  assert.equal(state, "rejected");
  assert.deepEqual(plain(reason), { request: "voice.hold", errorCode: "TIMEOUT", errorMessage: "Request timeout" });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(plain(fail), [{ request: "voice.resume", errorCode: "TIMEOUT", errorMessage: "Request timeout" }]);

  env.reply("1", { request: "voice.resume", data: null });
  assert.equal(done.length, 0, "a late reply is ignored");
  assert.equal(fail.length, 1);
});

test("configure ignores an invalid timeout", () => {
  const env = load();
  env.service.configure({ timeout: -5 });
  env.service.configure({ timeout: "fast" });
  assert.equal(env.service.timeout, 10000);
  assert.equal(env.warnings.length, 2);
});

test("ready() resolves with {frameId, origin} on the greeting, at once afterwards", async () => {
  const env = load();
  const waiting = env.service.ready();
  env.greet("f-3");
  assert.deepEqual(plain(await waiting), { frameId: "f-3", origin: HOST });
  assert.deepEqual(plain(await env.service.ready(1)), { frameId: "f-3", origin: HOST });
});

test("ready(timeout) rejects with an Error naming the likely causes", async () => {
  const env = load({ refTimers: true });
  const [state, error] = await outcome(env.service.ready(20));
  assert.equal(state, "rejected");
  assert.equal(error.name, "Error");
  assert.equal(error.message, NO_HOST);
});

test("sipEndpoint.* and voice.* send their own names on the wire", () => {
  const env = load();
  const methods = ["isMicrophoneMute", "muteMicrophone", "unmuteMicrophone", "isSpeakerMute", "muteSpeaker", "unmuteSpeaker"];
  for (const method of methods) {
    env.service.sipEndpoint[method](() => {});
    assert.deepEqual(env.last().message.request, `sipEndpoint.${method}`);
    assert.equal("parameters" in env.last().message, false);
    env.service.voice[method](() => {});
    assert.equal(env.last().message.request, `voice.${method}`);
  }
  env.service.interaction.unlockMarkdone("4", () => {});
  assert.equal(env.last().message.request, "interaction.unlockMarkdone");
  assert.deepEqual(env.last().message.parameters, ["4"]);
  env.service.interaction.unblockMarkdone("4", () => {});
  assert.equal(env.last().message.request, "interaction.unblockMarkdone");
});

test("every request of the catalog is a function that sends that name", () => {
  const names = catalogRequests();
  assert.ok(names.length >= 40, `catalog parsed: ${names.length} names`);
  const env = load();
  const args = {
    "agent.setState": ["Ready"],
    "media.getMediaByName": ["voice"],
    "media.setState": ["voice", "Ready"],
    "interaction.getByInteractionId": ["1"],
    "interaction.setUserData": ["1", { K: "v" }],
    "interaction.deleteUserData": ["1", "K"],
    "interaction.selectCaseByCaseId": ["c-1"],
    "interaction.markdone": ["1"],
    "interaction.blockMarkdone": ["1", "Fill the form first"],
    "interaction.unblockMarkdone": ["1"],
    "interaction.unlockMarkdone": ["1"],
    "voice.dial": ["5002"],
    "email.create": ["a@example.com"],
    "system.popupToast": [{ title: "Hi" }],
    "system.updateToast": ["t-1", { title: "Hi" }],
    "system.closeToast": ["t-1"],
    ...API_9_ARGUMENTS,
  };
  for (const name of names) {
    const [namespace, method] = name.split(".");
    const fn = env.service[namespace]?.[method];
    assert.equal(typeof fn, "function", `${name} is missing`);
    const parameters = args[name] ?? (/^voice\.(answer|hold|resume|hangUp|\w+CallRecording)$/.test(name) ? ["1"] : []);
    fn(...parameters, () => {}, () => {});
    const { message } = env.last();
    assert.equal(message.request, name);
    assert.deepEqual(message.parameters ?? [], parameters, name);
  }
});

test("the .d.ts declares every request of the catalog in its namespace", () => {
  const dts = readFileSync(DTS_PATH, "utf8");
  for (const name of catalogRequests()) {
    const [namespace, method] = name.split(".");
    const start = dts.search(new RegExp(`namespace ${namespace} \\{`));
    assert.notEqual(start, -1, `namespace ${namespace} is not declared`);
    const body = dts.slice(start, dts.indexOf("\n    }", start));
    assert.match(body, new RegExp(`function ${method}\\(`), `${name} is not declared`);
  }
});

test("bad arguments never throw: they fail with INVALID_PARAMETER and nothing is posted", async () => {
  const env = load();
  const cases = [
    [() => env.service.sendMessage(null), /must be an object/],
    [() => env.service.sendMessage("agent.get"), /must be an object/],
    [() => env.service.sendMessage({}), /'request'/],
    [() => env.service.sendMessage({ request: "agent.get", parameters: "x" }), /'parameters' must be an array/],
    [() => env.service.interaction.getByInteractionId(), /'interactionId' is missing/],
    [() => env.service.voice.dial(undefined, {}), /'destination' is missing/],
    [() => env.service.agent.get("extra"), /agent\.get: takes no parameters/],
    [() => env.service.subscribe(42, () => {}), /'topics'/],
    [() => env.service.subscribe([], () => {}), /'topics'/],
    [() => env.service.subscribe(["agent", 7], () => {}), /topic 2/],
    [() => env.service.subscribe("agent", "not a function"), /handler must be a function/],
  ];
  for (const [call, pattern] of cases) {
    let promise;
    assert.doesNotThrow(() => { promise = call(); });
    const [state, reason] = await outcome(promise);
    assert.equal(state, "rejected", String(pattern));
    assert.equal(reason.errorCode, "INVALID_PARAMETER", String(pattern));
    assert.match(reason.errorMessage, pattern);
  }
  assert.equal(env.sent().length, 0);
  // A value that cannot be copied by postMessage (a nested function) fails the same way.
  const [state, reason] = await outcome(env.service.interaction.setUserData("1", { f() {} }));
  assert.equal(state, "rejected");
  assert.equal(reason.errorCode, "INVALID_PARAMETER");
  assert.equal(reason.request, "interaction.setUserData");
});

test("INVALID_PARAMETER in callback mode goes to fail, asynchronously", async () => {
  const env = load();
  const fail = [];
  env.service.interaction.markdone(null, () => {}, (r) => fail.push(r));
  assert.equal(fail.length, 0, "not called synchronously");
  await tick();
  assert.equal(fail.length, 1);
  assert.equal(fail[0].errorCode, "INVALID_PARAMETER");
  assert.equal(fail[0].request, "interaction.markdone");
});

test("unload(): pending requests fail with UNLOADED, listener and handlers removed", async () => {
  const env = load(); // no greeting yet: ready() is still waiting
  const readyHere = outcome(env.service.ready());
  env.service.subscribe("agent", () => {}, null, () => {});
  env.reply("0", { subscriptionId: "sub-1", data: { topics: ["agent"] } });
  const p = env.service.agent.get();
  const fail = [];
  env.service.agent.getState(() => {}, (r) => fail.push(r));

  env.service.unload();
  const [state, reason] = await outcome(p);
  assert.equal(state, "rejected");
  assert.deepEqual(plain(reason), {
    request: "agent.get", errorCode: "UNLOADED", errorMessage: "The client library was unloaded",
  });
  await tick();
  assert.equal(fail.length, 1);
  assert.equal(fail[0].errorCode, "UNLOADED");
  const [readyState, readyError] = await readyHere;
  assert.equal(readyState, "rejected");
  assert.equal(readyError.message, "The client library was unloaded");
  assert.equal(env.listeners.length, 0);
  // The host is told that the subscription is no longer wanted.
  assert.deepEqual(env.sent().filter((p) => p.message.event === "unsubscribe").map((p) => p.message.data), ["sub-1"]);

  const [afterState, afterReason] = await outcome(env.service.agent.get());
  assert.equal(afterState, "rejected");
  assert.equal(afterReason.errorCode, "UNLOADED");
});

test("a subscribe that timed out is cancelled at the host if its reply comes late", async () => {
  const env = load({ refTimers: true });
  env.service.configure({ timeout: 20 });
  const got = [];
  const [state, reason] = await outcome(env.service.subscribe("agent", () => got.push(1)));
  assert.equal(state, "rejected");
  assert.equal(reason.errorCode, "TIMEOUT");
  assert.equal(reason.request, "subscribe");
  env.deliver({ event: "agent", data: {}, userAgent: "WWE Server", protocolVersion: 2 });
  assert.deepEqual(got, [], "the handler was dropped");
  env.reply("0", { subscriptionId: "sub-late", data: { topics: ["agent"] } });
  assert.deepEqual(env.last().message, {
    event: "unsubscribe", data: "sub-late", userAgent: "WWE Client", protocolVersion: 2,
  });
});

test("a host with an opaque origin (\"null\") is posted to with * and only \"null\" is accepted", async () => {
  const env = load();
  env.greet("f-1", { origin: "null" });
  const p = env.service.agent.get();
  assert.equal(env.last().targetOrigin, "*");
  env.reply("0", { request: "agent.get", data: "forged" }, { origin: "https://evil.example" });
  env.reply("0", { request: "agent.get", data: "real" }, { origin: "null" });
  assert.equal((await p).data, "real");
});

test("a closed target window fails the request with UNAVAILABLE", async () => {
  const env = load({ opener: true });
  env.opener.closed = true;
  const [state, reason] = await outcome(env.service.agent.get());
  assert.equal(state, "rejected");
  assert.deepEqual(plain(reason), {
    request: "agent.get", errorCode: "UNAVAILABLE", errorMessage: "The Workspace window was closed",
  });
  assert.equal(env.opener.posted.length, 0);
});
