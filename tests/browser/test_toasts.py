"""Toasts: shown as text (never HTML), buttons reach only the frame that opened the toast,
a frame may update or close only its own toasts, MyMessage keeps what was sent to it."""

from __future__ import annotations

import pytest
from browser_support import (
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

CLICK = "CUSTOM_TOAST_BUTTON_CLICK"


def clicks(frame) -> list[dict]:
    return [e["data"] for e in events(frame) if e["event"] == "system"]


def call_with_frames(context, server, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    assert ok(section_frame(page, "Dialer"), "voice.dial", "5550010") == {"interactionId": "1"}
    return page, section_frame(page, "CRM", "1"), section_frame(page, "Notes", "1")


def test_toast_button_click_reaches_only_the_owner(context, server, fresh_agent):
    page, crm, notes = call_with_frames(context, server, fresh_agent)
    subscribe(crm, "system")
    subscribe(notes, "system")  # origin b may use system.*

    toast_id = ok(crm, "system.popupToast", {"title": "From CRM", "buttons": ["Accept", "Later"]})
    toast = page.get_by_role("status").filter(has_text="From CRM")
    expect(toast).to_be_visible()

    # Another frame cannot touch it.
    assert ok(notes, "system.updateToast", toast_id, {"title": "Hijacked"}) is False
    assert ok(notes, "system.closeToast", toast_id) is False
    expect(toast).to_be_visible()
    expect(page.get_by_text("Hijacked")).to_have_count(0)

    # The owner may update it.
    assert ok(crm, "system.updateToast", toast_id, {"title": "From CRM, updated"}) is True
    toast = page.get_by_role("status").filter(has_text="From CRM, updated")
    expect(toast).to_be_visible()

    # A click reaches the owner and closes the toast.
    toast.get_by_role("button", name="Later").click()
    clicked = wait_event(crm, "system", CLICK)["data"]
    assert clicked == {"eventType": CLICK, "customToastId": toast_id, "buttonIndex": 1}
    expect(toast).to_have_count(0)
    assert ok(crm, "system.closeToast", toast_id) is False

    # Notes' own toast: its click goes to Notes only.
    notes_toast_id = ok(notes, "system.popupToast", {"title": "From Notes", "buttons": ["Go"]})
    page.get_by_role("status").filter(has_text="From Notes").get_by_role(
        "button", name="Go"
    ).click()
    notes_click = wait_event(notes, "system", CLICK)["data"]
    assert (notes_click["customToastId"], notes_click["buttonIndex"]) == (notes_toast_id, 0)
    # A round trip after that click: anything sent to CRM for it would have arrived by now
    # (one ordered channel per desktop).
    assert ok(crm, "agent.get")
    assert [c["customToastId"] for c in clicks(crm)] == [toast_id]
    assert [c["customToastId"] for c in clicks(notes)] == [notes_toast_id]

    # The owner closes its own toast; nobody hears a click.
    closing_id = ok(crm, "system.popupToast", {"title": "Closed by CRM", "buttons": ["X"]})
    closing = page.get_by_role("status").filter(has_text="Closed by CRM")
    expect(closing).to_be_visible()
    assert ok(crm, "system.closeToast", closing_id) is True
    expect(closing).to_have_count(0)
    assert ok(notes, "agent.get")
    assert len(clicks(crm)) == 1 and len(clicks(notes)) == 1


def test_toast_text_is_never_html(context, server, fresh_agent):
    page, crm, _ = call_with_frames(context, server, fresh_agent)
    title = '<img src=x onerror="window.__pwned = 1">'
    message = "<b>bold</b><script>window.__pwned = 2</script>"
    ok(
        crm,
        "system.popupToast",
        {
            "title": title,
            "subject": "<i>subject</i>",
            "message": message,
            "keyValues": {"<u>key</u>": "<em>value</em>"},
            "sendToMyMessage": True,
        },
    )
    toasts = page.get_by_role("region", name="Notifications")
    toast = toasts.get_by_role("status").filter(has_text=title)
    expect(toast).to_be_visible()
    expect(toast.get_by_text(title, exact=True)).to_be_visible()
    expect(toast.get_by_text(message, exact=True)).to_be_visible()
    expect(toast.get_by_text("<u>key</u>", exact=True)).to_be_visible()
    expect(toast.get_by_text("<em>value</em>", exact=True)).to_be_visible()
    for tag in ("img", "b", "script", "i", "u", "em"):
        assert toast.locator(tag).count() == 0, f"a <{tag}> element was created"

    my_message = page.get_by_role("region", name="MyMessage")
    expect(my_message.get_by_text(title, exact=True)).to_be_visible()
    assert my_message.locator("img, script, b").count() == 0
    assert page.evaluate("() => window.__pwned") is None


def test_show_dismiss_and_auto_close(context, server, fresh_agent):
    page, crm, _ = call_with_frames(context, server, fresh_agent)
    subscribe(crm, "system")
    toast_id = ok(crm, "system.popupToast", {"title": "Show or dismiss", "buttonShowDismiss": True})
    toast = page.get_by_role("status").filter(has_text="Show or dismiss")
    expect(toast.get_by_role("button", name="Show")).to_be_visible()
    toast.get_by_role("button", name="Dismiss").click()
    clicked = wait_event(crm, "system", CLICK)["data"]
    assert (clicked["customToastId"], clicked["buttonIndex"]) == (toast_id, 1)

    # "Show" brings the toast's frame into view: here from behind the Dialer workspace tab.
    workspace = page.get_by_role("tablist", name="Workspace")
    workspace.get_by_role("tab", name="Dialer").click()
    crm_iframe = page.locator('iframe[data-section="CRM"]')
    expect(crm_iframe).to_be_hidden()
    show_id = ok(crm, "system.popupToast", {"title": "Look here", "buttonShowDismiss": True})
    toast = page.get_by_role("status").filter(has_text="Look here")
    mark = event_count(crm)
    toast.get_by_role("button", name="Show").click()
    expect(crm_iframe).to_be_visible()
    expect(workspace.get_by_role("tab", name="Case")).to_have_attribute("aria-selected", "true")
    shown = wait_event(crm, "system", CLICK, after=mark)["data"]
    assert (shown["customToastId"], shown["buttonIndex"]) == (show_id, 0)

    ok(crm, "system.popupToast", {"title": "Short-lived", "autoCloseTimeout": 300})
    short = page.get_by_role("status").filter(has_text="Short-lived")
    expect(short).to_be_visible()
    expect(short).to_have_count(0, timeout=5000)
