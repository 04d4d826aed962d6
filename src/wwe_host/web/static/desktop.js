// The agent desktop: renders the server's snapshots and turns the agent's clicks into
// `action` messages (docs/desktop-protocol.md). render = f(snapshot), but keyed: elements
// are created once per thing (case, interaction, toast, app) and updated in place, so focus,
// typed text and, above all, iframes (which reload when moved in the DOM) stay put.
//
// Everything from the server or from a frame is rendered as text (textContent,
// createElement), never as HTML.

import { Connection } from "./connection.js";
import { $, h, keyValueRow, setAttr, setHidden, setText, syncInput } from "./dom.js";
import { EMBEDDER_SECTION, Relay } from "./relay.js";

const SANDBOX = "allow-scripts allow-forms allow-popups allow-same-origin allow-downloads";
const ACTIVITY_EVERY_MS = 5_000;
const INSPECTOR_ROWS = 500;

// --- DOM helpers ----------------------------------------------------------------------------

/**
 * Replace the children of `container` when `signature` changed. If focus was inside, it
 * moves to the element with the same data-key, else to the first button, so a keyboard
 * user is not thrown back to the top of the page.
 */
function rebuild(container, signature, build) {
  if (container.dataset.signature === signature) return;
  container.dataset.signature = signature;
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  const key = focused?.dataset?.key;
  container.replaceChildren(...build().flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  if (focused) {
    const again = (key && container.querySelector(`[data-key="${CSS.escape(key)}"]`))
      || container.querySelector("button, input, select, textarea");
    again?.focus();
  }
}

function isHttpUrl(value) {
  if (typeof value !== "string" || !value) return false;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function asText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** key/value pairs from an object, a JSON string of one, or an array of pairs. */
function pairsOf(value) {
  let data = value;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      return data ? [["", data]] : [];
    }
  }
  if (Array.isArray(data)) {
    return data.map((item) => (Array.isArray(item) ? [asText(item[0]), asText(item[1])]
      : [asText(item?.key), asText(item?.value)]));
  }
  if (data && typeof data === "object") {
    return Object.entries(data).map(([k, v]) => [k, asText(v)]);
  }
  return [];
}

function clock(epochMs) {
  const d = new Date(epochMs);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
    + `.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return hours ? `${hours}:${two(minutes)}:${two(s % 60)}` : `${two(minutes)}:${two(s % 60)}`;
}

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

function mediaInfo(media) {
  return MEDIA[media] ?? { label: String(media), noun: String(media), path: "M4 4h16v16H4z" };
}

/** The media's icon, named for assistive technology unless `decorative` (named elsewhere). */
function mediaIcon(media, { decorative = false } = {}) {
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

function partiesOf(interaction) {
  const names = (interaction.parties ?? []).map((p) => p?.name).filter(Boolean);
  if (names.length) return names.join(", ");
  if (interaction.media === "email") return interaction.from || interaction.to || "";
  return interaction.ani || interaction.dnis || "";
}

// --- the connection, the relay, the inspector -----------------------------------------------

let snapshot = null;

const inspector = new (class TrafficInspector {
  constructor() {
    this.body = $("traffic-rows");
    this.panel = $("inspector");
    this.toggle = $("inspector-toggle");
    this.count = $("inspector-count");
    // Oldest first. A row is data; its <tr> is built only while the panel is open, because
    // this runs for every message a frame sends or receives.
    this.rows = []; // {at, kind, frameId, origin, request, outcome, detail, durationMs, pending, tr}
    this.toggle.addEventListener("click", () => this.setOpen(this.panel.hidden));
    $("inspector-clear").addEventListener("click", () => this.clear());
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
        row.frameId ? h("span", { class: "detail", text: frameLabel(row.frameId) }) : null),
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
    const kind = outcome.startsWith("refused") || outcome === "quarantined" ? "refused"
      : outcome === "failed" || outcome.startsWith("error") ? "failed"
        : outcome === "allowed" || outcome === "ok" ? "ok" : "";
    row.tr.dataset.outcome = kind;
    setText(row.cells.duration, typeof durationMs === "number" ? `${durationMs.toFixed(1)} ms` : "");
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
})();

const relay = new Relay({
  send: (message) => connection.send(message),
  log: (row) => inspector.add(row),
  openEmbedder: (origin) => connection
    .request({ type: "frame.open", section: EMBEDDER_SECTION, origin }, { retry: true })
    .then((answer) => answer.frameId),
});

const connection = new Connection({
  frames: () => relay.list(),
  onMessage: dispatch,
  onStatus: (connected, refused) => {
    const banner = $("connection-banner");
    banner.textContent = connected ? ""
      : refused ?? "Connection to the server lost \u2014 reconnecting\u2026";
    banner.hidden = connected;
  },
  onNote: (text) => inspector.note(text),
});

function frameLabel(frameId) {
  const inst = webContent.byFrameId(frameId);
  if (!inst) return "";
  return inst.interactionId === null ? inst.label : `${inst.label} #${inst.interactionId}`;
}

function dispatch(message) {
  switch (message.type) {
    case "snapshot":
      snapshot = message.data;
      render();
      break;
    case "frame.message":
      relay.deliver(message);
      break;
    case "traffic":
      if (message.entry) inspector.server(message.entry);
      break;
    case "notice":
      if (message.kind === "activity") inactivity.setDeadline(message.data?.deadline ?? null);
      break;
    case "error":
      showActionError(message.message ?? "The server reported an error.");
      break;
    default:
      break;
  }
}

// --- the agent's actions ----------------------------------------------------------------------

const actionError = $("action-error");

