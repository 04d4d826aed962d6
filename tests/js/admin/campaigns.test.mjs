// Tests of src/wwe_host/web/static/admin/campaigns.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, text, withIds } from "../fake-dom.mjs";
import {
  CampaignsPanel, campaignCommands, recordSummary,
} from "../../../src/wwe_host/web/static/admin/campaigns.js";

beforeEach(() => installDom());

const SPRING = {
  name: "spring", mode: "preview", status: "RUNNING", agents: ["jdoe"],
  records: { READY: 1, CALLED: 1 },
  rows: [
    { recordHandle: 1, phone: "+1555", chain: "c1", fields: { name: "Ann" }, status: "CALLED",
      agent: "jdoe", dueAt: null, personal: false, callResult: { name: "Busy", code: 6 },
      attempts: 1, doNotCall: true },
    { recordHandle: 2, phone: "+1666", chain: "c2", fields: {}, status: "READY", agent: null,
      dueAt: null, personal: false, callResult: null, attempts: 0, doNotCall: false },
  ],
};

test("campaignCommands and recordSummary", () => {
  assert.deepEqual(campaignCommands("UNLOADED"), ["load"]);
  assert.deepEqual(campaignCommands("LOADED"), ["start", "unload"]);
  assert.deepEqual(campaignCommands("RUNNING"), ["stop"]);
  assert.deepEqual(campaignCommands("STOPPED"), ["start", "unload"]);
  assert.equal(recordSummary({ READY: 3, CALLED: 1 }), "3 READY, 1 CALLED");
  assert.equal(recordSummary({}), "no records");
});

test("CampaignsPanel: a card per campaign with its records and command buttons", async () => {
  const els = withIds({ "campaign-list": "div", "no-campaigns": "p" });
  const calls = [];
  const actions = { act: async (method, path) => { calls.push([method, path]); return { ok: true }; } };
  const panel = new CampaignsPanel({ list: els["campaign-list"], empty: els["no-campaigns"],
    actions });
  panel.render([SPRING, { name: "push", mode: "push-preview", status: "UNLOADED", agents: [],
    records: {}, rows: [] }]);
  const cards = els["campaign-list"].querySelectorAll("article");
  assert.deepEqual(cards.map((c) => c.dataset.campaign), ["spring", "push"]);
  assert.equal(text(cards[0].querySelector("h3")), "campaign:spring \u2014 RUNNING");
  assert.equal(text(cards[0].querySelector("p")),
    "preview \u00B7 agents: jdoe \u00B7 1 READY, 1 CALLED");
  const rows = cards[0].querySelectorAll("tbody tr");
  assert.deepEqual(rows.map((r) => r.dataset.record), ["1", "2"]);
  assert.match(text(rows[0]), /Busy \(6\)/);
  assert.match(text(rows[0]), /yes/);
  const [stop] = cards[0].querySelectorAll("button");
  assert.equal(text(stop), "Stop");
  stop.click();
  const [load] = cards[1].querySelectorAll("button");
  load.click();
  assert.deepEqual(calls, [["POST", "/campaigns/spring/stop"], ["POST", "/campaigns/push/load"]]);
  assert.equal(els["no-campaigns"].hidden, true);
});

test("CampaignsPanel.load fetches the records of loaded campaigns only", async () => {
  const paths = [];
  const api = { call: async (method, path) => {
    paths.push(path);
    if (path === "/campaigns") {
      return { campaigns: [{ ...SPRING, rows: undefined }, { name: "x", status: "UNLOADED" }] };
    }
    return { records: SPRING.rows };
  } };
  const loaded = await CampaignsPanel.load(api);
  assert.deepEqual(paths, ["/campaigns", "/campaigns/spring/records"]);
  assert.equal(loaded[0].rows.length, 2);
  assert.deepEqual(loaded[1].rows, []);
});
