"""The store is the truth (issue 8): two engines on one SQLite file stand in for two
processes. A write from an engine whose copy of a session is stale is refused (nothing of
it is stored, published or armed), the engine takes the session as stored, and a retry
applies the change on top of the other engine's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from engine_support import CRM, NOTES, Agent, Desktop, make_config

from wwe_host.core.frames import EMBEDDER_SECTION as EMBEDDER
from wwe_host.core.time import ManualClock, ManualScheduler
from wwe_host.engine import Engine
from wwe_host.errors import ApiError, ErrorCode
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


async def test_a_stale_write_is_refused_and_a_retry_applies_it_on_the_truth(
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
    await here.ok(crm, "agent.setState", "NotReady")
    assert version(first, sid) > 1

    with pytest.raises(ApiError) as refused:  # the second still holds version 1
        await there.frame(EMBEDDER, NOTES)
    assert refused.value.code == ErrorCode.UNAVAILABLE
    assert "conflicted with a newer change" in refused.value.message
    # It took the session as stored: the other engine's frame and state are there.
    stale = second.session_by_id(sid)
    assert stale is not None
    assert crm.record.frame_id in stale.frames
    assert stale.media["voice"].operation_name == "NotReady"
    assert version(second, sid) == version(first, sid)
    assert there.desktop.frames == [] and there.desktop.ui_events == []

    notes = await there.frame(EMBEDDER, NOTES)  # the retry is applied once, on top
    stored = await second.store.load_session(sid)
    assert stored is not None
    assert set(stored.session.frames) == {crm.record.frame_id, notes.record.frame_id}
    assert stored.session.media["voice"].operation_name == "NotReady"

    # Now the first engine is the stale one: its request is refused, then retried.
    reply = await here.fails(crm, "agent.setState", "Ready")
    assert "conflicted with a newer change" in reply["errorMessage"]
    await here.ok(crm, "agent.setState", "Ready")
    stored = await first.store.load_session(sid)
    assert stored is not None
    assert stored.session.media["voice"].operation_name == "Ready"
    assert set(stored.session.frames) == {crm.record.frame_id, notes.record.frame_id}


async def test_a_session_ended_elsewhere_is_forgotten_on_the_next_write(
    pair: tuple[Engine, Engine],
) -> None:
    first, second = pair
    session = first.live_session("jdoe")
    assert session is not None
    sid = session.session_id
    await first.logout(sid)
    there = Agent(second, sid, Desktop())
    with pytest.raises(ApiError) as refused:
        await there.frame(EMBEDDER, CRM)
    assert refused.value.code == ErrorCode.UNAVAILABLE
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
