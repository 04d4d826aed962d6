"""The desktop's WebSocket (docs/desktop-protocol.md): the relay's link to the engine.

One connection per desktop page, in lanes, so that no frame can cut or stall the agent:

- the **reader** takes each WebSocket message as it arrives, checks its size and nesting
  before decoding it, and sorts it: a frame's message is admitted while the frame has fewer
  than ``max-requests-in-flight`` messages waiting or running (beyond, it is refused at
  once), ``ping`` is answered at once;
- the **frame lane** handles frame traffic (``frame.message``, ``frame.open``,
  ``frame.close``, ``hello``) in arrival order, so the replies and events a frame receives
  keep the order in which things happened;
- the **action lane** runs the agent's own operations (``action``), never queued behind
  frame traffic.

Going out, the writer sends the engine's answers, events and snapshots in order (the main
queue) ahead of the bulk queue: the traffic inspector's rows and the reader's immediate
refusals, which a flood makes numerous. The inspector's rows go out together, at most
``TRAFFIC_EVERY`` after the first of them: one message per request (its reply) rather than
two, which a busy desktop would pay in sends (docs/benchmarks.md).

The endpoint that accepts the socket is web/desktop_socket.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass
from typing import Any

import msgspec
from starlette.websockets import WebSocket, WebSocketDisconnect

from .. import message_limits
from ..engine import Engine, FrameHandle
from ..errors import ApiError, ErrorCode
from . import desktop_tabs
from .desktop_hub import SessionDesktops, snapshot_message

log = logging.getLogger("wwe_host.web")

SESSION_COOKIE = "wwe_session"
NOT_LOGGED_IN = 4401
NOT_READING = 1013  # "try again later": the page reconnects and gets a fresh snapshot
SEND_QUEUE = 10_000  # messages waiting to go out (both queues) before the page counts as gone
ACTION_QUEUE = 256  # the agent's operations waiting for their turn
FRAME_QUEUE = 4096  # frame.open / frame.close / hello waiting in the frame lane
YIELD_EVERY = 64  # the reader lets the lanes and the writer run at least this often
TRAFFIC_EVERY = 0.1  # seconds: the inspector's rows wait at most this long to go out
TRAFFIC_ROWS = 500  # rows in one traffic message at most (more go out at once)

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode

CLOSE_CODES = {
    1000: "normal closure",
    1001: "the page went away",
    1005: "no close code",
    1006: "the connection was lost without a close frame",
    1007: "a text frame was not UTF-8",
    1009: "a message over the WebSocket limit",
    1011: "an error on the server",
}
BINARY_FRAME = (
    "Binary WebSocket frames are not part of the desktop protocol: send each message as JSON text."
)


@dataclass(slots=True)
class _FrameWork:
    """A frame's message waiting in the frame lane. ``message`` is set when it was admitted
    (it holds one of the frame's in-flight places); ``raw`` when it still has to be: the
    frame changed origin (the navigation comes first), or the frame is not known yet
    (``handle`` None: a ``hello`` or ``frame.open`` waiting before it may register it)."""

    handle: FrameHandle | None
    frame_id: str
    origin: str | None
    message: dict[str, Any] | None
    raw: str


class DesktopConnection:
    """The engine's ``DesktopSink`` for one page: a reader, two lanes and one writer."""

    def __init__(self, engine: Engine, websocket: WebSocket, session_id: str) -> None:
        self.engine = engine
        self.websocket = websocket
        self.session_id = session_id
        self.limit = message_limits.desktop_message_limit(engine.config.server.max_message_bytes)
        self._main: deque[bytes] = deque()
        self._bulk: deque[bytes] = deque()
        self._wake = asyncio.Event()
        self._closing: str | None = None
        self.desktops: SessionDesktops | None = None  # set once the session's hub took it
        self._frames: asyncio.Queue[_FrameWork | dict[str, Any] | None] = asyncio.Queue()
        self._actions: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._control_waiting = 0  # hello / frame.open / frame.close / tab in the frame lane
        self._traffic: list[dict[str, Any]] = []  # the inspector's rows not sent yet
        self._traffic_due: asyncio.TimerHandle | None = None
        self.tab: str | None = None  # the page's tab id, from its first hello (core/tabs.py)

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._writer()),
            asyncio.create_task(self._lane(self._frames, self._frame_work)),
            asyncio.create_task(self._lane(self._actions, self._action)),
        ]

    async def stop(self) -> None:
        """The socket is gone: what waits is dropped (frames get their in-flight places
        back), what runs finishes (its change is committed and published), then the tasks
        end."""
        self._closing = self._closing or "closed"
        self._main.clear()
        self._bulk.clear()
        self._drop_traffic()
        self._wake.set()
        while not self._frames.empty():
            work = self._frames.get_nowait()
            if isinstance(work, _FrameWork) and work.message is not None and work.handle:
                work.handle.in_flight -= 1
        while not self._actions.empty():
            self._actions.get_nowait()
        self._frames.put_nowait(None)
        self._actions.put_nowait(None)
        writer, frames, actions, *_ = self._tasks
        writer.cancel()
        try:
            await asyncio.gather(frames, actions)
        finally:
            for task in self._tasks:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    # --- DesktopSink ---------------------------------------------------------------------

    def frame_message(self, frame_id: str, origin: str, message: dict[str, Any]) -> None:
        self._put(
            {"type": "frame.message", "frameId": frame_id, "origin": origin, "message": message}
        )

    def ui(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "traffic":
            if self._closing is not None:
                return
            self._traffic.append(data)
            if len(self._traffic) >= TRAFFIC_ROWS:
                self._send_traffic()
            elif self._traffic_due is None:
                loop = asyncio.get_running_loop()
                self._traffic_due = loop.call_later(TRAFFIC_EVERY, self._send_traffic)
            return
        if kind == "session":
            self._put({"type": "session.ended", "reason": data.get("ended", "logout")})
            return
        if kind == "changed":  # changed by another process: only show it again
            if self.desktops is not None:
                self.desktops.snapshot_due()
            return
        self._put({"type": "notice", "kind": kind, "data": data})
        if self.desktops is not None:
            self.desktops.snapshot_due()

    # --- going out -----------------------------------------------------------------------

    def _drop_traffic(self) -> None:
        if self._traffic_due is not None:
            self._traffic_due.cancel()
            self._traffic_due = None
        self._traffic.clear()

    def _send_traffic(self) -> None:
        """The inspector's rows gathered since the last time, in one message."""
        if self._traffic_due is not None:
            self._traffic_due.cancel()
            self._traffic_due = None
        rows, self._traffic = self._traffic, []
        if rows:
            self._put({"type": "traffic", "entries": rows}, bulk=True)

    def _put(self, payload: dict[str, Any], *, bulk: bool = False) -> None:
        self.put_encoded(_encode(payload), bulk=bulk)

    def put_encoded(self, data: bytes, *, bulk: bool = False) -> None:
        """Queue an encoded message (the hub hands the same snapshot bytes to each)."""
        if self._closing is not None:
            return
        if len(self._main) + len(self._bulk) >= SEND_QUEUE:
            self.close(f"not reading: {SEND_QUEUE} messages are waiting to be sent")
            return
        (self._bulk if bulk else self._main).append(data)
        self._wake.set()

    def close(self, reason: str) -> None:
        """Close the socket from the server side; the log says why (once). What waits to
        be sent is dropped, and so is a send that the page does not take."""
        if self._closing is not None:
            return
        self._closing = reason
        self._main.clear()
        self._bulk.clear()
        self._drop_traffic()
        log.warning(
            "desktop connection of session %s closed by the server: %s", self.session_id, reason
        )
        if self._tasks:
            self._tasks[0].cancel()  # the writer, perhaps stuck in a send
            self._tasks.append(asyncio.create_task(self.close_socket(NOT_READING, reason)))

    async def close_socket(self, code: int, reason: str) -> None:
        try:
            await self.websocket.close(code, reason[:120])
        except Exception as problem:
            log.info(
                "desktop connection of session %s: closing failed (%s: %s)",
                self.session_id,
                type(problem).__name__,
                problem,
            )

    @property
    def closed_by_server(self) -> bool:
        return self._closing is not None

    def _send_snapshot(self) -> None:
        session = self.engine.session_by_id(self.session_id)
        if session is not None:
            self.put_encoded(snapshot_message(self.engine, session))

    def _error(self, code: ErrorCode, text: str, ref: Any = None) -> None:
        self._put({"type": "error", "ref": ref, "code": code.value, "message": text})

    async def _writer(self) -> None:
        try:
            while self._closing is None:
                while not self._main and not self._bulk and self._closing is None:
                    self._wake.clear()
                    await self._wake.wait()
                if self._closing is not None:
                    return
                data = self._main.popleft() if self._main else self._bulk.popleft()
                await self.websocket.send_text(data.decode())
        except WebSocketDisconnect as gone:
            self._closing = self._closing or "gone"
            log.info(
                "desktop connection of session %s: the page left while a message was being "
                "sent (%s)",
                self.session_id,
                close_reason(gone.code, gone.reason or ""),
            )
        except Exception as problem:
            self._closing = self._closing or "sending failed"
            log.warning(
                "desktop connection of session %s: sending failed (%s: %s); closing it",
                self.session_id,
                type(problem).__name__,
                problem,
            )
            await self.close_socket(1011, "sending failed")

    # --- coming in (the reader) ----------------------------------------------------------

    def receive(self, text: str) -> None:
        """One text message: checked before it is decoded, then answered or queued."""
        try:
            message_limits.check_text(text, self.limit, "twice max-message-bytes + 1 MiB")
        except ApiError as problem:
            self._error(problem.code, problem.message, message_limits.sniff(text, "ref"))
            return
        try:
            message = _decode(text)
        except msgspec.DecodeError:
            self._error(ErrorCode.INVALID_PARAMETER, "The message is not JSON.")
            return
        if not isinstance(message, dict):
            self._error(
                ErrorCode.INVALID_PARAMETER, "A message must be a JSON object with a 'type'."
            )
            return
        kind = message.get("type")
        ref = message.get("ref")
        try:
            if kind == "frame.message":
                self._admit(message)
            elif kind == "action":
                if self._actions.qsize() >= ACTION_QUEUE:
                    raise ApiError(
                        ErrorCode.UNAVAILABLE,
                        f"Too many of the agent's operations are waiting (at most "
                        f"{ACTION_QUEUE}); try again in a moment.",
                    )
                self._actions.put_nowait(message)
            elif kind in ("hello", "frame.open", "frame.close", "tab"):
                if self._frames.qsize() >= FRAME_QUEUE:
                    raise ApiError(
                        ErrorCode.UNAVAILABLE,
                        f"Too much frame traffic is waiting (at most {FRAME_QUEUE} "
                        "messages); try again in a moment.",
                    )
                self._control_waiting += 1
                self._frames.put_nowait(message)
            elif kind == "ping":
                self._put({"type": "pong"})
            else:
                raise ApiError(ErrorCode.INVALID_PARAMETER, f"Unknown message type {_short(kind)}.")
        except ApiError as error:
            if kind == "action":
                self._action_failed(ref, error.code, error.message)
            else:
                self._error(error.code, error.message, ref)

    def receive_bytes(self) -> None:
        self._error(ErrorCode.INVALID_PARAMETER, BINARY_FRAME)

    def internal_error(self, ref: Any = None) -> None:
        self._error(
            ErrorCode.INTERNAL,
            "The message failed on the server; the server log has the details.",
            ref,
        )

    def _admit(self, message: dict[str, Any]) -> None:
        frame_id = _str(message, "frameId")
        raw = message.get("message")
        if not isinstance(raw, str):
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                "'message' must be the frame's message serialized as JSON text.",
            )
        origin = message.get("origin")
        reported = origin if isinstance(origin, str) else None
        handle = self.engine.frame(self.session_id, frame_id)
        if handle is None:
            # Unknown now; a hello or frame.open waiting in the lane may register it.
            if self._control_waiting and self._frames.qsize() < FRAME_QUEUE:
                self._frames.put_nowait(_FrameWork(None, frame_id, reported, None, raw))
            return
        if reported is not None and reported != handle.record.origin:
            # The frame navigated: it becomes that origin (in the lane, in order) before
            # its message is admitted and answered at the new origin.
            self._frames.put_nowait(_FrameWork(handle, frame_id, reported, None, raw))
            return
        admitted, reply = self.engine.admit(handle, raw)
        if admitted is None:
            if reply is not None:
                self._put(
                    {
                        "type": "frame.message",
                        "frameId": frame_id,
                        "origin": handle.record.origin,
                        "message": reply,
                    },
                    bulk=True,
                )
            return
        self._frames.put_nowait(_FrameWork(handle, frame_id, reported, admitted, raw))

    # --- the lanes -----------------------------------------------------------------------

    async def _lane(self, queue: asyncio.Queue[Any], work: Any) -> None:
        while True:
            item = await queue.get()
            if item is None:
                return
            ref = item.get("ref") if isinstance(item, dict) else None
            try:
                await work(item)
            except ApiError as error:
                self._error(error.code, error.message, ref)
            except Exception:
                log.exception("desktop message of session %s failed", self.session_id)
                if isinstance(item, dict) and item.get("type") == "action":
                    self._action_failed(
                        ref,
                        ErrorCode.INTERNAL,
                        "The operation failed on the server; the server log has the details.",
                    )
                else:
                    self.internal_error(ref)

    async def _frame_work(self, item: _FrameWork | dict[str, Any]) -> None:
        if isinstance(item, dict):
            try:
                await self._control(item)
            finally:
                self._control_waiting -= 1
            return
        handle, message = item.handle, item.message
        if handle is None:
            handle = self.engine.frame(self.session_id, item.frame_id)
            if handle is None:
                return  # still unknown: nobody to answer
        try:
            current = self.engine.frame(self.session_id, item.frame_id) is handle
            if current and item.origin is not None and item.origin != handle.record.origin:
                handle = await self.engine.frame_navigated(handle, item.origin)
        except BaseException:
            if message is not None:
                handle.in_flight -= 1
            raise
        if not current:  # closed while its message waited: nobody to answer
            if message is not None:
                handle.in_flight -= 1
            return
        if message is None:
            message, reply = self.engine.admit(handle, item.raw)
            if message is None:
                if reply is not None:
                    self.frame_message(item.frame_id, handle.record.origin, reply)
                return
        reply = await self.engine.handle_admitted(handle, message)
        if reply is not None:
            self.frame_message(item.frame_id, handle.record.origin, reply)

    async def _control(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "hello":
            await self._hello(message)
        elif kind == "frame.open":
            handle = await self.engine.open_frame(
                self.session_id,
                _str(message, "section"),
                _str(message, "origin"),
                _opt_str(message, "interactionId"),
                _opt_str(message, "frameId"),
                tab=self.tab,
            )
            self._put(
                {
                    "type": "frame.opened",
                    "ref": message.get("ref"),
                    "frameId": handle.record.frame_id,
                }
            )
        elif kind == "frame.close":
            await self.engine.close_frame(self.session_id, _str(message, "frameId"))
        elif kind == "tab":  # after its hello, in the lane's order
            desktop_tabs.report(self.engine, self.session_id, self.tab, message)

    async def _action(self, message: dict[str, Any]) -> None:
        ref = message.get("ref")
        op = message.get("op")
        args = message.get("args") or {}
        engine = self.engine
        if not isinstance(op, str) or not engine.is_agent_action(op) or not isinstance(args, dict):
            self._action_failed(
                ref, ErrorCode.INVALID_PARAMETER, f"Unknown agent operation {_short(op)}."
            )
            return
        try:
            data = await engine.agent_action(self.session_id, op, args)
        except ApiError as error:
            self._action_failed(ref, error.code, error.message)
            return
        self._put({"type": "action.result", "ref": ref, "ok": True, "data": data})

    def _action_failed(self, ref: Any, code: ErrorCode, text: str) -> None:
        self._put(
            {
                "type": "action.result",
                "ref": ref,
                "ok": False,
                "error": {"code": code.value, "message": text},
            }
        )

    async def _hello(self, message: dict[str, Any]) -> None:
        await self.engine.refresh(self.session_id)
        if self.tab is None:
            self.tab = desktop_tabs.tab_id(message)
            await self.engine.tabs.join(self.session_id, self.tab)
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
                        tab=self.tab,
                    )
                except ApiError as error:
                    log.info("frame %r not restored: %s", entry.get("frameId"), error.message)
                    continue
                listed.add(handle.record.frame_id)
        session = self.engine.session_by_id(self.session_id)
        # The only desktop of the session drops the frames no page has any more. With
        # several processes another tab may be connected to another process: keep them.
        if (
            session is not None
            and self.engine.desktops(self.session_id) <= 1
            and not self.engine.bus.shared
        ):
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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def close_reason(code: int, reason: str) -> str:
    what = CLOSE_CODES.get(code, "")
    told = f": {reason}" if reason else ""
    return f"code {code}{f' ({what})' if what else ''}{told}"
