// The Interactions panel: the interactions grouped by case, the selected case expanded.
// A case's heading is a button that selects it; a case with a ringing call or an invitation
// that is not expanded is marked as incoming — or, when offers are brought into view
// (offers.js), shown open, so that its Answer / Accept is never hidden under another case.

import { h, rebuild, setAttr, setHidden, syncKeyed } from "../shared/dom.js";
import { mediaIcon, mediaInfo, partiesOf } from "../shared/interaction.js";
import { InteractionCard } from "./interaction-card.js";

/** The interactions grouped by case: caseId → its interactions, in snapshot order. */
export function groupByCase(interactions) {
  const groups = new Map();
  for (const i of interactions ?? []) {
    if (!groups.has(i.caseId)) groups.set(i.caseId, []);
    groups.get(i.caseId).push(i);
  }
  return groups;
}

/** What a case's heading shows: its main interaction, the others' count, whether incoming. */
export function caseSummary(interactions) {
  const main = interactions.find((i) => i.isMainCaseInteraction) ?? interactions[0];
  const more = interactions.length > 1 ? ` (+${interactions.length - 1})` : "";
  const incoming = interactions.some((i) => i.state === "RINGING" || i.state === "INVITED");
  return { main, more, incoming };
}

class CaseItem {
  constructor(caseId, { store, actions, popups }) {
    this.caseId = caseId;
    this.deps = { actions, popups, store };
    const bodyId = `case-${caseId}`.replace(/[^\w-]/g, "_");
    this.toggle = h("button", { type: "button", class: "case-toggle", "aria-controls": bodyId,
      onclick: () => {
        if (this.caseId !== store.get()?.selectedCase) {
          actions.act("selectCase", { caseId: this.caseId });
        }
      } });
    this.body = h("div", { class: "case-body", id: bodyId });
    this.cards = new Map(); // interactionId → InteractionCard
    this.el = h("li", { class: "case", dataset: { caseId } },
      h("h3", { class: "case-heading" }, this.toggle), this.body);
  }

  update(interactions, expanded, selected) {
    const { main, more, incoming } = caseSummary(interactions);
    const label = `${mediaInfo(main.media).label} ${partiesOf(main)} \u2013 ${main.state}${more}`;
    rebuild(this.toggle, label + incoming, () => [
      mediaIcon(main.media),
      h("span", { class: "case-label", text: `${partiesOf(main) || mediaInfo(main.media).noun}` }),
      h("span", { class: "state-badge", text: main.state }),
      more ? h("span", { class: "case-more", text: more }) : null,
    ]);
    setAttr(this.toggle, "aria-expanded", String(expanded));
    setAttr(this.toggle, "aria-current", selected ? "true" : null);
    this.el.classList.toggle("selected", selected);
    this.el.classList.toggle("incoming", incoming && !expanded);
    setHidden(this.body, !expanded);
    syncKeyed(this.body, this.cards, interactions, (i) => i.interactionId,
      (id, i) => new InteractionCard(i, this.deps), (card, i) => card.update(i));
  }
}

export class CaseList {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.list   the <ul> of cases
   * @param {HTMLElement} deps.empty  "No interactions."
   * @param {import("../shared/store.js").Store} deps.store  the snapshot
   * @param {import("./actions.js").Actions} deps.actions
   * @param {object} deps.popups  see InteractionCard
   * @param {() => boolean} [deps.showIncoming]  show cases with an offer open too
   */
  constructor({ list, empty, store, actions, popups, showIncoming = () => false }) {
    this.list = list;
    this.empty = empty;
    this.showIncoming = showIncoming;
    this.deps = { store, actions, popups };
    this.cases = new Map(); // caseId → CaseItem
  }

  render(s) {
    const groups = groupByCase(s.interactions);
    syncKeyed(this.list, this.cases, groups, ([caseId]) => caseId,
      (caseId) => new CaseItem(caseId, this.deps), (item, [caseId, interactions]) => {
        const selected = caseId === s.selectedCase;
        const open = selected || (this.showIncoming() && caseSummary(interactions).incoming);
        item.update(interactions, open, selected);
      });
    setHidden(this.empty, groups.size > 0);
  }

  /** Scroll an interaction's card into view (a new offer). */
  reveal(interactionId) {
    for (const item of this.cases.values()) {
      const card = item.cards.get(interactionId);
      if (card) card.el.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
    }
  }
}
