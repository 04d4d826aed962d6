// The state a page renders from, handed to its panels explicitly: the desktop keeps the
// server's latest snapshot in one, the admin page what its last poll loaded.

export class Store {
  constructor(state = null) {
    this.state = state;
    this.listeners = new Set();
  }

  /** The current state (null before the first one arrived). */
  get() {
    return this.state;
  }

  /** Replace the state and tell every subscriber. */
  set(state) {
    this.state = state;
    this.notify();
  }

  /** Merge `changes` into the state (an object) and tell every subscriber. */
  update(changes) {
    this.set({ ...(this.state ?? {}), ...changes });
  }

  /** Tell every subscriber again (something outside the state changed what they show). */
  notify() {
    if (this.state === null) return;
    for (const listener of [...this.listeners]) listener(this.state);
  }

  /** `listener(state)` after every change; returns the function that unsubscribes. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
