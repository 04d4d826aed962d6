"""The engine: the single authority that decides and executes every request.

It knows sessions, frames and subscriptions; applies the security policy in the order of
security.md (origin and filter, rate limit, then parameters); runs the handler; commits
what changed; and only then answers and publishes. It knows nothing of HTTP or WebSockets:
a desktop connection is a ``DesktopSink``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import msgspec

from . import catalog, protocol
from .api import HANDLERS, Call
from .config import AgentConfig, Config, WebContent
from .contact_center.base import ContactCenter
from .contact_center.mail import SmtpSender
from .contact_center.routing import pick_agent
from .contact_center.simulator import Simulator
from .domain import operations as ops
from .domain import toasts
from .domain.effects import Effects, Notice
from .domain.model import AgentSession, FrameRecord, Interaction, QueuedItem
from .domain.states import LOGOUT, NOT_READY, READY, State, build_state_list
from .domain.views import interaction_view
from .errors import ApiError, ErrorCode
from .security import Decision, RateLimiter, frame_allowed, normalize_origin
from .security.logins import LoginGuard
from .security.origins import not_allowed_message
from .security.ratelimit import rate_limit_message
from .store.base import AuditRow, Changes, Store
from .store.group_commit import GroupCommit
from .store.health import StoreHealth
from .store.maintenance import StoreMaintenance

log = logging.getLogger("wwe_host.engine")

T = TypeVar("T")
Message = dict[str, Any]

_json_decode = msgspec.json.Decoder().decode
AUDIT_FLUSH_SECONDS = 0.25
# The section name the desktop reports for the page that embeds it (protocol.md: a page
# that embeds the desktop and targets it explicitly).
EMBEDDER_SECTION = "@embedder"
TRAFFIC_KEEP = 500


class DesktopSink(Protocol):
    """A connected desktop: it relays frame messages and shows the agent what happens."""

    def frame_message(self, frame_id: str, origin: str, message: Message) -> None: ...

    def ui(self, kind: str, data: dict[str, Any]) -> None: ...


class AuthError(Exception):
    """Login refused; the message is safe to show (it never says which part was wrong)."""


class FrameHandle:
    """A frame as the engine sees it: its record, the request set its policy allows."""

    __slots__ = ("allowed", "in_flight", "record", "session_id", "username")

    def __init__(
        self,
        session_id: str,
        username: str,
        record: FrameRecord,
        allowed: frozenset[str] | None,
    ) -> None:
        self.session_id = session_id
        self.username = username
        self.record = record
        self.allowed = allowed
        self.in_flight = 0


@dataclass(slots=True)
class Outcome:
    """How a frame request ended, for the audit log, metrics and the traffic inspector."""

    outcome: str  # allowed | failed | refused:<origin|filter|rate-limit|user-data> | quarantined
    detail: str = ""


ALLOWED = Outcome("allowed")


class Engine:
    def __init__(
        self,
        config: Config,
        store: Store,
        contact_center: ContactCenter | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.contact_center: ContactCenter = contact_center or Simulator()
        self.contact_center.bind(self)
        self.limiter = RateLimiter(config.security.rate_limits, clock)
        self.store_health = StoreHealth(clock)
        self.commits = GroupCommit(store, self.store_health)
        self.maintenance = StoreMaintenance(
            store, self.store_health, config.server.audit_retention, clock
        )
        self._mail = SmtpSender(config.server.smtp) if config.server.smtp else None
        self._read = config.security.read_allowed
        self._sessions: dict[str, AgentSession] = {}
        self._by_user: dict[str, str] = {}
        self._by_token: dict[str, str] = {}
        self._frames: dict[tuple[str, str], FrameHandle] = {}
        self._sinks: dict[str, list[DesktopSink]] = {}
        self._state_lists: dict[str, list[State]] = {}
        self._audit: list[AuditRow] = []
        self._queue: list[QueuedItem] = []
        self.logins = LoginGuard(
            (agent.password for agent in config.agents.values()),
            allow_plain=config.server.insecure_plain_password,
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._timers: dict[tuple[str, str], asyncio.TimerHandle] = {}
        self._started = False
        self.traffic: deque[dict[str, Any]] = deque(maxlen=TRAFFIC_KEEP)
        # Watchers (metrics, tools): every frame request's (request, outcome, duration ms),
        # and every published notice's (topic, session id, data). They must not raise.
        self.request_observers: list[Callable[[str, str, float], None]] = []
        self.notice_observers: list[Callable[[str, str, dict[str, Any]], None]] = []

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        await self.store.open()
        for session in await self.store.load_sessions():
            if session.username not in self.config.agents:
                log.warning("dropping stored session of unknown agent %r", session.username)
                continue
            self._index(session)
        self._queue = await self.store.load_queue()
        self.contact_center.restore(self._sessions.values())
        for session in self._sessions.values():
            for toast in session.toasts.values():
                if toast.close_at is not None:
                    self.arm_toast(session.session_id, toast.toast_id, toast.close_at)
        self._spawn(self._housekeeping())
        self._spawn(self.maintenance.run())
        if self.logins.hashing:  # made now, so that no login pays for it
            self._spawn(self.logins.dummy_hash())
        self._started = True

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        await self._flush_audit()
        await self.store.close()
        self.logins.close()
        self._started = False

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _index(self, session: AgentSession) -> None:
        self._sessions[session.session_id] = session
        self._by_user[session.username] = session.session_id
        for digest in session.tokens:
            self._by_token[digest] = session.session_id
        for record in session.frames.values():
            self._frames[(session.session_id, record.frame_id)] = self._handle_for(session, record)

    async def _housekeeping(self) -> None:
        """Flush the audit log in batches and log out agents who went inactive."""
        while True:
            await asyncio.sleep(AUDIT_FLUSH_SECONDS)
            try:
                await self._flush_audit()
                await self._check_inactivity()
            except Exception:
                log.exception("housekeeping failed")

    async def flush_audit(self) -> None:
        """Write the audit entries gathered so far (they are batched every 0.25 s)."""
        await self._flush_audit()

    async def _flush_audit(self) -> None:
        if self._audit:
            entries, self._audit = self._audit, []
            await self.commits.commit(Changes(audit=entries))

    # --- Host (for the contact center) ---------------------------------------------------

    def now(self) -> float:
        return self.clock()

    def live_session(self, username: str) -> AgentSession | None:
        session_id = self._by_user.get(username)
        return self._sessions.get(session_id) if session_id else None

    def session_by_id(self, session_id: str) -> AgentSession | None:
        return self._sessions.get(session_id)

    def agent_by_number(self, number: str) -> AgentConfig | None:
        return self.config.agent_by_number(number)

    def agent(self, username: str) -> AgentConfig:
        return self.config.agents[username]

    def schedule(self, delay: float, operation: Callable[[Effects], None]) -> None:
        loop = asyncio.get_running_loop()
        loop.call_later(delay, lambda: self._spawn(self._run_logged(operation)))

    def run_soon(self, operation: Callable[[Effects], None]) -> Awaitable[None]:
        return self._run_logged(operation)

    async def _run_logged(self, operation: Callable[[Effects], None]) -> None:
        try:
            await self.run(operation)
        except ApiError as error:
            log.info("scheduled operation refused: %s", error.message)
        except Exception:
            log.exception("scheduled operation failed")

    # --- views ---------------------------------------------------------------------------

    def agent_view(self, username: str) -> dict[str, Any]:
        agent = self.config.agents[username]
        return {
            "employeeId": agent.employee_id,
            "firstname": agent.firstname,
            "lastname": agent.lastname,
            "username": agent.username,
            "roles": list(agent.roles),
        }

    def state_list(self, username: str) -> list[State]:
        states = self._state_lists.get(username)
        if states is None:
            options = self.config.agents[username].options
            states = build_state_list(options.enabled_actions, options.not_ready_reasons)
            self._state_lists[username] = states
        return states

    def view(self, session: AgentSession, interaction: Interaction) -> dict[str, Any]:
        """An interaction as a third-party frame may see it (read list applied)."""
        data = interaction_view(session, interaction)
        if not self._read.allows_all:
            data["userData"] = self._read.filter(data["userData"])
        return data

    # --- sessions ------------------------------------------------------------------------

    async def login(
        self,
        username: str,
        password: str,
        dynamic_phone_number: str | None = None,
        *,
        address: str | None = None,
    ) -> tuple[str, AgentSession]:
        """Check the password and open (or join) the agent's session; returns a new token.
        ``address`` is the client's, for the failure throttle (``security.logins``), which
        may refuse with ``LoginThrottled`` before checking anything."""
        agent = self.config.agents.get(username)
        stored = agent.password if agent is not None else None
        if not await self.logins.check(username, stored, password, address) or agent is None:
            raise AuthError("Unknown username or wrong password.")
        if "ROLE_AGENT" not in agent.roles:
            raise AuthError(f"User '{username}' does not have ROLE_AGENT.")
        token = secrets.token_urlsafe(32)
        digest = _digest(token)

        def open_session(fx: Effects) -> AgentSession:
            session = self.live_session(username)
            if session is None:
                now = self.now()
                auto = agent.options.auto_ready
                session = AgentSession(
                    session_id=secrets.token_hex(16),
                    username=username,
                    started_at=now,
                    last_activity=now,
                    media={m: READY if auto.get(m, False) else NOT_READY for m in agent.media},
                    dynamic_phone_number=dynamic_phone_number,
                )
                for media, state in session.media.items():
                    if state.type == "READY":
                        session.idle_since[media] = now
                self._sessions[session.session_id] = session
                self._by_user[username] = session.session_id
            session.tokens.append(digest)
            self._by_token[digest] = session.session_id
            fx.touch(session)
            return session

        session = await self.run(open_session)
        return token, session

    def session_for_token(self, token: str) -> AgentSession | None:
        session_id = self._by_token.get(_digest(token))
        return self._sessions.get(session_id) if session_id else None

    def sessions(self) -> list[AgentSession]:
        return list(self._sessions.values())

    async def logout(self, session_id: str, reason: str = "logout") -> None:
        session = self._sessions.get(session_id)
        if session is None:
            return

        def end(fx: Effects) -> None:
            self.contact_center.session_ended(fx, session)
            ops.set_media_states(fx, session, list(session.media), LOGOUT, self.now())
            fx.ended.append(session_id)
            fx.notify(session, "session", {"ended": reason}, ui_only=True)

        await self.run(end)

    def _forget(self, session_id: str) -> None:
        session = self._sessions.pop(session_id, None)
        if session is None:
            return
        if self._by_user.get(session.username) == session_id:
            del self._by_user[session.username]
        for digest in session.tokens:
            self._by_token.pop(digest, None)
        for key in [k for k in self._frames if k[0] == session_id]:
            del self._frames[key]
        for key in [k for k in self._timers if k[0] == session_id]:
            self._timers.pop(key).cancel()
        self.limiter.forget(session_id)

    # --- inactivity ----------------------------------------------------------------------

    def activity_deadline(self, session: AgentSession) -> float | None:
        minutes = self.config.agents[session.username].options.inactivity_timeout_minutes
        if minutes <= 0:
            return None
        return session.last_activity + minutes * 60.0

    def record_activity(self, fx: Effects, session: AgentSession) -> None:
        session.last_activity = self.now()
        fx.touch(session)
        fx.notify(session, "activity", {"deadline": self.activity_deadline(session)}, ui_only=True)

    async def _check_inactivity(self) -> None:
        now = self.now()
        for session in list(self._sessions.values()):
            deadline = self.activity_deadline(session)
            if deadline is not None and now >= deadline:
                log.info("logging out %s after inactivity", session.username)
                await self.logout(session.session_id, reason="inactivity")

    # --- toasts --------------------------------------------------------------------------

    def arm_toast(self, session_id: str, toast_id: str, close_at: float) -> None:
        key = (session_id, toast_id)
        old = self._timers.pop(key, None)
        if old is not None:
            old.cancel()

        def close(fx: Effects) -> None:
            self._timers.pop(key, None)
            session = self._sessions.get(session_id)
            toast = session.toasts.get(toast_id) if session else None
            if session is None or toast is None or toast.close_at != close_at:
                return
            toasts.close(fx, session, None, toast_id)

        loop = asyncio.get_running_loop()
        self._timers[key] = loop.call_later(
            max(0.0, close_at - self.now()), lambda: self._spawn(self._run_logged(close))
        )

    # --- desktops and frames -------------------------------------------------------------

    def attach(self, session_id: str, sink: DesktopSink) -> None:
        self._sinks.setdefault(session_id, []).append(sink)

    def detach(self, session_id: str, sink: DesktopSink) -> None:
        sinks = self._sinks.get(session_id)
        if sinks and sink in sinks:
            sinks.remove(sink)
            if not sinks:
                del self._sinks[session_id]

    def desktops(self, session_id: str) -> int:
        return len(self._sinks.get(session_id, ()))

    def web_content(self, username: str, section: str) -> tuple[WebContent, bool] | None:
        options = self.config.agents[username].options
        for wc in options.workspace_web_content:
            if wc.section == section:
                return wc, True
        for wc in options.interaction_web_content:
            if wc.section == section:
                return wc, False
        return None

    def _handle_for(self, session: AgentSession, record: FrameRecord) -> FrameHandle:
        try:
            origin = normalize_origin(record.origin)
        except ValueError:
            origin = record.origin
        allowed = frame_allowed(
            self.config.security.origins,
            origin,
            agent_level=record.agent_level,
            dial_only=self.config.security.dial_only,
        )
        return FrameHandle(session.session_id, session.username, record, allowed)

    async def open_frame(
        self,
        session_id: str,
        section: str,
        origin: str,
        interaction_id: str | None = None,
        frame_id: str | None = None,
    ) -> FrameHandle:
        """Register a frame the desktop created (or re-register one after a reconnect)."""
        session = self._sessions.get(session_id)
        if session is None:
            raise ApiError(ErrorCode.NOT_FOUND, "No such session.")
        if frame_id is not None:
            existing = self._frames.get((session_id, frame_id))
            if existing is not None:
                if existing.record.origin != origin:
                    return await self.frame_navigated(existing, origin)
                return existing
        if section == EMBEDDER_SECTION:
            # The page that embeds the desktop: its origin's filter, like an
            # interaction-level frame, but bound to no interaction.
            agent_level = False
            interaction_id = None
        else:
            found = self.web_content(session.username, section)
            if found is None:
                raise ApiError(
                    ErrorCode.NOT_FOUND, f"No web-content section '{section}' for this agent."
                )
            agent_level = found[1]
        if not agent_level and section != EMBEDDER_SECTION:
            if interaction_id is None:
                raise ApiError(
                    ErrorCode.INVALID_PARAMETER,
                    f"Section '{section}' is interaction-level: name its interaction.",
                )
            ops.get_interaction(session, interaction_id)

        def register(fx: Effects) -> FrameHandle:
            nonlocal frame_id
            if frame_id is None or (session_id, frame_id) in self._frames:
                frame_id = f"f-{session.next_frame}"
                session.next_frame += 1
            record = FrameRecord(
                frame_id=frame_id,
                origin=origin,
                section=section,
                agent_level=agent_level,
                interaction_id=None if agent_level else interaction_id,
            )
            session.frames[frame_id] = record
            fx.touch(session)
            handle = self._handle_for(session, record)
            self._frames[(session_id, frame_id)] = handle
            return handle

        return await self.run(register)

    async def frame_navigated(self, frame: FrameHandle, origin: str) -> FrameHandle:
        """The frame now shows a document of another origin: it is that origin from now on,
        and what the old document subscribed to is not the new one's."""
        session = self._sessions[frame.session_id]

        def move(fx: Effects) -> FrameHandle:
            frame.record.origin = origin
            frame.record.subscriptions.clear()
            fresh = self._handle_for(session, frame.record)
            frame.allowed = fresh.allowed
            fx.touch(session)
            return frame

        return await self.run(move)

    async def close_frame(self, session_id: str, frame_id: str) -> None:
        session = self._sessions.get(session_id)
        if session is None or frame_id not in session.frames:
            return

        def remove(fx: Effects) -> None:
            session.frames.pop(frame_id, None)
            self._frames.pop((session_id, frame_id), None)
            fx.touch(session)

        await self.run(remove)

    def frame(self, session_id: str, frame_id: str) -> FrameHandle | None:
        return self._frames.get((session_id, frame_id))

    # --- the request pipeline ------------------------------------------------------------

    async def handle_raw(self, frame: FrameHandle, raw: str | bytes) -> Message | None:
        """Decode a frame's message as the desktop relayed it, and handle it."""
        if len(raw) > self.config.server.max_message_bytes:
            reference = _sniff_reference(raw)
            self._record(frame, "?", Outcome("failed", "message too large"), 0.0)
            if reference is None:
                return None
            return protocol.failure(
                reference,
                None,
                ErrorCode.INVALID_PARAMETER,
                f"The message is {len(raw)} bytes; the limit is "
                f"{self.config.server.max_message_bytes} bytes (max-message-bytes).",
            )
        try:
            message = _json_decode(raw)
        except msgspec.DecodeError:
            return None
        if not isinstance(message, dict):
            return None
        return await self.handle(frame, message)

    async def handle(self, frame: FrameHandle, message: Message) -> Message | None:
        """One message from a frame: a reply to send back, or None (no referenceId, ignored)."""
        started = time.perf_counter()
        reference = protocol.reference_of(message)
        request = message.get("request")
        if request is None:
            return await self._subscription(frame, message, reference, started)
        if not isinstance(request, str):
            return self._refuse(
                frame,
                reference,
                None,
                ErrorCode.INVALID_PARAMETER,
                "'request' must be a string naming the request, e.g. 'agent.getState'.",
                Outcome("failed", "bad request name"),
                started,
            )
        allowed = frame.allowed
        if allowed is None:
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.NOT_ALLOWED,
                not_allowed_message(frame.record.origin, request),
                Outcome("refused:origin"),
                started,
            )
        name = catalog.canonical(request)
        if name is None:
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.UNKNOWN_REQUEST,
                f"Unknown request '{request}'.",
                Outcome("failed", "unknown request"),
                started,
            )
        if name not in allowed:
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.NOT_ALLOWED,
                not_allowed_message(frame.record.origin, request),
                Outcome("refused:filter"),
                started,
            )
        decision = self.limiter.check(frame.session_id, name)
        if decision is not Decision.ALLOW:
            if decision is Decision.IGNORE:
                self._record(frame, request, Outcome("quarantined"), started)
                return None
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.RATE_LIMITED,
                rate_limit_message(name, self.config.security.rate_limits.quarantine_delay),
                Outcome("refused:rate-limit"),
                started,
            )
        params = message.get("parameters")
        if params is None:
            params = []
        elif not isinstance(params, list):
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.INVALID_PARAMETER,
                f"'parameters' of '{request}' must be an array of positional parameters.",
                Outcome("failed", "parameters not an array"),
                started,
            )
        session = self._sessions.get(frame.session_id)
        if session is None:
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.UNAVAILABLE,
                "The agent's session has ended.",
                Outcome("failed", "no session"),
                started,
            )
        if frame.in_flight >= protocol.MAX_IN_FLIGHT_PER_FRAME:
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.UNAVAILABLE,
                f"Too many requests in flight from this frame (at most "
                f"{protocol.MAX_IN_FLIGHT_PER_FRAME}); retry when replies have arrived.",
                Outcome("failed", "too many in flight"),
                started,
            )
        call = Call(self, session, frame, None, name)
        frame.in_flight += 1
        try:
            try:
                result = HANDLERS[name](call, params)
            except ApiError as error:
                if call.changed is not None:
                    await self._finish(call.changed)
                outcome = (
                    Outcome("refused:user-data", error.message)
                    if error.code is ErrorCode.USER_DATA_NOT_ALLOWED
                    else Outcome("failed", error.message)
                )
                return self._refuse(
                    frame, reference, request, error.code, error.message, outcome, started
                )
            except Exception:
                log.exception("request %s failed", request)
                return self._refuse(
                    frame,
                    reference,
                    request,
                    ErrorCode.INTERNAL,
                    "The request failed on the server; the server log has the details.",
                    Outcome("failed", "internal error"),
                    started,
                )
            fx = call.changed
            if fx is not None:
                try:
                    await self._finish(fx)
                except Exception:
                    log.exception("commit of %s failed", request)
                    return self._refuse(
                        frame,
                        reference,
                        request,
                        ErrorCode.UNAVAILABLE,
                        "The change could not be stored; nothing was changed. Retry later.",
                        Outcome("failed", "store unavailable"),
                        started,
                    )
            else:
                pending = self.commits.pending()
                if pending is not None:
                    # A read must not report what is not yet durable.
                    with contextlib.suppress(Exception):
                        await asyncio.shield(pending)
        finally:
            frame.in_flight -= 1
        self._record(frame, request, ALLOWED, started)
        if reference is None:
            return None
        return protocol.success(reference, request, result)

    def _refuse(
        self,
        frame: FrameHandle,
        reference: object,
        request: str | None,
        code: ErrorCode,
        text: str,
        outcome: Outcome,
        started: float,
    ) -> Message | None:
        self._record(frame, request or "?", outcome, started)
        if reference is None:
            return None
        return protocol.failure(reference, request, code, text)

    def _record(self, frame: FrameHandle, request: str, outcome: Outcome, started: float) -> None:
        duration = (time.perf_counter() - started) * 1000.0 if started else 0.0
        record = frame.record
        at = self.clock()
        self._audit.append(
            (
                at,
                frame.username,
                record.frame_id,
                record.origin,
                request,
                outcome.outcome,
                outcome.detail,
                duration,
            )
        )
        for watch in self.request_observers:
            watch(request, outcome.outcome, duration)
        sinks = self._sinks.get(frame.session_id)
        if sinks:
            traffic = {
                "at": at,
                "frameId": record.frame_id,
                "origin": record.origin,
                "request": request,
                "outcome": outcome.outcome,
                "detail": outcome.detail,
                "durationMs": round(duration, 3),
            }
            for sink in sinks:
                sink.ui("traffic", traffic)

    async def _subscription(
        self, frame: FrameHandle, message: Message, reference: object, started: float
    ) -> Message | None:
        kind = message.get("event")
        if kind not in ("subscribe", "unsubscribe"):
            return self._refuse(
                frame,
                reference,
                None,
                ErrorCode.INVALID_PARAMETER,
                "A message needs 'request' (a request name) or 'event' ('subscribe' or "
                "'unsubscribe').",
                Outcome("failed", "neither request nor event"),
                started,
            )
        if frame.allowed is None:
            return self._refuse(
                frame,
                reference,
                kind,
                ErrorCode.NOT_ALLOWED,
                not_allowed_message(frame.record.origin, kind),
                Outcome("refused:origin"),
                started,
            )
        session = self._sessions.get(frame.session_id)
        if session is None:
            return None
        data = message.get("data")
        record = frame.record
        if kind == "subscribe":
            topics = [data] if isinstance(data, str) else data
            if (
                not isinstance(topics, list)
                or not topics
                or not all(isinstance(t, str) for t in topics)
            ):
                return self._refuse(
                    frame,
                    reference,
                    kind,
                    ErrorCode.INVALID_PARAMETER,
                    "'data' of subscribe must be a topic name or an array of topic names.",
                    Outcome("failed", "bad topics"),
                    started,
                )
            unknown = [t for t in topics if not catalog.is_topic(t)]
            if unknown:
                names = ", ".join(f"'{t}'" for t in unknown)
                known = ", ".join((*catalog.TOPICS, "messenger:<channel>"))
                return self._refuse(
                    frame,
                    reference,
                    kind,
                    ErrorCode.INVALID_PARAMETER,
                    f"Unknown topic(s) {names}. Topics: {known}.",
                    Outcome("failed", "unknown topic"),
                    started,
                )

            def subscribe(fx: Effects) -> str:
                subscription_id = f"sub-{session.next_subscription}"
                session.next_subscription += 1
                record.subscriptions[subscription_id] = list(dict.fromkeys(topics))
                fx.touch(session)
                return subscription_id

            subscription_id = await self.run(subscribe)
            self._record(frame, "subscribe", Outcome("allowed", ",".join(topics)), started)
            if reference is None:
                return None
            return protocol.subscribed(
                reference, subscription_id, record.subscriptions[subscription_id]
            )
        if not isinstance(data, str) or data not in record.subscriptions:
            return self._refuse(
                frame,
                reference,
                kind,
                ErrorCode.NOT_FOUND,
                f"Unknown subscription {data!r} for this frame.",
                Outcome("failed", "unknown subscription"),
                started,
            )

        def unsubscribe(fx: Effects) -> None:
            record.subscriptions.pop(data, None)
            fx.touch(session)

        await self.run(unsubscribe)
        self._record(frame, "unsubscribe", Outcome("allowed", data), started)
        if reference is None:
            return None
        return protocol.success(reference, "unsubscribe", None)

    # --- operations: commit, then publish ------------------------------------------------

    async def run(self, operation: Callable[[Effects], T]) -> T:
        """Run an operation; commit what it changed, then publish what it said.

        An ``ApiError`` still publishes the notices the operation made before refusing
        (a blocked mark done tells the blocking frame), then propagates.
        """
        fx = Effects()
        try:
            result = operation(fx)
        except ApiError:
            await self._finish(fx)
            raise
        await self._finish(fx)
        return result

    async def _finish(self, fx: Effects) -> None:
        if self._queue and any(
            n.topic == "media" or n.data.get("eventType") == "REMOVED" for n in fx.notices
        ):
            self._drain(fx)
        for mail in fx.outbox:
            mail.setdefault("messageId", uuid.uuid4().hex)
            mail["status"] = "pending" if self._mail else "kept"
        if fx.dirty or fx.ended or fx.outbox or fx.queued or fx.dequeued:
            ended = set(fx.ended)
            changes = Changes(
                sessions=[s for sid, s in fx.dirty.items() if sid not in ended],
                ended=list(ended),
                outbox=fx.outbox,
                queued=fx.queued,
                dequeued=fx.dequeued,
            )
            if self._audit:
                changes.audit, self._audit = self._audit, []
            await self.commits.commit(changes)
        for notice in fx.notices:
            self._publish(notice)
        for session_id in fx.ended:
            self._forget(session_id)
        if self._mail is not None:
            for mail in fx.outbox:
                self._spawn(self._send_mail(self._mail, mail))

    async def _send_mail(self, sender: SmtpSender, mail: dict[str, Any]) -> None:
        """Hand a sent e-mail to SMTP; on failure the interaction shows the error and the
        message stays in the outbox, marked failed."""
        try:
            await sender.send(mail)
        except Exception as problem:
            reason = f"SMTP delivery failed: {problem}"
            log.warning("%s (message %s)", reason, mail.get("messageId"))

            def mark(fx: Effects) -> None:
                found = self.find(lambda i: i.uuid == mail.get("interactionUUID"))
                if found is not None:
                    session, interaction = found
                    interaction.error = reason
                    fx.interaction_event(session, interaction, "ERROR")

            await self.run(mark)
            await self.commits.commit(
                Changes(outbox_status=[(str(mail["messageId"]), f"failed: {problem}")])
            )
            return
        await self.commits.commit(Changes(outbox_status=[(str(mail["messageId"]), "sent")]))

    def _publish(self, notice: Notice) -> None:
        sinks = self._sinks.get(notice.session_id)
        for sink in sinks or ():
            sink.ui(notice.topic, notice.data)
        for observer in self.notice_observers:
            observer(notice.topic, notice.session_id, notice.data)
        if notice.ui_only or not sinks:
            return
        session = self._sessions.get(notice.session_id)
        if session is None:
            return
        message: Message | None = None
        for record in session.frames.values():
            if notice.frame_id is not None and record.frame_id != notice.frame_id:
                continue
            if not any(notice.topic in topics for topics in record.subscriptions.values()):
                continue
            if message is None:
                message = protocol.event(notice.topic, self._filtered(notice.data))
            for sink in sinks:
                sink.frame_message(record.frame_id, record.origin, message)

    def _filtered(self, data: dict[str, Any]) -> dict[str, Any]:
        """Remove unreadable attached-data keys before an event leaves for a frame."""
        interaction = data.get("interaction")
        if interaction is None or self._read.allows_all:
            return data
        return {
            **data,
            "interaction": {**interaction, "userData": self._read.filter(interaction["userData"])},
        }

    # --- the simulated outside world: inbound interactions, routing, far ends -----------

    def deliver(self, fx: Effects, target: str, item: QueuedItem) -> Interaction | None:
        """Offer an inbound interaction to ``target`` (a username, a DN or ``queue:<name>``);
        a queue with no ready agent keeps it (None) until one becomes ready."""
        if target.startswith("queue:"):
            name = target.removeprefix("queue:")
            queue = self.config.queues.get(name)
            if queue is None:
                raise ApiError(ErrorCode.NOT_FOUND, f"Unknown queue '{name}'.")
            if item.media not in queue.media:
                raise ApiError(
                    ErrorCode.INVALID_PARAMETER,
                    f"Queue '{name}' does not take {item.media} interactions.",
                )
            item.queue = name
            session = pick_agent(queue, item.media, self.live_session)
            if session is None:
                self._queue.append(item)
                fx.queued.append(item)
                return None
            return self._offer(fx, session, item)
        agent = self.config.agents.get(target) or self.config.agent_by_number(target)
        if agent is None:
            raise ApiError(
                ErrorCode.NOT_FOUND,
                f"No agent, number or queue '{target}' (use a username, a DN or queue:<name>).",
            )
        session = self.live_session(agent.username)
        if session is None:
            raise ApiError(ErrorCode.INVALID_STATE, f"Agent '{agent.username}' is not logged in.")
        if item.media not in session.media:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Agent '{agent.username}' has no {item.media} media."
            )
        return self._offer(fx, session, item)

    def _offer(self, fx: Effects, session: AgentSession, item: QueuedItem) -> Interaction:
        cc = self.contact_center
        session.idle_since[item.media] = self.now()  # to the back of the line
        if item.media == "voice":
            number = self.config.agents[session.username].number
            return cc.inbound_call(
                fx,
                session,
                item.sender,
                item.dnis or number,
                item.user_data,
                call_uuid=item.call_uuid,
            )
        if item.media == "email":
            return cc.inbound_email(
                fx, session, item.sender, item.subject or "", item.body or "", item.user_data
            )
        return cc.inbound_chat(
            fx, session, item.sender, item.message or "", item.user_data, chat_id=item.chat_id
        )

    def _drain(self, fx: Effects) -> None:
        """Offer waiting interactions, oldest first, to agents who have become ready."""
        for item in list(self._queue):
            queue = self.config.queues.get(item.queue)
            if queue is None:
                continue
            session = pick_agent(queue, item.media, self.live_session)
            if session is None:
                continue
            self._queue.remove(item)
            fx.dequeued.append(item.item_id)
            self._offer(fx, session, item)

    def abandon(self, fx: Effects, predicate: Callable[[QueuedItem], bool]) -> QueuedItem | None:
        """The customer gave up while waiting: the first matching item leaves its queue."""
        for item in self._queue:
            if predicate(item):
                self._queue.remove(item)
                fx.dequeued.append(item.item_id)
                return item
        return None

    def queued(self) -> list[QueuedItem]:
        return list(self._queue)

    def find(
        self, predicate: Callable[[Interaction], bool]
    ) -> tuple[AgentSession, Interaction] | None:
        for session in self._sessions.values():
            for interaction in session.interactions.values():
                if predicate(interaction):
                    return session, interaction
        return None

    # --- the agent's own operations (desktop) --------------------------------------------

    async def agent_operation(self, session_id: str, operation: Callable[[Call], T]) -> T:
        """Run one of the agent's own operations: same domain, no third-party policy."""
        session = self._sessions.get(session_id)
        if session is None:
            raise ApiError(ErrorCode.UNAVAILABLE, "The agent's session has ended.")

        def run(fx: Effects) -> T:
            return operation(Call(self, session, None, fx, "desktop"))

        return await self.run(run)

    def frames_of(self, session_id: str) -> Iterable[FrameHandle]:
        return [h for (sid, _), h in self._frames.items() if sid == session_id]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sniff_reference(raw: str | bytes) -> object:
    """The referenceId of a message too large to decode in full, if it shows one."""
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    marker = '"referenceId":'
    at = text.find(marker)
    if at < 0:
        return None
    rest = text[at + len(marker) :].lstrip()
    if rest.startswith('"'):
        end = rest.find('"', 1)
        return rest[1:end] if end > 0 else None
    digits = ""
    for ch in rest:
        if ch.isdigit():
            digits += ch
        else:
            break
    return int(digits) if digits else None
