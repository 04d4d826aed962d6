// Tests of src/wwe_host/web/static/desktop/connection.js, with a fake WebSocket.
import { afterEach, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { installDom } from "../fake-dom.mjs";
import {
  Connection, ConnectionLost, NOT_LOGGED_IN, QUEUE_LIMIT, RequestFailed,
} from "../../../src/wwe_host/web/static/desktop/connection.js";

class FakeSocket {
  static OPEN = 1;
  static made = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.listeners = {};
    FakeSocket.made.push(this);
  }

  addEventListener(type, fn) {
    this.listeners[type] = fn;
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close() {
    this.readyState = 3;
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    this.listeners.open();
  }

  receive(message) {
    this.listeners.message({ data: JSON.stringify(message) });
  }

  drop(code = 1006) {
    this.readyState = 3;
    this.listeners.close({ code });
  }
}

let connection;
beforeEach(() => {
  installDom();
  FakeSocket.made = [];
  globalThis.WebSocket = FakeSocket;
});
afterEach(() => connection?.stop());

function connect() {
  const got = [];
  const status = [];
  const notes = [];
  connection = new Connection({ url: "ws://test/desktop/ws", frames: () => [{ frameId: "f-1" }],
    onMessage: (m) => got.push(m), onStatus: (up) => status.push(up), onNote: (t) => notes.push(t) });
  connection.start();
  return { socket: FakeSocket.made.at(-1), got, status, notes };
}

test("hello first, with the page's frames; what waited goes out after it", () => {
  const { socket, status } = connect();
  connection.send({ type: "frame.message", frameId: "f-1" });
  socket.open();
  assert.deepEqual(socket.sent.map((m) => m.type), ["hello", "frame.message"]);
  assert.deepEqual(socket.sent[0].frames, [{ frameId: "f-1" }]);
  assert.deepEqual(status, [true]);
});

test("answers settle their request by ref; other messages go to the page", async () => {
  const { socket, got } = connect();
  socket.open();
  const opened = connection.request({ type: "frame.open", section: "CRM" });
  const action = connection.action("dial", { destination: "6002" });
  const refused = connection.action("hold");
  const [open, dial, hold] = socket.sent.slice(1);
  assert.deepEqual(dial, { type: "action", op: "dial", args: { destination: "6002" }, ref: dial.ref });
  socket.receive({ type: "frame.opened", ref: open.ref, frameId: "f-2" });
  socket.receive({ type: "action.result", ref: dial.ref, ok: true, data: { id: "3" } });
  socket.receive({ type: "action.result", ref: hold.ref, ok: false,
    error: { code: "INVALID_STATE", message: "Not talking." } });
  socket.receive({ type: "snapshot", data: {} });
  socket.receive({ type: "pong" });
  assert.equal((await opened).frameId, "f-2");
  assert.deepEqual(await action, { id: "3" });
  const error = await refused.catch((e) => e);
  assert.ok(error instanceof RequestFailed);
  assert.equal(error.code, "INVALID_STATE");
  assert.deepEqual(got.map((m) => m.type), ["snapshot"]);
});

test("a lost link: frame.open is sent again after the next hello, an action is not", async () => {
  const { socket, status } = connect();
  socket.open();
  const open = connection.request({ type: "frame.open", section: "CRM" }, { retry: true });
  const action = connection.action("dial", { destination: "6002" });
  socket.drop();
  assert.ok((await action.catch((e) => e)) instanceof ConnectionLost);
  assert.deepEqual(status, [true, false]);
  connection.connect();
  const again = FakeSocket.made.at(-1);
  again.open();
  assert.deepEqual(again.sent.map((m) => m.type), ["hello", "frame.open"]);
  again.receive({ type: "frame.opened", ref: again.sent[1].ref, frameId: "f-9" });
  assert.equal((await open).frameId, "f-9");
});

test("the offline queue is bounded: the oldest is dropped, its request refused, and noted", async () => {
  const { notes } = connect();
  const first = connection.action("dial", { destination: "1" });
  for (let n = 0; n < QUEUE_LIMIT; n += 1) connection.send({ type: "frame.message", frameId: "f-1" });
  const error = await first.catch((e) => e);
  assert.equal(error.code, "UNAVAILABLE");
  assert.equal(connection.queue.length, QUEUE_LIMIT);
  assert.match(notes[0], /dropped the oldest waiting message \(action dial\)/);
});

test("a socket closed as not logged in goes to the login page and stays closed", () => {
  const { socket } = connect();
  socket.open();
  socket.drop(NOT_LOGGED_IN);
  assert.equal(window.location.assigned, "/");
  assert.equal(connection.stopped, true);
});
