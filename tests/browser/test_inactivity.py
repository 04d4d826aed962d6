"""Inactivity logout: agent ``idle`` has security.inactivity-timeout = 0.05 minutes (3 s) and
the warning dialog 2 s before it. ``system.triggerActivity`` from a frame and the dialog's
"Stay logged in" both postpone the logout; doing nothing logs the agent out."""

from __future__ import annotations

import re
import time

import pytest
from browser_support import dial_from_desktop, ok, section_frame
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_warning_postponed_by_frame_and_by_agent_then_logout(page, login, server):
    login(page, "idle", "pw-idle")
    dial_from_desktop(page, "5550030")  # the agent's input, and a call for the CRM frame
    crm = section_frame(page, "CRM", "1")
    assert ok(crm, "system.triggerActivity") is None  # a full 3 s from here, however slow
    dialog = page.get_by_role("alertdialog")
    stay = dialog.get_by_role("button", name="Stay logged in")

    # 1. The warning appears; a frame's triggerActivity takes it away.
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("logged out")
    assert ok(crm, "system.triggerActivity") is None
    expect(dialog).to_be_hidden()

    # 2. It comes back (still logged in: the deadline moved); the agent stays.
    expect(dialog).to_be_visible()
    assert page.url.endswith("/desktop")
    stay.click()
    stayed_at = time.monotonic()
    expect(dialog).to_be_hidden()
    assert ok(crm, "agent.get")["username"] == "idle"  # the session is alive

    # 3. It comes back once more; nobody does anything: logged out, back at the login page.
    expect(dialog).to_be_visible()
    page.wait_for_url(re.compile(r"^[^#]*/(\?[^/]*)?$"), timeout=10_000)
    logged_out_after = time.monotonic() - stayed_at
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert logged_out_after >= 2.5, f"logged out {logged_out_after:.1f} s after 'Stay logged in'"

    # The session is over on the server too: the desktop is refused without a new login.
    page.goto(server.url + "/desktop")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
