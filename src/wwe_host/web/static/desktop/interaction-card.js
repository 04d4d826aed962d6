// One interaction on the desktop: media icon, parties, state, recording indicator, timer,
// the buttons that fit its state, and, for e-mail, a composer or the mail; for chat, the
// transcript and an input. Created once per interaction and updated in place (typed text in
// the composer or the chat input survives every snapshot).

import { h, rebuild, setAttr, setHidden, setText, syncInput } from "../shared/dom.js";
import { duration } from "../shared/format.js";
import { interactionName, mediaIcon, mediaInfo, partiesOf } from "../shared/interaction.js";
import { TransferControls } from "./transfer.js";

/** The buttons that fit an interaction's state, in display order: [label, op, extraArgs]. */
export function controlsFor(i) {
  const buttons = [];
  if (i.media === "voice") {
    switch (i.state) {
      case "RINGING": buttons.push(["Answer", "answer"], ["Hang Up", "hangUp"]); break;
      case "DIALING": buttons.push(["Hang Up", "hangUp"]); break;
      case "TALKING": buttons.push(["Hold", "hold"], ["Hang Up", "hangUp"]); break;
      case "HELD": buttons.push(["Resume", "resume"], ["Hang Up", "hangUp"]); break;
      case "IDLE": buttons.push(["Mark Done", "markDone"]); break;
      default: break;
    }
    if (i.state === "TALKING" || i.state === "HELD") {
      const rec = (action) => ({ action });
      switch (i.recordingState) {
        case "RECORDING":
          buttons.push(["Pause Recording", "recording", rec("pause")],
            ["Stop Recording", "recording", rec("stop")]);
          break;
        case "PAUSED":
          buttons.push(["Resume Recording", "recording", rec("resume")],
            ["Stop Recording", "recording", rec("stop")]);
          break;
        default:
          buttons.push(["Start Recording", "recording", rec("start")]);
      }
    }
    return buttons;
  }
  if (i.state === "INVITED") buttons.push(["Accept", "accept"]);
  if (i.media === "chat" && i.state === "ACCEPTED") buttons.push(["End Chat", "chatEnd"]);
  buttons.push(["Mark Done", "markDone"]);
  return buttons;
}

export const BUTTON_STYLE = {
  Answer: "good", Accept: "good", "Hang Up": "bad", "Mark Done": "primary",
  "End Chat": "bad", "Stop Recording": "bad",
};

/** The line under the card's head: direction and numbers, addresses, or message count. */
export function metaText(i) {
  if (i.media === "voice") {
    const direction = { IN: "Inbound", OUT: "Outbound" }[i.direction] ?? "";
    // INBOUND/OUTBOUND call types repeat the direction; internal and consult calls do not.
    const type = { INTERNAL: "internal", CONSULT: "consultation" }[i.callType] ?? "";
    const parts = [direction, type, i.ani ? `from ${i.ani}` : "", i.dnis ? `to ${i.dnis}` : ""];
    return parts.filter(Boolean).join(" \u00B7 ");
  }
  if (i.media === "email") {
    return [i.from ? `From ${i.from}` : "", i.to ? `To ${i.to}` : ""].filter(Boolean)
      .join(" \u00B7 ");
  }
  if (i.media === "chat") {
    const count = i.transcript?.length ?? i.messages ?? 0;
    return `${count} message${count === 1 ? "" : "s"}`;
  }
  return "";
}

/** The recording indicator's text. */
export function recordingText(recordingState) {
  if (recordingState === "RECORDING") return "\u25CF REC";
  if (recordingState === "PAUSED") return "\u275A\u275A REC paused";
  return "";
}

/** A `.timer[data-since]` element shows the time since `data-since` (epoch seconds). */
export function tickTimer(el, nowMs = Date.now()) {
  const since = Number(el.dataset.since);
  setText(el, Number.isFinite(since) && since > 0 ? duration(nowMs / 1000 - since) : "");
}

export class InteractionCard {
  /**
   * @param {object} interaction  as in the snapshot
   * @param {object} deps
   * @param {import("./actions.js").Actions} deps.actions
   * @param {{popupButtons: Function, openPopup: Function}} deps.popups  the interaction's
   *        popup apps that a popup blocker stopped: an "Open <app>" button each
   */
  constructor(interaction, { actions, popups }) {
    const id = interaction.interactionId;
    this.id = id;
    this.actions = actions;
    this.popups = popups;
    this.media = interaction.media;
    this.title = h("span", { class: "parties" });
    this.state = h("span", { class: "state-badge" });
    this.timer = h("span", { class: "timer", role: "timer" });
    this.rec = h("span", { class: "rec", role: "status" });
    this.meta = h("p", { class: "meta" });
    this.detail = h("div", { class: "detail" });
    this.controls = h("div", { class: "controls" });
    this.warning = h("p", { class: "warning", role: "alert" });
    this.apps = h("div", { class: "popup-apps" });
    this.transfer = new TransferControls(this); // reject, consult, transfer, conference
    this.el = h("article", { class: `interaction media-${this.media}`,
      dataset: { interactionId: id } },
    h("div", { class: "interaction-head" }, mediaIcon(this.media), this.title, this.state,
      this.rec, this.timer),
    this.meta, this.detail, this.controls, this.transfer.el, this.warning, this.apps);
    this.composer = null; // e-mail: created when first needed, kept (typed text survives)
    this.mailView = null;
    this.transcript = null; // chat
    this.chatForm = null;
  }

