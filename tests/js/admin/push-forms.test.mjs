// Tests of src/wwe_host/web/static/admin/push-forms.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom } from "../fake-dom.mjs";
import { ApiFailure } from "../../../src/wwe_host/web/static/admin/api.js";
import {
  BODIES, parseData, pushForm, renderDestinations,
} from "../../../src/wwe_host/web/static/admin/push-forms.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("parseData: key=value lines, blank lines skipped, the first = splits", () => {
  assert.deepEqual(parseData("a=1\r\n\n b = x=y \n"), { a: "1", b: " x=y " });
  assert.deepEqual(parseData(""), {});
  assert.throws(() => parseData("a=1\nnoequals"),
    { message: "Attached data, line 2: expected key=value, got 'noequals'." });
  assert.throws(() => parseData("=v"), /line 1/);
});

const field = (value) => ({ value });

test("the push bodies: trimmed addresses; optional DNIS and attached data only when given", () => {
  assert.deepEqual(BODIES.call({ to: field(" u01 "), from: field("+1"), dnis: field(" "),
    userData: field("") }), { to: "u01", from: "+1" });
  assert.deepEqual(BODIES.call({ to: field("u01"), from: field("+1"), dnis: field("6001"),
    userData: field("k=v") }), { to: "u01", from: "+1", dnis: "6001", userData: { k: "v" } });
  assert.deepEqual(BODIES.email({ to: field("u01"), from: field("c@x"), subject: field(" S "),
    body: field("B") }), { to: "u01", from: "c@x", subject: " S ", body: "B" });
  assert.deepEqual(BODIES.chat({ to: field("queue:help"), from: field("Carla"),
    message: field("Hi") }), { to: "queue:help", from: "Carla", message: "Hi" });
});

function form() {
  const el = h("form", null, h("button", { type: "submit" }), h("p", { class: "form-error" }),
    h("pre", { class: "answer" }));
  el.elements = { to: field("u01") };
  document.body.append(el);
  return el;
}

test("a push form posts its body, shows the answer and refreshes", async () => {
  const el = form();
  const posted = [];
  const after = [];
  let refreshed = 0;
  const api = { call: async (method, path, body) => { posted.push([method, path, body]); return { chatId: "c1" }; } };
  pushForm(el, { api, path: "/sim/chats", body: (f) => ({ to: f.to.value }),
    after: (data) => after.push(data), refresh: () => { refreshed += 1; } });
  el.dispatchEvent(event("submit"));
  assert.equal(el.getAttribute("aria-busy"), "true");
  assert.equal(el.querySelector("button").disabled, true);
  await settle();
  assert.deepEqual(posted, [["POST", "/sim/chats", { to: "u01" }]]);
  assert.equal(el.querySelector(".answer").textContent, '{\n  "chatId": "c1"\n}');
  assert.deepEqual(after, [{ chatId: "c1" }]);
  assert.equal(refreshed, 1);
  assert.equal(el.hasAttribute("aria-busy"), false);
  assert.equal(el.querySelector("button").disabled, false);
});

test("a bad form shows its error without posting; a refusal shows the API's words", async () => {
  const el = form();
  let calls = 0;
  const api = { call: async () => { calls += 1; throw new ApiFailure(404, "NOT_FOUND", "No agent."); } };
  let body = () => { throw new Error("Attached data, line 1: expected key=value, got 'x'."); };
  pushForm(el, { api, path: "/sim/calls", body: (f) => body(f), refresh: () => {} });
  el.dispatchEvent(event("submit"));
  await settle();
  assert.equal(calls, 0);
  assert.equal(el.querySelector(".form-error").textContent,
    "Attached data, line 1: expected key=value, got 'x'.");
  body = () => ({});
  el.dispatchEvent(event("submit"));
  await settle();
  assert.equal(el.querySelector(".form-error").textContent, "Refused (404 NOT_FOUND): No agent.");
  assert.equal(el.querySelector(".answer").textContent, "");
});

test("destinations: the agents before the queues, rebuilt only when they changed", () => {
  const queue = h("option", { value: "queue:help" });
  const list = h("datalist", null, queue);
  const agents = [{ username: "u01", firstname: "Ann", lastname: "Lee", number: "6001", loggedIn: true },
    { username: "u02", number: "6002", loggedIn: false }];
  renderDestinations(list, agents);
  const labels = () => list.children.map((o) => o.getAttribute("label") ?? o.value);
  assert.deepEqual(labels(), ["Ann Lee (DN 6001)", " (DN 6002), logged out", "queue:help"]);
  const first = list.children[0];
  renderDestinations(list, agents);
  assert.equal(list.children[0], first);
  renderDestinations(list, agents.slice(1));
  assert.deepEqual(labels(), [" (DN 6002), logged out", "queue:help"]);
});
