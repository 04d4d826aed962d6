// Tests of src/wwe_host/web/static/admin/audit.js, outbox.js and time-cell.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { event, installDom, withIds } from "../fake-dom.mjs";
import { AUDIT_LIMIT, AuditLog, auditCount, auditQuery } from "../../../src/wwe_host/web/static/admin/audit.js";
import { Outbox, statusKind } from "../../../src/wwe_host/web/static/admin/outbox.js";
import { timeCell, timeText } from "../../../src/wwe_host/web/static/admin/time-cell.js";

beforeEach(() => installDom());

test("auditQuery: the filters that are set, and the limit", () => {
  assert.equal(auditQuery(), `?limit=${AUDIT_LIMIT}`);
  assert.equal(auditQuery({ agent: " u01 ", outcome: "refused:origin" }),
    `?agent=u01&outcome=refused%3Aorigin&limit=${AUDIT_LIMIT}`);
  assert.equal(auditCount(1, false), `1 entry, newest first; the last ${AUDIT_LIMIT} at most`);
  assert.equal(auditCount(3, true), `3 entries (filtered), newest first; the last ${AUDIT_LIMIT} at most`);
});

test("timeText: the time of day today, with the date otherwise", () => {
  const now = new Date(2024, 4, 6, 12, 0, 0);
  const today = new Date(2024, 4, 6, 9, 8, 7, 6).getTime() / 1000;
  const before = new Date(2024, 4, 5, 9, 8, 7, 6).getTime() / 1000;
  assert.equal(timeText(today, now), "09:08:07.006");
  assert.equal(timeText(before, now), "2024-05-05 09:08:07.006");
  assert.equal(timeCell(undefined).textContent, "");
  assert.equal(timeCell(today).querySelector("time").getAttribute("title"), "2024-05-06 09:08:07.006");
});

function auditLog() {
  const els = withIds({ "audit-rows": "tbody", "no-audit": "p", "audit-table": "div",
    "audit-count": "p", "audit-filters": "form", "audit-agent": "input > audit-filters",
    "audit-outcome": "input > audit-filters", "audit-agent-names": "datalist" });
  let refreshed = 0;
  const log = new AuditLog({ body: els["audit-rows"], empty: els["no-audit"],
    table: els["audit-table"], count: els["audit-count"], filters: els["audit-filters"],
    agent: els["audit-agent"], outcome: els["audit-outcome"],
    agentNames: els["audit-agent-names"], refresh: () => { refreshed += 1; } });
  return { log, els, refreshed: () => refreshed };
}

test("the audit log: newest first, outcome colours, count says when filtered", () => {
  const { log, els } = auditLog();
  log.render({ entries: [], query: log.query() });
  assert.equal(els["no-audit"].hidden, false);
  assert.equal(els["audit-table"].hidden, true);
  els["audit-outcome"].value = "refused";
  log.render({ query: log.query(), entries: [
    { at: 1, agent: "u01", request: "voice.dial", outcome: "allowed", durationMs: 1.25 },
    { at: 2, agent: "u01", request: "agent.get", outcome: "refused:origin", detail: "why" }] });
  const rows = els["audit-rows"].children;
  assert.deepEqual(rows.map((tr) => tr.dataset.outcome), ["refused", "ok"]);
  assert.equal(rows[1].children.at(-1).textContent, "1.3 ms");
  assert.equal(els["audit-count"].textContent, auditCount(2, true));
  log.renderAgentNames([{ username: "u01" }, { username: "u02" }]);
  assert.equal(els["audit-agent-names"].children.length, 2);
});

test("the filters reload: submit at once", () => {
  const { els, refreshed } = auditLog();
  const submit = event("submit");
  els["audit-filters"].dispatchEvent(submit);
  assert.equal(submit.defaultPrevented, true);
  assert.equal(refreshed(), 1);
});

test("the outbox: newest first, sent and failed coloured", () => {
  const els = withIds({ "outbox-rows": "tbody", "no-outbox": "p", "outbox-table": "div" });
  const outbox = new Outbox({ body: els["outbox-rows"], empty: els["no-outbox"], table: els["outbox-table"] });
  outbox.render([{ at: 1, from: "a@x", to: "b@x", subject: "S", status: "sent" },
    { at: 2, status: "failed: 550 no such user" }]);
  assert.deepEqual(els["outbox-rows"].children.map((tr) => tr.dataset.outcome), ["failed", "ok"]);
  assert.equal(els["no-outbox"].hidden, true);
  assert.equal(statusKind("kept"), "");
  assert.equal(statusKind(undefined), "");
});
