// demo.js: the wwe-host demo third-party app (the integrator's playground).
//
// It uses only the public client library (window.genesys.wwe.service, loaded by a classic
// <script> before this module): one button per request of the API, the replies, and every
// event of every topic. Everything shown comes from the host and is rendered as text.

import { MESSENGER_CHANNEL, catalogue, describeContext, readContext } from "./demo-requests.js";

const service = window.genesys && window.genesys.wwe && window.genesys.wwe.service;

// Every topic, and the demo's messenger channel: what another demo frame of the same agent
// broadcasts on it shows up among the events.
const TOPICS = ["agent", "interaction", "media", "system", "markdone", "outbound", `messenger:${MESSENGER_CHANNEL}`];
const MAX_LOG_ENTRIES = 200;

// ---------------------------------------------------------------------------------------
// Small DOM helpers
// ---------------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function domId(...parts) {
  return parts.join("-").replace(/[^A-Za-z0-9_-]/g, "-");
}

function clock(date) {
  const pad = (n, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `.${pad(date.getMilliseconds(), 3)}`;
}

function timeElement(date) {
  return el("time", { datetime: date.toISOString(), className: "time", text: clock(date) });
}

function prettyJson(value) {
  if (value === undefined) return "(nothing)";
  try {
    return JSON.stringify(value, null, 2);
  } catch (error) {
    return String(value);
  }
}

function jsonBlock(value) {
  return el("pre", { className: "json", text: prettyJson(value) });
}

// Newest first, and never more than MAX_LOG_ENTRIES.
function prependEntry(log, entry) {
  log.prepend(entry);
  while (log.children.length > MAX_LOG_ENTRIES) {
    log.lastElementChild.remove();
  }
}

// ---------------------------------------------------------------------------------------
// The request forms
// ---------------------------------------------------------------------------------------

const forms = new Map(); // request name -> {form, button, badge, help, spec}

function renderNamespaces(container, groups) {
  for (const group of groups) {
    const headingId = domId("ns", group.namespace);
    const section = el(
      "section",
      { className: "namespace", "aria-labelledby": headingId },
      el("h3", { id: headingId, text: group.namespace }),
      el("p", { className: "namespace-about", text: group.about }),
    );
    const cards = el("div", { className: "cards" });
    for (const spec of group.requests) {
      cards.append(renderRequest(spec));
    }
    section.append(cards);
    container.append(section);
  }
}

function renderRequest(spec) {
  const form = el("form", { className: "request", "data-request": spec.name, novalidate: true });
  const helpId = domId("help", spec.name);
  const help = el("p", { id: helpId, className: "help", text: spec.help });
  form.append(help);
  for (const param of spec.params) {
    form.append(renderField(spec, param));
  }
  const badgeId = domId("not-allowed", spec.name);
  const button = el("button", { type: "submit", className: "send", text: spec.name });
  const badge = el("span", {
    id: badgeId,
    className: "badge",
    text: "not allowed for this frame",
    hidden: true,
  });
  button.setAttribute("aria-describedby", helpId);
  // The reply shows here, next to the button pressed (and in the side panels).
  const reply = el("div", { className: "inline-reply", "aria-live": "polite", hidden: true });
  form.append(el("div", { className: "send-row" }, button, badge), reply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitRequest(spec, form);
  });
  forms.set(spec.name, { form, button, badge, help, spec });
  return form;
}

function renderField(spec, param) {
  const inputId = domId("param", spec.name, param.name);
  const errorId = domId("error", spec.name, param.name);
  const label = el(
    "label",
    { for: inputId },
    el("span", { className: "visually-hidden", text: `${spec.name} ` }),
    param.name,
    param.optional ? el("span", { className: "optional", text: " (optional)" }) : null,
  );
  let input;
  if (param.kind === "json") {
    const lines = param.value ? param.value.split("\n").length : 1;
    input = el("textarea", {
      id: inputId,
      name: param.name,
      rows: Math.min(Math.max(lines + 1, 2), 10),
      wrap: "off",
      spellcheck: "false",
      placeholder: param.placeholder,
      className: "json-input",
    });
    input.value = param.value;
  } else {
    input = el("input", {
      id: inputId,
      name: param.name,
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: param.placeholder,
      value: param.value,
    });
  }
  input.dataset.kind = param.kind;
  const error = el("p", { id: errorId, className: "field-error", role: "alert", hidden: true });
  input.addEventListener("input", () => clearFieldError(input, error));
  return el("div", { className: "field" }, label, input, error);
}