function showActionError(text) {
  actionError.textContent = text;
}

/** Run an agent operation; a refusal is shown to the agent. Returns {ok, data}. */
async function act(op, args = {}) {
  showActionError("");
  try {
    return { ok: true, data: await connection.action(op, args) };
  } catch (error) {
    showActionError(error?.message ?? String(error));
    return { ok: false, error };
  }
}

// --- tabs -------------------------------------------------------------------------------------

/** A tablist with roving tabindex and arrow keys; panels are shown one at a time. */
class TabSet {
  constructor(tablist, onSelect = () => {}) {
    this.tablist = tablist;
    this.onSelect = onSelect;
    this.tabs = new Map(); // key → {tab, panel}
    this.selected = null;
    tablist.addEventListener("keydown", (event) => this.onKey(event));
  }

  add(key, tab, panel) {
    tab.dataset.key = key;
    tab.id ||= `tab-${key}`.replace(/[^\w-]/g, "_");
    panel.id ||= `panel-${key}`.replace(/[^\w-]/g, "_");
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    tab.addEventListener("click", () => this.select(key, { user: true }));
    if (!tab.isConnected) this.tablist.append(tab);
    this.tabs.set(key, { tab, panel });
    if (this.selected === null) this.select(key);
    else this.paint();
  }

  remove(key) {
    const entry = this.tabs.get(key);
    if (!entry) return;
    entry.tab.remove();
    entry.panel.remove();
    this.tabs.delete(key);
    if (this.selected === key) {
      this.selected = null;
      const first = this.visibleKeys()[0];
      if (first) this.select(first);
    }
    this.paint();
  }

  setVisible(key, visible) {
    const entry = this.tabs.get(key);
    if (entry) setHidden(entry.tab, !visible);
  }

  visibleKeys() {
    return [...this.tabs].filter(([, e]) => !e.tab.hidden).map(([key]) => key);
  }

  select(key, { focus = false, user = false } = {}) {
    if (!this.tabs.has(key)) return;
    this.selected = key;
    this.paint();
    if (focus) this.tabs.get(key).tab.focus();
    if (user) this.onSelect(key);
  }

  paint() {
    const visible = this.visibleKeys();
    const current = visible.includes(this.selected) ? this.selected : null;
    for (const [key, { tab, panel }] of this.tabs) {
      const on = key === current;
      setAttr(tab, "aria-selected", String(on));
      setAttr(tab, "tabindex", on || (current === null && key === visible[0]) ? "0" : "-1");
      setHidden(panel, !on);
    }
  }

  onKey(event) {
    const keys = this.visibleKeys();
    const at = keys.indexOf(event.target?.dataset?.key);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.select(keys[(next + keys.length) % keys.length], { focus: true, user: true });
  }
}

const workspaceTabs = new TabSet($("workspace-tabs"));
workspaceTabs.add("case", $("tab-case"), $("panel-case"));

// Each case remembers which of its apps the agent looked at last.
const caseAppTabs = new TabSet($("case-app-tabs"), (key) => {
  if (snapshot?.selectedCase) webContent.caseChoice.set(snapshot.selectedCase, key);
});

// --- header: agent, states, mute, logout ------------------------------------------------------

function stateOptions(select, stateList, current) {
  const list = stateList ?? [];
  const known = list.some((s) => s.operationName === current?.operationName);
  const signature = JSON.stringify([list.map((s) => [s.operationName, s.displayName]),
    known ? null : [current?.operationName, current?.displayName]]);
  if (select.dataset.signature !== signature) {
    select.dataset.signature = signature;
    const options = list.map((s) => h("option", { value: s.operationName, text: s.displayName }));
    if (!known && current) {
      // Reported-only states (e.g. PARTIAL_READY) are shown but cannot be chosen.
      options.unshift(h("option", { value: current.operationName ?? "", disabled: true,
        text: current.displayName ?? current.type ?? "Unknown" }));
    }
    select.replaceChildren(...options);
  }
  const value = current?.operationName ?? "";
  if (select.value !== value) select.value = value;
  select.disabled = false;
  select.dataset.state = current?.type ?? "";
}

const agentState = $("agent-state");
agentState.addEventListener("change", async () => {
  const result = await act("setState", { operationName: agentState.value });
  if (!result.ok) render();
});

const mediaSelects = new Map();

function renderHeader(s) {
  const agent = s.agent ?? {};
  const name = `${agent.firstname ?? ""} ${agent.lastname ?? ""}`.trim() || agent.username || "";
  setText($("agent-name"), name);
  setText($("agent-number"), s.number ? `DN ${s.number}` : "");
  document.title = name ? `${name} – Agent desktop` : "Agent desktop";
  stateOptions(agentState, s.stateList, s.state);

  const group = $("media-states");
  const media = s.media ?? {};
  for (const [mediaName, select] of mediaSelects) {
    if (!(mediaName in media)) {
      select.closest("label").remove();
      mediaSelects.delete(mediaName);
    }
  }
  for (const [mediaName, state] of Object.entries(media)) {
    let select = mediaSelects.get(mediaName);
    if (!select) {
      select = h("select", { "aria-label": `${mediaName} state`, class: "media-state" });
      select.addEventListener("change", async () => {
        const result = await act("setMediaState", { media: mediaName, operationName: select.value });
        if (!result.ok) render();
      });
      group.append(h("label", { class: "media-state-label" },
        mediaIcon(mediaName, { decorative: true }), select));
      mediaSelects.set(mediaName, select);
    }
    stateOptions(select, s.stateList, state);
  }

  renderMute($("mute-microphone"), Boolean(s.microphoneMuted), "microphone");
  renderMute($("mute-speaker"), Boolean(s.speakerMuted), "speaker");
}

