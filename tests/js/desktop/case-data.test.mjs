// Tests of src/wwe_host/web/static/desktop/case-data.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom, withIds } from "../fake-dom.mjs";
import { CaseData, caseDataTarget } from "../../../src/wwe_host/web/static/desktop/case-data.js";

let document;
beforeEach(() => {
  document = installDom();
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("the target is the selected case's main interaction, else its first", () => {
  const a1 = { interactionId: "1", caseId: "a" };
  const a2 = { interactionId: "2", caseId: "a", isMainCaseInteraction: true };
  assert.equal(caseDataTarget({ selectedCase: "a", interactions: [a1, a2] }), a2);
  assert.equal(caseDataTarget({ selectedCase: "a", interactions: [a1] }), a1);
  assert.equal(caseDataTarget({ selectedCase: "b", interactions: [a1] }), null);
  assert.equal(caseDataTarget({}), null);
});

function panel() {
  const els = withIds({ "case-data-for": "p", "case-data-rows": "tbody", "case-data-add": "form",
    "new-key": "input > case-data-add", "new-value": "input > case-data-add" });
  const acts = [];
  const errors = [];
  const actions = { act: async (op, args) => { acts.push([op, args]); return { ok: true }; },
    showError: (t) => errors.push(t) };
  return { cd: new CaseData(actions), els, acts, errors };
}

test("shows the target's data; edits name the interaction; another case starts afresh", async () => {
  const { cd, els, acts } = panel();
  const call = { interactionId: "3", caseId: "a", media: "voice", ani: "+1555",
    userData: { Tier: "gold" } };
  cd.render({ selectedCase: "a", interactions: [call] });
  assert.equal(els["case-data-for"].textContent, "Voice call 3 \u2013 +1555");
  const row = els["case-data-rows"].children[0];
  row.querySelector("input").value = "silver";
  row.querySelector("input").dispatchEvent(event("change"));
  row.querySelector("button").click();
  els["new-key"].value = "New";
  els["new-value"].value = "x";
  els["case-data-add"].dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(acts, [
    ["setUserData", { interactionId: "3", key: "Tier", value: "silver" }],
    ["deleteUserData", { interactionId: "3", key: "Tier" }],
    ["setUserData", { interactionId: "3", key: "New", value: "x" }],
  ]);
  const other = { interactionId: "4", caseId: "b", media: "chat", userData: { Tier: "gold" } };
  cd.render({ selectedCase: "b", interactions: [call, other] });
  assert.notEqual(els["case-data-rows"].children[0], row, "rows of another interaction");
  cd.render({ selectedCase: null, interactions: [] });
  assert.equal(els["case-data-rows"].children.length, 0);
});

test("a key is required to add", async () => {
  const { els, errors, acts } = panel();
  els["case-data-add"].dispatchEvent(event("submit"));
  await settle();
  assert.deepEqual(errors, ["Enter a key for the new case data."]);
  assert.deepEqual(acts, []);
});
