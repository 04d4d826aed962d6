// The outbound preview panel: for the selected case's outbound preview (media
// `outboundpreview`), the campaign record's fields, its chain with a Call button per phone,
// Reject and Cancel, a reschedule form, the call result and the do-not-call list. Every
// button is one `outbound.*` request made by the agent (the `outbound` action); what the
// panel shows is read with the `outboundRecord` action, again after every change.

import { h, rebuild, setHidden, setText } from "../shared/dom.js";

/** The selected case's outbound preview interaction, or null. */
export function previewTarget(s) {
  return (s.interactions ?? []).find((i) => i.caseId === s.selectedCase
    && i.media === "outboundpreview") ?? null;
}

/** A datetime-local value ("2026-12-24T09:30") as rescheduleRecord's "M/D/YYYY H:m". */
export function rescheduleText(local) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local ?? "");
  if (!match) return null;
  const [, year, month, day, hour, minute] = match;
  return `${Number(month)}/${Number(day)}/${year} ${Number(hour)}:${Number(minute)}`;
}

/** What in the snapshot makes the panel read the record again (its case changed). */
function caseSignature(s, target) {
  return JSON.stringify((s.interactions ?? []).filter((i) => i.caseId === target.caseId)
    .map((i) => [i.interactionId, i.state]));
}

export class OutboundPanel {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.panel  the section (hidden when the case has no preview)
   * @param {HTMLElement} deps.body   where the record is shown
   * @param {HTMLElement} deps.title  "Campaign spring · record 3"
   * @param {import("./actions.js").Actions} deps.actions
   */
  constructor({ panel, body, title, actions }) {
    this.panel = panel;
    this.body = body;
    this.title = title;
    this.actions = actions;
    this.interactionId = null;
    this.signature = "";
    this.record = null;
  }

  render(s) {
    const target = previewTarget(s);
    setHidden(this.panel, !target);
    if (!target) {
      this.interactionId = null;
      this.record = null;
      return;
    }
    const signature = caseSignature(s, target);
    if (target.interactionId !== this.interactionId || signature !== this.signature) {
      this.interactionId = target.interactionId;
      this.signature = signature;
      this.load();
    }
  }

  async load() {
    const interactionId = this.interactionId;
    const { ok, data } = await this.actions.act("outboundRecord", { interactionId });
    if (!ok || interactionId !== this.interactionId) return;
    this.record = data;
    this.show(data);
  }

  /** One outbound.* request on this preview, then the record is read again. */
  async request(request, ...rest) {
    const result = await this.actions.act("outbound",
      { request, params: [this.interactionId, ...rest] });
    if (this.interactionId) await this.load();
    return result;
  }

  show(record) {
    setText(this.title, `Campaign ${record.campaign} \u00B7 record ${record.recordHandle}`
      + ` \u00B7 ${record.status}`);
    rebuild(this.body, JSON.stringify(record), () => [
      this.fieldsTable(record),
      this.chainList(record),
      h("div", { class: "form-actions outbound-actions" },
        h("button", { type: "button", dataset: { key: "reject" }, text: "Reject",
          disabled: record.status !== "PREVIEW",
          onclick: () => this.request("rejectPreviewRecord") }),
        h("button", { type: "button", dataset: { key: "cancel" }, text: "Cancel record",
          disabled: record.status !== "PREVIEW",
          onclick: () => this.request("cancelPreviewRecord") }),
        h("button", { type: "button", dataset: { key: "dnc" },
          text: record.doNotCall ? "Remove from do-not-call" : "Add to do-not-call",
          onclick: () => this.request(record.doNotCall ? "removeDoNotCall" : "setDoNotCall") })),
      this.resultForm(record),
      this.rescheduleForm(record),
    ]);
  }

  fieldsTable(record) {
    return h("table", { class: "kv-table outbound-fields" },
      h("caption", { text: "Record fields" }),
      h("tbody", null, Object.entries(record.fields).map(([key, value]) => h("tr", null,
        h("th", { scope: "row", text: key }),
        h("td", null, h("input", { type: "text", value, "aria-label": `Field ${key}`,
          dataset: { key: `field:${key}` },
          onchange: (event) => this.request("updateRecordFields",
            { [key]: event.target.value }) }))))));
  }

  chainList(record) {
    return h("ul", { class: "outbound-chain", "aria-label": "Phones of this customer" },
      record.chain.map((r) => h("li", null,
        h("span", { class: "mono", text: r.phone }),
        r.doNotCall ? h("span", { class: "hint", text: " (do not call)" }) : null,
        h("button", { type: "button", dataset: { key: `call:${r.recordHandle}` },
          text: `Call ${r.phone}`, disabled: r.doNotCall,
          onclick: () => this.request("callPreviewRecord", r.recordHandle) }))));
  }

  resultForm(record) {
    const select = h("select", { "aria-label": "Call result", dataset: { key: "result" } },
      h("option", { value: "", text: "\u2014 call result \u2014" }),
      record.callResults.map((r) => h("option", { value: String(r.code), text: r.name,
        selected: record.callResult?.code === r.code })));
    return h("form", { class: "outbound-result", novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        if (select.value) this.request("setCallResult", Number(select.value));
      } },
    select, h("button", { type: "submit", text: "Set result" }),
    h("span", { class: "hint", text: record.callResult
      ? ` Result: ${record.callResult.name} (${record.callResult.code})` : "" }));
  }

  rescheduleForm(record) {
    const when = h("input", { type: "datetime-local", "aria-label": "Reschedule at",
      dataset: { key: "when" } });
    const kind = h("select", { "aria-label": "Callback for" },
      h("option", { value: "Personal", text: "me (Personal)" }),
      h("option", { value: "Campaign", text: "anyone (Campaign)" }));
    const scheduled = record.status === "SCHEDULED";
    return h("form", { class: "outbound-reschedule", novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const text = rescheduleText(when.value);
        if (!text) {
          this.actions.showError("Choose when the record is due again.");
          return;
        }
        this.request("rescheduleRecord", record.recordHandle, text, kind.value);
      } },
    when, kind, h("button", { type: "submit", text: "Reschedule" }),
    scheduled ? h("button", { type: "button", text: "Cancel reschedule",
      onclick: () => this.request("cancelReschedule") }) : null,
    h("span", { class: "hint", text: scheduled && record.dueAt
      ? ` Due ${new Date(record.dueAt * 1000).toLocaleString()}` : "" }));
  }
}
