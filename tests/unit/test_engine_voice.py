"""Voice through the engine: calls, their events in order, recording, mute, internal calls."""

from __future__ import annotations

from pathlib import Path

from engine_support import CRM, DIALER, Agent, advance, make_config, started_engine


async def state_of(agent: Agent, frame: object, interaction_id: str) -> str:
    data = await agent.ok(frame, "interaction.getByInteractionId", interaction_id)  # type: ignore[arg-type]
    return str(data["state"])


async def test_outbound_call_lifecycle_and_event_order(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    await agent.subscribe(dialer, "interaction")
    result = await agent.ok(dialer, "voice.dial", "5559999", {"Key1": "v1"})
    iid = result["interactionId"]
    assert iid == "1"
    crm = await agent.frame("CRM", CRM, iid)
    await agent.subscribe(crm, "interaction")
    assert await state_of(agent, crm, iid) == "DIALING"
    await advance(engine, 0.05)  # the far end answers after sim.voice.answer-delay
    assert await state_of(agent, crm, iid) == "TALKING"
    await agent.ok(crm, "voice.hold", iid)
    await agent.ok(crm, "voice.resume", iid)
    await agent.ok(crm, "voice.startCallRecording", iid)
    await agent.ok(crm, "voice.pauseCallRecording", iid)
    await agent.ok(crm, "voice.resumeCallRecording", iid)
    await agent.ok(crm, "voice.stopCallRecording", iid)
    await agent.ok(crm, "voice.hangUp", iid)
    await agent.ok(crm, "interaction.markdone", iid)
    types = [
        t for t in agent.desktop.event_types(dialer.record.frame_id) if not t.startswith("CASE_")
    ]
    assert types == [
        "ADDED",
        "DIALING",
        "ESTABLISHED",
        "HELD",
        "ESTABLISHED",
        "CALL_RECORDING_STATE_CHANGED",
        "CALL_RECORDING_STATE_CHANGED",
        "CALL_RECORDING_STATE_CHANGED",
        "CALL_RECORDING_STATE_CHANGED",
        "RELEASED",
        "REMOVED",
    ]
    added = agent.desktop.events_for(dialer.record.frame_id, "interaction")[0]["data"]
    call = added["interaction"]
    assert added["media"] == "voice"
    assert call["direction"] == "OUT" and call["callType"] == "OUTBOUND"
    assert call["dnis"] == "5559999" and call["ani"] == "5001"
    assert call["userData"] == {"Key1": "v1"}
    assert call["state"] == "DIALING" and call["previousState"] == "UNKNOWN"
    assert call["recordingState"] == "STOPPED"
    assert call["isCaseSelected"] is True
    await engine.stop()


async def test_invalid_transitions_name_the_state(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra="", delay=5))
    agent = await Agent.login(engine)
    crm_tab = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(crm_tab, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await agent.frame("CRM", CRM, iid)
    reply = await agent.fails(crm, "voice.hold", iid)
    assert reply["errorCode"] == "INVALID_STATE"
    assert reply["errorMessage"] == f"Cannot hold interaction '{iid}': it is DIALING."
    reply = await agent.fails(crm, "voice.startCallRecording", iid)
    assert reply["errorCode"] == "INVALID_STATE"
    reply = await agent.fails(crm, "interaction.markdone", iid)
    assert reply["errorCode"] == "INVALID_STATE"
    reply = await agent.fails(crm, "voice.hold", "42")
    assert reply["errorCode"] == "NOT_FOUND"
    assert "42" in reply["errorMessage"]
    await engine.stop()


async def test_busy_and_noanswer(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    tab = await agent.frame("Dialer", DIALER)
    busy = (await agent.ok(tab, "voice.dial", "busy-1"))["interactionId"]
    never = (await agent.ok(tab, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await agent.frame("CRM", CRM, busy)
    await advance(engine, 0.05)
    assert await state_of(agent, crm, busy) == "IDLE"
    await advance(engine, 3600)
    assert await state_of(agent, crm, never) == "DIALING"
    await engine.stop()


async def test_internal_call_between_agents(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    caller = await Agent.login(engine)
    callee = await Agent.login(engine, "asmith", "secret2")
    caller_tab = await caller.frame("Dialer", DIALER)
    iid = (await caller.ok(caller_tab, "voice.dial", "5002"))["interactionId"]
    ring = next(iter(callee.session.interactions.values()))
    assert ring.state == "RINGING" and ring.call_type == "INTERNAL" and ring.ani == "5001"
    crm = await callee.frame("CRM", CRM, ring.interaction_id)
    await callee.ok(crm, "voice.answer", ring.interaction_id)
    assert caller.session.interactions[iid].state == "TALKING"
    await callee.ok(crm, "voice.hangUp", ring.interaction_id)
    assert caller.session.interactions[iid].state == "IDLE"
    await engine.stop()


async def test_hang_up_a_ringing_call_rejects_it(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    caller = await Agent.login(engine)
    callee = await Agent.login(engine, "asmith", "secret2")
    tab = await caller.frame("Dialer", DIALER)
    iid = (await caller.ok(tab, "voice.dial", "5002"))["interactionId"]
    ring = next(iter(callee.session.interactions.values()))
    crm = await callee.frame("CRM", CRM, ring.interaction_id)
    await callee.ok(crm, "voice.hangUp", ring.interaction_id)
    assert ring.state == "IDLE"
    assert caller.session.interactions[iid].state == "IDLE"
    await engine.stop()


async def test_microphone_and_speaker_with_sip_endpoint_aliases(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    tab = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(tab, "voice.dial", "noanswer-1"))["interactionId"]
    crm_like = await agent.frame("CRM", CRM, iid)
    reply = await agent.fails(tab, "voice.isMicrophoneMute")
    assert reply["errorCode"] == "NOT_ALLOWED"
    assert await agent.ok(crm_like, "voice.isMicrophoneMute") is False
    await agent.ok(crm_like, "sipEndpoint.muteMicrophone")
    assert await agent.ok(crm_like, "voice.isMicrophoneMute") is True
    assert await agent.ok(crm_like, "sipEndpoint.isMicrophoneMute") is True
    await agent.ok(crm_like, "voice.unmuteMicrophone")
    assert await agent.ok(crm_like, "sipEndpoint.isMicrophoneMute") is False
    await agent.ok(crm_like, "voice.muteSpeaker")
    assert await agent.ok(crm_like, "sipEndpoint.isSpeakerMute") is True
    await agent.ok(crm_like, "sipEndpoint.unmuteSpeaker")
    assert await agent.ok(crm_like, "voice.isSpeakerMute") is False
    await engine.stop()
