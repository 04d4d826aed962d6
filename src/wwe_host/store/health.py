"""Whether the store accepts writes, as the last write said (operations.md: ``/healthz`` says
so, with the reason, and ``serve`` refuses a store it cannot write).

Every commit reports its outcome here, and ``StoreMaintenance`` probes with a tiny write
when nothing was written for a while, so ``/healthz`` answers from memory: it costs no I/O,
and a store that stops writing while the server is idle is noticed within seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from ..errors import ApiError, ErrorCode

log = logging.getLogger("wwe_host.store")


class StoreError(ApiError):
    """The store cannot do what was asked (write, open, pass its integrity check).

    ``reason`` says why in one line, for the log, ``/healthz`` and ``serve``'s refusal. It is
    an ``UNAVAILABLE`` refusal for whoever asked (REST: 503)."""

    def __init__(self, reason: str, *, reading: bool = False) -> None:
        doing = "read its store" if reading else "store changes"
        super().__init__(
            ErrorCode.UNAVAILABLE, f"The server cannot {doing} now ({reason}); retry later."
        )
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class StoreHealth:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.ok = True
        self.reason = ""
        self.since = clock()  # when the current state (ok or not) began
        self.last_write = self.since  # the last write that succeeded (commit or probe)

    def wrote(self) -> None:
        now = self.clock()
        if not self.ok:
            log.warning("the store writes again (it could not for %.1f s)", now - self.since)
            self.ok, self.reason, self.since = True, "", now
        self.last_write = now

    def failed(self, problem: StoreError) -> None:
        if self.ok:
            log.error("the store cannot write: %s", problem.reason)
            self.ok, self.since = False, self.clock()
        self.reason = f"the store cannot write: {problem.reason}"
