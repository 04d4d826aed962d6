// Keyboard shortcuts of the desktop: single keys, no modifier, so that they never collide
// with the browser's own (Ctrl/Cmd/Alt combinations are left alone). A key typed into a
// field (input, textarea, select, contenteditable), inside a dialog, or inside an embedded
// app (whose keys never reach this page) is not a shortcut. "?" opens the help dialog that
// lists them (docs/desktop.md "Keyboard shortcuts").

import { h } from "../shared/dom.js";

/** The interaction an "answer" applies to: a ringing call or an invitation, the selected
 * case's first. Returns {interaction, op} or null. */
export function toAnswer(snapshot) {
  const offered = (snapshot?.interactions ?? []).filter((i) =>
    (i.media === "voice" && i.state === "RINGING") || (i.media !== "voice" && i.state === "INVITED"));
  const pick = preferSelected(offered, snapshot);
  if (!pick) return null;
  return { interaction: pick, op: pick.media === "voice" ? "answer" : "accept" };
}

/** The call a "hang up" applies to: a connected, held or dialling call, the selected
 * case's first. A ringing call is not hung up by a key (that is a rejection). */
export function toHangUp(snapshot) {
  const calls = (snapshot?.interactions ?? []).filter((i) =>
    i.media === "voice" && ["TALKING", "HELD", "DIALING"].includes(i.state));
  return preferSelected(calls, snapshot);
}

function preferSelected(list, snapshot) {
  return list.find((i) => i.caseId === snapshot?.selectedCase) ?? list[0] ?? null;
}

/** The state list's entry of a type (READY, NOT_READY): the plain one before a reason. */
export function stateOfType(stateList, type) {
  const matching = (stateList ?? []).filter((s) => s.type === type);
  return matching.find((s) => !s.reason) ?? matching[0] ?? null;
}

/** Is the key event typed into something (a field, a dialog) rather than a shortcut? */
export function isTyping(event) {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey
    || event.altKey) return true;
  const target = event.target;
  if (!target || typeof target.closest !== "function") return false;
  if (target.isContentEditable) return true;
  return Boolean(target.closest("input, textarea, select, [contenteditable], dialog, .dialog"));
}

/** The shortcuts: [key shown, action text, what it does]. `keys` are the event.key values. */
export function shortcutList({ store, actions, clickById, focusById, toggleTheme, openHelp }) {
  const snapshot = () => store.get() ?? {};
  const say = (text) => actions.showError(text);
  const setState = (type, words) => {
    const state = stateOfType(snapshot().stateList, type);
    if (!state) say(`No ${words} state is configured.`);
    else actions.act("setState", { operationName: state.operationName });
  };
  return [
    { keys: ["a", "A"], label: "A", text: "Answer the ringing call, or accept the offered chat or e-mail",
      run: () => {
        const target = toAnswer(snapshot());
        if (!target) say("Nothing to answer: no call is ringing and nothing is offered.");
        else actions.act(target.op, { interactionId: target.interaction.interactionId });
      } },
    { keys: ["h", "H"], label: "H", text: "Hang up the current call",
      run: () => {
        const call = toHangUp(snapshot());
        if (!call) say("No call to hang up.");
        else actions.act("hangUp", { interactionId: call.interactionId });
      } },
    { keys: ["r", "R"], label: "R", text: "Set your state to Ready", run: () => setState("READY", "Ready") },
    { keys: ["n", "N"], label: "N", text: "Set your state to Not Ready",
      run: () => setState("NOT_READY", "Not Ready") },
    { keys: ["m", "M"], label: "M", text: "Mute or unmute the microphone",
      run: () => clickById("mute-microphone") },
    { keys: ["d", "D"], label: "D", text: "Go to the dial pad's number field", run: () => focusById("dial-number") },
    { keys: ["i", "I"], label: "I", text: "Show or hide the traffic inspector", run: () => clickById("inspector-toggle") },
    { keys: ["t", "T"], label: "T", text: "Switch between the light and the dark theme", run: toggleTheme },
    { keys: ["?"], label: "?", text: "Show this list", run: openHelp },
  ];
}

export class Shortcuts {
  /**
   * @param {object} deps
   * @param {import("../shared/store.js").Store} deps.store
   * @param {import("./actions.js").Actions} deps.actions
   * @param {HTMLDialogElement} deps.dialog  the help dialog
   * @param {HTMLElement} deps.rows  its table body
   * @param {HTMLElement} deps.openButton  the header's button that opens it
   * @param {HTMLElement} deps.closeButton
   * @param {() => void} deps.toggleTheme
   */
  constructor({ store, actions, dialog, rows, openButton, closeButton, toggleTheme }) {
    this.dialog = dialog;
    this.opener = null;
    const byId = (id) => document.getElementById(id);
    this.list = shortcutList({
      store, actions, toggleTheme,
      clickById: (id) => byId(id)?.click(),
      focusById: (id) => byId(id)?.focus(),
      openHelp: () => this.open(),
    });
    rows.replaceChildren(...this.list.map((s) => h("tr", null,
      h("th", { scope: "row" }, h("kbd", { text: s.label })), h("td", { text: s.text }))));
    openButton.addEventListener("click", () => this.open());
    closeButton.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      // Focus back where it was before the dialog opened.
      const back = this.opener;
      this.opener = null;
      if (back?.isConnected) back.focus();
    });
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  onKey(event) {
    if (isTyping(event)) return;
    const shortcut = this.list.find((s) => s.keys.includes(event.key));
    if (!shortcut) return;
    event.preventDefault(); // e.g. "d" is not typed into the field it focuses
    shortcut.run();
  }

  open() {
    if (this.dialog.open) return;
    this.opener = document.activeElement;
    this.dialog.showModal();
    document.getElementById("shortcuts-close")?.focus();
  }
}
