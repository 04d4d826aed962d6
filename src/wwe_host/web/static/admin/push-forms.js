// The Simulate panel: push a call, an e-mail or a chat to an agent or a queue (the
// simulator's REST API), and the list of destinations the "To" fields suggest.

import { changed, h, setText } from "../shared/dom.js";
import { describeError } from "./api.js";
import { fullName } from "./agents.js";

/** `key=value` lines → an object; blank lines are skipped; `k=a=b` gives `a=b`. */
export function parseData(text) {
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

/** The body of each push form from its fields (`f`: form.elements). */
export const BODIES = {
  call: (f) => {
    const payload = { to: f.to.value.trim(), from: f.from.value.trim() };
    if (f.dnis.value.trim()) payload.dnis = f.dnis.value.trim();
    const userData = parseData(f.userData.value);
    if (Object.keys(userData).length) payload.userData = userData;
    return payload;
  },
  email: (f) => ({
    to: f.to.value.trim(), from: f.from.value.trim(), subject: f.subject.value, body: f.body.value,
  }),
  chat: (f) => ({ to: f.to.value.trim(), from: f.from.value.trim(), message: f.message.value }),
};

/**
 * A push form: `body(form.elements)` (a thrown error is shown in the form), POST to `path`,
 * the answer shown as JSON under the form, `after(answer)`, and the lists refreshed.
 */
export function pushForm(form, { api, path, body, after = () => {}, refresh }) {
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
      const data = await api.call("POST", path, payload);
      setText(answer, JSON.stringify(data, null, 2));
      after(data);
    } catch (problem) {
      setText(answer, "");
      setText(error, describeError(problem));
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
      refresh();
    }
  });
}

/**
 * The agents in the push forms' list of destinations, before the queues the server put
 * there (its REST API lists no queues).
 */
export function renderDestinations(list, agents) {
  const signature = JSON.stringify(agents.map((a) => [a.username, a.number, a.loggedIn]));
  if (!changed(list, signature)) return;
  for (const option of list.querySelectorAll("option[data-agent]")) option.remove();
  const queues = list.firstChild;
  for (const a of agents) {
    const label = `${fullName(a)} (DN ${a.number})${a.loggedIn ? "" : ", logged out"}`;
    list.insertBefore(h("option", { value: a.username, label, dataset: { agent: a.username } }),
      queues);
  }
}
