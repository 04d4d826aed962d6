"""The garbage collector's policy (collector.py): survivors of a full collection are
frozen, and everything is unfrozen again once the interval has passed, so that the next
full collection frees cycles among objects that were frozen. Driven with a fake clock by
calling the callback as the interpreter does after a collection."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from wwe_host.collector import FreezingCollector, frozen_objects


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    yield Clock()
    gc.unfreeze()  # whatever a test did, the rest of the run collects as usual


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_survivors_of_a_full_collection_are_frozen_until_the_interval_passes(
    clock: Clock,
) -> None:
    policy = FreezingCollector(3600, clock)
    policy("stop", {"generation": 1, "collected": 0, "uncollectable": 0})
    assert frozen_objects() == 0  # a young collection changes nothing
    policy("start", {"generation": 2})
    policy("stop", {"generation": 2, "collected": 0, "uncollectable": 0})
    frozen = frozen_objects()
    assert frozen > 0  # everything alive now is skipped by later full collections
    clock.now += 3599
    policy("stop", {"generation": 2, "collected": 0, "uncollectable": 0})
    assert frozen_objects() >= frozen
    clock.now += 1
    policy("stop", {"generation": 2, "collected": 0, "uncollectable": 0})
    assert frozen_objects() == 0  # the next full collection walks everything
    assert policy.unfrozen_at == clock.now


def test_a_dead_cycle_among_frozen_objects_is_freed_by_the_full_scan(clock: Clock) -> None:
    policy = FreezingCollector(60, clock)
    cycle = Cycle()
    policy("stop", {"generation": 2})  # a full collection: the cycle is frozen with the rest
    del cycle
    gc.collect()
    assert len(_frozen_cycles()) == 1  # a frozen cycle is not freed by a full collection
    clock.now += 60
    policy("stop", {"generation": 2})  # the interval passed: unfrozen
    gc.collect()
    assert _frozen_cycles() == []


def _frozen_cycles() -> list[Cycle]:
    """The ``Cycle`` objects still alive, frozen or not (gc.get_objects skips frozen ones:
    unfreeze to look, then put them back)."""
    frozen = frozen_objects() > 0
    gc.unfreeze()
    found = [o for o in gc.get_objects() if type(o) is Cycle]
    if frozen:
        gc.freeze()
    return found


def test_install_and_uninstall(clock: Clock) -> None:
    policy = FreezingCollector(60, clock)
    policy.install()
    policy.install()
    try:
        assert gc.callbacks.count(policy) == 1
        gc.collect()  # a full collection: its survivors are frozen
        assert frozen_objects() > 0
    finally:
        policy.uninstall()
    assert policy not in gc.callbacks and frozen_objects() == 0
