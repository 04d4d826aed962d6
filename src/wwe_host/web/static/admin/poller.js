// Loading the admin page's lists: every second while the tab is visible, and right after
// every action. A load asked for while one runs makes exactly one more load after it.

export const POLL_MS = 1_000;

export class Poller {
  /**
   * @param {object} options
   * @param {() => Promise<void>} options.load
   * @param {() => boolean} options.active  false while hidden or leaving: no timer is armed
   * @param {{setTimeout: Function, clearTimeout: Function}} [options.timers]
   * @param {number} [options.every]  milliseconds
   */
  constructor({ load, active, timers = globalThis, every = POLL_MS }) {
    this.load = load;
    this.active = active;
    this.timers = timers;
    this.every = every;
    this.running = null;
    this.again = false;
    this.timer = null;
  }

  /** Load now; resolves when this load (and the one more it may cause) is done. */
  refresh() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.load().catch(() => {}).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
    return this.running;
  }

  /** Arm the next periodic load (if active); each one arms the next. */
  schedule() {
    this.stop();
    if (!this.active()) return;
    this.timer = this.timers.setTimeout(async () => {
      await this.refresh();
      this.schedule();
    }, this.every);
  }

  stop() {
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
