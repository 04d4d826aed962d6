// The Agents panel: one row per configured agent (logged in or not, state, media states,
// number of interactions on the desktop, the dialogs and header items frames put there).

import { h, setText, syncKeyed } from "../shared/dom.js";

/** An agent or media state as text: "Not Ready (Break)". */
export function stateText(state) {
  if (!state) return "";
  const name = state.displayName || state.type || "";
  return state.reason ? `${name} (${state.reason})` : name;
}

/** First and last name. */
export function fullName(agent) {
  return `${agent.firstname ?? ""} ${agent.lastname ?? ""}`.trim();
}

/** The dialogs and menu-bar items frames put in the agent's desktop, in words. */
export function desktopItemsText(agent) {
  const dialogs = (agent.dialogs ?? []).map((d) => `dialog ${d.dialogId}${d.label ? ` "${d.label}"` : ""}`);
  const items = (agent.menuItems ?? []).map((i) => `menu "${i.label}"${i.origin ? ` (${i.origin})` : ""}`);
  return [...dialogs, ...items].join(" · ");
}

export class AgentsTable {
  /** @param {HTMLElement} body  the table body */
  constructor(body) {
    this.body = body;
    this.rows = new Map(); // username → {el, cells}
  }

  render(agents) {
    syncKeyed(this.body, this.rows, agents, (a) => a.username, (username) => {
      const cells = {
        username: h("th", { scope: "row", class: "mono", text: username }),
        name: h("td"),
        number: h("td", { class: "mono" }),
        loggedIn: h("td"),
        state: h("td"),
        media: h("td", { class: "media-states-cell" }),
        count: h("td", { class: "num" }),
        desktopItems: h("td", { class: "desktop-items-cell" }),
      };
      return { el: h("tr", { dataset: { agent: username } }, Object.values(cells)), cells };
    }, ({ el, cells }, a) => {
      setText(cells.name, fullName(a));
      setText(cells.number, a.number);
      setText(cells.loggedIn, a.loggedIn ? "Yes" : "No");
      el.dataset.loggedIn = String(Boolean(a.loggedIn));
      setText(cells.state, stateText(a.state));
      cells.state.dataset.state = a.state?.type ?? "";
      const media = Object.entries(a.mediaStates ?? {});
      setText(cells.media, media.map(([name, state]) => `${name}: ${stateText(state)}`).join(" · "));
      setText(cells.count, String(a.interactions ?? 0));
      setText(cells.desktopItems, desktopItemsText(a));
    });
  }
}
