"""The desktop connection's lanes, with a real engine and a recording WebSocket: the
agent's operations are never behind frame traffic, a frame's replies keep their order,
bad desktop messages are answered, and a page that stops reading is closed once."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from engine_support import CRM, DIALER, make_config, started_engine

from wwe_host.engine import Engine
from wwe_host.web import desktop_ws
from wwe_host.web.desktop_ws import BINARY_FRAME, NOT_READING, DesktopConnection

DEEP = "The message nests arrays and objects deeper than 32 levels (the limit)."


class FakeWebSocket:
    """Records what the connection sends; ``blocked`` makes sending wait (a page that
    stopped reading)."""

    def __init__(self, blocked: bool = False) -> None:
        self.sent: list[dict[str, Any]] = []
        self.closed: list[tuple[int, str]] = []
        self._changed = asyncio.Event()
        self._open = asyncio.Event()
        if not blocked:
            self._open.set()

    async def send_text(self, text: str) -> None:
        await self._open.wait()
        self.sent.append(json.loads(text))
        self._changed.set()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed.append((code, reason))
        self._changed.set()

    async def until(self, done: Callable[[], bool]) -> None:
        while not done():
            self._changed.clear()
            await asyncio.wait_for(self._changed.wait(), timeout=10)


async def connected(tmp_path: Path, server: str = "", blocked: bool = False) -> Any:
    engine = await started_engine(tmp_path, make_config(server=server))
    _, session = await engine.login("jdoe", "secret")
    socket = FakeWebSocket(blocked)
    connection = DesktopConnection(engine, socket, session.session_id)  # type: ignore[arg-type]
    engine.attach(session.session_id, connection)
    connection.start()
    dialer = await engine.open_frame(session.session_id, "Dialer", DIALER)
    reply = await engine.handle(
        dialer, {"request": "voice.dial", "parameters": ["noanswer-1"], "referenceId": "d"}
    )
    assert reply is not None
    iid = reply["data"]["interactionId"]
    crm = await engine.open_frame(session.session_id, "CRM", CRM, iid)
    return engine, connection, socket, crm, iid


def frame_message(frame_id: str, message: Any) -> str:
    text = message if isinstance(message, str) else json.dumps(message)
    return json.dumps(
        {"type": "frame.message", "frameId": frame_id, "origin": CRM, "message": text}
    )


def replies(socket: FakeWebSocket) -> list[dict[str, Any]]:
    return [
        m["message"]
        for m in socket.sent
        if m["type"] == "frame.message" and "referenceId" in m["message"]
    ]


async def finish(engine: Engine, connection: DesktopConnection) -> None:
    engine.detach(connection.session_id, connection)
    await connection.stop()
    await engine.stop()


async def test_the_agents_action_is_not_queued_behind_a_frame_flood(tmp_path: Path) -> None:
    """A flood of 10,000 frame requests delayed the agent's Mute click 2.8 s."""
    engine, connection, socket, crm, iid = await connected(tmp_path)
    fid = crm.record.frame_id
    flood = 200
    for n in range(flood):
        connection.receive(
            frame_message(
                fid,
                {
                    "request": "interaction.setUserData",
                    "parameters": [iid, {"Key1": f"v{n}"}],
                    "referenceId": f"r{n}",
                },
            )
        )
    connection.receive(
        json.dumps({"type": "action", "ref": "mute", "op": "mute", "args": {"microphone": True}})
    )
    await socket.until(lambda: len(replies(socket)) == flood)
    await socket.until(lambda: any(m["type"] == "action.result" for m in socket.sent))

    order = [
        m.get("ref") if m["type"] == "action.result" else m["message"]["referenceId"]
        for m in socket.sent
        if m["type"] == "action.result"
        or (m["type"] == "frame.message" and "referenceId" in m["message"])
    ]
    answered = [r for r in replies(socket) if "data" in r]
    refused = [r for r in replies(socket) if r.get("errorCode") == "UNAVAILABLE"]
    # Every request is answered: the first 32 (the bound) run, the rest are refused at once.
    assert len(answered) == 32 and len(refused) == flood - 32
    assert {r["referenceId"] for r in replies(socket)} == {f"r{n}" for n in range(flood)}
    # The agent's operation overtook the frame's queued requests.
    last_answer = max(order.index(r["referenceId"]) for r in answered)
    assert order.index("mute") < last_answer
    # The frame's replies keep the order of its requests.
    assert [r["referenceId"] for r in answered] == [f"r{n}" for n in range(32)]
    assert engine.session_by_id(connection.session_id).mic_muted is True  # type: ignore[union-attr]
    assert crm.in_flight == 0
    await finish(engine, connection)