function renderMute(button, muted, what) {
  setAttr(button, "aria-pressed", String(muted));
  setText(button, `${muted ? "Unmute" : "Mute"} ${what}`);
}

$("mute-microphone").addEventListener("click", () => {
  act("mute", { microphone: !snapshot?.microphoneMuted });
});
$("mute-speaker").addEventListener("click", () => {
  act("mute", { speaker: !snapshot?.speakerMuted });
});

$("logout").addEventListener("click", async () => {
  // Our own logout: the socket closing now is not a lost connection.
  connection.stop();
  try {
    await fetch("/api/v1/logout", { method: "POST", credentials: "same-origin" });
  } catch { /* the session ends on the server anyway when it can be reached */ }
  window.location.assign("/?ended=logout");
});

// --- dial pad and new e-mail ------------------------------------------------------------------

$("dial-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("dial-number");
  const destination = input.value.trim();
  if (!destination) {
    showActionError("Enter a number to call.");
    input.focus();
    return;
  }
  const result = await act("dial", { destination });
  if (result.ok) input.value = "";
});

$("email-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("email-address");
  const to = input.value.trim();
  if (!to) {
    showActionError("Enter an e-mail address.");
    input.focus();
    return;
  }
  const result = await act("createEmail", { to });
  if (result.ok) input.value = "";
});

// --- interactions, grouped by case ------------------------------------------------------------

/** The buttons that fit an interaction's state, in display order: [label, op, extraArgs]. */
function controlsFor(i) {
  const buttons = [];
  if (i.media === "voice") {
    switch (i.state) {
      case "RINGING": buttons.push(["Answer", "answer"], ["Hang Up", "hangUp"]); break;
      case "DIALING": buttons.push(["Hang Up", "hangUp"]); break;
      case "TALKING": buttons.push(["Hold", "hold"], ["Hang Up", "hangUp"]); break;
      case "HELD": buttons.push(["Resume", "resume"], ["Hang Up", "hangUp"]); break;
      case "IDLE": buttons.push(["Mark Done", "markDone"]); break;
      default: break;
    }
    if (i.state === "TALKING" || i.state === "HELD") {
      const rec = (action) => ({ action });
      switch (i.recordingState) {
        case "RECORDING":
          buttons.push(["Pause Recording", "recording", rec("pause")],
            ["Stop Recording", "recording", rec("stop")]);
          break;
        case "PAUSED":
          buttons.push(["Resume Recording", "recording", rec("resume")],
            ["Stop Recording", "recording", rec("stop")]);
          break;
        default:
          buttons.push(["Start Recording", "recording", rec("start")]);
      }
    }
    return buttons;
  }
  if (i.state === "INVITED") buttons.push(["Accept", "accept"]);
  if (i.media === "chat" && i.state === "ACCEPTED") buttons.push(["End Chat", "chatEnd"]);
  buttons.push(["Mark Done", "markDone"]);
  return buttons;
}

const BUTTON_STYLE = {
  Answer: "good", Accept: "good", "Hang Up": "bad", "Mark Done": "primary",
  "End Chat": "bad", "Stop Recording": "bad",
};

class InteractionCard {
  constructor(interaction) {
    const id = interaction.interactionId;
    this.id = id;
    this.media = interaction.media;
    this.title = h("span", { class: "parties" });
    this.state = h("span", { class: "state-badge" });
    this.timer = h("span", { class: "timer", role: "timer" });
    this.rec = h("span", { class: "rec", role: "status" });
    this.meta = h("p", { class: "meta" });
    this.detail = h("div", { class: "detail" });
    this.controls = h("div", { class: "controls" });
    this.warning = h("p", { class: "warning", role: "alert" });
    this.apps = h("div", { class: "popup-apps" });
    this.el = h("article", { class: `interaction media-${this.media}`,
      dataset: { interactionId: id } },
    h("div", { class: "interaction-head" }, mediaIcon(this.media), this.title, this.state,
      this.rec, this.timer),
    this.meta, this.detail, this.controls, this.warning, this.apps);
    this.composer = null; // e-mail: created when first needed, kept (typed text survives)
    this.mailView = null;
    this.transcript = null; // chat
    this.chatForm = null;
  }

  update(i) {
    const parties = partiesOf(i);
    const noun = mediaInfo(i.media).noun;
    setAttr(this.el, "aria-label", `${noun} ${i.interactionId}${parties ? ` \u2013 ${parties}` : ""}`);
    setText(this.title, parties || noun);
    setText(this.state, i.state);
    this.el.dataset.state = i.state;
    this.timer.dataset.since = String(i.createdAt ?? "");
    tickTimer(this.timer);
    setText(this.rec, i.recordingState === "RECORDING" ? "\u25CF REC"
      : i.recordingState === "PAUSED" ? "\u275A\u275A REC paused" : "");
    this.rec.dataset.recording = i.recordingState ?? "";
    setText(this.meta, this.metaText(i));

    if (i.media === "email") this.updateEmail(i);
    else if (i.media === "chat") this.updateChat(i);

    const buttons = controlsFor(i);
    rebuild(this.controls, JSON.stringify(buttons), () => buttons.map(([label, op, extra]) => h(
      "button", {
        type: "button", class: BUTTON_STYLE[label] ?? "", dataset: { key: label },
        onclick: () => act(op, { interactionId: this.id, ...extra }),
      }, label)));

    const blocked = typeof i.markdoneBlocked === "string" && i.markdoneBlocked;
    setText(this.warning, blocked ? `Mark Done is blocked: ${i.markdoneBlocked}` : "");
    setHidden(this.warning, !blocked);

    const popups = webContent.popupButtons(this.id);
    rebuild(this.apps, JSON.stringify(popups.map((p) => p.key)), () => popups.map((p) => h(
      "button", { type: "button", class: "open-app", dataset: { key: p.key },
        onclick: () => webContent.openPopup(p.key, { focus: true }) }, `Open ${p.label}`)));
  }

