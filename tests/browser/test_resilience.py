"""kill -9 of the server in the middle of a session: the desktop says so, reconnects by
itself when the same command runs again, and nothing is lost: the call, its attached data,
the frames (not reloaded) and their subscriptions, and a request made during the outage."""

from __future__ import annotations

import pytest
from browser_support import (
    call,
    dial_from_desktop,
    event_count,
    ok,
    open_desktop,
    section_frame,
    standard_config,
    subscribe,
    wait_event,
    wait_state,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BANNER = "Connection to the server lost \u2014 reconnecting\u2026"


@pytest.fixture(scope="module")
def own_server(wwe_server_factory, pages):
    """A server of this module's own: the test kills it."""
    return wwe_server_factory(lambda url: standard_config(url, pages))


def test_sigkill_and_restart_loses_nothing(context, own_server, fresh_agent):
    server = own_server
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    dial_from_desktop(page, "5550050")
    crm = section_frame(page, "CRM", "1")
    wait_state(crm, "1", "TALKING")
    assert ok(crm, "interaction.setUserData", "1", {"PubNote": "before the crash"}) is None
    subscribe(crm, "agent", "interaction")
    crm.evaluate("() => { window.sameDocument = true; }")
    frame_id = crm.evaluate("() => T.ready.frameId")
    card = page.locator('article[data-interaction-id="1"]')
    expect(card.get_by_role("button", name="Hang Up")).to_be_visible()

    server.kill()
    banner = page.get_by_role("alert").filter(has_text=BANNER)
    expect(banner).to_be_visible()

    # A request made while the server is down waits and is sent on reconnect.
    crm.evaluate(
        "() => { window.during = T.call('interaction.setUserData',"
        " ['1', {PubDuring: 'outage'}], 30000); }"
    )

    server.start()  # the same command, port and data dir
    expect(banner).to_be_hidden(timeout=30_000)
    during = crm.evaluate("() => window.during")
    assert during["ok"], during

    # The same document (not reloaded), the same frame id, the same call and data.
    assert crm.evaluate("() => window.sameDocument === true")
    assert crm.evaluate("() => T.ready.frameId") == frame_id
    interaction = ok(crm, "interaction.getByInteractionId", "1")
    assert interaction["state"] == "TALKING"
    assert interaction["userData"] == {"PubNote": "before the crash", "PubDuring": "outage"}
    expect(card.get_by_role("button", name="Hang Up")).to_be_visible()
    expect(
        page.get_by_role("region", name="Case data").get_by_role("rowheader", name="PubNote")
    ).to_be_visible()

    # The old subscription still delivers, without subscribing again.
    mark = event_count(crm)
    page.get_by_label("Agent state").select_option(label="Ready")
    assert wait_event(crm, "agent", "STATE_CHANGED", after=mark)["data"]["mediaState"] == "READY"
    card.get_by_role("button", name="Hold").click()
    wait_event(crm, "interaction", "HELD", "1", after=mark)

    # And the restarted server still applies the policy to the restored frames.
    notes = section_frame(page, "Notes", "1")
    assert call(notes, "voice.hangUp", "1")["errorCode"] == "NOT_ALLOWED"
