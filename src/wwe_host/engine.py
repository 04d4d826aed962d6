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
import math
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import msgspec

from . import catalog, log_repeats, message_limits, protocol
from .api import HANDLERS, RequestContext
from .config import AgentConfig, Config, WebContent
from .contact_center.base import ContactCenter
from .contact_center.mail import SmtpSender
from .contact_center.routing import pick_agent
from .contact_center.simulator import Simulator
from .core.time import Clock, LoopScheduler, Scheduler, Timer, system_clock
from .domain import operations as ops
from .domain import toasts
from .domain.effects import Effects, Notice
from .domain.model import AgentSession, FrameRecord, Interaction, QueuedItem
from .domain.states import LOGOUT, NOT_READY, READY, State, build_state_list
from .domain.tokens import TokenBook, TokenLifetimes
from .domain.views import interaction_view
from .errors import ApiError, ErrorCode
from .security import Decision, RateLimiter, frame_allowed, normalize_origin
from .security.logins import LoginGuard
from .security.origins import not_allowed_message
from .security.ratelimit import rate_limit_message
from .store.base import AuditRow, Changes, Store, decode_session, encode_session
from .store.group_commit import GroupCommit
from .store.health import StoreError, StoreHealth
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
# Audit rows kept in memory while the store cannot write (the oldest go first beyond it).
AUDIT_BUFFER_MAX = 100_000
# Expired login tokens are removed from session records (and token uses persisted) this often.
TOKEN_PRUNE_SECONDS = 60.0
# The store's write probe and audit retention are looked at this often (store/maintenance.py).
MAINTENANCE_SECONDS = 1.0
# The audit outcome of a refused door (docs/architecture.md, "Doors").
REFUSED_DOOR = "refused:door"


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
        clock: Clock = system_clock,
        scheduler: Scheduler | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.scheduler: Scheduler = scheduler or LoopScheduler(clock)
        self.contact_center: ContactCenter = contact_center or Simulator()
        self.contact_center.bind(self)
        self.limiter = RateLimiter(config.security.rate_limits, clock)
        self.store_health = StoreHealth(clock)
        self.commits = GroupCommit(store, on_failure=self._rollback, health=self.store_health)
        self.maintenance = StoreMaintenance(
            store, self.store_health, config.server.audit_retention, clock
        )
        self._maintained_at = 0.0  # set at start: the first round is a second later
        self._mail = SmtpSender(config.server.smtp) if config.server.smtp else None
        self._read = config.security.read_allowed
        self._sessions: dict[str, AgentSession] = {}
        self._by_user: dict[str, str] = {}
        server = config.server
        self.tokens = TokenBook(
            TokenLifetimes(
                idle=server.session_idle_timeout_minutes * 60.0,
                absolute=server.session_max_lifetime_minutes * 60.0,
            )
        )
        self._tokens_pruned_at = -math.inf
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
        self._timers: dict[tuple[str, str], Timer] = {}
        self._ticker: Timer | None = None
        # While an operation runs, the timers it arms wait here for its commit.
        self._deferred: list[Callable[[], None]] | None = None
        self._durable_queue: list[QueuedItem] = []
        self._started = False
        # Watchers (metrics, tools): every frame request's (request, outcome, duration ms),
        # and every published notice's (topic, session id, data). They must not raise.
        self.request_observers: list[Callable[[str, str, float], None]] = []
        self.notice_observers: list[Callable[[str, str, dict[str, Any]], None]] = []
        # ...and every refused door's (door, reason): see ``refused_door``.
        self.door_observers: list[Callable[[str, str], None]] = []

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        await self.store.open()
        for session in await self.store.load_sessions():
            if session.username not in self.config.agents:
                log.warning("dropping stored session of unknown agent %r", session.username)
                continue
            self._index(session)
            self.commits.durable[session.session_id] = encode_session(session)
        self._queue = await self.store.load_queue()
        self._durable_queue = list(self._queue)
        self.contact_center.restore(self._sessions.values())
        for session in self._sessions.values():
            for toast in session.toasts.values():
                if toast.close_at is not None:
                    self.arm_toast(session.session_id, toast.toast_id, toast.close_at)
        if self.logins.hashing:  # made now, so that no login pays for it
            self._spawn(self.logins.dummy_hash())
        self._started = True
        self._maintained_at = self.now()
        self._tick()

    async def stop(self) -> None:
        self._started = False
        if self._ticker is not None:
            self._ticker.cancel()
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
        self.tokens.index(session)
        for record in session.frames.values():
            self._frames[(session.session_id, record.frame_id)] = self._handle_for(session, record)

    def _tick(self) -> None:
        self._spawn(self._housekeeping())

    async def _housekeeping(self) -> None:
        """Flush the audit log in batches, log out agents who went inactive and prune
        expired login tokens; then arm the next round (one round at a time, whatever the
        scheduler)."""
        try:
            await self._flush_audit()
            await self._check_inactivity()
            if self.now() - self._tokens_pruned_at >= TOKEN_PRUNE_SECONDS:
                await self.prune_tokens()
            if self.now() - self._maintained_at >= MAINTENANCE_SECONDS:
                self._maintained_at = self.now()
                await self.maintenance.tick()
            log_repeats.flush_all()
        except Exception:
            log.exception("housekeeping failed")
        finally:
            if self._started:
                self._ticker = self.scheduler.call_at(self.now() + AUDIT_FLUSH_SECONDS, self._tick)

    async def settle(self) -> None:
        """Wait for the operations that timers have started (tests with manual time)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def flush_audit(self) -> None:
        """Write the audit entries gathered so far (they are batched every 0.25 s)."""
        await self._flush_audit()

    async def _flush_audit(self) -> None:
        if self._audit:
            entries, self._audit = self._audit, []
            # A failure puts the rows back (see _rollback) and has been logged there.
            with contextlib.suppress(Exception):
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
        """Run ``operation`` after ``delay`` seconds. Asked for inside an operation, the
        timer is armed only once that operation's changes are durable."""

        def arm() -> None:
            self.scheduler.call_at(
                self.now() + delay, lambda: self._spawn(self._run_logged(operation))
            )

        self._after_commit(arm)

    def _after_commit(self, action: Callable[[], None]) -> None:
        if self._deferred is not None:
            self._deferred.append(action)
        else:
            action()

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
            self.tokens.issue(session, digest, self.now())
            fx.touch(session)
            return session

        session = await self.run(open_session)
        return token, session

    def session_for_token(self, token: str, *, touch: bool = True) -> AgentSession | None:
        """The session a cookie opens now (None: unknown or expired token). ``touch``
        counts this as a use of the token, postponing its idle expiry."""
        session_id = self.tokens.lookup(_digest(token), self.now(), touch=touch)
        return self._sessions.get(session_id) if session_id else None

    async def prune_tokens(self) -> int:
        """Remove expired login tokens from the session records, and store the tokens'
        last uses; how many sessions were written. The housekeeping runs it every minute."""
        self._tokens_pruned_at = self.now()
        changed = self.tokens.prune(self._sessions.values(), self._tokens_pruned_at)
        if not changed:
            return 0

        def store(fx: Effects) -> None:
            for session in changed:
                if self._sessions.get(session.session_id) is session:
                    fx.touch(session)

        await self.run(store)
        return len(changed)

    def refused_door(
        self, door: str, origin: str, reason: str, detail: str, session: AgentSession | None
    ) -> None:
        """Record a refusal at one of the desktop's cookie doors (the desktop WebSocket,
        login, logout, a cookie-authenticated REST change): the audit log (outcome
        ``refused:door``, request = the door), the door observers (metrics), and the
        traffic inspector of the session whose cookie came along, if any."""
        at = self.clock()
        username = session.username if session is not None else ""
        self._audit.append((at, username, "", origin, door, REFUSED_DOOR, detail, 0.0))
        for watch in self.door_observers:
            watch(door, reason)
        sinks = self._sinks.get(session.session_id) if session is not None else None
        if sinks:
            traffic = {
                "at": at,
                "frameId": "",
                "origin": origin,
                "request": door,
                "outcome": REFUSED_DOOR,
                "detail": detail,
                "durationMs": 0.0,
            }
            for sink in sinks:
                sink.ui("traffic", traffic)

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
        self.tokens.forget(session)
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

        def close(fx: Effects) -> None:
            self._timers.pop(key, None)
            session = self._sessions.get(session_id)
            toast = session.toasts.get(toast_id) if session else None
            if session is None or toast is None or toast.close_at != close_at:
                return
            toasts.close(fx, session, None, toast_id)

        def arm() -> None:
            old = self._timers.pop(key, None)
            if old is not None:
                old.cancel()
            self._timers[key] = self.scheduler.call_at(
                close_at, lambda: self._spawn(self._run_logged(close))
            )

        self._after_commit(arm)

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

    def admit(self, frame: FrameHandle, raw: str) -> tuple[Message | None, Message | None]:
        """Check a frame's message as the desktop relayed it (JSON text), before it waits
        for its turn: size and nesting BEFORE decoding, then the bound on requests in flight.

        Returns ``(message, None)`` when the message is to be handled: it holds one of the
        frame's in-flight places until ``handle_admitted`` answers it. Otherwise
        ``(None, reply)``: the refusal to send at once (None when there is nothing to
        answer: no referenceId, or not a JSON object).
        """
        started = time.perf_counter()
        limit = self.config.server.max_message_bytes
        try:
            message_limits.check_text(raw, limit)
        except ApiError as problem:
            return None, self._refuse_raw(frame, raw, problem.message, started)
        try:
            message = _json_decode(raw)
        except msgspec.DecodeError:
            self._record(frame, "?", Outcome("failed", "not JSON"), started)
            return None, None
        if not isinstance(message, dict):
            self._record(frame, "?", Outcome("failed", "not a JSON object"), started)
            return None, None
        bound = self.config.server.max_requests_in_flight
        if frame.in_flight >= bound:
            request = message.get("request", message.get("event"))
            name = request if isinstance(request, str) else None
            return None, self._refuse(
                frame,
                protocol.reference_of(message),
                name,
                ErrorCode.UNAVAILABLE,
                f"Too many requests in flight from this frame (at most {bound}); "
                "retry when replies have arrived.",
                Outcome("failed", "too many in flight"),
                started,
            )
        frame.in_flight += 1
        return message, None

    async def handle_admitted(self, frame: FrameHandle, message: Message) -> Message | None:
        """Handle a message ``admit`` let through, and give its in-flight place back."""
        try:
            return await self.handle(frame, message)
        finally:
            frame.in_flight -= 1

    async def handle_raw(self, frame: FrameHandle, raw: str | bytes) -> Message | None:
        """Admit and handle a frame's message (JSON text) in one go."""
        text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        message, reply = self.admit(frame, text)
        if message is None:
            return reply
        return await self.handle_admitted(frame, message)

    def _refuse_raw(
        self, frame: FrameHandle, raw: str, problem: str, started: float
    ) -> Message | None:
        """Refuse a message too large or too deep to decode; its referenceId and request
        name are read from the text when they can be."""
        request = message_limits.sniff(raw, "request")
        name = request if isinstance(request, str) else None
        self._record(frame, name or "?", Outcome("failed", problem), started)
        reference = message_limits.sniff(raw, "referenceId")
        if reference is None:
            return None
        return protocol.failure(reference, name, ErrorCode.INVALID_PARAMETER, problem)

    async def handle(self, frame: FrameHandle, message: Message) -> Message | None:
        """One message from a frame: a reply to send back, or None (no referenceId, ignored)."""
        started = time.perf_counter()
        reference = protocol.reference_of(message)
        request = message.get("request")
        wrong = message_limits.bad_reference(message.get("referenceId"))
        if wrong is not None:
            # Answered, never run: the frame could not match the reply, nor know the outcome.
            kind = request if request is not None else message.get("event")
            name = kind if isinstance(kind, str) else None
            self._record(frame, name or "?", Outcome("failed", "bad referenceId"), started)
            return protocol.failure(
                message["referenceId"], name, ErrorCode.INVALID_PARAMETER, wrong
            )
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
        call = RequestContext(self, session, frame, None, name)
        try:
            result = self._operate(call, HANDLERS[name], params)
        except ApiError as refused:
            error = refused
            if call.changed is not None:
                try:
                    await self._finish(call.changed)
                except ApiError as unstored:
                    error = unstored
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
            except ApiError as unstored:
                return self._refuse(
                    frame,
                    reference,
                    request,
                    unstored.code,
                    unstored.message,
                    Outcome("failed", "store unavailable"),
                    started,
                )
        else:
            pending = self.commits.pending()
            if pending is not None:
                # A read must not report what is not yet durable. If that commit
                # failed, memory is back to what is durable: read again.
                try:
                    await asyncio.shield(pending)
                except Exception:
                    result = HANDLERS[name](call, params)
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

            try:
                subscription_id = await self.run(subscribe)
            except ApiError as error:
                return self._refuse(
                    frame, reference, kind, error.code, error.message, Outcome("failed"), started
                )
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

        try:
            await self.run(unsubscribe)
        except ApiError as error:
            return self._refuse(
                frame, reference, kind, error.code, error.message, Outcome("failed"), started
            )
        self._record(frame, "unsubscribe", Outcome("allowed", data), started)
        if reference is None:
            return None
        return protocol.success(reference, "unsubscribe", None)

    # --- operations: commit, then publish ------------------------------------------------

    async def run(self, operation: Callable[[Effects], T]) -> T:
        """Run an operation; commit what it changed, then publish what it said.

        An ``ApiError`` still publishes the notices the operation made before refusing
        (a blocked mark done tells the blocking frame), then propagates. A failed commit
        raises ``ApiError(UNAVAILABLE)`` and leaves nothing of the operation behind.
        """
        fx = Effects()
        try:
            result = self._deferring(fx, operation)
        except ApiError:
            await self._finish(fx)
            raise
        await self._finish(fx)
        return result

    def _operate(
        self, call: RequestContext, handler: Callable[[RequestContext, list[Any]], T], params: Any
    ) -> T:
        """Run a request's handler; timers it arms wait for its commit (if it changed
        anything, its Effects exist by then)."""
        deferred: list[Callable[[], None]] = []
        self._deferred = deferred
        try:
            return handler(call, params)
        finally:
            self._deferred = None
            if deferred:
                call.fx.after_commit.extend(deferred)

    def _deferring(self, fx: Effects, operation: Callable[[Effects], T]) -> T:
        self._deferred = fx.after_commit
        try:
            return operation(fx)
        finally:
            self._deferred = None

    def _rollback(self, batch: Changes, problem: BaseException) -> None:
        """A commit failed: put every session it held back to its durable record (a session
        never stored disappears), the queue too, and keep its audit rows for the next one."""
        touched = {s.session_id for s in batch.sessions} | set(batch.ended)
        # The store's health logs the outage once (store/health.py); this is detail.
        log.debug(
            "commit failed (%s); %d session(s) put back to their stored state",
            problem,
            len(touched),
        )
        for session_id in touched:
            data = self.commits.durable.get(session_id)
            if data is None:
                self._forget(session_id)
            else:
                self._restore(decode_session(data))
        if batch.queued or batch.dequeued:
            self._queue = list(self._durable_queue)
        if batch.audit:
            kept = batch.audit + self._audit
            if len(kept) > AUDIT_BUFFER_MAX:
                log.warning(
                    "audit buffer full: %d oldest rows dropped", len(kept) - AUDIT_BUFFER_MAX
                )
                kept = kept[-AUDIT_BUFFER_MAX:]
            self._audit = kept

    def _restore(self, stored: AgentSession) -> None:
        """Put the live session back to ``stored`` (decoded from the store), in place, so
        that whoever holds the session object holds the restored one; re-point the token
        book and the frame handles the desktops hold."""
        session_id = stored.session_id
        session = self._sessions.get(session_id)
        if session is None:
            self._index(stored)
            return
        self.tokens.forget(session)
        for name in session.__struct_fields__:
            setattr(session, name, getattr(stored, name))
        self._by_user[session.username] = session_id
        self.tokens.index(session)
        for key in [k for k in self._frames if k[0] == session_id]:
            record = session.frames.get(key[1])
            if record is None:
                del self._frames[key]
            else:
                handle = self._frames[key]
                handle.record = record
                handle.allowed = self._handle_for(session, record).allowed
        for frame_id, record in session.frames.items():
            if (session_id, frame_id) not in self._frames:
                self._frames[(session_id, frame_id)] = self._handle_for(session, record)

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
            try:
                await self.commits.commit(changes)
            except Exception as problem:
                because = f" ({problem.reason})" if isinstance(problem, StoreError) else ""
                raise ApiError(
                    ErrorCode.UNAVAILABLE,
                    f"The change could not be stored{because}; nothing was changed. Retry later.",
                ) from problem
            if fx.queued or fx.dequeued:
                gone = set(fx.dequeued)
                self._durable_queue = [i for i in self._durable_queue if i.item_id not in gone] + [
                    i for i in fx.queued if i.item_id not in gone
                ]
        for action in fx.after_commit:
            action()
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

    async def agent_operation(self, session_id: str, operation: Callable[[RequestContext], T]) -> T:
        """Run one of the agent's own operations: same domain, no third-party policy."""
        session = self._sessions.get(session_id)
        if session is None:
            raise ApiError(ErrorCode.UNAVAILABLE, "The agent's session has ended.")

        def run(fx: Effects) -> T:
            return operation(RequestContext(self, session, None, fx, "desktop"))

        return await self.run(run)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
