"""Interaction web content in popup, background and hidden modes, opened by a call the agent
makes from the desktop's dial pad, and closed after mark done."""

from __future__ import annotations

import pytest
from browser_support import (
    call,
    dial_from_desktop,
    ok,
    open_desktop,
    section_frame,
    subscribe,
    wait_event,
    wait_ready,
    wait_state,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_popup_background_and_hidden_apps(context, server, pages):
    page = open_desktop(context, server, "modes", "pw-modes")

    with context.expect_page() as popup_info:
        dial_from_desktop(page, "5550020")
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url.startswith(pages.a + "/app.html")
    assert "name=popup" in popup.url and "interaction=1" in popup.url

    # The popup talks to the desktop through window.opener.
    frame = popup.main_frame
    info = wait_ready(frame)
    assert info["origin"] == server.url
    assert frame.evaluate("() => window.opener !== null && window.parent === window")
    assert ok(frame, "agent.get")["username"] == "modes"
    subscribe(frame, "interaction")
    assert ok(frame, "interaction.getByInteractionId", "1")["dnis"] == "5550020"

    # Background (origin b) and hidden (origin a) apps: loaded, working, not shown.
    background = section_frame(page, "BackgroundApp", "1")
    hidden = section_frame(page, "HiddenApp", "1")
    assert background.url.startswith(pages.b + "/") and hidden.url.startswith(pages.a + "/")
    for section in ("BackgroundApp", "HiddenApp"):
        iframe = page.locator(f'iframe[data-section="{section}"]')
        expect(iframe).to_have_count(1)
        expect(iframe).not_to_be_in_viewport()
        assert iframe.evaluate("el => el.closest('[aria-hidden=true]') !== null")
    assert ok(background, "agent.get")["username"] == "modes"  # b: agent.* allowed
    assert call(background, "voice.hangUp", "1")["errorCode"] == "NOT_ALLOWED"
    assert ok(hidden, "interaction.getByInteractionId", "1")["interactionId"] == "1"
    # None of them is a tab of the case.
    apps = page.get_by_role("tablist", name="Interaction apps")
    for label in ("Popup app", "Background app", "Hidden app"):
        expect(apps.get_by_role("tab", name=label)).to_have_count(0)
    # The background app is listed for the agent; the hidden one is not.
    listed = page.get_by_role("region", name="Background apps")
    expect(listed.get_by_role("listitem").filter(has_text="Background app")).to_be_visible()
    expect(listed.get_by_role("listitem").filter(has_text="Hidden app")).to_have_count(0)

    # A request from the hidden app changes the call, and the popup hears about it.
    wait_state(frame, "1", "TALKING")
    assert ok(hidden, "voice.hold", "1") is None
    wait_event(frame, "interaction", "HELD", "1")

    # The agent closes the popup: the interaction offers to open it again, as the same frame.
    frame_id = info["frameId"]
    popup.close()
    card = page.locator('article[data-interaction-id="1"]')
    reopen = card.get_by_role("button", name="Open Popup app")
    expect(reopen).to_be_visible()
    with context.expect_page() as popup_info:
        reopen.click()
    popup = popup_info.value
    frame = popup.main_frame
    assert wait_ready(frame)["frameId"] == frame_id
    assert ok(frame, "interaction.getByInteractionId", "1")["state"] == "HELD"
    subscribe(frame, "interaction")
    expect(reopen).to_have_count(0)

    # Hang up and mark done in the desktop: the popup closes and the frames go away.
    card.get_by_role("button", name="Hang Up").click()
    wait_event(frame, "interaction", "RELEASED", "1")
    with popup.expect_event("close"):
        card.get_by_role("button", name="Mark Done").click()
    for section in ("BackgroundApp", "HiddenApp"):
        expect(page.locator(f'iframe[data-section="{section}"]')).to_have_count(0)
    expect(page.locator('iframe[data-section="Dialer"]')).to_have_count(1)  # agent-level stays
