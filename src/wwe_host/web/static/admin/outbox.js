// The Outbox panel: every e-mail agents sent, newest first, with its delivery status.

import { h, rebuild, setHidden } from "../shared/dom.js";
import { timeCell } from "./time-cell.js";

/** The colour class of an outbox status: `ok` (sent), `failed` (failed: …) or "". */
export function statusKind(status) {
  const text = String(status ?? "");
  return text === "sent" ? "ok" : text.startsWith("failed") ? "failed" : "";
}

export class Outbox {
  constructor({ body, empty, table }) {
    this.body = body;
    this.empty = empty;
    this.table = table;
  }

  /** Text-only rows: rebuilt when their content changed (nothing in them takes focus). */
  render(messages) {
    const newest = [...messages].reverse();
    rebuild(this.body, JSON.stringify(newest), () => newest.map((m) => {
      const status = String(m.status ?? "");
      return h("tr", { dataset: { outcome: statusKind(status) } }, timeCell(m.at),
        h("td", { class: "mono", text: m.from ?? "" }), h("td", { class: "mono", text: m.to ?? "" }),
        h("td", { text: m.subject ?? "" }), h("td", { class: "outcome", text: status }));
    }));
    setHidden(this.empty, messages.length > 0);
    setHidden(this.table, messages.length === 0);
  }
}
