// Tests of src/wwe_host/web/static/shared/format.js (pure functions).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  asText, clock, dayOf, duration, isHttpUrl, millisText, outcomeKind, pairsOf, timeOfDay,
} from "../../../src/wwe_host/web/static/shared/format.js";

test("asText: text as is, objects as JSON, nothing as empty", () => {
  assert.equal(asText("a"), "a");
  assert.equal(asText(3), "3");
  assert.equal(asText(false), "false");
  assert.equal(asText(null), "");
  assert.equal(asText(undefined), "");
  assert.equal(asText({ a: [1] }), '{"a":[1]}');
  const loop = {};
  loop.self = loop;
  assert.equal(asText(loop), "[object Object]");
});

test("pairsOf: an object, JSON text of one, arrays of pairs or of {key, value}", () => {
  assert.deepEqual(pairsOf({ a: 1, b: { c: 2 } }), [["a", "1"], ["b", '{"c":2}']]);
  assert.deepEqual(pairsOf('{"x":"y"}'), [["x", "y"]]);
  assert.deepEqual(pairsOf([["k", 1], { key: "n", value: null }]), [["k", "1"], ["n", ""]]);
  assert.deepEqual(pairsOf("plain text"), [["", "plain text"]]);
  assert.deepEqual(pairsOf(""), []);
  assert.deepEqual(pairsOf(null), []);
  assert.deepEqual(pairsOf(42), []);
});

test("isHttpUrl: only http and https, relative ones against the base", () => {
  const base = "https://desktop.example/desktop";
  assert.equal(isHttpUrl("https://a.example/i.png", base), true);
  assert.equal(isHttpUrl("/icon.png", base), true);
  assert.equal(isHttpUrl("javascript:alert(1)", base), false);
  assert.equal(isHttpUrl("data:image/png;base64,AA", base), false);
  assert.equal(isHttpUrl("http://[bad", base), false);
  assert.equal(isHttpUrl("", base), false);
  assert.equal(isHttpUrl(7, base), false);
});

test("duration: MM:SS, H:MM:SS from an hour on, never negative", () => {
  assert.equal(duration(0), "00:00");
  assert.equal(duration(65.9), "01:05");
  assert.equal(duration(3600 + 62), "1:01:02");
  assert.equal(duration(-5), "00:00");
});

test("times of day are local, zero-padded, with milliseconds when asked", () => {
  const d = new Date(2024, 0, 2, 3, 4, 5, 6);
  assert.equal(timeOfDay(d), "03:04:05.006");
  assert.equal(timeOfDay(d, { millis: false }), "03:04:05");
  assert.equal(clock(d.getTime()), "03:04:05.006");
  assert.equal(dayOf(d), "2024-01-02");
});

test("millisText and outcomeKind", () => {
  assert.equal(millisText(1.234), "1.2 ms");
  assert.equal(millisText(undefined), "");
  for (const [outcome, kind] of [["allowed", "ok"], ["ok", "ok"], ["failed", "failed"],
    ["error NOT_ALLOWED", "failed"], ["refused:origin", "refused"], ["quarantined", "refused"],
    ["sent", ""], ["…", ""], [undefined, ""]]) {
    assert.equal(outcomeKind(outcome), kind, String(outcome));
  }
});
