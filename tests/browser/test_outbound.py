"""Outbound campaigns in real Chromium: an app on another origin than the desktop takes a
preview record; the agent calls it, sets its call result and reschedules it in the
desktop's outbound panel; the app sees the `outbound` events and the REST API the outcome."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from browser_support import (
    Pages,
    WweServer,
    agent_section,
    events,
    ok,
    open_desktop,
    section_frame,
    standard_config,
    subscribe,
    wait_event,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOKEN = {"authorization": "Bearer browser-test-token"}


def test_preview_record_called_resulted_and_rescheduled(
    new_context, wwe_server_factory: Callable[..., WweServer], pages: Pages, tmp_path: Path
) -> None:
    records = tmp_path / "leads.csv"
    records.write_text("phone,chain,name\n+15550001,c1,Ann Lee\n+15550002,c1,Ann at work\n")
    campaign = f"[campaign:spring]\nmode = preview\nagents = caller\nrecords = {records}\n"

    def config(url: str) -> str:
        caller = agent_section("caller", "7010", "roles = ROLE_AGENT, ROLE_ADMIN")
        text = standard_config(url, pages, caller + campaign)
        # The Dialer (a workspace tab) may use its origin's whole filter, outbound.* too.
        return text.replace(
            "[interaction-workspace]\n",
            "[interaction-workspace]\nservice-client-api.workspace-web-content.dial-only = false\n",
            1,
        )

    server = wwe_server_factory(config)
    for action in ("load", "start"):
        answer = httpx.post(f"{server.url}/api/v1/campaigns/spring/{action}", headers=TOKEN)
        assert answer.status_code == 200, answer.text

    page = open_desktop(new_context(), server, "caller", "pw-caller")
    dialer = section_frame(page, "Dialer")
    assert dialer.url.startswith(pages.a)  # the app is on another origin than the desktop
    assert not server.url.startswith(pages.a)
    subscribe(dialer, "outbound")
    assert ok(dialer, "outbound.getCampaigns") == [
        {"name": "spring", "mode": "preview", "status": "RUNNING"}
    ]
    preview = ok(dialer, "outbound.getPreviewRecord", "spring")
    wait_event(dialer, "outbound", "RECORD_RECEIVED")

    panel = page.locator("#outbound-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#outbound-for")).to_have_text("Campaign spring · record 1 · PREVIEW")
    expect(panel.get_by_label("Field name")).to_have_value("Ann Lee")

    # Called: the second phone of the chain, in the same case.
    panel.get_by_role("button", name="Call +15550002").click()
    wait_event(dialer, "outbound", "RECORD_CALLED")
    expect(panel.locator("#outbound-for")).to_have_text("Campaign spring · record 1 · CALLED")
    calls = [
        i
        for i in ok(dialer, "interaction.getInteractions")
        if i["media"] == "voice" and i["dnis"] == "+15550002"
    ]
    assert len(calls) == 1
    previews = [
        i for i in ok(dialer, "interaction.getInteractions") if i["interactionId"] == preview
    ]
    assert previews[0]["caseId"] == calls[0]["caseId"]

    # Resulted.
    panel.get_by_label("Call result").select_option(label="Answer")
    panel.get_by_role("button", name="Set result").click()
    wait_event(dialer, "outbound", "CALL_RESULT_SET")
    assert ok(dialer, "outbound.getCallResult", preview) == {"name": "Answer", "code": 33}

    # Rescheduled: tomorrow at 9:30, server time (the browser runs on the same machine).
    tomorrow = datetime.datetime.now() + datetime.timedelta(days=1)
    panel.get_by_label("Reschedule at").fill(tomorrow.strftime("%Y-%m-%dT09:30"))
    panel.get_by_label("Callback for").select_option("Campaign")
    panel.get_by_role("button", name="Reschedule", exact=True).click()
    wait_event(dialer, "outbound", "RECORD_RESCHEDULED")
    expect(panel.locator("#outbound-for")).to_have_text("Campaign spring · record 1 · SCHEDULED")

    kinds = [e["data"]["eventType"] for e in events(dialer) if e["event"] == "outbound"]
    assert kinds == ["RECORD_RECEIVED", "RECORD_CALLED", "CALL_RESULT_SET", "RECORD_RESCHEDULED"]
    answer = httpx.get(f"{server.url}/api/v1/campaigns/spring/records", headers=TOKEN)
    first = answer.json()["records"][0]
    due = datetime.datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, 30).timestamp()
    assert first["status"] == "SCHEDULED"
    assert first["callResult"] == {"name": "Answer", "code": 33}
    assert first["dueAt"] == due
    assert first["personal"] is False

    # The admin page's Campaigns panel shows the outcome, and stops the campaign.
    admin = page.context.new_page()
    admin.goto(f"{server.url}/admin")
    card = admin.locator('article[data-campaign="spring"]')
    expect(card.locator("h3")).to_have_text("campaign:spring — RUNNING")
    row = card.locator('tr[data-record="1"]')
    expect(row).to_contain_text("SCHEDULED")
    expect(row).to_contain_text("Answer (33)")
    expect(card.locator('tr[data-record="2"]')).to_contain_text("READY")
    card.get_by_role("button", name="Stop campaign spring").click()
    expect(card.locator("h3")).to_have_text("campaign:spring — STOPPED")
    wait_event(dialer, "outbound", "CAMPAIGN_STOPPED")
