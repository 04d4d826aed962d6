// The MyMessage panel: the toasts sent to it (sendToMyMessage), newest first.

import { $, h, rebuild, setHidden } from "../shared/dom.js";
import { asText, clock, pairsOf } from "../shared/format.js";
import { keyValueList } from "./toasts.js";

export class MyMessages {
  constructor() {
    this.list = $("mymessage-list");
    this.empty = $("mymessage-empty");
  }

  render(s) {
    const list = s.myMessages ?? [];
    rebuild(this.list, JSON.stringify(list), () => [...list].reverse().map((m) => {
      const pairs = pairsOf(m.keyValues);
      return h("li", { class: "message", dataset: { id: asText(m.id) } },
        h("p", { class: "message-head" },
          h("strong", { text: asText(m.title) }),
          typeof m.at === "number" ? h("time", { datetime: new Date(m.at * 1000).toISOString(),
            text: clock(m.at * 1000).slice(0, 8) }) : null),
        m.subject ? h("p", { class: "message-subject", text: asText(m.subject) }) : null,
        m.message ? h("p", { class: "message-text", text: asText(m.message) }) : null,
        pairs.length ? keyValueList(pairs) : null);
    }));
    setHidden(this.empty, list.length > 0);
  }
}
