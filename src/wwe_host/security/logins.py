"""Logins under attack (security.md, "Hostile pages and hostile frames").

- The slow hash runs off the event loop, in a small pool of its own with bounded concurrency
  (``hash_workers()``: one thread on a 2-core machine) and a lower CPU priority, so health
  checks, desktops and frames keep being served during a flood of logins.
- Every attempt costs one hash verification, whether the user exists or not: an unknown
  user (or a plain-text stored password) is checked against a dummy hash with the configured
  parameters. The response time does not tell which users exist.
- A failure throttle per user name and per client address. An attempt is counted when it
  starts, before it waits, so parallel guesses all see each other; the failures decay
  (their weight halves every ``half_life`` seconds); the delay is capped, and so is the
  number of attempts waiting at once per user or address.

The delay schedule (``ThrottlePolicy`` defaults): an attempt's score is the decayed failures
of its user (or of its address, whichever is worse) plus the attempts in progress plus
itself. Up to 3 for a user (20 for an address, which many agents may share behind NAT)
there is no delay; above that the delay doubles from 0.25 s per extra point up to 8 s. So,
one attempt after another: attempts 1-3 run at once, then 0.25 s, 0.5 s, 1 s, 2 s, 4 s and
8 s for every further one. A right password never waits more than 8 s; it clears the user's
failures. After a pause the score has halved every 5 minutes: 15 minutes after a flood
the user logs in without delay again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .passwords import dummy_hash_like, is_hashed, verify_password

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
Verify = Callable[..., bool]
T = TypeVar("T")
HASH_NICE = 10  # added to the hashing threads' nice value (Linux)


def _lower_priority() -> None:
    """Run in each hashing thread: on Linux a thread has its own nice value; a lower
    priority lets the event loop's thread have the CPU first when both want it."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICE)


def hash_workers(cpus: int | None = None) -> int:
    """Threads for password hashes: all cores but one (the event loop's), at least 1 and at
    most 4. One on a 2-core machine: a flood of logins then takes at most one core."""
    count = os.cpu_count() if cpus is None else cpus
    return min(4, max(1, (count or 2) - 1))


class LoginThrottled(Exception):
    """Refused before checking anything: too many attempts are waiting for this user name
    or client address. The message is safe to show; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            "Too many login attempts for this user or from this address; "
            f"try again in {seconds} second{'s' if seconds != 1 else ''}."
        )
        self.retry_after = seconds


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    half_life: float = 300.0  # seconds for a failure's weight to halve
    user_free: float = 3.0  # score a user name reaches without delay
    address_free: float = 20.0  # an address may be shared by many agents (NAT, proxy)
    base_delay: float = 0.25  # seconds at the first point over the free score
    max_delay: float = 8.0  # seconds; the most any attempt waits
    max_waiting: int = 5  # attempts of one user or address waiting at once; more are refused
    max_excess: float = 8.0  # the score saturates this far over the free one

    def delay(self, excess: float) -> float:
        """The wait for an attempt whose score is ``excess`` over the free score."""
        if excess <= 0:
            return 0.0
        return min(self.base_delay * math.pow(2.0, excess - 1), self.max_delay)


class _Key:
    """The failures of one user name or client address."""

    __slots__ = ("at", "failures", "free", "pending", "waiting")

    def __init__(self, free: float) -> None:
        self.free = free
        self.failures = 0.0  # decayed weight as of ``at``
        self.at = 0.0
        self.pending = 0  # attempts counted, not yet decided
        self.waiting = 0  # attempts sleeping now

    def decayed(self, now: float, half_life: float) -> float:
        if not self.failures:
            return 0.0
        return self.failures * math.pow(0.5, max(0.0, now - self.at) / half_life)

    def score(self, now: float, half_life: float) -> float:
        return self.decayed(now, half_life) + self.pending


class Attempt:
    """One login attempt, counted from the moment it exists (count before wait)."""

    def __init__(self, throttle: LoginThrottle, keys: list[_Key], delay: float) -> None:
        self.throttle = throttle
        self.keys = keys
        self.delay = delay
        self._done = False

    async def wait(self) -> None:
        if self.delay <= 0:
            return
        for key in self.keys:
            key.waiting += 1
        try:
            await self.throttle.sleep(self.delay)
        finally:
            for key in self.keys:
                key.waiting -= 1

    def finish(self, succeeded: bool) -> None:
        """Record the outcome. An attempt abandoned before it was decided (the client went
        away) counts as a failure: dropping the connection must not be a free guess."""
        if self._done:
            return
        self._done = True
        self.throttle.finish(self, succeeded)


class LoginThrottle:
    """Failure scores per user name and per client address, with a fake-able clock and sleep."""

    SWEEP_EVERY = 1024

    def __init__(
        self,
        policy: ThrottlePolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.policy = policy or ThrottlePolicy()
        self.clock = clock
        self.sleep = sleep
        self._keys: dict[tuple[str, str], _Key] = {}
        self._begun = 0

    def _key(self, kind: str, name: str) -> _Key:
        key = self._keys.get((kind, name))
        if key is None:
            free = self.policy.user_free if kind == "user" else self.policy.address_free
            key = self._keys[(kind, name)] = _Key(free)
        return key

    def score(self, kind: str, name: str) -> float:
        """The current score of ``("user" | "address", name)`` (for tests and tools)."""
        key = self._keys.get((kind, name))
        return key.score(self.clock(), self.policy.half_life) if key else 0.0

    def begin(self, user: str, address: str | None, scores: list[float] | None = None) -> Attempt:
        """Count an attempt now and say how long it must wait; ``LoginThrottled`` when it
        would wait while too many attempts of its user or address are already waiting.
        ``scores``: the keys' scores across all processes (``SharedThrottle``), used
        instead of this process's own."""
        self._begun += 1
        if self._begun % self.SWEEP_EVERY == 0:
            self._sweep()
        now = self.clock()
        policy = self.policy
        keys = [self._key("user", user)]
        if address:
            keys.append(self._key("address", address))
        if scores is None:
            scores = [k.score(now, policy.half_life) for k in keys]
        delay = max(policy.delay(score + 1 - k.free) for k, score in zip(keys, scores, strict=True))
        if delay > 0 and any(k.waiting >= policy.max_waiting for k in keys):
            raise LoginThrottled(delay)
        for key in keys:
            key.pending += 1
        return Attempt(self, keys, delay)

    def finish(self, attempt: Attempt, succeeded: bool) -> None:
        now = self.clock()
        policy = self.policy
        for index, key in enumerate(attempt.keys):
            key.pending -= 1
            if succeeded:
                if index == 0:  # the user proved who they are; the address keeps its record
                    key.failures = 0.0
                continue
            top = key.free + policy.max_excess
            key.failures = min(key.decayed(now, policy.half_life) + 1, top)
            key.at = now

    def _sweep(self) -> None:
        """Forget keys whose failures have decayed to nothing (a spray of made-up user names
        must not grow the table for ever)."""
        now = self.clock()
        half_life = self.policy.half_life
        for name, key in list(self._keys.items()):
            if not key.pending and key.decayed(now, half_life) < 0.01:
                del self._keys[name]

    def __len__(self) -> int:
        return len(self._keys)


