// The Queues panel: every queue (GET /api/v1/queues) with its media and members, and the
// interactions waiting in it for a ready agent, oldest first, with how long each has waited.

import { h, rebuild, setHidden } from "../shared/dom.js";
import { duration, pairsOf } from "../shared/format.js";
import { timeCell } from "./time-cell.js";

/** What identifies a waiting interaction: its subject, chat id or call UUID. */
export function waitingWhat(item) {
  if (item.media === "email") return item.subject ?? "";
  if (item.media === "chat") return item.chatId ? `chat ${item.chatId}` : "";
  return item.callUuid ? `call ${item.callUuid}` : "";
}

/** "3 waiting, longest 01:12" / "none waiting". */
export function waitingSummary(waiting, nowSeconds) {
  if (!waiting.length) return "none waiting";
  const longest = Math.max(...waiting.map((item) => nowSeconds - item.enqueuedAt));
  return `${waiting.length} waiting, longest ${duration(longest)}`;
}

export class QueuesPanel {
  /**
   * @param {object} els
   * @param {HTMLElement} els.list   the container of the queues' cards
   * @param {HTMLElement} els.empty  "No queues are configured."
   * @param {() => number} [now]     Unix seconds (the waits are counted from it)
   */
  constructor({ list, empty }, now = () => Date.now() / 1000) {
    this.list = list;
    this.empty = empty;
    this.now = now;
  }

  /** Text only, so the cards are built again when what they show changed (waits tick). */
  render(queues) {
    const now = this.now();
    const view = queues.map((q) => ({ ...q,
      waited: q.waiting.map((i) => Math.floor(now - i.enqueuedAt)) }));
    rebuild(this.list, JSON.stringify(view), () => view.map((q) => this.card(q, now)));
    setHidden(this.empty, queues.length > 0);
  }

  card(queue, now) {
    const headingId = `queue-${queue.name}`;
    const facts = queue.configured
      ? `${queue.media.join(", ")} \u00B7 members: ${queue.agents.join(", ") || "none"}`
      : "no longer configured: nobody can take these";
    const table = queue.waiting.length === 0 ? null
      : h("table", { class: "grid-table waiting-table" },
      h("caption", { class: "visually-hidden", text: `Waiting in ${queue.name}` }),
      h("thead", null, h("tr", null, ["Since", "Waited", "Media", "From", "What", "Attached data"]
        .map((name) => h("th", { scope: "col", text: name })))),
      h("tbody", null, queue.waiting.map((item) => h("tr", { dataset: { item: item.itemId } },
        timeCell(item.enqueuedAt),
        h("td", { class: "num", text: duration(now - item.enqueuedAt) }),
        h("td", { text: item.media }),
        h("td", { class: "mono", text: item.from ?? "" }),
        h("td", { class: "mono", text: waitingWhat(item) }),
        h("td", { class: "t-detail",
          text: pairsOf(item.userData).map(([k, v]) => `${k}=${v}`).join(", ") })))));
    return h("article", { class: "queue-card", "aria-labelledby": headingId,
      dataset: { queue: queue.name, configured: String(queue.configured) } },
    h("h3", { id: headingId, class: "queue-name" }, `queue:${queue.name}`,
      h("span", { class: "queue-summary", text: ` \u2014 ${waitingSummary(queue.waiting, now)}` })),
    h("p", { class: "hint", text: facts }),
    table ? h("div", { class: "table-scroll" }, table) : null);
  }
}