  metaText(i) {
    if (i.media === "voice") {
      const direction = { IN: "Inbound", OUT: "Outbound" }[i.direction] ?? "";
      // INBOUND/OUTBOUND call types repeat the direction; internal and consult calls do not.
      const type = { INTERNAL: "internal", CONSULT: "consultation" }[i.callType] ?? "";
      const parts = [direction, type, i.ani ? `from ${i.ani}` : "", i.dnis ? `to ${i.dnis}` : ""];
      return parts.filter(Boolean).join(" \u00B7 ");
    }
    if (i.media === "email") {
      return [i.from ? `From ${i.from}` : "", i.to ? `To ${i.to}` : ""].filter(Boolean)
        .join(" \u00B7 ");
    }
    if (i.media === "chat") {
      const count = i.transcript?.length ?? i.messages ?? 0;
      return `${count} message${count === 1 ? "" : "s"}`;
    }
    return "";
  }

  updateEmail(i) {
    const composing = i.state === "CREATED" || i.state === "COMPOSING";
    if (composing && !this.composer) this.composer = this.buildComposer();
    if (this.composer) {
      syncInput(this.composer.to, i.to);
      syncInput(this.composer.subject, i.subject);
      syncInput(this.composer.body, i.body);
      setHidden(this.composer.form, !composing);
    }
    // Received, sent or cancelled mail is shown read-only.
    if (!this.mailView) {
      this.mailView = { subject: h("p", { class: "mail-subject" }), body: h("p", { class: "mail-body" }) };
      this.mailView.el = h("div", { class: "mail-view" }, this.mailView.subject, this.mailView.body);
      this.detail.append(this.mailView.el);
    }
    setText(this.mailView.subject, i.subject ? `Subject: ${i.subject}` : "");
    setText(this.mailView.body, i.body ?? "");
    setHidden(this.mailView.el, composing || (!i.subject && !i.body));
  }

  buildComposer() {
    const id = `i${this.id}`;
    const field = (name, label, input) => {
      input.id = `${id}-${name}`;
      return [h("label", { for: input.id }, label), input];
    };
    const to = h("input", { type: "email", autocomplete: "off" });
    const subject = h("input", { type: "text", autocomplete: "off" });
    const body = h("textarea", { rows: "5" });
    const form = h("form", { class: "composer", "aria-label": `E-mail ${this.id} composer`,
      novalidate: true },
    field("to", "To", to), field("subject", "Subject", subject), field("body", "Body", body),
    h("div", { class: "composer-actions" },
      h("button", { type: "submit", class: "primary" }, "Send"),
      h("button", { type: "button", onclick: () => act("cancelEmail", { interactionId: this.id }) },
        "Cancel")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act("sendEmail", { interactionId: this.id, to: to.value.trim(), subject: subject.value,
        body: body.value });
    });
    this.detail.append(form);
    return { form, to, subject, body };
  }

  updateChat(i) {
    if (!this.transcript) {
      this.transcript = h("ol", { class: "transcript" });
      this.detail.append(h("div", { class: "transcript-box", role: "log",
        "aria-label": `Chat ${this.id} transcript` }, this.transcript));
    }
    const lines = i.transcript ?? [];
    const shown = this.transcript.children;
    // The transcript only grows; rebuild if it did anything else.
    if (shown.length > lines.length) this.transcript.replaceChildren();
    const added = lines.length - shown.length;
    for (let n = shown.length; n < lines.length; n += 1) {
      const line = lines[n] ?? {};
      this.transcript.append(h("li", { class: `chat-line from-${line.sender ?? "customer"}` },
        h("span", { class: "chat-name", text: `${line.name || line.sender || ""}: ` }),
        h("span", { class: "chat-text", text: line.text ?? "" })));
    }
    if (added > 0) {
      const box = this.transcript.parentElement;
      box.scrollTop = box.scrollHeight;
    }

    const open = i.state === "ACCEPTED";
    if (open && !this.chatForm) {
      const input = h("input", { type: "text", id: `i${this.id}-message`, autocomplete: "off" });
      const form = h("form", { class: "chat-form", novalidate: true },
        h("label", { for: input.id }, "Message"), input,
        h("button", { type: "submit", class: "primary" }, "Send"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const text = input.value;
        if (!text.trim()) return;
        const result = await act("chatSend", { interactionId: this.id, text });
        if (result.ok && input.value === text) input.value = "";
      });
      this.detail.append(form);
      this.chatForm = form;
    }
    if (this.chatForm) setHidden(this.chatForm, !open);
  }
}

class CaseItem {
  constructor(caseId) {
    this.caseId = caseId;
    const bodyId = `case-${caseId}`.replace(/[^\w-]/g, "_");
    this.toggle = h("button", { type: "button", class: "case-toggle", "aria-controls": bodyId,
      onclick: () => {
        if (this.caseId !== snapshot?.selectedCase) act("selectCase", { caseId: this.caseId });
      } });
    this.body = h("div", { class: "case-body", id: bodyId });
    this.cards = new Map();
    this.el = h("li", { class: "case", dataset: { caseId } },
      h("h3", { class: "case-heading" }, this.toggle), this.body);
  }

