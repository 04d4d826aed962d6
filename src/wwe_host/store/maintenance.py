"""The store's background work: the write probe behind ``/healthz`` and the audit retention.

Once a second the engine's housekeeping round (on its injected scheduler) calls ``tick``,
which decides what is due:

- **write probe**: when nothing was written for ``PROBE_SECONDS`` (5 s), or at every tick
  while the store cannot write, one tiny write (``Store.probe``). Commits report their own
  outcome, so a busy server never probes; an idle one learns within about 5 s that its
  store stopped writing, and a failed one learns within about 1 s that it writes again.
- **audit retention**: ``[wwe-host] audit-retention``, enforced at the first tick after the
  start and then every ``RETENTION_SECONDS`` (10 min), while the store writes.

Tests call ``tick`` (or ``probe`` / ``enforce_retention``) with a fake clock: nothing here
sleeps.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .base import Store
from .health import StoreError, StoreHealth
from .retention import AuditRetention

log = logging.getLogger("wwe_host.store")

PROBE_SECONDS = 5.0
RETENTION_SECONDS = 600.0


class StoreMaintenance:
    def __init__(
        self,
        store: Store,
        health: StoreHealth,
        retention: AuditRetention,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.health = health
        self.retention = retention
        self.clock = clock
        self.next_retention: float | None = None  # None: at the next tick

    async def tick(self) -> None:
        now = self.clock()
        if not self.health.ok or now - self.health.last_write >= PROBE_SECONDS:
            await self.probe()
        due = self.next_retention is None or now >= self.next_retention
        if self.health.ok and self.retention.enabled and due:
            self.next_retention = now + RETENTION_SECONDS
            await self.enforce_retention()

    async def probe(self) -> bool:
        """One write probe; its outcome goes to ``health``. Whether the store wrote."""
        try:
            await self.store.probe()
        except StoreError as problem:
            self.health.failed(problem)
            return False
        self.health.wrote()
        return True

    async def enforce_retention(self) -> int:
        """Remove what the retention says must go; how many audit entries went."""
        age = self.retention.max_age_seconds
        before = None if age is None else self.clock() - age
        try:
            removed = await self.store.prune_audit(before=before, keep=self.retention.rows)
        except StoreError as problem:
            self.health.failed(problem)
            return 0
        if removed:
            log.info("audit retention (%s): removed %d entries", self.retention.describe(), removed)
        return removed
