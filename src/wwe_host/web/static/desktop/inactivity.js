// Inactivity (security.inactivity-timeout): the warning dialog, shown the configured number of
// seconds before the server logs the agent out; input in the page (reported at most every few
// seconds) or "Stay logged in" moves the deadline, which the server sends back.

import { $, setText } from "../shared/dom.js";

export const ACTIVITY_EVERY_MS = 5_000;

/**
 * How long to wait between two activity reports: every few seconds, but often enough for a
 * short timeout (twice before the warning), and at once (250 ms) while the warning shows.
 */
export function reportEvery(deadline, alertSeconds, nowMs, warningOpen) {
  if (warningOpen) return 250;
  const untilWarning = (deadline - alertSeconds) * 1000 - nowMs;
  return Math.max(250, Math.min(ACTIVITY_EVERY_MS, untilWarning / 2));
}

export class Inactivity {
  /**
   * @param {{action: (op: string) => Promise<unknown>}} connection
   * @param {() => number} [now]  epoch milliseconds
   */
  constructor(connection, now = () => Date.now()) {
    this.connection = connection;
    this.now = now;
    this.dialog = $("inactivity-dialog");
    this.seconds = $("inactivity-seconds");
    this.stayButton = $("inactivity-stay");
    this.deadline = null; // epoch seconds
    this.alertSeconds = 30;
    this.lastSent = 0;
    this.returnFocus = null;
    this.stayButton.addEventListener("click", () => this.stay());
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

  render(s) {
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
    const left = this.deadline - this.now() / 1000;
    if (left > this.alertSeconds) {
      this.close();
      return;
    }
    setText(this.seconds, String(Math.max(0, Math.ceil(left))));
    if (!this.dialog.open) {
      this.returnFocus = document.activeElement;
      this.dialog.showModal();
      this.stayButton.focus();
    }
  }

  close() {
    if (!this.dialog.open) return;
    this.dialog.close();
    if (this.returnFocus?.isConnected) this.returnFocus.focus();
    this.returnFocus = null;
  }

  stay() {
    this.lastSent = this.now();
    this.connection.action("activity").catch(() => {});
  }

  activity() {
    if (this.deadline === null) return;
    const now = this.now();
    const every = reportEvery(this.deadline, this.alertSeconds, now, this.dialog.open);
    if (now - this.lastSent < every) return;
    this.stay();
  }
}
