// Tests of src/wwe_host/web/static/desktop/inspector.js: the traffic inspector.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, text } from "../fake-dom.mjs";
import { INSPECTOR_ROWS, TrafficInspector, payloadText, requestOf } from "../../../src/wwe_host/web/static/desktop/inspector.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

let document;
beforeEach(() => {
  document = installDom();
});

function inspector(options = {}) {
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
  return { ins: new TrafficInspector({ ...parts, ...options }), ...parts };
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

// --- filter, payload view, export -----------------------------------------------------------

function traffic(options = {}) {
  const saved = [];
  const made = inspector({ save: (name, body) => saved.push({ name, body }),
    now: () => new Date(2026, 11, 5, 21, 4, 5), ...options });
  const { ins } = made;
  const { text, request, outcome, exporter } = ins.controls;
  ins.add({ kind: "request", frameId: "f-1", origin: "https://crm", request: "voice.dial",
    referenceId: "0", payload: '{"request":"voice.dial","parameters":["5551234"],"referenceId":"0"}',
    at: Date.UTC(2026, 11, 5, 20, 0, 0) });
  ins.server({ frameId: "f-1", request: "voice.dial", outcome: "allowed", durationMs: 1.5 });
  ins.add({ kind: "reply", frameId: "f-1", origin: "https://crm", request: "voice.dial",
    outcome: "ok", referenceId: "0", payload: { referenceId: "0", data: null } });
  ins.add({ kind: "request", frameId: "f-2", origin: "https://notes", request: "agent.setState",
    payload: '{"request":"agent.setState"}' });
  ins.server({ frameId: "f-2", request: "agent.setState", outcome: "refused:filter",
    detail: "not in the filter of https://notes" });
  ins.add({ kind: "event", frameId: "f-1", origin: "https://crm",
    request: "interaction EventInteractionChanged", payload: { event: "interaction" } });
  ins.add({ kind: "request", frameId: "f-1", origin: "https://crm", request: "agent.get" });
  ins.note("Connection lost");
  ins.toggle.click();
  return { saved, text, request, outcome, exporter, ...made };
}

const shownRequests = (body) => body.children.filter((tr) => !tr.hidden)
  .map((tr) => tr.querySelector(".t-request").textContent);

test("the filter by text, request and outcome hides the other rows", () => {
  const { ins, body, count, text, request, outcome } = traffic();
  assert.equal(body.children.length, 6);
  // The request list has every request seen, sorted, after "All requests".
  assert.deepEqual(request.querySelectorAll("option").map((o) => o.value),
    ["", "agent.get", "agent.setState", "interaction", "voice.dial"]);
  text.value = "NOTES";
  text.dispatchEvent({ type: "input" });
  assert.deepEqual(shownRequests(body), ["agent.setState"]);
  assert.equal(count.textContent, `1 shown (filtered) \u00B7 6 of the last ${INSPECTOR_ROWS}`);
  text.value = "";
  text.dispatchEvent({ type: "input" });
  request.value = "voice.dial";
  request.dispatchEvent({ type: "change" });
  assert.deepEqual(shownRequests(body), ["voice.dial", "voice.dial"]);
  request.value = "";
  request.dispatchEvent({ type: "change" });
  outcome.value = "refused";
  outcome.dispatchEvent({ type: "change" });
  assert.deepEqual(shownRequests(body), ["agent.setState"]);
  outcome.value = "pending";
  outcome.dispatchEvent({ type: "change" });
  assert.deepEqual(shownRequests(body), ["agent.get"]);
  // A row added while filtered is hidden unless it matches; a verdict can make it match.
  ins.add({ kind: "request", frameId: "f-3", request: "voice.hold" });
  assert.deepEqual(shownRequests(body), ["agent.get", "voice.hold"]);
  ins.server({ frameId: "f-3", request: "voice.hold", outcome: "allowed" });
  assert.deepEqual(shownRequests(body), ["agent.get"]);
  outcome.value = "ok";
  outcome.dispatchEvent({ type: "change" });
  assert.deepEqual(shownRequests(body), ["voice.dial", "voice.dial", "voice.hold"]);
  outcome.value = "";
  outcome.dispatchEvent({ type: "change" });
  assert.equal(count.textContent, `7 of the last ${INSPECTOR_ROWS}`);
});

test("a selected row shows its payload; arrows move, Escape closes", () => {
  const { ins, body } = traffic();
  const pane = ins.payload;
  assert.equal(pane.hidden, true);
  body.children[0].querySelector(".t-request").click();
  assert.equal(pane.hidden, false);
  assert.equal(ins.panel.classList.contains("has-payload"), true);
  assert.equal(body.children[0].getAttribute("aria-selected"), "true");
  assert.equal(ins.payloadTitle.textContent, "Payload: request voice.dial");
  assert.match(ins.payloadFacts.textContent, /frame f-1 \(CRM #3\) · https:\/\/crm · referenceId 0 · allowed · 1\.5 ms/);
  assert.equal(ins.payloadText.textContent,
    '{\n  "request": "voice.dial",\n  "parameters": [\n    "5551234"\n  ],\n  "referenceId": "0"\n}');
  body.dispatchEvent({ type: "keydown", key: "ArrowDown" });
  assert.equal(body.children[0].getAttribute("aria-selected"), null);
  assert.equal(ins.payloadTitle.textContent, "Payload: reply voice.dial");
  assert.equal(ins.payloadText.textContent, '{\n  "referenceId": "0",\n  "data": null\n}');
  body.dispatchEvent({ type: "keydown", key: "ArrowUp" });
  body.dispatchEvent({ type: "keydown", key: "ArrowUp" }); // stays on the first
  assert.equal(ins.payloadTitle.textContent, "Payload: request voice.dial");
  body.children[5].click();
  assert.match(ins.payloadText.textContent, /No payload was recorded/);
  body.dispatchEvent({ type: "keydown", key: "Escape" });
  assert.equal(pane.hidden, true);
  assert.equal(ins.selected, null);
  // A selected row that the filter hides is unselected.
  body.children[2].click();
  ins.setFilter({ request: "voice.dial" });
  assert.equal(pane.hidden, true);
});

test("Export JSON saves the rows shown, as data", () => {
  const { saved, exporter, request } = traffic();
  exporter.click();
  assert.equal(saved.length, 1);
  assert.equal(saved[0].name, "wwe-host-traffic-20261205-210405.json");
  const all = JSON.parse(saved[0].body);
  assert.equal(all.rows.length, 6);
  assert.deepEqual(all.filter, { text: "", request: "", outcome: "" });
  assert.deepEqual(all.rows[0], {
    at: "2026-12-05T20:00:00.000Z", kind: "request", frameId: "f-1", app: "CRM #3",
    origin: "https://crm", request: "voice.dial", referenceId: "0", outcome: "allowed",
    detail: "", durationMs: 1.5,
    payload: { request: "voice.dial", parameters: ["5551234"], referenceId: "0" },
  });
  assert.equal(all.rows[4].outcome, "", "no answer yet");
  assert.equal(all.rows[5].payload, null);
  request.value = "agent.setState";
  request.dispatchEvent({ type: "change" });
  exporter.click();
  const some = JSON.parse(saved[1].body);
  assert.deepEqual(some.rows.map((r) => [r.request, r.outcome, r.detail]),
    [["agent.setState", "refused:filter", "not in the filter of https://notes"]]);
  assert.equal(some.filter.request, "agent.setState");
});

test("payloadText and requestOf", () => {
  assert.equal(payloadText(undefined), "");
  assert.equal(payloadText("not json"), "not json");
  assert.equal(payloadText({ a: 1 }), '{\n  "a": 1\n}');
  assert.equal(requestOf({ kind: "event", request: "interaction EventX" }), "interaction");
  assert.equal(requestOf({ kind: "note", request: "Connection lost" }), "");
});
