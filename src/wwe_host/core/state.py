"""The in-process state the core's parts share (sessions, desktops, queue, audit rows)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from ..bus.memory import MemoryBus
from ..domain.model import AgentSession, QueuedItem
from ..domain.tokens import TokenBook, TokenLifetimes
from ..security import RateLimiter
from ..settings import Config
from ..store.base import AuditRow, Store
from ..store.health import StoreHealth
from .ports import DesktopSink, EventBus
from .time import Clock, Scheduler, Timer


class CoreState:
    """What the core's parts (runner, sessions, frames, pipeline, routing) share.

    It promises one place for each piece of live state: the live sessions by id and by
    username, their login tokens, the desktops attached per session, the routing queue
    (live and durable), the audit rows not yet written, the toast timers, the background
    tasks, and the after-commit actions of the operation running now. It decides nothing."""

    def __init__(
        self,
        config: Config,
        store: Store,
        clock: Clock,
        scheduler: Scheduler,
        bus: EventBus | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.bus: EventBus = bus or MemoryBus()
        self.clock = clock
        self.scheduler = scheduler
        self.limiter = RateLimiter(config.security.rate_limits, clock)
        self.store_health = StoreHealth(clock)
        self.read = config.security.read_allowed
        server = config.server
        self.tokens = TokenBook(
            TokenLifetimes(
                idle=server.session_idle_timeout_minutes * 60.0,
                absolute=server.session_max_lifetime_minutes * 60.0,
            )
        )
        self.sessions: dict[str, AgentSession] = {}
        self.by_user: dict[str, str] = {}
        self.sinks: dict[str, list[DesktopSink]] = {}
        self.audit: list[AuditRow] = []
        self.queue: list[QueuedItem] = []
        self.durable_queue: list[QueuedItem] = []
        self.tasks: set[asyncio.Task[Any]] = set()
        self.timers: dict[tuple[str, str], Timer] = {}
        # While an operation runs, the timers it arms wait here for its commit.
        self.deferred: list[Callable[[], None]] | None = None
        # Watchers (metrics, tools): every frame request's (request, outcome, duration ms),
        # and every published notice's (topic, session id, data). They must not raise.
        self.request_observers: list[Callable[[str, str, float], None]] = []
        self.notice_observers: list[Callable[[str, str, dict[str, Any]], None]] = []
        # ...and every refused door's (door, reason): see ``Sessions.refused_door``.
        self.door_observers: list[Callable[[str, str], None]] = []

    def now(self) -> float:
        return self.clock()

    def live_session(self, username: str) -> AgentSession | None:
        session_id = self.by_user.get(username)
        return self.sessions.get(session_id) if session_id else None

    def spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` now, or, inside an operation, once its changes are durable."""
        if self.deferred is not None:
            self.deferred.append(action)
        else:
            action()
