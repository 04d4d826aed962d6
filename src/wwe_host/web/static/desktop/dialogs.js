// Modal dialogs that frames open with `system.openDialog` (api-9.md). Each holds an iframe
// that is a frame like any other: registered with the server (`frame.open`, section
// "@dialog:<id>") and the relay, so its origin's filter applies to what it asks.
//
// A dialog shows in the desktop tab the server names (`tab` in the snapshot: the tab of the
// frame that opened it, or the leading tab once that one is gone). Accessibility: the box
// has role="dialog", aria-modal and its label as name; while a dialog is open the rest of
// the page is inert; focus moves into the newest dialog (its frame) and goes back where it
// was when the last one closes. Escape does not close a dialog: the app inside it decides
// (`system.closeDialog`), and the agent has the dialog's Close button
// (docs/api.md "Dialogs, the menu bar and desktop tabs").

import { h, setText } from "../shared/dom.js";
import { isHttpUrl } from "../shared/format.js";
import { closeFrame, openFrame, SANDBOX } from "./web-content.js";

/** The dialogs of a snapshot this desktop tab shows. */
export function dialogsFor(snapshot, tabId) {
  return (snapshot?.dialogs ?? []).filter((d) => d.tab === tabId || d.tab === null);
}

export class Dialogs {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.layer  where the dialogs go (a child of <body>)
   * @param {import("./connection.js").Connection} deps.connection
   * @param {import("../relay.js").Relay} deps.relay
   * @param {import("./actions.js").Actions} deps.actions
   * @param {(text: string) => void} deps.note  a line in the traffic inspector
   */
  constructor({ layer, connection, relay, actions, note }) {
    this.layer = layer;
    this.connection = connection;
    this.relay = relay;
    this.actions = actions;
    this.note = note;
    this.open = new Map(); // dialog id → {id, desc, backdrop, box, title, body, frameId, …}
    this.returnFocus = null;
  }

  /** The dialog of a frame, for the traffic inspector ("Dialog wweCustomDialog1"). */
  frameLabel(frameId) {
    for (const d of this.open.values()) if (d.frameId === frameId) return `Dialog ${d.id}`;
    return "";
  }

  /** The frames the open dialogs hold (all shown). */
  frameIds() {
    return [...this.open.values()].map((d) => d.frameId).filter((id) => id !== null);
  }

  sync(snapshot, tabId) {
    const mine = dialogsFor(snapshot, tabId);
    const wanted = new Set(mine.map((d) => d.id));
    const before = this.open.size;
    if (before === 0 && mine.length > 0) {
      // Where focus goes back to once the last dialog closed (before the page is inert).
      const active = document.activeElement;
      this.returnFocus = active && active !== document.body ? active : null;
    }
    for (const d of [...this.open.values()]) if (!wanted.has(d.id)) this.destroy(d);
    for (const desc of mine) {
      const d = this.open.get(desc.id);
      if (d) setText(d.title, desc.label || "Dialog");
      else this.create(desc);
    }
    this.paint(before);
  }

  create(desc) {
    const label = desc.label || "Dialog";
    const titleId = `dialog-title-${desc.id}`.replace(/[^\w-]/g, "_");
    const title = h("h2", { class: "dialog-title", id: titleId, text: label });
    const close = h("button", { type: "button", class: "dialog-close",
      onclick: () => this.actions.act("closeDialog", { dialogId: desc.id }) }, "Close");
    const body = h("div", { class: "dialog-body" },
      h("p", { class: "loading", text: `Loading ${label}\u2026` }));
    const box = h("div", { class: "dialog", role: "dialog", "aria-modal": "true",
      "aria-labelledby": titleId, dataset: { dialogId: desc.id } },
    h("div", { class: "dialog-head" }, title, close), body);
    // CSSOM, not a style attribute (the CSP has no 'unsafe-inline'); the server checked
    // both are CSS lengths.
    if (desc.width) box.style.width = desc.width;
    if (desc.height) box.style.height = desc.height;
    const backdrop = h("div", { class: "dialog-backdrop" }, box);
    this.layer.append(backdrop);
    const d = { id: desc.id, desc, backdrop, box, title, body, close, frameId: null,
      iframe: null, destroyed: false };
    this.open.set(desc.id, d);
    if (!isHttpUrl(desc.url)) {
      this.failed(d, "its URL is not an http(s) address.");
      return;
    }
    const origin = new URL(desc.url).origin;
    openFrame(this.connection, { type: "frame.open", section: desc.section, origin }, d,
      () => this.mount(d, origin), (why) => this.failed(d, why));
  }

  mount(d, origin) {
    const iframe = h("iframe", {
      title: d.desc.label || "Dialog",
      sandbox: SANDBOX,
      referrerpolicy: "no-referrer",
      dataset: { section: d.desc.section, frameId: d.frameId },
    });
    // Registered before it has a src, so the relay sees its very first load.
    this.relay.register(d.frameId, { element: iframe, expectedOrigin: origin,
      section: d.desc.section });
    iframe.src = d.desc.url;
    d.iframe = iframe;
    d.body.replaceChildren(iframe);
    if (this.top() === d) iframe.focus();
  }

  failed(d, message) {
    const text = `The dialog ${d.id} could not be opened: ${message}`;
    this.note(text);
    d.body.replaceChildren(h("p", { class: "app-error", role: "alert", text }));
  }

  destroy(d) {
    this.open.delete(d.id);
    closeFrame(this.relay, this.connection, d);
    d.backdrop.remove();
  }

  top() {
    return [...this.open.values()].at(-1) ?? null;
  }

  /** Only the newest dialog takes input; the page under them none. */
  paint(before) {
    const top = this.top();
    for (const el of this.layer.parentElement.children) {
      // The inactivity warning (a <dialog> of its own) stays usable above them.
      if (el !== this.layer && el.tagName !== "DIALOG" && el.tagName !== "SCRIPT") {
        el.inert = top !== null;
      }
    }
    for (const d of this.open.values()) d.backdrop.inert = d !== top;
    if (top && !top.box.contains(document.activeElement)) (top.iframe ?? top.close).focus();
    if (!top && before > 0) {
      const back = this.returnFocus;
      this.returnFocus = null;
      if (back?.isConnected) back.focus();
    }
  }
}
