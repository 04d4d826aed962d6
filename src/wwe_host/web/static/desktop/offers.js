// Offers the agent cannot miss: a ringing call, an e-mail or a chat invitation. While one
// is waiting: a ring tone (Web Audio, generated here: no sound file), a browser notification
// when the page is hidden, the page title flashing, and the offer brought into view. Each
// can be turned off; the choices are remembered in localStorage.
//
// Politeness: the browser's notification permission is asked only from the agent's own
// click on "Allow browser notifications"; the audio context is made only after the agent
// has touched the page (browsers refuse sound before that anyway).

import { h } from "../shared/dom.js";
import { partiesOf } from "../shared/interaction.js";

export const SETTINGS_KEY = "wwe-host.offer-alerts";
export const DEFAULTS = Object.freeze({ sound: true, notification: true, title: true, focus: true });
export const SETTING_LABELS = Object.freeze({
  sound: "Ring tone",
  notification: "Browser notification when this page is hidden",
  title: "Flash the page title",
  focus: "Bring the offer into view",
});
export const RING_EVERY_MS = 4000; // a ring, then silence, as a telephone does
export const FLASH_EVERY_MS = 1000;

/** Whether an interaction is an offer waiting for the agent. */
export function isOffer(i) {
  return i?.media === "voice" ? i.state === "RINGING" : i?.state === "INVITED";
}

/** What the title and the notification say of an offer. */
export function offerTitle(i) {
  if (i.media === "voice") return "Incoming call";
  if (i.media === "chat") return "New chat";
  if (i.media === "email") return "New e-mail";
  return "New interaction";
}

/** The settings as stored, over the defaults (a broken or missing entry gives the defaults). */
export function loadSettings(storage) {
  try {
    const stored = JSON.parse(storage?.getItem(SETTINGS_KEY) ?? "null");
    if (stored && typeof stored === "object") {
      const settings = { ...DEFAULTS };
      for (const name of Object.keys(DEFAULTS)) {
        if (typeof stored[name] === "boolean") settings[name] = stored[name];
      }
      return settings;
    }
  } catch { /* unreadable: the defaults */ }
  return { ...DEFAULTS };
}

/** One ring: two tones together (440 + 480 Hz, the North American ring) for a second. */
export function playRing(context) {
  const start = context.currentTime;
  const gain = context.createGain();
  gain.gain.setValueAtTime(0.12, start);
  gain.gain.setValueAtTime(0, start + 1);
  gain.connect(context.destination);
  for (const frequency of [440, 480]) {
    const oscillator = context.createOscillator();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(start);
    oscillator.stop(start + 1);
  }
}

export class OfferAlerts {
  /**
   * @param {object} deps
   * @param {HTMLElement} [deps.panel]  where the settings are shown (checkboxes)
   * @param {(interactionId: string) => void} deps.reveal  scroll the offer's card into view
   * @param {Storage} [deps.storage]
   * @param {() => AudioContext} [deps.audio]  makes the audio context (after a gesture)
   * @param {typeof Notification} [deps.Notification]
   * @param {Document} [deps.doc]
   * @param {{setInterval: Function, clearInterval: Function}} [deps.timers]
   * @param {() => void} [deps.focusWindow]  a notification's click brings the page forward
   */
  constructor({ panel = null, reveal, storage = globalThis.localStorage,
    audio = defaultAudio, Notification = globalThis.Notification, doc = globalThis.document,
    timers = globalThis, focusWindow = () => globalThis.window?.focus?.() }) {
    this.panel = panel;
    this.reveal = reveal;
    this.storage = storage;
    this.makeAudio = audio;
    this.Notification = Notification;
    this.doc = doc;
    this.timers = timers;
    this.focusWindow = focusWindow;
    this.settings = loadSettings(storage);
    this.offers = new Map(); // interactionId → offer (as in the snapshot)
    this.notifications = new Map(); // interactionId → Notification
    this.context = null;
    this.touched = false; // the agent has clicked or typed in the page
    this.ringTimer = null;
    this.flashTimer = null;
    this.baseTitle = null;
    this.alertTitle = "";
    this.inputs = {};
    this.permissionButton = null;
    this.onGesture = () => this.gesture();
    for (const type of ["pointerdown", "keydown"]) doc?.addEventListener?.(type, this.onGesture);
    if (panel) this.buildPanel();
  }

  // --- settings ----------------------------------------------------------------------------

  set(name, on) {
    this.settings[name] = Boolean(on);
    try {
      this.storage?.setItem(SETTINGS_KEY, JSON.stringify(this.settings));
    } catch { /* storage full or denied: the setting holds for this page */ }
    if (!this.settings.sound) this.stopRing();
    else if (this.offers.size) this.startRing();
    if (!this.settings.title) this.stopFlash();
    else if (this.offers.size) this.startFlash();
    if (!this.settings.notification) this.closeNotifications();
    this.renderPermission();
  }

