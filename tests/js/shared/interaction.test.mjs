// Tests of src/wwe_host/web/static/shared/interaction.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import {
  interactionName, mediaIcon, mediaInfo, partiesOf,
} from "../../../src/wwe_host/web/static/shared/interaction.js";

beforeEach(() => installDom());

test("partiesOf: names first, else the address or number", () => {
  assert.equal(partiesOf({ media: "voice", parties: [{ name: "Ann" }, {}, { name: "Bo" }] }), "Ann, Bo");
  assert.equal(partiesOf({ media: "voice", ani: "+1555", dnis: "6001" }), "+1555");
  assert.equal(partiesOf({ media: "voice", dnis: "6001" }), "6001");
  assert.equal(partiesOf({ media: "email", from: "a@x.example", to: "b@x.example" }), "a@x.example");
  assert.equal(partiesOf({ media: "email", to: "b@x.example" }), "b@x.example");
  assert.equal(partiesOf({ media: "chat" }), "");
});

test("interactionName: the noun, the id on the desktop, the parties", () => {
  const call = { media: "voice", interactionId: "3", ani: "+15550100" };
  assert.equal(interactionName(call), "Voice call 3 \u2013 +15550100");
  assert.equal(interactionName(call, { withId: false }), "Voice call \u2013 +15550100");
  assert.equal(interactionName({ media: "chat", interactionId: "9" }), "Chat 9");
  assert.equal(interactionName({ media: "fax", interactionId: "1" }), "fax 1");
});

test("mediaInfo names unknown media by themselves", () => {
  assert.equal(mediaInfo("email").label, "E-mail");
  assert.equal(mediaInfo("fax").noun, "fax");
});

test("mediaIcon: an image named by the media, or decorative", () => {
  const named = mediaIcon("voice");
  assert.equal(named.getAttribute("role"), "img");
  assert.equal(named.getAttribute("aria-label"), "Voice");
  assert.equal(named.className, "media-icon media-voice");
  const svg = named.firstChild;
  assert.equal(svg.getAttribute("aria-hidden"), "true");
  assert.equal(svg.firstChild.getAttribute("d"), mediaInfo("voice").path);
  const decorative = mediaIcon("chat", { decorative: true });
  assert.equal(decorative.getAttribute("role"), null);
  assert.equal(decorative.getAttribute("aria-hidden"), "true");
});
