// Shared by the client library's tests (client*.test.mjs): the library loaded into a
// node:vm context whose global object is a small fake `window` (see client.test.mjs).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCRIPT_PATH = `${ROOT}src/wwe_host/web/static/wwe-service-client-api.js`;
export const DTS_PATH = `${ROOT}src/wwe_host/web/static/wwe-service-client-api.d.ts`;
export const CATALOG_PATH = `${ROOT}src/wwe_host/catalog.py`;
export const SOURCE = readFileSync(SCRIPT_PATH, "utf8");

export const HOST = "https://desktop.example";
export const NO_HOST =
  "No Workspace host answered: is this page embedded in the agent desktop, and is its " +
  "origin listed in service-client-api.accepted-web-content-origins?";

export function fakeWindow(name) {
  const win = {
    name,
    closed: false,
    posted: [],
    postMessage(message, targetOrigin) {
      // Structured clone, like the browser: throws DataCloneError on functions.
      win.posted.push({ message: structuredClone(message), targetOrigin });
    },
  };
  return win;
}

// A fresh page with the library loaded. `opener`: give the page an opener window.
// `topLevel`: the page is not in a frame (window.parent === window). `refTimers`: keep the
// process alive for the library's timers (tests that wait for a timeout need it).
export function load({ opener = false, topLevel = false, refTimers = false, before } = {}) {
  const listeners = [];
  const reported = [];
  const warnings = [];
  const parent = fakeWindow("parent");
  const openerWin = opener ? fakeWindow("opener") : null;
  const sandbox = {
    console: { ...console, warn: (text) => warnings.push(text) },
    setTimeout(fn, ms) {
      const handle = setTimeout(fn, ms);
      if (!refTimers) handle.unref();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle),
    reportError: (error) => reported.push(error),
    addEventListener(type, fn) {
      if (type === "message") listeners.push(fn);
    },
    removeEventListener(type, fn) {
      const index = listeners.indexOf(fn);
      if (type === "message" && index !== -1) listeners.splice(index, 1);
    },
    opener: openerWin,
  };
  sandbox.window = sandbox;
  sandbox.self = sandbox;
  sandbox.parent = topLevel ? sandbox : parent;
  vm.createContext(sandbox);
  if (before) vm.runInContext(before, sandbox);
  vm.runInContext(SOURCE, sandbox, { filename: SCRIPT_PATH });

  const env = {
    sandbox,
    service: sandbox.genesys.wwe.service,
    parent,
    opener: openerWin,
    listeners,
    reported,
    warnings,
    deliver(data, { origin = HOST, source = openerWin ?? parent } = {}) {
      for (const fn of [...listeners]) fn({ data, origin, source });
    },
    greet(frameId = "f-2", { origin = HOST, source } = {}) {
      env.deliver(
        { frameId, userAgent: "WWE Server", protocolVersion: 2 },
        { origin, source: source ?? openerWin ?? parent },
      );
    },
    reply(referenceId, fields = {}, options = {}) {
      env.deliver(
        { referenceId, userAgent: "WWE Server", protocolVersion: 2, ...fields },
        options,
      );
    },
    // Every message posted so far to `win` (default: where the library posts by default).
    sent(win = openerWin ?? parent) {
      return win.posted;
    },
    last(win = openerWin ?? parent) {
      const posted = win.posted;
      return posted[posted.length - 1];
    },
  };
  return env;
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));
export const plain = (value) => structuredClone(value);

// Settles `promise` and returns ["resolved", value] or ["rejected", reason].
export async function outcome(promise) {
  try {
    return ["resolved", await promise];
  } catch (reason) {
    return ["rejected", reason];
  }
}

export function catalogRequests() {
  const text = readFileSync(CATALOG_PATH, "utf8");
  const block = (start, end) => text.slice(text.indexOf(start), text.indexOf(end, text.indexOf(start)));
  const requests = [...block("REQUESTS", ")\n").matchAll(/"([A-Za-z]+\.[A-Za-z]+)"/g)].map((m) => m[1]);
  const aliases = [...block("ALIASES", "}\n").matchAll(/"([A-Za-z]+\.[A-Za-z]+)":/g)].map((m) => m[1]);
  return [...requests, ...aliases];
}


// Arguments for the requests of api-9.md, and what the vendor's current library posts for
// them (read from GenesysPureEngage/workspace-development-kit, wwe-service-client-api.js:
// the vendor sends an absent optional parameter as `undefined`, which reaches the server as
// null; this library leaves trailing ones out: the same request).
const TARGET = { type: "AGENT", destination: "asmith" };
export const API_9_ARGUMENTS = {
  "interaction.accept": ["1"],
  "interaction.reject": ["1"],
  "interaction.singleStepTransfer": ["1", TARGET, { K: "v" }, { E: "x" }],
  "interaction.singleStepConference": ["1", TARGET, { K: "v" }, { E: "x" }],
  "interaction.consult": ["1", TARGET, { K: "v" }, { E: "x" }],
  "interaction.completeTransfer": ["2"],
  "interaction.completeConference": ["2"],
  "voice.dialEx": ["5550100", { K: "v" }, { E: "x" }],
  "outbound.getCampaigns": [],
  "outbound.getPreviewRecord": ["C1"],
  "outbound.getChainedRecords": ["3"],
  "outbound.getRecordFields": ["3"],
  "outbound.updateRecordFields": ["3", { f: "v" }],
  "outbound.callPreviewRecord": ["3", 7],
  "outbound.rejectPreviewRecord": ["3"],
  "outbound.cancelPreviewRecord": ["3"],
  "outbound.startDirectPushPreview": [],
  "outbound.stopDirectPushPreview": [],
  "outbound.rescheduleRecord": ["3", 7, "12/24/2026 9:30", "Personal"],
  "outbound.cancelReschedule": ["3"],
  "outbound.getListOfCallResults": [],
  "outbound.setCallResult": ["3", 33],
  "outbound.getCallResult": ["3"],
  "outbound.setDoNotCall": ["3"],
  "outbound.removeDoNotCall": ["3"],
  "system.openDialog": ["https://app.example/dialog.html", { label: "L", width: 300, height: 200 }],
  "system.closeDialog": ["wweCustomDialog1"],
  "system.updateViewInApplicationMenuBar": [{ name: "n", label: "L" }],
  "system.closeViewInApplicationMenuBar": ["n"],
  "system.amIVisible": [],
  "system.isFrameLeading": [],
  "system.isFrameFollowing": [],
  "system.isFrameNegotiating": [],
  "system.isFrameLeadingOrNegotiating": [],
  "system.isLastActiveFrame": [],
  "messenger.broadcastMessage": ["my-channel", { foo: "A foo text.", bar: 1234 }],
  "configuration.getOption": [["voice.*", "MySection/*"]],
  "auth.getJwtToken": [],
};
