// Web content (spec desktop.md): the configured third-party apps. Agent-level apps are
// workspace tabs, created once; interaction-level apps are created when their interaction
// appears in a snapshot and destroyed when it leaves, each in its mode (tab in the case view,
// popup window, background or hidden iframe). Each app gets a frame id from the server
// (`frame.open`) and is registered with the relay before it loads.

import { $, h, rebuild, setHidden } from "../shared/dom.js";
import { isHttpUrl } from "../shared/format.js";
import { EMBEDDER_SECTION } from "../relay.js";

export const SANDBOX = "allow-scripts allow-forms allow-popups allow-same-origin allow-downloads";
export const MODES = ["tab", "popup", "background", "hidden"];
// Apps only the leading desktop tab loads (api-9.md "Several desktop tabs"): a following
// tab has none of them; a negotiating tab keeps what it has.
export const LEADER_MODES = ["popup", "background", "hidden"];

/**
 * Ask the server for the frame id of `owner` (an app or a dialog: `{frameId, destroyed}`),
 * then `mount()`; an owner destroyed meanwhile closes that frame again; `failed(reason)`.
 */
export function openFrame(connection, message, owner, mount, failed) {
  connection.request(message, { retry: true })
    .then((answer) => {
      if (owner.destroyed) {
        connection.send({ type: "frame.close", frameId: answer.frameId });
        return;
      }
      owner.frameId = answer.frameId;
      mount();
    })
    .catch((error) => {
      if (!owner.destroyed) failed(error?.message ?? String(error));
    });
}

/** The page destroyed `owner`'s frame: the relay and the server forget it. */
export function closeFrame(relay, connection, owner) {
  owner.destroyed = true;
  if (owner.frameId === null) return;
  relay.unregister(owner.frameId);
  connection.send({ type: "frame.close", frameId: owner.frameId });
}

/**
 * The apps a snapshot asks for: [{key, desc, interactionId}], agent-level first. Keys are
 * `w:<section>` and `i:<interactionId>:<section>`.
 */
export function wantedApps(webContent) {
  const wc = webContent ?? {};
  const apps = [];
  for (const desc of wc.workspace ?? []) {
    apps.push({ key: `w:${desc.section}`, desc, interactionId: null });
  }
  for (const [interactionId, list] of Object.entries(wc.interaction ?? {})) {
    for (const desc of list ?? []) {
      apps.push({ key: `i:${interactionId}:${desc.section}`, desc, interactionId });
    }
  }
  return apps;
}

/** The label of each visible app tab: two interactions of one case may run the same app. */
export function tabNames(instances) {
  const counts = new Map();
  for (const inst of instances) counts.set(inst.label, (counts.get(inst.label) ?? 0) + 1);
  return instances.map((inst) => (counts.get(inst.label) > 1
    ? `${inst.label} (${inst.interactionId})` : inst.label));
}

export class WebContent {
  /**
   * @param {object} deps
   * @param {import("../shared/store.js").Store} deps.store  the snapshot
   * @param {import("./connection.js").Connection} deps.connection
   * @param {import("../relay.js").Relay} deps.relay
   * @param {import("./actions.js").Actions} deps.actions
   * @param {(text: string) => void} deps.note        a line in the traffic inspector
   * @param {import("./tabs.js").TabSet} deps.workspaceTabs
   * @param {import("./tabs.js").TabSet} deps.caseAppTabs
   * @param {() => string|null} [deps.tabState]  this tab's state (tab-state.js); null: alone
   */
  constructor({ store, connection, relay, actions, note, workspaceTabs, caseAppTabs,
    tabState = () => null }) {
    this.store = store;
    this.connection = connection;
    this.relay = relay;
    this.actions = actions;
    this.note = note;
    this.workspaceTabs = workspaceTabs;
    this.caseAppTabs = caseAppTabs;
    this.tabState = tabState;
    this.instances = new Map(); // key → instance
    this.caseChoice = new Map(); // caseId → the app tab the agent last chose
    this.pendingFocus = null;
    // Each case remembers which of its apps the agent looked at last.
    caseAppTabs.onSelect = (key) => {
      const selectedCase = store.get()?.selectedCase;
      if (selectedCase) this.caseChoice.set(selectedCase, key);
    };
  }

  /** Register the page that embeds the desktop as a frame (the relay asks). */
  openEmbedder(origin) {
    return this.connection
      .request({ type: "frame.open", section: EMBEDDER_SECTION, origin }, { retry: true })
      .then((answer) => answer.frameId);
  }

