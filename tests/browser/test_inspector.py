"""The desktop's traffic inspector (desktop/inspector.js) in Chromium: filtering by text,
request and outcome, the payload of a selected row, and the export as a JSON download.

The Dialer is a workspace tab (click-to-dial only): `system.getAllowedServices` is allowed
there and `agent.get` refused, which gives rows of both outcomes without a call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from browser_support import fails, ok, open_desktop, section_frame
from playwright.sync_api import BrowserContext, Locator, expect

from wwe_host.testing import ServerProcess as WweServer

pytestmark = pytest.mark.browser


def shown(inspector: Locator) -> Locator:
    return inspector.locator("tbody tr:visible .t-request")


def test_filter_payload_and_export(
    context: BrowserContext, server: WweServer, fresh_agent: Callable[[], tuple[str, str, str]]
) -> None:
    name, password, _ = fresh_agent()
    page = open_desktop(context, server, name, password)
    dialer = section_frame(page, "Dialer")
    assert "voice.dial" in ok(dialer, "system.getAllowedServices")
    fails(dialer, "agent.get", code="NOT_ALLOWED")

    page.get_by_role("button", name="Traffic inspector").click()
    inspector = page.get_by_role("region", name="Traffic inspector")
    expect(inspector).to_be_visible()
    rows = inspector.locator("tbody tr")
    expect(rows.filter(has_text="refused:filter")).to_have_count(1)

    # By outcome: only the refused request.
    inspector.get_by_label("Outcome").select_option(label="Refused")
    expect(shown(inspector)).to_have_text(["agent.get"])
    expect(inspector.locator(".inspector-count")).to_contain_text("1 shown (filtered)")
    inspector.get_by_label("Outcome").select_option(label="All outcomes")

    # By request: the request and its reply.
    inspector.get_by_label("Request").select_option("system.getAllowedServices")
    expect(shown(inspector)).to_have_text(["system.getAllowedServices"] * 2)
    inspector.get_by_label("Request").select_option(label="All requests")

    # By text (any column, any case): the refusal's detail names the filter.
    inspector.get_by_label("Filter the traffic by text").fill("AGENT.GET")
    expect(shown(inspector)).to_have_text(["agent.get", "agent.get"])

    # The payload of a row: the message as the frame sent it.
    shown(inspector).first.click()
    payload = inspector.get_by_role("region", name=re.compile("Payload: request agent.get"))
    expect(payload).to_be_visible()
    sent = json.loads(payload.locator("pre").inner_text())
    assert sent["request"] == "agent.get"
    assert sent["userAgent"] == "WWE Client" and "referenceId" in sent
    # ...and of the reply, with the arrow keys: the refusal as the frame received it.
    inspector.locator("tbody").press("ArrowDown")
    reply = inspector.get_by_role("region", name=re.compile("Payload: reply agent.get"))
    got = json.loads(reply.locator("pre").inner_text())
    assert got["errorCode"] == "NOT_ALLOWED" and got["request"] == "agent.get"

    # Export: a JSON file of the rows shown.
    with page.expect_download() as info:
        inspector.get_by_role("button", name="Export JSON").click()
    download = info.value
    assert re.fullmatch(r"wwe-host-traffic-\d{8}-\d{6}\.json", download.suggested_filename)
    path = download.path()
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["filter"] == {"text": "AGENT.GET", "request": "", "outcome": ""}
    assert [(r["kind"], r["request"]) for r in exported["rows"]] == [
        ("request", "agent.get"),
        ("reply", "agent.get"),
    ]
    request_row = exported["rows"][0]
    assert request_row["outcome"] == "refused:filter"
    assert request_row["payload"]["request"] == "agent.get"
    assert request_row["app"].startswith("Dialer")
