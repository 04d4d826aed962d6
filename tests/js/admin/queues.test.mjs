// Tests of src/wwe_host/web/static/admin/queues.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, text, withIds } from "../fake-dom.mjs";
import { QueuesPanel, waitingSummary, waitingWhat } from "../../../src/wwe_host/web/static/admin/queues.js";

beforeEach(() => installDom());

const NOW = 1_700_000_100;
const SALES = {
  name: "sales", configured: true, media: ["voice", "chat"], agents: ["agent1", "agent2"],
  waiting: [
    { itemId: "i1", media: "voice", from: "+15550100", enqueuedAt: NOW - 72, userData: { Source: "ivr" },
      callUuid: "c-1" },
    { itemId: "i2", media: "chat", from: "Ann", enqueuedAt: NOW - 5, userData: {}, chatId: "chat-9" },
  ],
};
const GONE = { name: "old", configured: false, media: [], agents: [],
  waiting: [{ itemId: "i3", media: "email", from: "a@b.example", enqueuedAt: NOW - 3600,
    userData: {}, subject: "Invoice" }] };

test("waitingWhat and waitingSummary say what waits and how long", () => {
  assert.equal(waitingWhat(SALES.waiting[0]), "call c-1");
  assert.equal(waitingWhat(SALES.waiting[1]), "chat chat-9");
  assert.equal(waitingWhat(GONE.waiting[0]), "Invoice");
  assert.equal(waitingSummary([], NOW), "none waiting");
  assert.equal(waitingSummary(SALES.waiting, NOW), "2 waiting, longest 01:12");
});

test("QueuesPanel: one card per queue, the waiting rows oldest first, the waits ticking", () => {
  const els = withIds({ "queue-list": "div", "no-queues": "p" });
  let now = NOW;
  const panel = new QueuesPanel({ list: els["queue-list"], empty: els["no-queues"] }, () => now);
  panel.render([SALES, { ...SALES, name: "empty", waiting: [] }, GONE]);
  const cards = els["queue-list"].querySelectorAll("article");
  assert.deepEqual(cards.map((c) => c.dataset.queue), ["sales", "empty", "old"]);
  assert.equal(text(cards[0].querySelector("h3")), "queue:sales \u2014 2 waiting, longest 01:12");
  assert.equal(text(cards[0].querySelector("p")), "voice, chat \u00B7 members: agent1, agent2");
  const rows = cards[0].querySelectorAll("tbody tr");
  assert.deepEqual(rows.map((r) => r.dataset.item), ["i1", "i2"]);
  assert.deepEqual(rows[0].querySelectorAll("td").slice(1).map(text),
    ["01:12", "voice", "+15550100", "call c-1", "Source=ivr"]);
  assert.equal(cards[1].querySelector("table"), null);
  assert.equal(cards[2].dataset.configured, "false");
  assert.equal(text(cards[2].querySelector("p")), "no longer configured: nobody can take these");
  assert.equal(els["no-queues"].hidden, true);
  now += 10;
  panel.render([SALES]);
  const [card] = els["queue-list"].querySelectorAll("article");
  assert.equal(text(card.querySelector("h3")), "queue:sales \u2014 2 waiting, longest 01:22");
  panel.render([]);
  assert.equal(els["no-queues"].hidden, false);
});
