// The header on narrower screens (desktop.css decides the widths): the media states and the
// tools fold into disclosure buttons ("Media states", "Menu"). Each button shows or hides
// its group (aria-expanded, data-open); Escape, a click or the focus going elsewhere, or
// into an embedded app (the window loses focus) closes an open group.
// On wide screens the buttons are not shown and the groups are always there.

import { setAttr } from "../shared/dom.js";

export class Disclosure {
  /** @param {HTMLElement} button  aria-controls names the group */
  constructor(button, doc = document) {
    this.button = button;
    this.group = doc.getElementById(button.getAttribute("aria-controls"));
    button.addEventListener("click", () => this.set(!this.isOpen));
    doc.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.isOpen) {
        this.set(false);
        this.button.focus();
      }
    });
    // A click, or the focus moving (Tab, a dialog opening), elsewhere.
    const elsewhere = (event) => {
      if (this.isOpen && !this.button.contains(event.target) && !this.group.contains(event.target)) {
        this.set(false);
      }
    };
    doc.addEventListener("pointerdown", elsewhere);
    doc.addEventListener("focusin", elsewhere);
    // A click in an iframe reaches the frame, not this document: the window's blur tells.
    doc.defaultView?.addEventListener("blur", () => {
      if (this.isOpen) this.set(false);
    });
  }

  get isOpen() {
    return this.button.getAttribute("aria-expanded") === "true";
  }

  set(open) {
    setAttr(this.button, "aria-expanded", String(open));
    setAttr(this.group, "data-open", open ? "" : null);
  }
}

/** The header's disclosures: every `.header-toggle` button of the page. */
export function startHeaderMenus(doc = document) {
  return [...doc.querySelectorAll(".header-toggle")].map((button) => new Disclosure(button, doc));
}
