"""Ports of the core: what it needs of the outside world, as small protocols.

The Clock and Scheduler ports live in ``core/time.py``, the Store port in ``store/base.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Message = dict[str, Any]


class DesktopSink(Protocol):
    """A connected desktop. It promises to relay ``frame_message`` to the frame it names
    (with the origin it was registered with) and to show ``ui`` updates to the agent; it
    must not raise and must not block (both are called while a request is answered)."""

    def frame_message(self, frame_id: str, origin: str, message: Message) -> None: ...

    def ui(self, kind: str, data: dict[str, Any]) -> None:
        """A notice for the agent; ``changed`` (no data): the session was changed by
        another process, show it again."""
        ...


class EventBus(Protocol):
    """What one server process tells the others (docs/architecture.md, "Several processes").

    After each commit a process publishes what became durable: the session records it
    wrote (with their versions), the sessions it ended, the queue's changes, the outbound
    campaigns' changes (with the version they made), and the notices to publish; every
    other process mirrors the records and hands the notices to the desktops connected to
    it. It promises: ``publish`` neither blocks nor raises and
    keeps order; ``deliver`` (given to ``start``) receives the other processes' messages in
    the order each published them, never this process's own; ``claim`` is true for exactly
    one caller per key within ``seconds`` across all processes (a timer every process armed
    runs once). A bus that is not ``shared`` has no other process: nothing is published."""

    shared: bool

    async def start(self, deliver: Callable[[Message], None]) -> None: ...

    async def close(self) -> None: ...

    def publish(self, message: Message) -> None: ...

    async def claim(self, key: str, seconds: float) -> bool: ...

    async def rate_limit(self, key: str, limit: int, quarantine: float, now: float) -> str:
        """Count one request against ``limit`` per clock minute across all processes:
        ``"allow"`` (counted), ``"refuse"`` (the first over the limit: quarantine begins,
        ``quarantine`` seconds, 0 = for the rest of the day) or ``"ignore"`` (quarantined).
        Only called when ``shared``."""
        ...

    async def throttle_begin(self, keys: list[str], half_life: float) -> list[float] | None:
        """The login throttle's scores across processes (security/logins.py
        ``SharedThrottle``; None: unknown now, this process's own decide); only called
        when ``shared``."""
        ...

    async def throttle_finish(
        self, keys: list[str], succeeded: bool | None, half_life: float, caps: list[float]
    ) -> None: ...

    async def lead(self, key: str, candidate: str, seconds: float) -> str | None:
        """Make ``candidate`` the holder of ``key`` for ``seconds`` unless another holds it
        (the holder renews by asking again); answers the holder now, or None when unknown
        (this process decides alone). Only called when ``shared``."""
        ...

    async def step_down(self, key: str, holder: str) -> None:
        """``holder`` gives ``key`` up (nothing happens when another holds it)."""
        ...

    async def desktop_place(
        self, session_id: str, desktop_id: str, limit: int, lease: float
    ) -> bool | None:
        """Take (or renew) one of the session's ``limit`` desktop places across processes
        for ``lease`` seconds: true when taken, false when every place is held by another
        desktop, None when unknown now (this process's own count decides). A place not
        renewed within its lease is free again (its process died). Only called when
        ``shared``."""
        ...

    async def desktop_left(self, session_id: str, desktop_id: str) -> None:
        """Give a desktop's place back (its socket closed)."""
        ...

    def problem(self) -> tuple[str, float] | None:
        """Why the bus cannot carry messages now, and since when (epoch seconds), for
        ``/healthz``; None while it can."""
        ...
