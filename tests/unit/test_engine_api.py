"""agent, media, interaction, email and system requests through the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine_support import CRM, DIALER, NOTES, Agent, make_config, started_engine

from wwe_host import catalog
from wwe_host.api import HANDLERS


def test_every_handler_is_a_request_of_the_catalog() -> None:
    # The catalog also names requests not built yet (api-9.md): they answer UNKNOWN_REQUEST.
    assert set(HANDLERS) <= set(catalog.REQUESTS)
    for alias, target in catalog.ALIASES.items():
        assert catalog.canonical(alias) == target


async def crm_frame(agent: Agent) -> tuple[Any, str]:
    dialer = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    return await agent.frame("CRM", CRM, iid), iid


async def test_agent_and_media_states(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, _ = await crm_frame(agent)
    await agent.subscribe(crm, "agent", "media")
    me = await agent.ok(crm, "agent.get")
    assert me == {
        "employeeId": "1001",
        "firstname": "John",
        "lastname": "Doe",
        "username": "jdoe",
        "roles": ["ROLE_AGENT", "ROLE_ADMIN"],
    }
    states = await agent.ok(crm, "agent.getStateList")
    names = [s["operationName"] for s in states]
    assert names == [
        "Ready",
        "NotReady",
        "NotReadyReason.Break",
        "NotReadyReason.Lunch",
        "AfterCallWork",
        "Dnd",
        "LogOff",
    ]
    assert states[2] == {
        "type": "NOT_READY_ACTION_CODE",
        "displayName": "Not Ready \u2013 Break",
        "operationName": "NotReadyReason.Break",
        "reason": "Break",
        "reasonCode": "1511",
    }
    assert (await agent.ok(crm, "agent.getState"))["type"] == "NOT_READY"
    await agent.ok(crm, "agent.setState", "Ready")
    assert (await agent.ok(crm, "agent.getState"))["type"] == "READY"
    await agent.ok(crm, "media.setState", "email", "NotReadyReason.Lunch")
    assert (await agent.ok(crm, "agent.getState"))["type"] == "PARTIAL_READY"
    await agent.ok(crm, "agent.setState", 2)  # by index, as the vendor library allows
    state = await agent.ok(crm, "agent.getState")
    assert state["type"] == "NOT_READY_ACTION_CODE" and state["reason"] == "Break"
    bad = await agent.fails(crm, "agent.setState", "Sleeping")
    assert bad["errorCode"] == "NOT_FOUND" and "Ready, NotReady" in bad["errorMessage"]
    assert (await agent.fails(crm, "agent.setState", 99))["errorCode"] == "NOT_FOUND"
    assert (await agent.fails(crm, "agent.setState"))["errorCode"] == "INVALID_PARAMETER"
    media = await agent.ok(crm, "media.getMediaList")
    assert [m["name"] for m in media] == ["voice", "email", "chat"]
    assert media[0]["device"] == {"number": "5001"}
    assert (await agent.ok(crm, "media.getMediaByName", "chat"))["name"] == "chat"
    assert (await agent.fails(crm, "media.getMediaByName", "fax"))["errorCode"] == "NOT_FOUND"
    frame_id = crm.record.frame_id
    agent_events = [m["data"] for m in agent.desktop.events_for(frame_id, "agent")]
    assert agent_events[0] == {"eventType": "STATE_CHANGED", "mediaState": "READY"}
    assert agent_events[-1] == {
        "eventType": "STATE_CHANGED",
        "mediaState": "NOT_READY_ACTION_CODE",
        "reason": "Break",
        "reasonCode": "1511",
    }
    media_events = agent.desktop.events_for(frame_id, "media")
    assert {m["data"]["media"] for m in media_events} == {"voice", "email", "chat"}
    await engine.stop()


async def test_parameters_are_validated_with_clear_messages(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    reply = await agent.fails(crm, "interaction.setUserData", iid)
    assert reply["errorCode"] == "INVALID_PARAMETER"
    assert reply["errorMessage"] == (
        "Parameter 2 'keyValues' of 'interaction.setUserData' is missing."
    )
    reply = await agent.fails(crm, "interaction.setUserData", iid, {"k": {"nested": 1}})
    assert "values must be strings, numbers or booleans" in reply["errorMessage"]
    reply = await agent.fails(crm, "voice.hold", 3.5)
    assert reply["errorMessage"].startswith("Parameter 1 'interactionId' of 'voice.hold'")
    reply = await agent.fails(crm, "email.create", "not-an-address")
    assert reply["errorCode"] == "INVALID_PARAMETER" and "not-an-address" in reply["errorMessage"]
    reply = await agent.fails(crm, "voice.dial", "12 34; rm")
    assert reply["errorCode"] == "INVALID_PARAMETER"
    reply = await agent.fails(crm, "agent.get", "extra")
    assert reply["errorCode"] == "INVALID_PARAMETER"
    bad = await engine.handle(crm, {"request": "agent.get", "parameters": "x", "referenceId": 1})
    assert bad is not None and bad["errorCode"] == "INVALID_PARAMETER"
    assert bad["referenceId"] == 1
    assert await engine.handle(crm, {"request": "agent.get"}) is None
    await engine.stop()


async def test_oversized_message_is_refused(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    big = '{"referenceId":"7","request":"interaction.setUserData","parameters":["%s",{"k":"%s"}]}'
    reply = await engine.handle_raw(crm, big % (iid, "x" * 70_000))
    assert reply is not None and reply["errorCode"] == "INVALID_PARAMETER"
    assert reply["referenceId"] == "7" and "65536" in reply["errorMessage"]
    assert "k" not in agent.session.interactions[iid].user_data
    assert await engine.handle_raw(crm, '{"request":"x","pad":"%s"}' % ("y" * 70_000)) is None
    assert await engine.handle_raw(crm, "not json") is None
    assert await engine.handle_raw(crm, '"a string"') is None
    await engine.stop()


async def test_cases_selection_and_events(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, first = await crm_frame(agent)
    await agent.subscribe(crm, "interaction")
    dialer = await agent.frame("Dialer", DIALER)
    second = (await agent.ok(dialer, "voice.dial", "noanswer-2"))["interactionId"]
    one = await agent.ok(crm, "interaction.getByInteractionId", first)
    two = await agent.ok(crm, "interaction.getByInteractionId", second)
    assert one["isCaseSelected"] and not two["isCaseSelected"]
    await agent.ok(crm, "interaction.selectCaseByCaseId", two["caseId"])
    events = [m["data"] for m in agent.desktop.events_for(crm.record.frame_id, "interaction")]
    case_events = [e for e in events if e["eventType"].startswith("CASE_")]
    assert case_events[-3:] == [
        {"eventType": "CASE_COLLAPSED", "selectedCaseId": one["caseId"]},
        {"eventType": "CASE_EXPANDED", "selectedCaseId": two["caseId"]},
        {"eventType": "CASE_SELECTED", "selectedCaseId": two["caseId"]},
    ]
    two = await agent.ok(crm, "interaction.getByInteractionId", second)
    assert two["isCaseSelected"] and two["isCaseExpanded"]
    missing = await agent.fails(crm, "interaction.selectCaseByCaseId", "nope")
    assert missing["errorCode"] == "NOT_FOUND"
    assert await agent.ok(crm, "interaction.getByInteractionId", "999") is None
    await engine.stop()


async def test_markdone_blocking(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    notes = await agent.frame("Notes", NOTES, iid)
    await agent.subscribe(crm, "markdone", "interaction")
    await agent.subscribe(notes, "markdone")
    await agent.ok(crm, "interaction.blockMarkdone", iid, "Fill in the disposition first.")
    await agent.ok(crm, "voice.hangUp", iid)
    refused = await agent.fails(notes, "interaction.markdone", iid)
    assert refused["errorCode"] == "MARKDONE_BLOCKED"
    assert refused["errorMessage"] == "Fill in the disposition first."
    markdone = [
        m["data"]["eventType"] for m in agent.desktop.events_for(crm.record.frame_id, "markdone")
    ]
    assert markdone == ["MARKDONE_REQUESTED", "MARKDONE_BLOCKED"]
    assert agent.desktop.events_for(notes.record.frame_id, "markdone") == []
    await agent.ok(crm, "interaction.unlockMarkdone", iid)
    await agent.ok(notes, "interaction.markdone", iid)
    assert iid not in agent.session.interactions
    assert agent.desktop.event_types(crm.record.frame_id)[-1] in ("REMOVED", "CASE_SELECTED")
    await engine.stop()


async def test_email_create_and_desktop_send(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, _ = await crm_frame(agent)
    await agent.subscribe(crm, "interaction")
    created = await agent.ok(crm, "email.create", "customer@example.com", {"Key1": "x"})
    mail = await agent.ok(crm, "interaction.getByInteractionId", created["interactionId"])
    assert mail["media"] == "email" and mail["state"] == "CREATED"
    assert mail["to"] == "customer@example.com"
    from wwe_host.api.desktop import ACTIONS

    await engine.agent_operation(
        agent.session_id,
        lambda call: ACTIONS["sendEmail"](
            call,
            {"interactionId": created["interactionId"], "subject": "Hi", "body": "Hello"},
        ),
    )
    outbox = await engine.store.outbox()
    assert outbox[-1]["to"] == "customer@example.com" and outbox[-1]["subject"] == "Hi"
    await agent.ok(crm, "interaction.markdone", created["interactionId"])
    types = agent.desktop.event_types(crm.record.frame_id)
    assert [t for t in types if t in ("CREATED", "SENT", "REMOVED")] == [
        "CREATED",
        "SENT",
        "REMOVED",
    ]
    await engine.stop()


async def test_toasts_belong_to_their_frame(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    notes = await agent.frame("Notes", NOTES, iid)
    crm2 = await agent.frame("CRM", CRM, iid)
    for frame in (crm, crm2):
        await agent.subscribe(frame, "system")
    toast_id = await agent.ok(
        crm, "system.popupToast", {"title": "<b>Hi</b>", "buttons": ["Yes", "No"]}
    )
    assert isinstance(toast_id, str)
    assert await agent.ok(crm2, "system.updateToast", toast_id, {"title": "x"}) is False
    assert await agent.ok(crm2, "system.closeToast", toast_id) is False
    assert await agent.ok(crm, "system.updateToast", toast_id, {"message": "m"}) is True
    missing = await agent.fails(crm, "system.popupToast", {"message": "no title"})
    assert "'title'" in missing["errorMessage"]
    bad_icon = await agent.fails(
        crm, "system.popupToast", {"title": "t", "iconUrl": "javascript:x"}
    )
    assert bad_icon["errorCode"] == "INVALID_PARAMETER"
    refused = await agent.fails(notes, "system.popupToast", {"title": "t"})
    assert refused["errorCode"] == "NOT_ALLOWED"
    from wwe_host.api.desktop import ACTIONS

    await engine.agent_operation(
        agent.session_id,
        lambda call: ACTIONS["toastClick"](call, {"toastId": toast_id, "buttonIndex": 1}),
    )
    clicks = agent.desktop.events_for(crm.record.frame_id, "system")
    assert [c["data"] for c in clicks] == [
        {"eventType": "CUSTOM_TOAST_BUTTON_CLICK", "customToastId": toast_id, "buttonIndex": 1}
    ]
    assert agent.desktop.events_for(crm2.record.frame_id, "system") == []
    assert toast_id not in agent.session.toasts
    await engine.stop()


async def test_subscriptions(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, _ = await crm_frame(agent)
    reply = await engine.handle(crm, {"event": "subscribe", "data": "agent", "referenceId": "1"})
    assert reply is not None
    assert reply["subscriptionId"].startswith("sub-")
    assert reply["data"] == {"topics": ["agent"]}
    assert "event" not in reply
    bad = await engine.handle(
        crm, {"event": "subscribe", "data": ["agent", "weather"], "referenceId": "2"}
    )
    assert bad is not None and "'weather'" in bad["errorMessage"]
    await agent.ok(crm, "agent.setState", "Ready")
    assert len(agent.desktop.events_for(crm.record.frame_id, "agent")) == 1
    silent = await engine.handle(crm, {"event": "unsubscribe", "data": reply["subscriptionId"]})
    assert silent is None
    await agent.ok(crm, "agent.setState", "NotReady")
    assert len(agent.desktop.events_for(crm.record.frame_id, "agent")) == 1
    await engine.stop()


async def test_trigger_activity_moves_the_deadline(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra="security.inactivity-timeout = 1"))
    agent = await Agent.login(engine)
    crm, _ = await crm_frame(agent)
    before = engine.activity_deadline(agent.session)
    assert before is not None
    agent.session.last_activity -= 30
    await agent.ok(crm, "system.triggerActivity")
    after = engine.activity_deadline(agent.session)
    assert after is not None and after >= before
    await engine.stop()


async def test_requests_without_parameters_refuse_extras(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, _ = await crm_frame(agent)
    for name in (
        "agent.get",
        "agent.getState",
        "agent.getStateList",
        "media.getMediaList",
        "interaction.getInteractions",
        "voice.isMicrophoneMute",
        "voice.isSpeakerMute",
        "system.getAllowedServices",
        "system.triggerActivity",
    ):
        reply = await agent.fails(crm, name, "surplus")
        assert reply["errorCode"] == "INVALID_PARAMETER", name
        assert f"'{name}' takes at most 0 parameter(s)" in reply["errorMessage"]
        assert "errorMessage" not in await agent.request(crm, name, None)  # a null is tolerated
    await engine.stop()
