// The Campaigns panel: every outbound campaign (GET /api/v1/campaigns) with its status and
// buttons to load, start, stop or unload it, and, for a loaded one, its records with their
// outcomes (GET /api/v1/campaigns/{name}/records): status, agent, call result, when a
// rescheduled record is due, and whether its phone is on the do-not-call list.

import { h, rebuild, setHidden } from "../shared/dom.js";
import { segment } from "./api.js";
import { timeCell } from "./time-cell.js";

/** The commands a campaign in `status` takes, in the order the buttons show. */
export function campaignCommands(status) {
  return {
    UNLOADED: ["load"],
    LOADED: ["start", "unload"],
    RUNNING: ["stop"],
    STOPPED: ["start", "unload"],
  }[status] ?? [];
}

/** "4 READY, 1 CALLED" / "no records". */
export function recordSummary(counts) {
  const parts = Object.entries(counts ?? {}).map(([status, n]) => `${n} ${status}`);
  return parts.length ? parts.join(", ") : "no records";
}

const LABELS = { load: "Load", start: "Start", stop: "Stop", unload: "Unload" };

export class CampaignsPanel {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.list   the container of the campaigns' cards
   * @param {HTMLElement} deps.empty  "No campaigns are configured."
   * @param {import("./api.js").Actions} deps.actions
   */
  constructor({ list, empty, actions }) {
    this.list = list;
    this.empty = empty;
    this.actions = actions;
  }

  /** The records of each loaded campaign (name → records), loaded with the list. */
  static async load(api) {
    const { campaigns = [] } = await api.call("GET", "/campaigns");
    const loaded = campaigns.filter((c) => c.status !== "UNLOADED");
    const records = await Promise.all(loaded.map((c) =>
      api.call("GET", `/campaigns/${segment(c.name)}/records`)
        .then((answer) => answer.records ?? [], () => [])));
    return campaigns.map((c) => ({ ...c,
      rows: c.status === "UNLOADED" ? [] : records[loaded.indexOf(c)] }));
  }

  render(campaigns) {
    rebuild(this.list, JSON.stringify(campaigns), () => campaigns.map((c) => this.card(c)));
    setHidden(this.empty, campaigns.length > 0);
  }

  card(campaign) {
    const headingId = `campaign-${campaign.name}`;
    const buttons = campaignCommands(campaign.status).map((command) => h("button", {
      type: "button",
      dataset: { key: `${campaign.name}:${command}` },
      text: LABELS[command],
      "aria-label": `${LABELS[command]} campaign ${campaign.name}`,
      onclick: () => this.actions.act("POST",
        `/campaigns/${segment(campaign.name)}/${command}`),
    }));
    const table = campaign.rows.length === 0 ? null
      : h("table", { class: "grid-table campaign-records" },
        h("caption", { class: "visually-hidden", text: `Records of ${campaign.name}` }),
        h("thead", null, h("tr", null, ["#", "Phone", "Fields", "Status", "Agent",
          "Call result", "Due", "DNC"].map((name) => h("th", { scope: "col", text: name })))),
        h("tbody", null, campaign.rows.map((r) => h("tr", { dataset: { record: r.recordHandle } },
          h("td", { class: "num", text: String(r.recordHandle) }),
          h("td", { class: "mono", text: r.phone }),
          h("td", { class: "t-detail",
            text: Object.entries(r.fields).map(([k, v]) => `${k}=${v}`).join(", ") }),
          h("td", { text: r.status }),
          h("td", { text: r.agent ?? "" }),
          h("td", { text: r.callResult ? `${r.callResult.name} (${r.callResult.code})` : "" }),
          timeCell(r.dueAt),
          h("td", { text: r.doNotCall ? "yes" : "" })))));
    return h("article", { class: "queue-card campaign-card", "aria-labelledby": headingId,
      dataset: { campaign: campaign.name, status: campaign.status } },
    h("h3", { id: headingId, class: "queue-name" }, `campaign:${campaign.name}`,
      h("span", { class: "queue-summary", text: ` \u2014 ${campaign.status}` })),
    h("p", { class: "hint", text: `${campaign.mode} \u00B7 agents: `
      + `${campaign.agents.join(", ") || "none"} \u00B7 ${recordSummary(campaign.records)}` }),
    h("div", { class: "form-actions" }, buttons),
    table ? h("div", { class: "table-scroll" }, table) : null);
  }
}
