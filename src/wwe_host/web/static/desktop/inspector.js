// The traffic inspector (spec desktop.md): every request, reply, event and greeting of every
// frame, with its outcome. The relay adds a row as it sees a message; the server's verdict
// (a `traffic` message) completes the row of that request.
//
// The reader can filter the rows (free text, one request, one kind of outcome), select a row
// to read its payload (the message as the frame sent it or received it), and export the
// rows shown as a JSON file. The controls are built here, into the panel's head, so the
// page's markup stays as it is.

import { h, setText } from "../shared/dom.js";
import { clock, millisText, outcomeKind } from "../shared/format.js";

export const INSPECTOR_ROWS = 500;

// The outcome filter: a choice → whether a row's outcome matches it.
export const OUTCOME_FILTERS = {
  "": { label: "All outcomes", test: () => true },
  ok: { label: "Succeeded", test: (row) => outcomeKind(row.outcome) === "ok" },
  refused: { label: "Refused", test: (row) => outcomeKind(row.outcome) === "refused" },
  failed: { label: "Failed", test: (row) => outcomeKind(row.outcome) === "failed" },
  pending: { label: "No answer yet", test: (row) => row.pending },
};

/** The request a row is about: the first word (an event row reads "event TYPE"). */
export function requestOf(row) {
  return row.kind === "note" || row.kind === "greeting" ? "" : row.request.split(" ")[0];
}

/** A payload as the reader sees it: JSON text, indented (a string of JSON is parsed first). */
export function payloadText(payload) {
  if (payload === undefined || payload === null) return "";
  let value = payload;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return value;
    }
  }
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** A row as exported: plain data, the time in ISO 8601, the payload as JSON (parsed). */
export function exportRow(row, frameLabel = () => "") {
  let payload = row.payload ?? null;
  if (typeof payload === "string") {
    try {
      payload = JSON.parse(payload);
    } catch { /* kept as the text it was */ }
  }
  return {
    at: new Date(row.at).toISOString(),
    kind: row.kind,
    frameId: row.frameId,
    app: row.frameId ? frameLabel(row.frameId) : "",
    origin: row.origin,
    request: row.request,
    referenceId: row.referenceId ?? null,
    outcome: row.pending ? "" : row.outcome,
    detail: row.detail,
    durationMs: typeof row.durationMs === "number" ? row.durationMs : null,
    payload,
  };
}

/** The file name of an export: wwe-host-traffic-YYYYMMDD-HHMMSS.json (local time). */
export function exportName(date) {
  const two = (n) => String(n).padStart(2, "0");
  return `wwe-host-traffic-${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`
    + `-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}.json`;
}

