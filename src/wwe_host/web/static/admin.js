// The admin page: agents, live interactions with editable attached data, the simulator's
// push forms, the outbox and the audit log, from the REST API under /api/v1 (the session
// cookie of a ROLE_ADMIN user; same origin, so changes are accepted).
//
// Polled every second while the tab is visible, and right after every action. Rendering is
// keyed: rows and cards are created once and updated in place, so focus and typed text stay.
// Everything from the server is rendered as text (textContent, createElement), never HTML.

import { $, h, keyValueRow, setAttr, setHidden, setText, syncInput } from "./dom.js";

const POLL_MS = 1_000;
const AUDIT_LIMIT = 100;
const CHAT_IDS_KEY = "wwe-host.admin.chatIds";

// --- DOM helpers -------------------------------------------------------------------------------

/**
 * Replace the children of `container` when `signature` changed. If focus was inside, it
 * moves to the element with the same data-key, else to the first control.
 */
const signatures = new WeakMap(); // container → what it was last built from

function rebuild(container, signature, build) {
  if (signatures.get(container) === signature) return;
  signatures.set(container, signature);
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  const key = focused?.dataset?.key;
  container.replaceChildren(...build().flat(Infinity).filter((c) => c !== null && c !== undefined
    && c !== false));
  if (focused) {
    const again = (key && container.querySelector(`[data-key="${CSS.escape(key)}"]`))
      || container.querySelector("button, input, select, textarea");
    again?.focus();
  }
}

/** Put `el` right after `previous` (or first) in `parent`, moving it only if needed. */
function placeAfter(parent, el, previous) {
  const wanted = previous ? previous.nextSibling : parent.firstChild;
  if (wanted !== el) parent.insertBefore(el, wanted);
}

/**
 * Keyed rows of a list or table body: `make(key)` creates an entry {el, ...} once,
 * `update(entry, item)` refreshes it; entries of keys no longer present are removed.
 */
