"""Two engines sharing one store and linked by a bus stand in for two server processes
(bus/memory.py's MemoryNetwork links them as Redis links processes): what one commits, the
other mirrors, and the notices reach the frames of desktops connected to the other; a
toast's auto-close, armed by both, runs once; lost messages are made up by a resync."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from engine_support import (
    CRM,
    DIALER,
    Agent,
    Desktop,
    call_item,
    make_config,
    make_queue_config,
    set_state,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from outbound_support import outbound_config

from wwe_host.bus.memory import MemoryNetwork
from wwe_host.config import Config
from wwe_host.core import outbound as outbound_module
from wwe_host.core.frames import EMBEDDER_SECTION as EMBEDDER
from wwe_host.core.time import ManualClock, ManualScheduler
from wwe_host.engine import Engine
from wwe_host.store.memory import MemoryStore


class Cluster:
    def __init__(self) -> None:
        self.clock = ManualClock()
        self.store = MemoryStore()
        self.network = MemoryNetwork(clock=lambda: self.clock.now)
        self.engines: list[Engine] = []

    async def process(self, config: Config | None = None) -> Engine:
        engine = Engine(
            config or make_config(),
            self.store,
            clock=self.clock,
            scheduler=ManualScheduler(self.clock),
            bus=self.network.bus(),
        )
        await engine.start()
        self.engines.append(engine)
        return engine

    async def turns(self) -> None:
        """Let the messages published so far arrive (the bus delivers on a later turn)."""
        loop = asyncio.get_running_loop()
        for _ in range(5):
            turn = loop.create_future()
            loop.call_soon(turn.set_result, None)
            await turn
            for engine in self.engines:
                await engine.settle()

    async def advance(self, seconds: float) -> None:
        self.clock.now += seconds
        for engine in self.engines:
            scheduler = engine.scheduler
            assert isinstance(scheduler, ManualScheduler)
            scheduler.advance(0)
        await self.turns()


@pytest.fixture
async def cluster() -> AsyncIterator[Cluster]:
    made = Cluster()
    await made.store.open()
    try:
        yield made
    finally:
        for engine in made.engines:
            await engine.stop()


async def test_a_change_on_one_process_reaches_frames_on_the_other(cluster: Cluster) -> None:
    a, b = await cluster.process(), await cluster.process()
    _, session = await a.login("jdoe", "secret")
    await cluster.turns()
    sid = session.session_id
    mirrored = b.session_by_id(sid)
    assert mirrored is not None and mirrored is not session  # B mirrors A's record

    there = Agent(b, sid, Desktop())  # the desktop is connected to B
    b.attach(sid, there.desktop)
    crm = await there.frame(EMBEDDER, CRM)
    await there.subscribe(crm, "agent")
    await cluster.turns()
    assert a.session_by_id(sid) is not None
    assert crm.record.frame_id in session.frames  # A mirrors B's frame and subscription

    here = Agent(a, sid, Desktop())  # another frame, on A, changes the agent's state
    dialer = await here.frame(EMBEDDER, CRM)
    await cluster.turns()
    await here.ok(dialer, "agent.setState", "Ready")
    await cluster.turns()
    events = there.desktop.events_for(crm.record.frame_id, "agent")
    assert events, there.desktop.frames
    assert b.session_by_id(sid).media["voice"].operation_name == "Ready"  # type: ignore[union-attr]
    # The notice went to B's desktop as a UI update too (it rebuilds its snapshot).
    assert any(kind == "agent" for kind, _ in there.desktop.ui_events)


async def test_a_toast_armed_on_both_processes_closes_once(cluster: Cluster) -> None:
    a, b = await cluster.process(), await cluster.process()
    closes: list[str] = []

    def watch(topic: str, session_id: str, data: dict[str, Any]) -> None:
        if topic == "toast" and data.get("action") == "close":
            closes.append(session_id)

    for engine in (a, b):  # observers see the notices their own engine made
        engine.notice_observers.append(watch)
    _, session = await a.login("jdoe", "secret")
    sid = session.session_id
    here = Agent(a, sid, Desktop())
    crm = await here.frame(EMBEDDER, CRM)
    await here.ok(crm, "system.popupToast", {"title": "T", "autoCloseTimeout": 5000})
    await cluster.turns()
    assert len(b.state.timers) == 1  # B armed it too, from the mirrored record
    there = Desktop()
    b.attach(sid, there)
    await cluster.advance(6)
    assert closes == [sid]  # one process closed it
    assert session.toasts == {} and b.session_by_id(sid).toasts == {}  # type: ignore[union-attr]
    # The desktop connected to B was told, whichever process closed it.
    assert [d for k, d in there.ui_events if k == "toast"] == [{"action": "close", "id": "toast-1"}]


async def test_a_resync_takes_what_was_missed_from_the_store(cluster: Cluster) -> None:
    a, b = await cluster.process(), await cluster.process()
    b_bus = b.bus
    await b_bus.close()  # B hears nothing for a while
    _, session = await a.login("jdoe", "secret")
    await cluster.turns()
    assert b.session_by_id(session.session_id) is None
    await b.runner.resync()
    assert b.session_by_id(session.session_id) is not None


async def test_a_rate_limit_holds_across_processes(cluster: Cluster) -> None:
    limited = "service-client-api.rate-limit.agent.getState = 3"
    a = await cluster.process(make_config(extra=limited))
    b = await cluster.process(make_config(extra=limited))
    _, session = await a.login("jdoe", "secret")
    await cluster.turns()
    sid = session.session_id
    here, there = Agent(a, sid, Desktop()), Agent(b, sid, Desktop())
    on_a = await here.frame(EMBEDDER, CRM)
    await cluster.turns()
    on_b = await there.frame(EMBEDDER, CRM)
    await cluster.turns()
    await here.ok(on_a, "agent.getState")
    await there.ok(on_b, "agent.getState")
    await here.ok(on_a, "agent.getState")
    refused = await there.fails(on_b, "agent.getState")  # the 4th of the minute, on B
    assert refused["errorCode"] == "RATE_LIMITED"
    quarantined = await a.handle(  # then ignored on A too: no answer at all
        on_a, {"request": "agent.getState", "referenceId": "x", "protocolVersion": 2}
    )
    assert quarantined is None


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 2)), min_size=1, max_size=12))
def test_two_processes_racing_on_one_session_never_lose_or_double_a_change(
    plan: list[tuple[int, int]],
) -> None:
    """Writes from both processes at once, some after a few loop turns of delay (so the
    mirrors are more or less behind): every acknowledged change is stored exactly once,
    and a refused one (UNAVAILABLE after its attempts) is not stored at all."""

    async def race() -> None:
        cluster = Cluster()
        await cluster.store.open()
        engines = [await cluster.process(), await cluster.process()]
        try:
            _, session = await engines[0].login("jdoe", "secret")
            await cluster.turns()
            sid = session.session_id
            agents = [Agent(engine, sid, Desktop()) for engine in engines]
            frames = []
            for agent in agents:
                frames.append(await agent.frame(EMBEDDER, CRM))
                await cluster.turns()
            dialled = await agents[0].ok(frames[0], "voice.dial", "noanswer-1")
            iid = dialled["interactionId"]
            await cluster.turns()

            async def write(n: int, where: int, delay: int) -> tuple[str, bool]:
                for _ in range(delay):
                    await cluster.turns()
                reply = await agents[where].request(
                    frames[where], "interaction.setUserData", iid, {f"w{n}": n}
                )
                return f"w{n}", "errorMessage" not in reply

            results = await asyncio.gather(
                *(write(n, where, delay) for n, (where, delay) in enumerate(plan))
            )
            stored = await cluster.store.load_session(sid)
            assert stored is not None
            written = {k for k in stored.session.interactions[iid].user_data if k[0] == "w"}
            assert written == {key for key, ok in results if ok}
            for engine in engines:  # the mirrors end up as the store has it
                await engine.runner.refresh()
                mirrored = engine.session_by_id(sid)
                assert mirrored is not None
                assert mirrored.interactions[iid].user_data == (
                    stored.session.interactions[iid].user_data
                )
        finally:
            for engine in cluster.engines:
                await engine.stop()

    asyncio.run(race())


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 2)), min_size=1, max_size=8))
def test_agents_on_two_processes_racing_for_records_never_share_or_lose_one(
    plan: list[tuple[int, int]],
) -> None:
    """Two agents, each on their own process, take records of one campaign (4 records),
    some after a few loop turns (so the mirrors are more or less behind): every record
    taken is held by exactly the agent whose request succeeded, in that agent's session as
    stored; a refused request holds nothing."""

    async def race(directory: Path) -> None:
        cluster = Cluster()
        await cluster.store.open()
        config = outbound_config(directory)
        engines = [await cluster.process(config), await cluster.process(config)]
        try:
            await engines[0].outbound.command("spring", "load")
            await engines[1].outbound.command("spring", "start")
            agents = [
                await Agent.login(engines[0]),
                await Agent.login(engines[1], "asmith", "secret2"),
            ]
            await cluster.turns()
            frames = [await agent.frame("Dialer", DIALER) for agent in agents]

            async def take(where: int, delay: int) -> tuple[int, dict[str, Any]]:
                for _ in range(delay):
                    await cluster.turns()
                reply = await agents[where].request(
                    frames[where], "outbound.getPreviewRecord", "spring"
                )
                return where, reply

            results = await asyncio.gather(*(take(where, delay) for where, delay in plan))
            names = ["jdoe", "asmith"]
            taken = {(names[w], r["data"]) for w, r in results if "errorMessage" not in r}
            assert len(taken) == len([1 for _, r in results if "errorMessage" not in r])
            refusals = {r["errorCode"] for _, r in results if "errorMessage" in r}
            # Nothing due (all four held), or conflicts three times over (UNAVAILABLE, "Retry").
            assert refusals <= {"NOT_FOUND", "UNAVAILABLE"}
            if "NOT_FOUND" in refusals:
                assert len(taken) == 4
            stored = await cluster.store.load_outbound()
            held = {(r.agent, r.interaction_id) for r in stored.records if r.status == "PREVIEW"}
            assert held == taken
            for agent in agents:
                session = await cluster.store.load_session(agent.session_id)
                assert session is not None
                mine = {iid for who, iid in taken if who == session.session.username}
                assert set(session.session.interactions) == mine
        finally:
            for engine in cluster.engines:
                await engine.stop()

    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(race(Path(directory)))


async def test_a_far_end_answers_once_and_also_when_its_process_died(cluster: Cluster) -> None:
    a, b = await cluster.process(make_config(delay=5)), await cluster.process(make_config(delay=5))
    answered: list[str] = []

    def watch(topic: str, session_id: str, data: dict[str, Any]) -> None:
        if topic == "interaction" and data.get("eventType") == "ESTABLISHED":
            answered.append(session_id)

    for engine in (a, b):
        engine.notice_observers.append(watch)
    _, session = await a.login("jdoe", "secret")
    sid = session.session_id
    here = Agent(a, sid, Desktop())
    crm = await here.frame(EMBEDDER, CRM)
    first = (await here.ok(crm, "voice.dial", "5550001"))["interactionId"]
    await cluster.turns()
    assert any(key[0] == "timer" for key in b.state.timers)  # B armed it from the mirror
    await cluster.advance(6)
    assert answered == [sid]  # once, by one of the two
    assert b.session_by_id(sid).interactions[first].state == "TALKING"  # type: ignore[union-attr]

    # The process that armed the next one dies before it is due (its timers die with it).
    second = (await here.ok(crm, "voice.dial", "5550002"))["interactionId"]
    await cluster.turns()
    for timer in a.state.timers.values():
        timer.cancel()
    a.state.timers.clear()
    await cluster.advance(6)
    assert answered == [sid, sid]
    stored = await cluster.store.load_session(sid)
    assert stored is not None and stored.session.interactions[second].state == "TALKING"


async def test_two_processes_never_hand_one_campaign_record_to_two_agents(
    cluster: Cluster, tmp_path: Path
) -> None:
    """Campaigns loaded and started through different processes; two agents on two
    processes take a record at the same moment (neither has seen the other's yet): the
    second commit is refused as stale, runs again on the campaign as stored, and takes
    another record."""
    config = outbound_config(tmp_path)
    a, b = await cluster.process(config), await cluster.process(config)
    await a.outbound.command("spring", "load")
    await b.outbound.command("spring", "start")  # B takes A's load from the store
    await cluster.turns()
    assert a.outbound.view("spring")["status"] == "RUNNING"
    jdoe, asmith = await Agent.login(a), await Agent.login(b, "asmith", "secret2")
    await cluster.turns()
    on_a, on_b = await jdoe.frame("Dialer", DIALER), await asmith.frame("Dialer", DIALER)
    taken = await asyncio.gather(
        jdoe.ok(on_a, "outbound.getPreviewRecord", "spring"),
        asmith.ok(on_b, "outbound.getPreviewRecord", "spring"),
    )
    await cluster.turns()
    held = {
        engine: [
            (r["phone"], r["agent"])
            for r in engine.outbound.records("spring")
            if r["status"] == "PREVIEW"
        ]
        for engine in (a, b)
    }
    assert held[a] == held[b]  # both processes mirror the same campaign
    assert sorted(agent for _, agent in held[a]) == ["asmith", "jdoe"]
    assert len({phone for phone, _ in held[a]}) == 2  # two records, one each
    fields = [
        await jdoe.ok(on_a, "outbound.getRecordFields", taken[0]),
        await asmith.ok(on_b, "outbound.getRecordFields", taken[1]),
    ]
    assert fields[0]["name"] != fields[1]["name"]
    stored = await cluster.store.load_outbound()
    assert sorted(r.agent or "" for r in stored.records if r.status == "PREVIEW") == [
        "asmith",
        "jdoe",
    ]


async def test_a_reschedule_comes_due_once_across_processes(
    cluster: Cluster, tmp_path: Path
) -> None:
    config = outbound_config(tmp_path)
    a, b = await cluster.process(config), await cluster.process(config)
    await a.outbound.command("spring", "load")
    await a.outbound.command("spring", "start")
    jdoe = await Agent.login(a)
    frame = await jdoe.frame("Dialer", DIALER)
    iid = await jdoe.ok(frame, "outbound.getPreviewRecord", "spring")
    await jdoe.ok(frame, "outbound.callPreviewRecord", iid, 1)
    await jdoe.ok(frame, "outbound.setCallResult", iid, "Busy")
    due = datetime.fromtimestamp(cluster.clock() + 3600)
    when = f"{due.month}/{due.day}/{due.year} {due.hour}:{due.minute}"
    await jdoe.ok(frame, "outbound.rescheduleRecord", iid, 1, when, "Campaign")
    await jdoe.subscribe(frame, "outbound")
    await cluster.turns()
    armed = [e for e in (a, b) if any(k[0] == "outbound" for k in e.state.timers)]
    assert armed == [a, b]  # B armed it from A's message
    await cluster.advance(3700)
    assert jdoe.desktop.event_types(frame.record.frame_id, "outbound") == ["RECORD_DUE"]


async def test_campaign_changes_missed_on_the_bus_are_taken_from_the_store(
    cluster: Cluster, tmp_path: Path
) -> None:
    config = outbound_config(tmp_path)
    a, b = await cluster.process(config), await cluster.process(config)
    await b.bus.close()  # B hears nothing for a while
    await a.outbound.command("spring", "load")
    await cluster.turns()
    assert b.outbound.book.campaigns == {}
    await b.runner.refresh()  # its look every 2 s
    assert b.outbound.view("spring")["status"] == "LOADED"
    assert len(b.outbound.records("spring")) == 4
    # A message after a gap is not applied over it: the state is taken whole instead.
    version = b.commits.outbound_version
    b.outbound.take_remote(
        {
            "version": version + 5,
            "campaigns": [],
            "unloaded": ["spring"],
            "records": [],
            "doNotCall": {},
        }
    )
    await cluster.turns()
    assert b.outbound.view("spring")["status"] == "LOADED"
    assert b.commits.outbound_version == version


async def test_a_big_campaign_load_is_read_from_the_store_by_the_others(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbound_module, "RECORDS_SENT_MAX", 2)  # spring has 4 records
    config = outbound_config(tmp_path)
    a, b = await cluster.process(config), await cluster.process(config)
    sent: list[Any] = []
    publish = a.bus.publish

    def watched(message: dict[str, Any]) -> None:
        sent.append(message.get("outbound"))
        publish(message)

    a.bus.publish = watched  # type: ignore[method-assign]
    await a.outbound.command("spring", "load")
    await cluster.turns()
    assert sent == [{"version": 1, "fromStore": True}]
    assert len(b.outbound.records("spring")) == 4
    assert b.commits.outbound_version == 1


async def test_a_queued_call_is_offered_once_when_agents_on_two_processes_become_ready(
    cluster: Cluster,
) -> None:
    """Both processes see the waiting call; both agents become ready at the same moment,
    each on their process, and each process offers the call: the second commit takes an
    item that is not queued any more, is refused, and runs again on the queue as stored."""
    config = make_queue_config()
    a, b = await cluster.process(config), await cluster.process(config)
    jdoe, asmith = await Agent.login(a), await Agent.login(b, "asmith", "secret2")
    item = call_item(a, "444")
    await a.run(lambda fx: a.deliver(fx, "queue:sales", item))
    await cluster.turns()
    assert [i.item_id for i in b.queued()] == [item.item_id]
    await asyncio.gather(set_state(a, jdoe, "Ready"), set_state(b, asmith, "Ready"))
    await cluster.turns()
    offered = [
        agent.engine.session_by_id(agent.session_id).interactions  # type: ignore[union-attr]
        for agent in (jdoe, asmith)
    ]
    assert sorted(len(found) for found in offered) == [0, 1]  # one agent got it
    assert a.queued() == [] and b.queued() == [] and await cluster.store.load_queue() == []


async def test_inactivity_seen_on_another_process_keeps_the_agent_logged_in(
    cluster: Cluster,
) -> None:
    from wwe_host.api.desktop import ACTIONS

    config = make_config(extra="security.inactivity-timeout = 1")
    a, b = await cluster.process(config), await cluster.process(config)
    ended: list[str] = []
    for engine in (a, b):
        engine.notice_observers.append(
            lambda topic, sid, data: ended.append(sid) if topic == "session" else None
        )
    _, session = await a.login("jdoe", "secret")
    sid = session.session_id
    await cluster.turns()
    assert b.session_by_id(sid) is not None
    await b.bus.close()  # B misses what follows: its copy says the agent is idle since 0

    async def late() -> None:  # and its look at the store comes late too
        return None

    b.runner.refresh = late  # type: ignore[method-assign]
    cluster.clock.now += 50
    await a.agent_operation(sid, lambda call: ACTIONS["activity"](call, {}))
    await cluster.advance(20)  # past the first deadline (60 s), before the new one (110 s)
    assert await cluster.store.load_session(sid) is not None
    assert a.session_by_id(sid) is not None and ended == []
    await cluster.advance(45)  # past the new deadline: logged out, once
    assert await cluster.store.load_session(sid) is None
    assert ended == [sid]


async def test_desktop_places_are_counted_across_processes(cluster: Cluster) -> None:
    config = make_config(server="max-desktop-connections = 2")
    a, b = await cluster.process(config), await cluster.process(config)
    _, session = await a.login("jdoe", "secret")
    sid = session.session_id
    assert await a.desktop_place(sid, "tab-1")
    assert await b.desktop_place(sid, "tab-2")
    assert not await b.desktop_place(sid, "tab-3")  # two places, on two processes
    assert await a.desktop_place(sid, "tab-1")  # renewing keeps it
    await a.desktop_left(sid, "tab-1")
    assert await b.desktop_place(sid, "tab-3")
    await cluster.advance(91)  # tab-2's and tab-3's processes went quiet: leases ended
    assert await a.desktop_place(sid, "tab-4") and await a.desktop_place(sid, "tab-5")


async def test_one_tab_leads_across_processes_and_a_dead_leaders_lease_passes(
    cluster: Cluster,
) -> None:
    from wwe_host.core.tabs import LEAD_SECONDS
    from wwe_host.domain.tabs import FOLLOWING, LEADING

    a, b = await cluster.process(), await cluster.process()
    _, session = await a.login("jdoe", "secret")
    sid = session.session_id
    await cluster.turns()
    await a.tabs.join(sid, "t1")
    await b.tabs.join(sid, "t2")  # a tab on the other process: one leader for both
    await cluster.advance(1)
    assert (a.tabs.states(sid), b.tabs.states(sid)) == ({"t1": LEADING}, {"t2": FOLLOWING})
    await a.tabs.leave(sid, "t1")  # the leader goes: B's tab takes over at B's next look
    await cluster.advance(1)
    assert b.tabs.states(sid) == {"t2": LEADING}
    await a.tabs.join(sid, "t3")
    assert a.tabs.states(sid) == {"t3": FOLLOWING}
    cluster.engines.remove(b)  # B's process dies: its lease is no longer renewed
    await cluster.advance(LEAD_SECONDS + 1)
    assert a.tabs.states(sid) == {"t3": LEADING}
    cluster.engines.append(b)  # (stopped by the fixture)