async def test_bad_desktop_messages_are_answered_and_the_connection_stays(
    tmp_path: Path,
) -> None:
    engine, connection, socket, crm, _ = await connected(tmp_path)
    fid = crm.record.frame_id
    deep_envelope = '{"type":"action","ref":"x1","op":"mute","args":' + "[" * 1000 + "]" * 1000
    connection.receive(deep_envelope + "}")
    connection.receive_bytes()
    connection.receive("not json")
    connection.receive("[1, 2]")
    connection.receive(json.dumps({"type": "nonsense", "ref": 5}))
    connection.receive(json.dumps({"type": "frame.message", "frameId": fid, "message": {}}))
    too_big = connection.limit + 10
    connection.receive(json.dumps({"type": "action", "ref": "big", "pad": "x" * too_big}))
    connection.receive(json.dumps({"type": "ping"}))
    errors = lambda: [m for m in socket.sent if m["type"] == "error"]  # noqa: E731
    await socket.until(lambda: len(errors()) == 7)
    texts = [(e["ref"], e["code"], e["message"]) for e in errors()]
    assert texts[0] == ("x1", "INVALID_PARAMETER", DEEP)
    assert texts[1] == (None, "INVALID_PARAMETER", BINARY_FRAME)
    assert texts[2] == (None, "INVALID_PARAMETER", "The message is not JSON.")
    assert texts[3] == (None, "INVALID_PARAMETER", "A message must be a JSON object with a 'type'.")
    assert texts[4] == (5, "INVALID_PARAMETER", "Unknown message type 'nonsense'.")
    assert texts[5] == (
        None,
        "INVALID_PARAMETER",
        "'message' must be the frame's message serialized as JSON text.",
    )
    assert texts[6][0] == "big" and texts[6][2].endswith(
        f"the limit is {connection.limit} bytes (twice max-message-bytes + 1 MiB)."
    )
    await socket.until(lambda: any(m["type"] == "pong" for m in socket.sent))
    assert socket.closed == []
    await finish(engine, connection)


async def test_a_frame_message_too_deep_for_the_decoder_gets_its_own_refusal(
    tmp_path: Path,
) -> None:
    """~2 KB of 1000-deep arrays closed the desktop's socket (1006)."""
    engine, connection, socket, crm, _ = await connected(tmp_path)
    fid = crm.record.frame_id
    deep = '{"request":"agent.getState","referenceId":"deep","parameters":%s}' % (
        "[" * 1000 + "]" * 1000
    )
    connection.receive(frame_message(fid, deep))
    connection.receive(frame_message(fid, {"request": "agent.getState", "referenceId": "after"}))
    await socket.until(lambda: len(replies(socket)) == 2)
    by_ref = {r["referenceId"]: r for r in replies(socket)}
    assert by_ref["deep"]["errorMessage"] == DEEP
    assert by_ref["deep"]["request"] == "agent.getState"
    assert "data" in by_ref["after"]
    # Replies go to the frame's own origin.
    assert {m["origin"] for m in socket.sent if m["type"] == "frame.message"} == {CRM}
    assert socket.closed == []
    await finish(engine, connection)


async def test_a_page_that_stops_reading_is_closed_once_and_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(desktop_ws, "SEND_QUEUE", 50)
    engine, connection, socket, _, _ = await connected(tmp_path, blocked=True)
    with caplog.at_level(logging.WARNING, logger="wwe_host.web"):
        for n in range(5000):
            connection.frame_message("f-1", CRM, {"n": n})
        await socket.until(lambda: bool(socket.closed))
    assert socket.closed == [(NOT_READING, "not reading: 50 messages are waiting to be sent")]
    lines = [r.getMessage() for r in caplog.records if r.name == "wwe_host.web"]
    assert lines == [
        f"desktop connection of session {connection.session_id} closed by the server: "
        "not reading: 50 messages are waiting to be sent"
    ]
    await finish(engine, connection)


