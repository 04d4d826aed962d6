"""The agent's own controls in the desktop produce the same events for frames as the API,
and a frame that blocked mark done hears the agent's attempt (markdone topic)."""

from __future__ import annotations

import pytest
from browser_support import (
    dial_from_desktop,
    event_count,
    events,
    ok,
    open_desktop,
    section_frame,
    subscribe,
    wait_event,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_call_controls_recording_and_markdone_from_the_desktop(new_context, server, fresh_agent):
    x_name, x_password, _ = fresh_agent()
    y_name, y_password, y_number = fresh_agent()
    x = open_desktop(new_context(), server, x_name, x_password)
    y = open_desktop(new_context(), server, y_name, y_password)

    dial_from_desktop(x, y_number)  # X's dial pad rings Y
    crm = section_frame(y, "CRM", "1")
    subscribe(crm, "interaction", "markdone")
    card = y.locator('article[data-interaction-id="1"]')
    expect(card).to_contain_text("RINGING")

    def click(button: str, event_type: str, **expected: str) -> None:
        mark = event_count(crm)
        card.get_by_role("button", name=button, exact=True).click()
        data = wait_event(crm, "interaction", event_type, "1", after=mark)["data"]
        for key, value in expected.items():
            assert data["interaction"][key] == value, (button, data)

    click("Answer", "ESTABLISHED", state="TALKING")
    click("Hold", "HELD", state="HELD")
    click("Resume", "ESTABLISHED", state="TALKING")
    click("Start Recording", "CALL_RECORDING_STATE_CHANGED", recordingState="RECORDING")
    expect(card).to_contain_text("REC")
    click("Pause Recording", "CALL_RECORDING_STATE_CHANGED", recordingState="PAUSED")
    click("Resume Recording", "CALL_RECORDING_STATE_CHANGED", recordingState="RECORDING")
    click("Stop Recording", "CALL_RECORDING_STATE_CHANGED", recordingState="STOPPED")

    y.get_by_role("button", name="Mute microphone").click()
    expect(y.get_by_role("button", name="Unmute microphone")).to_be_visible()
    assert ok(crm, "voice.isMicrophoneMute") is True

    click("Hang Up", "RELEASED", state="IDLE")

    # The frame blocks mark done: the agent's click is refused, the frame hears both.
    assert ok(crm, "interaction.blockMarkdone", "1", "Choose a disposition first") is None
    expect(card).to_contain_text("Choose a disposition first")
    mark = event_count(crm)
    card.get_by_role("button", name="Mark Done").click()
    requested = wait_event(crm, "markdone", "MARKDONE_REQUESTED", after=mark)["data"]
    assert requested["interaction"]["interactionId"] == "1"
    blocked = wait_event(crm, "markdone", "MARKDONE_BLOCKED", after=mark)["data"]
    assert blocked["interaction"]["interactionId"] == "1"
    expect(
        y.get_by_role("alert").filter(has_text="Choose a disposition first").first
    ).to_be_visible()
    expect(card).to_be_visible()
    order = [e["data"]["eventType"] for e in events(crm)[mark:] if e["event"] == "markdone"]
    assert order == ["MARKDONE_REQUESTED", "MARKDONE_BLOCKED"]

    # Unblocked, the same click marks it done: the card and its frames go away.
    assert ok(crm, "interaction.unblockMarkdone", "1") is None
    card.get_by_role("button", name="Mark Done").click()
    expect(card).to_have_count(0)
    expect(y.locator('iframe[data-section="CRM"]')).to_have_count(0)
    expect(y.locator('iframe[data-section="Notes"]')).to_have_count(0)
