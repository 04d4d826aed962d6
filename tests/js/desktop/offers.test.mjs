// Tests of src/wwe_host/web/static/desktop/offers.js, with a fake AudioContext,
// Notification, storage and timers (nothing real rings or waits).
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, text } from "../fake-dom.mjs";
import {
  DEFAULTS, isOffer, loadSettings, OfferAlerts, offerTitle, RING_EVERY_MS, SETTINGS_KEY,
} from "../../../src/wwe_host/web/static/desktop/offers.js";

let document;
beforeEach(() => {
  document = installDom();
  document.title = "John Doe – Agent desktop";
});

class FakeStorage {
  constructor(entries = {}) { this.entries = { ...entries }; }
  getItem(key) { return key in this.entries ? this.entries[key] : null; }
  setItem(key, value) { this.entries[key] = String(value); }
}

class FakeTimers {
  constructor() { this.next = 1; this.active = new Map(); }
  setInterval(fn, ms) { const id = this.next++; this.active.set(id, { fn, ms }); return id; }
  clearInterval(id) { this.active.delete(id); }
  fire(ms) { for (const t of [...this.active.values()]) if (t.ms === ms) t.fn(); }
}

function fakeAudio() {
  const made = [];
  const node = () => ({ connect() {} });
  const context = {
    state: "suspended",
    currentTime: 10,
    destination: {},
    resumed: 0,
    oscillators: made,
    resume() { this.resumed += 1; this.state = "running"; },
    createGain() {
      return { ...node(), gain: { values: [], setValueAtTime(v, t) { this.values.push([v, t]); } } };
    },
    createOscillator() {
      const o = { ...node(), frequency: {}, started: null, stopped: null,
        start(t) { this.started = t; }, stop(t) { this.stopped = t; } };
      made.push(o);
      return o;
    },
  };
  return context;
}

function fakeNotification(permission) {
  const shown = [];
  class FakeNotice {
    constructor(title, options) { this.title = title; this.options = options; this.closed = false; shown.push(this); }
    close() { this.closed = true; }
    static async requestPermission() { FakeNotice.asked += 1; FakeNotice.permission = "granted"; return "granted"; }
  }
  FakeNotice.permission = permission;
  FakeNotice.asked = 0;
  FakeNotice.shown = shown;
  return FakeNotice;
}

function setUp({ permission = "granted", storage = new FakeStorage(), panel = null } = {}) {
  const context = fakeAudio();
  const Notification = fakeNotification(permission);
  const timers = new FakeTimers();
  const revealed = [];
  const alerts = new OfferAlerts({ panel, reveal: (id) => revealed.push(id), storage,
    audio: () => context, Notification, doc: document, timers, focusWindow: () => {} });
  return { alerts, context, Notification, timers, revealed, storage };
}

const ringing = { interactionId: "1", media: "voice", state: "RINGING", parties: [{ name: "+1555" }] };
const chat = { interactionId: "2", media: "chat", state: "INVITED", parties: [{ name: "Ada" }] };

test("offers are ringing calls and invitations", () => {
  assert.equal(isOffer(ringing), true);
  assert.equal(isOffer(chat), true);
  assert.equal(isOffer({ media: "voice", state: "TALKING" }), false);
  assert.equal(isOffer({ media: "email", state: "ACCEPTED" }), false);
  assert.equal(offerTitle(ringing), "Incoming call");
  assert.equal(offerTitle({ media: "email" }), "New e-mail");
});

test("settings default on, are remembered and survive a broken entry", () => {
  assert.deepEqual(loadSettings(new FakeStorage()), DEFAULTS);
  assert.deepEqual(loadSettings(new FakeStorage({ [SETTINGS_KEY]: "{not json" })), DEFAULTS);
  const storage = new FakeStorage({ [SETTINGS_KEY]: JSON.stringify({ sound: false, title: "x" }) });
  assert.deepEqual(loadSettings(storage), { ...DEFAULTS, sound: false });
  const { alerts } = setUp({ storage });
  alerts.set("notification", false);
  assert.deepEqual(JSON.parse(storage.getItem(SETTINGS_KEY)),
    { sound: false, notification: false, title: true, focus: true });
});