function showFieldError(input, error, message) {
  error.textContent = message;
  error.hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", error.id);
}

function clearFieldError(input, error) {
  if (error.hidden) return;
  error.hidden = true;
  error.textContent = "";
  input.removeAttribute("aria-invalid");
  input.removeAttribute("aria-describedby");
}

// One parameter's value, or {error} when it cannot be sent.
function readParameter(param, raw) {
  if (param.kind === "state") {
    const trimmed = raw.trim();
    return { value: /^\d+$/.test(trimmed) ? Number(trimmed) : raw };
  }
  if (param.kind === "json") {
    if (raw.trim() === "") {
      return param.optional ? { value: undefined } : { error: "Enter a JSON value, e.g. {}." };
    }
    try {
      return { value: JSON.parse(raw) };
    } catch (error) {
      return { error: `Invalid JSON: ${error.message}` };
    }
  }
  if (param.optional && raw === "") return { value: undefined };
  return { value: raw };
}

// The positional parameters of a form, or null (with the errors shown) when any is invalid.
function readParameters(spec, form) {
  const values = [];
  let firstInvalid = null;
  for (const param of spec.params) {
    const input = form.elements.namedItem(param.name);
    const error = input.parentElement.querySelector(".field-error");
    const result = readParameter(param, input.value);
    if (result.error) {
      showFieldError(input, error, result.error);
      firstInvalid = firstInvalid || input;
    } else {
      clearFieldError(input, error);
      values.push(result.value);
    }
  }
  if (firstInvalid) {
    firstInvalid.focus();
    return null;
  }
  // Optional parameters left empty at the end are not sent at all.
  while (values.length && values[values.length - 1] === undefined) values.pop();
  return values;
}

function setFieldValue(requestName, paramName, value) {
  const entry = forms.get(requestName);
  const input = entry && entry.form.elements.namedItem(paramName);
  if (input) input.value = value;
}

// ---------------------------------------------------------------------------------------
// Sending a request and showing its reply
// ---------------------------------------------------------------------------------------

function submitRequest(spec, form) {
  const parameters = readParameters(spec, form);
  if (parameters === null) return;
  form.setAttribute("aria-busy", "true");
  send(spec.name, parameters, form).finally(() => form.removeAttribute("aria-busy"));
}

// Sends through the client library so that the exact request name goes on the wire; the
// reply shows in the form that sent it (if any), the last-reply panel and the log.
async function send(request, parameters, form = null) {
  const sentAt = new Date();
  const started = performance.now();
  let ok;
  let reply;
  try {
    reply = await service.sendMessage({ request, parameters });
    ok = true;
  } catch (failure) {
    reply = normalizeFailure(failure);
    ok = false;
  }
  const outcome = { request, parameters, reply, ok, sentAt, ms: Math.round(performance.now() - started) };
  showLastReply(outcome);
  if (form) showInlineReply(form, outcome);
  logReply(outcome);
  rememberToasts(outcome);
  return outcome;
}

function normalizeFailure(failure) {
  if (failure && typeof failure === "object" && "errorMessage" in failure) return failure;
  const message = failure instanceof Error ? failure.message : String(failure);
  return { errorCode: "CLIENT_ERROR", errorMessage: message };
}

function outcomeLabel(outcome) {
  return outcome.ok ? "ok" : outcome.reply.errorCode || "failed";
}

function outcomeBody(outcome) {
  if (outcome.ok) {
    return jsonBlock(outcome.reply.data);
  }
  return el(
    "div",
    { className: "failure" },
    el("p", { className: "error-code" }, "errorCode: ", el("code", { text: outcome.reply.errorCode || "(none)" })),
    el("p", { className: "error-message" }, "errorMessage: ", outcome.reply.errorMessage),
  );
}

