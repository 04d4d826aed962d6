// Transfer, conference and consult on a live call, Complete Transfer / Complete Conference
// on its consult call, and Reject on an offer (a ringing call, an invited e-mail or chat):
// the interaction.* requests of the vendor's current library, as the agent's own operations
// (docs/desktop-protocol.md). One strip per interaction card, created once and updated in
// place, so a chosen agent and a typed number survive every snapshot. The picker asks the
// server for the colleagues it offers (`findColleagues`: at most 50, narrowed by what the
// agent types), so a snapshot never carries a list of every agent.

import { h, rebuild, setHidden, setText } from "../shared/dom.js";

export const SEARCH_WAIT_MS = 250; // typing pauses this long before the picker asks

/**
 * What the strip offers for an interaction: "offer" (Reject), "call" (the transfer form),
 * "consultation" (complete it), or null (nothing).
 */
export function transferMode(i) {
  if (i.state === "RINGING" || i.state === "INVITED") return "offer";
  if (i.media !== "voice" || i.state !== "TALKING") return null;
  if (i.isConsultation) return i.parentInteractionId ? "consultation" : null;
  return "call";
}

/** The target the form names: a typed number wins over the picked agent; null: neither. */
export function targetOf(agent, number) {
  const typed = (number ?? "").trim();
  if (typed) return { type: "DN", destination: typed };
  if (agent) return { type: "AGENT", destination: agent };
  return null;
}

/** The note on a consult call: which call it consults for. */
export function consultNote(i) {
  if (!i.isConsultation) return "";
  return i.parentInteractionId ? `Consultation for call ${i.parentInteractionId}`
    : "Consultation call";
}

export class TransferControls {
  /** @param {{id: string, act: (op: string, args?: object) => Promise<{ok: boolean}>,
   *           actions: import("./actions.js").Actions}} card */
  constructor(card) {
    this.card = card;
    const id = `i${card.id}`;
    this.note = h("p", { class: "consult-note" });
    this.reject = h("button", { type: "button", class: "bad", dataset: { key: "Reject" },
      onclick: () => card.act("reject") }, "Reject");
    this.complete = h("div", { class: "controls" },
      h("button", { type: "button", class: "primary", dataset: { key: "Complete Transfer" },
        onclick: () => card.act("completeTransfer") }, "Complete Transfer"),
      h("button", { type: "button", class: "primary", dataset: { key: "Complete Conference" },
        onclick: () => card.act("completeConference") }, "Complete Conference"));
    this.agent = h("select", { id: `${id}-transfer-agent` });
    this.search = h("input", { type: "search", id: `${id}-transfer-search`, autocomplete: "off",
      placeholder: "name or number", oninput: () => this.lookSoon() });
    this.colleagues = []; // [{username, name, number}], the server's latest answer
    this.more = false; // the server had more than it sent: the agent types to narrow
    this.asked = null; // the query of the latest answer (or the one on its way)
    this.timer = null;
    this.number = h("input", { type: "tel", id: `${id}-transfer-number`, autocomplete: "off",
      inputmode: "tel" });
    const button = (label, op) => h("button", { type: "button", dataset: { key: label },
      onclick: () => this.redirect(op) }, label);
    this.form = h("div", { class: "transfer-form", role: "group",
      "aria-label": `Transfer call ${card.id}` },
    h("label", { for: this.search.id }, "Search agents"), this.search,
    h("label", { for: this.agent.id }, "Colleague"), this.agent,
    h("label", { for: this.number.id }, "or phone"), this.number,
    h("div", { class: "controls" }, button("Consult", "consult"),
      button("Transfer", "singleStepTransfer"), button("Conference", "singleStepConference")));
    this.el = h("div", { class: "transfer" }, this.note, this.reject, this.complete, this.form);
  }

  lookSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.look(), SEARCH_WAIT_MS);
  }

  /** Ask the server for the colleagues matching the search field (once per query). */
  async look() {
    const query = this.search.value.trim();
    if (query === this.asked) return;
    this.asked = query;
    let found;
    try {
      found = await this.card.actions.connection.action("findColleagues", { query });
    } catch {
      this.asked = null; // offline or refused: the next look asks again
      return;
    }
    if (query !== this.search.value.trim()) return; // a newer query is on its way
    this.colleagues = Array.isArray(found?.colleagues) ? found.colleagues : [];
    this.more = Boolean(found?.more);
    this.renderChoices();
    this.agent.dataset.answered = query; // the list shows the answer to this search
  }

  renderChoices() {
    const chosen = this.agent.value;
    const list = this.colleagues;
    rebuild(this.agent, JSON.stringify([list, this.more]), () => [
      h("option", { value: "" }, "\u2014 choose \u2014"),
      ...list.map((c) => h("option", { value: c.username }, `${c.name} (${c.number})`)),
      this.more ? h("option", { value: "", disabled: true },
        "\u2026 more: search to narrow the list") : null,
    ]);
    if (list.some((c) => c.username === chosen)) this.agent.value = chosen;
  }

  async redirect(op) {
    const target = targetOf(this.agent.value, this.number.value);
    if (!target) {
      this.card.actions.showError("Choose a colleague or enter a phone number.");
      this.agent.focus();
      return;
    }
    const result = await this.card.act(op, { target });
    if (result.ok) this.number.value = "";
  }

  update(i) {
    const mode = transferMode(i);
    setText(this.note, consultNote(i));
    setHidden(this.note, !this.note.textContent);
    setHidden(this.reject, mode !== "offer");
    setHidden(this.complete, mode !== "consultation");
    setHidden(this.form, mode !== "call");
    if (mode === "call" && this.asked === null) this.look();
    setHidden(this.el, mode === null && !this.note.textContent);
  }
}
