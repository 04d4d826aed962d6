// Tests of src/wwe_host/web/static/desktop/inspector.js: the traffic inspector.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, text } from "../fake-dom.mjs";
import { INSPECTOR_ROWS, TrafficInspector } from "../../../src/wwe_host/web/static/desktop/inspector.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

function inspector() {
  const body = h("tbody");
  const parts = {
    panel: h("section", { hidden: true }, h("div", { class: "inspector-scroll" },
      h("table", null, body))),
    body,
    toggle: h("button"),
    count: h("p"),
    clear: h("button"),
    frameLabel: (frameId) => (frameId === "f-1" ? "CRM #3" : ""),
  };
  document.body.append(parts.panel, parts.toggle, parts.clear);
  return { ins: new TrafficInspector(parts), ...parts };
}

test("rows are kept as data while closed and built when opened", () => {
  const { ins, body, toggle, count, panel } = inspector();
  ins.add({ kind: "request", frameId: "f-1", origin: "https://a", request: "voice.dial" });
  ins.note("Offline queue full");
  assert.equal(body.children.length, 0);
  toggle.click();
  assert.equal(panel.hidden, false);
  assert.equal(toggle.getAttribute("aria-expanded"), "true");
  assert.equal(document.body.classList.contains("inspector-open"), true);
  assert.equal(body.children.length, 2);
  assert.equal(count.textContent, `2 of the last ${INSPECTOR_ROWS}`);
  const row = body.children[0];
  assert.equal(text(row.querySelector(".t-frame")), "f-1CRM #3");
  assert.equal(text(row.querySelector(".t-outcome")), "\u2026", "pending");
  ins.add({ kind: "event", frameId: "f-2", request: "x", outcome: "" });
  assert.equal(body.children.length, 3, "appended while open");
});

test("the server's verdict completes the oldest pending request of that frame", () => {
  const { ins, toggle, body } = inspector();
  toggle.click();
  ins.add({ kind: "request", frameId: "f-1", origin: "https://a", request: "voice.dial" });
  ins.add({ kind: "request", frameId: "f-1", origin: "https://a", request: "voice.dial" });
  ins.server({ frameId: "f-1", request: "voice.dial", outcome: "refused:filter",
    detail: "not in the filter", durationMs: 0.25, origin: "https://a" });
  const [first, second] = body.children;
  assert.equal(first.dataset.outcome, "refused");
  assert.equal(text(first.querySelector(".t-outcome")), "refused:filternot in the filter");
  assert.equal(first.querySelector(".t-duration").textContent, "0.3 ms");
  assert.equal(text(second.querySelector(".t-outcome")), "\u2026");
  // A request the relay never saw (e.g. "?" for an unreadable one) gets its own row.
  ins.server({ frameId: "f-9", request: "agent.get", outcome: "allowed", at: 1 });
  assert.equal(body.children.length, 3);
  assert.equal(body.children[2].dataset.outcome, "ok");
  ins.server({ frameId: "f-1", request: "?", outcome: "failed" });
  assert.equal(second.dataset.outcome, "failed");
});

test("at most the last rows are kept; Clear empties", () => {
  const { ins, clear, count, body, toggle } = inspector();
  for (let n = 0; n < INSPECTOR_ROWS + 5; n += 1) ins.note(`n${n}`);
  assert.equal(ins.rows.length, INSPECTOR_ROWS);
  assert.equal(ins.rows[0].request, "n5");
  toggle.click();
  clear.click();
  assert.equal(body.children.length, 0);
  assert.equal(count.textContent, `0 of the last ${INSPECTOR_ROWS}`);
});
