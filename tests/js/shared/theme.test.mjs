// Tests of src/wwe_host/web/static/shared/theme.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import { applyTheme, chooseTheme, effectiveTheme, storedTheme, systemTheme, THEME_KEY,
  ThemeToggle } from "../../../src/wwe_host/web/static/shared/theme.js";

function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key) => (data.has(key) ? data.get(key) : null),
    setItem: (key, value) => data.set(key, String(value)),
    removeItem: (key) => data.delete(key),
    data,
  };
}

let document;
beforeEach(() => {
  document = installDom();
});

test("storedTheme: only dark or light count", () => {
  assert.equal(storedTheme(memoryStorage({ [THEME_KEY]: "dark" })), "dark");
  assert.equal(storedTheme(memoryStorage({ [THEME_KEY]: "purple" })), null);
  assert.equal(storedTheme(memoryStorage()), null);
  assert.equal(storedTheme(null), null);
});

test("effectiveTheme: the choice, else the system", () => {
  assert.equal(effectiveTheme(null, "dark"), "dark");
  assert.equal(effectiveTheme("light", "dark"), "light");
});

test("chooseTheme: a choice unlike the system is kept, one equal to it forgotten", () => {
  const store = memoryStorage();
  assert.equal(chooseTheme("light", "dark", store), "light");
  assert.equal(store.getItem(THEME_KEY), "light");
  assert.equal(chooseTheme("dark", "dark", store), null);
  assert.equal(store.getItem(THEME_KEY), null);
});

test("applyTheme: data-theme on <html>, removed to follow the system", () => {
  const root = document.documentElement;
  applyTheme("dark", root);
  assert.equal(root.getAttribute("data-theme"), "dark");
  applyTheme(null, root);
  assert.equal(root.hasAttribute("data-theme"), false);
});

test("systemTheme: prefers-color-scheme through matchMedia", () => {
  assert.equal(systemTheme({ matchMedia: () => ({ matches: true }) }), "dark");
  assert.equal(systemTheme({ matchMedia: () => ({ matches: false }) }), "light");
  assert.equal(systemTheme({}), "light");
});

test("ThemeToggle: pressed while dark; a click switches and is remembered", () => {
  const storage = memoryStorage();
  globalThis.localStorage = storage;
  try {
    const button = document.createElement("button");
    const win = { matchMedia: () => ({ matches: true, addEventListener() {} }),
      addEventListener() {} };
    const toggle = new ThemeToggle(button, win);
    assert.equal(button.getAttribute("aria-pressed"), "true");
    button.click();
    assert.equal(toggle.theme, "light");
    assert.equal(button.getAttribute("aria-pressed"), "false");
    assert.equal(storage.getItem(THEME_KEY), "light");
    assert.equal(document.documentElement.getAttribute("data-theme"), "light");
    button.click(); // back to what the system says: forgotten
    assert.equal(storage.getItem(THEME_KEY), null);
    assert.equal(document.documentElement.hasAttribute("data-theme"), false);
  } finally {
    delete globalThis.localStorage;
  }
});