  update(interactions, expanded, selected) {
    const main = interactions.find((i) => i.isMainCaseInteraction) ?? interactions[0];
    const more = interactions.length > 1 ? ` (+${interactions.length - 1})` : "";
    const label = `${mediaInfo(main.media).label} ${partiesOf(main)} \u2013 ${main.state}${more}`;
    const incoming = interactions.some((i) => i.state === "RINGING" || i.state === "INVITED");
    rebuild(this.toggle, label + incoming, () => [
      mediaIcon(main.media),
      h("span", { class: "case-label", text: `${partiesOf(main) || mediaInfo(main.media).noun}` }),
      h("span", { class: "state-badge", text: main.state }),
      more ? h("span", { class: "case-more", text: more }) : null,
    ]);
    setAttr(this.toggle, "aria-expanded", String(expanded));
    setAttr(this.toggle, "aria-current", selected ? "true" : null);
    this.el.classList.toggle("selected", selected);
    this.el.classList.toggle("incoming", incoming && !expanded);
    setHidden(this.body, !expanded);

    const ids = new Set(interactions.map((i) => i.interactionId));
    for (const [id, card] of this.cards) {
      if (!ids.has(id)) {
        card.el.remove();
        this.cards.delete(id);
      }
    }
    let previous = null;
    for (const i of interactions) {
      let card = this.cards.get(i.interactionId);
      if (!card) {
        card = new InteractionCard(i);
        this.cards.set(i.interactionId, card);
      }
      card.update(i);
      placeAfter(this.body, card.el, previous);
      previous = card.el;
    }
  }
}

/** Put `el` right after `previous` (or first) in `parent`, moving it only if needed. */
function placeAfter(parent, el, previous) {
  const wanted = previous ? previous.nextSibling : parent.firstChild;
  if (wanted !== el) parent.insertBefore(el, wanted);
}

const cases = new Map();

function renderCases(s) {
  const list = $("cases");
  const groups = new Map();
  for (const i of s.interactions ?? []) {
    if (!groups.has(i.caseId)) groups.set(i.caseId, []);
    groups.get(i.caseId).push(i);
  }
  for (const [caseId, item] of cases) {
    if (!groups.has(caseId)) {
      item.el.remove();
      cases.delete(caseId);
    }
  }
  let previous = null;
  for (const [caseId, interactions] of groups) {
    let item = cases.get(caseId);
    if (!item) {
      item = new CaseItem(caseId);
      cases.set(caseId, item);
    }
    const selected = caseId === s.selectedCase;
    item.update(interactions, selected, selected);
    placeAfter(list, item.el, previous);
    previous = item.el;
  }
  setHidden($("no-interactions"), groups.size > 0);
}

// --- case data ----------------------------------------------------------------------------------

const caseData = new (class CaseData {
  constructor() {
    this.rows = new Map(); // key → {tr, input}
    this.interactionId = null;
    this.body = $("case-data-rows");
    $("case-data-add").addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
  }

  /** The interaction whose attached data the case shows: its main interaction. */
  target(s) {
    const inCase = (s.interactions ?? []).filter((i) => i.caseId === s.selectedCase);
    return inCase.find((i) => i.isMainCaseInteraction) ?? inCase[0] ?? null;
  }

  render(s) {
    const target = this.target(s);
    if (!target) {
      this.interactionId = null;
      this.rows.clear();
      this.body.replaceChildren();
      return;
    }
    if (target.interactionId !== this.interactionId) {
      this.interactionId = target.interactionId;
      this.rows.clear();
      this.body.replaceChildren();
    }
    const parties = partiesOf(target);
    setText($("case-data-for"), `${mediaInfo(target.media).noun} ${target.interactionId}`
      + `${parties ? ` \u2013 ${parties}` : ""}`);
    const data = target.userData ?? {};
    for (const [key, row] of this.rows) {
      if (!(key in data)) {
        row.tr.remove();
        this.rows.delete(key);
      }
    }
    let previous = null;
    for (const [key, value] of Object.entries(data)) {
      let row = this.rows.get(key);
      if (!row) row = this.makeRow(key);
      syncInput(row.input, asText(value));
      placeAfter(this.body, row.tr, previous);
      previous = row.tr;
    }
  }

  makeRow(key) {
    const row = keyValueRow(key, {
      save: (value) => act("setUserData", { interactionId: this.interactionId, key, value }),
      remove: () => act("deleteUserData", { interactionId: this.interactionId, key }),
    });
    this.rows.set(key, row);
    return row;
  }

  async add() {
    const keyInput = $("new-key");
    const valueInput = $("new-value");
    const key = keyInput.value.trim();
    if (!this.interactionId) return;
    if (!key) {
      showActionError("Enter a key for the new case data.");
      keyInput.focus();
      return;
    }
    const result = await act("setUserData", { interactionId: this.interactionId, key,
      value: valueInput.value });
    if (result.ok) {
      keyInput.value = "";
      valueInput.value = "";
      keyInput.focus();
    }
  }
})();

// --- web content: the third-party apps ----------------------------------------------------------

