"""The desktop's WebSocket (docs/desktop-protocol.md): the relay's link to the engine.

One connection per desktop page. Messages are handled in arrival order, so the replies and
events a frame receives keep the order in which things happened. The upgrade is a cookie
door (web/doors.py: the desktop's own origin only); a session has at most
``max-desktop-connections`` desktops, which share one snapshot per change (desktop_hub.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import msgspec
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..api.context import Call
from ..api.desktop import ACTIONS
from ..engine import Engine
from ..errors import ApiError, ErrorCode
from . import doors
from .desktop_hub import DesktopHub, SessionDesktops, snapshot_message

log = logging.getLogger("wwe_host.web")

SESSION_COOKIE = "wwe_session"
NOT_LOGGED_IN = 4401
SEND_QUEUE = 10_000

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


class DesktopConnection:
    """The engine's ``DesktopSink`` for one page: a bounded queue drained by one writer."""

    def __init__(self, engine: Engine, websocket: WebSocket, session_id: str) -> None:
        self.engine = engine
        self.websocket = websocket
        self.session_id = session_id
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(SEND_QUEUE)
        self.desktops: SessionDesktops | None = None  # set once the session's hub took it

    # --- DesktopSink ---------------------------------------------------------------------

    def frame_message(self, frame_id: str, origin: str, message: dict[str, Any]) -> None:
        self._put(
            {"type": "frame.message", "frameId": frame_id, "origin": origin, "message": message}
        )

    def ui(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "traffic":
            self._put({"type": "traffic", "entry": data})
            return
        if kind == "session":
            self._put({"type": "session.ended", "reason": data.get("ended", "logout")})
            return
        self._put({"type": "notice", "kind": kind, "data": data})
        if self.desktops is not None:
            self.desktops.snapshot_due()

    # --- plumbing ------------------------------------------------------------------------

    def _put(self, payload: dict[str, Any]) -> None:
        self.put_encoded(_encode(payload))

    def put_encoded(self, data: bytes) -> None:
        """Queue an encoded message (the hub hands the same snapshot bytes to each)."""
        try:
            self.queue.put_nowait(data)
        except asyncio.QueueFull:
            log.warning("desktop of session %s is not reading; closing it", self.session_id)
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)

    def _send_snapshot(self) -> None:
        session = self.engine.session_by_id(self.session_id)
        if session is not None:
            self.put_encoded(snapshot_message(self.engine, session))

    async def writer(self) -> None:
        while True:
            data = await self.queue.get()
            if data is None:
                await self.websocket.close()
                return
            await self.websocket.send_text(data.decode())

    # --- incoming ------------------------------------------------------------------------

    async def receive(self, text: str) -> None:
        try:
            message = _decode(text)
        except msgspec.DecodeError:
            self._put(
                {
                    "type": "error",
                    "code": "INVALID_PARAMETER",
                    "message": "The message is not JSON.",
                }
            )
            return
        if not isinstance(message, dict):
            self._put(
                {
                    "type": "error",
                    "code": "INVALID_PARAMETER",
                    "message": "A message must be a JSON object with a 'type'.",
                }
            )
            return
        kind = message.get("type")
        ref = message.get("ref")
        try:
            if kind == "frame.message":
                await self._frame_message(message)
            elif kind == "action":
                await self._action(message)
            elif kind == "hello":
                await self._hello(message)
            elif kind == "frame.open":
                handle = await self.engine.open_frame(
                    self.session_id,
                    _str(message, "section"),
                    _str(message, "origin"),
                    _opt_str(message, "interactionId"),
                    _opt_str(message, "frameId"),
                )
                self._put({"type": "frame.opened", "ref": ref, "frameId": handle.record.frame_id})
            elif kind == "frame.close":
                await self.engine.close_frame(self.session_id, _str(message, "frameId"))
            elif kind == "ping":
                self._put({"type": "pong"})
            else:
                raise ApiError(ErrorCode.INVALID_PARAMETER, f"Unknown message type {kind!r}.")
        except ApiError as error:
            self._put(
                {"type": "error", "ref": ref, "code": error.code.value, "message": error.message}
            )

    async def _frame_message(self, message: dict[str, Any]) -> None:
        frame_id = _str(message, "frameId")
        handle = self.engine.frame(self.session_id, frame_id)
        if handle is None:
            return
        origin = message.get("origin")
        if isinstance(origin, str) and origin != handle.record.origin:
            handle = await self.engine.frame_navigated(handle, origin)
        raw = message.get("message")
        if not isinstance(raw, str):
            return
        reply = await self.engine.handle_raw(handle, raw)
        if reply is not None:
            self.frame_message(frame_id, handle.record.origin, reply)

    async def _action(self, message: dict[str, Any]) -> None:
        ref = message.get("ref")
        op = message.get("op")
        args = message.get("args") or {}
        action = ACTIONS.get(op) if isinstance(op, str) else None
        if action is None or not isinstance(args, dict):
            raise ApiError(ErrorCode.INVALID_PARAMETER, f"Unknown agent operation {op!r}.")

        def run(call: Call) -> Any:
            return action(call, args)

        try:
            data = await self.engine.agent_operation(self.session_id, run)
        except ApiError as error:
            self._put(
                {
                    "type": "action.result",
                    "ref": ref,
                    "ok": False,
                    "error": {"code": error.code.value, "message": error.message},
                }
            )
            return
        self._put({"type": "action.result", "ref": ref, "ok": True, "data": data})

    async def _hello(self, message: dict[str, Any]) -> None:
        frames = message.get("frames") or []
        listed: set[str] = set()
        if isinstance(frames, list):
            for entry in frames:
                if not isinstance(entry, dict):
                    continue
                try:
                    handle = await self.engine.open_frame(
                        self.session_id,
                        _str(entry, "section"),
                        _str(entry, "origin"),
                        _opt_str(entry, "interactionId"),
                        _opt_str(entry, "frameId"),
                    )
                except ApiError as error:
                    log.info("frame %r not restored: %s", entry.get("frameId"), error.message)
                    continue
                listed.add(handle.record.frame_id)
        session = self.engine.session_by_id(self.session_id)
        if session is not None and self.engine.desktops(self.session_id) <= 1:
            for frame_id in [f for f in session.frames if f not in listed]:
                await self.engine.close_frame(self.session_id, frame_id)
        self._send_snapshot()


