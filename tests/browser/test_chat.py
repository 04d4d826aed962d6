"""Chat in the desktop: an inbound chat from the simulation API, the agent accepts and
replies, a frame hears NEW_MESSAGE, the customer leaves, the agent marks it done."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browser_support import WweServer, fails, section_frame, subscribe, wait_event
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_agent_accepts_replies_and_the_customer_leaves(
    server: WweServer,
    page: Page,
    login: Callable[[Page, str, str], None],
    fresh_agent: Callable[[], tuple[str, str, str]],
) -> None:
    username, password, _ = fresh_agent()
    login(page, username, password)
    with server.client() as sim:
        chat = sim.chat(username, "Ada", "Hello, is my order late?")
        chat_id = chat["chatId"]
        card = page.locator('article[data-interaction-id="1"]')
        expect(card).to_contain_text("INVITED")
        transcript = page.get_by_role("log", name="Chat 1 transcript")
        expect(transcript).to_contain_text("Hello, is my order late?")
        # Every line has its time of day (the full time in the <time> element's datetime).
        stamp = transcript.locator("time").first
        expect(stamp).to_have_text(re.compile(r"^\d\d:\d\d$"))
        expect(stamp).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
        card.get_by_role("button", name="Accept").click()
        expect(card).to_contain_text("ACCEPTED")

        crm = section_frame(page, "CRM", "1")
        subscribe(crm, "interaction")
        card.get_by_role("textbox", name="Message").fill("It ships today.")
        card.get_by_role("button", name="Send", exact=True).click()
        expect(transcript).to_contain_text("It ships today.")
        event = wait_event(crm, "interaction", "NEW_MESSAGE")
        assert event["data"]["interaction"]["messages"] == 2

        sim.chat_message(chat_id, "Great, thanks!")
        expect(transcript).to_contain_text("Great, thanks!")
        sim.end_chat(chat_id)
        expect(card).to_contain_text("ENDED")
        [live] = sim.interactions(username)
        assert (live["state"], live["messages"]) == ("ENDED", 3)

        card.get_by_role("button", name="Mark Done").click()
        expect(card).to_have_count(0)
        assert sim.interactions(username) == []


def test_a_chat_invitation_is_accepted_or_rejected_never_marked_done(
    server: WweServer,
    page: Page,
    login: Callable[[Page, str, str], None],
    fresh_agent: Callable[[], tuple[str, str, str]],
) -> None:
    username, password, _ = fresh_agent()
    login(page, username, password)
    with server.client() as sim:
        sim.chat(username, "Ada", "Anyone there?")
        card = page.locator("article.interaction").filter(has_text="INVITED")
        expect(card.get_by_role("button", name="Accept")).to_be_visible()
        expect(card.get_by_role("button", name="Reject")).to_be_visible()
        # Marking it done would drop the customer: the card does not offer it ...
        expect(card.get_by_role("button", name="Mark Done")).to_have_count(0)
        [invited] = sim.interactions(username)
        iid = invited["interactionId"]
        # ... and the server refuses it (here asked by the chat's CRM frame).
        refused = fails(
            section_frame(page, "CRM", iid), "interaction.markdone", iid, code="INVALID_STATE"
        )
        assert "it is an invitation (INVITED)" in refused["errorMessage"]
        expect(card).to_contain_text("INVITED")
        card.get_by_role("button", name="Reject").click()
        expect(card).to_have_count(0)
        assert sim.interactions(username) == []
