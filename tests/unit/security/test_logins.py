"""Logins under attack (security/logins.py): the failure throttle with a fake clock and a fake
sleep (per user, per address, decay, counted before the wait, capped), the equal-cost check
of unknown users, and the hash pool (off the event loop, bounded)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import threading
from typing import Any

import pytest

from wwe_host.bus.memory import MemoryNetwork
from wwe_host.security.logins import (
    LoginGuard,
    LoginThrottle,
    LoginThrottled,
    ThrottlePolicy,
    hash_workers,
)
from wwe_host.security.passwords import hash_password, verify_password

SCHEDULE = [0.0, 0.0, 0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


class FakeTime:
    """A clock that only moves when told to, and a sleep that records what it was asked
    (and moves the clock only when ``advance`` is set)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self.gate: asyncio.Event | None = None  # when set: sleeps wait for it
        self.advance = False

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.gate is not None:
            await self.gate.wait()
        if self.advance:
            self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def throttle_of(fake: FakeTime, **policy: Any) -> LoginThrottle:
    return LoginThrottle(ThrottlePolicy(**policy), clock=fake.clock, sleep=fake.sleep)


async def attempt(throttle: LoginThrottle, user: str, address: str | None, ok: bool) -> None:
    one = throttle.begin(user, address)
    await one.wait()
    one.finish(ok)


# ---------------------------------------------------------------------------- the schedule


