// The Live interactions panel: every agent's interactions as cards with their facts, the
// simulator's far-end controls (the far end answers or hangs up, the customer writes or
// leaves) and the attached data, editable.

import { h, rebuild, setAttr, setHidden, setText, syncKeyed } from "../shared/dom.js";
import { asText } from "../shared/format.js";
import { interactionName, mediaInfo, partiesOf } from "../shared/interaction.js";
import { UserDataEditor } from "../shared/user-data.js";
import { segment } from "./api.js";

/** The typed value to send: a number or boolean stays one when the text still reads as one. */
export function typedValue(original, text) {
  if (typeof original === "number" && text.trim() !== "" && Number.isFinite(Number(text))) {
    return Number(text);
  }
  if (typeof original === "boolean" && (text === "true" || text === "false")) {
    return text === "true";
  }
  return text;
}

/** The facts a card lists, [label, value], without the empty ones. */
export function factsOf(i, chatId) {
  const facts = [
    ["Agent", i.agent], ["Media", i.media], ["State", i.state], ["Parties", partiesOf(i)],
    ["Interaction UUID", i.interactionUUID], ["Interaction id", i.interactionId],
  ];
  if (i.media === "voice") {
    facts.push(["Call UUID", i.callUuid], ["Direction", i.direction], ["Call type", i.callType],
      ["ANI", i.ani], ["DNIS", i.dnis]);
    // A consultation (interaction.consult) and what the switch was handed (extensions).
    if (i.isConsultation) {
      facts.push(["Consultation of", i.parentInteractionId ?? "another agent's call"]);
    }
    const extensions = Object.entries(i.extensions ?? {}).map(([k, v]) => `${k}=${v}`);
    facts.push(["Extensions", extensions.join(", ")]);
  } else if (i.media === "email") {
    facts.push(["From", i.from], ["To", i.to], ["Subject", i.subject]);
  } else if (i.media === "chat") {
    facts.push(["Messages", i.messages], ["Chat id", chatId]);
  }
  return facts.filter(([, v]) => v !== null && v !== undefined && v !== "");
}

/**
 * The simulator's controls that fit: [label, what] with what = "answer" | "hangup" (the far
 * end of a call) or "end" (the chat's customer leaves; needs the chat id).
 */
export function simButtons(i, chatId) {
  const buttons = [];
  if (i.media === "voice" && i.callUuid) {
    if (i.direction === "OUT" && i.state === "DIALING") buttons.push(["Far end answers", "answer"]);
    if (i.state !== "IDLE") buttons.push(["Far end hangs up", "hangup"]);
  }
  if (chatOpen(i) && chatId) buttons.push(["Customer leaves", "end"]);
  return buttons;
}

const chatOpen = (i) => i.media === "chat" && (i.state === "INVITED" || i.state === "ACCEPTED");

class InteractionCard {
  constructor(uuid, { actions, chatIds }) {
    this.uuid = uuid;
    this.actions = actions;
    this.chatIds = chatIds;
    this.title = h("span", { class: "ix-title" });
    this.state = h("span", { class: "state-badge" });
    this.agent = h("span", { class: "ix-agent" });
    this.facts = h("dl", { class: "facts" });
    this.sim = h("div", { class: "sim-actions" });
    this.chatNote = h("p", { class: "hint" });
    this.chatForm = null;
    this.noData = h("p", { class: "empty", text: "No attached data." });
    const dataBody = h("tbody");
    const newKey = h("input", { type: "text", "aria-label": "New key", placeholder: "New key",
      autocomplete: "off", spellcheck: "false" });
    const newValue = h("input", { type: "text", "aria-label": "New value",
      placeholder: "New value", autocomplete: "off" });
    const addForm = h("form", { class: "kv-add", novalidate: true }, newKey, newValue,
      h("button", { type: "submit" }, "Add"));
    const patch = (body) => actions.act("PATCH", `/interactions/${segment(uuid)}/user-data`, body);
    this.data = new UserDataEditor({
      body: dataBody,
      form: addForm,
      keyInput: newKey,
      valueInput: newValue,
      save: (key, text, stored) => patch({ [key]: typedValue(stored, text) }),
      remove: (key) => patch({ [key]: null }),
      add: (key, text) => patch({ [key]: text }),
      showError: (text) => actions.showError(text),
    });
    this.el = h("li", { class: "ix-item", dataset: { interactionUuid: uuid } },
      h("article", { class: "ix" },
        h("div", { class: "ix-head" }, this.title, this.state, this.agent),
        this.facts, this.sim, this.chatNote,
        h("div", { class: "ix-data" },
          h("h3", { class: "ix-data-heading", text: "Attached data" }),
          this.noData,
          h("table", { class: "kv-table" },
            h("caption", { class: "visually-hidden", text: "Attached data" }), dataBody),
          addForm)));
    this.article = this.el.firstChild;
  }

