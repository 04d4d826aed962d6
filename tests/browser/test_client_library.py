"""The client library as integrators use it: the vendor guide's examples verbatim
(callbacks, ``sendMessage``, ``subscribe([...], handler, context)``) and the promise style,
both rendering what they got into their own page."""

from __future__ import annotations

import json
import re

import pytest
from browser_support import dial_from_desktop, open_desktop, section_frame
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_guide_examples_and_promises(context, server, pages):
    page = open_desktop(context, server, "guide", "pw-guide")
    dial_from_desktop(page, "5550040")

    # --- the guide's page (origin a: every request) ------------------------------------
    guide = section_frame(page, "Guide", "1", ready=False)
    assert guide.url.startswith(pages.a + "/guide.html")
    agent_get = guide.locator("#agent-get")
    expect(agent_get).to_contain_text("SUCCEEDED, result: ")
    reply = json.loads(agent_get.inner_text().split("result: ", 1)[1])
    assert reply["request"] == "agent.get"
    assert reply["data"]["username"] == "guide"
    assert reply["userAgent"] == "WWE Server" and reply["protocolVersion"] == 2
    assert "referenceId" not in reply  # the vendor client hands the reply without it

    set_user_data = guide.locator("#set-user-data")
    expect(set_user_data).to_contain_text("SUCCEEDED")
    assert json.loads(set_user_data.inner_text().split("result: ", 1)[1])["data"] is None

    guide_events = guide.locator("#events li")
    # The subscription was made before setUserData, so its change event arrived.
    expect(guide_events.filter(has_text="interaction ATTACHED_DATA_CHANGED")).to_have_count(1)

    # --- the promise page (origin b: agent.* and system.* only) ------------------------
    promises = section_frame(page, "Promises", "1", ready=False)
    assert promises.url.startswith(pages.b + "/promise.html")
    expect(promises.locator("#ready")).to_have_text(re.compile(rf"^{server.url} f-\d+$"))
    expect(promises.locator("#agent")).to_have_text("guide Firstguide Lastguide")
    expect(promises.locator("#state")).to_have_text("NOT_READY")
    expect(promises.locator("#dial")).to_have_text(
        f"NOT_ALLOWED: The origin '{pages.b}' is not allowed to use the request 'voice.dial'."
    )
    expect(promises.locator("#subscribed")).to_have_text(re.compile(r"^sub-\d+$"))
    expect(promises.locator("#error")).to_have_text("none")

    # --- the agent changes state in the desktop: both handlers hear it ------------------
    page.get_by_label("Agent state").select_option(label="Ready")
    expect(guide_events.filter(has_text="with-context agent STATE_CHANGED READY")).to_have_count(1)
    assert guide_events.filter(has_text="without-context").count() == 0
    expect(promises.locator("#event")).to_have_text("agent STATE_CHANGED READY")

    page.get_by_label("Agent state").select_option(value="NotReadyReason.Break")
    expect(guide_events.filter(has_text="agent STATE_CHANGED NOT_READY_ACTION_CODE")).to_have_count(
        1
    )
    expect(promises.locator("#event")).to_have_text("agent STATE_CHANGED NOT_READY_ACTION_CODE")