async def test_the_documented_delay_schedule_one_failure_after_another(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for _ in SCHEDULE:  # one after another, without a pause
        await attempt(throttle, "jdoe", "10.0.0.1", ok=False)
    waits = [0.0] * 3 + fake.slept  # attempts that need no wait do not sleep
    assert waits == pytest.approx(SCHEDULE, rel=0.01)


async def test_a_right_password_waits_at_most_the_cap_and_clears_the_user(
    fake: FakeTime,
) -> None:
    throttle = throttle_of(fake)
    for _ in range(50):
        await attempt(throttle, "jdoe", "10.0.0.1", ok=False)
    fake.slept.clear()
    await attempt(throttle, "jdoe", "10.0.0.2", ok=True)
    assert fake.slept == [8.0]
    assert throttle.score("user", "jdoe") == 0
    # The next login of that user waits for nothing (its failures are gone).
    fake.slept.clear()
    await attempt(throttle, "jdoe", "10.0.0.2", ok=True)
    assert fake.slept == []


async def test_a_right_password_does_not_clear_the_address(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for number in range(10):
        await attempt(throttle, f"user{number}", "10.0.0.1", ok=False)
    before = throttle.score("address", "10.0.0.1")
    await attempt(throttle, "jdoe", "10.0.0.1", ok=True)
    assert throttle.score("address", "10.0.0.1") == pytest.approx(before, rel=0.01)


# ---------------------------------------------------------------------------- the keys


async def test_failures_are_counted_per_user_across_addresses(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for number in range(5):  # five addresses, one user: the user's score adds up
        await attempt(throttle, "jdoe", f"10.0.0.{number}", ok=False)
    assert throttle.score("user", "jdoe") == pytest.approx(5, rel=0.01)
    assert throttle.score("address", "10.0.0.1") == pytest.approx(1, rel=0.01)
    fake.slept.clear()
    await attempt(throttle, "jdoe", "10.9.9.9", ok=True)  # a fresh address still waits
    assert fake.slept == [pytest.approx(1.0, rel=0.01)]
    fake.slept.clear()
    await attempt(throttle, "asmith", "10.0.0.1", ok=True)  # another user does not
    assert fake.slept == []


async def test_failures_are_counted_per_address_across_users(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for number in range(24):  # a spray of user names from one address
        await attempt(throttle, f"user{number}", "10.0.0.1", ok=False)
    assert fake.slept  # past the address's 20 free attempts, the spray waits
    fake.slept.clear()
    await attempt(throttle, "newuser", "10.0.0.1", ok=False)
    assert fake.slept == [pytest.approx(4.0, rel=0.01)]  # 25th: 5 over the free 20
    fake.slept.clear()
    await attempt(throttle, "newuser2", "10.0.0.2", ok=False)  # another address: no wait
    assert fake.slept == []


async def test_without_an_address_only_the_user_counts(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    await attempt(throttle, "jdoe", None, ok=False)
    assert throttle.score("user", "jdoe") == pytest.approx(1)
    assert len(throttle) == 1


# ---------------------------------------------------------------------------- decay


async def test_failures_decay_by_half_every_half_life(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for _ in range(8):
        await attempt(throttle, "jdoe", "10.0.0.1", ok=False)
    score = throttle.score("user", "jdoe")
    fake.now += 300
    assert throttle.score("user", "jdoe") == pytest.approx(score / 2)
    fake.now += 300
    assert throttle.score("user", "jdoe") == pytest.approx(score / 4)


async def test_after_a_flood_the_delay_comes_down_and_ends(fake: FakeTime) -> None:
    waits = {}
    for minutes in (0, 5, 10, 15):
        throttle = throttle_of(fake)
        for _ in range(1000):  # the score saturates: a longer flood does not last longer
            await attempt(throttle, "jdoe", "10.0.0.1", ok=False)
        assert throttle.score("user", "jdoe") == pytest.approx(11, rel=0.01)
        fake.now += minutes * 60
        waits[minutes] = throttle.begin("jdoe", "10.1.1.1").delay
    assert waits[0] == 8.0  # the cap, however long the flood
    assert 8.0 > waits[5] > waits[10] > 0
    assert waits[15] == 0  # a quarter of an hour later: no delay


# ---------------------------------------------------------------------------- in parallel


async def test_parallel_attempts_are_counted_before_they_wait(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for _ in range(3):  # the free attempts are used up
        await attempt(throttle, "jdoe", "10.0.0.1", ok=False)
    fake.slept.clear()
    fake.gate = asyncio.Event()  # every sleep now blocks: all five wait at once
    attempts = [throttle.begin("jdoe", f"10.0.1.{n}") for n in range(5)]
    assert [a.delay for a in attempts] == [0.25, 0.5, 1.0, 2.0, 4.0]
    tasks = [asyncio.ensure_future(a.wait()) for a in attempts]
    await asyncio.sleep(0)
    assert len(fake.slept) == 5
    assert throttle.score("user", "jdoe") == pytest.approx(3 + 5, rel=0.01)
    fake.gate.set()
    await asyncio.gather(*tasks)
    for one in attempts:
        one.finish(succeeded=False)
    assert throttle.score("user", "jdoe") == pytest.approx(8, rel=0.01)


async def test_too_many_waiting_attempts_are_refused_at_once(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for _ in range(3):
        await attempt(throttle, "jdoe", "10.0.0.1", ok=False)
    fake.gate = asyncio.Event()
    waiting = [throttle.begin("jdoe", f"10.0.1.{n}") for n in range(5)]
    tasks = [asyncio.ensure_future(a.wait()) for a in waiting]
    await asyncio.sleep(0)
    with pytest.raises(LoginThrottled) as refused:
        throttle.begin("jdoe", "10.0.2.1")
    assert refused.value.retry_after == 8
    assert "try again in 8 seconds" in str(refused.value)
    # The refused attempt was not counted: nothing was checked.
    assert throttle.score("user", "jdoe") == pytest.approx(3 + 5, rel=0.01)
    fake.gate.set()
    await asyncio.gather(*tasks)
    for one in waiting:
        one.finish(succeeded=False)


async def test_an_abandoned_attempt_counts_as_a_failure(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for _ in range(3):
        await attempt(throttle, "jdoe", "10.0.0.1", ok=False)
    fake.gate = asyncio.Event()
    one = throttle.begin("jdoe", "10.0.0.1")
    task = asyncio.ensure_future(one.wait())
    await asyncio.sleep(0)
    task.cancel()  # the client went away during the wait
    with pytest.raises(asyncio.CancelledError):
        await task
    one.finish(succeeded=False)
    one.finish(succeeded=True)  # finishing twice changes nothing
    assert throttle.score("user", "jdoe") == pytest.approx(4, rel=0.01)
    assert throttle._keys[("user", "jdoe")].waiting == 0


async def test_decayed_keys_are_forgotten(fake: FakeTime) -> None:
    throttle = throttle_of(fake)
    for number in range(100):
        await attempt(throttle, f"made-up-{number}", "10.0.0.1", ok=False)
    assert len(throttle) == 101
    fake.now += 3 * 3600
    for _ in range(LoginThrottle.SWEEP_EVERY):
        throttle.begin("jdoe", None).finish(succeeded=True)
    assert len(throttle) == 1  # only the user still being used


# ---------------------------------------------------------------------------- equal cost


class Spy:
    """verify_password, recording what it was asked to check and on which thread."""

    def __init__(self, release: threading.Event | None = None) -> None:
        self.calls: list[tuple[str, str]] = []
        self.threads: set[int] = set()
        self.nice: set[int] = set()
        self.active = 0
        self.most_active = 0
        self.release = release
        self.lock = threading.Lock()
        self.entered = threading.Event()  # a hash has started

    def __call__(self, stored: str, plain: str, *, allow_plain: bool) -> bool:
        with self.lock:
            self.calls.append((stored, plain))
            self.threads.add(threading.get_ident())
            self.nice.add(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        self.entered.set()
        try:
            if self.release is not None:
                self.release.wait(5)
            return verify_password(stored, plain, allow_plain=allow_plain)
        finally:
            with self.lock:
                self.active -= 1


@pytest.fixture(scope="module")
def known_hash() -> str:
    """A hash of "right" with cheap parameters (n=1024): these tests count hashes, not time."""
    salt = os.urandom(16)
    key = hashlib.scrypt(b"right", salt=salt, n=1024, r=8, p=1, dklen=32)
    encode = lambda data: base64.b64encode(data).decode().rstrip("=")  # noqa: E731
    return f"$scrypt$n=1024,r=8,p=1${encode(salt)}${encode(key)}"


def guard_of(fake: FakeTime, stored: list[str], spy: Spy, **kwargs: Any) -> LoginGuard:
    return LoginGuard(
        stored,
        allow_plain=kwargs.pop("allow_plain", False),
        throttle=throttle_of(fake),
        verify=spy,
        **kwargs,
    )


async def test_an_unknown_user_is_checked_against_a_dummy_hash(
    fake: FakeTime, known_hash: str
) -> None:
    spy = Spy()
    guard = guard_of(fake, [known_hash], spy)
    try:
        assert await guard.check("jdoe", known_hash, "right", "10.0.0.1")
        assert await guard.check("nobody", None, "right", "10.0.0.1") is False
        assert not await guard.check("jdoe", known_hash, "wrong", "10.0.0.1")
    finally:
        guard.close()
    dummy = await guard.dummy_hash()
    assert [stored for stored, _ in spy.calls] == [known_hash, dummy, known_hash]
    # Same parameters as the configured hash: the same work.
    assert dummy.split("$")[2] == known_hash.split("$")[2] == "n=1024,r=8,p=1"
    assert dummy != known_hash


async def test_the_dummy_has_the_parameters_the_configured_hashes_use(fake: FakeTime) -> None:
    cheap = "$scrypt$n=1024,r=8,p=1$c2FsdHNhbHQ$" + "A" * 43
    spy = Spy()
    guard = guard_of(fake, [cheap, cheap, hash_password("x")], spy)
    try:
        assert (await guard.dummy_hash()).split("$")[2] == "n=1024,r=8,p=1"
        default = guard_of(fake, [hash_password("y")], spy)
        assert (await default.dummy_hash()).split("$")[2] == "n=16384,r=8,p=1"
        default.close()
    finally:
        guard.close()


async def test_a_plain_password_costs_a_hash_too_when_others_are_hashed(
    fake: FakeTime, known_hash: str
) -> None:
    spy = Spy()
    guard = guard_of(fake, [known_hash, "plain"], spy, allow_plain=True)
    try:
        assert await guard.check("demo", "plain", "plain", None)
        assert not await guard.check("demo", "plain", "nope", None)
    finally:
        guard.close()
    dummy = await guard.dummy_hash()
    # Each attempt: the dummy in the pool, then the plain comparison.
    assert spy.calls == [(dummy, "plain"), ("plain", "plain"), (dummy, "nope"), ("plain", "nope")]


async def test_without_hashed_passwords_nothing_is_hashed(fake: FakeTime) -> None:
    spy = Spy()
    guard = guard_of(fake, ["pw"], spy, allow_plain=True)
    assert not guard.hashing
    assert await guard.check("ann", "pw", "pw", None)
    assert not await guard.check("bob", None, "pw", None)
    assert spy.calls == [("pw", "pw")]
    assert guard._pool is None


async def test_a_refused_attempt_checks_nothing(fake: FakeTime, known_hash: str) -> None:
    spy = Spy()
    guard = guard_of(fake, [known_hash], spy)
    for _ in range(3):
        await guard.check("jdoe", known_hash, "wrong", "10.0.0.1")
    fake.gate = asyncio.Event()
    waiting = [
        asyncio.ensure_future(guard.check("jdoe", known_hash, "wrong", f"10.0.1.{n}"))
        for n in range(5)
    ]
    await asyncio.sleep(0)
    calls = len(spy.calls)
    with pytest.raises(LoginThrottled):
        await guard.check("jdoe", known_hash, "right", "10.0.2.1")
    assert len(spy.calls) == calls
    fake.gate.set()
    assert await asyncio.gather(*waiting) == [False] * 5
    assert fake.slept == [0.25, 0.5, 1.0, 2.0, 4.0]  # the guard waits with the given throttle
    guard.close()


# ---------------------------------------------------------------------------- the pool


async def test_hashes_run_off_the_loop_one_at_a_time(fake: FakeTime, known_hash: str) -> None:
    release = threading.Event()
    spy = Spy(release)
    guard = guard_of(fake, [known_hash], spy, workers=1)
    await guard.dummy_hash()
    checks = [
        asyncio.ensure_future(guard.check(f"user{n}", known_hash, "wrong", f"10.0.0.{n}"))
        for n in range(3)
    ]
    # The loop keeps running while a hash is being computed: it waits here, on a thread,
    # for the first hash to start, while the other checks queue behind it.
    assert await asyncio.to_thread(spy.entered.wait, 5)
    assert spy.active == 1
    release.set()
    assert await asyncio.gather(*checks) == [False, False, False]
    guard.close()
    assert spy.most_active == 1
    assert threading.get_ident() not in spy.threads
    # The hashing thread yields the CPU to the event loop's thread (Linux: nice per thread).
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert spy.nice == {min(19, mine + 10)}


def test_hash_workers_leave_a_core_to_the_event_loop() -> None:
    assert hash_workers(1) == 1
    assert hash_workers(2) == 1
    assert hash_workers(4) == 3
    assert hash_workers(64) == 4
    assert 1 <= hash_workers() <= 4


async def test_several_processes_share_the_failures_and_the_attempts_in_progress(
    fake: FakeTime,
) -> None:
    """Two guards (two processes) on one shared throttle (bus/memory.py's MemoryNetwork, as
    Redis links processes): failures on one slow the next attempt on the other down, and a
    right password clears them for both."""
    network = MemoryNetwork(clock=fake.clock)

    def guard() -> LoginGuard:
        return LoginGuard(
            ["plain"],
            allow_plain=True,
            throttle=throttle_of(fake),
            shared=network.bus(),
        )

    first, second = guard(), guard()
    for _ in range(3):  # the free attempts of the user, all on the first process
        assert await first.check("ann", "plain", "wrong", "10.0.0.1") is False
    assert fake.slept == []
    assert await second.check("ann", "plain", "wrong", "10.0.0.2") is False
    assert fake.slept == [0.25]  # the second process knew of the first's failures
    assert await first.check("ann", "plain", "plain", "10.0.0.1") is True
    assert fake.slept == [0.25, 0.5]
    assert await second.check("ann", "plain", "wrong", "10.0.0.2") is False
    assert fake.slept == [0.25, 0.5]  # cleared for both by the right password
    assert network.throttle["user:ann"][2] == 0  # no attempt left in progress