def _str(message: dict[str, Any], key: str) -> str:
    value = message.get(key)
    if not isinstance(value, str) or not value:
        raise ApiError(ErrorCode.INVALID_PARAMETER, f"'{key}' must be a non-empty string.")
    return value


def _opt_str(message: dict[str, Any], key: str) -> str | None:
    value = message.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _str(message, key)


async def desktop_socket(websocket: WebSocket) -> None:
    engine: Engine = websocket.app.state.engine
    hub: DesktopHub = websocket.app.state.desktops
    token = websocket.cookies.get(SESSION_COOKIE)
    origin = websocket.headers.get("origin")
    await websocket.accept()
    # The door first: a page of another origin learns nothing, not even whether the
    # cookie it sent is valid (the audit still names whose cookie it was).
    cookie_session = engine.session_for_token(token, touch=False) if token else None
    if doors.check_origin(engine, doors.DESKTOP_WS, origin, cookie_session) is not None:
        await websocket.close(doors.REFUSED_ORIGIN, doors.origin_close_reason(origin))
        return
    session = engine.session_for_token(token) if token else None
    if token is None or session is None:
        await websocket.close(NOT_LOGGED_IN, "not logged in")
        return
    connection = DesktopConnection(engine, websocket, session.session_id)
    connection.desktops = hub.join(session.session_id, connection)
    if connection.desktops is None:
        reason = f"too many desktop connections for this session (at most {hub.limit})"
        doors.refuse(
            engine,
            doors.DESKTOP_WS,
            doors.CONNECTIONS,
            origin,
            f"Refused a desktop connection: {reason} (max-desktop-connections).",
            session,
        )
        await websocket.close(doors.TOO_MANY_DESKTOPS, reason)
        return
    engine.attach(session.session_id, connection)
    writer = asyncio.create_task(connection.writer())
    expired = False
    try:
        while True:
            text = await websocket.receive_text()
            # The cookie's token expires (docs/configuration.md); each message is a use.
            if engine.session_for_token(token) is None:
                expired = True
                break
            await connection.receive(text)
    except (WebSocketDisconnect, RuntimeError):
        pass
    except Exception:
        log.exception("desktop connection failed")
    finally:
        hub.leave(session.session_id, connection)
        engine.detach(session.session_id, connection)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer
    if expired:
        with contextlib.suppress(Exception):
            await websocket.close(NOT_LOGGED_IN, "the session token has expired")
