// The requests of the vendor's current library (api-9.md) in the client library: the same
// namespaces, names, argument orders and callbacks as the vendor's, the same wire messages,
// promises when no callback is given. Run with `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { API_9_ARGUMENTS, DTS_PATH, HOST, ROOT, load, outcome, plain } from "./client-support.mjs";

const TARGET = { type: "QUEUE", destination: "sales" };

test("every api-9 request posts what the vendor's library posts", () => {
  const env = load();
  env.greet("f-9");
  assert.equal(Object.keys(API_9_ARGUMENTS).length, 38);
  for (const [name, args] of Object.entries(API_9_ARGUMENTS)) {
    const [namespace, method] = name.split(".");
    const fn = env.service[namespace]?.[method];
    assert.equal(typeof fn, "function", `${name} is missing`);
    assert.equal(fn(...args, () => {}, () => {}), undefined, `${name} with callbacks returns nothing`);
    const { message, targetOrigin } = env.last();
    const expected = { request: name, referenceId: message.referenceId, userAgent: "WWE Client", protocolVersion: 2, frameId: "f-9" };
    if (args.length > 0) expected.parameters = args;
    assert.deepEqual(plain(message), plain(expected), name);
    assert.equal(targetOrigin, HOST);
  }
});

test("optional trailing parameters: callbacks may come right after the required ones", () => {
  const env = load();
  const done = () => {};
  const cases = [
    [() => env.service.interaction.consult("1", TARGET, done), ["1", TARGET]],
    [() => env.service.interaction.consult("1", TARGET, { K: "v" }, done), ["1", TARGET, { K: "v" }]],
    [() => env.service.interaction.consult("1", TARGET, null, { E: "x" }, done), ["1", TARGET, null, { E: "x" }]],
    [() => env.service.interaction.singleStepTransfer("1", TARGET, done), ["1", TARGET]],
    [() => env.service.interaction.singleStepConference("1", TARGET, undefined, undefined, done), ["1", TARGET]],
    [() => env.service.voice.dialEx("5550100", done), ["5550100"]],
    [() => env.service.voice.dialEx("5550100", null, { E: "x" }, done), ["5550100", null, { E: "x" }]],
    [() => env.service.system.openDialog("https://app.example/d.html", done), ["https://app.example/d.html"]],
    [() => env.service.messenger.broadcastMessage("c", null, done), ["c", null]],
    [() => env.service.messenger.broadcastMessage("c", "text", done), ["c", "text"]],
  ];
  for (const [call, parameters] of cases) {
    call();
    assert.deepEqual(plain(env.last().message.parameters), plain(parameters));
  }
});

test("promise mode: the reply's data, or the host's failure (UNKNOWN_REQUEST included)", async () => {
  const env = load();
  env.greet();
  const token = env.service.auth.getJwtToken();
  const options = env.service.configuration.getOption(["crm.*"]);
  const campaigns = env.service.outbound.getCampaigns();
  const [a, b, c] = env.sent().map((p) => p.message);
  env.reply(a.referenceId, { request: "auth.getJwtToken", data: "h.p.s" });
  env.reply(b.referenceId, { request: "configuration.getOption", data: { "crm.color": "blue" } });
  env.reply(c.referenceId, {
    request: "outbound.getCampaigns",
    errorMessage: "Unknown request 'outbound.getCampaigns'.",
    errorCode: "UNKNOWN_REQUEST",
  });
  assert.equal((await token).data, "h.p.s");
  assert.deepEqual(plain((await options).data), { "crm.color": "blue" });
  const [state, reason] = await outcome(campaigns);
  assert.equal(state, "rejected");
  assert.equal(reason.errorCode, "UNKNOWN_REQUEST");
});

test("a missing required parameter fails INVALID_PARAMETER and posts nothing", async () => {
  const env = load();
  const cases = [
    [env.service.interaction.consult("1"), "interaction.consult: the parameter 'target' is missing"],
    [env.service.outbound.rescheduleRecord("1", 7, "1/2/2027 9:00"), "outbound.rescheduleRecord: the parameter 'callbackType' is missing"],
    [env.service.messenger.broadcastMessage(), "messenger.broadcastMessage: the parameter 'channel' is missing"],
    [env.service.configuration.getOption(null), "configuration.getOption: the parameter 'names' is missing"],
  ];
  for (const [promise, text] of cases) {
    const [state, reason] = await outcome(promise);
    assert.equal(state, "rejected");
    assert.equal(reason.errorCode, "INVALID_PARAMETER");
    assert.equal(reason.errorMessage, text);
  }
  assert.equal(env.sent().length, 0);
});

test("messenger: subscribe to a channel, receive what other frames broadcast", async () => {
  const env = load();
  env.greet();
  const got = [];
  const handler = (message) => got.push(message);
  const subscribed = env.service.subscribe(["messenger:orders"], handler);
  assert.deepEqual(plain(env.last().message.data), ["messenger:orders"]);
  env.reply(env.last().message.referenceId, { subscriptionId: "sub-3", data: { topics: ["messenger:orders"] } });
  await subscribed;
  const event = { event: "messenger:orders", data: { order: 17 }, userAgent: "WWE Server", protocolVersion: 2 };
  env.deliver(event);
  env.deliver({ ...event, event: "messenger:other" });
  assert.deepEqual(plain(got), [event]);
});

test("the .d.ts types every system and outbound event the server sends, with its fields", () => {
  const dts = readFileSync(DTS_PATH, "utf8");
  const source = (path) => readFileSync(`${ROOT}src/wwe_host/${path}`, "utf8");
  const constant = (text, name) => text.match(new RegExp(`^${name} = "([A-Z_]+)"`, "m"))[1];
  const items = source("domain/desktop_items.py");
  const declared = (eventType) => {
    const at = dts.indexOf(`eventType: "${eventType}";`);
    assert.notEqual(at, -1, `${eventType} is not declared`);
    return dts.slice(at, dts.indexOf("}", at));
  };
  assert.match(declared(constant(items, "DIALOG_CLOSED")), /dialogId: string;[\s\S]*closedBy: "frame" \| "agent";/);
  assert.match(declared(constant(items, "MENU_ITEM_CLICK")), /name: string;/);
  assert.match(declared(constant(source("domain/tabs.py"), "FRAME_STATE_CHANGED")), /state: FrameState;/);
  const system = dts.slice(dts.indexOf("type SystemEventMessage"), dts.indexOf(">;", dts.indexOf("type SystemEventMessage")));
  for (const type of ["CustomDialogClosedEvent", "MenuBarViewClickEvent", "FrameStateChangedEvent"]) {
    assert.match(system, new RegExp(`\\b${type}\\b`), type);
  }
  const outboundTypes = dts.slice(dts.indexOf("type OutboundEventType"), dts.indexOf(";", dts.indexOf("type OutboundEventType")));
  const sent = new Set(
    ["api/outbound.py", "core/outbound.py", "domain/previews.py"]
      .flatMap((path) => [...source(path).matchAll(/"((?:CAMPAIGN|RECORD|RESCHEDULE|CALL_RESULT|DO_NOT_CALL)_[A-Z_]+)"/g)])
      .map((m) => m[1]),
  );
  assert.ok(sent.size >= 10, [...sent].join());
  for (const type of sent) assert.match(outboundTypes, new RegExp(`"${type}"`), type);
});