  byFrameId(frameId) {
    for (const inst of this.instances.values()) if (inst.frameId === frameId) return inst;
    return null;
  }

  /** The app of a frame for the traffic inspector: "CRM #3", "Dialer", or "". */
  frameLabel(frameId) {
    const inst = this.byFrameId(frameId);
    if (!inst) return "";
    return inst.interactionId === null ? inst.label : `${inst.label} #${inst.interactionId}`;
  }

  /** The apps in one mode (the background apps panel lists them). */
  inMode(mode) {
    return [...this.instances.values()].filter((inst) => inst.mode === mode);
  }

  sync(s) {
    const live = new Set();
    const state = this.tabState();
    for (const { key, desc, interactionId } of wantedApps(s.webContent)) {
      const leaderOnly = LEADER_MODES.includes(desc.mode);
      if (leaderOnly && state === "FOLLOWING") continue; // destroyed below
      // Agent-level tab apps are created once and live as long as the page.
      if (interactionId !== null || leaderOnly) live.add(key);
      if (leaderOnly && state === "NEGOTIATING" && !this.instances.has(key)) continue;
      if (!this.instances.has(key)) this.create(key, desc, interactionId);
    }
    for (const [key, inst] of this.instances) {
      const bounded = inst.interactionId !== null || LEADER_MODES.includes(inst.mode);
      if (bounded && !live.has(key)) this.destroy(inst);
    }
    this.renderCaseTabs(s);
    const popups = this.popupButtons(null);
    rebuild($("workspace-popups"), JSON.stringify(popups.map((p) => p.key)), () => popups.map(
      (p) => h("button", { type: "button", class: "open-app", dataset: { key: p.key },
        onclick: () => this.openPopup(p.key, { focus: true }) }, `Open ${p.label}`)));
  }

  create(key, desc, interactionId) {
    const inst = {
      key,
      interactionId,
      section: desc.section,
      label: desc.label || desc.section,
      url: desc.url,
      mode: MODES.includes(desc.mode) ? desc.mode : "tab",
      allow: desc.allow || "",
      origin: desc.origin,
      icon: isHttpUrl(desc.icon) ? desc.icon : null,
      frameId: null,
      destroyed: false,
      iframe: null,
      panel: null,
      popup: null,
      popupWatch: null,
      popupNeedsClick: false,
    };
    this.instances.set(key, inst);
    if (inst.mode === "tab") this.makeTab(inst);
    openFrame(this.connection, { type: "frame.open", section: inst.section, origin: inst.origin,
      ...(interactionId !== null ? { interactionId } : {}) }, inst,
    () => this.mount(inst), (why) => this.failed(inst, why));
  }

  makeTab(inst) {
    const tab = h("button", { type: "button", class: "tab" },
      inst.icon ? h("img", { src: inst.icon, alt: "", class: "tab-icon", referrerpolicy: "no-referrer" })
        : null,
      inst.label);
    inst.panel = h("section", { class: "tabpanel app-panel" },
      h("p", { class: "loading", text: `Loading ${inst.label}\u2026` }));
    inst.tab = tab;
    if (inst.interactionId === null) {
      $("workspace-panels").append(inst.panel);
      this.workspaceTabs.add(inst.key, tab, inst.panel);
    } else {
      $("case-app-panels").append(inst.panel);
      this.caseAppTabs.add(inst.key, tab, inst.panel);
      this.caseAppTabs.setVisible(inst.key, false);
    }
  }

  failed(inst, message) {
    const text = `${inst.label} could not be opened: ${message}`;
    this.note(text);
    if (inst.panel) inst.panel.replaceChildren(h("p", { class: "app-error", role: "alert", text }));
    else this.actions.showError(text);
  }

  mount(inst) {
    if (!isHttpUrl(inst.url)) {
      this.failed(inst, "its URL is not an http(s) address.");
      return;
    }
    const common = { expectedOrigin: inst.origin, section: inst.section,
      interactionId: inst.interactionId };
    if (inst.mode === "popup") {
      this.relay.register(inst.frameId, { ...common, window: null });
      this.openPopup(inst.key);
      return;
    }
    const iframe = h("iframe", {
      title: inst.label,
      dataset: { section: inst.section, frameId: inst.frameId },
      sandbox: SANDBOX,
      allow: inst.allow || null,
      referrerpolicy: "no-referrer",
    });
    if (inst.interactionId) iframe.dataset.interactionId = inst.interactionId;
    // Registered before it has a src, so the relay sees its very first load.
    this.relay.register(inst.frameId, { ...common, element: iframe });
    iframe.src = inst.url;
    inst.iframe = iframe;
    if (inst.mode === "tab") {
      inst.panel.replaceChildren(iframe);
    } else {
      $("offscreen-frames").append(iframe);
    }
    if (this.pendingFocus === inst.key) this.bringIntoView(inst.frameId);
  }

