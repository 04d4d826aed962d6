"""The simulator's own state of a call (simulator/far_ends.py): kept with the session, out
of the domain's ``Interaction``, stored and restored with it, dropped when the call ends."""

from __future__ import annotations

from pathlib import Path

import msgspec
from engine_support import CRM, DIALER, Agent, advance, make_config, started_engine

from wwe_host.domain.model import Interaction
from wwe_host.simulator.far_ends import FarEnd, far_end
from wwe_host.store.base import decode_session, encode_session

SIMULATOR_FIELDS = {"far_end", "answer_due", "peer_session", "peer_interaction"}


def test_the_domain_interaction_holds_no_simulator_state() -> None:
    assert SIMULATOR_FIELDS.isdisjoint(Interaction.__struct_fields__)


async def test_a_record_written_with_the_old_interaction_fields_still_loads(
    tmp_path: Path,
) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    tab = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(tab, "voice.dial", "noanswer-1"))["interactionId"]
    old = msgspec.json.decode(encode_session(agent.session))
    del old["backend"]
    old["interactions"][iid].update(
        far_end="answer", answer_due=12.5, peer_session=None, peer_interaction=None
    )
    loaded = decode_session(msgspec.json.encode(old))
    assert loaded.interactions[iid].state == "DIALING"
    assert loaded.backend == {}
    await engine.stop()


async def test_each_far_end_is_kept_until_the_call_ends(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(delay=5))
    caller = await Agent.login(engine)
    callee = await Agent.login(engine, "asmith", "secret2")
    tab = await caller.frame("Dialer", DIALER)
    answering = (await caller.ok(tab, "voice.dial", "5559999"))["interactionId"]
    never = (await caller.ok(tab, "voice.dial", "noanswer-1"))["interactionId"]
    internal = (await caller.ok(tab, "voice.dial", "5002"))["interactionId"]
    ring = next(iter(callee.session.interactions.values()))
    due = far_end(caller.session, answering)
    assert due is not None and due.kind == "answer" and due.answer_due == engine.now() + 5
    assert far_end(caller.session, never) == FarEnd(kind="noanswer")
    assert far_end(caller.session, internal) == FarEnd(
        kind="agent", peer_session=callee.session_id, peer_interaction=ring.interaction_id
    )
    assert far_end(callee.session, ring.interaction_id) == FarEnd(
        kind="agent", peer_session=caller.session_id, peer_interaction=internal
    )
    await advance(engine, 5)
    assert caller.session.interactions[answering].state == "TALKING"
    assert far_end(caller.session, answering) is None
    crm = await caller.frame("CRM", CRM, internal)
    await caller.ok(crm, "voice.hangUp", internal)
    assert ring.state == "IDLE"
    assert far_end(caller.session, internal) is None
    assert far_end(callee.session, ring.interaction_id) is None
    assert set(caller.session.backend) == {never}
    await engine.stop()


async def test_an_internal_call_still_links_its_two_legs_after_a_restart(tmp_path: Path) -> None:
    config = make_config()
    engine = await started_engine(tmp_path, config)
    caller = await Agent.login(engine)
    await Agent.login(engine, "asmith", "secret2")
    tab = await caller.frame("Dialer", DIALER)
    iid = (await caller.ok(tab, "voice.dial", "5002"))["interactionId"]
    await engine.stop()
    fresh = await started_engine(tmp_path, config)
    [callee_session, caller_session] = sorted(fresh.sessions(), key=lambda s: s.username)
    assert caller_session.username == "jdoe"
    ring = next(iter(callee_session.interactions.values()))
    answered = Agent(fresh, callee_session.session_id, caller.desktop)
    crm = await answered.frame("CRM", CRM, ring.interaction_id)
    await answered.ok(crm, "voice.answer", ring.interaction_id)
    assert caller_session.interactions[iid].state == "TALKING"
    await fresh.stop()
