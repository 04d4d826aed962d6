"""Time, injected: a Clock says what time it is, a Scheduler runs an action at a time.

The engine never reads the system clock or arms a loop timer itself, so tests drive time
with ``ManualClock`` + ``ManualScheduler`` (no sleeping) and the server uses the real ones.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol

Clock = Callable[[], float]
"""Seconds since the epoch (wall-clock: stored deadlines must mean the same after a restart)."""

system_clock: Clock = time.time


class Timer(Protocol):
    def cancel(self) -> None:
        """Do not run the action (no effect once it has run)."""
        ...


class Scheduler(Protocol):
    """Runs actions at clock times, on the event loop's thread, in time order."""

    def call_at(self, when: float, action: Callable[[], None]) -> Timer:
        """Run ``action`` once the clock reads ``when`` (at once if that time is past)."""
        ...


class LoopScheduler:
    """Real time: a timer on the running asyncio loop for each action."""

    def __init__(self, clock: Clock = system_clock) -> None:
        self.clock = clock

    def call_at(self, when: float, action: Callable[[], None]) -> Timer:
        return asyncio.get_running_loop().call_later(max(0.0, when - self.clock()), action)


class ManualClock:
    """A clock that moves only when told to (tests)."""

    def __init__(self, now: float = 1_767_225_600.0) -> None:  # 2026-01-01 00:00:00 UTC
        self.now = now

    def __call__(self) -> float:
        return self.now


class _ManualTimer:
    __slots__ = ("action", "cancelled", "when")

    def __init__(self, when: float, action: Callable[[], None]) -> None:
        self.when = when
        self.action = action
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualScheduler:
    """Test time: nothing runs until ``advance`` moves the clock past it."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self._heap: list[tuple[float, int, _ManualTimer]] = []
        self._order = itertools.count()

    def call_at(self, when: float, action: Callable[[], None]) -> Timer:
        timer = _ManualTimer(when, action)
        heapq.heappush(self._heap, (when, next(self._order), timer))
        return timer

    def pending(self) -> list[float]:
        """When the armed (not cancelled) timers are due, soonest first."""
        return sorted(t.when for _, _, t in self._heap if not t.cancelled)

    def advance(self, seconds: float) -> int:
        """Move the clock forward, running each timer that falls due at its own time, in
        order (a timer armed by another for a time within the step runs too); returns how
        many ran."""
        end = self.clock.now + seconds
        ran = 0
        while self._heap and self._heap[0][0] <= end:
            when, _, timer = heapq.heappop(self._heap)
            if timer.cancelled:
                continue
            self.clock.now = max(self.clock.now, when)
            timer.action()
            ran += 1
        self.clock.now = max(self.clock.now, end)
        return ran
