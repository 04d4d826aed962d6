"""messenger.broadcastMessage (api-9.md): to every other frame of the same agent subscribed
to the channel, in every desktop tab; never the sender, never another agent's frames."""

from __future__ import annotations

from pathlib import Path

from engine_support import CRM, DIALER, NOTES, Agent, Desktop, make_config, started_engine

CONFIG = "service-client-api.workspace-web-content.dial-only = false"


async def test_broadcast_reaches_the_other_subscribed_frames_of_the_agent(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=CONFIG))
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await agent.frame("CRM", CRM, iid)
    notes = await agent.frame("Notes", NOTES, iid)
    # A second desktop tab of the same agent, with its own frame.
    second_tab = Desktop()
    engine.attach(agent.session_id, second_tab)
    other_tab_frame = await agent.frame("CRM", CRM, iid)
    other = await Agent.login(engine, "asmith", "secret2")
    stranger = await other.frame("Dialer", DIALER)
    for frame in (dialer, crm, other_tab_frame):
        await agent.subscribe(frame, "messenger:orders")
    await agent.subscribe(notes, "messenger:other-channel")
    await other.subscribe(stranger, "messenger:orders")

    message = {"order": 17, "lines": ["a", "b"], "nested": {"interaction": None}}
    reached = await agent.ok(crm, "messenger.broadcastMessage", "orders", message)

    assert reached == 2
    expected = {
        "event": "messenger:orders",
        "data": message,
        "userAgent": "WWE Server",
        "protocolVersion": 2,
    }
    assert agent.desktop.events_for(dialer.record.frame_id, "messenger:orders") == [expected]
    # Both tabs get the message for the frame of the second tab (each relays its own).
    assert second_tab.events_for(other_tab_frame.record.frame_id, "messenger:orders") == [expected]
    assert agent.desktop.events_for(crm.record.frame_id) == []  # never the sender
    assert agent.desktop.events_for(notes.record.frame_id) == []  # another channel
    assert other.desktop.frames == []  # never another agent's frames
    # Frames only: the desktop's own UI is not told.
    assert not [kind for kind, _ in agent.desktop.ui_events if kind.startswith("messenger")]
    await engine.stop()


async def test_any_json_message_and_no_subscriber(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=CONFIG))
    agent = await Agent.login(engine)
    sender = await agent.frame("Dialer", DIALER)
    receiver = await agent.frame("Dialer", DIALER)
    assert await agent.ok(sender, "messenger.broadcastMessage", "c", "text") == 0
    await agent.subscribe(receiver, "messenger:c")
    for message in ("text", 12.5, [1, "x"], None, True):
        assert await agent.ok(sender, "messenger.broadcastMessage", "c", message) == 1
    assert await agent.ok(sender, "messenger.broadcastMessage", "c") == 1
    got = [m["data"] for m in agent.desktop.events_for(receiver.record.frame_id, "messenger:c")]
    assert got == ["text", 12.5, [1, "x"], None, True, None]
    await engine.stop()


async def test_channel_names_are_checked(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=CONFIG))
    agent = await Agent.login(engine)
    frame = await agent.frame("Dialer", DIALER)
    assert await agent.ok(frame, "messenger.broadcastMessage", "a.B_9-" + "x" * 58, 1) == 0
    for channel, shown in (
        ("", "''"),
        ("has space", "'has space'"),
        ("x" * 65, "'" + "x" * 65 + "'"),
        ("caf\u00e9", "'caf\u00e9'"),
        (None, "null"),
        (7, "number"),
    ):
        reply = await agent.fails(frame, "messenger.broadcastMessage", channel, {})
        assert reply["errorCode"] == "INVALID_PARAMETER"
        assert reply["errorMessage"] == (
            "Parameter 1 'channel' of 'messenger.broadcastMessage' must be 1 to 64 letters, "
            f"digits, '.', '_' or '-'; got {shown}."
        )
    reply = await agent.fails(frame, "messenger.broadcastMessage", "c", 1, "extra")
    assert reply["errorCode"] == "INVALID_PARAMETER"
    # A topic of a channel no broadcast can name is refused at subscribe.
    refused = await engine.handle(
        frame, {"event": "subscribe", "data": ["messenger:bad name"], "referenceId": "s"}
    )
    assert refused is not None and refused["errorCode"] == "INVALID_PARAMETER"
    assert "'messenger:bad name'" in refused["errorMessage"]
    await engine.stop()


async def test_origin_filter_applies(tmp_path: Path) -> None:
    origins = f"{CRM} (agent.*), {DIALER} (messenger.*, voice.dial)"
    engine = await started_engine(tmp_path, make_config(origins=origins, extra=CONFIG))
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await agent.frame("CRM", CRM, iid)
    await agent.subscribe(crm, "messenger:c")
    refused = await agent.fails(crm, "messenger.broadcastMessage", "c", 1)
    assert refused["errorCode"] == "NOT_ALLOWED"
    # Subscribing is not filtered: the CRM frame may listen, only the dialer may send.
    assert await agent.ok(dialer, "messenger.broadcastMessage", "c", 1) == 1
    await engine.stop()
