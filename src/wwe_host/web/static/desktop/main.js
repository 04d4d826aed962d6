// The agent desktop: renders the server's snapshots and turns the agent's clicks into
// `action` messages (docs/desktop-protocol.md). This module wires the panels together; each
// panel is a module of its own that renders from the snapshot it is given (the store) and is
// keyed: elements are created once per thing (case, interaction, toast, app) and updated in
// place, so focus, typed text and, above all, iframes (which reload when moved in the DOM)
// stay put.
//
// Everything from the server or from a frame is rendered as text (textContent,
// createElement), never as HTML.

import { Relay } from "../relay.js";
import { $ } from "../shared/dom.js";
import { Store } from "../shared/store.js";
import { ThemeToggle } from "../shared/theme.js";
import { Actions } from "./actions.js";
import { BackgroundApps } from "./background-apps.js";
import { CaseData } from "./case-data.js";
import { CaseList } from "./cases.js";
import { Connection } from "./connection.js";
import { Dialogs } from "./dialogs.js";
import { startDialPad } from "./dialpad.js";
import { startHeaderMenus } from "./header-menus.js";
import { Header } from "./header.js";
import { Inactivity } from "./inactivity.js";
import { TrafficInspector } from "./inspector.js";
import { tickTimer } from "./interaction-card.js";
import { MenuBar } from "./menu-bar.js";
import { MyMessages } from "./mymessage.js";
import { Shortcuts } from "./shortcuts.js";
import { OfferAlerts } from "./offers.js";
import { OutboundPanel } from "./outbound.js";
import { newTabId, TabState } from "./tab-state.js";
import { Toasts } from "./toasts.js";
import { WebContent } from "./web-content.js";
import { Workspace } from "./workspace.js";

const store = new Store(); // the latest snapshot
const tabId = newTabId(); // this page among the agent's desktop tabs

const inspector = new TrafficInspector({
  panel: $("inspector"),
  body: $("traffic-rows"),
  toggle: $("inspector-toggle"),
  count: $("inspector-count"),
  clear: $("inspector-clear"),
  frameLabel: (frameId) => webContent.frameLabel(frameId) || dialogs.frameLabel(frameId),
});

const relay = new Relay({
  send: (message) => connection.send(message),
  log: (row) => inspector.add(row),
  openEmbedder: (origin) => webContent.openEmbedder(origin),
  limits: () => store.get()?.limits,
});

const connection = new Connection({
  frames: () => relay.list(),
  tabId,
  onMessage: dispatch,
  onStatus: (connected, refused) => {
    if (connected) tabState.connected();
    const banner = $("connection-banner");
    banner.textContent = connected ? ""
      : refused ?? "Connection to the server lost \u2014 reconnecting\u2026";
    banner.hidden = connected;
  },
  onNote: (text) => inspector.note(text),
});

const actions = new Actions(connection, $("action-error"));
const workspace = new Workspace();
const webContent = new WebContent({
  store, connection, relay, actions,
  note: (text) => inspector.note(text),
  workspaceTabs: workspace.tabs,
  caseAppTabs: workspace.caseAppTabs,
  tabState: () => store.get()?.tabs?.[tabId] ?? null,
});
const header = new Header({ store, actions, connection });
const cases = new CaseList({ list: $("cases"), empty: $("no-interactions"), store, actions,
  popups: webContent, showIncoming: () => offers.settings.focus });
const offers = new OfferAlerts({ panel: $("offer-settings"),
  reveal: (interactionId) => cases.reveal(interactionId) });
const caseData = new CaseData(actions);
const outbound = new OutboundPanel({ panel: $("outbound-panel"), body: $("outbound-body"),
  title: $("outbound-for"), actions });
const backgroundApps = new BackgroundApps();
const toasts = new Toasts({ box: $("toasts"), actions,
  show: (frameId) => webContent.bringIntoView(frameId) });
const myMessages = new MyMessages();
const inactivity = new Inactivity(connection);
const dialogs = new Dialogs({ layer: $("dialogs"), connection, relay, actions,
  note: (text) => inspector.note(text) });
const menuBar = new MenuBar({ list: $("menu-bar"), actions,
  holds: (frameId) => relay.has(frameId) });
const tabState = new TabState({ tabId, indicator: $("tab-state"), connection, relay });
startDialPad(actions);
const theme = new ThemeToggle($("theme-toggle"));
startHeaderMenus();
new Shortcuts({ store, actions, dialog: $("shortcuts-dialog"), rows: $("shortcuts-rows"),
  openButton: $("shortcuts-open"), closeButton: $("shortcuts-close"),
  toggleTheme: () => theme.toggle() });

function dispatch(message) {
  switch (message.type) {
    case "snapshot":
      store.set(message.data);
      break;
    case "frame.message":
      relay.deliver(message);
      break;
    case "traffic":
      for (const entry of Array.isArray(message.entries) ? message.entries : []) {
        inspector.server(entry);
      }
      break;
    case "notice":
      if (message.kind === "activity") inactivity.setDeadline(message.data?.deadline ?? null);
      break;
    case "error":
      actions.showError(message.message ?? "The server reported an error.");
      break;
    default:
      break;
  }
}

store.subscribe((s) => {
  if (!s) return;
  header.render(s);
  // Web content first: the cards show the "Open <app>" buttons of blocked popups.
  webContent.sync(s);
  backgroundApps.render(s, webContent.inMode("background"));
  cases.render(s);
  workspace.render(s);
  caseData.render(s);
  outbound.render(s);
  // Only the leading tab pops toasts (a following one shows none; MyMessage keeps them).
  toasts.render(s.tabs?.[tabId] === "FOLLOWING" ? { ...s, toasts: [] } : s);
  myMessages.render(s);
  inactivity.render(s);
  menuBar.render(s);
  dialogs.sync(s, tabId);
  webContent.afterRender();
  // After the header (the title) and the cards (brought into view); only the leading tab
  // rings, notifies and flashes (several tabs of one agent would ring together).
  offers.update(s.tabs?.[tabId] === "FOLLOWING" ? { ...s, interactions: [] } : s);
  tabState.render(s); // last: it reports the frames shown now
});

setInterval(() => {
  for (const el of document.querySelectorAll(".timer[data-since]")) tickTimer(el);
  inactivity.tick();
  tabState.report(); // sent only when what is shown changed
}, 1000);

relay.start();
tabState.start();
connection.start();
