"""The garbage collector's policy of a long-running server (``[wwe-host] gc-full-scan``).

A full collection walks every object the process tracks, and stops everything meanwhile:
with 10,000 desktops connected that is about two million objects and a pause of about a
second, during which no event reaches any desktop (docs/benchmarks.md). Most of those
objects live as long as their connection. So the objects that survived a full collection
are frozen (``gc.freeze``): later full collections walk only what is newer, and their
pauses stay short. Frozen objects are still freed when nothing refers to them; what
freezing keeps is a *cycle* among them that died (a closed connection's task and
coroutines form such cycles). So at most once every ``every`` seconds a full collection
walks everything again (``gc.unfreeze`` before it): that collection pauses as long as the
interpreter's own would, once per interval instead of whenever the heap grew by a quarter.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


class FreezingCollector:
    """A ``gc.callbacks`` entry: after each full collection it freezes the survivors,
    unless ``every`` seconds have passed since everything was last unfrozen; then it
    unfreezes them, so that the next full collection walks (and frees) everything."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.clock = clock
        self.unfrozen_at = clock()

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase != "stop" or info.get("generation") != 2:
            return
        now = self.clock()
        if now - self.unfrozen_at >= self.every:
            self.unfrozen_at = now
            gc.unfreeze()
        else:
            gc.freeze()

    def install(self) -> None:
        """Apply the policy to this process (once)."""
        if self not in gc.callbacks:
            gc.callbacks.append(self)

    def uninstall(self) -> None:
        """Back to the interpreter's own policy: nothing stays frozen."""
        if self in gc.callbacks:
            gc.callbacks.remove(self)
        gc.unfreeze()


def frozen_objects() -> int:
    """How many objects full collections skip now (``wwe_host_gc_frozen_objects``)."""
    return gc.get_freeze_count()
