"""Routing to queues: idle longest first, waiting when nobody is ready, surviving restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import Agent, advance, call_item, make_queue_config, set_state, started_engine

from wwe_host.domain.model import QueuedItem
from wwe_host.engine import Engine
from wwe_host.errors import ApiError


async def push(engine: Engine, target: str, item: QueuedItem) -> object:
    return await engine.run(lambda fx: engine.deliver(fx, target, item))


async def test_queue_offers_to_the_agent_idle_longest(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_queue_config())
    jdoe = await Agent.login(engine)
    asmith = await Agent.login(engine, "asmith", "secret2")
    await set_state(engine, asmith, "Ready")
    await advance(engine, 1)  # asmith has been idle longer
    await set_state(engine, jdoe, "Ready")
    first = await push(engine, "queue:sales", call_item(engine, "111"))
    assert first is not None
    assert [i.ani for i in asmith.session.interactions.values()] == ["111"]
    second = await push(engine, "queue:sales", call_item(engine, "222"))
    assert second is not None
    assert [i.ani for i in jdoe.session.interactions.values()] == ["222"]
    await engine.stop()


async def test_waits_until_an_agent_becomes_ready_and_survives_restart(tmp_path: Path) -> None:
    config = make_queue_config()
    engine = await started_engine(tmp_path, config)
    jdoe = await Agent.login(engine)
    item = call_item(engine, "333")
    assert await push(engine, "queue:sales", item) is None
    assert engine.queued() == [item]
    await engine.stop()

    engine = await started_engine(tmp_path, config)
    assert [q.item_id for q in engine.queued()] == [item.item_id]
    session = engine.live_session("jdoe")
    assert session is not None
    jdoe = Agent(engine, session.session_id, jdoe.desktop)
    engine.attach(jdoe.session_id, jdoe.desktop)
    await set_state(engine, jdoe, "Ready")
    calls = list(jdoe.session.interactions.values())
    assert [(c.ani, c.state, c.call_uuid) for c in calls] == [("333", "RINGING", item.call_uuid)]
    assert engine.queued() == []
    await engine.stop()
    engine = await started_engine(tmp_path, config)
    assert engine.queued() == []
    await engine.stop()


async def test_direct_delivery_ignores_readiness_but_needs_a_login(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_queue_config())
    jdoe = await Agent.login(engine)
    interaction = await push(engine, "5001", call_item(engine, "444"))
    assert interaction is not None
    assert jdoe.session.media["voice"].type == "NOT_READY"
    with pytest.raises(ApiError, match=r"^Agent 'asmith' is not logged in\.$"):
        await push(engine, "asmith", call_item(engine, "555"))
    with pytest.raises(ApiError, match=r"^Unknown queue 'nope'\.$"):
        await push(engine, "queue:nope", call_item(engine, "1"))
    assert len(jdoe.session.interactions) == 1
    await engine.stop()


async def test_an_agent_with_a_call_on_the_desktop_is_not_idle(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_queue_config())
    jdoe = await Agent.login(engine)
    await set_state(engine, jdoe, "Ready")
    assert await push(engine, "queue:sales", call_item(engine, "111")) is not None
    assert await push(engine, "queue:sales", call_item(engine, "222")) is None
    [first] = jdoe.session.interactions.values()
    from wwe_host.api.desktop import ACTIONS

    for op in ("answer", "hangUp", "markDone"):
        await engine.agent_operation(
            jdoe.session_id,
            lambda call, op=op: ACTIONS[op](call, {"interactionId": first.interaction_id}),
        )
    # marked done: the waiting call is offered to the agent who is idle again
    assert [i.ani for i in jdoe.session.interactions.values()] == ["222"]
    assert engine.queued() == []
    await engine.stop()