  act(op, args = {}) {
    return this.actions.act(op, { interactionId: this.id, ...args });
  }

  update(i) {
    const parties = partiesOf(i);
    setAttr(this.el, "aria-label", interactionName(i));
    setText(this.title, parties || mediaInfo(i.media).noun);
    setText(this.state, i.state);
    this.el.dataset.state = i.state;
    this.timer.dataset.since = String(i.createdAt ?? "");
    tickTimer(this.timer);
    setText(this.rec, recordingText(i.recordingState));
    this.rec.dataset.recording = i.recordingState ?? "";
    setText(this.meta, metaText(i));

    if (i.media === "email") this.updateEmail(i);
    else if (i.media === "chat") this.updateChat(i);

    const buttons = controlsFor(i);
    rebuild(this.controls, JSON.stringify(buttons), () => buttons.map(([label, op, extra]) => h(
      "button", {
        type: "button", class: BUTTON_STYLE[label] ?? "", dataset: { key: label },
        onclick: () => this.act(op, extra),
      }, label)));

    this.transfer.update(i);

    const blocked = typeof i.markdoneBlocked === "string" && i.markdoneBlocked;
    setText(this.warning, blocked ? `Mark Done is blocked: ${i.markdoneBlocked}` : "");
    setHidden(this.warning, !blocked);

    const popups = this.popups.popupButtons(this.id);
    rebuild(this.apps, JSON.stringify(popups.map((p) => p.key)), () => popups.map((p) => h(
      "button", { type: "button", class: "open-app", dataset: { key: p.key },
        onclick: () => this.popups.openPopup(p.key, { focus: true }) }, `Open ${p.label}`)));
  }

  updateEmail(i) {
    const composing = i.state === "CREATED" || i.state === "COMPOSING";
    if (composing && !this.composer) this.composer = this.buildComposer();
    if (this.composer) {
      syncInput(this.composer.to, i.to);
      syncInput(this.composer.subject, i.subject);
      syncInput(this.composer.body, i.body);
      setHidden(this.composer.form, !composing);
    }
    // Received, sent or cancelled mail is shown read-only.
    if (!this.mailView) {
      this.mailView = { subject: h("p", { class: "mail-subject" }), body: h("p", { class: "mail-body" }) };
      this.mailView.el = h("div", { class: "mail-view" }, this.mailView.subject, this.mailView.body);
      this.detail.append(this.mailView.el);
    }
    setText(this.mailView.subject, i.subject ? `Subject: ${i.subject}` : "");
    setText(this.mailView.body, i.body ?? "");
    setHidden(this.mailView.el, composing || (!i.subject && !i.body));
  }

  buildComposer() {
    const id = `i${this.id}`;
    const field = (name, label, input) => {
      input.id = `${id}-${name}`;
      return [h("label", { for: input.id }, label), input];
    };
    const to = h("input", { type: "email", autocomplete: "off" });
    const subject = h("input", { type: "text", autocomplete: "off" });
    const body = h("textarea", { rows: "5" });
    const form = h("form", { class: "composer", "aria-label": `E-mail ${this.id} composer`,
      novalidate: true },
    field("to", "To", to), field("subject", "Subject", subject), field("body", "Body", body),
    h("div", { class: "composer-actions" },
      h("button", { type: "submit", class: "primary" }, "Send"),
      h("button", { type: "button", onclick: () => this.act("cancelEmail") }, "Cancel")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.act("sendEmail", { to: to.value.trim(), subject: subject.value, body: body.value });
    });
    this.detail.append(form);
    return { form, to, subject, body };
  }

  updateChat(i) {
    if (!this.transcript) {
      this.transcript = h("ol", { class: "transcript" });
      this.detail.append(h("div", { class: "transcript-box", role: "log",
        "aria-label": `Chat ${this.id} transcript` }, this.transcript));
    }
    const lines = i.transcript ?? [];
    const shown = this.transcript.children;
    // The transcript only grows; rebuild if it did anything else.
    if (shown.length > lines.length) this.transcript.replaceChildren();
    const added = lines.length - shown.length;
    for (let n = shown.length; n < lines.length; n += 1) {
      const line = lines[n] ?? {};
      this.transcript.append(h("li", { class: `chat-line from-${line.sender ?? "customer"}` },
        h("span", { class: "chat-name", text: `${line.name || line.sender || ""}: ` }),
        h("span", { class: "chat-text", text: line.text ?? "" })));
    }
    if (added > 0) {
      const box = this.transcript.parentElement;
      box.scrollTop = box.scrollHeight;
    }

    const open = i.state === "ACCEPTED";
    if (open && !this.chatForm) {
      const input = h("input", { type: "text", id: `i${this.id}-message`, autocomplete: "off" });
      const form = h("form", { class: "chat-form", novalidate: true },
        h("label", { for: input.id }, "Message"), input,
        h("button", { type: "submit", class: "primary" }, "Send"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const text = input.value;
        if (!text.trim()) return;
        const result = await this.act("chatSend", { text });
        if (result.ok && input.value === text) input.value = "";
      });
      this.detail.append(form);
      this.chatForm = form;
    }
    if (this.chatForm) setHidden(this.chatForm, !open);
  }
}

