"""The engine: the front object through which everything reaches the core.

It builds the core's parts and wires them together; it keeps the lifecycle (start, stop,
housekeeping) and what the contact center and the handlers ask of the core (the ``Host``
and ``Core`` protocols); every other method hands the work to one part:

- ``core/runner.py``: an operation as a unit of work (commit, then publish);
- ``core/pipeline.py``: a frame's message, from its text to its reply;
- ``core/frames.py``: the frame registry and the desktops attached;
- ``core/sessions.py``: login, logout, tokens, inactivity, refused doors;
- ``core/routing.py``: inbound interactions to agents and queues;
- ``core/simulation.py``: the simulated outside world's requests (``Engine.simulation``).

The contact center is two ports: ``contact_center`` (the agent's commands) and
``simulator`` (the far ends' controls and inbound interactions); by default one embedded
``Simulator`` plays both.

It knows nothing of HTTP or WebSockets: a desktop connection is a ``DesktopSink``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from . import log_repeats
from .api import RequestContext
from .api.desktop import ACTIONS
from .contact_center.base import ContactCenter
from .contact_center.mail import SmtpSender
from .core.checks import Outcome
from .core.frames import FrameHandle, Frames
from .core.outbound import Outbound
from .core.pipeline import Pipeline
from .core.ports import DesktopSink, EventBus, Message
from .core.routing import Routing
from .core.runner import Runner
from .core.sessions import AuthError, Sessions
from .core.simulation import Simulation
from .core.state import CoreState
from .core.tabs import Tabs
from .core.time import Clock, LoopScheduler, Scheduler, Timer, system_clock
from .domain import toasts
from .domain.effects import Effects
from .domain.model import AgentSession, Interaction, QueuedItem
from .domain.states import State, build_state_list
from .domain.tabs import TabView
from .domain.views import interaction_view
from .errors import ApiError, ErrorCode
from .security.logins import LoginGuard
from .security.signing import JwtSigner
from .settings import AgentConfig, Config, QueueConfig, WebContent
from .simulator import Simulator, SimulatorControls
from .store.base import Changes, Store, encode_session
from .store.maintenance import StoreMaintenance

__all__ = [
    "AuthError",
    "DesktopSink",
    "Engine",
    "FrameHandle",
    "Outcome",
]

log = logging.getLogger("wwe_host.engine")

T = TypeVar("T")
Reply = Coroutine[Any, Any, Message | None]  # a frame message's handling: its reply, if any

AUDIT_FLUSH_SECONDS = 0.25
# Expired login tokens are removed from session records (and token uses persisted) this often.
TOKEN_PRUNE_SECONDS = 60.0
# The store's write probe and audit retention are looked at this often (store/maintenance.py).
MAINTENANCE_SECONDS = 1.0
# Several processes: how often a process compares its cached sessions with the store, to
# take what it missed (a message lost on the bus, or never sent by a process that died).
REFRESH_SECONDS = 2.0
# How long a process that claimed a timer holds it (the others skip it meanwhile).
CLAIM_SECONDS = 60.0
# Several processes: a desktop's place among its session's max-desktop-connections is
# leased this long and renewed by the desktop's traffic (its pings come every 20 s).
DESKTOP_LEASE_SECONDS = 90.0
DESKTOP_RENEW_SECONDS = 30.0


class Engine:
    """The single authority that decides and executes every request. It promises the
    public methods the web layer, the contact center and the tests call, each handed to
    the part of the core that does that job (see the module docstring)."""

    def __init__(
        self,
        config: Config,
        store: Store,
        contact_center: ContactCenter | None = None,
        simulator: SimulatorControls | None = None,
        clock: Clock = system_clock,
        scheduler: Scheduler | None = None,
        bus: EventBus | None = None,
        signer: JwtSigner | None = None,
    ) -> None:
        self.config = config
        # The JWT signing key (auth.getJwtToken): given, read from jwt-signing-key, or kept
        # in the store (made at the first start); known once ``start`` has run.
        self.signer = signer
        self.store = store
        self.clock = clock
        self.scheduler: Scheduler = scheduler or LoopScheduler(clock)
        self.state = state = CoreState(config, store, clock, self.scheduler, bus)
        self.bus = state.bus
        # The embedded simulator plays both the backend and the outside world (its controls).
        backend = contact_center or Simulator()
        if simulator is None:
            if not isinstance(backend, Simulator):
                raise ValueError("a contact center other than the simulator needs its controls")
            simulator = backend
        backend.bind(self)
        self.contact_center: ContactCenter = backend
        self.simulator: SimulatorControls = simulator
        self.limiter = state.limiter
        self.store_health = state.store_health
        self.tokens = state.tokens
        mail = SmtpSender(config.server.smtp) if config.server.smtp else None
        self.runner = Runner(state, mail)
        self.commits = self.runner.commits
        # Outbound campaigns (core/outbound.py): the book the outbound.* handlers use.
        self.outbound = Outbound(state, self.runner)
        self.maintenance = StoreMaintenance(
            store, self.store_health, config.server.audit_retention, clock
        )
        self._maintained_at = 0.0  # set at start: the first round is a second later
        self._refreshed_at = 0.0
        self.logins = LoginGuard(
            (agent.password for agent in config.agents.values()),
            allow_plain=config.server.insecure_plain_password,
            shared=self.bus if self.bus.shared else None,  # the throttle of every process
        )
        self.frame_registry = Frames(state, self.runner)
        self.session_registry = Sessions(
            state, self.runner, self.frame_registry, self.contact_center, self.logins
        )
        self.routing = Routing(state, self.simulator)
        self.runner.bind(self.session_registry, self.frame_registry, self.routing)
        self.simulation = Simulation(self.runner, self.routing, self.simulator, clock)
        self.pipeline = Pipeline(state, self.runner, self)
        self.tabs = Tabs(state, self.runner)
        self._state_lists: dict[str, list[State]] = {}
        self._tasks = state.tasks
        self._ticker: Timer | None = None
        self._started = False
        # Watchers (metrics, tools): every frame request's (request, outcome, duration ms),
        # and every published notice's (topic, session id, data). They must not raise.
        self.request_observers = state.request_observers
        self.notice_observers = state.notice_observers
        # ...and every refused door's (door, reason): see ``refused_door``.
        self.door_observers = state.door_observers

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        state = self.state
        await self.store.open()
        for session, version in await self.store.load_sessions():
            if session.username not in self.config.agents:
                log.warning("dropping stored session of unknown agent %r", session.username)
                continue
            self.session_registry.index(session)
            self.commits.adopt(session.session_id, encode_session(session), version)
        if self.signer is None:
            self.signer = await self._load_signer()
        state.queue = await self.store.load_queue()
        state.durable_queue = list(state.queue)
        await self.outbound.load()
        self.runner.on_mirrored = self._rearm
        await self.bus.start(self.runner.apply_remote)
        self.contact_center.restore(state.sessions.values())
        for session in state.sessions.values():
            for toast in session.toasts.values():
                if toast.close_at is not None:
                    self.arm_toast(session.session_id, toast.toast_id, toast.close_at)
        if self.logins.hashing:  # made now, so that no login pays for it
            state.spawn(self.logins.dummy_hash())
        self._started = True
        self._maintained_at = self.now()
        self._tick()

    async def _load_signer(self) -> JwtSigner:
        path = self.config.server.jwt_signing_key
        if path is not None:
            return JwtSigner.from_file(path)  # serve reads it before, to refuse a bad one
        pem = await self.store.signing_key()
        if pem is not None:
            return JwtSigner.from_pem(pem)
        made = JwtSigner.generate()
        kept = await self.store.save_signing_key(made.pem())
        if kept != made.pem():  # another process made one first: everyone uses that one
            return JwtSigner.from_pem(kept)
        log.info("made a new JWT signing key (%s %s)", made.algorithm, made.kid)
        return made

    async def stop(self) -> None:
        self._started = False
        if self._ticker is not None:
            self._ticker.cancel()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        timers = self.state.timers
        for timer in timers.values():
            timer.cancel()
        timers.clear()
        self.tabs.close()
        await self._flush_audit()
        await self.bus.close()
        await self.store.close()
        self.logins.close()
        self._started = False

    def _tick(self) -> None:
        self.state.spawn(self._housekeeping())

    async def _housekeeping(self) -> None:
        """Flush the audit log in batches, log out agents who went inactive and prune
        expired login tokens; then arm the next round (one round at a time, whatever the
        scheduler)."""
        try:
            await self._flush_audit()
            if self.now() - self.session_registry.tokens_pruned_at >= TOKEN_PRUNE_SECONDS:
                await self.prune_tokens()
            if self.bus.shared and self.now() - self._refreshed_at >= REFRESH_SECONDS:
                self._refreshed_at = self.now()
                await self.runner.refresh()
            if self.now() - self._maintained_at >= MAINTENANCE_SECONDS:
                self._maintained_at = self.now()
                # Once a second, not every round: a look at every session (10,000 of
                # them cost a few milliseconds), for deadlines counted in minutes.
                await self.session_registry.check_inactivity()
                await self.tabs.tick()  # several processes: the leading tab's lease
                await self.maintenance.tick()
            log_repeats.flush_all()
        except Exception:
            log.exception("housekeeping failed")
        finally:
            if self._started:
                self._ticker = self.scheduler.call_at(self.now() + AUDIT_FLUSH_SECONDS, self._tick)

    async def catch_up(self, token: str | None) -> None:
        """With several processes, a login on another process a moment ago may not be
        mirrored here yet: before a cookie door looks ``token`` up, take what changed
        from the store when it is unknown here."""
        if token and self.bus.shared and self.session_for_token(token, touch=False) is None:
            await self.runner.refresh()

    async def refresh(self, session_id: str) -> None:
        """With several processes: take the session as stored if another process changed
        it (a desktop connecting here must not see an old copy)."""
        if self.bus.shared:
            await self.runner.refresh(session_id)

    async def settle(self) -> None:
        """Wait for the operations that timers have started (tests with manual time)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def flush_audit(self) -> None:
        """Write the audit entries gathered so far (they are batched every 0.25 s)."""
        await self._flush_audit()

    async def _flush_audit(self) -> None:
        state = self.state
        if state.audit:
            entries, state.audit = state.audit, []
            # A failure puts the rows back (see Runner._rollback) and has been logged there.
            with contextlib.suppress(Exception):
                await self.commits.commit(Changes(audit=entries))

    # --- Host (for the contact center) ---------------------------------------------------

    def now(self) -> float:
        return self.clock()

    def live_session(self, username: str) -> AgentSession | None:
        return self.state.live_session(username)

    def session_by_id(self, session_id: str) -> AgentSession | None:
        return self.state.sessions.get(session_id)

    def agent_by_number(self, number: str) -> AgentConfig | None:
        return self.config.agent_by_number(number)

    def agent(self, username: str) -> AgentConfig:
        return self.config.agents[username]

    def schedule(
        self, delay: float, operation: Callable[[Effects], None], key: str | None = None
    ) -> None:
        """Run ``operation`` after ``delay`` seconds. Asked for inside an operation, the
        timer is armed only once that operation's changes are durable. A ``key`` makes it
        one timer (armed again: replaced) that one process of several runs."""
        state = self.state

        def arm() -> None:
            when = self.now() + delay
            if key is None:
                self.scheduler.call_at(when, lambda: state.spawn(self._run_logged(operation)))
                return
            slot = ("timer", key)
            old = state.timers.pop(slot, None)
            if old is not None:
                old.cancel()

            def due() -> None:
                state.timers.pop(slot, None)
                state.spawn(self._run_claimed(key, operation))

            state.timers[slot] = self.scheduler.call_at(when, due)

        state.after_commit(arm)

    async def _run_logged(self, operation: Callable[[Effects], None]) -> None:
        try:
            await self.run(operation)
        except ApiError as error:
            log.info("scheduled operation refused: %s", error.message)
        except Exception:
            log.exception("scheduled operation failed")

    # --- JWT (auth.getJwtToken) ----------------------------------------------------------

    def sign_jwt(self, claims: dict[str, Any]) -> str:
        if self.signer is None:
            raise ApiError(ErrorCode.UNAVAILABLE, "The server is starting; retry shortly.")
        return self.signer.sign(claims)

    def jwks(self) -> dict[str, Any]:
        """The public keys of the JWTs, as ``/.well-known/jwks.json`` serves them."""
        return self.signer.jwks() if self.signer is not None else {"keys": []}

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
        read = self.state.read
        if not read.allows_all:
            data["userData"] = read.filter(data["userData"])
        return data

    # --- sessions (core/sessions.py) -----------------------------------------------------

    async def login(
        self,
        username: str,
        password: str,
        dynamic_phone_number: str | None = None,
        *,
        address: str | None = None,
    ) -> tuple[str, AgentSession]:
        """Check the password and open (or join) the agent's session; returns a new token."""
        return await self.session_registry.login(
            username, password, dynamic_phone_number, address=address
        )

    def session_for_token(self, token: str, *, touch: bool = True) -> AgentSession | None:
        """The session a cookie opens now (None: unknown or expired token)."""
        return self.session_registry.session_for_token(token, touch=touch)

    async def prune_tokens(self) -> int:
        """Remove expired login tokens; how many sessions were written."""
        return await self.session_registry.prune_tokens()

    def refused_door(
        self, door: str, origin: str, reason: str, detail: str, session: AgentSession | None
    ) -> None:
        """Record a refusal at one of the desktop's cookie doors."""
        self.session_registry.refused_door(door, origin, reason, detail, session)

    def sessions(self) -> list[AgentSession]:
        return self.session_registry.sessions()

    async def logout(self, session_id: str, reason: str = "logout") -> None:
        await self.session_registry.logout(session_id, reason)

    def activity_deadline(self, session: AgentSession) -> float | None:
        return self.session_registry.activity_deadline(session)

    def record_activity(self, fx: Effects, session: AgentSession) -> None:
        self.session_registry.record_activity(fx, session)

    # --- toasts --------------------------------------------------------------------------

    def arm_toast(self, session_id: str, toast_id: str, close_at: float) -> None:
        key = (session_id, toast_id)
        state = self.state

        def close(fx: Effects) -> None:
            state.timers.pop(key, None)
            session = state.sessions.get(session_id)
            toast = session.toasts.get(toast_id) if session else None
            if session is None or toast is None or toast.close_at != close_at:
                return
            toasts.close(fx, session, None, toast_id)

        def arm() -> None:
            old = state.timers.pop(key, None)
            if old is not None:
                old.cancel()
            claim = f"toast:{session_id}:{toast_id}:{close_at}"
            state.timers[key] = self.scheduler.call_at(
                close_at, lambda: state.spawn(self._run_claimed(claim, close))
            )

        state.after_commit(arm)

    def _rearm(self, session_id: str) -> None:
        """A session mirrored from another process: its timers (a far end about to answer,
        toasts' auto-close) are armed here too; each fires once across processes (the
        first to claim it runs it), also when the process that armed it died."""
        session = self.state.sessions.get(session_id)
        if session is not None:  # a far end about to answer, armed there
            self.contact_center.restore([session])
        for toast in session.toasts.values() if session else ():
            if toast.close_at is not None and (session_id, toast.toast_id) not in self.state.timers:
                self.arm_toast(session_id, toast.toast_id, toast.close_at)

    async def _run_claimed(self, key: str, operation: Callable[[Effects], None]) -> None:
        """Run a timer's operation if this process is the one to (core/ports.py EventBus)."""
        if await self.bus.claim(key, CLAIM_SECONDS):
            await self._run_logged(operation)

    # --- desktops and frames (core/frames.py) --------------------------------------------

    def attach(self, session_id: str, sink: DesktopSink) -> None:
        self.frame_registry.attach(session_id, sink)

    def detach(self, session_id: str, sink: DesktopSink) -> None:
        self.frame_registry.detach(session_id, sink)

    async def desktop_place(self, session_id: str, desktop_id: str) -> bool:
        """Whether a desktop may connect to the session (or stays counted): with several
        processes its ``max-desktop-connections`` places are shared through the bus;
        alone, the desktop hub's own count has decided already."""
        if not self.bus.shared:
            return True
        limit = self.config.server.max_desktop_connections
        taken = await self.bus.desktop_place(session_id, desktop_id, limit, DESKTOP_LEASE_SECONDS)
        return taken is not False

    async def desktop_left(self, session_id: str, desktop_id: str) -> None:
        if self.bus.shared:
            await self.bus.desktop_left(session_id, desktop_id)

    def desktops(self, session_id: str) -> int:
        return self.frame_registry.desktops(session_id)

    def web_content(self, username: str, section: str) -> tuple[WebContent, bool] | None:
        return self.frame_registry.web_content(username, section)

    async def open_frame(
        self,
        session_id: str,
        section: str,
        origin: str,
        interaction_id: str | None = None,
        frame_id: str | None = None,
        tab: str | None = None,
    ) -> FrameHandle:
        """Register a frame the desktop created (or re-register one after a reconnect);
        ``tab``: the desktop tab that holds it (core/tabs.py)."""
        handle = await self.frame_registry.open_frame(
            session_id, section, origin, interaction_id, frame_id
        )
        if tab is not None:
            self.tabs.hold(session_id, tab, handle.record.frame_id)
        return handle

    async def frame_navigated(self, frame: FrameHandle, origin: str) -> FrameHandle:
        """The frame now shows a document of another origin."""
        return await self.frame_registry.frame_navigated(frame, origin)

    async def close_frame(self, session_id: str, frame_id: str) -> None:
        await self.frame_registry.close_frame(session_id, frame_id)
        self.tabs.release(session_id, frame_id)

    # --- desktop tabs (core/tabs.py) -----------------------------------------------------

    def frame_tab(self, session_id: str, frame_id: str) -> TabView:
        return self.tabs.view(session_id, frame_id)

    def frame(self, session_id: str, frame_id: str) -> FrameHandle | None:
        return self.frame_registry.frame(session_id, frame_id)

    # --- the request pipeline (core/pipeline.py) -----------------------------------------

    def admit(self, frame: FrameHandle, raw: str) -> tuple[Message | None, Message | None]:
        """Check a frame's message before it waits for its turn (see ``Pipeline.admit``)."""
        return self.pipeline.admit(frame, raw)

    # The three below hand the pipeline's coroutine over as it is (awaiting it here would
    # add a coroutine to every frame request's path).

    def handle_admitted(self, frame: FrameHandle, message: Message) -> Reply:
        """Handle a message ``admit`` let through, and give its in-flight place back."""
        return self.pipeline.handle_admitted(frame, message)

    def handle_raw(self, frame: FrameHandle, raw: str | bytes) -> Reply:
        """Admit and handle a frame's message (JSON text) in one go."""
        return self.pipeline.handle_raw(frame, raw)

    def handle(self, frame: FrameHandle, message: Message) -> Reply:
        """One message from a frame: a reply to send back, or None."""
        return self.pipeline.handle(frame, message)

    # --- operations (core/runner.py) -----------------------------------------------------

    async def run(self, operation: Callable[[Effects], T]) -> T:
        """Run an operation; commit what it changed, then publish what it said."""
        return await self.runner.run(operation)

    async def agent_operation(self, session_id: str, operation: Callable[[RequestContext], T]) -> T:
        """Run one of the agent's own operations: same domain, no third-party policy."""
        session = self.state.sessions.get(session_id)
        if session is None:
            raise ApiError(ErrorCode.UNAVAILABLE, "The agent's session has ended.")

        def run(fx: Effects) -> T:
            return operation(RequestContext(self, session, None, fx, "desktop"))

        return await self.run(run)

    @staticmethod
    def is_agent_action(op: str) -> bool:
        """Whether ``op`` names one of the agent's own operations (api/desktop.py)."""
        return op in ACTIONS

    async def agent_action(self, session_id: str, op: str, args: dict[str, Any]) -> Any:
        """Run the agent's own operation ``op`` (``is_agent_action``) with its arguments."""
        action = ACTIONS[op]
        return await self.agent_operation(session_id, lambda call: action(call, args))

    # --- routing (core/routing.py) -------------------------------------------------------

    def deliver(self, fx: Effects, target: str, item: QueuedItem) -> Interaction | None:
        """Offer an inbound interaction to a username, a DN or ``queue:<name>``."""
        return self.routing.deliver(fx, target, item)

    def drain(self, fx: Effects) -> None:
        """Offer waiting interactions to agents who can take them now."""
        self.routing.drain(fx)

    def queue_config(self, name: str) -> QueueConfig | None:
        return self.config.queues.get(name)

    def abandon(self, fx: Effects, predicate: Callable[[QueuedItem], bool]) -> QueuedItem | None:
        """The customer gave up while waiting: the first matching item leaves its queue."""
        return self.routing.abandon(fx, predicate)

    def queued(self) -> list[QueuedItem]:
        return self.routing.queued()

    def find(
        self, predicate: Callable[[Interaction], bool]
    ) -> tuple[AgentSession, Interaction] | None:
        return self.routing.find(predicate)
