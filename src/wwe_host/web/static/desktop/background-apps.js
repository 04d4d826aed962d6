// The Background apps panel: the apps that run in a hidden iframe in `background` mode, named
// with the interaction they belong to (hidden-mode apps have no UI and are not listed).

import { $, h, rebuild, setHidden } from "../shared/dom.js";
import { mediaInfo } from "../shared/interaction.js";

/** One line per app: "<label>" or "<label> – <media noun> <interactionId>". */
export function backgroundLines(apps, interactions) {
  const byId = new Map((interactions ?? []).map((i) => [i.interactionId, i]));
  return apps.map((app) => {
    const owner = app.interactionId !== null ? byId.get(app.interactionId) : null;
    const where = owner ? ` \u2013 ${mediaInfo(owner.media).noun} ${owner.interactionId}` : "";
    return `${app.label}${where}`;
  });
}

export class BackgroundApps {
  constructor() {
    this.section = $("background-apps");
    this.list = $("background-list");
  }

  /** @param {object} s  the snapshot; @param {object[]} apps  the background-mode apps */
  render(s, apps) {
    const lines = backgroundLines(apps, s.interactions);
    rebuild(this.list, JSON.stringify(apps.map((app) => [app.key, app.frameId])), () =>
      apps.map((app, n) => h("li", { dataset: { frameId: app.frameId ?? "" } }, lines[n])));
    setHidden(this.section, apps.length === 0);
  }
}