const webContent = new (class WebContent {
  constructor() {
    this.instances = new Map(); // key → instance
    this.caseChoice = new Map(); // caseId → the app tab the agent last chose
    this.pendingFocus = null;
  }

  byFrameId(frameId) {
    for (const inst of this.instances.values()) if (inst.frameId === frameId) return inst;
    return null;
  }

  sync(s) {
    const wc = s.webContent ?? {};
    for (const desc of wc.workspace ?? []) {
      const key = `w:${desc.section}`;
      // Agent-level apps are created once and live as long as the page.
      if (!this.instances.has(key)) this.create(key, desc, null);
    }
    const live = new Set();
    for (const [interactionId, list] of Object.entries(wc.interaction ?? {})) {
      for (const desc of list ?? []) {
        const key = `i:${interactionId}:${desc.section}`;
        live.add(key);
        if (!this.instances.has(key)) this.create(key, desc, interactionId);
      }
    }
    for (const [key, inst] of this.instances) {
      if (inst.interactionId !== null && !live.has(key)) this.destroy(inst);
    }
    this.renderCaseTabs(s);
    this.renderBackgroundList(s);
    const popups = this.popupButtons(null);
    rebuild($("workspace-popups"), JSON.stringify(popups.map((p) => p.key)), () => popups.map(
      (p) => h("button", { type: "button", class: "open-app", dataset: { key: p.key },
        onclick: () => this.openPopup(p.key, { focus: true }) }, `Open ${p.label}`)));
  }

  create(key, desc, interactionId) {
    const inst = {
      key,
      interactionId,
      section: desc.section,
      label: desc.label || desc.section,
      url: desc.url,
      mode: ["tab", "popup", "background", "hidden"].includes(desc.mode) ? desc.mode : "tab",
      allow: desc.allow || "",
      origin: desc.origin,
      icon: isHttpUrl(desc.icon) ? desc.icon : null,
      frameId: null,
      destroyed: false,
      iframe: null,
      panel: null,
      popup: null,
      popupWatch: null,
      popupNeedsClick: false,
    };
    this.instances.set(key, inst);
    if (inst.mode === "tab") this.makeTab(inst);
    connection.request({ type: "frame.open", section: inst.section, origin: inst.origin,
      ...(interactionId !== null ? { interactionId } : {}) }, { retry: true })
      .then((answer) => {
        if (inst.destroyed) {
          connection.send({ type: "frame.close", frameId: answer.frameId });
          return;
        }
        inst.frameId = answer.frameId;
        this.mount(inst);
      })
      .catch((error) => {
        if (inst.destroyed) return;
        this.failed(inst, error?.message ?? String(error));
      });
  }

  makeTab(inst) {
    const tab = h("button", { type: "button", class: "tab" },
      inst.icon ? h("img", { src: inst.icon, alt: "", class: "tab-icon", referrerpolicy: "no-referrer" })
        : null,
      inst.label);
    inst.panel = h("section", { class: "tabpanel app-panel" },
      h("p", { class: "loading", text: `Loading ${inst.label}\u2026` }));
    inst.tab = tab;
    if (inst.interactionId === null) {
      $("workspace-panels").append(inst.panel);
      workspaceTabs.add(inst.key, tab, inst.panel);
    } else {
      $("case-app-panels").append(inst.panel);
      caseAppTabs.add(inst.key, tab, inst.panel);
      caseAppTabs.setVisible(inst.key, false);
    }
  }

  failed(inst, message) {
    const text = `${inst.label} could not be opened: ${message}`;
    inspector.note(text);
    if (inst.panel) inst.panel.replaceChildren(h("p", { class: "app-error", role: "alert", text }));
    else showActionError(text);
  }

  mount(inst) {
    if (!isHttpUrl(inst.url)) {
      this.failed(inst, "its URL is not an http(s) address.");
      return;
    }
    const common = { expectedOrigin: inst.origin, section: inst.section,
      interactionId: inst.interactionId };
    if (inst.mode === "popup") {
      relay.register(inst.frameId, { ...common, window: null });
      this.openPopup(inst.key);
      return;
    }
    const iframe = h("iframe", {
      title: inst.label,
      dataset: { section: inst.section, frameId: inst.frameId },
      sandbox: SANDBOX,
      allow: inst.allow || null,
      referrerpolicy: "no-referrer",
    });
    if (inst.interactionId) iframe.dataset.interactionId = inst.interactionId;
    // Registered before it has a src, so the relay sees its very first load.
    relay.register(inst.frameId, { ...common, element: iframe });
    iframe.src = inst.url;
    inst.iframe = iframe;
    if (inst.mode === "tab") {
      inst.panel.replaceChildren(iframe);
    } else {
      $("offscreen-frames").append(iframe);
    }
    if (this.pendingFocus === inst.key) this.bringIntoView(inst.frameId);
  }

  /** Open (or re-open) a popup app; from a click, so a popup blocker lets it through. */
  openPopup(key, { focus = false } = {}) {
    const inst = this.instances.get(key);
    if (!inst || inst.frameId === null) return;
    if (inst.popup && !inst.popup.closed) {
      if (focus) inst.popup.focus();
      return;
    }
    let win = null;
    try {
      win = window.open(inst.url, `wwe-${inst.frameId}`, "popup=yes,width=960,height=720");
    } catch {
      win = null;
    }
    inst.popup = win;
    inst.popupNeedsClick = !win;
    if (win) {
      relay.setPopup(inst.frameId, win);
      clearInterval(inst.popupWatch);
      // A closed popup can be opened again from its interaction.
      inst.popupWatch = setInterval(() => {
        if (inst.popup?.closed) {
          clearInterval(inst.popupWatch);
          inst.popup = null;
          inst.popupNeedsClick = true;
          render();
        }
      }, 1000);
    }
    render();
  }

  popupButtons(interactionId) {
    return [...this.instances.values()]
      .filter((inst) => inst.interactionId === interactionId && inst.mode === "popup"
        && inst.popupNeedsClick)
      .map((inst) => ({ key: inst.key, label: inst.label }));
  }

  destroy(inst) {
    inst.destroyed = true;
    this.instances.delete(inst.key);
    if (inst.frameId !== null) {
      relay.unregister(inst.frameId);
      connection.send({ type: "frame.close", frameId: inst.frameId });
    }
    clearInterval(inst.popupWatch);
    if (inst.popup && !inst.popup.closed) inst.popup.close();
    if (inst.tab) {
      if (inst.interactionId === null) workspaceTabs.remove(inst.key);
      else caseAppTabs.remove(inst.key);
    }
    inst.iframe?.remove();
  }

  renderCaseTabs(s) {
    const caseOf = new Map((s.interactions ?? []).map((i) => [i.interactionId, i.caseId]));
    const visible = [];
    for (const inst of this.instances.values()) {
      if (inst.interactionId === null || inst.mode !== "tab") continue;
      const show = caseOf.get(inst.interactionId) === s.selectedCase;
      caseAppTabs.setVisible(inst.key, show);
      if (show) visible.push(inst);
    }
    // Two interactions of one case may run the same app: tell their tabs apart.
    const counts = new Map();
    for (const inst of visible) counts.set(inst.label, (counts.get(inst.label) ?? 0) + 1);
    for (const inst of visible) {
      const name = counts.get(inst.label) > 1 ? `${inst.label} (${inst.interactionId})` : inst.label;
      const text = [...inst.tab.childNodes].find((n) => n.nodeType === Node.TEXT_NODE);
      if (text && text.data !== name) text.data = name;
    }
    const keys = visible.map((inst) => inst.key);
    const chosen = this.caseChoice.get(s.selectedCase);
    const want = keys.includes(chosen) ? chosen
      : keys.includes(caseAppTabs.selected) ? caseAppTabs.selected : keys[0];
    if (want) caseAppTabs.select(want);
    else caseAppTabs.paint();
    setHidden($("case-app-tabs").parentElement, keys.length === 0);
    setHidden($("no-case-apps"), keys.length > 0);
  }

  renderBackgroundList(s) {
    const items = [...this.instances.values()].filter((inst) => inst.mode === "background");
    const caseOf = new Map((s.interactions ?? []).map((i) => [i.interactionId, i]));
    rebuild($("background-list"), JSON.stringify(items.map((i) => [i.key, i.frameId])), () =>
      items.map((inst) => {
        const owner = inst.interactionId !== null ? caseOf.get(inst.interactionId) : null;
        const where = owner ? ` \u2013 ${mediaInfo(owner.media).noun} ${owner.interactionId}` : "";
        return h("li", { dataset: { frameId: inst.frameId ?? "" } }, `${inst.label}${where}`);
      }));
    setHidden($("background-apps"), items.length === 0);
  }

  /** Toast "Show": bring the toast's app into view. Runs inside the click (popups). */
  bringIntoView(frameId) {
    const inst = this.byFrameId(frameId);
    if (!inst) return;
    if (inst.mode === "popup") {
      this.openPopup(inst.key, { focus: true });
      return;
    }
    if (inst.mode !== "tab") return; // background and hidden apps have nothing to show
    if (inst.interactionId === null) {
      workspaceTabs.select(inst.key);
      inst.iframe?.focus();
      return;
    }
    const interaction = (snapshot?.interactions ?? [])
      .find((i) => i.interactionId === inst.interactionId);
    if (!interaction) return;
    this.caseChoice.set(interaction.caseId, inst.key);
    workspaceTabs.select("case");
    if (interaction.caseId !== snapshot.selectedCase) {
      this.pendingFocus = inst.key; // after the snapshot that selects the case
      act("selectCase", { caseId: interaction.caseId });
      return;
    }
    this.pendingFocus = null;
    caseAppTabs.select(inst.key);
    inst.iframe?.focus();
  }

  afterRender() {
    const inst = this.pendingFocus ? this.instances.get(this.pendingFocus) : null;
    if (!inst) return;
    if (!inst.tab?.hidden && inst.iframe) {
      this.pendingFocus = null;
      caseAppTabs.select(inst.key);
      inst.iframe.focus();
    }
  }
})();

