"""The system requests of api-9.md in the desktop: a modal dialog whose frame asks under its
own origin's filter, menu-bar items whose clicks reach their owner, and several desktop
tabs of one agent with one leading (the other leads within 2 s of the leader closing; only
the leader pops toasts)."""

from __future__ import annotations

import time

import pytest
from browser_support import Pages, fails, ok, open_desktop, section_frame, subscribe, wait_event
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DIALOG_CLOSED = "CUSTOM_DIALOG_CLOSED"
MENU_CLICK = "APPLICATION_MENU_BAR_VIEW_CLICK"


def call_with_crm(context, server, fresh_agent):
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    assert ok(section_frame(page, "Dialer"), "voice.dial", "5550010") == {"interactionId": "1"}
    return name, page, section_frame(page, "CRM", "1")


def test_a_dialogs_frame_asks_under_its_own_origins_filter(
    context, server, pages: Pages, fresh_agent
) -> None:
    name, page, crm = call_with_crm(context, server, fresh_agent)
    subscribe(crm, "system")
    logout = page.get_by_role("button", name="Log out")
    logout.focus()
    # Origin b may use agent.* and system.* only.
    url = f"{pages.b}/app.html?host={server.url}&name=dialog&dialog=$Dialog.Id$"
    dialog_id = ok(crm, "system.openDialog", url, {"label": "Notes of $Agent.UserName$"})
    assert dialog_id == "wweCustomDialog1"
    dialog = page.get_by_role("dialog", name=f"Notes of {name}")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    frame = section_frame(page, f"@dialog:{dialog_id}")
    assert f"dialog={dialog_id}" in frame.url and frame.url.startswith(pages.b)
    assert ok(frame, "agent.get")["username"] == name
    refused = fails(frame, "voice.dial", "5550011", code="NOT_ALLOWED")
    assert pages.b in refused["errorMessage"]
    # Modal: the page under it is inert, focus is in the dialog.
    assert page.locator("header.topbar").evaluate("el => el.inert") is True
    assert dialog.evaluate("el => el.contains(document.activeElement)") is True
    # Escape does not close it; the dialog's own frame does.
    page.keyboard.press("Escape")
    expect(dialog).to_be_visible()
    # (The frame goes with its dialog: it does not wait for the reply.)
    frame.evaluate("(id) => { T.call('system.closeDialog', [id]); }", dialog_id)
    expect(dialog).to_have_count(0)
    closed = wait_event(crm, "system", DIALOG_CLOSED)["data"]
    assert closed == {"eventType": DIALOG_CLOSED, "dialogId": dialog_id, "closedBy": "frame"}
    assert page.locator("header.topbar").evaluate("el => el.inert") is False
    expect(logout).to_be_focused()
    assert ok(crm, "system.closeDialog", dialog_id) is False


def test_an_unlisted_origins_dialog_loads_and_every_request_fails(
    context, server, pages: Pages, fresh_agent
) -> None:
    _, page, crm = call_with_crm(context, server, fresh_agent)
    url = f"{pages.c}/app.html?host={server.url}&name=stranger-dialog&timeout=3000"
    dialog_id = ok(crm, "system.openDialog", url, {"label": "Stranger", "width": 500})
    dialog = page.get_by_role("dialog", name="Stranger")
    expect(dialog).to_be_visible()
    assert dialog.evaluate("el => el.style.width") == "500px"
    frame = section_frame(page, f"@dialog:{dialog_id}", ready=False)
    frame.wait_for_function("() => window.T && (T.ready || T.readyError)")
    fails(frame, "agent.get", code="NOT_ALLOWED")
    # The agent closes it with its Close button.
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)
    bad = fails(crm, "system.openDialog", "http://elsewhere.example/", code="INVALID_PARAMETER")
    assert "http://elsewhere.example" in bad["errorMessage"]


