"""core/tabs.py: one leading desktop tab per session, chosen by the server; negotiating for
NEGOTIATION_SECONDS after the leader went; FRAME_STATE_CHANGED to the frames of a tab whose
state changed. On manual time: nothing timed happens until ``advance``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine_support import CRM, Agent, advance, make_config, started_engine

from wwe_host.core.tabs import NEGOTIATION_SECONDS
from wwe_host.engine import Engine


async def setup(tmp_path: Path, *tabs: str) -> tuple[Engine, Agent, dict[str, Any]]:
    """An agent with a frame (CRM's origin, subscribed to ``system``) in each tab."""
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    frames = {}
    for tab in tabs:
        await engine.tabs.join(agent.session_id, tab)
        frame = await engine.open_frame(agent.session_id, "@embedder", CRM, tab=tab)
        await agent.subscribe(frame, "system")
        frames[tab] = frame
    return engine, agent, frames


def states(agent: Agent, frame: Any) -> list[str]:
    return [m["data"]["state"] for m in agent.desktop.events_for(frame.record.frame_id, "system")]


def test_negotiation_is_within_the_spec_bound() -> None:
    assert 0 < NEGOTIATION_SECONDS <= 2.0


async def test_the_first_tab_leads_and_the_others_follow(tmp_path: Path) -> None:
    engine, agent, frames = await setup(tmp_path, "a", "b", "c")
    assert engine.tabs.states(agent.session_id) == {
        "a": "LEADING",
        "b": "FOLLOWING",
        "c": "FOLLOWING",
    }
    # Joining told nobody anything: no state of a tab that was there changed.
    assert all(states(agent, f) == [] for f in frames.values())


async def test_the_leader_goes_the_others_negotiate_then_the_last_used_leads(
    tmp_path: Path,
) -> None:
    engine, agent, frames = await setup(tmp_path, "a", "b", "c")
    sid = agent.session_id
    engine.tabs.report(sid, "b", active=True)  # the agent used b last
    engine.tabs.report(sid, "c", visible=True)
    await engine.tabs.leave(sid, "a")
    assert engine.tabs.states(sid) == {"b": "NEGOTIATING", "c": "NEGOTIATING"}
    assert states(agent, frames["b"]) == ["NEGOTIATING"]
    assert states(agent, frames["c"]) == ["NEGOTIATING"]
    assert await agent.ok(frames["b"], "system.isFrameNegotiating") is True
    assert await agent.ok(frames["b"], "system.isFrameLeadingOrNegotiating") is True
    # The desktops are told (their indicator, the tab a dialog shows in).
    assert ("tabs", {"tabs": {"b": "NEGOTIATING", "c": "NEGOTIATING"}}) in agent.desktop.ui_events

    await advance(engine, NEGOTIATION_SECONDS - 0.01)
    assert engine.tabs.states(sid)["b"] == "NEGOTIATING"
    await advance(engine, 0.01)
    assert engine.tabs.states(sid) == {"b": "LEADING", "c": "FOLLOWING"}
    assert states(agent, frames["b"]) == ["NEGOTIATING", "LEADING"]
    assert states(agent, frames["c"]) == ["NEGOTIATING", "FOLLOWING"]
    assert await agent.ok(frames["b"], "system.isFrameLeading") is True
    assert await agent.ok(frames["c"], "system.isFrameFollowing") is True
    # The frame of the tab that went is told nothing (nobody would receive it).
    assert states(agent, frames["a"]) == []


async def test_a_leader_that_reconnects_in_time_leads_again(tmp_path: Path) -> None:
    engine, agent, frames = await setup(tmp_path, "a", "b")
    sid = agent.session_id
    await engine.tabs.leave(sid, "a")
    await advance(engine, NEGOTIATION_SECONDS / 2)
    await engine.tabs.join(sid, "a")
    assert engine.tabs.states(sid) == {"a": "LEADING", "b": "FOLLOWING"}
    await advance(engine, NEGOTIATION_SECONDS)
    assert engine.tabs.states(sid) == {"a": "LEADING", "b": "FOLLOWING"}
    assert states(agent, frames["b"]) == ["NEGOTIATING", "FOLLOWING"]


async def test_a_new_tab_during_negotiation_waits_for_the_choice(tmp_path: Path) -> None:
    engine, agent, _ = await setup(tmp_path, "a", "b")
    sid = agent.session_id
    await engine.tabs.leave(sid, "a")
    await engine.tabs.join(sid, "c")  # newest: the one the agent just opened
    assert engine.tabs.states(sid) == {"b": "NEGOTIATING", "c": "NEGOTIATING"}
    await advance(engine, NEGOTIATION_SECONDS)
    assert engine.tabs.states(sid) == {"b": "FOLLOWING", "c": "LEADING"}


async def test_overlapping_connections_of_one_tab_keep_it_leading(tmp_path: Path) -> None:
    engine, agent, _ = await setup(tmp_path, "a", "b")
    sid = agent.session_id
    await engine.tabs.join(sid, "a")  # a reconnect opened before the old socket closed
    await engine.tabs.leave(sid, "a")
    assert engine.tabs.states(sid) == {"a": "LEADING", "b": "FOLLOWING"}


async def test_the_last_tab_going_and_a_new_one_leading_at_once(tmp_path: Path) -> None:
    engine, agent, frames = await setup(tmp_path, "a")
    sid = agent.session_id
    await engine.tabs.leave(sid, "a")
    assert engine.tabs.states(sid) == {}
    await advance(engine, NEGOTIATION_SECONDS)  # nobody negotiates
    assert engine.tabs.states(sid) == {}
    await engine.tabs.join(sid, "z")
    assert engine.tabs.states(sid) == {"z": "LEADING"}
    # a's frame is held by no connected tab: it answers as a lone tab's would not.
    assert await agent.ok(frames["a"], "system.isFrameLeading") is False


async def test_a_closed_frame_is_no_longer_held(tmp_path: Path) -> None:
    engine, agent, frames = await setup(tmp_path, "a", "b")
    sid = agent.session_id
    await engine.close_frame(sid, frames["b"].record.frame_id)
    await engine.tabs.leave(sid, "a")
    await advance(engine, NEGOTIATION_SECONDS)
    assert states(agent, frames["b"]) == []
    crm_free = await engine.open_frame(sid, "@embedder", CRM, tab="b")
    assert await agent.ok(crm_free, "system.isFrameLeading") is True


async def test_a_stopping_engine_ends_no_negotiation(tmp_path: Path) -> None:
    engine, agent, _ = await setup(tmp_path, "a", "b")
    await engine.tabs.leave(agent.session_id, "a")
    engine.tabs.close()
    await advance(engine, NEGOTIATION_SECONDS)
    assert engine.tabs.states(agent.session_id) == {}
