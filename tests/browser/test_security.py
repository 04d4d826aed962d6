"""The security policy as a real browser sees it: origins, filters, click-to-dial tabs, the
rate limit with its silent quarantine, and attached-data read filtering."""

from __future__ import annotations

import json
import time

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
    wait_ready,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def not_allowed(origin: str, request: str) -> str:
    return f"The origin '{origin}' is not allowed to use the request '{request}'."


def start_call(page, destination: str = "5550001", user_data: dict | None = None) -> None:
    """Dial from the click-to-dial workspace tab: creates interaction "1" and its frames."""
    dialer = section_frame(page, "Dialer")
    params = [destination] if user_data is None else [destination, user_data]
    assert ok(dialer, "voice.dial", *params) == {"interactionId": "1"}


def test_two_origins_two_filters(context, server, pages, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    start_call(page)
    crm = section_frame(page, "CRM", "1")
    notes = section_frame(page, "Notes", "1")
    assert crm.url.startswith(pages.a + "/") and notes.url.startswith(pages.b + "/")

    # Origin a: (*). Origin b: (agent.*, system.*).
    assert ok(crm, "voice.isMicrophoneMute") is False
    assert [i["interactionId"] for i in ok(crm, "interaction.getInteractions")] == ["1"]
    for request in ("voice.isMicrophoneMute", "interaction.getInteractions"):
        refused = fails(notes, request, code="NOT_ALLOWED")
        assert refused["errorMessage"] == not_allowed(pages.b, request)
        assert refused["request"] == request
    assert ok(notes, "agent.get")["username"] == name
    assert ok(crm, "agent.get")["username"] == name
    assert sorted(ok(notes, "system.getAllowedServices")) == [
        "agent.get",
        "agent.getState",
        "agent.getStateList",
        "agent.setState",
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
    ]
    # The frames have their own ids, and each got only its own replies.
    assert crm.evaluate("() => T.ready.frameId") != notes.evaluate("() => T.ready.frameId")


def test_unlisted_origin_is_refused_everything(context, server, pages):
    page = open_desktop(context, server, "stranger", "pw-stranger")
    start_call(page)
    stranger = section_frame(page, "Stranger", "1")  # greeted like any frame
    assert stranger.url.startswith(pages.c + "/")
    for request in ("agent.get", "system.getAllowedServices", "voice.hangUp"):
        refused = fails(stranger, request, code="NOT_ALLOWED")
        assert refused["errorMessage"] == not_allowed(pages.c, request)
    subscribed = stranger.evaluate("() => T.subscribe(['agent'])")
    assert not subscribed["ok"] and subscribed["errorCode"] == "NOT_ALLOWED"
    # The call is untouched, and a listed frame of the same interaction still works.
    crm = section_frame(page, "CRM", "1")
    assert ok(crm, "interaction.getByInteractionId", "1")["state"] in ("DIALING", "TALKING")


def test_workspace_tab_is_click_to_dial_only(context, server, pages, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    dialer = section_frame(page, "Dialer")
    assert dialer.url.startswith(pages.a + "/")  # the origin that may do everything...
    assert sorted(ok(dialer, "system.getAllowedServices")) == [
        "system.getAllowedServices",
        "voice.dial",
    ]
    # ...but not from an agent-level tab.
    for request in ("agent.getState", "interaction.getInteractions", "voice.hangUp"):
        refused = fails(dialer, request, code="NOT_ALLOWED")
        assert refused["errorMessage"] == not_allowed(pages.a, request)
    assert ok(dialer, "voice.dial", "5550002") == {"interactionId": "1"}
    crm = section_frame(page, "CRM", "1")
    assert ok(crm, "agent.getState")["type"] == "NOT_READY"
    assert ok(crm, "interaction.getByInteractionId", "1")["dnis"] == "5550002"


RATE_LIMITED = (
    "The rate limit for the request 'voice.isSpeakerMute' has been reached.\n"
    "Further requests of the same type will be ignored for 30 seconds."
)


def test_rate_limit_message_then_silent_quarantine(context, server, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    start_call(page)
    crm = section_frame(page, "CRM", "1")

    # The limit (3 a minute) counts in intervals aligned to clock minutes: keep the first
    # four requests inside one interval.
    second = time.time() % 60
    if second > 50:
        time.sleep(60.5 - second)
    for _ in range(3):
        assert ok(crm, "voice.isSpeakerMute") is False
    refused = fails(crm, "voice.isSpeakerMute", code="RATE_LIMITED")
    assert refused["errorMessage"] == RATE_LIMITED
    assert refused["request"] == "voice.isSpeakerMute"

    # In quarantine: not answered at all, so the client library's own timeout fires.
    ignored = call(crm, "sipEndpoint.isSpeakerMute", timeout_ms=1500)
    assert not ignored["ok"]
    assert (ignored["errorCode"], ignored["errorMessage"]) == ("TIMEOUT", "Request timeout")
    # ...and it was not executed: other request types are unaffected.
    assert ok(crm, "voice.muteSpeaker") is None
    assert ok(crm, "voice.isMicrophoneMute") is False

    # The traffic inspector shows why the frame got no answer.
    page.get_by_role("button", name="Traffic inspector").click()
    inspector = page.get_by_role("region", name="Traffic inspector")
    expect(inspector).to_be_visible()
    expect(inspector.get_by_text("quarantined").first).to_be_visible()
    expect(inspector.get_by_text("refused:rate-limit").first).to_be_visible()


def test_attached_data_read_filter_in_replies_and_events(context, server, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    dialer = section_frame(page, "Dialer")
    subscribe(dialer, "interaction")
    start_call(page, "5550003", {"PubA": "1", "SecretB": "2"})  # Secret* is write-only

    added = wait_event(dialer, "interaction", "ADDED", "1")
    assert added["data"]["interaction"]["userData"] == {"PubA": "1"}

    crm = section_frame(page, "CRM", "1")
    subscribe(crm, "interaction")
    assert ok(crm, "interaction.getByInteractionId", "1")["userData"] == {"PubA": "1"}
    assert ok(crm, "interaction.getInteractions")[0]["userData"] == {"PubA": "1"}

    mark = event_count(crm)
    assert ok(crm, "interaction.setUserData", "1", {"SecretC": "3", "PubD": "4"}) is None
    changed = wait_event(crm, "interaction", "ATTACHED_DATA_CHANGED", "1", after=mark)
    assert changed["data"]["interaction"]["userData"] == {"PubA": "1", "PubD": "4"}
    # Deleting a write-allowed key the frame cannot read works, and still shows nothing.
    mark = event_count(crm)
    assert ok(crm, "interaction.deleteUserData", "1", "SecretC") is None
    deleted = wait_event(crm, "interaction", "ATTACHED_DATA_CHANGED", "1", after=mark)
    assert deleted["data"]["interaction"]["userData"] == {"PubA": "1", "PubD": "4"}

    everything = json.dumps(events(crm)) + json.dumps(events(dialer))
    assert "SecretB" not in everything and "SecretC" not in everything
    assert "PubD" in everything

    # The agent is not a third party: the desktop's case data shows every key.
    case_data = page.get_by_role("region", name="Case data")
    expect(case_data.get_by_role("rowheader", name="SecretB")).to_be_visible()


def test_frame_that_navigates_to_another_origin_is_that_origin(context, server, pages, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    start_call(page)
    crm = section_frame(page, "CRM", "1")
    subscribe(crm, "agent")
    assert ok(crm, "agent.get")["username"] == name

    # The CRM frame (origin a, every request) navigates itself to origin c (not listed).
    moved = f"{pages.c}/app.html?host={server.url}&name=moved&interaction=1"
    crm.evaluate("(url) => { window.location.href = url; }", moved)
    crm.wait_for_function("() => window.T && T.name === 'moved'")
    refused = fails(crm, "agent.get", code="NOT_ALLOWED")
    assert refused["errorMessage"] == not_allowed(pages.c, "agent.get")
    wait_ready(crm)  # the desktop greeted the new document at its real origin
    # The old document's subscription does not follow the new one.
    page.get_by_label("Agent state").select_option("Ready")
    assert ok(section_frame(page, "Notes", "1"), "agent.getState")["type"] == "READY"
    raw_events = crm.evaluate("() => T.raw.filter((m) => 'event' in m.data)")
    assert raw_events == [], "an event of the old document's subscription reached the new one"

    # Back at origin a: allowed again.
    back = f"{pages.a}/app.html?host={server.url}&name=back&interaction=1"
    crm.evaluate("(url) => { window.location.href = url; }", back)
    crm.wait_for_function("() => window.T && T.name === 'back'")
    assert ok(crm, "agent.getState")["type"] == "READY"


def test_oversized_and_unserializable_messages_are_refused(context, server, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    start_call(page)
    crm = section_frame(page, "CRM", "1")

    big = fails(
        crm, "interaction.setUserData", "1", {"PubBig": "x" * 70_000}, code="INVALID_PARAMETER"
    )
    assert "65536" in big["errorMessage"]
    # Structured clone can carry a BigInt, JSON cannot: the relay answers instead of the server.
    odd = crm.evaluate("() => T.call('interaction.setUserData', ['1', {PubOdd: BigInt(1)}])")
    assert not odd["ok"] and odd["errorCode"] == "INVALID_PARAMETER", odd
    assert "JSON" in odd["errorMessage"]
    # Nothing was written, and the frame still works.
    assert ok(crm, "interaction.getByInteractionId", "1")["userData"] == {}