  buildPanel() {
    const rows = Object.keys(DEFAULTS).map((name) => {
      const input = h("input", { type: "checkbox", id: `offer-alert-${name}` });
      input.checked = this.settings[name];
      input.addEventListener("change", () => this.set(name, input.checked));
      this.inputs[name] = input;
      return h("li", null, input, h("label", { for: input.id }, SETTING_LABELS[name]));
    });
    this.permissionButton = h("button", { type: "button", class: "allow-notifications",
      onclick: () => this.askPermission() }, "Allow browser notifications");
    this.panel.replaceChildren(h("ul", { class: "plain-list offer-alert-list" }, rows),
      this.permissionButton);
    this.renderPermission();
  }

  renderPermission() {
    if (!this.permissionButton) return;
    const permission = this.Notification?.permission;
    this.permissionButton.hidden = !this.settings.notification || permission !== "default";
  }

  /** Asked only from the agent's click on the button. */
  async askPermission() {
    try {
      await this.Notification?.requestPermission?.();
    } catch { /* refused or unsupported: nothing to do */ }
    this.renderPermission();
  }

  // --- offers -------------------------------------------------------------------------------

  /** Called with every snapshot: new offers alert, gone ones stop their alerts. */
  update(snapshot) {
    const now = new Map();
    for (const i of snapshot?.interactions ?? []) if (isOffer(i)) now.set(i.interactionId, i);
    const fresh = [...now.keys()].filter((id) => !this.offers.has(id));
    for (const id of this.offers.keys()) {
      if (!now.has(id)) this.closeNotification(id);
    }
    this.offers = now;
    if (!now.size) {
      this.stopRing();
      this.stopFlash();
      return;
    }
    const latest = now.get(fresh.at(-1) ?? [...now.keys()].at(-1));
    this.alertTitle = `\u260E ${offerTitle(latest)}`;
    for (const id of fresh) {
      const offer = now.get(id);
      if (this.settings.focus) this.reveal?.(id);
      this.notify(offer);
    }
    if (this.settings.sound) this.startRing();
    if (this.settings.title) this.startFlash();
  }

  gesture() {
    this.touched = true;
    if (this.context?.state === "suspended") this.context.resume?.();
  }

  audioContext() {
    if (!this.touched) return null; // no sound (and no warning) before the agent's first touch
    if (!this.context) {
      try {
        this.context = this.makeAudio();
      } catch {
        return null; // no Web Audio here
      }
    }
    if (this.context?.state === "suspended") this.context.resume?.();
    return this.context;
  }

  ring() {
    const context = this.audioContext();
    if (context) playRing(context);
  }

  startRing() {
    if (this.ringTimer !== null) return;
    this.ring();
    this.ringTimer = this.timers.setInterval(() => this.ring(), RING_EVERY_MS);
  }

  stopRing() {
    if (this.ringTimer === null) return;
    this.timers.clearInterval(this.ringTimer);
    this.ringTimer = null;
  }

  flash() {
    const doc = this.doc;
    if (!doc) return;
    if (doc.title !== this.alertTitle) {
      this.baseTitle = doc.title;
      doc.title = this.alertTitle;
    } else if (this.baseTitle !== null) {
      doc.title = this.baseTitle;
    }
  }

  startFlash() {
    if (this.flashTimer !== null) return;
    this.flash();
    this.flashTimer = this.timers.setInterval(() => this.flash(), FLASH_EVERY_MS);
  }

  stopFlash() {
    if (this.flashTimer !== null) {
      this.timers.clearInterval(this.flashTimer);
      this.flashTimer = null;
    }
    if (this.doc && this.baseTitle !== null && this.doc.title === this.alertTitle) {
      this.doc.title = this.baseTitle;
    }
  }

  notify(offer) {
    const Notice = this.Notification;
    const hidden = this.doc?.visibilityState === "hidden" || this.doc?.hidden === true;
    if (!this.settings.notification || !hidden || !Notice || Notice.permission !== "granted") {
      return;
    }
    try {
      const notice = new Notice(offerTitle(offer), {
        body: partiesOf(offer) || "", tag: `wwe-host-offer-${offer.interactionId}`,
        requireInteraction: true,
      });
      notice.onclick = () => {
        this.focusWindow();
        this.reveal?.(offer.interactionId);
        notice.close?.();
      };
      this.notifications.set(offer.interactionId, notice);
    } catch { /* some browsers allow notifications only from a service worker */ }
  }

  closeNotification(id) {
    this.notifications.get(id)?.close?.();
    this.notifications.delete(id);
  }

  closeNotifications() {
    for (const id of [...this.notifications.keys()]) this.closeNotification(id);
  }
}

function defaultAudio() {
  const Context = globalThis.AudioContext ?? globalThis.webkitAudioContext;
  return new Context();
}
