"""Agents' sessions: login and logout, login tokens, inactivity, refused doors."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets

from ..contact_center.base import ContactCenter
from ..domain import operations as ops
from ..domain.effects import Effects
from ..domain.model import AgentSession
from ..domain.states import LOGOUT, NOT_READY, READY
from ..security.logins import LoginGuard, LoginThrottled
from ..store.base import StoreConflict
from .frames import Frames
from .runner import Runner
from .state import CoreState

# A process that claimed an inactivity logout holds it this long (the others skip it).
INACTIVITY_CLAIM_SECONDS = 60.0

log = logging.getLogger("wwe_host.engine")

# The audit outcome of a refused door (docs/architecture.md, "Doors").
REFUSED_DOOR = "refused:door"
REFUSED_AUTH = "refused:auth"  # a failed login (audit outcome)


class AuthError(Exception):
    """Login refused; the message is safe to show (it never says which part was wrong)."""


class Sessions:
    """The live sessions. It promises: one session per agent (a second login joins it),
    opened only for a right password of an agent with ROLE_AGENT; a token opens only its
    session, until it expires; an agent inactive past the timeout is logged out; ending a
    session forgets its tokens, frames, timers and rate-limit counts."""

    def __init__(
        self,
        state: CoreState,
        runner: Runner,
        frames: Frames,
        contact_center: ContactCenter,
        logins: LoginGuard,
    ) -> None:
        self.state = state
        self.runner = runner
        self.frames = frames
        self.contact_center = contact_center
        self.logins = logins
        self.tokens_pruned_at = -math.inf

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
        core = self.state
        agent = core.config.agents.get(username)
        stored = agent.password if agent is not None else None
        try:
            checked = await self.logins.check(username, stored, password, address)
        except LoginThrottled as throttled:
            self._refused_login(username, address, "throttled", str(throttled))
            raise
        if not checked or agent is None:
            why = "wrong password" if agent is not None else "unknown user name"
            self._refused_login(username, address, "credentials", why)
            raise AuthError("Unknown username or wrong password.")
        if "ROLE_AGENT" not in agent.roles:
            self._refused_login(username, address, "role", "the user does not have ROLE_AGENT")
            raise AuthError(f"User '{username}' does not have ROLE_AGENT.")
        token = secrets.token_urlsafe(32)
        digest = _digest(token)

        def open_session(fx: Effects) -> AgentSession:
            session = core.live_session(username)
            if session is None:
                now = core.now()
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
                core.sessions[session.session_id] = session
                core.by_user[username] = session.session_id
            core.tokens.issue(session, digest, core.now())
            fx.touch(session)
            return session

        if core.live_session(username) is None:
            await self.runner.load_user(username)
        try:
            session = await self.runner.run(open_session)
        except StoreConflict:  # another process opened (or changed) the agent's session
            await self.runner.load_user(username)
            session = await self.runner.run(open_session)
        return token, session

    def session_for_token(self, token: str, *, touch: bool = True) -> AgentSession | None:
        """The session a cookie opens now (None: unknown or expired token). ``touch``
        counts this as a use of the token, postponing its idle expiry."""
        core = self.state
        session_id = core.tokens.lookup(_digest(token), core.now(), touch=touch)
        return core.sessions.get(session_id) if session_id else None

    async def prune_tokens(self) -> int:
        """Remove expired login tokens from the session records, and store the tokens'
        last uses; how many sessions were written. The housekeeping runs it every minute."""
        core = self.state
        self.tokens_pruned_at = core.now()
        changed = core.tokens.prune(core.sessions.values(), self.tokens_pruned_at)
        if not changed:
            return 0

        def store(fx: Effects) -> None:
            for session in changed:
                if core.sessions.get(session.session_id) is session:
                    fx.touch(session)

        await self.runner.run(store)
        return len(changed)

    def _refused_login(self, username: str, address: str | None, reason: str, why: str) -> None:
        """Audit and count a refused login (security.md: every refusal, auth included, is in
        the audit log and the metrics): outcome ``refused:auth``, request ``login``, the
        user name as typed (at most 64 characters) and the client's address in the detail;
        counted as a refusal at the ``login`` door with ``reason``."""
        core = self.state
        name = username[:64]
        detail = f"Login of '{name}' refused: {why} (client {address or 'unknown'})."
        known = name if name in core.config.agents else ""
        core.audit.append((core.clock(), known, "", "", "login", REFUSED_AUTH, detail, 0.0))
        for watch in core.door_observers:
            watch("login", reason)

    def refused_door(
        self, door: str, origin: str, reason: str, detail: str, session: AgentSession | None
    ) -> None:
        """Record a refusal at one of the desktop's cookie doors (the desktop WebSocket,
        login, logout, a cookie-authenticated REST change): the audit log (outcome
        ``refused:door``, request = the door), the door observers (metrics), and the
        traffic inspector of the session whose cookie came along, if any."""
        core = self.state
        at = core.clock()
        username = session.username if session is not None else ""
        core.audit.append((at, username, "", origin, door, REFUSED_DOOR, detail, 0.0))
        for watch in core.door_observers:
            watch(door, reason)
        sinks = core.sinks.get(session.session_id) if session is not None else None
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
        return list(self.state.sessions.values())

    async def logout(self, session_id: str, reason: str = "logout") -> None:
        core = self.state
        session = core.sessions.get(session_id)
        if session is None:
            return

        def end(fx: Effects) -> None:
            if reason == "inactivity" and not self._inactive(session):
                return  # active after all (seen on another process): nothing to end
            self.contact_center.session_ended(fx, session)
            ops.set_media_states(fx, session, list(session.media), LOGOUT, core.now())
            fx.ended.append(session_id)
            fx.notify(session, "session", {"ended": reason}, ui_only=True)

        await self.runner.run(end)

    def index(self, session: AgentSession) -> None:
        """Register a session loaded from (or put back to) its stored record."""
        core = self.state
        core.sessions[session.session_id] = session
        core.by_user[session.username] = session.session_id
        core.tokens.index(session)
        self.frames.index(session)

    def forget(self, session_id: str) -> None:
        """The session ended (or was never stored): drop everything held for it."""
        core = self.state
        session = core.sessions.pop(session_id, None)
        if session is None:
            return
        if core.by_user.get(session.username) == session_id:
            del core.by_user[session.username]
        core.tokens.forget(session)
        self.frames.forget(session_id)
        for key in [k for k in core.timers if k[0] == session_id]:
            core.timers.pop(key).cancel()
        core.limiter.forget(session_id)

    # --- inactivity ----------------------------------------------------------------------

    def activity_deadline(self, session: AgentSession) -> float | None:
        minutes = self.state.config.agents[session.username].options.inactivity_timeout_minutes
        if minutes <= 0:
            return None
        return session.last_activity + minutes * 60.0

    def record_activity(self, fx: Effects, session: AgentSession) -> None:
        session.last_activity = self.state.now()
        fx.touch(session)
        fx.notify(session, "activity", {"deadline": self.activity_deadline(session)}, ui_only=True)

    def _inactive(self, session: AgentSession) -> bool:
        deadline = self.activity_deadline(session)
        return deadline is not None and self.state.now() >= deadline

    async def check_inactivity(self) -> None:
        """Log out the agents past their inactivity deadline. With several processes each
        looks, one claims each logout (``inactivity:<session>:<deadline>`` on the bus), and
        the logout decides again on the session as stored: activity recorded on another
        process, not yet seen here, keeps the agent logged in."""
        bus = self.state.bus
        for session in list(self.state.sessions.values()):
            if not self._inactive(session):
                continue
            if bus.shared:
                key = f"inactivity:{session.session_id}:{self.activity_deadline(session)}"
                if not await bus.claim(key, INACTIVITY_CLAIM_SECONDS):
                    continue
            log.info("logging out %s after inactivity", session.username)
            await self.logout(session.session_id, reason="inactivity")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
