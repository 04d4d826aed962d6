"""A failed commit changes nothing (operations.md): not in memory, not in a later commit, no
event, no call dialled, no timer armed; retrying once the store writes again does it once;
the audit rows of that window are kept. The store here is a real SQLite file that refuses
writes on demand, as a full disk does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import CRM, DIALER, Agent, FlakyStore, make_config

from wwe_host.api.desktop import ACTIONS
from wwe_host.core.time import ManualClock, ManualScheduler
from wwe_host.engine import Engine
from wwe_host.store.sqlite import SqliteStore
from wwe_host.web.app import build_site

TOKEN = "failed-commit-admin-token"


@pytest.fixture
async def flaky(tmp_path: Path) -> AsyncIterator[tuple[Engine, FlakyStore]]:
    store = FlakyStore(tmp_path / "wwe-host.db")
    clock = ManualClock()
    engine = Engine(
        make_config(server=f"admin-token = {TOKEN}"),
        store,
        clock=clock,
        scheduler=ManualScheduler(clock),
    )
    await engine.start()
    try:
        yield engine, store
    finally:
        store.failing = False
        await engine.stop()


async def reopened(tmp_path: Path) -> Engine:
    engine = Engine(make_config(), SqliteStore(tmp_path / "wwe-host.db"))
    await engine.start()
    return engine


def timers(engine: Engine) -> list[float]:
    """When the engine's armed timers are due (manual time)."""
    scheduler = engine.scheduler
    assert isinstance(scheduler, ManualScheduler)
    return scheduler.pending()


async def call_with_crm(agent: Agent) -> tuple[str, Any]:
    dialer = await agent.frame("Dialer", DIALER)
    await agent.ok(dialer, "voice.dial", "5551234", {"Key1": "old"})
    (interaction_id,) = agent.session.interactions
    crm = await agent.frame("CRM", CRM, interaction_id)
    return interaction_id, crm


async def test_refused_set_user_data_is_not_in_memory_nor_in_a_later_commit(
    flaky: tuple[Engine, FlakyStore], tmp_path: Path
) -> None:
    engine, store = flaky
    agent = await Agent.login(engine)
    interaction_id, crm = await call_with_crm(agent)
    await agent.subscribe(crm, "interaction")
    events_before = len(agent.desktop.events_for(crm.record.frame_id))

    store.failing = True
    reply = await agent.fails(crm, "interaction.setUserData", interaction_id, {"Key1": "new"})
    assert reply["errorCode"] == "UNAVAILABLE"
    assert "nothing was changed" in reply["errorMessage"]
    store.failing = False

    view = await agent.ok(crm, "interaction.getByInteractionId", interaction_id)
    assert view["userData"]["Key1"] == "old"
    assert len(agent.desktop.events_for(crm.record.frame_id)) == events_before

    # An unrelated write afterwards must not carry the refused change to the store.
    await agent.ok(crm, "interaction.setUserData", interaction_id, {"Other": "x"})
    await engine.stop()
    again = await reopened(tmp_path)
    try:
        (session,) = again.sessions()
        data = session.interactions[interaction_id].user_data
        assert data["Key1"] == "old"
        assert data["Other"] == "x"
    finally:
        await again.stop()


async def test_refused_dial_dials_nothing_arms_nothing_and_a_retry_dials_once(
    flaky: tuple[Engine, FlakyStore], tmp_path: Path
) -> None:
    engine, store = flaky
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    await agent.subscribe(dialer, "interaction")
    armed = timers(engine)

    store.failing = True
    for _ in range(2):
        reply = await agent.fails(dialer, "voice.dial", "5551234")
        assert reply["errorCode"] == "UNAVAILABLE"
    store.failing = False

    assert agent.session.interactions == {}
    assert timers(engine) == armed  # the far end's answer was never scheduled
    assert agent.desktop.events_for(dialer.record.frame_id, "interaction") == []

    await engine.agent_operation(  # an unrelated write: the agent sets a state
        agent.session_id, lambda call: ACTIONS["setState"](call, {"operationName": "NotReady"})
    )
    await agent.ok(dialer, "voice.dial", "5551234")  # the retry
    assert len(agent.session.interactions) == 1
    assert len(timers(engine)) == len(armed) + 1
    await engine.stop()
    again = await reopened(tmp_path)
    try:
        (session,) = again.sessions()
        assert len(session.interactions) == 1
    finally:
        await again.stop()


