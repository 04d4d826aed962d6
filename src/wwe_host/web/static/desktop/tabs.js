// A tablist with roving tabindex and arrow keys; panels are shown one at a time. The
// workspace (Case, agent-level apps) and the case's interaction apps are two of them.

import { setAttr, setHidden } from "../shared/dom.js";

export class TabSet {
  /**
   * @param {HTMLElement} tablist
   * @param {(key: string) => void} [onSelect]  after the agent chose a tab (click, keys)
   */
  constructor(tablist, onSelect = () => {}) {
    this.tablist = tablist;
    this.onSelect = onSelect;
    this.tabs = new Map(); // key → {tab, panel}
    this.selected = null;
    tablist.addEventListener("keydown", (event) => this.onKey(event));
  }

  add(key, tab, panel) {
    tab.dataset.key = key;
    tab.id ||= `tab-${key}`.replace(/[^\w-]/g, "_");
    panel.id ||= `panel-${key}`.replace(/[^\w-]/g, "_");
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    tab.addEventListener("click", () => this.select(key, { user: true }));
    if (!tab.isConnected) this.tablist.append(tab);
    this.tabs.set(key, { tab, panel });
    if (this.selected === null) this.select(key);
    else this.paint();
  }

  remove(key) {
    const entry = this.tabs.get(key);
    if (!entry) return;
    entry.tab.remove();
    entry.panel.remove();
    this.tabs.delete(key);
    if (this.selected === key) {
      this.selected = null;
      const first = this.visibleKeys()[0];
      if (first) this.select(first);
    }
    this.paint();
  }

  setVisible(key, visible) {
    const entry = this.tabs.get(key);
    if (entry) setHidden(entry.tab, !visible);
  }

  visibleKeys() {
    return [...this.tabs].filter(([, e]) => !e.tab.hidden).map(([key]) => key);
  }

  select(key, { focus = false, user = false } = {}) {
    if (!this.tabs.has(key)) return;
    this.selected = key;
    this.paint();
    if (focus) this.tabs.get(key).tab.focus();
    if (user) this.onSelect(key);
  }

  paint() {
    const visible = this.visibleKeys();
    const current = visible.includes(this.selected) ? this.selected : null;
    for (const [key, { tab, panel }] of this.tabs) {
      const on = key === current;
      setAttr(tab, "aria-selected", String(on));
      setAttr(tab, "tabindex", on || (current === null && key === visible[0]) ? "0" : "-1");
      setHidden(panel, !on);
    }
  }

  onKey(event) {
    const keys = this.visibleKeys();
    const at = keys.indexOf(event.target?.dataset?.key);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.select(keys[(next + keys.length) % keys.length], { focus: true, user: true });
  }
}
