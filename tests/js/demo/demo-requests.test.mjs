// Tests of src/wwe_host/web/demo/demo-requests.js: the demo app's request list.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CATALOG_PATH } from "../client-support.mjs";
import { catalogue, describeContext, readContext } from "../../../src/wwe_host/web/demo/demo-requests.js";

// catalog.REQUESTS: every request name the server understands (aliases aside).
function catalogNames() {
  const text = readFileSync(CATALOG_PATH, "utf8");
  const start = text.indexOf("REQUESTS: tuple");
  const block = text.slice(start, text.indexOf(")\n", start));
  return [...block.matchAll(/"([A-Za-z]+\.[A-Za-z]+)"/g)].map((m) => m[1]);
}

const demoNames = (context) => catalogue(context).flatMap((group) => group.requests.map((r) => r.name));

test("the demo has one button for each request of catalog.REQUESTS, and no other", () => {
  const names = demoNames(readContext(""));
  assert.equal(new Set(names).size, names.length, "a request listed twice");
  const expected = catalogNames();
  assert.equal(expected.length, 74);
  assert.deepEqual([...names].sort(), [...expected].sort());
});

test("each request sits in the group of its namespace", () => {
  for (const group of catalogue(readContext(""))) {
    for (const request of group.requests) assert.equal(request.name.split(".")[0], group.namespace, request.name);
  }
});

test("openDialog defaults to the demo page itself as a dialog; closeDialog to the dialog's own id", () => {
  const context = readContext("?level=dialog&dialog=wweCustomDialog3", "http://127.0.0.1:8081/demo/");
  const requests = new Map(catalogue(context).flatMap((group) => group.requests.map((r) => [r.name, r])));
  const [url] = requests.get("system.openDialog").params;
  assert.equal(url.value, "http://127.0.0.1:8081/demo/?level=dialog&dialog=$Dialog.Id$");
  assert.equal(requests.get("system.closeDialog").params[0].value, "wweCustomDialog3");
  assert.match(describeContext(context), /dialog wweCustomDialog3/);
  assert.equal(requests.get("system.closeViewInApplicationMenuBar").params[0].value, "demo-item");
});
