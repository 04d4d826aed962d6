// This desktop tab among the agent's tabs (api-9.md "Several desktop tabs"): its id (one
// per page, kept across reconnects), the header's indicator of its state (leading,
// following, negotiating: the server decides), and what it reports to the server for
// `system.amIVisible` and `system.isLastActiveFrame`: whether the window is shown, which
// frames it shows now, and when the agent uses it (docs/desktop-protocol.md: `tab`).

import { setAttr, setText } from "../shared/dom.js";

export const STATE_TEXT = {
  LEADING: "Leading tab",
  FOLLOWING: "Following tab",
  NEGOTIATING: "Choosing the leading tab\u2026",
};
const ACTIVE_EVERY_MS = 2000; // at most one "the agent used this tab" report this often

export function newTabId() {
  if (globalThis.crypto?.randomUUID) return `tab-${crypto.randomUUID()}`;
  return `tab-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/**
 * Is a frame of the relay shown now? An iframe laid out, visible and not among the
 * background apps; a popup window while it is open.
 */
export function isShown(entry) {
  const el = entry.element;
  if (el) {
    if (!el.isConnected || el.closest("#offscreen-frames")) return false;
    // Hidden tab panels keep their iframes laid out (visibility: hidden), so both count.
    return el.getClientRects().length > 0 && getComputedStyle(el).visibility === "visible";
  }
  return Boolean(entry.popup && !entry.popup.closed);
}

export class TabState {
  /**
   * @param {object} deps
   * @param {string} deps.tabId
   * @param {HTMLElement} deps.indicator  the header's indicator
   * @param {{send: (message: object) => void}} deps.connection
   * @param {import("../relay.js").Relay} deps.relay
   */
  constructor({ tabId, indicator, connection, relay }) {
    this.tabId = tabId;
    this.indicator = indicator;
    this.connection = connection;
    this.relay = relay;
    this.sent = null; // the last report's signature
    this.activeAt = 0;
    this.state = null;
  }

  start() {
    // A frame that loaded (an iframe's load, seen in the capture phase) may be shown now:
    // reported before the frame is greeted, so before it can ask.
    document.addEventListener("load", () => this.report(), { capture: true });
    document.addEventListener("visibilitychange", () => this.report({ active: true }));
    window.addEventListener("focus", () => this.report({ active: true }));
    // Focus moving into one of the page's frames is a use of this tab too.
    window.addEventListener("blur", () => {
      if (document.activeElement?.tagName === "IFRAME") this.report({ active: true });
    });
    for (const type of ["pointerdown", "keydown"]) {
      document.addEventListener(type, () => {
        this.report({ active: true });
        // A click may switch tabs: report what is shown once the page has changed.
        setTimeout(() => this.report(), 0);
      }, { capture: true });
    }
  }

  /** After each (re)connect: the server knows nothing of this tab's view yet. */
  connected() {
    this.sent = null;
    this.report({ active: document.hasFocus() });
  }

  render(snapshot) {
    const state = snapshot.tabs?.[this.tabId] ?? null;
    this.state = state;
    setText(this.indicator, STATE_TEXT[state] ?? "");
    setAttr(this.indicator, "data-state", state);
    this.indicator.hidden = state === null;
    this.report();
  }

  /** Tell the server what it needs for amIVisible / isLastActiveFrame, when it changed. */
  report({ active = false } = {}) {
    const visible = document.visibilityState === "visible";
    const shown = [...this.relay.frames.values()].filter(isShown).map((e) => e.frameId).sort();
    const signature = JSON.stringify([visible, shown]);
    const now = Date.now();
    const used = active && visible && now - this.activeAt >= ACTIVE_EVERY_MS;
    if (signature === this.sent && !used) return;
    if (used) this.activeAt = now;
    this.sent = signature;
    this.connection.send({ type: "tab", visible, shown, active: used });
  }
}
