// Tests of src/wwe_host/web/static/desktop/background-apps.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom, withIds } from "../fake-dom.mjs";
import {
  BackgroundApps, backgroundLines,
} from "../../../src/wwe_host/web/static/desktop/background-apps.js";

beforeEach(() => installDom());

test("each background app is named with its interaction", () => {
  const apps = [{ key: "w:Bg", label: "Sync", interactionId: null },
    { key: "i:3:Bg", label: "Logger", interactionId: "3" },
    { key: "i:9:Bg", label: "Gone", interactionId: "9" }];
  assert.deepEqual(backgroundLines(apps, [{ interactionId: "3", media: "voice" }]),
    ["Sync", "Logger \u2013 Voice call 3", "Gone"]);
});

test("the panel lists them and hides when there are none", () => {
  const els = withIds({ "background-apps": "section", "background-list": "ul > background-apps" });
  const panel = new BackgroundApps();
  panel.render({ interactions: [] }, [{ key: "w:Bg", label: "Sync", interactionId: null,
    frameId: "f-2" }]);
  assert.equal(els["background-list"].children[0].textContent, "Sync");
  assert.equal(els["background-list"].children[0].dataset.frameId, "f-2");
  assert.equal(els["background-apps"].hidden, false);
  panel.render({ interactions: [] }, []);
  assert.equal(els["background-apps"].hidden, true);
});