// --- toasts and MyMessage -----------------------------------------------------------------------

const toasts = new Map(); // toast id → element

function renderToasts(s) {
  const box = $("toasts");
  const list = s.toasts ?? [];
  const ids = new Set(list.map((t) => t.id));
  for (const [id, el] of toasts) {
    if (!ids.has(id)) {
      el.remove();
      toasts.delete(id);
    }
  }
  for (const toast of list) {
    let el = toasts.get(toast.id);
    if (!el) {
      el = h("div", { class: "toast", role: "status", dataset: { toastId: toast.id },
        "aria-labelledby": `toast-${toast.id}-title`.replace(/[^\w-]/g, "_") });
      toasts.set(toast.id, el);
      box.append(el);
    }
    rebuild(el, JSON.stringify(toast, (k, v) => (k === "closeAt" ? undefined : v)),
      () => toastContent(toast));
  }
}

function toastButtons(toast) {
  const click = (index) => act("toastClick", { toastId: toast.id, buttonIndex: index });
  if (toast.buttonShowDismiss) {
    return [
      h("button", { type: "button", class: "primary", dataset: { key: "show" }, onclick: () => {
        webContent.bringIntoView(toast.frameId); // first, while the click still counts
        click(0);
      } }, "Show"),
      h("button", { type: "button", dataset: { key: "dismiss" }, onclick: () => click(1) }, "Dismiss"),
    ];
  }
  const custom = Array.isArray(toast.buttons) ? toast.buttons : [];
  if (custom.length) {
    return custom.map((label, index) => h("button", { type: "button", dataset: { key: `b${index}` },
      onclick: () => click(index) }, asText(label)));
  }
  return [h("button", { type: "button", dataset: { key: "ok" },
    onclick: () => act("toastClose", { toastId: toast.id }) }, "OK")];
}