  update(i) {
    this.interaction = i;
    const noun = mediaInfo(i.media).noun;
    const parties = partiesOf(i);
    const name = interactionName(i, { withId: false });
    setAttr(this.article, "aria-label", `${name} \u2013 ${i.agent}`);
    this.el.dataset.agent = i.agent ?? "";
    this.el.dataset.state = i.state ?? "";
    this.el.dataset.media = i.media ?? "";
    setText(this.title, `${noun}${parties ? ` \u00B7 ${parties}` : ""}`);
    setText(this.state, i.state);
    setText(this.agent, `agent ${i.agent}`);

    const shown = factsOf(i, i.media === "chat" ? this.chatIds.of(i) : null);
    rebuild(this.facts, JSON.stringify(shown), () => shown.map(([k, v]) => h("div",
      { class: "fact" }, h("dt", { text: k }), h("dd", { text: asText(v) }))));

    this.updateSim(i);
    const data = i.userData ?? {};
    this.data.render(data);
    setHidden(this.noData, Object.keys(data).length > 0);
  }

  updateSim(i) {
    const chatId = i.media === "chat" ? this.chatIds.of(i) : null;
    const buttons = simButtons(i, chatId);
    const { actions } = this;
    rebuild(this.sim, JSON.stringify(buttons), () => buttons.map(([label, what]) => h("button", {
      type: "button", class: what === "answer" ? "good" : "bad", dataset: { key: label },
      onclick: () => (i.media === "voice"
        ? actions.act("POST", `/sim/calls/${segment(this.interaction.callUuid)}/${what}`)
        : actions.act("POST", `/sim/chats/${segment(this.chatIds.of(this.interaction))}/end`)),
    }, label)));

    const open = chatOpen(i);
    setText(this.chatNote, open && !chatId
      ? "Pushed from elsewhere: this page does not know its chat id, so it cannot write or "
        + "leave as the customer." : "");
    setHidden(this.chatNote, !(open && !chatId));

    if (open && chatId && !this.chatForm) this.chatForm = this.buildChatForm();
    if (this.chatForm) setHidden(this.chatForm, !(open && chatId));
  }

  buildChatForm() {
    const id = `chat-${this.uuid}`.replace(/[^\w-]/g, "_");
    const input = h("input", { type: "text", id, autocomplete: "off" });
    const form = h("form", { class: "customer-form", novalidate: true },
      h("label", { for: id, text: "Customer writes" }), input,
      h("button", { type: "submit", class: "primary" }, "Send"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const message = input.value;
      if (!message.trim()) {
        this.actions.showError("Enter what the customer writes.");
        input.focus();
        return;
      }
      const chatId = this.chatIds.of(this.interaction);
      const result = await this.actions.act("POST", `/sim/chats/${segment(chatId)}/messages`,
        { message });
      if (result.ok && input.value === message) input.value = "";
    });
    this.sim.after(form);
    return form;
  }
}

export class LiveInteractions {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.list   the <ul> of cards
   * @param {HTMLElement} deps.empty  "No live interactions."
   * @param {import("./api.js").Actions} deps.actions
   * @param {import("./chat-ids.js").ChatIds} deps.chatIds
   */
  constructor({ list, empty, actions, chatIds }) {
    this.list = list;
    this.empty = empty;
    this.deps = { actions, chatIds };
    this.cards = new Map(); // interactionUUID → card
  }

  render(interactions) {
    syncKeyed(this.list, this.cards, interactions, (i) => i.interactionUUID,
      (uuid) => new InteractionCard(uuid, this.deps), (card, i) => card.update(i));
    setHidden(this.empty, interactions.length > 0);
  }
}