function syncKeyed(parent, map, items, keyOf, make, update) {
  const keys = new Set();
  let previous = null;
  for (const item of items) {
    const key = keyOf(item);
    keys.add(key);
    let entry = map.get(key);
    if (!entry) {
      entry = make(key, item);
      map.set(key, entry);
    }
    update(entry, item);
    placeAfter(parent, entry.el, previous);
    previous = entry.el;
  }
  for (const [key, entry] of map) {
    if (!keys.has(key)) {
      entry.el.remove();
      map.delete(key);
    }
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

const two = (n) => String(n).padStart(2, "0");

/** Unix seconds → a <time> with local HH:MM:SS.mmm (and the date when not today). */
function timeCell(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return h("td", { text: "" });
  const d = new Date(seconds * 1000);
  const now = new Date();
  const day = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  const today = d.toDateString() === now.toDateString();
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`
    + `.${String(d.getMilliseconds()).padStart(3, "0")}`;
  return h("td", { class: "t-time" },
    h("time", { datetime: d.toISOString(), title: `${day} ${clock}`,
      text: today ? clock : `${day} ${clock}` }));
}

const MEDIA_NOUN = { voice: "Voice call", email: "E-mail", chat: "Chat" };

function partiesOf(i) {
  const names = (i.parties ?? []).map((p) => p?.name).filter(Boolean);
  if (names.length) return names.join(", ");
  if (i.media === "email") return i.from || i.to || "";
  return i.ani || i.dnis || "";
}

function stateText(state) {
  if (!state) return "";
  const name = state.displayName || state.type || "";
  return state.reason ? `${name} (${state.reason})` : name;
}

function outcomeKind(outcome) {
  const text = String(outcome ?? "");
  if (text.startsWith("refused") || text === "quarantined") return "refused";
  if (text === "failed") return "failed";
  if (text === "allowed") return "ok";
  return "";
}

// --- the REST API ------------------------------------------------------------------------------

class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  describe() {
    return this.status ? `Refused (${this.status} ${this.code}): ${this.message}` : this.message;
  }
}

let leaving = false;

/** One API call with the session cookie; the parsed JSON answer, or throws ApiFailure. */
async function api(method, path, body) {
  const init = {
    method,
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiFailure(0, "UNREACHABLE", "The server cannot be reached.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch { /* not JSON */ }
  if (response.status === 401 && !leaving) {
    // The session ended (logout elsewhere, inactivity, restart with a new store): log in again.
    leaving = true;
    window.location.assign("/?ended=session");
  }
  if (!response.ok) {
    throw new ApiFailure(response.status, data?.error?.code ?? "ERROR",
      data?.error?.message ?? `HTTP ${response.status}`);
  }
  return data;
}

const actionError = $("action-error");

function showActionError(text) {
  setText(actionError, text);
}

/** Run an action of the live lists; a refusal is shown; the lists are refreshed either way. */
async function act(method, path, body) {
  try {
    const data = await api(method, path, body);
    showActionError("");
    return { ok: true, data };
  } catch (error) {
    showActionError(error instanceof ApiFailure ? error.describe() : String(error));
    return { ok: false, error };
  } finally {
    refresh();
  }
}

const segment = (value) => encodeURIComponent(String(value));

// --- chats this page pushed: their chatId (the interaction list does not carry it) -------------

const chatIds = new Map(); // interactionUUID → chatId
try {
  for (const [uuid, id] of JSON.parse(sessionStorage.getItem(CHAT_IDS_KEY) ?? "[]")) {
    chatIds.set(String(uuid), String(id));
  }
} catch { /* nothing remembered */ }

function rememberChat(uuid, chatId) {
  if (!uuid || !chatId) return;
  chatIds.set(uuid, chatId);
  try {
    sessionStorage.setItem(CHAT_IDS_KEY, JSON.stringify([...chatIds].slice(-200)));
  } catch { /* storage full or disabled: kept for this page only */ }
}

function chatIdOf(i) {
  return i.chatId ?? chatIds.get(i.interactionUUID) ?? null;
}

// --- agents ------------------------------------------------------------------------------------

const agentRows = new Map();

function renderAgents(agents) {
  syncKeyed($("agent-rows"), agentRows, agents, (a) => a.username, (username) => {
    const cells = {
      username: h("th", { scope: "row", class: "mono", text: username }),
      name: h("td"),
      number: h("td", { class: "mono" }),
      loggedIn: h("td"),
      state: h("td"),
      media: h("td", { class: "media-states-cell" }),
      count: h("td", { class: "num" }),
    };
    return { el: h("tr", { dataset: { agent: username } }, Object.values(cells)), cells };
  }, ({ el, cells }, a) => {
    setText(cells.name, `${a.firstname ?? ""} ${a.lastname ?? ""}`.trim());
    setText(cells.number, a.number);
    setText(cells.loggedIn, a.loggedIn ? "Yes" : "No");
    el.dataset.loggedIn = String(Boolean(a.loggedIn));
    setText(cells.state, stateText(a.state));
    cells.state.dataset.state = a.state?.type ?? "";
    const media = Object.entries(a.mediaStates ?? {});
    setText(cells.media, media.map(([name, state]) => `${name}: ${stateText(state)}`).join(" · "));
    setText(cells.count, String(a.interactions ?? 0));
  });
  renderDestinations(agents);
}

/** The agents in the push forms' list of destinations (the server put the queues there). */
function renderDestinations(agents) {
  const list = $("destinations");
  const signature = JSON.stringify(agents.map((a) => [a.username, a.number, a.loggedIn]));
  if (signatures.get(list) !== signature) {
    signatures.set(list, signature);
    for (const option of list.querySelectorAll("option[data-agent]")) option.remove();
    const queues = list.firstChild;
    for (const a of agents) {
      const name = `${a.firstname ?? ""} ${a.lastname ?? ""}`.trim();
      const label = `${name} (DN ${a.number})${a.loggedIn ? "" : ", logged out"}`;
      list.insertBefore(h("option", { value: a.username, label, dataset: { agent: a.username } }),
        queues);
    }
  }
  rebuild($("audit-agent-names"), JSON.stringify(agents.map((a) => a.username)),
    () => agents.map((a) => h("option", { value: a.username })));
}

// --- live interactions -------------------------------------------------------------------------

/** The typed value to send: a number or boolean stays one when the text still reads as one. */
function typedValue(original, text) {
  if (typeof original === "number" && text.trim() !== "" && Number.isFinite(Number(text))) {
    return Number(text);
  }
  if (typeof original === "boolean" && (text === "true" || text === "false")) {
    return text === "true";
  }
  return text;
}

class InteractionCard {
  constructor(uuid) {
    this.uuid = uuid;
    this.data = {};
    this.rows = new Map(); // key → {el, input}
    this.title = h("span", { class: "ix-title" });
    this.state = h("span", { class: "state-badge" });
    this.agent = h("span", { class: "ix-agent" });
    this.facts = h("dl", { class: "facts" });
    this.sim = h("div", { class: "sim-actions" });
    this.chatNote = h("p", { class: "hint" });
    this.chatForm = null;
    this.dataBody = h("tbody");
    this.noData = h("p", { class: "empty", text: "No attached data." });
    const caption = h("caption", { class: "visually-hidden", text: "Attached data" });
    this.newKey = h("input", { type: "text", "aria-label": "New key", placeholder: "New key",
      autocomplete: "off", spellcheck: "false" });
    this.newValue = h("input", { type: "text", "aria-label": "New value",
      placeholder: "New value", autocomplete: "off" });
    const addForm = h("form", { class: "kv-add", novalidate: true }, this.newKey, this.newValue,
      h("button", { type: "submit" }, "Add"));
    addForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
    this.el = h("li", { class: "ix-item", dataset: { interactionUuid: uuid } },
      h("article", { class: "ix" },
        h("div", { class: "ix-head" }, this.title, this.state, this.agent),
        this.facts, this.sim, this.chatNote,
        h("div", { class: "ix-data" },
          h("h3", { class: "ix-data-heading", text: "Attached data" }),
          this.noData,
          h("table", { class: "kv-table" }, caption, this.dataBody),
          addForm)));
    this.article = this.el.firstChild;
  }

  update(i) {
    this.interaction = i;
    const noun = MEDIA_NOUN[i.media] ?? String(i.media);
    const parties = partiesOf(i);
    setAttr(this.article, "aria-label", `${noun}${parties ? ` \u2013 ${parties}` : ""}`
      + ` \u2013 ${i.agent}`);
    this.el.dataset.agent = i.agent ?? "";
    this.el.dataset.state = i.state ?? "";
    this.el.dataset.media = i.media ?? "";
    setText(this.title, `${noun}${parties ? ` \u00B7 ${parties}` : ""}`);
    setText(this.state, i.state);
    setText(this.agent, `agent ${i.agent}`);

    const facts = [
      ["Agent", i.agent], ["Media", i.media], ["State", i.state], ["Parties", parties],
      ["Interaction UUID", i.interactionUUID], ["Interaction id", i.interactionId],
    ];
    if (i.media === "voice") {
      facts.push(["Call UUID", i.callUuid], ["Direction", i.direction], ["Call type", i.callType],
        ["ANI", i.ani], ["DNIS", i.dnis]);
    } else if (i.media === "email") {
      facts.push(["From", i.from], ["To", i.to], ["Subject", i.subject]);
    } else if (i.media === "chat") {
      facts.push(["Messages", i.messages], ["Chat id", chatIdOf(i)]);
    }
    const shown = facts.filter(([, v]) => v !== null && v !== undefined && v !== "");
    rebuild(this.facts, JSON.stringify(shown), () => shown.map(([k, v]) => h("div",
      { class: "fact" }, h("dt", { text: k }), h("dd", { text: asText(v) }))));

    this.updateSim(i);
    this.updateData(i.userData ?? {});
  }

  updateSim(i) {
    const buttons = [];
    if (i.media === "voice" && i.callUuid) {
      if (i.direction === "OUT" && i.state === "DIALING") {
        buttons.push(["Far end answers", "answer"]);
      }
      if (i.state !== "IDLE") buttons.push(["Far end hangs up", "hangup"]);
    }
    const chatId = i.media === "chat" ? chatIdOf(i) : null;
    const chatOpen = i.media === "chat" && (i.state === "INVITED" || i.state === "ACCEPTED");
    if (chatOpen && chatId) buttons.push(["Customer leaves", "end"]);
    rebuild(this.sim, JSON.stringify(buttons), () => buttons.map(([label, what]) => h("button", {
      type: "button", class: what === "answer" ? "good" : "bad", dataset: { key: label },
      onclick: () => (i.media === "voice"
        ? act("POST", `/sim/calls/${segment(this.interaction.callUuid)}/${what}`)
        : act("POST", `/sim/chats/${segment(chatIdOf(this.interaction))}/end`)),
    }, label)));

    setText(this.chatNote, chatOpen && !chatId
      ? "Pushed from elsewhere: this page does not know its chat id, so it cannot write or "
        + "leave as the customer." : "");
    setHidden(this.chatNote, !(chatOpen && !chatId));

    if (chatOpen && chatId && !this.chatForm) this.chatForm = this.buildChatForm();
    if (this.chatForm) setHidden(this.chatForm, !(chatOpen && chatId));
  }

  buildChatForm() {
    const id = `chat-${this.uuid}`.replace(/[^\w-]/g, "_");
    const input = h("input", { type: "text", id, autocomplete: "off" });
    const form = h("form", { class: "customer-form", novalidate: true },
      h("label", { for: id, text: "Customer writes" }), input,
      h("button", { type: "submit", class: "primary" }, "Send"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const message = input.value;
      if (!message.trim()) {
        showActionError("Enter what the customer writes.");
        input.focus();
        return;
      }
      const chatId = chatIdOf(this.interaction);
      const result = await act("POST", `/sim/chats/${segment(chatId)}/messages`, { message });
      if (result.ok && input.value === message) input.value = "";
    });
    this.sim.after(form);
    return form;
  }

  updateData(data) {
    this.data = data;
    const entries = Object.entries(data);
    setHidden(this.noData, entries.length > 0);
    syncKeyed(this.dataBody, this.rows, entries, ([key]) => key, (key) => this.makeRow(key),
      (row, [, value]) => syncInput(row.input, asText(value)));
  }

  makeRow(key) {
    const path = () => `/interactions/${segment(this.uuid)}/user-data`;
    const { tr, input } = keyValueRow(key, {
      save: (text) => act("PATCH", path(), { [key]: typedValue(this.data[key], text) }),
      remove: () => act("PATCH", path(), { [key]: null }),
    });
    return { el: tr, input };
  }

  async add() {
    const key = this.newKey.value.trim();
    if (!key) {
      showActionError("Enter a key for the new attached data.");
      this.newKey.focus();
      return;
    }
    const result = await act("PATCH", `/interactions/${segment(this.uuid)}/user-data`,
      { [key]: this.newValue.value });
    if (result.ok) {
      this.newKey.value = "";
      this.newValue.value = "";
      this.newKey.focus();
    }
  }
}

const cards = new Map();

function renderInteractions(interactions) {
  syncKeyed($("interaction-list"), cards, interactions, (i) => i.interactionUUID,
    (uuid) => new InteractionCard(uuid), (card, i) => card.update(i));
  setHidden($("no-interactions"), interactions.length > 0);
}

// --- outbox and audit log ----------------------------------------------------------------------

/** Text-only tables: rebuilt when their content changed (nothing in them takes focus). */
function renderOutbox(messages) {
  const newest = [...messages].reverse();
  rebuild($("outbox-rows"), JSON.stringify(newest), () => newest.map((m) => {
    const status = String(m.status ?? "");
    const kind = status === "sent" ? "ok" : status.startsWith("failed") ? "failed" : "";
    return h("tr", { dataset: { outcome: kind } }, timeCell(m.at),
      h("td", { class: "mono", text: m.from ?? "" }), h("td", { class: "mono", text: m.to ?? "" }),
      h("td", { text: m.subject ?? "" }), h("td", { class: "outcome", text: status }));
  }));
  setHidden($("no-outbox"), messages.length > 0);
  setHidden($("outbox-table"), messages.length === 0);
}

function renderAudit(entries) {
  const newest = [...entries].reverse();
  const cell = (className, text) => h("td", { class: className, text: text ?? "" });
  rebuild($("audit-rows"), JSON.stringify(newest), () => newest.map((e) => h("tr",
    { dataset: { outcome: outcomeKind(e.outcome) } },
    timeCell(e.at),
    cell("", e.agent),
    cell("mono", e.frame),
    cell("mono", e.origin),
    cell("mono", e.request),
    cell("outcome", e.outcome),
    cell("t-detail", e.detail),
    cell("num", typeof e.durationMs === "number" ? `${e.durationMs.toFixed(1)} ms` : ""))));
  setHidden($("no-audit"), entries.length > 0);
  setHidden($("audit-table"), entries.length === 0);
  const filtered = auditQuery() !== `?limit=${AUDIT_LIMIT}`;
  setText($("audit-count"), `${entries.length} ${entries.length === 1 ? "entry" : "entries"}`
    + `${filtered ? " (filtered)" : ""}, newest first; the last ${AUDIT_LIMIT} at most`);
}

function auditQuery() {
  const params = new URLSearchParams();
  const agent = $("audit-agent").value.trim();
  const outcome = $("audit-outcome").value.trim();
  if (agent) params.set("agent", agent);
  if (outcome) params.set("outcome", outcome);
  params.set("limit", String(AUDIT_LIMIT));
  return `?${params}`;
}

let filterTimer = null;
$("audit-filters").addEventListener("input", () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(refresh, 200);
});
$("audit-filters").addEventListener("submit", (event) => {
  event.preventDefault();
  refresh();
});

// --- polling -----------------------------------------------------------------------------------

const banner = $("connection-banner");

function showBanner(text) {
  setText(banner, text);
  setHidden(banner, !text);
}

async function load() {
  const audit = auditQuery();
  const [agents, interactions, outbox, log] = await Promise.allSettled([
    api("GET", "/agents"),
    api("GET", "/interactions"),
    api("GET", "/outbox"),
    api("GET", `/audit${audit}`),
  ]);
  if (leaving) return;
  if (agents.status === "fulfilled") renderAgents(agents.value.agents ?? []);
  if (interactions.status === "fulfilled") {
    renderInteractions(interactions.value.interactions ?? []);
  }
  if (outbox.status === "fulfilled") renderOutbox(outbox.value.messages ?? []);
  if (log.status === "fulfilled" && audit === auditQuery()) renderAudit(log.value.entries ?? []);
  const failed = [agents, interactions, outbox, log].find((r) => r.status === "rejected");
  if (failed) {
    const error = failed.reason;
    showBanner(error instanceof ApiFailure && error.status
      ? `The server refused an update: ${error.describe()}`
      : "The server cannot be reached \u2014 retrying every second\u2026");
    setText($("live-status"), "Not up to date");
  } else {
    showBanner("");
    const d = new Date();
    setText($("live-status"),
      `Live \u00B7 updated ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`);
  }
}

let running = null;
let again = false;

/** Load everything now; a call while a load runs makes one more load after it. */
function refresh() {
  if (running) {
    again = true;
    return running;
  }
  running = load().catch(() => {}).finally(() => {
    running = null;
    if (again) {
      again = false;
      refresh();
    }
  });
  return running;
}

let timer = null;

function schedule() {
  clearTimeout(timer);
  timer = null;
  if (document.visibilityState !== "visible" || leaving) return;
  timer = setTimeout(async () => {
    await refresh();
    schedule();
  }, POLL_MS);
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") refresh().then(schedule);
  else {
    clearTimeout(timer);
    timer = null;
  }
});

// --- push forms --------------------------------------------------------------------------------

/** `key=value` lines → an object; blank lines are skipped; `k=a=b` gives `a=b`. */
function parseData(text) {
  const data = {};
  const lines = text.split(/\r?\n/);
  for (const [n, line] of lines.entries()) {
    if (!line.trim()) continue;
    const at = line.indexOf("=");
    const key = at < 0 ? "" : line.slice(0, at).trim();
    if (!key) throw new Error(`Attached data, line ${n + 1}: expected key=value, got '${line}'.`);
    data[key] = line.slice(at + 1);
  }
  return data;
}

function pushForm(form, path, body, after = () => {}) {
  const answer = form.querySelector(".answer");
  const error = form.querySelector(".form-error");
  const submit = form.querySelector("button[type=submit]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    setText(error, "");
    let payload;
    try {
      payload = body(form.elements);
    } catch (problem) {
      setText(answer, "");
      setText(error, problem.message);
      return;
    }
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const data = await api("POST", path, payload);
      setText(answer, JSON.stringify(data, null, 2));
      after(data);
    } catch (problem) {
      setText(answer, "");
      setText(error, problem instanceof ApiFailure ? problem.describe() : String(problem));
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
      refresh();
    }
  });
}

pushForm($("push-call"), "/sim/calls", (f) => {
  const payload = { to: f.to.value.trim(), from: f.from.value.trim() };
  if (f.dnis.value.trim()) payload.dnis = f.dnis.value.trim();
  const userData = parseData(f.userData.value);
  if (Object.keys(userData).length) payload.userData = userData;
  return payload;
});

pushForm($("push-email"), "/sim/emails", (f) => ({
  to: f.to.value.trim(), from: f.from.value.trim(), subject: f.subject.value, body: f.body.value,
}));

pushForm($("push-chat"), "/sim/chats", (f) => ({
  to: f.to.value.trim(), from: f.from.value.trim(), message: f.message.value,
}), (data) => rememberChat(data?.interactionUUID, data?.chatId));

// --- header ------------------------------------------------------------------------------------

$("logout").addEventListener("click", async () => {
  leaving = true;
  clearTimeout(timer);
  try {
    await fetch("/api/v1/logout", { method: "POST", credentials: "same-origin" });
  } catch { /* the session ends on the server anyway when it can be reached */ }
  window.location.assign("/?ended=logout");
});

refresh().then(schedule);
