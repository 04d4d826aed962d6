// Tests of src/wwe_host/web/static/shared/store.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../../src/wwe_host/web/static/shared/store.js";

test("subscribers get every new state, until they unsubscribe", () => {
  const store = new Store();
  const seen = [];
  const stop = store.subscribe((s) => seen.push(s));
  store.set({ n: 1 });
  store.set({ n: 2 });
  stop();
  store.set({ n: 3 });
  assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(store.get(), { n: 3 });
});

test("notify repeats the current state; nothing before the first one", () => {
  const store = new Store();
  const seen = [];
  store.subscribe((s) => seen.push(s));
  store.notify();
  assert.deepEqual(seen, []);
  store.set({ a: 1 });
  store.notify();
  assert.equal(seen.length, 2);
  assert.equal(seen[0], seen[1]);
});

test("update merges into the state and keeps what it does not name", () => {
  const store = new Store();
  store.update({ agents: [1] });
  store.update({ outbox: [] });
  assert.deepEqual(store.get(), { agents: [1], outbox: [] });
});
