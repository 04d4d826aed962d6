// The application menu bar in the header: items frames put there with
// `system.updateViewInApplicationMenuBar` (api-9.md). A desktop tab shows the items of the
// frames it holds; clicking one tells its owner frame (a `system` event, through the
// server). Everything is text (no HTML from a frame); colours are applied only when they
// are #rgb / #rrggbb and icons only when they are http(s) (the server checked both).

import { h, rebuild } from "../shared/dom.js";
import { isHttpUrl } from "../shared/format.js";

const COLOUR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

export class MenuBar {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.list  the <ul> in the header
   * @param {import("./actions.js").Actions} deps.actions
   * @param {(frameId: string) => boolean} deps.holds  this page holds that frame
   */
  constructor({ list, actions, holds }) {
    this.list = list;
    this.actions = actions;
    this.holds = holds;
  }

  render(snapshot) {
    const items = (snapshot.menuItems ?? []).filter((item) => this.holds(item.frameId));
    this.list.hidden = items.length === 0;
    rebuild(this.list, JSON.stringify(items), () => items.map((item) => h("li", null,
      this.button(item))));
  }

  button(item) {
    const button = h("button", {
      type: "button",
      class: "menu-item",
      title: item.tooltip || null,
      "aria-label": item.label,
      dataset: { frameId: item.frameId, name: item.name },
      onclick: () => this.actions.act("menuItemClick", { frameId: item.frameId, name: item.name }),
    },
    isHttpUrl(item.iconUrl) ? h("img", { src: item.iconUrl, alt: "", class: "menu-icon",
      referrerpolicy: "no-referrer" }) : null,
    h("span", { class: item.shortLabel ? "menu-label has-short" : "menu-label",
      text: item.label }),
    item.shortLabel ? h("span", { class: "menu-short", text: item.shortLabel }) : null);
    if (COLOUR.test(item.backgroundColor ?? "")) button.style.backgroundColor = item.backgroundColor;
    if (COLOUR.test(item.labelColor ?? "")) button.style.color = item.labelColor;
    return button;
  }
}
