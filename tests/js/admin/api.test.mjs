// Tests of src/wwe_host/web/static/admin/api.js, with a fake fetch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import { Actions, Api, ApiFailure, describeError, segment } from "../../../src/wwe_host/web/static/admin/api.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

function reply(status, body) {
  return { status, ok: status >= 200 && status < 300,
    json: async () => (body === undefined ? JSON.parse("not json") : body) };
}

function api(answers) {
  const calls = [];
  const left = [];
  const a = new Api({
    fetch: async (url, init) => {
      calls.push([url, init]);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    },
    leave: (path) => left.push(path),
  });
  return { a, calls, left };
}

test("a call sends JSON with the cookie and resolves with the answer", async () => {
  const { a, calls } = api([reply(200, { ok: 1 })]);
  assert.deepEqual(await a.call("PATCH", "/interactions/x/user-data", { k: "v" }), { ok: 1 });
  const [url, init] = calls[0];
  assert.equal(url, "/api/v1/interactions/x/user-data");
  assert.equal(init.method, "PATCH");
  assert.equal(init.credentials, "same-origin");
  assert.equal(init.headers["Content-Type"], "application/json");
  assert.equal(init.body, '{"k":"v"}');
});

test("refusals become ApiFailure with the API's code and message", async () => {
  const { a } = api([reply(409, { error: { code: "CONFLICT", message: "No." } }), reply(500),
    new TypeError("network")]);
  const refused = await a.call("GET", "/x").catch((e) => e);
  assert.ok(refused instanceof ApiFailure);
  assert.equal(refused.describe(), "Refused (409 CONFLICT): No.");
  assert.equal((await a.call("GET", "/x").catch((e) => e)).describe(), "Refused (500 ERROR): HTTP 500");
  const unreachable = await a.call("GET", "/x").catch((e) => e);
  assert.equal(unreachable.describe(), "The server cannot be reached.");
  assert.equal(describeError(new Error("plain")), "Error: plain");
});

test("an ended session goes to the login page once", async () => {
  const { a, left } = api([reply(401, {}), reply(401, {})]);
  await a.call("GET", "/agents").catch(() => {});
  await a.call("GET", "/agents").catch(() => {});
  assert.deepEqual(left, ["/?ended=session&next=/admin"]);
  assert.equal(a.leaving, true);
});

test("logout ends the session even when the server cannot be reached", async () => {
  const { a, left, calls } = api([new TypeError("down")]);
  await a.logout();
  assert.equal(calls[0][0], "/api/v1/logout");
  assert.deepEqual(left, ["/?ended=logout"]);
});

test("actions show the refusal, clear it on success, and refresh either way", async () => {
  installDom();
  const { a } = api([reply(400, { error: { code: "INVALID_PARAMETER", message: "Bad." } }),
    reply(200, {})]);
  const line = h("p");
  let refreshed = 0;
  const actions = new Actions({ api: a, errorLine: line, refresh: () => { refreshed += 1; } });
  assert.equal((await actions.act("POST", "/sim/calls", {})).ok, false);
  assert.equal(line.textContent, "Refused (400 INVALID_PARAMETER): Bad.");
  assert.equal((await actions.act("POST", "/sim/calls", {})).ok, true);
  assert.equal(line.textContent, "");
  assert.equal(refreshed, 2);
  assert.equal(segment("a/b c"), "a%2Fb%20c");
});
