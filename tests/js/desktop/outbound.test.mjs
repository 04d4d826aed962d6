// Tests of src/wwe_host/web/static/desktop/outbound.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, text, withIds } from "../fake-dom.mjs";
import {
  OutboundPanel, previewTarget, rescheduleText,
} from "../../../src/wwe_host/web/static/desktop/outbound.js";

beforeEach(() => installDom());

const PREVIEW = { interactionId: "1", caseId: "c1", media: "outboundpreview", state: "PREVIEW" };
const RECORD = {
  campaign: "spring", recordHandle: 1, phone: "+1555", status: "PREVIEW",
  fields: { name: "Ann" },
  chain: [{ recordHandle: 1, phone: "+1555", doNotCall: false },
    { recordHandle: 2, phone: "+1666", doNotCall: true }],
  callResult: null, callResults: [{ name: "Answer", code: 33 }, { name: "Busy", code: 6 }],
  dueAt: null, personal: false, doNotCall: false,
};

test("previewTarget and rescheduleText", () => {
  assert.equal(previewTarget({ interactions: [PREVIEW], selectedCase: "c1" }), PREVIEW);
  assert.equal(previewTarget({ interactions: [PREVIEW], selectedCase: "c2" }), null);
  assert.equal(rescheduleText("2026-03-04T09:05"), "3/4/2026 9:5");
  assert.equal(rescheduleText(""), null);
});

test("OutboundPanel: reads the record, shows it, and each button is one request", async () => {
  const els = withIds({ "outbound-panel": "section", "outbound-body": "div",
    "outbound-for": "p" });
  const calls = [];
  const actions = {
    act: async (op, args) => {
      calls.push([op, args]);
      return { ok: true, data: op === "outboundRecord" ? RECORD : null };
    },
    showError: () => {},
  };
  const panel = new OutboundPanel({ panel: els["outbound-panel"], body: els["outbound-body"],
    title: els["outbound-for"], actions });
  panel.render({ interactions: [PREVIEW], selectedCase: "c1" });
  await panel.load();
  assert.equal(els["outbound-panel"].hidden, false);
  assert.equal(text(els["outbound-for"]), "Campaign spring \u00B7 record 1 \u00B7 PREVIEW");
  const buttons = els["outbound-body"].querySelectorAll("button");
  const byText = (t) => buttons.find((b) => text(b) === t);
  assert.equal(byText("Call +1666").getAttribute("disabled"), "");
  assert.equal(byText("Call +1555").getAttribute("disabled"), null);
  byText("Call +1555").click();
  byText("Reject").click();
  byText("Add to do-not-call").click();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const requests = calls.filter(([op]) => op === "outbound").map(([, a]) => [a.request, a.params]);
  assert.deepEqual(requests, [
    ["callPreviewRecord", ["1", 1]],
    ["rejectPreviewRecord", ["1"]],
    ["setDoNotCall", ["1"]],
  ]);
  panel.render({ interactions: [], selectedCase: null });
  assert.equal(els["outbound-panel"].hidden, true);
});
