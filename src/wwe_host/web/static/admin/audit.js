// The Audit log panel: the latest entries, newest first, filtered by agent and outcome.

import { h, rebuild, setHidden, setText } from "../shared/dom.js";
import { millisText, outcomeKind } from "../shared/format.js";
import { timeCell } from "./time-cell.js";

export const AUDIT_LIMIT = 100;

/** The query string of the audit request for the filters' values. */
export function auditQuery({ agent = "", outcome = "" } = {}) {
  const params = new URLSearchParams();
  if (agent.trim()) params.set("agent", agent.trim());
  if (outcome.trim()) params.set("outcome", outcome.trim());
  params.set("limit", String(AUDIT_LIMIT));
  return `?${params}`;
}

/** "3 entries (filtered), newest first; the last 100 at most". */
export function auditCount(count, filtered) {
  return `${count} ${count === 1 ? "entry" : "entries"}${filtered ? " (filtered)" : ""}`
    + `, newest first; the last ${AUDIT_LIMIT} at most`;
}

export class AuditLog {
  /**
   * @param {object} parts  elements of the panel
   * @param {() => void} parts.refresh  load again (the filters changed)
   */
  constructor({ body, empty, table, count, filters, agent, outcome, agentNames, refresh }) {
    Object.assign(this, { body, empty, table, count, agent, outcome, agentNames });
    let filterTimer = null;
    filters.addEventListener("input", () => {
      clearTimeout(filterTimer);
      filterTimer = setTimeout(refresh, 200);
    });
    filters.addEventListener("submit", (event) => {
      event.preventDefault();
      refresh();
    });
  }

  /** The query for the filters as they are now. */
  query() {
    return auditQuery({ agent: this.agent.value, outcome: this.outcome.value });
  }

  /** @param {{entries: object[], query: string}} audit  what the last load of `query` gave */
  render({ entries, query }) {
    const newest = [...entries].reverse();
    const cell = (className, text) => h("td", { class: className, text: text ?? "" });
    rebuild(this.body, JSON.stringify(newest), () => newest.map((e) => h("tr",
      { dataset: { outcome: outcomeKind(e.outcome) } },
      timeCell(e.at),
      cell("", e.agent),
      cell("mono", e.frame),
      cell("mono", e.origin),
      cell("mono", e.request),
      cell("outcome", e.outcome),
      cell("t-detail", e.detail),
      cell("num", millisText(e.durationMs)))));
    setHidden(this.empty, entries.length > 0);
    setHidden(this.table, entries.length === 0);
    setText(this.count, auditCount(entries.length, query !== auditQuery()));
  }

  /** The agents the Agent filter suggests. */
  renderAgentNames(agents) {
    rebuild(this.agentNames, JSON.stringify(agents.map((a) => a.username)),
      () => agents.map((a) => h("option", { value: a.username })));
  }
}
