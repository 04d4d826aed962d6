// Light or dark: the system's setting (prefers-color-scheme) unless the user chose with the
// theme toggle; the choice is kept in localStorage (one key for the desktop, login and admin
// pages, which share an origin). A choice equal to the system's setting is forgotten, so the
// page follows the system again (docs/desktop.md "Theme").
//
// The colours themselves are CSS custom properties in desktop.css, each `light-dark(…, …)`:
// `data-theme` on <html> fixes `color-scheme` to one of the two; without it the page's
// `color-scheme: light dark` follows the system.

export const THEME_KEY = "wwe-host.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled: the toggle still works for this page
  }
}

/** The system's preference: "dark" or "light". */
export function systemTheme(win = globalThis) {
  return win.matchMedia?.(DARK_QUERY).matches ? "dark" : "light";
}

/** The user's stored choice ("dark" / "light"), or null to follow the system. */
export function storedTheme(store = storage()) {
  const value = store?.getItem(THEME_KEY);
  return value === "dark" || value === "light" ? value : null;
}

/** The theme in effect: the stored choice, else the system's. */
export function effectiveTheme(stored, system) {
  return stored ?? system;
}

/**
 * Remember `theme` as the user's choice; the system's own setting is not stored (the page
 * keeps following the system). Returns what is stored now.
 */
export function chooseTheme(theme, system, store = storage()) {
  const choice = theme === system ? null : theme;
  try {
    if (choice) store?.setItem(THEME_KEY, choice);
    else store?.removeItem(THEME_KEY);
  } catch { /* storage full or disabled: this page only */ }
  return choice;
}

/** Put the stored choice on <html> (or remove it to follow the system). */
export function applyTheme(stored, root = globalThis.document?.documentElement) {
  if (!root) return;
  if (stored) root.setAttribute("data-theme", stored);
  else root.removeAttribute("data-theme");
}

/**
 * The toggle: a button with aria-pressed="true" while the page is dark. Clicking switches
 * to the other theme; the state also follows the system's setting while no choice is
 * stored, and other tabs' choices (the storage event).
 */
export class ThemeToggle {
  constructor(button, win = globalThis) {
    this.button = button;
    this.win = win;
    this.stored = storedTheme();
    applyTheme(this.stored);
    button?.addEventListener("click", () => this.toggle());
    win.matchMedia?.(DARK_QUERY).addEventListener?.("change", () => this.render());
    win.addEventListener?.("storage", (event) => {
      if (event.key !== THEME_KEY) return;
      this.stored = storedTheme();
      applyTheme(this.stored);
      this.render();
    });
    this.render();
  }

  get theme() {
    return effectiveTheme(this.stored, systemTheme(this.win));
  }

  toggle() {
    this.stored = chooseTheme(this.theme === "dark" ? "light" : "dark", systemTheme(this.win));
    applyTheme(this.stored);
    this.render();
  }

  render() {
    this.button?.setAttribute("aria-pressed", String(this.theme === "dark"));
  }
}

// On import: the stored choice applies at once (before the page's other modules run).
applyTheme(storedTheme());
