// Tests of src/wwe_host/web/static/desktop/actions.js and dialpad.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom, withIds } from "../fake-dom.mjs";
import { Actions } from "../../../src/wwe_host/web/static/desktop/actions.js";
import { startDialPad } from "../../../src/wwe_host/web/static/desktop/dialpad.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

function actions(refuse = new Set()) {
  const line = h("p", null, "old error");
  const sent = [];
  const connection = {
    action: async (op, args) => {
      sent.push([op, args]);
      if (refuse.has(op)) throw new Error(`${op} refused`);
      return { done: op };
    },
  };
  return { a: new Actions(connection, line), line, sent };
}

test("act clears the error line, resolves with the data or shows the refusal", async () => {
  const { a, line } = actions(new Set(["hold"]));
  assert.deepEqual(await a.act("answer", { interactionId: "1" }), { ok: true, data: { done: "answer" } });
  assert.equal(line.textContent, "");
  const refused = await a.act("hold");
  assert.equal(refused.ok, false);
  assert.equal(line.textContent, "hold refused");
});

test("the dial pad and the e-mail form: a value is required; a success empties the field", async () => {
  const els = withIds({ "dial-form": "form", "dial-number": "input > dial-form",
    "email-form": "form", "email-address": "input > email-form" });
  const { a, line, sent } = actions(new Set(["createEmail"]));
  startDialPad(a);
  els["dial-form"].dispatchEvent(event("submit"));
  assert.equal(line.textContent, "Enter a number to call.");
  assert.equal(document.activeElement, els["dial-number"]);
  els["dial-number"].value = " 6002 ";
  els["dial-form"].dispatchEvent(event("submit"));
  els["email-address"].value = "a@x.example";
  els["email-form"].dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(sent, [["dial", { destination: "6002" }], ["createEmail", { to: "a@x.example" }]]);
  assert.equal(els["dial-number"].value, "");
  assert.equal(els["email-address"].value, "a@x.example", "refused: kept");
});