test("a ringing call rings every few seconds once the agent touched the page, until answered", () => {
  const { alerts, context, timers } = setUp();
  alerts.update({ interactions: [ringing] });
  assert.equal(context.oscillators.length, 0, "no sound before the agent's first touch");
  document.listeners.get("pointerdown")[0]({ type: "pointerdown" });
  timers.fire(RING_EVERY_MS);
  assert.equal(context.oscillators.length, 2);
  assert.deepEqual(context.oscillators.map((o) => o.frequency.value), [440, 480]);
  assert.deepEqual(context.oscillators.map((o) => [o.started, o.stopped]), [[10, 11], [10, 11]]);
  assert.equal(context.state, "running");
  timers.fire(RING_EVERY_MS);
  assert.equal(context.oscillators.length, 4);
  alerts.update({ interactions: [{ ...ringing, state: "TALKING" }] });
  timers.fire(RING_EVERY_MS);
  assert.equal(context.oscillators.length, 4, "answered: the ringing stopped");
});

test("the ring tone can be turned off", () => {
  const { alerts, context, timers } = setUp();
  alerts.gesture();
  alerts.update({ interactions: [ringing] });
  assert.equal(context.oscillators.length, 2);
  alerts.set("sound", false);
  timers.fire(RING_EVERY_MS);
  assert.equal(context.oscillators.length, 2);
});

test("the title flashes while an offer waits and is put back after", () => {
  const { alerts, timers } = setUp();
  alerts.update({ interactions: [chat] });
  assert.equal(document.title, "\u260E New chat");
  timers.fire(1000);
  assert.equal(document.title, "John Doe – Agent desktop");
  timers.fire(1000);
  assert.equal(document.title, "\u260E New chat");
  alerts.update({ interactions: [] });
  assert.equal(document.title, "John Doe – Agent desktop");
  assert.equal(timers.active.size, 0);
});

test("no title flashing when turned off", () => {
  const { alerts } = setUp({ storage: new FakeStorage({ [SETTINGS_KEY]: '{"title": false}' }) });
  alerts.update({ interactions: [chat] });
  assert.equal(document.title, "John Doe – Agent desktop");
});

test("a notification only when the page is hidden and permission was granted", () => {
  const { alerts, Notification } = setUp();
  alerts.update({ interactions: [ringing] });
  assert.equal(Notification.shown.length, 0, "visible page: no notification");
  document.visibilityState = "hidden";
  alerts.update({ interactions: [ringing, chat] });
  assert.equal(Notification.shown.length, 1);
  assert.equal(Notification.shown[0].title, "New chat");
  assert.equal(Notification.shown[0].options.body, "Ada");
  alerts.update({ interactions: [ringing] });
  assert.equal(Notification.shown[0].closed, true, "the offer went: its notification too");

  const denied = setUp({ permission: "denied" });
  denied.alerts.update({ interactions: [chat] });
  assert.equal(denied.Notification.shown.length, 0);
});

test("permission is asked only from the agent's click on the button", async () => {
  const panel = document.createElement("div");
  document.body.append(panel);
  const { alerts, Notification } = setUp({ permission: "default", panel });
  assert.equal(Notification.asked, 0);
  const button = panel.querySelector("button");
  assert.equal(text(button), "Allow browser notifications");
  assert.equal(button.hidden, false);
  await alerts.askPermission();
  assert.equal(Notification.asked, 1);
  assert.equal(button.hidden, true);
  const boxes = panel.querySelectorAll("input");
  assert.equal(boxes.length, 4);
  assert.ok(boxes.every((b) => b.checked === true));
  boxes[0].checked = false;
  boxes[0].dispatchEvent({ type: "change" });
  assert.equal(alerts.settings.sound, false);
});

test("a new offer is brought into view, unless turned off", () => {
  const { alerts, revealed } = setUp();
  alerts.update({ interactions: [ringing] });
  alerts.update({ interactions: [ringing] });
  assert.deepEqual(revealed, ["1"], "once per offer");
  alerts.set("focus", false);
  alerts.update({ interactions: [ringing, chat] });
  assert.deepEqual(revealed, ["1"]);
});
