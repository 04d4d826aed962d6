// The trusted postMessage relay between third-party frames and the server.
//
// The desktop page is the only place where a frame's real identity is known: the window
// that posted (event.source) and its origin (event.origin). The relay reports that
// identity with every message and never decides what a frame may do; the server does.
// Rules (spec protocol.md and security.md, hardening):
//   - a frame is identified ONLY by event.source compared with windows we created;
//   - the frameId a message claims is never trusted, only used to notice a reload;
//   - we post to a frame with targetOrigin = its origin, never "*";
//   - host messages (userAgent "WWE Server") and anything that is not a request or a
//     subscription are ignored, and nothing is ever echoed back;
//   - a message too large or nested too deep (checked before it is serialized), or with a
//     referenceId that is not a string or a number, is not forwarded: the frame gets its
//     own INVALID_PARAMETER failure (message-check.js; the server checks again).

import { checkFrameMessage } from "./message-check.js";

export const HOST_USER_AGENT = "WWE Server";
export const PROTOCOL_VERSION = 2;

export const EMBEDDER_SECTION = "@embedder";
const POPUP_GREETING_INTERVAL_MS = 250;
const POPUP_GREETING_FOR_MS = 15_000;

// A structured clone from another window is rebuilt in our realm, so a plain object has our
// Object.prototype (or null). Arrays, strings, Dates, Maps… are not requests.
function isPlainObject(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

export class Relay {
  /**
   * @param {object} hooks
   * @param {(message: object) => void} hooks.send  to the server (queued when offline)
   * @param {(row: object) => void} hooks.log        one row for the traffic inspector
   * @param {(origin: string) => Promise<string>} [hooks.openEmbedder]  registers the page
   *        that embeds the desktop (window.parent) as a frame; resolves with its frame id
   * @param {() => ({maxMessageBytes: number, maxDepth: number} | null | undefined)} [hooks.limits]
   *        the server's limits (from the snapshot); message-check.js's defaults until known
   */
  constructor({ send, log, openEmbedder = null, limits = () => null }) {
    this.send = send;
    this.log = log;
    this.openEmbedder = openEmbedder;
    this.limits = limits;
    // The page embedding the desktop, if it talks to us (protocol.md: a page that embeds
    // the desktop and targets it with targetWWEWindow). Messages wait while it registers.
    this.embedder = { pending: null, queue: [] };
    /** @type {Map<string, object>} frameId → entry */
    this.frames = new Map();
    this.onMessage = this.onMessage.bind(this);
  }

  start() {
    window.addEventListener("message", this.onMessage);
    // Embedded in a page whose origin the browser tells us (Chromium, Safari): register and
    // greet it now, so that it can wait for the greeting before its first request.
    const parentOrigin = window.location.ancestorOrigins?.[0];
    if (this.openEmbedder && window.parent !== window && parentOrigin && parentOrigin !== "null") {
      this.registerEmbedder(parentOrigin);
    }
  }

  stop() {
    window.removeEventListener("message", this.onMessage);
    for (const frameId of [...this.frames.keys()]) this.unregister(frameId);
  }

  /**
   * Register a frame we created. Call it BEFORE the iframe gets its src (so the first load
   * event is seen) or right after window.open returned a window.
   *
   * @param {string} frameId
   * @param {object} info
   * @param {HTMLIFrameElement} [info.element]  for an iframe
   * @param {Window} [info.window]              for a popup
   * @param {string} info.expectedOrigin        the origin of the section's URL
   * @param {string} info.section
   * @param {string|null} [info.interactionId]
   */
  register(frameId, { element = null, window: win = null, expectedOrigin, section,
    interactionId = null }) {
    this.unregister(frameId);
    const entry = {
      frameId,
      element,
      popup: win,
      expectedOrigin,
      currentOrigin: null,
      section,
      interactionId,
      heardFrom: false,
      greetingTimer: null,
      onLoad: null,
    };
    if (element) {
      // Each load (the first one and every reload or navigation) gets a greeting.
      // The new document may be of the expected origin again after a detour elsewhere:
      // greet both; the browser delivers only the one whose origin matches.
      entry.onLoad = () => {
        this.greet(entry, entry.expectedOrigin, "load");
        const current = this.originOf(entry);
        if (current !== entry.expectedOrigin) this.greet(entry, current, "load");
      };
      element.addEventListener("load", entry.onLoad);
    }
    this.frames.set(frameId, entry);
    if (win) this.greetPopup(entry);
    return entry;
  }

  /** A popup was (re)opened for an already registered frame (e.g. after it was blocked). */
  setPopup(frameId, win) {
    const entry = this.frames.get(frameId);
    if (!entry) return;
    entry.popup = win;
    entry.heardFrom = false;
    this.greetPopup(entry);
  }

  unregister(frameId) {
    const entry = this.frames.get(frameId);
    if (!entry) return;
    this.frames.delete(frameId);
    this.stopGreeting(entry);
    if (entry.element && entry.onLoad) entry.element.removeEventListener("load", entry.onLoad);
  }

  has(frameId) {
    return this.frames.has(frameId);
  }

  /** The frames the page still has, for `hello` after a (re)connect. */
  list() {
    return [...this.frames.values()].map((entry) => ({
      frameId: entry.frameId,
      section: entry.section,
      origin: this.originOf(entry),
      interactionId: entry.interactionId,
    }));
  }

  originOf(entry) {
    return entry.currentOrigin ?? entry.expectedOrigin;
  }

  windowOf(entry) {
    if (entry.element) return entry.element.contentWindow; // null once detached
    if (entry.popup && !entry.popup.closed) return entry.popup;
    return null;
  }

  // --- greeting ---------------------------------------------------------------------------

  greet(entry, targetOrigin, why) {
    const win = this.windowOf(entry);
    if (!win || !targetOrigin) return false;
    const greeting = { frameId: entry.frameId, userAgent: HOST_USER_AGENT,
      protocolVersion: PROTOCOL_VERSION };
    try {
      // If the document in the window is not (yet) of targetOrigin, the browser drops the
      // message: that is what keeps the frame id away from a page it was not meant for.
      win.postMessage(greeting, targetOrigin);
    } catch {
      return false; // e.g. an opaque origin ("null") cannot be a targetOrigin
    }
    if (why) {
      this.log({ kind: "greeting", frameId: entry.frameId, origin: targetOrigin, request: why,
        outcome: "sent", payload: greeting });
    }
    return true;
  }

  // A cross-origin popup fires no load event we can see, so we keep greeting it until it
  // speaks (or we give up): before it has navigated, the targetOrigin check drops them.
  greetPopup(entry) {
    this.stopGreeting(entry);
    const started = Date.now();
    let first = true;
    const tick = () => {
      if (entry.heardFrom || Date.now() - started > POPUP_GREETING_FOR_MS
          || !this.frames.has(entry.frameId)) {
        this.stopGreeting(entry);
        return;
      }
      this.greet(entry, this.originOf(entry), first ? "popup" : null);
      first = false;
    };
    entry.greetingTimer = setInterval(tick, POPUP_GREETING_INTERVAL_MS);
    tick();
  }

  stopGreeting(entry) {
    if (entry.greetingTimer !== null) {
      clearInterval(entry.greetingTimer);
      entry.greetingTimer = null;
    }
  }

  // --- frame → server ---------------------------------------------------------------------

  entryForSource(source) {
    if (!source) return null;
    for (const entry of this.frames.values()) {
      if (this.windowOf(entry) === source) return entry;
    }
    return null;
  }

  onMessage(event) {
    const entry = this.entryForSource(event.source);
    if (!entry) {
      // Not a window we created (ourselves included) — unless it is the page that embeds us.
      if (this.isEmbedder(event.source)) this.fromEmbedder(event);
      return;
    }
    const data = event.data;
    if (!isPlainObject(data)) return;
    if (typeof data.userAgent === "string" && data.userAgent.includes(HOST_USER_AGENT)) return;
    if (!hasOwn(data, "request") && !hasOwn(data, "event")) return;

    entry.heardFrom = true;
    this.stopGreeting(entry);
    const origin = event.origin;
    if (origin !== entry.currentOrigin) {
      // The frame navigated (or spoke for the first time): from now on it is this origin.
      // The server learns it from the origin field of the message below.
      entry.currentOrigin = origin;
    }
    if (data.frameId !== entry.frameId) {
      // A fresh document (reload or navigation) that has not been greeted yet.
      this.greet(entry, origin, "re-greet");
    }

    const request = typeof data.request === "string" ? data.request
      : typeof data.event === "string" ? data.event : String(data.request ?? data.event);
    const { text, problem } = checkFrameMessage(data, this.limits());
    if (problem) {
      this.refuse(entry, origin, data, request, problem);
      return;
    }
    this.log({ kind: "request", frameId: entry.frameId, origin, request,
      referenceId: data.referenceId ?? null, payload: text });
    this.send({ type: "frame.message", frameId: entry.frameId, origin, message: text });
  }

  isEmbedder(source) {
    return this.openEmbedder !== null && window.parent !== window && source === window.parent;
  }

  // The embedding page is registered on its first request, as a frame of its own origin;
  // the server applies that origin's policy like for any other frame.
  fromEmbedder(event) {
    const data = event.data;
    if (!isPlainObject(data) || (!hasOwn(data, "request") && !hasOwn(data, "event"))) return;
    if (typeof data.userAgent === "string" && data.userAgent.includes(HOST_USER_AGENT)) return;
    this.embedder.queue.push(event);
    this.registerEmbedder(event.origin);
  }

  registerEmbedder(origin) {
    const embedder = this.embedder;
    if (embedder.pending) return;
    embedder.pending = this.openEmbedder(origin)
      .then((frameId) => {
        // Greeted like a popup (no load event to wait for) until it speaks; messages that
        // arrived meanwhile are replayed, and the first of them is greeted again.
        this.register(frameId, {
          window: window.parent,
          expectedOrigin: origin,
          section: EMBEDDER_SECTION,
        });
        for (const queued of embedder.queue.splice(0)) this.onMessage(queued);
      })
      .catch(() => {
        embedder.queue.length = 0;
        embedder.pending = null;
      });
  }

  // A message the server will never see (too large, too deep, a referenceId it could not
  // echo, or what JSON cannot carry: BigInt, cycles): the frame would wait for nothing, so
  // it is told why — at its own origin — if it expects an answer.
  refuse(entry, origin, data, request, reason) {
    this.log({ kind: "request", frameId: entry.frameId, origin, request,
      outcome: "failed", detail: reason });
    const ref = data.referenceId;
    if (ref === undefined || ref === null) return;
    this.post(entry, origin, {
      referenceId: ref,
      request: typeof data.request === "string" ? data.request
        : typeof data.event === "string" ? data.event : null,
      errorMessage: reason,
      errorCode: "INVALID_PARAMETER",
      userAgent: HOST_USER_AGENT,
      protocolVersion: PROTOCOL_VERSION,
    });
  }

  // --- server → frame ---------------------------------------------------------------------

  /** Deliver a reply or an event the server addressed to one frame, at the given origin. */
  deliver({ frameId, origin, message }) {
    const entry = this.frames.get(frameId);
    if (!entry) return; // the frame is gone: nothing to deliver to
    let data = message;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch {
        return;
      }
    }
    if (!isPlainObject(data) || typeof origin !== "string" || !origin || origin === "*") return;
    const isEvent = hasOwn(data, "event");
    this.log({
      kind: isEvent ? "event" : "reply",
      frameId,
      origin,
      request: isEvent
        ? `${data.event}${data.data?.eventType ? ` ${data.data.eventType}` : ""}`
        : String(data.request ?? ""),
      outcome: isEvent ? "" : hasOwn(data, "errorMessage") ? `error ${data.errorCode ?? ""}`.trim()
        : "ok",
      detail: hasOwn(data, "errorMessage") ? String(data.errorMessage) : "",
      referenceId: data.referenceId ?? null,
      payload: data, // for the inspector's payload view (it shows it, never changes it)
    });
    this.post(entry, origin, data);
  }

  post(entry, targetOrigin, data) {
    const win = this.windowOf(entry);
    if (!win) return;
    try {
      win.postMessage(data, targetOrigin);
    } catch {
      // A closed popup or an invalid origin: the frame cannot be reached; drop it.
    }
  }
}
