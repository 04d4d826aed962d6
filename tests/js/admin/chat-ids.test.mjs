// Tests of src/wwe_host/web/static/admin/chat-ids.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CHAT_IDS_KEY, ChatIds } from "../../../src/wwe_host/web/static/admin/chat-ids.js";

function storage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
}

test("chat ids pushed from this page are remembered in the tab's storage", () => {
  const store = storage();
  const ids = new ChatIds(store);
  ids.remember("uuid-1", "chat-1");
  ids.remember("", "chat-2");
  assert.equal(ids.of({ interactionUUID: "uuid-1" }), "chat-1");
  assert.equal(ids.of({ interactionUUID: "uuid-1", chatId: "own" }), "own");
  assert.equal(ids.of({ interactionUUID: "other" }), null);
  const again = new ChatIds(store);
  assert.equal(again.of({ interactionUUID: "uuid-1" }), "chat-1");
  assert.deepEqual(JSON.parse(store.items.get(CHAT_IDS_KEY)), [["uuid-1", "chat-1"]]);
});

test("no storage, broken storage or a broken entry: kept in the page only", () => {
  const none = new ChatIds(null);
  none.remember("u", "c");
  assert.equal(none.of({ interactionUUID: "u" }), "c");
  const broken = new ChatIds({ getItem: () => "{not json", setItem: () => { throw new Error("full"); } });
  broken.remember("u", "c");
  assert.equal(broken.of({ interactionUUID: "u" }), "c");
});

test("at most the last 200 are stored", () => {
  const store = storage();
  const ids = new ChatIds(store);
  for (let n = 0; n < 205; n += 1) ids.remember(`u${n}`, `c${n}`);
  const saved = JSON.parse(store.items.get(CHAT_IDS_KEY));
  assert.equal(saved.length, 200);
  assert.deepEqual(saved[0], ["u5", "c5"]);
});
