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
  // An invitation is accepted or rejected (back to its queue), never marked done: that
  // would drop the customer (the server refuses it too).
  if (i.state === "INVITED") return [["Accept", "accept"]];
  if (i.media === "chat" && i.state === "ACCEPTED") buttons.push(["End Chat", "chatEnd"]);
  if (i.media === "email" && (i.state === "ACCEPTED" || i.state === "SENT")) {
    buttons.push(["Reply", "replyEmail"], ["Forward", "replyEmail", { forward: true }]);
  }
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

/** How an interaction ended, in words (the server's `outcome`: docs/simulator.md). */
export const OUTCOME_TEXT = {
  busy: "Busy",
  "no-answer": "No answer",
  "not-available": "Not available",
  missed: "Missed",
  abandoned: "Abandoned",
  declined: "Declined",
  "far-end-released": "Ended by the other party",
};

export function outcomeText(outcome) {
  if (!outcome) return "";
  return OUTCOME_TEXT[outcome] ?? String(outcome);
}

/**
 * What the card's timer counts: a call from its answer to its end (nothing while it rings
 * or dials, frozen once it ended); other media from their creation.
 */
export function timerSpan(i) {
  if (i.media !== "voice") return { since: i.createdAt ?? "", until: "" };
  const talking = i.state === "TALKING" || i.state === "HELD";
  const since = i.answeredAt ?? (talking ? i.createdAt : null);
  if (since === null || since === undefined) return { since: "", until: "" };
  return { since, until: i.endedAt ?? "" };
}

/** The time of day of a chat line (epoch seconds) as HH:MM, local time. */
export function chatTime(at) {
  if (typeof at !== "number") return "";
  const d = new Date(at * 1000);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/**
 * What the composer should warn of before sending: an empty subject or body ("" when
 * neither is empty).
 */
export function emptyWarning(subject, body) {
  const missing = [!subject.trim() && "subject", !body.trim() && "body"].filter(Boolean);
  if (!missing.length) return "";
  return `The ${missing.join(" and the ")} ${missing.length > 1 ? "are" : "is"} empty.`;
}

/** The recording indicator's text. */
export function recordingText(recordingState) {
  if (recordingState === "RECORDING") return "\u25CF REC";
  if (recordingState === "PAUSED") return "\u275A\u275A REC paused";
  return "";
}

/**
 * A `.timer[data-since]` element shows the time since `data-since` (epoch seconds), up to
 * `data-until` when that is set (a call that ended).
 */
export function tickTimer(el, nowMs = Date.now()) {
  const since = Number(el.dataset.since);
  const until = Number(el.dataset.until);
  const end = el.dataset.until && Number.isFinite(until) ? until : nowMs / 1000;
  setText(el, el.dataset.since && Number.isFinite(since) && since > 0 ? duration(end - since) : "");
}

export class InteractionCard {
  /**
   * @param {object} interaction  as in the snapshot
   * @param {object} deps
   * @param {import("./actions.js").Actions} deps.actions
   * @param {{popupButtons: Function, openPopup: Function}} deps.popups  the interaction's
   *        popup apps that a popup blocker stopped: an "Open <app>" button each
   */
  constructor(interaction, { actions, popups, store = null }) {
    const id = interaction.interactionId;
    this.id = id;
    this.actions = actions;
    this.popups = popups;
    this.store = store; // the snapshot: its disposition options
    this.outcome = h("p", { class: "outcome", role: "status" });
    this.disposition = null; // created when codes are configured
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
    this.meta, this.outcome, this.detail, this.controls, this.transfer.el, this.warning, this.apps);
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
    const span = timerSpan(i);
    this.timer.dataset.since = String(span.since);
    this.timer.dataset.until = String(span.until);
    tickTimer(this.timer);
    const ended = outcomeText(i.outcome);
    setText(this.outcome, ended);
    setHidden(this.outcome, !ended);
    this.outcome.dataset.outcome = i.outcome ?? "";
    this.updateDisposition(i);
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

  /** The disposition menu, when the vendor configured codes (the snapshot's `disposition`). */
  updateDisposition(i) {
    const options = this.store?.get()?.disposition;
    const codes = options?.codes ?? [];
    if (!codes.length) {
      if (this.disposition) setHidden(this.disposition.el, true);
      return;
    }
    if (!this.disposition) {
      const select = h("select", { id: `i${this.id}-disposition`, class: "disposition" });
      select.addEventListener("change", () => this.act("setDisposition", { value: select.value }));
      const label = h("label", { for: select.id });
      this.disposition = { select, label, el: h("div", { class: "disposition-row" }, label, select) };
      this.el.insertBefore(this.disposition.el, this.controls);
    }
    const { select, label, el } = this.disposition;
    setHidden(el, false);
    setText(label, options.mandatory ? "Disposition (required)" : "Disposition");
    rebuild(select, JSON.stringify(codes), () => [
      h("option", { value: "", text: "Choose a disposition\u2026" }),
      ...codes.map((code) => h("option", { value: code, text: code }))]);
    const value = String(i.userData?.[options.key ?? "DispositionCode"] ?? "");
    if (select.value !== value) select.value = value;
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
    const warning = h("p", { class: "composer-warning", role: "alert", hidden: true });
    const send = h("button", { type: "submit", class: "primary" }, "Send");
    const form = h("form", { class: "composer", "aria-label": `E-mail ${this.id} composer`,
      novalidate: true },
    field("to", "To", to), field("subject", "Subject", subject), field("body", "Body", body),
    warning,
    h("div", { class: "composer-actions" }, send,
      h("button", { type: "button", onclick: () => this.act("cancelEmail") }, "Cancel")));
    // An empty subject or body is said first; a second Send ("Send anyway") sends it.
    const reset = () => {
      if (warning.hidden) return;
      warning.hidden = true;
      setText(send, "Send");
    };
    subject.addEventListener("input", reset);
    body.addEventListener("input", reset);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const problem = emptyWarning(subject.value, body.value);
      if (problem && warning.hidden) {
        setText(warning, `${problem} Send anyway?`);
        warning.hidden = false;
        setText(send, "Send anyway");
        return;
      }
      reset();
      this.act("sendEmail", { to: to.value.trim(), subject: subject.value, body: body.value });
    });
    this.detail.append(form);
    return { form, to, subject, body, warning };
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
        h("time", { class: "chat-time", text: chatTime(line.at),
          datetime: typeof line.at === "number" ? new Date(line.at * 1000).toISOString() : null }),
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

