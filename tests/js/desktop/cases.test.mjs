// Tests of src/wwe_host/web/static/desktop/cases.js: the interactions grouped by case.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import { caseSummary, CaseList, groupByCase } from "../../../src/wwe_host/web/static/desktop/cases.js";
import { h } from "../../../src/wwe_host/web/static/shared/dom.js";
import { Store } from "../../../src/wwe_host/web/static/shared/store.js";

let document;
beforeEach(() => {
  document = installDom();
});

const call = (id, caseId, state, extra = {}) => ({ interactionId: id, caseId, media: "voice",
  state, ani: `+1${id}`, ...extra });

test("groupByCase keeps the snapshot's order", () => {
  const groups = groupByCase([call("1", "a", "TALKING"), call("2", "b", "RINGING"),
    call("3", "a", "HELD")]);
  assert.deepEqual([...groups.keys()], ["a", "b"]);
  assert.deepEqual(groups.get("a").map((i) => i.interactionId), ["1", "3"]);
  assert.equal(groupByCase(undefined).size, 0);
});

test("caseSummary: the main interaction, how many more, whether one is incoming", () => {
  const summary = caseSummary([call("1", "a", "TALKING"),
    call("2", "a", "RINGING", { isMainCaseInteraction: true })]);
  assert.equal(summary.main.interactionId, "2");
  assert.equal(summary.more, " (+1)");
  assert.equal(summary.incoming, true);
  assert.deepEqual(caseSummary([call("1", "a", "TALKING")]).more, "");
});

// The heading's parts: the media icon (no text), the parties, the state, "(+n)".
const spans = (toggle) => toggle.children.map((el) => el.textContent);

function caseList(snapshot, showIncoming = false) {
  const list = h("ul");
  const empty = h("p");
  document.body.append(list, empty);
  const store = new Store(snapshot);
  const acts = [];
  const actions = { act: async (op, args) => { acts.push([op, args]); return { ok: true }; } };
  const panel = new CaseList({ list, empty, store, actions, showIncoming: () => showIncoming,
    popups: { popupButtons: () => [], openPopup: () => {} } });
  panel.render(snapshot);
  return { panel, list, empty, store, acts };
}

test("the selected case is expanded; another with an offer is marked incoming", () => {
  const snapshot = { selectedCase: "a", interactions: [call("1", "a", "TALKING"),
    call("2", "b", "RINGING")] };
  const { list, empty } = caseList(snapshot);
  assert.equal(empty.hidden, true);
  const [a, b] = list.children;
  const toggle = (li) => li.querySelector(".case-toggle");
  assert.equal(toggle(a).getAttribute("aria-expanded"), "true");
  assert.equal(toggle(a).getAttribute("aria-current"), "true");
  assert.equal(a.querySelector(".case-body").hidden, false);
  assert.equal(toggle(b).getAttribute("aria-expanded"), "false");
  assert.equal(b.classList.contains("incoming"), true);
  assert.equal(b.querySelector(".case-body").hidden, true);
  assert.deepEqual(spans(toggle(b)), ["", "+12", "RINGING"]);
});

test("elements are kept across snapshots; a click selects another case only", () => {
  const snapshot = { selectedCase: "a", interactions: [call("1", "a", "TALKING"),
    call("2", "b", "RINGING")] };
  const { panel, list, store, acts } = caseList(snapshot);
  const [a, b] = list.children;
  const card = a.querySelector("article");
  const next = { selectedCase: "b", interactions: [call("2", "b", "TALKING"),
    call("1", "a", "HELD"), call("5", "a", "DIALING")] };
  store.set(next);
  panel.render(next);
  assert.deepEqual(list.children, [b, a]);
  assert.equal(a.querySelector("article"), card);
  assert.equal(a.querySelectorAll("article").length, 2);
  assert.deepEqual(spans(a.querySelector(".case-toggle")), ["", "+11", "HELD", " (+1)"]);
  b.querySelector(".case-toggle").click();
  a.querySelector(".case-toggle").click();
  assert.deepEqual(acts, [["selectCase", { caseId: "a" }]]);
});

test("no interactions: the list is empty and says so", () => {
  const { panel, list, empty } = caseList({ interactions: [call("1", "a", "IDLE")] });
  panel.render({ interactions: [] });
  assert.equal(list.children.length, 0);
  assert.equal(empty.hidden, false);
});

test("with offers brought into view, a case with an offer is shown open too", () => {
  const snapshot = { selectedCase: "a", interactions: [call("1", "a", "ACCEPTED", { media: "chat" }),
    call("2", "b", "RINGING")] };
  const { panel, list } = caseList(snapshot, true);
  const [a, b] = list.children;
  assert.equal(a.querySelector(".case-body").hidden, false);
  assert.equal(b.querySelector(".case-body").hidden, false, "the ringing call is not collapsed");
  assert.equal(b.querySelector(".case-toggle").getAttribute("aria-current"), null);
  const scrolled = [];
  b.querySelector("article").scrollIntoView = (options) => scrolled.push(options);
  panel.reveal("2");
  assert.deepEqual(scrolled, [{ block: "nearest", behavior: "smooth" }]);
});
