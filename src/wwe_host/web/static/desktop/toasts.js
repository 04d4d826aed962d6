// Toasts (system.popupToast): stacked in a corner, each with title, icon, subject, message,
// key/value list and buttons. The server closes them (a click, Dismiss, auto-close); "Show"
// first brings the toast's app into view, inside the click, so a popup may open.

import { h, rebuild } from "../shared/dom.js";
import { asText, isHttpUrl, pairsOf } from "../shared/format.js";

/** A <dl> of key/value pairs (a toast's and a MyMessage entry's keyValues). */
export function keyValueList(pairs) {
  return h("dl", { class: "kv-list" }, pairs.map(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
}

const titleIdOf = (toast) => `toast-${toast.id}-title`.replace(/[^\w-]/g, "_");

export class Toasts {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.box  the Notifications region
   * @param {import("./actions.js").Actions} deps.actions
   * @param {(frameId: string) => void} deps.show  bring a frame's app into view
   */
  constructor({ box, actions, show }) {
    this.box = box;
    this.actions = actions;
    this.show = show;
    this.shown = new Map(); // toast id → element
  }

  render(s) {
    const list = s.toasts ?? [];
    const ids = new Set(list.map((t) => t.id));
    for (const [id, el] of this.shown) {
      if (!ids.has(id)) {
        el.remove();
        this.shown.delete(id);
      }
    }
    for (const toast of list) {
      let el = this.shown.get(toast.id);
      if (!el) {
        el = h("div", { class: "toast", role: "status", dataset: { toastId: toast.id },
          "aria-labelledby": titleIdOf(toast) });
        this.shown.set(toast.id, el);
        this.box.append(el);
      }
      // closeAt moves nothing on screen: not a reason to build the toast again.
      rebuild(el, JSON.stringify(toast, (k, v) => (k === "closeAt" ? undefined : v)),
        () => this.content(toast));
    }
  }

  buttons(toast) {
    const click = (index) => this.actions.act("toastClick", { toastId: toast.id, buttonIndex: index });
    if (toast.buttonShowDismiss) {
      return [
        h("button", { type: "button", class: "primary", dataset: { key: "show" }, onclick: () => {
          this.show(toast.frameId); // first, while the click still counts
          click(0);
        } }, "Show"),
        h("button", { type: "button", dataset: { key: "dismiss" }, onclick: () => click(1) }, "Dismiss"),
      ];
    }
    const custom = Array.isArray(toast.buttons) ? toast.buttons : [];
    if (custom.length) {
      return custom.map((label, index) => h("button", { type: "button", dataset: { key: `b${index}` },
        onclick: () => click(index) }, asText(label)));
    }
    return [h("button", { type: "button", dataset: { key: "ok" },
      onclick: () => this.actions.act("toastClose", { toastId: toast.id }) }, "OK")];
  }

  content(toast) {
    const pairs = pairsOf(toast.keyValues);
    return [
      h("div", { class: "toast-head" },
        isHttpUrl(toast.iconUrl) ? h("img", { src: toast.iconUrl, alt: "", class: "toast-icon",
          referrerpolicy: "no-referrer", onerror: (event) => { event.target.hidden = true; } }) : null,
        h("h3", { id: titleIdOf(toast), class: "toast-title", text: asText(toast.title) })),
      toast.subject ? h("p", { class: "toast-subject", text: asText(toast.subject) }) : null,
      toast.message ? h("p", { class: "toast-message", text: asText(toast.message) }) : null,
      pairs.length ? keyValueList(pairs) : null,
      h("div", { class: "toast-buttons" }, this.buttons(toast)),
    ];
  }
}
