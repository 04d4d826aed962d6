"""outbound.* (api-9.md): preview records, calls, results, reschedules, the do-not-call
list, push-preview and the `outbound` topic's events, on manual time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from engine_support import DIALER, Agent, advance, started_engine
from outbound_support import outbound_config

from wwe_host.engine import Engine, FrameHandle


async def _setup(tmp_path: Path, *campaigns: str) -> tuple[Engine, Agent, FrameHandle]:
    engine = await started_engine(tmp_path, outbound_config(tmp_path))
    for name in campaigns or ("spring",):
        await engine.outbound.command(name, "load")
        await engine.outbound.command(name, "start")
    agent = await Agent.login(engine)
    frame = await agent.frame("Dialer", DIALER)
    await agent.subscribe(frame, "outbound", "interaction")
    return engine, agent, frame


def _outbound_events(agent: Agent, frame: FrameHandle) -> list[str]:
    return agent.desktop.event_types(frame.record.frame_id, "outbound")


def _later(engine: Engine, hours: float) -> str:
    """A "M/D/YYYY H:m" text `hours` after the engine's now, in the server's time zone."""
    when = datetime.fromtimestamp(engine.now() + hours * 3600)
    return f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute}"


def _record(engine: Engine, campaign: str, handle: int) -> dict[str, Any]:
    return next(r for r in engine.outbound.records(campaign) if r["recordHandle"] == handle)


async def test_campaigns_of_the_agent_with_their_status(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    assert await agent.ok(frame, "outbound.getCampaigns") == [
        {"name": "spring", "mode": "preview", "status": "RUNNING"}
    ]
    await engine.outbound.command("push", "load")
    await engine.outbound.command("spring", "stop")
    assert await agent.ok(frame, "outbound.getCampaigns") == [
        {"name": "spring", "mode": "preview", "status": "STOPPED"},
        {"name": "push", "mode": "push-preview", "status": "LOADED"},
    ]
    assert _outbound_events(agent, frame) == ["CAMPAIGN_LOADED", "CAMPAIGN_STOPPED"]
    other = await Agent.login(engine, "asmith", "secret2")
    other_frame = await other.frame("Dialer", DIALER)
    names = [c["name"] for c in await other.ok(other_frame, "outbound.getCampaigns")]
    assert names == ["spring"]  # not a member of "push"
    await engine.stop()


async def test_preview_record_appears_with_fields_and_chain(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    preview = agent.session.interactions[iid]
    assert (preview.media, preview.state) == ("outboundpreview", "PREVIEW")
    assert agent.desktop.event_types(frame.record.frame_id)[:2] == ["ADDED", "PREVIEW"]
    assert _outbound_events(agent, frame) == ["RECORD_RECEIVED"]
    assert await agent.ok(frame, "outbound.getRecordFields", iid) == {
        "name": "Ann Lee",
        "balance": "120",
    }
    chain = await agent.ok(frame, "outbound.getChainedRecords", iid)
    assert [(r["recordHandle"], r["phone"]) for r in chain] == [(1, "+15550001"), (2, "+15550002")]
    await agent.ok(frame, "outbound.updateRecordFields", iid, {"balance": "99", "note": "vip"})
    assert (await agent.ok(frame, "outbound.getRecordFields", iid))["balance"] == "99"
    reply = await agent.fails(frame, "outbound.updateRecordFields", iid, {"balance": 5})
    assert reply["errorCode"] == "INVALID_PARAMETER"
    # The next agent gets the next record, never the same one.
    other = await Agent.login(engine, "asmith", "secret2")
    other_frame = await other.frame("Dialer", DIALER)
    second = await other.ok(other_frame, "outbound.getPreviewRecord", "spring")
    assert await other.ok(other_frame, "outbound.getRecordFields", second) == {
        "name": "Ann Lee (work)",
        "balance": "120",
    }
    await engine.stop()


async def test_preview_record_failures(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    unknown = await agent.fails(frame, "outbound.getPreviewRecord", "nope")
    assert unknown["errorCode"] == "NOT_FOUND"
    await engine.outbound.command("push", "load")
    not_running = await agent.fails(frame, "outbound.getPreviewRecord", "push")
    assert not_running["errorCode"] == "INVALID_STATE"
    assert "LOADED" in not_running["errorMessage"]
    for _ in range(4):
        await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    empty = await agent.fails(frame, "outbound.getPreviewRecord", "spring")
    assert empty["errorMessage"] == "Campaign 'spring' has no record due now."
    missing = await agent.fails(frame, "outbound.getRecordFields", "99")
    assert missing["errorCode"] == "NOT_FOUND"
    iid = (await agent.ok(frame, "voice.dial", "noanswer-1"))["interactionId"]
    plain = await agent.fails(frame, "outbound.getRecordFields", iid)
    assert plain["errorMessage"] == f"Interaction '{iid}' holds no outbound record."
    await engine.stop()


async def test_call_preview_record_dials_in_the_same_case(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    assert await agent.ok(frame, "outbound.callPreviewRecord", iid, 2) is None
    calls = [i for i in agent.session.interactions.values() if i.media == "voice"]
    assert len(calls) == 1
    call = calls[0]
    assert call.dnis == "+15550002"
    assert call.case_id == agent.session.interactions[iid].case_id
    assert call.state == "DIALING"
    await advance(engine, 0.1)
    assert call.state == "TALKING"
    assert _record(engine, "spring", 1)["status"] == "CALLED"
    busy = await agent.fails(frame, "outbound.callPreviewRecord", iid, 1)
    assert busy["errorCode"] == "INVALID_STATE"
    bad = await agent.fails(frame, "outbound.callPreviewRecord", iid, 3)
    assert bad["errorCode"] == "NOT_FOUND"  # not of this chain
    kind = await agent.fails(frame, "outbound.callPreviewRecord", iid, "x")
    assert kind["errorCode"] == "INVALID_PARAMETER"
    # The call's interaction id reaches the record too.
    assert await agent.ok(frame, "outbound.getRecordFields", call.interaction_id) == {
        "name": "Ann Lee",
        "balance": "120",
    }
    await engine.stop()


async def test_reject_returns_the_record_and_cancel_closes_it(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    first = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "outbound.rejectPreviewRecord", first)
    assert first not in agent.session.interactions
    assert "REMOVED" in agent.desktop.event_types(frame.record.frame_id)
    assert _record(engine, "spring", 1)["status"] == "READY"
    # Returned behind the records waiting: the next one is record 2.
    second = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    assert (await agent.ok(frame, "outbound.getRecordFields", second))["name"] == "Ann Lee (work)"
    await agent.ok(frame, "outbound.cancelPreviewRecord", second)
    assert _record(engine, "spring", 2)["status"] == "CANCELLED"
    assert second not in agent.session.interactions
    assert _outbound_events(agent, frame) == [
        "RECORD_RECEIVED",
        "RECORD_REJECTED",
        "RECORD_RECEIVED",
        "RECORD_CANCELLED",
    ]
    third = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "outbound.callPreviewRecord", third, 3)
    refused = await agent.fails(frame, "outbound.cancelPreviewRecord", third)
    assert refused["errorCode"] == "INVALID_STATE"
    await engine.stop()


async def test_call_results_by_code_or_name(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    results = await agent.ok(frame, "outbound.getListOfCallResults")
    assert {"name": "Answer", "code": 33} in results
    assert {r["name"] for r in results} >= {
        "Answer",
        "Busy",
        "No Answer",
        "Answering Machine",
        "Wrong Party",
        "Fax",
        "Do Not Call",
    }
    iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    assert await agent.ok(frame, "outbound.getCallResult", iid) is None
    await agent.ok(frame, "outbound.setCallResult", iid, 6)
    assert await agent.ok(frame, "outbound.getCallResult", iid) == {"name": "Busy", "code": 6}
    await agent.ok(frame, "outbound.setCallResult", iid, "no answer")
    assert await agent.ok(frame, "outbound.getCallResult", iid) == {"name": "No Answer", "code": 7}
    await agent.ok(frame, "outbound.setCallResult", iid, "52")
    assert (await agent.ok(frame, "outbound.getCallResult", iid))["name"] == "Wrong Party"
    bad = await agent.fails(frame, "outbound.setCallResult", iid, "Sale")
    assert bad["errorCode"] == "INVALID_PARAMETER"
    assert "Answer (33)" in bad["errorMessage"]
    assert _outbound_events(agent, frame).count("CALL_RESULT_SET") == 3
    assert _record(engine, "spring", 1)["callResult"] == {"name": "Wrong Party", "code": 52}
    await engine.stop()


async def test_campaign_call_results_replace_the_built_in_list(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path, "push")
    results = await agent.ok(frame, "outbound.getListOfCallResults")
    assert results == [
        {"name": "Sale", "code": 101},
        {"name": "No Sale", "code": 102},
        {"name": "Busy", "code": 6},
    ]
    await engine.stop()


async def test_do_not_call_list(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "outbound.setDoNotCall", iid)
    assert engine.outbound.book.do_not_call == {"+15550001"}
    refused = await agent.fails(frame, "outbound.callPreviewRecord", iid, 1)
    assert refused["errorCode"] == "INVALID_STATE"
    assert "do-not-call" in refused["errorMessage"]
    assert not [i for i in agent.session.interactions.values() if i.media == "voice"]
    await agent.ok(frame, "outbound.removeDoNotCall", iid)
    await agent.ok(frame, "outbound.callPreviewRecord", iid, 1)
    assert _outbound_events(agent, frame)[1:3] == ["DO_NOT_CALL_SET", "DO_NOT_CALL_REMOVED"]
    await engine.stop()


async def test_a_do_not_call_phone_is_never_offered(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    first = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "outbound.setDoNotCall", first)
    await agent.ok(frame, "outbound.rejectPreviewRecord", first)
    shown = []
    for _ in range(3):
        iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
        shown.append((await agent.ok(frame, "outbound.getChainedRecords", iid))[0]["phone"])
    assert "+15550001" not in [r["phone"] for r in engine.outbound.records("spring")[1:]]
    fails = await agent.fails(frame, "outbound.getPreviewRecord", "spring")
    assert fails["errorCode"] == "NOT_FOUND"  # record 1 is on the list: never again
    await engine.stop()


async def test_reschedule_comes_due_on_the_clock(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "outbound.callPreviewRecord", iid, 1)
    await agent.ok(frame, "outbound.setCallResult", iid, "No Answer")
    await agent.ok(frame, "outbound.rescheduleRecord", iid, 1, _later(engine, 2), "Personal")
    record = _record(engine, "spring", 1)
    assert record["status"] == "SCHEDULED"
    assert record["personal"] is True
    assert record["dueAt"] == pytest.approx(engine.now() + 2 * 3600, abs=60)
    # Until it is due, the other records come first; asmith never gets a Personal one.
    other = await Agent.login(engine, "asmith", "secret2")
    other_frame = await other.frame("Dialer", DIALER)
    for _ in range(3):
        await other.ok(other_frame, "outbound.getPreviewRecord", "spring")
    assert (await other.fails(other_frame, "outbound.getPreviewRecord", "spring"))[
        "errorCode"
    ] == "NOT_FOUND"
    await advance(engine, 2 * 3600 + 60)
    assert "RECORD_DUE" in _outbound_events(agent, frame)
    assert (await other.fails(other_frame, "outbound.getPreviewRecord", "spring"))[
        "errorCode"
    ] == "NOT_FOUND"
    again = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    assert (await agent.ok(frame, "outbound.getRecordFields", again))["name"] == "Ann Lee"
    await engine.stop()


async def test_reschedule_checks_and_cancel(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    for date, kind, code in (
        ("13/45/2026 9:00", "Campaign", "INVALID_PARAMETER"),
        ("1/1/2020 9:00", "Campaign", "INVALID_PARAMETER"),
        (_later(engine, 1), "Later", "INVALID_PARAMETER"),
    ):
        reply = await agent.fails(frame, "outbound.rescheduleRecord", iid, 1, date, kind)
        assert reply["errorCode"] == code
    not_scheduled = await agent.fails(frame, "outbound.cancelReschedule", iid)
    assert not_scheduled["errorCode"] == "INVALID_STATE"
    await agent.ok(frame, "outbound.rescheduleRecord", iid, 1, _later(engine, 1), "Campaign")
    await agent.ok(frame, "outbound.cancelReschedule", iid)
    assert _record(engine, "spring", 1)["status"] == "DONE"
    assert _outbound_events(agent, frame)[-2:] == ["RECORD_RESCHEDULED", "RESCHEDULE_CANCELLED"]
    await advance(engine, 3700)
    assert "RECORD_DUE" not in _outbound_events(agent, frame)
    await engine.stop()


def _previews(agent: Agent) -> list[str]:
    return [i.interaction_id for i in agent.session.interactions.values() if i.media != "voice"]


async def _name(agent: Agent, frame: FrameHandle, iid: str) -> str:
    return str((await agent.ok(frame, "outbound.getRecordFields", iid))["name"])


async def test_push_preview_offers_records_as_they_become_due(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path, "push")
    assert not agent.session.interactions
    await agent.ok(frame, "outbound.startDirectPushPreview")
    [first] = _previews(agent)
    assert await _name(agent, frame, first) == "Pia"
    # One at a time: the next comes when this one leaves.
    await agent.ok(frame, "outbound.rejectPreviewRecord", first)
    [second] = _previews(agent)
    assert await _name(agent, frame, second) == "Quinn"
    await agent.ok(frame, "outbound.cancelPreviewRecord", second)
    [third] = _previews(agent)
    assert await _name(agent, frame, third) == "Pia"
    await agent.ok(frame, "outbound.rescheduleRecord", third, 1, _later(engine, 1), "Campaign")
    await agent.ok(frame, "interaction.markdone", third)
    assert _previews(agent) == []
    await advance(engine, 3700)
    [fourth] = _previews(agent)
    assert await _name(agent, frame, fourth) == "Pia"
    # Stopped: nothing more is offered.
    await agent.ok(frame, "outbound.stopDirectPushPreview")
    assert agent.session.outbound_push is False
    await agent.ok(frame, "outbound.rescheduleRecord", fourth, 1, _later(engine, 1), "Campaign")
    await agent.ok(frame, "interaction.markdone", fourth)
    await advance(engine, 3700)
    assert _previews(agent) == []
    await engine.stop()


async def test_requests_of_an_unsubscribed_frame_get_no_outbound_events(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    quiet = await agent.frame("Dialer", DIALER)
    await agent.ok(quiet, "outbound.getPreviewRecord", "spring")
    assert agent.desktop.events_for(quiet.record.frame_id, "outbound") == []
    assert _outbound_events(agent, frame) == ["RECORD_RECEIVED"]
    await engine.stop()


async def test_a_record_whose_preview_is_gone_returns_to_the_campaign(tmp_path: Path) -> None:
    engine, agent, frame = await _setup(tmp_path)
    first = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "interaction.markdone", first)  # neither called nor rejected
    await engine.logout(agent.session_id)  # and the agent leaves
    other = await Agent.login(engine, "asmith", "secret2")
    other_frame = await other.frame("Dialer", DIALER)
    names = []
    for _ in range(4):
        iid = await other.ok(other_frame, "outbound.getPreviewRecord", "spring")
        names.append(await _name(other, other_frame, iid))
    assert names == ["Ann Lee (work)", "Bob Ray", "Cy Dee", "Ann Lee"]
    await engine.stop()
