// How both pages name and picture an interaction: its media (icon, label, noun), its
// parties, its one-line name. The desktop's card and case data, and the admin page's live
// interactions, read an interaction the same way through these.

import { h } from "./dom.js";

// Media icons as inline SVG (no font or network needed), named for assistive technology.
const MEDIA = {
  voice: {
    label: "Voice", noun: "Voice call",
    path: "M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 "
      + "1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 "
      + "3.57a1 1 0 0 1-.25 1z",
  },
  email: {
    label: "E-mail", noun: "E-mail",
    path: "M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 4v10h16V8l-8 "
      + "5-8-5zm0-2 8 5 8-5H4z",
  },
  chat: {
    label: "Chat", noun: "Chat",
    path: "M4 2h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H6l-4 4V4a2 2 0 0 1 2-2zm3 6v2h10V8H7zm0 4v2h7v-2H7z",
  },
};

/** {label, noun, path} of a media; an unknown media is named by itself. */
export function mediaInfo(media) {
  return MEDIA[media] ?? { label: String(media), noun: String(media), path: "M4 4h16v16H4z" };
}

/** The media's icon, named for assistive technology unless `decorative` (named elsewhere). */
export function mediaIcon(media, { decorative = false } = {}) {
  const info = mediaInfo(media);
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", info.path);
  svg.append(path);
  if (decorative) return h("span", { class: `media-icon media-${media}`, "aria-hidden": "true" }, svg);
  return h("span", { class: `media-icon media-${media}`, role: "img", "aria-label": info.label },
    svg);
}

/** Who the interaction is with: its parties' names, else the e-mail address or number. */
export function partiesOf(interaction) {
  const names = (interaction.parties ?? []).map((p) => p?.name).filter(Boolean);
  if (names.length) return names.join(", ");
  if (interaction.media === "email") return interaction.from || interaction.to || "";
  return interaction.ani || interaction.dnis || "";
}

/**
 * The interaction in a few words: "Voice call 3 – +15550100" (`withId`, the desktop's own
 * interactions) or "Voice call – +15550100" (the admin page, where the agent tells them apart).
 */
export function interactionName(interaction, { withId = true } = {}) {
  const noun = mediaInfo(interaction.media).noun;
  const parties = partiesOf(interaction);
  const id = withId ? ` ${interaction.interactionId}` : "";
  return `${noun}${id}${parties ? ` \u2013 ${parties}` : ""}`;
}