function outcomeHead(outcome) {
  return el(
    "p",
    { className: "entry-head" },
    timeElement(outcome.sentAt),
    " ",
    el("code", { className: "request-name", text: outcome.request }),
    " ",
    el("span", { className: `outcome ${outcome.ok ? "ok" : "error"}`, text: outcomeLabel(outcome) }),
    " ",
    el("span", { className: "duration", text: `${outcome.ms} ms` }),
  );
}

function showLastReply(outcome) {
  const area = document.getElementById("last-reply");
  const sent = outcome.parameters.length ? JSON.stringify(outcome.parameters) : "no parameters";
  area.replaceChildren(
    outcomeHead(outcome),
    el("p", { className: "sent" }, "Sent: ", el("code", { text: sent })),
    outcomeBody(outcome),
  );
  area.dataset.outcome = outcome.ok ? "ok" : "error";
}

function showInlineReply(form, outcome) {
  const area = form.querySelector(".inline-reply");
  area.replaceChildren(outcomeHead(outcome), outcomeBody(outcome));
  area.dataset.outcome = outcome.ok ? "ok" : "error";
  area.hidden = false;
}

function logReply(outcome) {
  const entry = el("li", { className: `entry ${outcome.ok ? "ok" : "error"}` }, outcomeHead(outcome), outcomeBody(outcome));
  prependEntry(document.getElementById("replies"), entry);
}

// ---------------------------------------------------------------------------------------
// Toasts: remember what we popped up, to name the button the agent clicks
// ---------------------------------------------------------------------------------------

const toasts = new Map(); // toast id -> its parameters as last sent

function rememberToasts(outcome) {
  if (!outcome.ok) return;
  const [first, second] = outcome.parameters;
  const data = outcome.reply.data;
  if (outcome.request === "system.popupToast" && data !== null && data !== undefined) {
    const toastId = String(data);
    toasts.set(toastId, first && typeof first === "object" ? first : {});
    setFieldValue("system.updateToast", "id", toastId);
    setFieldValue("system.closeToast", "id", toastId);
  } else if (outcome.request === "system.openDialog" && typeof data === "string") {
    setFieldValue("system.closeDialog", "dialogId", data);
  } else if (outcome.request === "system.updateToast" && data === true && toasts.has(String(first))) {
    toasts.set(String(first), { ...toasts.get(String(first)), ...(second || {}) });
  }
}

function toastButtonLabels(parameters) {
  if (parameters.buttonShowDismiss) return ["Show", "Dismiss"];
  if (Array.isArray(parameters.buttons) && parameters.buttons.length) return parameters.buttons;
  return ["OK"];
}

function showToastClick(data, receivedAt) {
  const toastId = String(data.customToastId);
  const index = data.buttonIndex;
  const known = toasts.get(toastId);
  const label = known ? toastButtonLabels(known)[index] : undefined;
  const which = label === undefined ? `button ${index}` : `button ${index} “${label}”`;
  document.getElementById("toast-click").textContent =
    `${clock(receivedAt)}: the agent clicked ${which} on toast ${toastId}.`;
}

// ---------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------

function eventSummary(data) {
  if (!data || typeof data !== "object") return "";
  const interaction = data.interaction;
  if (interaction && typeof interaction === "object") {
    const parts = [interaction.media, interaction.state].filter(Boolean).join(", ");
    return `interaction ${interaction.interactionId}${parts ? ` (${parts})` : ""}`;
  }
  if (data.selectedCaseId !== undefined) return `case ${data.selectedCaseId}`;
  if (data.mediaState) return data.mediaState;
  if (data.media && data.state && data.state.type) return `${data.media}: ${data.state.type}`;
  if (data.customToastId !== undefined) return `toast ${data.customToastId}, button ${data.buttonIndex}`;
  return "";
}

function onEvent(message) {
  const receivedAt = new Date();
  const data = message.data;
  const messenger = String(message.event).startsWith("messenger:");
  const eventType = data && data.eventType ? String(data.eventType) : messenger ? "message" : "(no eventType)";
  const summary = eventSummary(data);
  const head = el(
    "p",
    { className: "entry-head" },
    timeElement(receivedAt),
    " ",
    el("span", { className: "topic", text: String(message.event) }),
    " ",
    el("code", { className: "event-type", text: eventType }),
    summary ? el("span", { className: "summary", text: ` ${summary}` }) : null,
  );
  const entry = el("div", { className: "entry event" }, head, jsonBlock(data));
  prependEntry(document.getElementById("events"), entry);
  if (eventType === "CUSTOM_TOAST_BUTTON_CLICK") showToastClick(data, receivedAt);
}