/** Save text as a file of the user's downloads (a Blob behind a temporary link). */
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export class TrafficInspector {
  /**
   * @param {object} parts
   * @param {HTMLElement} parts.panel   the inspector section (hidden while closed)
   * @param {HTMLElement} parts.body    its table body
   * @param {HTMLElement} parts.toggle  the header button that opens and closes it
   * @param {HTMLElement} parts.count   "n of the last 500"
   * @param {HTMLElement} parts.clear   the Clear button
   * @param {(frameId: string) => string} parts.frameLabel  the app of a frame, e.g. "CRM #3"
   * @param {(name: string, text: string) => void} [parts.save]  where an export goes
   * @param {() => Date} [parts.now]
   */
  constructor({ panel, body, toggle, count, clear, frameLabel, save = download,
    now = () => new Date() }) {
    this.body = body;
    this.panel = panel;
    this.toggle = toggle;
    this.count = count;
    this.frameLabel = frameLabel;
    this.save = save;
    this.now = now;
    // Oldest first. A row is data; its <tr> is built only while the panel is open, because
    // this runs for every message a frame sends or receives.
    // {at, kind, frameId, origin, request, outcome, detail, durationMs, pending, payload, tr}
    this.rows = [];
    this.filter = { text: "", request: "", outcome: "" };
    this.requests = new Set(); // the request names seen, for the request filter
    this.selected = null;
    this.byTr = new WeakMap(); // <tr> → its row
    this.buildControls(clear);
    this.toggle.addEventListener("click", () => this.setOpen(this.panel.hidden));
    clear.addEventListener("click", () => this.clear());
  }

  // --- the controls -------------------------------------------------------------------

  buildControls(clear) {
    const text = h("input", { type: "search", class: "inspector-text", placeholder: "Filter",
      "aria-label": "Filter the traffic by text", autocomplete: "off", spellcheck: "false" });
    const request = h("select", { class: "inspector-request", "aria-label": "Request" },
      h("option", { value: "", text: "All requests" }));
    const outcome = h("select", { class: "inspector-outcome", "aria-label": "Outcome" },
      Object.entries(OUTCOME_FILTERS).map(([value, { label }]) => h("option", { value,
        text: label })));
    const exporter = h("button", { type: "button", class: "inspector-export",
      text: "Export JSON", title: "Download the rows shown as a JSON file" });
    const changed = () => this.setFilter({ text: text.value, request: request.value,
      outcome: outcome.value });
    text.addEventListener("input", changed);
    request.addEventListener("change", changed);
    outcome.addEventListener("change", changed);
    exporter.addEventListener("click", () => this.exportShown());
    this.controls = { text, request, outcome, exporter };
    const filters = h("div", { class: "inspector-filters", role: "search",
      "aria-label": "Traffic filters" }, text, request, outcome);
    clear.parentElement.insertBefore(filters, clear);
    clear.parentElement.insertBefore(exporter, clear);

    this.payloadTitle = h("h3", { class: "inspector-payload-title", id: "inspector-payload-title",
      text: "Payload" });
    this.payloadFacts = h("p", { class: "inspector-payload-facts" });
    this.payloadText = h("pre", { class: "inspector-payload-text", tabindex: "0",
      "aria-labelledby": "inspector-payload-title" });
    this.payload = h("section", { class: "inspector-payload", hidden: true,
      "aria-labelledby": "inspector-payload-title" },
    h("div", { class: "inspector-payload-head" }, this.payloadTitle,
      h("button", { type: "button", class: "inspector-payload-close", text: "Close",
        onclick: () => this.select(null) })),
    this.payloadFacts, this.payloadText);
    this.panel.append(this.payload);

    // Rows are picked with the mouse, or with the arrow keys once the table has focus.
    this.body.setAttribute("tabindex", "0");
    this.body.setAttribute("aria-label",
      "Traffic rows: click a row, or use the up and down arrow keys, to see its payload");
    this.body.addEventListener("click", (event) => {
      const tr = event.target?.closest?.("tr");
      const row = tr ? this.byTr.get(tr) : null;
      if (row) this.select(row);
    });
    this.body.addEventListener("keydown", (event) => this.onKey(event));
  }

  onKey(event) {
    if (event.key === "Escape") {
      this.select(null);
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const shown = this.rows.filter((row) => this.matches(row));
    if (!shown.length) return;
    const at = shown.indexOf(this.selected);
    const next = at < 0 ? (event.key === "ArrowDown" ? 0 : shown.length - 1)
      : Math.min(shown.length - 1, Math.max(0, at + (event.key === "ArrowDown" ? 1 : -1)));
    this.select(shown[next]);
    shown[next].tr?.scrollIntoView?.({ block: "nearest" });
  }

  // --- opening, clearing, counting --------------------------------------------------------

  get open() {
    return !this.panel.hidden;
  }

  get filtered() {
    return Boolean(this.filter.text || this.filter.request || this.filter.outcome);
  }

  setOpen(open) {
    this.panel.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("inspector-open", open);
    if (open) {
      this.body.replaceChildren(...this.rows.map((row) => this.build(row)));
      this.syncRequests();
      this.updateCount();
      const scroller = this.body.closest(".inspector-scroll");
      scroller.scrollTop = scroller.scrollHeight; // the newest rows are at the bottom
    }
  }

  clear() {
    this.rows = [];
    this.body.replaceChildren();
    this.select(null);
    this.updateCount();
  }

  updateCount() {
    const kept = `${this.rows.length} of the last ${INSPECTOR_ROWS}`;
    if (!this.filtered) {
      setText(this.count, kept);
      return;
    }
    const shown = this.rows.filter((row) => this.matches(row)).length;
    setText(this.count, `${shown} shown (filtered) \u00B7 ${kept}`);
  }

  // --- rows ---------------------------------------------------------------------------

  /** A row the relay saw: request (from a frame), reply / event (to a frame), greeting. */
  add({ kind, frameId = "", origin = "", request = "", outcome, detail = "", durationMs, at,
    payload, referenceId }) {
    const pending = kind === "request" && outcome === undefined;
    const row = { at: at ?? Date.now(), kind, frameId, origin, request,
      outcome: outcome ?? (pending ? "…" : ""), detail, durationMs, pending, payload,
      referenceId, tr: null };
    this.rows.push(row);
    while (this.rows.length > INSPECTOR_ROWS) {
      const gone = this.rows.shift();
      gone.tr?.remove();
      if (gone === this.selected) this.select(null);
    }
    if (this.open) {
      // Follow new rows only if the reader is at the bottom already.
      const scroller = this.body.closest(".inspector-scroll");
      const follow = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
      this.body.append(this.build(row));
      if (follow) scroller.scrollTop = scroller.scrollHeight;
      this.noteRequest(row);
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
        row.frameId ? h("span", { class: "detail", text: this.frameLabel(row.frameId) }) : null),
      origin: h("td", { class: "t-origin", text: row.origin }),
      request: h("td", { class: "t-request", text: row.request }),
      outcome: h("td", { class: "t-outcome" }),
      duration: h("td", { class: "t-duration" }),
    };
    row.cells = cells;
    row.tr = h("tr", { class: `kind-${row.kind}` }, Object.values(cells));
    this.byTr.set(row.tr, row);
    if (row === this.selected) row.tr.setAttribute("aria-selected", "true");
    this.paint(row);
    return row.tr;
  }

  fill(row, outcome, detail, durationMs) {
    row.outcome = outcome;
    row.detail = detail;
    row.durationMs = durationMs;
    if (row.tr) this.paint(row);
    if (row === this.selected) this.showPayload(row);
  }

  paint(row) {
    const { outcome, detail, durationMs } = row;
    const cell = row.cells.outcome;
    cell.replaceChildren(h("span", { class: "outcome", text: outcome }));
    if (detail) cell.append(h("span", { class: "detail", text: detail }));
    row.tr.dataset.outcome = outcomeKind(outcome);
    setText(row.cells.duration, millisText(durationMs));
    row.tr.hidden = !this.matches(row);
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
      if (this.open && this.filtered) this.updateCount();
      return;
    }
    this.add({ kind: "request", frameId: entry.frameId, origin: entry.origin, request,
      outcome: String(entry.outcome ?? ""), detail: entry.detail ?? "",
      durationMs: entry.durationMs,
      at: typeof entry.at === "number" ? entry.at * 1000 : undefined });
  }

  note(text) {
    this.add({ kind: "note", request: text, outcome: "" });
  }

  // --- filtering ----------------------------------------------------------------------

  /** Whether a row passes the filter: all of the text, the request and the outcome. */
  matches(row) {
    const { text, request, outcome } = this.filter;
    if (request && requestOf(row) !== request) return false;
    if (outcome && !OUTCOME_FILTERS[outcome]?.test(row)) return false;
    if (!text) return true;
    const needle = text.trim().toLowerCase();
    const label = row.frameId ? this.frameLabel(row.frameId) : "";
    return [row.kind, row.frameId, label, row.origin, row.request, row.outcome, row.detail]
      .some((value) => String(value ?? "").toLowerCase().includes(needle));
  }

  setFilter(filter) {
    this.filter = { ...this.filter, ...filter };
    for (const row of this.rows) if (row.tr) row.tr.hidden = !this.matches(row);
    if (this.selected && !this.matches(this.selected)) this.select(null);
    this.updateCount();
  }

  noteRequest(row) {
    const name = requestOf(row);
    if (!name || this.requests.has(name)) return;
    this.requests.add(name);
    const select = this.controls.request;
    const option = h("option", { value: name, text: name });
    const after = [...select.querySelectorAll("option")].slice(1)
      .find((o) => o.value.localeCompare(name) > 0);
    select.insertBefore(option, after ?? null);
  }

  syncRequests() {
    for (const row of this.rows) this.noteRequest(row);
  }

  // --- the payload view ------------------------------------------------------------------

  select(row) {
    if (this.selected?.tr) this.selected.tr.removeAttribute("aria-selected");
    this.selected = row;
    this.panel.classList.toggle("has-payload", Boolean(row));
    this.payload.hidden = !row;
    if (!row) return;
    row.tr?.setAttribute("aria-selected", "true");
    this.showPayload(row);
  }

  showPayload(row) {
    const label = row.frameId ? this.frameLabel(row.frameId) : "";
    setText(this.payloadTitle, `Payload: ${row.kind} ${row.request}`.trim());
    const frame = row.frameId && `frame ${row.frameId}${label ? ` (${label})` : ""}`;
    const reference = row.referenceId !== undefined && row.referenceId !== null
      && `referenceId ${row.referenceId}`;
    const facts = [clock(row.at), frame, row.origin, reference, !row.pending && row.outcome,
      row.detail, millisText(row.durationMs)];
    setText(this.payloadFacts, facts.filter(Boolean).join(" \u00B7 "));
    setText(this.payloadText, payloadText(row.payload)
      || "No payload was recorded for this row (a note, or a verdict of the server on a "
        + "request the desktop did not see).");
  }

  // --- export -------------------------------------------------------------------------

  /** The rows shown (all of them when no filter is set), as the text of a JSON file. */
  exportText() {
    const rows = this.rows.filter((row) => this.matches(row))
      .map((row) => exportRow(row, this.frameLabel));
    return JSON.stringify({ exportedAt: this.now().toISOString(), filter: { ...this.filter },
      rows }, null, 2);
  }

  exportShown() {
    this.save(exportName(this.now()), this.exportText());
  }
}
