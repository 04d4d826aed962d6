// The module graph of src/wwe_host/web/static: every import of every page module (the two
// main.js included, which need a browser to run) names a file that exists and an export it
// has, and no module imports from outside static/ or from the network (no build step, nothing
// from the internet).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const STATIC = fileURLToPath(new URL("../../src/wwe_host/web/static/", import.meta.url));
const LIBRARY = "wwe-service-client-api.js"; // a classic script for third-party pages

function modules(dir = STATIC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(full);
    return entry.name.endsWith(".js") && entry.name !== LIBRARY ? [full] : [];
  });
}

function importsOf(file) {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/^import\s*(?:\{([^}]*)\}\s*from\s*)?"([^"]+)";/gm)].map((m) => ({
    names: (m[1] ?? "").split(",").map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean),
    specifier: m[2],
  }));
}

test("the pages are split into shared, desktop and admin modules", () => {
  const relative = modules().map((f) => path.relative(STATIC, f).split(path.sep).join("/"));
  for (const folder of ["shared", "desktop", "admin"]) {
    assert.ok(relative.some((f) => f.startsWith(`${folder}/`)), folder);
  }
  assert.ok(relative.includes("desktop/main.js"));
  assert.ok(relative.includes("admin/main.js"));
});

test("every import resolves inside static/ to an export of the module", async () => {
  for (const file of modules()) {
    for (const { names, specifier } of importsOf(file)) {
      assert.ok(specifier.startsWith("./") || specifier.startsWith("../"),
        `${file}: ${specifier} is not a relative path`);
      const target = path.resolve(path.dirname(file), specifier);
      assert.ok(target.startsWith(STATIC), `${file}: ${specifier} leaves static/`);
      const exported = await import(pathToFileURL(target));
      for (const name of names) {
        assert.ok(name in exported, `${path.relative(STATIC, file)}: ${specifier} has no ${name}`);
      }
    }
  }
});

test("the shared modules are used by both pages, and the pages not by each other", () => {
  const users = new Map();
  for (const file of modules()) {
    const page = path.relative(STATIC, file).split(path.sep)[0];
    for (const { specifier } of importsOf(file)) {
      const target = path.relative(STATIC, path.resolve(path.dirname(file), specifier));
      if (!users.has(target)) users.set(target, new Set());
      users.get(target).add(page);
      if (page === "desktop") assert.ok(!target.startsWith("admin"), `${file} imports ${target}`);
      if (page === "admin") assert.ok(!target.startsWith("desktop"), `${file} imports ${target}`);
      if (page === "shared") {
        assert.ok(target.startsWith("shared"), `shared ${file} imports a page's ${target}`);
      }
    }
  }
  for (const shared of ["shared/dom.js", "shared/format.js", "shared/interaction.js",
    "shared/user-data.js", "shared/store.js"]) {
    const pages = users.get(shared) ?? new Set();
    assert.ok(pages.has("desktop") && pages.has("admin"), `${shared}: used by ${[...pages]}`);
  }
});
