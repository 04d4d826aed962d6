"""The store is the truth: two engines on one SQLite file stand in for two processes. A
write from an engine whose copy of a session is stale is refused by the store (nothing of
it is stored, published or armed); the engine takes the session as stored and runs the
operation again on it, so the change lands once, on top of the other engine's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from engine_support import CRM, NOTES, Agent, Desktop, make_config

from wwe_host.core.frames import EMBEDDER_SECTION as EMBEDDER
from wwe_host.core.time import ManualClock, ManualScheduler
from wwe_host.engine import Engine
from wwe_host.errors import ApiError
from wwe_host.store.base import Changes, StoreConflict
from wwe_host.store.sqlite import SqliteStore


async def engine_on(path: Path, clock: ManualClock) -> Engine:
    engine = Engine(make_config(), SqliteStore(path), clock=clock, scheduler=ManualScheduler(clock))
    await engine.start()
    return engine


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Engine, Engine]]:
    clock = ManualClock()
    first = await engine_on(tmp_path / "wwe-host.db", clock)
    await first.login("jdoe", "secret")
    second = await engine_on(tmp_path / "wwe-host.db", clock)
    try:
        yield first, second
    finally:
        await second.stop()
        await first.stop()


def version(engine: Engine, session_id: str) -> int:
    return engine.commits.versions[session_id]


async def test_a_stale_write_is_refused_and_run_again_on_the_truth(
    pair: tuple[Engine, Engine],
) -> None:
    first, second = pair
    session = first.live_session("jdoe")
    assert session is not None
    sid = session.session_id
    here = Agent(first, sid, Desktop())
    there = Agent(second, sid, Desktop())
    first.attach(sid, here.desktop)
    second.attach(sid, there.desktop)
    assert version(first, sid) == version(second, sid) == 1

    crm = await here.frame(EMBEDDER, CRM)  # the first engine writes version 2
    await here.ok(crm, "agent.setState", "Ready")
    assert version(first, sid) == 3

    # The second engine still holds version 1: its write is refused by the store, it takes
    # the session as stored, and runs the operation again on it (once applied).
    notes = await there.frame(EMBEDDER, NOTES)
    stored = await second.store.load_session(sid)
    assert stored is not None and stored.version == 4
    assert set(stored.session.frames) == {crm.record.frame_id, notes.record.frame_id}
    assert stored.session.media["voice"].operation_name == "Ready"
    assert version(second, sid) == 4

    # Now the first engine is the stale one: its request is run again, and answered once.
    await here.ok(crm, "agent.setState", "NotReady")
    stored = await first.store.load_session(sid)
    assert stored is not None and stored.version == 5
    assert stored.session.media["voice"].operation_name == "NotReady"
    assert set(stored.session.frames) == {crm.record.frame_id, notes.record.frame_id}


class AlwaysStale(SqliteStore):
    """A store that another writer always beats (each commit is refused as stale)."""

    async def commit(self, changes: Changes) -> None:
        if changes.sessions:
            raise StoreConflict([s.session_id for s in changes.sessions])
        await super().commit(changes)


async def test_a_write_that_stays_stale_is_answered_unavailable(tmp_path: Path) -> None:
    clock = ManualClock()
    engine = await engine_on(tmp_path / "wwe-host.db", clock)
    _, session = await engine.login("jdoe", "secret")
    agent = Agent(engine, session.session_id, Desktop())
    crm = await agent.frame(EMBEDDER, CRM)
    engine.store.__class__ = AlwaysStale  # from now on every write loses the race
    reply = await agent.fails(crm, "agent.setState", "Ready")
    assert reply["errorCode"] == "UNAVAILABLE"
    assert "conflicted with a newer change" in reply["errorMessage"]
    assert engine.live_session("jdoe").media["voice"].operation_name != "Ready"  # type: ignore[union-attr]
    engine.store.__class__ = SqliteStore
    await engine.stop()


async def test_a_session_ended_elsewhere_is_forgotten_on_the_next_write(
    pair: tuple[Engine, Engine],
) -> None:
    first, second = pair
    session = first.live_session("jdoe")
    assert session is not None
    sid = session.session_id
    await first.logout(sid)
    there = Agent(second, sid, Desktop())
    with pytest.raises(ApiError):
        await there.frame(EMBEDDER, CRM)
    assert second.session_by_id(sid) is None
    assert sid not in second.commits.versions


async def test_a_login_joins_the_session_another_process_opened(tmp_path: Path) -> None:
    clock = ManualClock()
    first = await engine_on(tmp_path / "wwe-host.db", clock)
    second = await engine_on(tmp_path / "wwe-host.db", clock)  # started before the login
    try:
        _, opened = await first.login("jdoe", "secret")
        token, joined = await second.login("jdoe", "secret")
        assert joined.session_id == opened.session_id
        assert second.session_for_token(token) is joined
        stored = await second.store.load_session_of("jdoe")
        assert stored is not None and len(stored.session.auth_tokens) == 2
    finally:
        await second.stop()
        await first.stop()
