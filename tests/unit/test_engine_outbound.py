"""Outbound campaigns through the engine: they survive a restart (records, outcomes,
reschedules, the do-not-call list), and a failed commit changes nothing of them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from engine_support import DIALER, Agent, FlakyStore, advance
from outbound_support import outbound_config

from wwe_host.core.time import ManualClock, ManualScheduler
from wwe_host.engine import Engine
from wwe_host.errors import ApiError


async def _engine(tmp_path: Path, clock: ManualClock) -> tuple[Engine, FlakyStore]:
    store = FlakyStore(tmp_path / "wwe-host.db")
    engine = Engine(outbound_config(tmp_path), store, clock=clock, scheduler=ManualScheduler(clock))
    await engine.start()
    return engine, store


def _in_hours(clock: ManualClock, hours: float) -> str:
    when = datetime.fromtimestamp(clock() + hours * 3600)
    return f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute}"


async def test_campaigns_survive_a_restart_and_reschedules_still_come_due(
    tmp_path: Path,
) -> None:
    clock = ManualClock()
    engine, _ = await _engine(tmp_path, clock)
    await engine.outbound.command("spring", "load")
    await engine.outbound.command("spring", "start")
    agent = await Agent.login(engine)
    frame = await agent.frame("Dialer", DIALER)
    iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "outbound.updateRecordFields", iid, {"note": "call back"})
    await agent.ok(frame, "outbound.callPreviewRecord", iid, 1)
    await agent.ok(frame, "outbound.setCallResult", iid, "Answering Machine")
    await agent.ok(frame, "outbound.rescheduleRecord", iid, 1, _in_hours(clock, 1), "Campaign")
    await agent.ok(frame, "outbound.setDoNotCall", iid)
    await agent.ok(frame, "outbound.removeDoNotCall", iid)
    second = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
    await agent.ok(frame, "outbound.setDoNotCall", second)
    before = engine.outbound.records("spring")
    await engine.stop()

    again, _ = await _engine(tmp_path, clock)
    try:
        assert again.outbound.records("spring") == before
        assert again.outbound.view("spring")["status"] == "RUNNING"
        assert again.outbound.book.do_not_call == {"+15550002"}
        first = before[0]
        assert first["status"] == "SCHEDULED"
        assert first["callResult"] == {"name": "Answering Machine", "code": 9}
        assert first["fields"]["note"] == "call back"
        agent = await Agent.login(again)
        frame = await agent.frame("Dialer", DIALER)
        await agent.subscribe(frame, "outbound")
        await advance(again, 3700)
        assert agent.desktop.event_types(frame.record.frame_id, "outbound") == ["RECORD_DUE"]
        taken = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
        fields = await agent.ok(frame, "outbound.getRecordFields", taken)
        assert fields["name"] == "Ann Lee"  # the callback first
    finally:
        await again.stop()


async def test_a_failed_commit_changes_no_campaign(tmp_path: Path) -> None:
    clock = ManualClock()
    engine, store = await _engine(tmp_path, clock)
    try:
        await engine.outbound.command("spring", "load")
        store.failing = True
        with pytest.raises(ApiError):
            await engine.outbound.command("spring", "start")
        with pytest.raises(ApiError):
            await engine.outbound.command("push", "load")
        store.failing = False
        assert engine.outbound.view("spring")["status"] == "LOADED"
        assert engine.outbound.view("push")["status"] == "UNLOADED"
        await engine.outbound.command("spring", "start")
        agent = await Agent.login(engine)
        frame = await agent.frame("Dialer", DIALER)
        iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
        store.failing = True
        assert (await agent.fails(frame, "outbound.setDoNotCall", iid))[
            "errorCode"
        ] == "UNAVAILABLE"
        assert (await agent.fails(frame, "outbound.setCallResult", iid, 33))[
            "errorCode"
        ] == "UNAVAILABLE"
        store.failing = False
        assert engine.outbound.book.do_not_call == set()
        assert await agent.ok(frame, "outbound.getCallResult", iid) is None

        # A reschedule's timer outlives an unload whose commit failed.
        await agent.ok(frame, "outbound.callPreviewRecord", iid, 1)
        await agent.ok(frame, "outbound.setCallResult", iid, "Busy")
        await agent.ok(frame, "outbound.rescheduleRecord", iid, 1, _in_hours(clock, 1), "Campaign")
        await engine.outbound.command("spring", "stop")
        armed = [k for k in engine.state.timers if k[0] == "outbound"]
        assert armed == [("outbound", "spring:1")]
        store.failing = True
        with pytest.raises(ApiError):
            await engine.outbound.command("spring", "unload")
        store.failing = False
        assert [k for k in engine.state.timers if k[0] == "outbound"] == armed
        await engine.outbound.command("spring", "unload")
        assert [k for k in engine.state.timers if k[0] == "outbound"] == []
    finally:
        store.failing = False
        await engine.stop()