async def test_refused_toast_arms_no_auto_close(flaky: tuple[Engine, FlakyStore]) -> None:
    engine, store = flaky
    agent = await Agent.login(engine)
    # The page that embeds the desktop gets its origin's full filter (CRM: every request).
    embedder = await engine.open_frame(agent.session_id, "@embedder", CRM)
    armed = timers(engine)
    store.failing = True
    reply = await agent.fails(
        embedder, "system.popupToast", {"title": "t", "message": "m", "autoCloseTimeout": 5}
    )
    store.failing = False
    assert reply["errorCode"] == "UNAVAILABLE"
    assert agent.session.toasts == {}
    assert timers(engine) == armed


async def test_refused_login_opens_no_session(flaky: tuple[Engine, FlakyStore]) -> None:
    engine, store = flaky
    store.failing = True
    with pytest.raises(Exception) as refused:
        await engine.login("jdoe", "secret")
    assert "nothing was changed" in str(refused.value)
    store.failing = False
    assert engine.sessions() == []
    assert engine.live_session("jdoe") is None


async def test_refused_logout_keeps_the_session_and_its_call(
    flaky: tuple[Engine, FlakyStore],
) -> None:
    engine, store = flaky
    agent = await Agent.login(engine)
    interaction_id, _ = await call_with_crm(agent)
    store.failing = True
    with pytest.raises(Exception, match="nothing was changed"):
        await engine.logout(agent.session_id)
    store.failing = False
    session = engine.session_by_id(agent.session_id)
    assert session is not None
    assert session.interactions[interaction_id].state != "RELEASED"
    assert session.media["voice"].type != "LOGOUT"


async def test_audit_rows_of_the_failed_window_are_kept(
    flaky: tuple[Engine, FlakyStore],
) -> None:
    engine, store = flaky
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    store.failing = True
    await agent.fails(dialer, "voice.dial", "5551234")
    await agent.ok(dialer, "system.getAllowedServices")
    await engine.flush_audit()  # fails: the rows stay buffered
    store.failing = False
    await engine.flush_audit()
    requests = [entry.request for entry in await store.audit(agent="jdoe")]
    assert requests == ["voice.dial", "system.getAllowedServices"]


async def test_rest_write_answers_503_and_is_not_stored_later(
    flaky: tuple[Engine, FlakyStore], tmp_path: Path
) -> None:
    engine, store = flaky
    agent = await Agent.login(engine)
    transport = httpx.ASGITransport(app=build_site(engine))
    auth = {"authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        store.failing = True
        body = {"to": "jdoe", "from": "5550100"}
        refused = await http.post("/api/v1/sim/calls", json=body, headers=auth)
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "UNAVAILABLE"
        store.failing = False
        assert agent.session.interactions == {}
        retried = await http.post("/api/v1/sim/calls", json=body, headers=auth)
        assert retried.status_code == 201, retried.text
    assert len(agent.session.interactions) == 1
    await engine.stop()
    again = await reopened(tmp_path)
    try:
        (session,) = again.sessions()
        assert len(session.interactions) == 1
    finally:
        await again.stop()


async def test_a_read_waiting_on_a_failed_commit_reads_again(
    flaky: tuple[Engine, FlakyStore],
) -> None:
    engine, store = flaky
    agent = await Agent.login(engine)
    interaction_id, crm = await call_with_crm(agent)
    store.failing = True
    # Tasks start in order: the write changes memory and waits for its commit, then the
    # read sees the change and waits for the same commit, which fails.
    written, seen = await asyncio.gather(
        agent.request(crm, "interaction.setUserData", interaction_id, {"Key1": "new"}),
        agent.request(crm, "interaction.getByInteractionId", interaction_id),
    )
    store.failing = False
    assert written["errorCode"] == "UNAVAILABLE"
    assert seen["data"]["userData"]["Key1"] == "old"
