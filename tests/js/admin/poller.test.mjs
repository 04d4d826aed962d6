// Tests of src/wwe_host/web/static/admin/poller.js, with fake timers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Poller } from "../../../src/wwe_host/web/static/admin/poller.js";

function fakeTimers() {
  const pending = new Map();
  let next = 1;
  return {
    pending,
    setTimeout(fn, ms) {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout(id) {
      pending.delete(id);
    },
    async fire() {
      const [[id, { fn }]] = pending;
      pending.delete(id);
      await fn();
    },
  };
}

test("a refresh asked for while a load runs makes exactly one more load after it", async () => {
  const gates = [];
  let loads = 0;
  const poller = new Poller({ active: () => true, load: () => {
    loads += 1;
    return new Promise((resolve) => gates.push(resolve));
  } });
  const first = poller.refresh();
  poller.refresh();
  poller.refresh();
  assert.equal(loads, 1);
  gates.shift()();
  await first;
  assert.equal(loads, 2);
  gates.shift()();
  await poller.running;
  assert.equal(loads, 2);
});

test("a failed load does not stop the next one", async () => {
  let loads = 0;
  const poller = new Poller({ active: () => true, load: async () => {
    loads += 1;
    throw new Error("down");
  } });
  await poller.refresh();
  await poller.refresh();
  assert.equal(loads, 2);
});

test("schedule arms one timer while active; each load arms the next; stop disarms", async () => {
  const timers = fakeTimers();
  let active = true;
  let loads = 0;
  const poller = new Poller({ active: () => active, timers, every: 1000,
    load: async () => { loads += 1; } });
  poller.schedule();
  poller.schedule();
  assert.equal(timers.pending.size, 1);
  assert.equal([...timers.pending.values()][0].ms, 1000);
  await timers.fire();
  assert.equal(loads, 1);
  assert.equal(timers.pending.size, 1, "the next one");
  poller.stop();
  assert.equal(timers.pending.size, 0);
  active = false;
  poller.schedule();
  assert.equal(timers.pending.size, 0, "hidden or leaving: no timer");
});
