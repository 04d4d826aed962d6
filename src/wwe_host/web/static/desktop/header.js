// The header: the agent's name and number, the agent state and one state menu per media,
// the microphone and speaker toggles, and "Log out".

import { $, changed, h, setAttr, setText } from "../shared/dom.js";
import { mediaIcon } from "../shared/interaction.js";

/**
 * Fill a state menu from the state list and show the current state. A state the list does
 * not have (reported only, e.g. PARTIAL_READY) is shown first, and cannot be chosen.
 */
export function stateOptions(select, stateList, current) {
  const list = stateList ?? [];
  const known = list.some((s) => s.operationName === current?.operationName);
  const signature = JSON.stringify([list.map((s) => [s.operationName, s.displayName]),
    known ? null : [current?.operationName, current?.displayName]]);
  if (changed(select, signature)) {
    const options = list.map((s) => h("option", { value: s.operationName, text: s.displayName }));
    if (!known && current) {
      options.unshift(h("option", { value: current.operationName ?? "", disabled: true,
        text: current.displayName ?? current.type ?? "Unknown" }));
    }
    select.replaceChildren(...options);
  }
  const value = current?.operationName ?? "";
  if (select.value !== value) select.value = value;
  select.disabled = false;
  select.dataset.state = current?.type ?? "";
}

/** The agent's display name: first and last name, else the username. */
export function agentName(agent) {
  const a = agent ?? {};
  return `${a.firstname ?? ""} ${a.lastname ?? ""}`.trim() || a.username || "";
}

export class Header {
  /**
   * @param {object} deps
   * @param {import("../shared/store.js").Store} deps.store  the snapshot
   * @param {import("./actions.js").Actions} deps.actions
   * @param {{stop: () => void}} deps.connection  stopped before logging out
   */
  constructor({ store, actions, connection }) {
    this.store = store;
    this.actions = actions;
    this.name = $("agent-name");
    this.number = $("agent-number");
    this.agentState = $("agent-state");
    this.stateTime = $("state-time"); // time in the agent's state (ticked with the timers)
    this.mediaGroup = $("media-states");
    this.mediaSelects = new Map(); // media → its <select>
    this.microphone = $("mute-microphone");
    this.speaker = $("mute-speaker");

    this.agentState.addEventListener("change", () => this.setState("setState",
      { operationName: this.agentState.value }));
    this.microphone.addEventListener("click", () => {
      actions.act("mute", { microphone: !store.get()?.microphoneMuted });
    });
    this.speaker.addEventListener("click", () => {
      actions.act("mute", { speaker: !store.get()?.speakerMuted });
    });
    $("logout").addEventListener("click", async () => {
      // Our own logout: the socket closing now is not a lost connection.
      connection.stop();
      try {
        await fetch("/api/v1/logout", { method: "POST", credentials: "same-origin" });
      } catch { /* the session ends on the server anyway when it can be reached */ }
      window.location.assign("/?ended=logout");
    });
  }

  /** A state change; a refused one puts the menus back to the state the server has. */
  async setState(op, args) {
    const result = await this.actions.act(op, args);
    if (!result.ok) this.store.notify();
  }

  render(s) {
    const name = agentName(s.agent);
    setText(this.name, name);
    setText(this.number, s.number ? `DN ${s.number}` : "");
    document.title = name ? `${name} – Agent desktop` : "Agent desktop";
    stateOptions(this.agentState, s.stateList, s.state);
    if (this.stateTime) {
      this.stateTime.dataset.since = String(s.stateSince ?? "");
      setAttr(this.stateTime, "aria-label", `Time in ${s.state?.displayName ?? "state"}`);
    }

    const media = s.media ?? {};
    for (const [mediaName, select] of this.mediaSelects) {
      if (!(mediaName in media)) {
        select.closest("label").remove();
        this.mediaSelects.delete(mediaName);
      }
    }
    for (const [mediaName, state] of Object.entries(media)) {
      let select = this.mediaSelects.get(mediaName);
      if (!select) {
        const created = h("select", { "aria-label": `${mediaName} state`, class: "media-state" });
        created.addEventListener("change", () => this.setState("setMediaState",
          { media: mediaName, operationName: created.value }));
        this.mediaGroup.append(h("label", { class: "media-state-label" },
          mediaIcon(mediaName, { decorative: true }), created));
        this.mediaSelects.set(mediaName, created);
        select = created;
      }
      stateOptions(select, s.stateList, state);
    }

    renderMute(this.microphone, Boolean(s.microphoneMuted), "microphone");
    renderMute(this.speaker, Boolean(s.speakerMuted), "speaker");
  }
}

function renderMute(button, muted, what) {
  setAttr(button, "aria-pressed", String(muted));
  setText(button, `${muted ? "Unmute" : "Mute"} ${what}`);
}
