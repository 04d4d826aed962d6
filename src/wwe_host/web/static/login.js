// The login form: JSON login when scripts run; the plain form post works without them.

// The theme the agent chose on the desktop (else the system's), applied on import.
import "./shared/theme.js";

const form = document.getElementById("login-form");
const errorBox = document.getElementById("login-error");
const notice = document.getElementById("login-notice");
const submit = document.getElementById("login-submit");

// Why the agent is here: after a logout, an inactivity logout, or a refused form post
// (the no-script path redirects back with ?error=login).
const ENDED = {
  logout: "You have logged out.",
  inactivity: "You were logged out after a period of inactivity.",
};
const params = new URLSearchParams(window.location.search);
// Where to go after the login: the page that sent the user here (`/?next=/admin`), one of
// ours only (as the server's NEXT_PAGES), else the desktop.
const NEXT_PAGES = ["/desktop", "/admin"];
const next = NEXT_PAGES.includes(params.get("next")) ? params.get("next") : "/desktop";
const ended = params.get("ended");
if (ended) notice.textContent = ENDED[ended] ?? "Your session has ended.";
else if (next === "/admin") notice.textContent = "Log in to open the admin page.";
if (params.get("error") === "login") {
  // Scripts run: the alert below says it, the no-script fallback is not needed.
  document.getElementById("login-failed")?.remove();
  showError("Unknown username or wrong password.");
}

function showError(text) {
  errorBox.textContent = text;
}

async function readError(response) {
  try {
    const body = await response.json();
    const message = body?.error?.message ?? body?.message;
    if (typeof message === "string" && message) return message;
  } catch { /* not JSON */ }
  return `Login failed (HTTP ${response.status}).`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  showError("");
  const username = form.elements.username.value;
  const password = form.elements.password.value;
  if (!username) {
    showError("Enter your username.");
    form.elements.username.focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch("/api/v1/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ username, password }),
    });
    if (response.ok) {
      window.location.assign(next);
      return;
    }
    showError(await readError(response));
    form.elements.password.select();
  } catch {
    showError("The server cannot be reached. Check your connection and try again.");
  } finally {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
});