async function subscribeToEverything() {
  const line = document.getElementById("subscription");
  try {
    const reply = await service.subscribe(TOPICS, onEvent);
    const id = reply && reply.subscriptionId ? ` (${reply.subscriptionId})` : "";
    line.textContent = `Listening to ${TOPICS.join(", ")}${id}.`;
    line.classList.remove("error");
  } catch (failure) {
    const { errorCode, errorMessage } = normalizeFailure(failure);
    line.textContent = `Subscription refused: ${errorCode}: ${errorMessage}`;
    line.classList.add("error");
  }
}

// ---------------------------------------------------------------------------------------
// What this frame may use
// ---------------------------------------------------------------------------------------

function setAllowed(entry, allowed) {
  entry.badge.hidden = allowed;
  entry.form.classList.toggle("not-allowed", !allowed);
  const describedBy = allowed ? entry.help.id : `${entry.badge.id} ${entry.help.id}`;
  entry.button.setAttribute("aria-describedby", describedBy);
}

async function markAllowedServices() {
  const line = document.getElementById("allowed");
  const outcome = await send("system.getAllowedServices", []);
  if (outcome.ok && Array.isArray(outcome.reply.data)) {
    const allowed = new Set(outcome.reply.data);
    let count = 0;
    for (const [name, entry] of forms) {
      setAllowed(entry, allowed.has(name));
      if (allowed.has(name)) count += 1;
    }
    line.textContent = count === forms.size
      ? `This frame may use all ${count} requests.`
      : `This frame may use ${count} of the ${forms.size} requests; the others are marked ` +
        "“not allowed” but still send, to show the refusal.";
    line.classList.remove("error");
  } else if (!outcome.ok && outcome.reply.errorCode === "NOT_ALLOWED") {
    for (const entry of forms.values()) setAllowed(entry, false);
    line.textContent = `No request is allowed: ${outcome.reply.errorMessage}`;
    line.classList.add("error");
  } else {
    line.textContent = `Could not learn the allowed requests: ${outcome.reply.errorMessage || "unexpected reply"}`;
    line.classList.add("error");
  }
}

// ---------------------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------------------

function showConnected(info) {
  const status = document.getElementById("connection");
  status.textContent = `Connected as frame ${info.frameId} to ${info.origin}`;
  status.dataset.state = "connected";
  const alert = document.getElementById("connection-error");
  alert.hidden = true;
  alert.textContent = "";
}

function showConnectionError(message) {
  const status = document.getElementById("connection");
  status.dataset.state = "failed";
  const alert = document.getElementById("connection-error");
  alert.textContent = message;
  alert.hidden = false;
}

// Waits for the host's greeting; keeps waiting after a timeout, since a slow desktop may
// still greet us later.
async function waitForHost() {
  for (;;) {
    const started = performance.now();
    try {
      return await service.ready();
    } catch (error) {
      showConnectionError(error && error.message ? error.message : String(error));
      if (performance.now() - started < 1000) return null; // refused at once: give up
    }
  }
}

async function connect() {
  const info = await waitForHost();
  if (!info) return;
  showConnected(info);
  await Promise.all([subscribeToEverything(), markAllowedServices()]);
}

// ---------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------

function wireClearButtons() {
  document.getElementById("clear-replies").addEventListener("click", () => {
    document.getElementById("replies").replaceChildren();
  });
  document.getElementById("clear-events").addEventListener("click", () => {
    document.getElementById("events").replaceChildren();
  });
}

function start() {
  const context = readContext(window.location.search, window.location.origin + window.location.pathname);
  document.getElementById("context").textContent = describeContext(context);
  renderNamespaces(document.getElementById("namespaces"), catalogue(context));
  wireClearButtons();
  if (!service) {
    showConnectionError(
      "The client library did not load (/wwe-service-client-api.js): nothing can be sent.",
    );
    return;
  }
  connect();
}

start();
