// The traffic inspector (spec desktop.md): every request, reply, event and greeting of every
// frame, with its outcome. The relay adds a row as it sees a message; the server's verdict
// (a `traffic` message) completes the row of that request.

import { h, setText } from "../shared/dom.js";
import { clock, millisText, outcomeKind } from "../shared/format.js";

export const INSPECTOR_ROWS = 500;

export class TrafficInspector {
  /**
   * @param {object} parts
   * @param {HTMLElement} parts.panel   the inspector section (hidden while closed)
   * @param {HTMLElement} parts.body    its table body
   * @param {HTMLElement} parts.toggle  the header button that opens and closes it
   * @param {HTMLElement} parts.count   "n of the last 500"
   * @param {HTMLElement} parts.clear   the Clear button
   * @param {(frameId: string) => string} parts.frameLabel  the app of a frame, e.g. "CRM #3"
   */
  constructor({ panel, body, toggle, count, clear, frameLabel }) {
    this.body = body;
    this.panel = panel;
    this.toggle = toggle;
    this.count = count;
    this.frameLabel = frameLabel;
    // Oldest first. A row is data; its <tr> is built only while the panel is open, because
    // this runs for every message a frame sends or receives.
    this.rows = []; // {at, kind, frameId, origin, request, outcome, detail, durationMs, pending, tr}
    this.toggle.addEventListener("click", () => this.setOpen(this.panel.hidden));
    clear.addEventListener("click", () => this.clear());
  }

  get open() {
    return !this.panel.hidden;
  }

  setOpen(open) {
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("inspector-open", open);
    if (open) {
      this.body.replaceChildren(...this.rows.map((row) => this.build(row)));
      this.updateCount();
      const scroller = this.body.closest(".inspector-scroll");
      scroller.scrollTop = scroller.scrollHeight; // the newest rows are at the bottom
    }
  }

  clear() {
    this.rows = [];
    this.body.replaceChildren();
    this.updateCount();
  }

  updateCount() {
    setText(this.count, `${this.rows.length} of the last ${INSPECTOR_ROWS}`);
  }

  /** A row the relay saw: request (from a frame), reply / event (to a frame), greeting. */
  add({ kind, frameId = "", origin = "", request = "", outcome, detail = "", durationMs, at }) {
    const pending = kind === "request" && outcome === undefined;
    const row = { at: at ?? Date.now(), kind, frameId, origin, request,
      outcome: outcome ?? (pending ? "…" : ""), detail, durationMs, pending, tr: null };
    this.rows.push(row);
    while (this.rows.length > INSPECTOR_ROWS) this.rows.shift().tr?.remove();
    if (this.open) {
      // Follow new rows only if the reader is at the bottom already.
      const scroller = this.body.closest(".inspector-scroll");
      const follow = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
      this.body.append(this.build(row));
      if (follow) scroller.scrollTop = scroller.scrollHeight;
      this.updateCount();
    }
    return row;
  }

  build(row) {
    if (row.tr) return row.tr;
    const cells = {
      time: h("td", { class: "t-time", text: clock(row.at) }),
      kind: h("td", { class: "t-kind", text: row.kind }),
      frame: h("td", { class: "t-frame" }, row.frameId,
        row.frameId ? h("span", { class: "detail", text: this.frameLabel(row.frameId) }) : null),
      origin: h("td", { class: "t-origin", text: row.origin }),
      request: h("td", { class: "t-request", text: row.request }),
      outcome: h("td", { class: "t-outcome" }),
      duration: h("td", { class: "t-duration" }),
    };
    row.cells = cells;
    row.tr = h("tr", { class: `kind-${row.kind}` }, Object.values(cells));
    this.paint(row);
    return row.tr;
  }

  fill(row, outcome, detail, durationMs) {
    row.outcome = outcome;
    row.detail = detail;
    row.durationMs = durationMs;
    if (row.tr) this.paint(row);
  }

  paint(row) {
    const { outcome, detail, durationMs } = row;
    const cell = row.cells.outcome;
    cell.replaceChildren(h("span", { class: "outcome", text: outcome }));
    if (detail) cell.append(h("span", { class: "detail", text: detail }));
    row.tr.dataset.outcome = outcomeKind(outcome);
    setText(row.cells.duration, millisText(durationMs));
  }

  /** The server's verdict on a request: completes the oldest pending row of that frame. */
  server(entry) {
    const request = String(entry.request ?? "");
    const row = this.rows.find((r) => r.pending && r.frameId === entry.frameId
      && (r.request === request || request === "?"));
    if (row) {
      row.pending = false;
      if (entry.origin) {
        row.origin = entry.origin;
        if (row.tr) setText(row.cells.origin, entry.origin);
      }
      this.fill(row, String(entry.outcome ?? ""), entry.detail ?? "", entry.durationMs);
      return;
    }
    this.add({ kind: "request", frameId: entry.frameId, origin: entry.origin, request,
      outcome: String(entry.outcome ?? ""), detail: entry.detail ?? "",
      durationMs: entry.durationMs, at: typeof entry.at === "number" ? entry.at * 1000 : undefined });
  }

  note(text) {
    this.add({ kind: "note", request: text, outcome: "" });
  }
}