def test_menu_bar_item_click_reaches_its_owner(context, server, fresh_agent) -> None:
    _, page, crm = call_with_crm(context, server, fresh_agent)
    notes = section_frame(page, "Notes", "1")
    subscribe(crm, "system")
    subscribe(notes, "system")
    item = {
        "name": "shift",
        "label": "<b>Time left</b> 4:46",
        "tooltip": "End of shift",
        "backgroundColor": "#ffeeaa",
        "labelColor": "#123",
        "iconUrl": "http://127.0.0.1:1/icon.png",
    }
    assert ok(crm, "system.updateViewInApplicationMenuBar", item) is None
    bar = page.get_by_role("list", name="Application menu bar")
    button = bar.get_by_role("button", name="<b>Time left</b> 4:46")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("title", "End of shift")
    assert bar.locator("b").count() == 0
    assert button.evaluate("el => getComputedStyle(el).color") == "rgb(17, 34, 51)"
    bad = fails(
        crm,
        "system.updateViewInApplicationMenuBar",
        {"name": "x", "label": "x", "backgroundColor": "red"},
        code="INVALID_PARAMETER",
    )
    assert "'backgroundColor'" in bad["errorMessage"]

    button.click()
    clicked = wait_event(crm, "system", MENU_CLICK)["data"]
    assert clicked == {"eventType": MENU_CLICK, "name": "shift"}
    assert ok(notes, "agent.get")  # a round trip: nothing was sent to Notes for the click
    assert not [e for e in notes.evaluate("() => T.events") if e["event"] == "system"]

    assert ok(crm, "system.closeViewInApplicationMenuBar", "shift") is True
    expect(button).to_have_count(0)
    assert ok(crm, "system.closeViewInApplicationMenuBar", "shift") is False


def test_two_tabs_one_leads_and_the_other_leads_when_it_closes(
    context, server, fresh_agent
) -> None:
    _, first, crm1 = call_with_crm(context, server, fresh_agent)
    second = context.new_page()  # same cookie: a second tab of the same session
    second.goto(f"{server.url}/desktop")
    crm2 = section_frame(second, "CRM", "1")
    subscribe(crm2, "system")
    expect(first.get_by_role("status").filter(has_text="Leading tab")).to_be_visible()
    expect(second.get_by_role("status").filter(has_text="Following tab")).to_be_visible()
    assert ok(crm1, "system.isFrameLeading") is True
    assert ok(crm2, "system.isFrameFollowing") is True
    assert ok(crm2, "system.isFrameLeadingOrNegotiating") is False
    # Visible: the shown app of the selected case; Notes' tab is not selected.
    notes2 = section_frame(second, "Notes", "1")
    assert ok(crm2, "system.amIVisible") is True
    assert ok(notes2, "system.amIVisible") is False
    second.get_by_role("tab", name="Notes").click()
    expect(second.get_by_role("tab", name="Notes")).to_have_attribute("aria-selected", "true")
    deadline = time.monotonic() + 5
    while ok(notes2, "system.amIVisible") is not True and time.monotonic() < deadline:
        second.wait_for_timeout(50)
    assert ok(notes2, "system.amIVisible") is True
    assert ok(crm2, "system.amIVisible") is False

    # Only the leading tab pops toasts.
    ok(crm2, "system.popupToast", {"title": "From the second tab"})
    expect(first.get_by_role("status").filter(has_text="From the second tab")).to_be_visible()
    assert second.locator(".toast").count() == 0

    closed_at = time.monotonic()
    first.close()
    crm2.wait_for_function(
        "() => T.events.some((e) => e.event === 'system' && e.data.state === 'LEADING')",
        timeout=3000,
    )
    assert time.monotonic() - closed_at < 2.5  # 2 s, and the browser's own round trips
    changes = [e["data"] for e in crm2.evaluate("() => T.events") if e["event"] == "system"]
    assert changes == [
        {"eventType": "FRAME_STATE_CHANGED", "state": "NEGOTIATING"},
        {"eventType": "FRAME_STATE_CHANGED", "state": "LEADING"},
    ]
    expect(second.get_by_role("status").filter(has_text="Leading tab")).to_be_visible()
    assert ok(crm2, "system.isFrameLeading") is True
    assert ok(crm2, "system.isLastActiveFrame") is True
    expect(second.get_by_role("status").filter(has_text="From the second tab")).to_be_visible()
