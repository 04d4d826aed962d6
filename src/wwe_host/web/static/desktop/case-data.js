// The Case data panel: the attached data of the selected case's main interaction, which the
// agent edits (the agent is not bound by the third-party write list).

import { $, setText } from "../shared/dom.js";
import { interactionName } from "../shared/interaction.js";
import { UserDataEditor } from "../shared/user-data.js";

/** The interaction whose attached data the case shows: the selected case's main one. */
export function caseDataTarget(s) {
  const inCase = (s.interactions ?? []).filter((i) => i.caseId === s.selectedCase);
  return inCase.find((i) => i.isMainCaseInteraction) ?? inCase[0] ?? null;
}

export class CaseData {
  /** @param {import("./actions.js").Actions} actions */
  constructor(actions) {
    this.interactionId = null;
    this.heading = $("case-data-for");
    const act = (op, args) => actions.act(op, { interactionId: this.interactionId, ...args });
    this.editor = new UserDataEditor({
      body: $("case-data-rows"),
      form: $("case-data-add"),
      keyInput: $("new-key"),
      valueInput: $("new-value"),
      save: (key, value) => act("setUserData", { key, value }),
      remove: (key) => act("deleteUserData", { key }),
      add: (key, value) => act("setUserData", { key, value }),
      showError: (text) => actions.showError(text),
      what: "case data",
    });
  }

  render(s) {
    const target = caseDataTarget(s);
    if (!target || target.interactionId !== this.interactionId) {
      this.interactionId = target?.interactionId ?? null;
      this.editor.clear();
    }
    if (!target) return;
    setText(this.heading, interactionName(target));
    this.editor.render(target.userData ?? {});
  }
}
