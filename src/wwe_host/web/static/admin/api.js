// The admin page's REST API under /api/v1 (docs/api.md), with the session cookie of a
// ROLE_ADMIN user (same origin, so changes are accepted).

import { setText } from "../shared/dom.js";

export class ApiFailure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  describe() {
    return this.status ? `Refused (${this.status} ${this.code}): ${this.message}` : this.message;
  }
}

/** An error as the page shows it. */
export function describeError(error) {
  return error instanceof ApiFailure ? error.describe() : String(error);
}

/** A value as one segment of an API path. */
export const segment = (value) => encodeURIComponent(String(value));

export class Api {
  /**
   * @param {object} [options]
   * @param {typeof fetch} [options.fetch]
   * @param {(path: string) => void} [options.leave]  go to another page (the login page)
   */
  constructor({ fetch = (...args) => globalThis.fetch(...args),
    leave = (path) => window.location.assign(path) } = {}) {
    this.fetch = fetch;
    this.leave = leave;
    /** Set when the page is going away (logout, ended session): stop polling and rendering. */
    this.leaving = false;
  }

  /** One API call; resolves with the parsed JSON answer, or rejects with an ApiFailure. */
  async call(method, path, body) {
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
      response = await this.fetch(`/api/v1${path}`, init);
    } catch {
      throw new ApiFailure(0, "UNREACHABLE", "The server cannot be reached.");
    }
    let data = null;
    try {
      data = await response.json();
    } catch { /* not JSON */ }
    if (response.status === 401 && !this.leaving) {
      // The session ended (logout elsewhere, inactivity, restart with a new store): log in
      // again, and come back here.
      this.leaving = true;
      this.leave("/?ended=session&next=/admin");
    }
    if (!response.ok) {
      throw new ApiFailure(response.status, data?.error?.code ?? "ERROR",
        data?.error?.message ?? `HTTP ${response.status}`);
    }
    return data;
  }

  /** Log out and go to the login page. */
  async logout() {
    this.leaving = true;
    try {
      await this.fetch("/api/v1/logout", { method: "POST", credentials: "same-origin" });
    } catch { /* the session ends on the server anyway when it can be reached */ }
    this.leave("/?ended=logout");
  }
}

/**
 * The page's actions on the live lists: a refusal is shown in the error line (cleared by the
 * next success), and the lists are refreshed either way.
 */
export class Actions {
  constructor({ api, errorLine, refresh }) {
    this.api = api;
    this.errorLine = errorLine;
    this.refresh = refresh;
  }

  showError(text) {
    setText(this.errorLine, text);
  }

  /** Resolves with {ok, data} or {ok: false, error}. */
  async act(method, path, body) {
    try {
      const data = await this.api.call(method, path, body);
      this.showError("");
      return { ok: true, data };
    } catch (error) {
      this.showError(describeError(error));
      return { ok: false, error };
    } finally {
      this.refresh();
    }
  }
}
