// The workspace: its tabs (Case, then the agent-level apps) and, in the Case tab, the
// selected case's view (its interaction apps and case data) or "No case selected".

import { $, setHidden } from "../shared/dom.js";
import { TabSet } from "./tabs.js";

/** Whether the snapshot has a selected case with an interaction in it. */
export function hasSelectedCase(s) {
  return Boolean(s.selectedCase && (s.interactions ?? []).some((i) => i.caseId === s.selectedCase));
}

export class Workspace {
  constructor() {
    this.tabs = new TabSet($("workspace-tabs"));
    this.tabs.add("case", $("tab-case"), $("panel-case"));
    this.caseAppTabs = new TabSet($("case-app-tabs"));
    this.caseView = $("case-view");
    this.noCase = $("no-case");
    this.lastSelectedCase = undefined;
  }

  render(s) {
    if (s.selectedCase !== this.lastSelectedCase) {
      // A newly selected case (an arriving call, a click) brings the case view forward.
      if (this.lastSelectedCase !== undefined && s.selectedCase) this.tabs.select("case");
      this.lastSelectedCase = s.selectedCase;
    }
    const shown = hasSelectedCase(s);
    setHidden(this.caseView, !shown);
    setHidden(this.noCase, shown);
  }
}
