// The desktop's WebSocket to the server (docs/desktop-protocol.md), with reconnect.
//
// Nothing the agent or a frame does is lost while the link is down: messages wait in a
// bounded queue and go out right after the next `hello`. Requests that carry a `ref`
// (frame.open, action) are answered by `frame.opened` / `action.result` / `error`.

const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5_000;
const PING_EVERY_MS = 20_000;
// Two missed pongs: the link is dead even if the browser has not noticed yet.
const SILENCE_LIMIT_MS = 2 * PING_EVERY_MS + 5_000;
export const QUEUE_LIMIT = 1_000;
export const NOT_LOGGED_IN = 4401;
// The server refused this desktop (docs/desktop-protocol.md): trying again would not help.
export const REFUSED_ORIGIN = 4403;
export const TOO_MANY_DESKTOPS = 4429;

export class ConnectionLost extends Error {
  constructor() {
    super("The connection to the server was lost before it answered; "
      + "check whether the action was done before trying again.");
    this.code = "UNAVAILABLE";
  }
}

export class RequestFailed extends Error {
  constructor(code, message) {
    super(message || "The server refused the request.");
    this.code = code || "INTERNAL";
  }
}

export class Connection {
  /**
   * @param {object} options
   * @param {string} [options.url]
   * @param {() => object[]} options.frames      the frames for `hello`
   * @param {string} [options.tabId]              this page's tab id for `hello` (tab-state.js)
   * @param {(message: object) => void} options.onMessage  every server message
   * @param {(connected: boolean, refused?: string) => void} options.onStatus
   *        refused: why the server refused this desktop (it does not reconnect then)
   * @param {(text: string) => void} options.onNote        for the traffic inspector
   */
  constructor({ url = defaultUrl(), frames, tabId = null, onMessage, onStatus, onNote }) {
    this.url = url;
    this.tabId = tabId;
    this.frames = frames;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.onNote = onNote;
    this.socket = null;
    this.ready = false; // open and hello sent
    this.queue = [];
    this.pending = new Map(); // ref → {message, resolve, reject, sent, retry}
    this.nextRef = 1;
    this.attempt = 0;
    this.reconnectTimer = null;
    this.pingTimer = null;
    this.lastHeard = 0;
    this.stopped = false;
    this.connectedOnce = false;
    // Leaving the page closes the socket: that is not a lost connection.
    window.addEventListener("pagehide", () => this.stop());
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) this.start(); // back from the back/forward cache
    });
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    if (this.socket) {
      try {
        this.socket.close(1000, "page closed");
      } catch { /* already closed */ }
    }
  }

  connect() {
    if (this.stopped) return;
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => this.opened(socket));
    socket.addEventListener("message", (event) => this.received(socket, event));
    socket.addEventListener("close", (event) => this.closed(socket, event));
    // "error" is always followed by "close", which does the work.
  }

  opened(socket) {
    if (socket !== this.socket) return;
    this.attempt = 0;
    this.lastHeard = Date.now();
    socket.send(JSON.stringify({ type: "hello", ...(this.tabId ? { tabId: this.tabId } : {}),
      frames: this.frames() }));
    this.ready = true;
    this.connectedOnce = true;
    this.flush();
    this.onStatus(true);
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
  }

  ping() {
    if (!this.ready || !this.socket) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      this.socket.close(4000, "no answer to ping");
      return;
    }
    this.socket.send(JSON.stringify({ type: "ping" }));
  }

  received(socket, event) {
    if (socket !== this.socket) return;
    this.lastHeard = Date.now();
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!message || typeof message !== "object") return;
    switch (message.type) {
      case "session.ended":
        this.stop();
        window.location.assign(`/?ended=${encodeURIComponent(message.reason ?? "logout")}`);
        return;
      case "frame.opened":
      case "action.result":
        if (this.settle(message)) return;
        break;
      case "error":
        if (message.ref != null && this.settle(message)) return;
        break;
      case "pong":
        return;
      default:
        break;
    }
    this.onMessage(message);
  }

  closed(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.ready = false;
    clearInterval(this.pingTimer);
    if (event.code === NOT_LOGGED_IN) {
      this.stopped = true;
      window.location.assign("/");
      return;
    }
    if (event.code === REFUSED_ORIGIN || event.code === TOO_MANY_DESKTOPS) {
      this.stopped = true;
      const why = `The server refused this desktop (${event.reason || event.code}). `
        + "Reload the page to try again.";
      for (const request of this.pending.values()) {
        request.reject(new RequestFailed("UNAVAILABLE", why));
      }
      this.pending.clear();
      this.onStatus(false, why);
      return;
    }
    if (this.stopped) return;
    this.requeuePending();
    this.onStatus(false);
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    // 250 ms doubling up to 5 s, with ±25 % jitter so many desktops do not come back at once.
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  // Requests the server may never have answered: a frame.open is safe to send again (the
  // server drops frames the page does not list in hello), an agent action is not (it may
  // have been done: dialling twice is worse than asking the agent to look).
  requeuePending() {
    const again = [];
    for (const [ref, request] of this.pending) {
      if (!request.sent) continue;
      if (request.retry) {
        request.sent = false;
        again.push(request.message);
      } else {
        this.pending.delete(ref);
        request.reject(new ConnectionLost());
      }
    }
    this.queue.unshift(...again);
    this.trimQueue();
  }

  // --- sending ----------------------------------------------------------------------------

  /** Send now, or queue until the next hello. */
  send(message) {
    if (this.ready && this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.transmit(message);
      return;
    }
    this.queue.push(message);
    this.trimQueue();
  }

  /**
   * Send a message that is answered by ref; resolves with the answer, rejects with
   * RequestFailed (or ConnectionLost).
   * @param {object} message  without `ref`
   * @param {{retry?: boolean}} [options]  retry: send again after a reconnect if unanswered
   */
  request(message, { retry = false } = {}) {
    const ref = `r${this.nextRef++}`;
    const full = { ...message, ref };
    return new Promise((resolve, reject) => {
      this.pending.set(ref, { message: full, resolve, reject, sent: false, retry });
      this.send(full);
    });
  }

  /** Shortcut for an agent operation; resolves with `data`, rejects with RequestFailed. */
  action(op, args = {}) {
    return this.request({ type: "action", op, args });
  }

  transmit(message) {
    this.socket.send(JSON.stringify(message));
    const request = message.ref != null ? this.pending.get(message.ref) : undefined;
    if (request) request.sent = true;
  }

  flush() {
    while (this.queue.length && this.ready && this.socket?.readyState === WebSocket.OPEN) {
      this.transmit(this.queue.shift());
    }
  }

  trimQueue() {
    while (this.queue.length > QUEUE_LIMIT) {
      const dropped = this.queue.shift();
      const request = dropped.ref != null ? this.pending.get(dropped.ref) : undefined;
      if (request) {
        this.pending.delete(dropped.ref);
        request.reject(new RequestFailed("UNAVAILABLE",
          "Too much waiting for the server to come back: this request was dropped."));
      }
      const what = dropped.type === "action" ? `action ${dropped.op}` : dropped.type;
      this.onNote(`Offline queue full (${QUEUE_LIMIT}): dropped the oldest waiting message `
        + `(${what}${dropped.frameId ? ` of ${dropped.frameId}` : ""}).`);
    }
  }

  settle(message) {
    const request = this.pending.get(message.ref);
    if (!request) return false;
    this.pending.delete(message.ref);
    if (message.type === "frame.opened") {
      request.resolve(message);
    } else if (message.type === "action.result" && message.ok) {
      request.resolve(message.data ?? null);
    } else {
      const error = message.error ?? message;
      request.reject(new RequestFailed(error.code, error.message));
    }
    return true;
  }
}

function defaultUrl() {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/desktop/ws`;
}
