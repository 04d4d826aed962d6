// The agent's own operations (docs/desktop-protocol.md, `action`), and the one line under
// the header where a refusal is shown to the agent.

export class Actions {
  /**
   * @param {{action: (op: string, args: object) => Promise<unknown>}} connection
   * @param {HTMLElement} errorLine  role="alert": the latest refusal, "" after a success
   */
  constructor(connection, errorLine) {
    this.connection = connection;
    this.errorLine = errorLine;
  }

  showError(text) {
    this.errorLine.textContent = text;
  }

  /** Run an agent operation; a refusal is shown to the agent. Resolves with {ok, data}. */
  async act(op, args = {}) {
    this.showError("");
    try {
      return { ok: true, data: await this.connection.action(op, args) };
    } catch (error) {
      this.showError(error?.message ?? String(error));
      return { ok: false, error };
    }
  }
}