class SharedThrottle(Protocol):
    """The failure scores of every server process (several processes: through the bus).
    ``begin`` returns each key's score (decayed failures plus attempts in progress
    anywhere) and counts one more attempt in progress; ``finish`` ends it: a success
    clears the first key (the user), a failure adds one (capped at ``caps``), None (the
    attempt was refused before anything was checked) only ends it."""

    async def throttle_begin(self, keys: list[str], half_life: float) -> list[float] | None: ...

    async def throttle_finish(
        self, keys: list[str], succeeded: bool | None, half_life: float, caps: list[float]
    ) -> None: ...


class LoginGuard:
    """Checks a password the way security.md wants: throttled, off the loop, equal cost."""

    def __init__(
        self,
        stored_passwords: Iterable[str],
        *,
        allow_plain: bool,
        throttle: LoginThrottle | None = None,
        workers: int | None = None,
        verify: Verify = verify_password,
        shared: SharedThrottle | None = None,
    ) -> None:
        self.allow_plain = allow_plain
        self.shared = shared
        self.throttle = throttle if throttle is not None else LoginThrottle()
        self.workers = workers or hash_workers()
        self.verify = verify
        self._hashed = [p for p in stored_passwords if is_hashed(p)]
        self._dummy: str | None = None
        self._slots = asyncio.Semaphore(self.workers)
        self._pool: ThreadPoolExecutor | None = None

    @property
    def hashing(self) -> bool:
        """Whether attempts hash at all: not in a configuration with no hashed password
        (plain-text passwords, demos and tests), where no attempt does."""
        return bool(self._hashed)

    async def dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = await self._in_pool(functools.partial(dummy_hash_like, self._hashed))
        return self._dummy

    async def _in_pool(self, function: Callable[[], T]) -> T:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                self.workers, thread_name_prefix="wwe-host-login", initializer=_lower_priority
            )
        # The semaphore keeps the queue among coroutines (a caller that goes away leaves it)
        # and the pool's own queue empty.
        async with self._slots:
            return await asyncio.get_running_loop().run_in_executor(self._pool, function)

    async def check(
        self, user: str, stored: str | None, password: str, address: str | None
    ) -> bool:
        """Whether ``password`` is ``user``'s (``stored`` is None for an unknown user).
        Raises ``LoginThrottled`` without checking anything when the throttle refuses."""
        shared = self.shared
        policy = self.throttle.policy
        keys = [f"user:{user}"] + ([f"address:{address}"] if address else [])
        scores = await shared.throttle_begin(keys, policy.half_life) if shared else None
        ok: bool | None = None  # refused by the throttle: nothing was checked
        try:
            attempt = self.throttle.begin(user, address, scores)
            ok = False
            try:
                await attempt.wait()
                ok = await self._verify(stored, password)
            finally:
                attempt.finish(ok)
        finally:
            if shared is not None:
                caps = [policy.user_free + policy.max_excess]
                caps += [policy.address_free + policy.max_excess] if address else []
                await shared.throttle_finish(keys, ok, policy.half_life, caps)
        return bool(ok)

    async def _verify(self, stored: str | None, password: str) -> bool:
        if not self.hashing:
            return stored is not None and self.verify(
                stored, password, allow_plain=self.allow_plain
            )
        hashed = stored is not None and is_hashed(stored)
        target = stored if hashed and stored is not None else await self.dummy_hash()
        matches = await self._in_pool(
            functools.partial(self.verify, target, password, allow_plain=False)
        )
        if hashed:
            return bool(matches)
        # The dummy never matches; a plain-text stored password (allowed in demos) is
        # compared now, after the same work as any other attempt.
        return stored is not None and self.verify(stored, password, allow_plain=self.allow_plain)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
