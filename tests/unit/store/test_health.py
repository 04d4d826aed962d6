"""Store health (store/health.py, store/maintenance.py, web/health.py): commits and a write
probe tell whether the store writes; ``/healthz`` says 503 with the reason while it does not;
the audit retention runs in the background. Fake clocks; the failing store is a real SQLite
file switched to read-only inside SQLite (``PRAGMA query_only``), or a store failing on
demand."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import advance, make_config, started_engine

from wwe_host.core.time import ManualClock
from wwe_host.engine import Engine
from wwe_host.store.base import Changes
from wwe_host.store.group_commit import GroupCommit
from wwe_host.store.health import StoreError, StoreHealth
from wwe_host.store.maintenance import PROBE_SECONDS, RETENTION_SECONDS, StoreMaintenance
from wwe_host.store.retention import AuditRetention
from wwe_host.store.sqlite import SqliteStore
from wwe_host.web.app import build_site

# The desktop's own origin (public-url of the test configuration): the login door needs it.
DESKTOP = {"origin": "http://127.0.0.1:8080"}


class OnDemandStore:
    """A store whose writes fail while ``broken`` says why (and that counts its calls)."""

    def __init__(self) -> None:
        self.broken: str | None = None
        self.probes = 0
        self.pruned: list[tuple[float | None, int | None]] = []

    def _check(self) -> None:
        if self.broken:
            raise StoreError(self.broken)

    async def commit(self, changes: Changes) -> None:
        self._check()

    async def probe(self) -> None:
        self.probes += 1
        self._check()

    async def prune_audit(self, *, before: float | None = None, keep: int | None = None) -> int:
        self._check()
        self.pruned.append((before, keep))
        return 3


OFF = AuditRetention()


def maintenance_of(
    store: OnDemandStore, clock: ManualClock, retention: AuditRetention = OFF
) -> StoreMaintenance:
    return StoreMaintenance(store, StoreHealth(clock), retention, clock)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- probe


async def test_an_idle_store_is_probed_and_a_failure_is_reported() -> None:
    clock, store = ManualClock(), OnDemandStore()
    maintenance = maintenance_of(store, clock)
    await maintenance.tick()
    assert store.probes == 0  # something was written less than PROBE_SECONDS ago
    clock.now += PROBE_SECONDS
    await maintenance.tick()
    assert store.probes == 1 and maintenance.health.ok
    store.broken = "disk I/O error"
    clock.now += PROBE_SECONDS
    await maintenance.tick()
    assert not maintenance.health.ok
    assert maintenance.health.reason == "the store cannot write: disk I/O error"
    assert maintenance.health.since == clock.now


async def test_a_failing_store_is_probed_every_tick_until_it_writes() -> None:
    clock, store = ManualClock(), OnDemandStore()
    maintenance = maintenance_of(store, clock)
    store.broken = "database or disk is full"
    await maintenance.probe()
    for _ in range(3):
        clock.now += 1
        await maintenance.tick()
    assert store.probes == 4 and not maintenance.health.ok
    store.broken = None
    clock.now += 1
    await maintenance.tick()
    assert maintenance.health.ok and maintenance.health.reason == ""
    clock.now += 1
    await maintenance.tick()
    assert store.probes == 5  # healthy again: no probe while writes are recent


async def test_commits_report_their_outcome() -> None:
    clock, store = ManualClock(), OnDemandStore()
    health = StoreHealth(clock)
    commits = GroupCommit(store, health=health)  # type: ignore[arg-type]
    store.broken = "attempt to write a readonly database"
    with pytest.raises(StoreError):
        await commits.commit(Changes(ended=["s1"]))
    assert not health.ok and "readonly" in health.reason
    store.broken = None
    clock.now += 2
    await commits.commit(Changes(ended=["s1"]))
    assert health.ok and health.last_write == clock.now


# ---------------------------------------------------------------------------- retention


async def test_retention_runs_at_the_first_tick_then_every_ten_minutes() -> None:
    clock, store = ManualClock(), OnDemandStore()
    maintenance = maintenance_of(store, clock, AuditRetention(days=2, rows=500))
    await maintenance.tick()
    assert store.pruned == [(clock.now - 2 * 86400, 500)]
    clock.now += RETENTION_SECONDS - 1
    await maintenance.tick()
    assert len(store.pruned) == 1
    clock.now += 1
    await maintenance.tick()
    assert store.pruned[-1] == (clock.now - 2 * 86400, 500)
    assert len(store.pruned) == 2


async def test_retention_off_or_a_failing_store_prunes_nothing() -> None:
    clock, store = ManualClock(), OnDemandStore()
    off = maintenance_of(store, clock)
    await off.tick()
    assert store.pruned == []
    rows = maintenance_of(store, clock, AuditRetention(rows=10))
    store.broken = "disk I/O error"
    clock.now += PROBE_SECONDS
    await rows.tick()
    assert store.pruned == [] and not rows.health.ok
    store.broken = None
    assert await rows.enforce_retention() == 3
    assert store.pruned == [(None, 10)]


async def test_the_engine_enforces_the_configured_retention(tmp_path: Path) -> None:
    clock = ManualClock()
    engine = await started_engine(
        tmp_path, make_config(server="audit-retention = 1d, 3 rows"), clock=clock
    )
    try:
        old = [(clock.now - 2 * 86400, "jdoe", "f", "o", "agent.get", "allowed", "", 0.1)]
        recent = [
            (clock.now - 10.0 + i, "jdoe", "f", "o", f"r{i}", "allowed", "", 0.1) for i in range(5)
        ]
        await engine.commits.commit(Changes(audit=old))
        await engine.commits.commit(Changes(audit=recent))
        await engine.maintenance.tick()
        assert [e.request for e in await engine.store.audit()] == ["r2", "r3", "r4"]
    finally:
        await engine.stop()


# ---------------------------------------------------------------------------- /healthz


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    started = await started_engine(tmp_path, make_config(server="admin-token = health-test-token"))
    try:
        yield started
    finally:
        await started.stop()


@pytest.fixture
async def http(engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_site(engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def read_only(engine: Engine, on: bool) -> None:
    assert isinstance(engine.store, SqliteStore)
    engine.store.db.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


async def test_healthz_is_503_with_the_reason_while_the_store_cannot_write(
    engine: Engine, http: httpx.AsyncClient
) -> None:
    ok = await http.get("/healthz")
    assert ok.status_code == 200 and ok.json() == {"status": "ok", "sessions": 0}
    first = await http.post(
        "/api/v1/login", json={"username": "jdoe", "password": "secret"}, headers=DESKTOP
    )
    assert first.status_code == 200
    read_only(engine, True)
    # A write fails: the REST API answers 503 with the reason (not 500).
    call = await http.post(
        "/api/v1/sim/calls",
        json={"to": "jdoe", "from": "5550100"},
        headers={"authorization": "Bearer health-test-token"},
    )
    assert call.status_code == 503, call.text
    assert call.json()["error"]["code"] == "UNAVAILABLE"
    assert "attempt to write a readonly database" in call.json()["error"]["message"]
    down = await http.get("/healthz")
    assert down.status_code == 503
    body: dict[str, Any] = down.json()
    assert body["status"] == "unavailable"
    assert body["reason"].startswith("the store cannot write: ")
    assert "attempt to write a readonly database" in body["reason"]
    assert body["sessions"] == 1
    # A login's session cannot be stored either: 503, not a 500.
    login = await http.post(
        "/api/v1/login", json={"username": "asmith", "password": "secret2"}, headers=DESKTOP
    )
    assert login.status_code == 503, login.text
    read_only(engine, False)
    assert await engine.maintenance.probe()
    assert (await http.get("/healthz")).status_code == 200


async def test_an_idle_server_notices_by_the_probe(engine: Engine, http: httpx.AsyncClient) -> None:
    read_only(engine, True)
    assert not await engine.maintenance.probe()
    down = await http.get("/healthz")
    assert down.status_code == 503
    assert "attempt to write a readonly database" in down.json()["reason"]
    read_only(engine, False)
    await engine.maintenance.probe()
    assert (await http.get("/healthz")).json()["status"] == "ok"


async def test_the_housekeeping_round_drives_the_maintenance(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's scheduled housekeeping calls ``tick`` about once a second."""
    ticks: list[float] = []
    real_tick = engine.maintenance.tick

    async def tick() -> None:
        ticks.append(engine.now())
        await real_tick()

    monkeypatch.setattr(engine.maintenance, "tick", tick)
    await advance(engine, 0.25)
    await advance(engine, 0.25)
    count = len(ticks)
    for _ in range(8):
        await advance(engine, 0.25)
    assert len(ticks) == count + 2
