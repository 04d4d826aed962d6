// The admin page: agents, queues and what waits in them, outbound campaigns, live
// interactions with editable attached data, the simulator's push forms, the outbox and the audit log, from the REST API
// under /api/v1 (the session cookie of a ROLE_ADMIN user; same origin, so changes are
// accepted).
//
// Polled every second while the tab is visible, and right after every action; each load goes
// into the store, and each panel renders its part of it. Rendering is keyed: rows and cards
// are created once and updated in place, so focus and typed text stay. Everything from the
// server is rendered as text (textContent, createElement), never HTML.

import { $, setHidden, setText } from "../shared/dom.js";
import { timeOfDay } from "../shared/format.js";
import { Store } from "../shared/store.js";
import { ThemeToggle } from "../shared/theme.js";
import { AgentsTable } from "./agents.js";
import { Actions, Api, ApiFailure } from "./api.js";
import { AuditLog } from "./audit.js";
import { CampaignsPanel } from "./campaigns.js";
import { ChatIds } from "./chat-ids.js";
import { LiveInteractions } from "./interactions.js";
import { Outbox } from "./outbox.js";
import { Poller } from "./poller.js";
import { BODIES, pushForm, renderDestinations } from "./push-forms.js";
import { QueuesPanel } from "./queues.js";

// {agents, queues, interactions, outbox, audit: {entries, query}, status: {error, at}}: what the
// latest loads gave (a list whose load failed keeps what it had).
const store = new Store();
const api = new Api();
new ThemeToggle($("theme-toggle"));
const poller = new Poller({
  load,
  active: () => document.visibilityState === "visible" && !api.leaving,
});
const refresh = () => poller.refresh();
const actions = new Actions({ api, errorLine: $("action-error"), refresh });

function sessionStorageOrNull() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled
  }
}

const chatIds = new ChatIds(sessionStorageOrNull());
const agents = new AgentsTable($("agent-rows"));
const queues = new QueuesPanel({ list: $("queue-list"), empty: $("no-queues") });
const campaigns = new CampaignsPanel({ list: $("campaign-list"), empty: $("no-campaigns"),
  actions });
const live = new LiveInteractions({ list: $("interaction-list"), empty: $("no-interactions"),
  actions, chatIds });
const outbox = new Outbox({ body: $("outbox-rows"), empty: $("no-outbox"),
  table: $("outbox-table") });
const audit = new AuditLog({
  body: $("audit-rows"), empty: $("no-audit"), table: $("audit-table"), count: $("audit-count"),
  filters: $("audit-filters"), agent: $("audit-agent"), outcome: $("audit-outcome"),
  agentNames: $("audit-agent-names"), refresh,
});

pushForm($("push-call"), { api, path: "/sim/calls", body: BODIES.call, refresh });
pushForm($("push-email"), { api, path: "/sim/emails", body: BODIES.email, refresh });
pushForm($("push-chat"), { api, path: "/sim/chats", body: BODIES.chat, refresh,
  after: (data) => chatIds.remember(data?.interactionUUID, data?.chatId) });

async function load() {
  const query = audit.query();
  const loads = await Promise.allSettled([
    api.call("GET", "/agents"),
    api.call("GET", "/queues"),
    api.call("GET", "/interactions"),
    api.call("GET", "/outbox"),
    api.call("GET", `/audit${query}`),
    CampaignsPanel.load(api),
  ]);
  const [agentList, queueList, interactions, mails, log, campaignList] = loads;
  if (api.leaving) return;
  const changes = {};
  if (agentList.status === "fulfilled") changes.agents = agentList.value.agents ?? [];
  if (queueList.status === "fulfilled") changes.queues = queueList.value.queues ?? [];
  if (interactions.status === "fulfilled") {
    changes.interactions = interactions.value.interactions ?? [];
  }
  if (mails.status === "fulfilled") changes.outbox = mails.value.messages ?? [];
  if (campaignList.status === "fulfilled") changes.campaigns = campaignList.value;
  // The filters changed while this loaded: the next load has the right entries.
  if (log.status === "fulfilled" && query === audit.query()) {
    changes.audit = { entries: log.value.entries ?? [], query };
  }
  const failed = [agentList, queueList, interactions, mails, log, campaignList]
    .find((r) => r.status === "rejected");
  changes.status = { error: failed ? failed.reason : null, at: new Date() };
  store.update(changes);
  // How many loads the page has shown (tests wait for the next one instead of a time).
  document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
}

const banner = $("connection-banner");

function renderStatus({ error, at }) {
  const text = !error ? ""
    : error instanceof ApiFailure && error.status
      ? `The server refused an update: ${error.describe()}`
      : "The server cannot be reached \u2014 retrying every second\u2026";
  setText(banner, text);
  setHidden(banner, !text);
  setText($("live-status"), error ? "Not up to date"
    : `Live \u00B7 updated ${timeOfDay(at, { millis: false })}`);
}

store.subscribe((s) => {
  if (s.agents) {
    agents.render(s.agents);
    renderDestinations($("destinations"), s.agents);
    audit.renderAgentNames(s.agents);
  }
  if (s.queues) queues.render(s.queues);
  if (s.campaigns) campaigns.render(s.campaigns);
  if (s.interactions) live.render(s.interactions);
  if (s.outbox) outbox.render(s.outbox);
  if (s.audit) audit.render(s.audit);
  renderStatus(s.status);
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") poller.refresh().then(() => poller.schedule());
  else poller.stop();
});

$("logout").addEventListener("click", () => {
  poller.stop();
  api.logout();
});

poller.refresh().then(() => poller.schedule());
