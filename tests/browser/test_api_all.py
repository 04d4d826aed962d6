"""Every request of api.md, sent from a real cross-origin iframe, with its events.

Two agents: X dials Y from X's workspace tab (click-to-dial), which rings Y; Y's
interaction-level ``CRM`` frame (origin ``a``, every request allowed) then runs through
the whole API, and Y's workspace tab (subscribed before the call) checks the order of the
call's lifecycle events.
"""

from __future__ import annotations

import pytest
from browser_support import (
    call,
    event_count,
    events,
    fails,
    ok,
    open_desktop,
    section_frame,
    subscribe,
    wait_event,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ALL_REQUESTS = [
    "agent.get",
    "agent.getState",
    "agent.getStateList",
    "agent.setState",
    "auth.getJwtToken",
    "configuration.getOption",
    "email.create",
    "interaction.accept",
    "interaction.blockMarkdone",
    "interaction.completeConference",
    "interaction.completeTransfer",
    "interaction.consult",
    "interaction.deleteUserData",
    "interaction.getByInteractionId",
    "interaction.getInteractions",
    "interaction.markdone",
    "interaction.reject",
    "interaction.selectCaseByCaseId",
    "interaction.setUserData",
    "interaction.singleStepConference",
    "interaction.singleStepTransfer",
    "interaction.unblockMarkdone",
    "media.getMediaByName",
    "media.getMediaList",
    "media.setState",
    "messenger.broadcastMessage",
    "outbound.callPreviewRecord",
    "outbound.cancelPreviewRecord",
    "outbound.cancelReschedule",
    "outbound.getCallResult",
    "outbound.getCampaigns",
    "outbound.getChainedRecords",
    "outbound.getListOfCallResults",
    "outbound.getPreviewRecord",
    "outbound.getRecordFields",
    "outbound.rejectPreviewRecord",
    "outbound.removeDoNotCall",
    "outbound.rescheduleRecord",
    "outbound.setCallResult",
    "outbound.setDoNotCall",
    "outbound.startDirectPushPreview",
    "outbound.stopDirectPushPreview",
    "outbound.updateRecordFields",
    "system.amIVisible",
    "system.closeDialog",
    "system.closeToast",
    "system.closeViewInApplicationMenuBar",
    "system.getAllowedServices",
    "system.isFrameFollowing",
    "system.isFrameLeading",
    "system.isFrameLeadingOrNegotiating",
    "system.isFrameNegotiating",
    "system.isLastActiveFrame",
    "system.openDialog",
    "system.popupToast",
    "system.triggerActivity",
    "system.updateToast",
    "system.updateViewInApplicationMenuBar",
    "voice.answer",
    "voice.dial",
    "voice.dialEx",
    "voice.hangUp",
    "voice.hold",
    "voice.isMicrophoneMute",
    "voice.isSpeakerMute",
    "voice.muteMicrophone",
    "voice.muteSpeaker",
    "voice.pauseCallRecording",
    "voice.resume",
    "voice.resumeCallRecording",
    "voice.startCallRecording",
    "voice.stopCallRecording",
    "voice.unmuteMicrophone",
    "voice.unmuteSpeaker",
]


def test_every_request_and_its_events(new_context, server, fresh_agent):
    x_name, x_password, x_number = fresh_agent()
    y_name, y_password, y_number = fresh_agent()
    x = open_desktop(new_context(), server, x_name, x_password)
    y = open_desktop(new_context(), server, y_name, y_password)

    # Y's workspace tab watches every interaction event from before the call.
    watcher = section_frame(y, "Dialer")
    subscribe(watcher, "interaction")

    # X dials Y from X's click-to-dial tab: X gets interaction "1", Y's phone rings.
    assert ok(section_frame(x, "Dialer"), "voice.dial", y_number) == {"interactionId": "1"}
    wait_event(watcher, "interaction", "RINGING", "1")

    crm = section_frame(y, "CRM", "1")
    subscribe(crm, "agent", "media", "interaction", "system", "markdone")

    # --- agent -------------------------------------------------------------------------
    assert ok(crm, "agent.get") == {
        "employeeId": f"E{y_number}",
        "firstname": f"First{y_name}",
        "lastname": f"Last{y_name}",
        "username": y_name,
        "roles": ["ROLE_AGENT"],
    }
    states = ok(crm, "agent.getStateList")
    assert [s["operationName"] for s in states] == [
        "Ready",
        "NotReady",
        "NotReadyReason.Break",
        "NotReadyReason.Lunch",
        "AfterCallWork",
        "Dnd",
        "LogOff",
    ]
    assert states[2]["type"] == "NOT_READY_ACTION_CODE"
    assert (states[2]["reason"], states[2]["reasonCode"]) == ("Break", "1511")
    assert ok(crm, "agent.getState")["type"] == "NOT_READY"

    mark = event_count(crm)
    assert ok(crm, "agent.setState", "Ready") is None
    assert wait_event(crm, "agent", "STATE_CHANGED", after=mark)["data"]["mediaState"] == "READY"
    media_event = wait_event(crm, "media", "STATE_CHANGED", after=mark)
    assert media_event["data"]["state"]["type"] == "READY"
    assert ok(crm, "agent.getState")["type"] == "READY"

    unknown = fails(crm, "agent.setState", "Bogus", code="NOT_FOUND")
    assert "Bogus" in unknown["errorMessage"] and "Ready" in unknown["errorMessage"]

    mark = event_count(crm)
    assert ok(crm, "agent.setState", 2) is None  # an index into the list (vendor style)
    changed = wait_event(crm, "agent", "STATE_CHANGED", after=mark)["data"]
    assert changed["mediaState"] == "NOT_READY_ACTION_CODE"
    assert (changed["reason"], changed["reasonCode"]) == ("Break", "1511")

    # --- media -------------------------------------------------------------------------
    media = ok(crm, "media.getMediaList")
    assert [m["name"] for m in media] == ["voice", "email", "chat"]
    assert media[0]["device"]["number"] == y_number
    assert ok(crm, "media.getMediaByName", "email")["name"] == "email"
    fails(crm, "media.getMediaByName", "fax", code="NOT_FOUND")

    mark = event_count(crm)
    assert ok(crm, "media.setState", "email", "Ready") is None
    email_state = wait_event(crm, "media", "STATE_CHANGED", after=mark)["data"]
    assert email_state["media"] == "email" and email_state["state"]["type"] == "READY"
    assert (
        wait_event(crm, "agent", "STATE_CHANGED", after=mark)["data"]["mediaState"]
        == "PARTIAL_READY"
    )
    assert ok(crm, "agent.getState")["type"] == "PARTIAL_READY"

    # --- interaction reads -------------------------------------------------------------
    listed = ok(crm, "interaction.getInteractions")
    assert [i["interactionId"] for i in listed] == ["1"]
    ringing = listed[0]
    assert (ringing["media"], ringing["state"], ringing["direction"]) == ("voice", "RINGING", "IN")
    assert ringing["ani"] == x_number and ringing["dnis"] == y_number
    assert ok(crm, "interaction.getByInteractionId", "1")["callUuid"] == ringing["callUuid"]
    assert ok(crm, "interaction.getByInteractionId", "999") is None
    case_id = ringing["caseId"]

    # --- voice: answer, hold, resume, recording ----------------------------------------
    refused = fails(crm, "voice.hold", "1", code="INVALID_STATE")
    assert refused["errorMessage"] == "Cannot hold interaction '1': it is RINGING."

    for request, event_type, state in [
        ("voice.answer", "ESTABLISHED", "TALKING"),
        ("voice.hold", "HELD", "HELD"),
        ("voice.resume", "ESTABLISHED", "TALKING"),
    ]:
        mark = event_count(crm)
        assert ok(crm, request, "1") is None
        event = wait_event(crm, "interaction", event_type, "1", after=mark)
        assert event["data"]["interaction"]["state"] == state
        assert event["data"]["media"] == "voice"

    for request, recording in [
        ("voice.startCallRecording", "RECORDING"),
        ("voice.pauseCallRecording", "PAUSED"),
        ("voice.resumeCallRecording", "RECORDING"),
        ("voice.stopCallRecording", "STOPPED"),
    ]:
        mark = event_count(crm)
        assert ok(crm, request, "1") is None
        event = wait_event(crm, "interaction", "CALL_RECORDING_STATE_CHANGED", "1", after=mark)
        assert event["data"]["interaction"]["recordingState"] == recording
    fails(crm, "voice.pauseCallRecording", "1", code="INVALID_STATE")

    # --- attached data -----------------------------------------------------------------
    mark = event_count(crm)
    assert ok(crm, "interaction.setUserData", "1", {"PubKey": "v1", "Disposition": "Sale"}) is None
    event = wait_event(crm, "interaction", "ATTACHED_DATA_CHANGED", "1", after=mark)
    assert event["data"]["interaction"]["userData"] == {"PubKey": "v1", "Disposition": "Sale"}
    refused = fails(
        crm,
        "interaction.setUserData",
        "1",
        {"Forbidden": "x", "PubOk": "y"},
        code="USER_DATA_NOT_ALLOWED",
    )
    assert "Forbidden" in refused["errorMessage"]
    assert "PubOk" not in ok(crm, "interaction.getByInteractionId", "1")["userData"]

    mark = event_count(crm)
    assert ok(crm, "interaction.deleteUserData", "1", "PubKey") is None
    event = wait_event(crm, "interaction", "ATTACHED_DATA_CHANGED", "1", after=mark)
    assert event["data"]["interaction"]["userData"] == {"Disposition": "Sale"}
    assert ok(crm, "interaction.deleteUserData", "1", "PubAbsent") is None
    fails(crm, "interaction.deleteUserData", "1", "Forbidden", code="USER_DATA_NOT_ALLOWED")

    # --- e-mail and cases --------------------------------------------------------------
    fails(crm, "email.create", "not-an-address", code="INVALID_PARAMETER")
    mark = event_count(crm)
    assert ok(crm, "email.create", "customer@example.com", {"PubSource": "crm"}) == {
        "interactionId": "2"
    }
    added = wait_event(crm, "interaction", "ADDED", "2", after=mark)["data"]
    assert added["media"] == "email"
    assert added["interaction"]["state"] == "CREATED"
    assert added["interaction"]["to"] == "customer@example.com"

    mark = event_count(crm)
    assert ok(crm, "interaction.selectCaseByCaseId", case_id) is None
    selected = wait_event(crm, "interaction", "CASE_SELECTED", after=mark)["data"]
    assert selected["selectedCaseId"] == case_id
    assert wait_event(crm, "interaction", "CASE_EXPANDED", after=mark)["data"][
        "selectedCaseId"
    ] == (case_id)
    fails(crm, "interaction.selectCaseByCaseId", "no-such-case", code="NOT_FOUND")

    # --- microphone and speaker (both spellings) ---------------------------------------
    assert ok(crm, "voice.isMicrophoneMute") is False
    assert ok(crm, "voice.muteMicrophone") is None
    assert ok(crm, "sipEndpoint.isMicrophoneMute") is True
    assert ok(crm, "sipEndpoint.unmuteMicrophone") is None
    assert ok(crm, "voice.isMicrophoneMute") is False
    assert ok(crm, "sipEndpoint.muteMicrophone") is None
    assert ok(crm, "voice.unmuteMicrophone") is None
    # voice.isSpeakerMute is limited to 3 a minute in this configuration: 3 calls here.
    assert ok(crm, "voice.isSpeakerMute") is False
    assert ok(crm, "voice.muteSpeaker") is None
    assert ok(crm, "sipEndpoint.isSpeakerMute") is True
    assert ok(crm, "sipEndpoint.unmuteSpeaker") is None
    assert ok(crm, "sipEndpoint.muteSpeaker") is None
    assert ok(crm, "voice.unmuteSpeaker") is None
    assert ok(crm, "voice.isSpeakerMute") is False

    # --- system ------------------------------------------------------------------------
    assert sorted(ok(crm, "system.getAllowedServices")) == ALL_REQUESTS
    assert ok(crm, "system.triggerActivity") is None
    toast_id = ok(crm, "system.popupToast", {"title": "Hello from CRM", "buttons": ["OK"]})
    assert isinstance(toast_id, str) and toast_id
    toasts = y.get_by_role("region", name="Notifications")
    expect(toasts.get_by_text("Hello from CRM")).to_be_visible()
    assert ok(crm, "system.updateToast", toast_id, {"title": "Updated by CRM"}) is True
    expect(toasts.get_by_text("Updated by CRM")).to_be_visible()
    assert ok(crm, "system.updateToast", "no-such-toast", {"title": "x"}) is False
    fails(crm, "system.popupToast", {"message": "no title"}, code="INVALID_PARAMETER")
    assert ok(crm, "system.closeToast", toast_id) is True
    expect(toasts.get_by_text("Updated by CRM")).to_have_count(0)
    assert ok(crm, "system.closeToast", toast_id) is False

    fails(crm, "no.suchRequest", code="UNKNOWN_REQUEST")
    fails(crm, "agent.get", "extra", code="INVALID_PARAMETER")

    # --- outbound call from the frame, with attached data ------------------------------
    fails(crm, "voice.dial", "5550101", {"Forbidden": "x"}, code="USER_DATA_NOT_ALLOWED")
    mark = event_count(crm)
    assert ok(crm, "voice.dial", "5550100", {"PubCampaign": "Spring"}) == {"interactionId": "3"}
    dialing = wait_event(crm, "interaction", "DIALING", "3", after=mark)["data"]["interaction"]
    assert dialing["direction"] == "OUT" and dialing["dnis"] == "5550100"
    assert dialing["userData"] == {"PubCampaign": "Spring"}
    wait_event(crm, "interaction", "ESTABLISHED", "3", after=mark)
    assert ok(crm, "interaction.getByInteractionId", "3")["state"] == "TALKING"

    # --- hang up, mark done blocked and unblocked --------------------------------------
    fails(crm, "interaction.markdone", "1", code="INVALID_STATE")  # still talking
    mark = event_count(crm)
    assert ok(crm, "voice.hangUp", "1") is None
    released = wait_event(crm, "interaction", "RELEASED", "1", after=mark)["data"]["interaction"]
    assert released["state"] == "IDLE"
    fails(crm, "interaction.setUserData", "1", {"PubLate": "x"}, code="INVALID_STATE")

    assert ok(crm, "interaction.blockMarkdone", "1", "Fill in the disposition first") is None
    blocked = fails(crm, "interaction.markdone", "1", code="MARKDONE_BLOCKED")
    assert blocked["errorMessage"] == "Fill in the disposition first"
    assert ok(crm, "interaction.unblockMarkdone", "1") is None
    assert ok(crm, "interaction.blockMarkdone", "1", "Blocked again") is None
    fails(crm, "interaction.markdone", "1", code="MARKDONE_BLOCKED")
    assert ok(crm, "interaction.unlockMarkdone", "1") is None  # the guide's other spelling

    # Every message the CRM frame received obeyed the wire format of protocol.md.
    raw = crm.evaluate("() => T.raw")
    assert len(raw) > 50
    for message in raw:
        data = message["data"]
        assert message["origin"] == server.url
        assert data["userAgent"] == "WWE Server" and data["protocolVersion"] == 2, data
        if "event" in data:
            assert "referenceId" not in data and "eventType" in data["data"], data
        elif "referenceId" in data:
            assert "request" in data and ("data" in data or "errorMessage" in data), data
            assert ("errorMessage" in data) == ("errorCode" in data), data
        else:
            assert set(data) == {"frameId", "userAgent", "protocolVersion"}, data

    # Mark done from another frame (interaction 3's CRM): interaction 1 goes away.
    crm3 = section_frame(y, "CRM", "3")
    assert ok(crm3, "interaction.markdone", "1") is None
    wait_event(watcher, "interaction", "REMOVED", "1")
    expect(y.locator('iframe[data-section="CRM"]')).to_have_count(2)  # interactions 2 and 3
    assert [i["interactionId"] for i in ok(crm3, "interaction.getInteractions")] == ["2", "3"]
    assert ok(crm3, "voice.hangUp", "3") is None

    # The lifecycle of call 1 as Y's workspace tab saw it, in order.
    lifecycle = {"ADDED", "RINGING", "DIALING", "ESTABLISHED", "HELD", "RELEASED", "REMOVED"}
    seen = [
        e["data"]["eventType"]
        for e in events(watcher)
        if e["data"].get("interaction", {}).get("interactionId") == "1"
        and e["data"]["eventType"] in lifecycle
    ]
    assert seen == ["ADDED", "RINGING", "ESTABLISHED", "HELD", "ESTABLISHED", "RELEASED", "REMOVED"]

    # X's side of the internal call went through too.
    x_dialer_reply = call(section_frame(x, "CRM", "1"), "interaction.getByInteractionId", "1")
    assert x_dialer_reply["ok"] and x_dialer_reply["data"]["state"] == "IDLE"
