// Tests of src/wwe_host/web/static/desktop/workspace.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, withIds } from "../fake-dom.mjs";
import { hasSelectedCase, Workspace } from "../../../src/wwe_host/web/static/desktop/workspace.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";

beforeEach(() => installDom());

test("hasSelectedCase needs an interaction in the selected case", () => {
  assert.equal(hasSelectedCase({ selectedCase: "a", interactions: [{ caseId: "a" }] }), true);
  assert.equal(hasSelectedCase({ selectedCase: "a", interactions: [{ caseId: "b" }] }), false);
  assert.equal(hasSelectedCase({ selectedCase: null }), false);
});

test("a newly selected case brings the Case tab forward and shows its view", () => {
  const els = withIds({ "workspace-tabs": "div", "tab-case": "button > workspace-tabs",
    "panel-case": "section", "case-app-tabs": "div", "case-view": "div", "no-case": "p" });
  const ws = new Workspace();
  const app = { tab: h("button"), panel: h("section") };
  ws.tabs.add("w:Dialer", app.tab, app.panel);
  ws.render({ selectedCase: null, interactions: [] });
  ws.tabs.select("w:Dialer");
  ws.render({ selectedCase: null, interactions: [] });
  assert.equal(ws.tabs.selected, "w:Dialer", "nothing new");
  assert.equal(els["case-view"].hidden, true);
  assert.equal(els["no-case"].hidden, false);
  ws.render({ selectedCase: "c1", interactions: [{ caseId: "c1" }] });
  assert.equal(ws.tabs.selected, "case");
  assert.equal(els["case-view"].hidden, false);
  assert.equal(els["no-case"].hidden, true);
});
