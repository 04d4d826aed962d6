"""A new engine on the same SQLite file restores everything a reply acknowledged."""

from __future__ import annotations

from pathlib import Path

from engine_support import CRM, DIALER, Agent, Desktop, advance, make_config, started_engine

from wwe_host.core.time import ManualClock, ManualScheduler


async def test_restart_restores_sessions_interactions_toasts_subscriptions(
    tmp_path: Path,
) -> None:
    config = make_config(delay=0.3)
    clock = ManualClock()
    engine = await started_engine(tmp_path, config, clock, ManualScheduler(clock))
    token, _ = await engine.login("jdoe", "secret")
    agent = Agent(engine, engine.session_for_token(token).session_id, Desktop())  # type: ignore[union-attr]
    engine.attach(agent.session_id, agent.desktop)
    dialer = await agent.frame("Dialer", DIALER)
    talking = (await agent.ok(dialer, "voice.dial", "5550001", {"Key1": "one"}))["interactionId"]
    dialing = (await agent.ok(dialer, "voice.dial", "5550002"))["interactionId"]
    crm = await agent.frame("CRM", CRM, talking)
    await agent.subscribe(crm, "agent", "interaction")
    await advance(engine, 0.5)
    await agent.ok(crm, "interaction.setUserData", talking, {"Key2": "two"})
    await agent.ok(crm, "voice.startCallRecording", talking)
    await agent.ok(crm, "agent.setState", "NotReadyReason.Lunch")
    await agent.ok(crm, "voice.muteMicrophone")
    toast = await agent.ok(crm, "system.popupToast", {"title": "Stay"})
    redial = (await agent.ok(dialer, "voice.dial", "5550003"))["interactionId"]
    # Crash: the old engine is abandoned without stop(); only committed data remains.
    for task in list(engine._tasks):
        task.cancel()
    engine.store.db.close()  # type: ignore[attr-defined]

    fresh = await started_engine(tmp_path, config, clock, ManualScheduler(clock))
    session = fresh.session_for_token(token)
    assert session is not None
    assert session.media["voice"].reason == "Lunch"
    assert session.mic_muted is True
    call = session.interactions[talking]
    assert call.state == "TALKING" and call.recording_state == "RECORDING"
    assert call.user_data == {"Key1": "one", "Key2": "two"}
    assert toast in session.toasts
    desktop = Desktop()
    fresh.attach(session.session_id, desktop)
    frame = fresh.frame(session.session_id, crm.record.frame_id)
    assert frame is not None and frame.record.subscriptions
    # the subscription still delivers, without the frame subscribing again
    again = Agent(fresh, session.session_id, desktop)
    await again.ok(frame, "agent.setState", "Ready")
    assert desktop.events_for(crm.record.frame_id, "agent")[-1]["data"]["mediaState"] == "READY"
    # a call that was dialing when the server died is answered after the restart
    assert session.interactions[redial].state == "DIALING"
    await advance(fresh, 0.3)
    assert session.interactions[redial].state == "TALKING"
    assert session.interactions[dialing].state == "TALKING"
    # new ids continue where they stopped
    new = (await again.ok(frame, "voice.dial", "noanswer-9"))["interactionId"]
    assert int(new) == int(redial) + 1
    await fresh.stop()


async def test_logout_and_inactivity_end_the_session(tmp_path: Path) -> None:
    config = make_config(extra="security.inactivity-timeout = 0.01")  # 0.6 s
    engine = await started_engine(tmp_path, config)
    agent = await Agent.login(engine)
    assert engine.activity_deadline(agent.session) is not None
    await advance(engine, 0.5)
    assert engine.session_by_id(agent.session_id) is not None
    await advance(engine, 1.0)  # deadlines are looked at once a second
    assert engine.session_by_id(agent.session_id) is None
    assert ("session", {"ended": "inactivity"}) in agent.desktop.ui_events
    await engine.stop()
    restarted = await started_engine(tmp_path, config)
    assert restarted.sessions() == []
    await restarted.stop()