function toastContent(toast) {
  const titleId = `toast-${toast.id}-title`.replace(/[^\w-]/g, "_");
  const pairs = pairsOf(toast.keyValues);
  return [
    h("div", { class: "toast-head" },
      isHttpUrl(toast.iconUrl) ? h("img", { src: toast.iconUrl, alt: "", class: "toast-icon",
        referrerpolicy: "no-referrer", onerror: (event) => { event.target.hidden = true; } }) : null,
      h("h3", { id: titleId, class: "toast-title", text: asText(toast.title) })),
    toast.subject ? h("p", { class: "toast-subject", text: asText(toast.subject) }) : null,
    toast.message ? h("p", { class: "toast-message", text: asText(toast.message) }) : null,
    pairs.length ? keyValueList(pairs) : null,
    h("div", { class: "toast-buttons" }, toastButtons(toast)),
  ];
}

function keyValueList(pairs) {
  return h("dl", { class: "kv-list" }, pairs.map(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
}

function renderMyMessages(s) {
  const list = s.myMessages ?? [];
  rebuild($("mymessage-list"), JSON.stringify(list), () => [...list].reverse().map((m) => h(
    "li", { class: "message", dataset: { id: asText(m.id) } },
    h("p", { class: "message-head" },
      h("strong", { text: asText(m.title) }),
      typeof m.at === "number" ? h("time", { datetime: new Date(m.at * 1000).toISOString(),
        text: clock(m.at * 1000).slice(0, 8) }) : null),
    m.subject ? h("p", { class: "message-subject", text: asText(m.subject) }) : null,
    m.message ? h("p", { class: "message-text", text: asText(m.message) }) : null,
    pairsOf(m.keyValues).length ? keyValueList(pairsOf(m.keyValues)) : null)));
  setHidden($("mymessage-empty"), list.length > 0);
}

// --- inactivity ---------------------------------------------------------------------------------

const inactivity = new (class Inactivity {
  constructor() {
    this.dialog = $("inactivity-dialog");
    this.seconds = $("inactivity-seconds");
    this.deadline = null; // epoch seconds
    this.alertSeconds = 30;
    this.lastSent = 0;
    this.returnFocus = null;
    $("inactivity-stay").addEventListener("click", () => this.stay());
    // Escape means "I am here", not "ignore the warning".
    this.dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      this.stay();
    });
    const onInput = () => this.activity();
    for (const type of ["keydown", "pointerdown", "mousemove", "wheel", "touchstart"]) {
      window.addEventListener(type, onInput, { capture: true, passive: true });
    }
  }

  update(s) {
    if (typeof s.inactivityAlertSeconds === "number") this.alertSeconds = s.inactivityAlertSeconds;
    this.setDeadline(s.activityDeadline ?? null);
  }

  setDeadline(deadline) {
    if (deadline === this.deadline) return;
    this.deadline = deadline;
    this.close(); // a moved deadline means the agent (or a frame) was active
    this.tick();
  }

  tick() {
    if (this.deadline === null) {
      this.close();
      return;
    }
    const left = this.deadline - Date.now() / 1000;
    if (left > this.alertSeconds) {
      this.close();
      return;
    }
    setText(this.seconds, String(Math.max(0, Math.ceil(left))));
    if (!this.dialog.open) {
      this.returnFocus = document.activeElement;
      this.dialog.showModal();
      $("inactivity-stay").focus();
    }
  }

  close() {
    if (!this.dialog.open) return;
    this.dialog.close();
    if (this.returnFocus?.isConnected) this.returnFocus.focus();
    this.returnFocus = null;
  }

  stay() {
    this.lastSent = Date.now();
    connection.action("activity").catch(() => {});
  }

  activity() {
    if (this.deadline === null) return;
    // Report input at most every few seconds, but often enough for short timeouts, and at
    // once while the warning is showing.
    const now = Date.now();
    const untilWarning = (this.deadline - this.alertSeconds) * 1000 - now;
    const every = this.dialog.open
      ? 250
      : Math.max(250, Math.min(ACTIVITY_EVERY_MS, untilWarning / 2));
    if (now - this.lastSent < every) return;
    this.stay();
  }
})();

// --- render ------------------------------------------------------------------------------------

let lastSelectedCase;

function render() {
  const s = snapshot;
  if (!s) return;
  renderHeader(s);
  // Web content first: the cards show the "Open <app>" buttons of blocked popups.
  webContent.sync(s);
  renderCases(s);
  if (s.selectedCase !== lastSelectedCase) {
    // A newly selected case (an arriving call, a click) brings the case view forward.
    if (lastSelectedCase !== undefined && s.selectedCase) workspaceTabs.select("case");
    lastSelectedCase = s.selectedCase;
  }
  const hasCase = Boolean(s.selectedCase && (s.interactions ?? []).some((i) => i.caseId === s.selectedCase));
  setHidden($("case-view"), !hasCase);
  setHidden($("no-case"), hasCase);
  caseData.render(s);
  renderToasts(s);
  renderMyMessages(s);
  inactivity.update(s);
  webContent.afterRender();
}

function tickTimer(el) {
  const since = Number(el.dataset.since);
  setText(el, Number.isFinite(since) && since > 0 ? duration(Date.now() / 1000 - since) : "");
}

setInterval(() => {
  for (const el of document.querySelectorAll(".timer[data-since]")) tickTimer(el);
  inactivity.tick();
}, 1000);

relay.start();
connection.start();
