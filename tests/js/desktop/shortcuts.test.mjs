// Tests of src/wwe_host/web/static/desktop/shortcuts.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, withIds } from "../fake-dom.mjs";
import { isTyping, Shortcuts, stateOfType, toAnswer, toHangUp }
  from "../../../src/wwe_host/web/static/desktop/shortcuts.js";
import { Store } from "../../../src/wwe_host/web/static/shared/store.js";

let document;
beforeEach(() => {
  document = installDom();
});

const call = (id, state, caseId = `c${id}`) => ({ interactionId: id, media: "voice", state, caseId });

test("toAnswer: a ringing call or an invitation, the selected case's first", () => {
  assert.equal(toAnswer({ interactions: [call("1", "TALKING")] }), null);
  assert.deepEqual(toAnswer({ interactions: [call("1", "RINGING")] }),
    { interaction: call("1", "RINGING"), op: "answer" });
  const chat = { interactionId: "2", media: "chat", state: "INVITED", caseId: "c2" };
  const both = { interactions: [call("1", "RINGING"), chat], selectedCase: "c2" };
  assert.deepEqual(toAnswer(both), { interaction: chat, op: "accept" });
  assert.equal(toAnswer(null), null);
});

test("toHangUp: a connected, held or dialling call; never a ringing one", () => {
  assert.equal(toHangUp({ interactions: [call("1", "RINGING")] }), null);
  assert.equal(toHangUp({ interactions: [call("1", "HELD")] }).interactionId, "1");
  const s = { interactions: [call("1", "TALKING"), call("2", "DIALING")], selectedCase: "c2" };
  assert.equal(toHangUp(s).interactionId, "2");
});

test("stateOfType: the plain state before one with a reason", () => {
  const list = [{ type: "NOT_READY", operationName: "Break", reason: "Break" },
    { type: "NOT_READY", operationName: "NotReady" }, { type: "READY", operationName: "Ready" }];
  assert.equal(stateOfType(list, "NOT_READY").operationName, "NotReady");
  assert.equal(stateOfType(list, "READY").operationName, "Ready");
  assert.equal(stateOfType(list, "DND_ON"), null);
});

test("isTyping: fields, dialogs and modifiers are not shortcuts", () => {
  const { field, dialog, inDialog, plain } = withIds({ field: "input", dialog: "dialog",
    inDialog: "button > dialog", plain: "button" });
  assert.equal(isTyping({ target: field, key: "a" }), true);
  assert.equal(isTyping({ target: inDialog, key: "a" }), true);
  assert.equal(isTyping({ target: dialog, key: "a" }), true);
  assert.equal(isTyping({ target: plain, key: "a" }), false);
  assert.equal(isTyping({ target: plain, key: "a", ctrlKey: true }), true);
  assert.equal(isTyping({ target: plain, key: "a", defaultPrevented: true }), true);
  assert.equal(isTyping({ target: document.body, key: "?" }), false);
});

function desktop(snapshot) {
  const els = withIds({ "shortcuts-dialog": "dialog", "shortcuts-rows": "tbody > shortcuts-dialog",
    "shortcuts-close": "button > shortcuts-dialog", "shortcuts-open": "button",
    "mute-microphone": "button", "dial-number": "input" });
  const acts = [];
  const errors = [];
  const actions = { act: (op, args) => acts.push([op, args]), showError: (t) => errors.push(t) };
  let themes = 0;
  const shortcuts = new Shortcuts({ store: new Store(snapshot), actions,
    dialog: els["shortcuts-dialog"], rows: els["shortcuts-rows"], openButton: els["shortcuts-open"],
    closeButton: els["shortcuts-close"], toggleTheme: () => { themes += 1; } });
  const press = (key, target = document.body) => {
    const event = { type: "keydown", key, target, defaultPrevented: false,
      preventDefault() { this.defaultPrevented = true; } };
    shortcuts.onKey(event);
    return event;
  };
  return { els, acts, errors, press, themes: () => themes };
}

test("Shortcuts: the keys act on the snapshot; a typed key does nothing", () => {
  const snapshot = { interactions: [call("7", "RINGING")],
    stateList: [{ type: "READY", operationName: "Ready" }] };
  const { els, acts, errors, press, themes } = desktop(snapshot);
  assert.equal(press("a").defaultPrevented, true);
  assert.deepEqual(acts.at(-1), ["answer", { interactionId: "7" }]);
  press("r");
  assert.deepEqual(acts.at(-1), ["setState", { operationName: "Ready" }]);
  press("n");
  assert.match(errors.at(-1), /No Not Ready state/);
  press("h");
  assert.equal(errors.at(-1), "No call to hang up.");
  let muted = 0;
  els["mute-microphone"].addEventListener("click", () => { muted += 1; });
  press("m");
  assert.equal(muted, 1);
  press("d");
  assert.equal(document.activeElement, els["dial-number"]);
  const count = acts.length;
  assert.equal(press("a", els["dial-number"]).defaultPrevented, false);
  assert.equal(acts.length, count);
  press("t");
  assert.equal(themes(), 1);
  assert.equal(press("x").defaultPrevented, false);
});

test("Shortcuts: the help dialog lists every key and gives focus back on close", () => {
  const { els, press } = desktop({});
  const rows = els["shortcuts-rows"].children;
  assert.deepEqual(rows.map((r) => r.children[0].textContent),
    ["A", "H", "R", "N", "M", "D", "I", "T", "?"]);
  els["shortcuts-open"].focus();
  press("?");
  assert.equal(els["shortcuts-dialog"].open, true);
  assert.equal(document.activeElement, els["shortcuts-close"]);
  els["shortcuts-close"].click();
  els["shortcuts-dialog"].dispatchEvent({ type: "close" });
  assert.equal(els["shortcuts-dialog"].open, false);
  assert.equal(document.activeElement, els["shortcuts-open"]);
});