  /** Open (or re-open) a popup app; from a click, so a popup blocker lets it through. */
  openPopup(key, { focus = false } = {}) {
    const inst = this.instances.get(key);
    if (!inst || inst.frameId === null) return;
    if (inst.popup && !inst.popup.closed) {
      if (focus) inst.popup.focus();
      return;
    }
    let win = null;
    try {
      win = window.open(inst.url, `wwe-${inst.frameId}`, "popup=yes,width=960,height=720");
    } catch {
      win = null;
    }
    inst.popup = win;
    inst.popupNeedsClick = !win;
    if (win) {
      this.relay.setPopup(inst.frameId, win);
      clearInterval(inst.popupWatch);
      // A closed popup can be opened again from its interaction.
      inst.popupWatch = setInterval(() => {
        if (inst.popup?.closed) {
          clearInterval(inst.popupWatch);
          inst.popup = null;
          inst.popupNeedsClick = true;
          this.store.notify();
        }
      }, 1000);
    }
    this.store.notify();
  }

  popupButtons(interactionId) {
    return [...this.instances.values()]
      .filter((inst) => inst.interactionId === interactionId && inst.mode === "popup"
        && inst.popupNeedsClick)
      .map((inst) => ({ key: inst.key, label: inst.label }));
  }

  destroy(inst) {
    this.instances.delete(inst.key);
    closeFrame(this.relay, this.connection, inst);
    clearInterval(inst.popupWatch);
    if (inst.popup && !inst.popup.closed) inst.popup.close();
    if (inst.tab) {
      if (inst.interactionId === null) this.workspaceTabs.remove(inst.key);
      else this.caseAppTabs.remove(inst.key);
    }
    inst.iframe?.remove();
  }

  renderCaseTabs(s) {
    const caseOf = new Map((s.interactions ?? []).map((i) => [i.interactionId, i.caseId]));
    const visible = [];
    for (const inst of this.instances.values()) {
      if (inst.interactionId === null || inst.mode !== "tab") continue;
      const show = caseOf.get(inst.interactionId) === s.selectedCase;
      this.caseAppTabs.setVisible(inst.key, show);
      if (show) visible.push(inst);
    }
    const names = tabNames(visible);
    visible.forEach((inst, n) => {
      const text = [...inst.tab.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
      if (text && text.data !== names[n]) text.data = names[n];
    });
    const keys = visible.map((inst) => inst.key);
    const chosen = this.caseChoice.get(s.selectedCase);
    const tabs = this.caseAppTabs;
    const want = keys.includes(chosen) ? chosen
      : keys.includes(tabs.selected) ? tabs.selected : keys[0];
    if (want) tabs.select(want);
    else tabs.paint();
    setHidden($("case-app-tabs").parentElement, keys.length === 0);
    setHidden($("no-case-apps"), keys.length > 0);
  }

  /** Toast "Show": bring the toast's app into view. Runs inside the click (popups). */
  bringIntoView(frameId) {
    const inst = this.byFrameId(frameId);
    if (!inst) return;
    if (inst.mode === "popup") {
      this.openPopup(inst.key, { focus: true });
      return;
    }
    if (inst.mode !== "tab") return; // background and hidden apps have nothing to show
    if (inst.interactionId === null) {
      this.workspaceTabs.select(inst.key);
      inst.iframe?.focus();
      return;
    }
    const snapshot = this.store.get();
    const interaction = (snapshot?.interactions ?? [])
      .find((i) => i.interactionId === inst.interactionId);
    if (!interaction) return;
    this.caseChoice.set(interaction.caseId, inst.key);
    this.workspaceTabs.select("case");
    if (interaction.caseId !== snapshot.selectedCase) {
      this.pendingFocus = inst.key; // after the snapshot that selects the case
      this.actions.act("selectCase", { caseId: interaction.caseId });
      return;
    }
    this.pendingFocus = null;
    this.caseAppTabs.select(inst.key);
    inst.iframe?.focus();
  }

  /** After a render: focus the app that "Show" asked for once its case is shown. */
  afterRender() {
    const inst = this.pendingFocus ? this.instances.get(this.pendingFocus) : null;
    if (!inst) return;
    if (!inst.tab?.hidden && inst.iframe) {
      this.pendingFocus = null;
      this.caseAppTabs.select(inst.key);
      inst.iframe.focus();
    }
  }
}
