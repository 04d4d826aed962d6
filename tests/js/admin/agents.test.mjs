// Tests of src/wwe_host/web/static/admin/agents.js.
import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import { AgentsTable, desktopItemsText } from "../../../src/wwe_host/web/static/admin/agents.js";

let document;
beforeEach(() => {
  document = installDom();
});

const JDOE = {
  username: "jdoe", firstname: "John", lastname: "Doe", number: "5001", loggedIn: true,
  state: { type: "READY", displayName: "Ready" }, mediaStates: {}, interactions: 1,
  dialogs: [{ dialogId: "wweCustomDialog1", url: "https://crm.example/d", label: "Notes", openerOrigin: "https://crm.example" }],
  menuItems: [{ name: "n", label: "Leads", origin: "https://crm.example" }],
};

test("desktopItemsText names the open dialogs and the header items with their owners", () => {
  assert.equal(desktopItemsText(JDOE), 'dialog wweCustomDialog1 "Notes" · menu "Leads" (https://crm.example)');
  assert.equal(desktopItemsText({ dialogs: [], menuItems: [] }), "");
  assert.equal(desktopItemsText({}), "");
});

test("AgentsTable shows them in the agent's row, and clears them when gone", () => {
  const body = document.createElement("tbody");
  const table = new AgentsTable(body);
  table.render([JDOE]);
  const cell = () => body.children[0].children[7];
  assert.equal(cell().textContent, 'dialog wweCustomDialog1 "Notes" · menu "Leads" (https://crm.example)');
  table.render([{ ...JDOE, dialogs: [], menuItems: [] }]);
  assert.equal(cell().textContent, "");
});
