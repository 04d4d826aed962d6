"""The desktop WebSocket (web/desktop_ws.py, desktop_hub.py) over real sockets: uvicorn
serves ``build_site(engine)`` on a free port of loopback in the test's event loop, and the
``websockets`` client speaks to it. The engine has an injected clock.

- the upgrade is a cookie door: only the desktop's own origin, 4403 otherwise;
- at most ``max-desktop-connections`` per session, 4429 beyond;
- one snapshot built per change, the same bytes to every connection of the session;
- an expired token closes the desktop with 4401.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import websockets
from engine_support import DIALER, make_config, started_engine
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from wwe_host.api.desktop import ACTIONS
from wwe_host.core.time import ManualClock
from wwe_host.domain.model import AgentSession
from wwe_host.engine import Engine
from wwe_host.server import bind
from wwe_host.web import doors
from wwe_host.web.app import build_site
from wwe_host.web.desktop_hub import DesktopHub
from wwe_host.web.desktop_ws import NOT_LOGGED_IN, SESSION_COOKIE

PUBLIC = "http://127.0.0.1:8080"  # the configuration's public-url (the desktop's origin)
LIMIT = 3
TIMEOUT = 10.0


@dataclass
class Live:
    engine: Engine
    hub: DesktopHub
    url: str
    clock: ManualClock

    async def token(self, username: str = "jdoe", password: str = "secret") -> str:
        token, _ = await self.engine.login(username, password)
        return token

    async def connect(self, token: str | None, origin: str | None = PUBLIC) -> ClientConnection:
        headers = {"Cookie": f"{SESSION_COOKIE}={token}"} if token else {}
        return await websockets.connect(
            self.url,
            origin=Origin(origin) if origin is not None else None,
            additional_headers=headers,
            proxy=None,
            open_timeout=TIMEOUT,
        )

    async def desktop(self, token: str) -> ClientConnection:
        """A connected desktop that said hello and got its first snapshot."""
        ws = await self.connect(token)
        await ws.send(json.dumps({"type": "hello", "frames": []}))
        assert (await next_of(ws, "snapshot"))["type"] == "snapshot"
        return ws


async def next_of(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if message["type"] == kind:
            return message


async def refusal(ws: ClientConnection) -> tuple[int, str, list[Any]]:
    """What a refused connection got before its close: (code, reason, messages)."""
    got: list[Any] = []
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            got.append(json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)))
    received = closed.value.rcvd
    assert received is not None, "the server did not close with a code"
    return received.code, received.reason, got


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    clock = ManualClock()
    server_options = (
        f"max-desktop-connections = {LIMIT}\n"
        "session-idle-timeout = 10\n"
        "session-max-lifetime = 60\n"
        "desktop-origins = https://desk.example.com\n"
    )
    engine = await started_engine(tmp_path, make_config(server=server_options), clock)
    app = build_site(engine)
    hub = app.app.state.desktops  # type: ignore[attr-defined]
    sock = bind("127.0.0.1", 0)  # listening already: clients queue until uvicorn accepts
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, lifespan="off", ws="websockets-sansio", log_level="warning")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield Live(engine, hub, f"ws://127.0.0.1:{port}/desktop/ws", clock)
    finally:
        server.should_exit = True
        await task
        await engine.stop()


@pytest.fixture
def fresh_log_gate(monkeypatch: pytest.MonkeyPatch) -> doors.LogGate:
    gate = doors.LogGate(clock=ManualClock(0.0))
    monkeypatch.setattr(doors, "_log_gate", gate)
    return gate


# --------------------------------------------------------------------------- the door


async def test_the_desktops_own_origin_gets_its_snapshot(live: Live) -> None:
    token = await live.token()
    for origin in (PUBLIC, "HTTP://127.0.0.1:8080", "https://desk.example.com"):
        ws = await live.connect(token, origin)
        await ws.send(json.dumps({"type": "hello", "frames": []}))
        snapshot = await next_of(ws, "snapshot")
        assert snapshot["data"]["agent"]["username"] == "jdoe"
        await ws.close()


async def test_another_origin_is_refused_and_learns_nothing(
    live: Live, fresh_log_gate: doors.LogGate, caplog: pytest.LogCaptureFixture
) -> None:
    token = await live.token()
    session = live.engine.live_session("jdoe")
    assert session is not None
    hostile = ("http://127.0.0.1:9003", "http://127.0.0.1:8081", "https://127.0.0.1:8080", "null")
    with caplog.at_level(logging.WARNING, logger="wwe_host.web"):
        for origin in (*hostile, None, "http://127.0.0.1:9003"):
            ws = await live.connect(token, origin)
            with contextlib.suppress(ConnectionClosed):  # closed already, or about to be
                await ws.send(json.dumps({"type": "hello", "frames": []}))
            code, reason, got = await refusal(ws)
            assert (code, got) == (doors.REFUSED_ORIGIN, [])
            assert reason == (
                "refused: no Origin header"
                if origin is None
                else f"refused: origin '{origin}' is not the desktop's"
            )
    # Not even whether the cookie is valid: no cookie, or a wrong one, gets the same 4403.
    for token_sent in (None, "not-a-token"):
        ws = await live.connect(token_sent, "http://127.0.0.1:9003")
        assert (await refusal(ws))[0] == doors.REFUSED_ORIGIN
    assert live.engine.desktops(session.session_id) == 0
    assert live.hub.connections(session.session_id) == 0
    await live.engine.flush_audit()
    audit = await live.engine.store.audit(outcome="refused:door")
    assert [(e.agent, e.request, e.origin) for e in audit[:6]] == [
        ("jdoe", "desktop-ws", origin)
        for origin in (*hostile, "(no Origin header)", "http://127.0.0.1:9003")
    ]
    assert {e.agent for e in audit[-2:]} == {""}
    assert "'http://127.0.0.1:9003' may not open the desktop connection" in audit[0].detail
    # Logged once per origin (a page in a loop cannot flood the log).
    lines = [r.getMessage() for r in caplog.records if "refused desktop-ws" in r.getMessage()]
    assert sum("from http://127.0.0.1:9003 " in line for line in lines) == 1
    assert len(lines) == 5


async def test_not_logged_in_is_4401(live: Live) -> None:
    for token in (None, "not-a-token"):
        ws = await live.connect(token)
        assert (await refusal(ws))[:2] == (NOT_LOGGED_IN, "not logged in")


# --------------------------------------------------------------------------- the limit


async def test_connections_per_session_are_limited(
    live: Live, fresh_log_gate: doors.LogGate, caplog: pytest.LogCaptureFixture
) -> None:
    token = await live.token()
    other = await live.token("asmith", "secret2")
    desktops = [await live.desktop(token) for _ in range(LIMIT)]
    session = live.engine.live_session("jdoe")
    assert session is not None and live.engine.desktops(session.session_id) == LIMIT
    with caplog.at_level(logging.WARNING, logger="wwe_host.web"):
        for _ in range(2):
            extra = await live.connect(token)
            code, reason, got = await refusal(extra)
            assert (code, got) == (doors.TOO_MANY_DESKTOPS, [])
            assert reason == f"too many desktop connections for this session (at most {LIMIT})"
    lines = [r.getMessage() for r in caplog.records if "(connections)" in r.getMessage()]
    assert len(lines) == 1 and "max-desktop-connections" in lines[0]
    # The refused ones changed nothing; another agent's session has its own limit.
    assert live.engine.desktops(session.session_id) == LIMIT
    await (await live.desktop(other)).close()
    # The desktops still work, and a closed one frees its place.
    await desktops[0].send(json.dumps({"type": "ping"}))
    assert (await next_of(desktops[0], "pong")) == {"type": "pong"}
    await desktops[0].close()
    await desktops[0].wait_closed()
    replacement = await live.desktop(token)
    await replacement.close()
    await live.engine.flush_audit()
    audit = await live.engine.store.audit(outcome="refused:door")
    assert [(e.agent, e.request, e.origin) for e in audit] == [("jdoe", "desktop-ws", PUBLIC)] * 2
    assert "too many desktop connections" in audit[0].detail


# --------------------------------------------------------------------------- snapshots


async def test_one_snapshot_is_built_per_change_for_all_connections(live: Live) -> None:
    built: list[str] = []
    build = live.hub.build

    def counting(engine: Engine, session: AgentSession) -> bytes:
        built.append(session.session_id)
        return build(engine, session)

    live.hub.build = counting
    token = await live.token()
    desktops = [await live.desktop(token) for _ in range(LIMIT)]
    session = live.engine.live_session("jdoe")
    assert session is not None
    assert built == []  # the hello snapshots are each connection's own

    async def change(operation: str) -> list[dict[str, Any]]:
        await live.engine.agent_operation(
            session.session_id,
            lambda call: ACTIONS["setState"](call, {"operationName": operation}),
        )
        return [await next_of(ws, "snapshot") for ws in desktops]

    first = await change("Ready")
    assert built == [session.session_id]
    assert all(s == first[0] for s in first) and first[0]["data"]["state"]["type"] == "READY"
    second = await change("NotReady")
    assert built == [session.session_id] * 2
    assert second[0]["data"]["state"]["type"] == "NOT_READY"
    for ws in desktops:
        await ws.close()


# --------------------------------------------------------------------------- expiry


async def test_an_expired_token_closes_the_desktop_with_4401(live: Live) -> None:
    token = await live.token()
    ws = await live.desktop(token)
    minute = 60.0

    async def ping() -> None:
        await ws.send(json.dumps({"type": "ping"}))

    # Every message is a use of the token: the desktop's pings keep it from idling out...
    for _ in range(6):
        live.clock.now += 9 * minute
        await ping()
        assert await next_of(ws, "pong") == {"type": "pong"}
    # ...but not past its absolute lifetime (60 minutes).
    live.clock.now += 7 * minute
    await ping()
    assert (await refusal(ws))[:2] == (NOT_LOGGED_IN, "the session token has expired")
    assert live.engine.live_session("jdoe") is not None  # the session itself stays
    again = await live.connect(token)
    assert (await refusal(again))[:2] == (NOT_LOGGED_IN, "not logged in")


async def test_an_idle_token_cannot_open_the_desktop(live: Live) -> None:
    token = await live.token()
    live.clock.now += 10 * 60.0
    ws = await live.connect(token)
    assert (await refusal(ws))[0] == NOT_LOGGED_IN


# --------------------------------------------------------------------------- tabs


async def test_desktop_tabs_lead_follow_and_report_what_they_show(live: Live) -> None:
    token = await live.token()
    first = await live.connect(token)
    await first.send(json.dumps({"type": "hello", "tabId": "tab-1", "frames": []}))
    assert (await next_of(first, "snapshot"))["data"]["tabs"] == {"tab-1": "LEADING"}
    second = await live.connect(token)
    await second.send(json.dumps({"type": "hello", "tabId": "tab-2", "frames": []}))
    tabs = (await next_of(second, "snapshot"))["data"]["tabs"]
    assert tabs == {"tab-1": "LEADING", "tab-2": "FOLLOWING"}
    session = live.engine.live_session("jdoe")
    assert session is not None
    sid = session.session_id
    # A frame the second tab opens is held by it; its report says what it shows.
    await second.send(
        json.dumps({"type": "frame.open", "ref": 1, "section": "Dialer", "origin": DIALER})
    )
    frame_id = (await next_of(second, "frame.opened"))["frameId"]
    await second.send(json.dumps({"type": "tab", "visible": True, "shown": [frame_id]}))
    # The frame lane keeps order: once a later frame.open is answered, the report was taken.
    await second.send(
        json.dumps({"type": "frame.open", "ref": 2, "section": "Dialer", "origin": DIALER})
    )
    await next_of(second, "frame.opened")
    view = live.engine.frame_tab(sid, frame_id)
    assert (view.tab_id, view.state, view.visible) == ("tab-2", "FOLLOWING", True)
    # A follower that goes: the leader's desktop is told (a snapshot without it).
    await second.close()
    while True:
        data = (await next_of(first, "snapshot"))["data"]
        if data["tabs"] == {"tab-1": "LEADING"}:
            break
    await first.close()


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ({"type": "hello", "tabId": "bad id!"}, "'tabId' must be 1 to 64 letters"),
        ({"type": "tab", "visible": "yes"}, "'visible' must be a boolean"),
        ({"type": "tab", "shown": "f-1"}, "'shown' must be an array"),
        ({"type": "tab", "active": 1}, "'active' must be a boolean"),
    ],
)
async def test_bad_tab_messages_are_refused_naming_the_field(
    live: Live, message: dict[str, Any], text: str
) -> None:
    token = await live.token()
    ws = await live.desktop(token) if message["type"] == "tab" else await live.connect(token)
    await ws.send(json.dumps(message))
    error = await next_of(ws, "error")
    assert error["code"] == "INVALID_PARAMETER" and text in error["message"]
    await ws.close()


async def test_a_tab_report_before_hello_is_refused(live: Live) -> None:
    ws = await live.connect(await live.token())
    await ws.send(json.dumps({"type": "tab", "visible": True}))
    error = await next_of(ws, "error")
    assert error["code"] == "INVALID_STATE" and "after 'hello'" in error["message"]
    await ws.close()
