"""Wrap-up (domain/wrapup.py): disposition codes in attached data, a required disposition
enforced at mark done (the agent's and a frame's), after-call work until mark done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import CRM, DIALER, Agent, advance, make_config, started_engine

from wwe_host.api.desktop import ACTIONS
from wwe_host.engine import Engine
from wwe_host.errors import ApiError, ErrorCode

WRAP_UP = """
interaction.disposition.value-business-attribute = Resolved, Callback, Escalated
interaction.disposition.is-mandatory = true
voice.after-call-work = true
"""


async def act(engine: Engine, agent: Agent, op: str, **args: Any) -> Any:
    return await engine.agent_operation(agent.session_id, lambda call: ACTIONS[op](call, args))


async def ended_call(engine: Engine, agent: Agent) -> str:
    """An answered call the far end released: the agent is in its wrap-up."""
    tab = await agent.frame("Dialer", DIALER)
    iid = str((await agent.ok(tab, "voice.dial", "5559999"))["interactionId"])
    await advance(engine, 0.05)
    await act(engine, agent, "hangUp", interactionId=iid)
    return iid


async def test_mark_done_asks_for_the_required_disposition(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=WRAP_UP))
    agent = await Agent.login(engine)
    iid = await ended_call(engine, agent)
    with pytest.raises(ApiError) as refused:
        await act(engine, agent, "markDone", interactionId=iid)
    assert refused.value.code is ErrorCode.INVALID_STATE
    assert refused.value.message == (
        f"Choose a disposition before marking interaction '{iid}' done "
        "(one of: Resolved, Callback, Escalated)."
    )
    assert iid in agent.session.interactions
    # A frame's mark done is refused the same way.
    crm = await agent.frame("CRM", CRM, iid)
    reply = await agent.fails(crm, "interaction.markdone", iid)
    assert reply["errorCode"] == "INVALID_STATE" and "Choose a disposition" in reply["errorMessage"]
    await act(engine, agent, "setDisposition", interactionId=iid, value="Callback")
    assert agent.session.interactions[iid].user_data["DispositionCode"] == "Callback"
    await act(engine, agent, "markDone", interactionId=iid)
    assert iid not in agent.session.interactions
    await engine.stop()


async def test_a_disposition_must_be_one_of_the_codes(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=WRAP_UP))
    agent = await Agent.login(engine)
    iid = await ended_call(engine, agent)
    with pytest.raises(ApiError) as refused:
        await act(engine, agent, "setDisposition", interactionId=iid, value="Sold")
    assert refused.value.message == (
        "Unknown disposition 'Sold'. Valid codes: Resolved, Callback, Escalated."
    )
    await act(engine, agent, "setDisposition", interactionId=iid, value="Resolved")
    await act(engine, agent, "setDisposition", interactionId=iid, value="")
    assert "DispositionCode" not in agent.session.interactions[iid].user_data
    await engine.stop()


async def test_no_codes_configured_means_no_disposition(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    iid = await ended_call(engine, agent)
    with pytest.raises(ApiError) as refused:
        await act(engine, agent, "setDisposition", interactionId=iid, value="Resolved")
    assert "No disposition codes are configured" in refused.value.message
    await act(engine, agent, "markDone", interactionId=iid)  # nothing required
    assert agent.session.media["voice"].type != "NOT_READY_AFTER_CALLWORK"
    await engine.stop()


async def test_the_key_name_is_configurable(tmp_path: Path) -> None:
    extra = WRAP_UP + "interaction.disposition.key-name = Outcome\n"
    engine = await started_engine(tmp_path, make_config(extra=extra))
    agent = await Agent.login(engine)
    iid = await ended_call(engine, agent)
    await act(engine, agent, "setDisposition", interactionId=iid, value="Escalated")
    assert agent.session.interactions[iid].user_data == {"Outcome": "Escalated"}
    await act(engine, agent, "markDone", interactionId=iid)
    await engine.stop()


async def test_after_call_work_lasts_until_mark_done(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=WRAP_UP))
    agent = await Agent.login(engine)
    await act(engine, agent, "setState", operationName="Ready")
    before = engine.now()
    await advance(engine, 5)
    iid = await ended_call(engine, agent)
    session = agent.session
    assert session.media["voice"].type == "NOT_READY_AFTER_CALLWORK"
    assert session.state_since is not None and session.state_since > before
    assert session.interactions[iid].wrap_up_from.type == "READY"
    await act(engine, agent, "setDisposition", interactionId=iid, value="Resolved")
    await act(engine, agent, "markDone", interactionId=iid)
    assert session.media["voice"].type == "READY"
    await engine.stop()


async def test_a_call_that_was_never_answered_has_no_after_call_work(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=WRAP_UP))
    agent = await Agent.login(engine)
    tab = await agent.frame("Dialer", DIALER)
    await agent.ok(tab, "voice.dial", "busy-1")
    await advance(engine, 0.05)
    assert agent.session.media["voice"].type == "NOT_READY"
    await engine.stop()


async def test_logging_out_during_a_call_starts_no_after_call_work(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=WRAP_UP))
    agent = await Agent.login(engine)
    tab = await agent.frame("Dialer", DIALER)
    await agent.subscribe(tab, "media")
    await agent.ok(tab, "voice.dial", "5559999")
    await advance(engine, 0.05)
    await engine.logout(agent.session_id)
    states = [
        e["data"]["state"]["type"]
        for e in agent.desktop.events_for(tab.record.frame_id, "media")
        if e["data"].get("media") == "voice"
    ]
    assert states[-1] == "LOGOUT"  # the frame heard the logout...
    assert "NOT_READY_AFTER_CALLWORK" not in states  # ...and no wrap-up before it
    await engine.stop()