async def test_the_inspectors_rows_go_out_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows wait at most TRAFFIC_EVERY and go out in one message; TRAFFIC_ROWS of them go
    at once. A request costs the page one message (its reply), not two."""
    monkeypatch.setattr(desktop_ws, "TRAFFIC_ROWS", 4)
    engine, connection, socket, crm, _ = await connected(tmp_path)
    # The set-up's row (its voice.dial) goes first.
    await socket.until(lambda: any(m["type"] == "traffic" for m in socket.sent))
    before = len(socket.sent)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for n in range(3):
        connection.ui("traffic", {"n": n})
    await asyncio.sleep(0)
    assert [m for m in socket.sent[before:] if m["type"] == "traffic"] == []  # not yet
    await socket.until(lambda: any(m["type"] == "traffic" for m in socket.sent[before:]))
    assert loop.time() - started >= desktop_ws.TRAFFIC_EVERY * 0.9
    traffic = [m for m in socket.sent[before:] if m["type"] == "traffic"]
    assert traffic == [{"type": "traffic", "entries": [{"n": 0}, {"n": 1}, {"n": 2}]}]
    # Four rows fill a message: it goes without waiting; the fifth waits for the next.
    for n in range(3, 8):
        connection.ui("traffic", {"n": n})

    def sent_traffic() -> list[Any]:
        return [m["entries"] for m in socket.sent[before:] if m["type"] == "traffic"]

    await socket.until(lambda: len(sent_traffic()) == 2)
    assert sent_traffic()[1] == [{"n": n} for n in range(3, 7)]
    await socket.until(lambda: len(sent_traffic()) == 3)
    assert sent_traffic()[2] == [{"n": 7}]
    # A frame request: its reply now, its row with the next traffic message.
    mark = len(socket.sent)
    connection.receive(
        frame_message(crm.record.frame_id, {"request": "agent.getState", "referenceId": "r"})
    )
    await socket.until(lambda: len(replies(socket)) >= 1 and socket.sent[-1]["type"] == "traffic")
    kinds = [m["type"] for m in socket.sent[mark:]]
    assert kinds == ["frame.message", "traffic"]
    assert socket.sent[-1]["entries"][0]["request"] == "agent.getState"
    await finish(engine, connection)


async def test_waiting_messages_give_their_places_back_when_the_page_goes(
    tmp_path: Path,
) -> None:
    engine, connection, _, crm, _ = await connected(tmp_path)
    fid = crm.record.frame_id
    for n in range(10):
        connection.receive(frame_message(fid, {"request": "agent.getState", "referenceId": n}))
    assert crm.in_flight == 10
    engine.detach(connection.session_id, connection)
    await connection.stop()
    assert crm.in_flight == 0
    await engine.stop()


async def test_a_message_of_a_frame_closed_meanwhile_is_dropped(tmp_path: Path) -> None:
    engine, connection, socket, crm, _ = await connected(tmp_path)
    fid = crm.record.frame_id
    connection.receive(frame_message(fid, {"request": "agent.getState", "referenceId": "x"}))
    connection.receive(json.dumps({"type": "frame.close", "frameId": fid}))
    connection.receive(frame_message(fid, {"request": "agent.getState", "referenceId": "y"}))
    opened = json.dumps({"type": "frame.open", "ref": "o", "section": "Dialer", "origin": DIALER})
    connection.receive(opened)  # answered after "y" had its turn
    await socket.until(lambda: any(m["type"] == "frame.opened" for m in socket.sent))
    assert engine.frame(connection.session_id, fid) is None
    assert [r["referenceId"] for r in replies(socket)] == ["x"]
    assert crm.in_flight == 0
    await finish(engine, connection)


async def test_a_message_right_after_hello_reaches_the_frame_hello_restores(
    tmp_path: Path,
) -> None:
    """After a reconnect the page sends hello, then what it queued meanwhile: a frame the
    server had forgotten is registered by the hello, and its message is not lost."""
    engine, connection, socket, _, _ = await connected(tmp_path)
    hello = {
        "type": "hello",
        "frames": [{"frameId": "f-77", "section": "Dialer", "origin": DIALER}],
    }
    connection.receive(json.dumps(hello))
    request = {"request": "system.getAllowedServices", "referenceId": "after-hello"}
    connection.receive(
        json.dumps(
            {
                "type": "frame.message",
                "frameId": "f-77",
                "origin": DIALER,
                "message": json.dumps(request),
            }
        )
    )
    await socket.until(lambda: len(replies(socket)) == 1)
    (reply,) = replies(socket)
    assert reply["referenceId"] == "after-hello" and "voice.dial" in reply["data"]
    # Without a hello or frame.open waiting, a message of an unknown frame is dropped.
    connection.receive(frame_message("f-404", {"request": "agent.getState", "referenceId": 1}))
    connection.receive(json.dumps({"type": "ping"}))
    await socket.until(lambda: any(m["type"] == "pong" for m in socket.sent))
    assert len(replies(socket)) == 1
    await finish(engine, connection)
