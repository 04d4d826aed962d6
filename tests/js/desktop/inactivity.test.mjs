// Tests of src/wwe_host/web/static/desktop/inactivity.js, with a fake clock.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, withIds } from "../fake-dom.mjs";
import {
  ACTIVITY_EVERY_MS, Inactivity, reportEvery,
} from "../../../src/wwe_host/web/static/desktop/inactivity.js";

let document;
beforeEach(() => {
  document = installDom();
});

test("reportEvery: every few seconds, twice before the warning, at once while it shows", () => {
  assert.equal(reportEvery(1000, 30, 0, false), ACTIVITY_EVERY_MS);
  assert.equal(reportEvery(40, 30, 0, false), ACTIVITY_EVERY_MS, "10 s before the warning");
  assert.equal(reportEvery(34, 30, 0, false), 2000);
  assert.equal(reportEvery(30, 30, 0, false), 250);
  assert.equal(reportEvery(1000, 30, 0, true), 250);
});

function inactivity() {
  const els = withIds({ "inactivity-dialog": "dialog", "inactivity-seconds": "span > inactivity-dialog",
    "inactivity-stay": "button > inactivity-dialog", other: "button" });
  const clock = { now: 100_000 };
  const sent = [];
  const connection = { action: (op) => { sent.push([op, clock.now]); return Promise.resolve(); } };
  const panel = new Inactivity(connection, () => clock.now);
  return { panel, els, clock, sent };
}

test("the warning opens within the alert time, counts down, and closes when the deadline moves", () => {
  const { panel, els, clock } = inactivity();
  els.other.focus();
  panel.render({ inactivityAlertSeconds: 10, activityDeadline: 120 });
  assert.equal(els["inactivity-dialog"].open, false, "20 s left");
  clock.now = 112_300;
  panel.tick();
  assert.equal(els["inactivity-dialog"].open, true);
  assert.equal(els["inactivity-seconds"].textContent, "8");
  assert.equal(document.activeElement, els["inactivity-stay"]);
  panel.setDeadline(200);
  assert.equal(els["inactivity-dialog"].open, false);
  assert.equal(document.activeElement, els.other, "focus goes back");
  panel.render({ activityDeadline: null });
  clock.now = 199_000;
  panel.tick();
  assert.equal(els["inactivity-dialog"].open, false, "no timeout configured");
});

test("input is reported at most every few seconds; Stay and Escape report at once", () => {
  const { panel, els, clock, sent } = inactivity();
  window.fire("keydown");
  assert.deepEqual(sent, [], "no deadline: nothing to report");
  panel.render({ inactivityAlertSeconds: 10, activityDeadline: 1000 });
  window.fire("keydown");
  clock.now += 1000;
  window.fire("mousemove");
  clock.now += ACTIVITY_EVERY_MS;
  window.fire("wheel");
  assert.deepEqual(sent.map(([, at]) => at), [100_000, 106_000]);
  els["inactivity-stay"].click();
  const cancel = { type: "cancel" };
  els["inactivity-dialog"].dispatchEvent(cancel);
  assert.equal(cancel.defaultPrevented, true);
  assert.equal(sent.length, 4);
});
