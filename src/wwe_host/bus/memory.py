"""The in-process bus: one process (nothing to tell), or, for tests, several engines in one
process linked by a ``MemoryNetwork`` as Redis links processes."""

from __future__ import annotations

import asyncio
import copy
import math
import time
from collections.abc import Callable

from ..core.ports import Message

# A quarantine "for ever" (quarantine delay 0) lasts a day on a shared bus: longer than a
# session may live (session-max-lifetime is at most 24 h by default), and it expires.
QUARANTINE_FOREVER = 86_400.0


class MemoryNetwork:
    """Buses that deliver to each other (and claims they share), in one process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.members: list[MemoryBus] = []
        self.claims: dict[str, float] = {}  # key → until
        self.counts: dict[tuple[str, int], int] = {}  # (key, minute) → requests counted
        self.throttle: dict[str, list[float]] = {}  # key → [failures, at, in progress]
        self.desktops: dict[str, dict[str, float]] = {}  # session → desktop → lease until
        self.leads: dict[str, tuple[str, float]] = {}  # key → (holder, until)

    def bus(self) -> MemoryBus:
        bus = MemoryBus(self)
        self.members.append(bus)
        return bus


class MemoryBus:
    """Without a network: the one process's bus; ``publish`` is never needed."""

    def __init__(self, network: MemoryNetwork | None = None) -> None:
        self.network = network
        self.shared = network is not None
        self._deliver: Callable[[Message], None] | None = None

    async def start(self, deliver: Callable[[Message], None]) -> None:
        self._deliver = deliver

    async def close(self) -> None:
        self._deliver = None

    def publish(self, message: Message) -> None:
        if self.network is None:
            return
        loop = asyncio.get_running_loop()
        for member in self.network.members:
            if member is not self and member._deliver is not None:
                # A copy, delivered on a later loop turn: as a message from another process.
                loop.call_soon(member._deliver, copy.deepcopy(message))

    async def claim(self, key: str, seconds: float) -> bool:
        if self.network is None:
            return True
        now = self.network.clock()
        if self.network.claims.get(key, -math.inf) > now:
            return False
        self.network.claims[key] = now + seconds
        return True

    async def rate_limit(self, key: str, limit: int, quarantine: float, now: float) -> str:
        network = self.network
        assert network is not None, "only a shared bus counts for the others"
        until = network.claims.get(f"quarantine:{key}", -math.inf)
        if until > now:
            return "ignore"
        minute = int(now // 60)
        count = network.counts.get((key, minute), 0)
        if count >= limit:
            network.claims[f"quarantine:{key}"] = now + (quarantine or QUARANTINE_FOREVER)
            return "refuse"
        network.counts[(key, minute)] = count + 1
        return "allow"

    async def lead(self, key: str, candidate: str, seconds: float) -> str | None:
        network = self.network
        assert network is not None, "only a shared bus elects across processes"
        now = network.clock()
        holder, until = network.leads.get(key, ("", -math.inf))
        if until > now and holder != candidate:
            return holder
        network.leads[key] = (candidate, now + seconds)
        return candidate

    async def step_down(self, key: str, holder: str) -> None:
        if self.network is not None and self.network.leads.get(key, ("", 0.0))[0] == holder:
            del self.network.leads[key]

    async def desktop_place(
        self, session_id: str, desktop_id: str, limit: int, lease: float
    ) -> bool | None:
        network = self.network
        assert network is not None, "only a shared bus counts for the others"
        now = network.clock()
        held = network.desktops.setdefault(session_id, {})
        for other in [d for d, until in held.items() if until <= now]:
            del held[other]
        if desktop_id not in held and len(held) >= limit:
            return False
        held[desktop_id] = now + lease
        return True

    async def desktop_left(self, session_id: str, desktop_id: str) -> None:
        if self.network is not None:
            self.network.desktops.get(session_id, {}).pop(desktop_id, None)

    async def throttle_begin(self, keys: list[str], half_life: float) -> list[float] | None:
        network = self.network
        assert network is not None, "only a shared bus counts for the others"
        now = network.clock()
        scores = []
        for key in keys:
            entry = network.throttle.setdefault(key, [0.0, now, 0.0])
            scores.append(_decayed(entry, now, half_life) + entry[2])
            entry[2] += 1
        return scores

    async def throttle_finish(
        self, keys: list[str], succeeded: bool | None, half_life: float, caps: list[float]
    ) -> None:
        network = self.network
        assert network is not None, "only a shared bus counts for the others"
        now = network.clock()
        for index, key in enumerate(keys):
            entry = network.throttle.setdefault(key, [0.0, now, 0.0])
            entry[2] = max(0.0, entry[2] - 1)
            if succeeded is None:
                continue
            if succeeded:
                if index == 0:
                    entry[0], entry[1] = 0.0, now
                continue
            entry[0], entry[1] = min(_decayed(entry, now, half_life) + 1, caps[index]), now

    def problem(self) -> tuple[str, float] | None:
        return None


def _decayed(entry: list[float], now: float, half_life: float) -> float:
    """A failure weight as of ``now``: it halves every ``half_life`` seconds."""
    return entry[0] * math.pow(0.5, max(0.0, now - entry[1]) / half_life)
