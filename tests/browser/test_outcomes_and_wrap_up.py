"""What the agent sees of how interactions end and what follows: outcomes in words (a busy
number, a missed call), a disposition required before mark done with after-call work, and
an e-mail reply threaded in its case with the composer's empty-field warning."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browser_support import WweServer, dial_from_desktop
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

Agent = Callable[[], tuple[str, str, str]]
Login = Callable[[Page, str, str], None]


def test_a_busy_dial_shows_busy_and_still_does_after_a_reload(
    page: Page, login: Login, fresh_agent: Agent
) -> None:
    username, password, _ = fresh_agent()
    login(page, username, password)
    dial_from_desktop(page, "busy-42")
    card = page.locator('article[data-interaction-id="1"]')
    expect(card).to_contain_text("IDLE")
    outcome = card.get_by_role("status").filter(has_text="Busy")
    expect(outcome).to_have_text("Busy")
    expect(card.locator(".timer")).to_have_text("")  # never answered: no call time
    page.reload()
    expect(page.locator('article[data-interaction-id="1"] .outcome')).to_have_text("Busy")


def test_a_caller_who_hangs_up_while_ringing_is_missed(
    server: WweServer, page: Page, login: Login, fresh_agent: Agent
) -> None:
    username, password, _ = fresh_agent()
    login(page, username, password)
    with server.client() as sim:
        offered = sim.call(username, "+15550123")
        card = page.locator('article[data-interaction-id="1"]')
        expect(card).to_contain_text("RINGING")
        expect(page).to_have_title("\u260e Incoming call")  # the title flashes
        sim.hangup(offered["callUuid"])
    expect(card.locator(".outcome")).to_have_text("Missed")
    expect(page).to_have_title(f"First{username} Last{username} \u2013 Agent desktop")


def test_mark_done_asks_for_the_required_disposition(page: Page, login: Login) -> None:
    login(page, "wrapup", "pw-wrapup")
    voice_state = page.get_by_label("voice state")
    page.get_by_label("Agent state").select_option("Ready")
    expect(voice_state).to_have_value("Ready")
    dial_from_desktop(page, "5550199")
    card = page.locator('article[data-interaction-id="1"]')
    expect(card).to_contain_text("TALKING")
    card.get_by_role("button", name="Hang Up").click()
    expect(card).to_contain_text("IDLE")
    expect(voice_state).to_have_value("AfterCallWork")

    card.get_by_role("button", name="Mark Done").click()
    expect(page.locator("#action-error")).to_have_text(
        "Choose a disposition before marking interaction '1' done (one of: Resolved, Callback)."
    )
    expect(card).to_be_visible()

    card.get_by_label("Disposition (required)").select_option("Callback")
    # Kept in the attached data, under the guide's key.
    expect(page.get_by_role("textbox", name="DispositionCode")).to_have_value("Callback")
    card.get_by_role("button", name="Mark Done").click()
    expect(card).to_have_count(0)
    expect(voice_state).to_have_value("Ready")  # after-call work ended with the mark done


def test_an_e_mail_reply_is_threaded_in_the_case_and_warns_when_empty(
    server: WweServer, page: Page, login: Login, fresh_agent: Agent
) -> None:
    username, password, _ = fresh_agent()
    login(page, username, password)
    with server.client() as sim:
        sim.email(username, "ada@example.com", "Order 42", "Where is my order?")
        original = page.locator('article[data-interaction-id="1"]')
        original.get_by_role("button", name="Accept").click()
        original.get_by_role("button", name="Reply").click()

        reply = page.locator('article[data-interaction-id="2"]')
        case = page.locator("li.case").filter(has=original)
        expect(case.locator("article")).to_have_count(2)  # the reply is in the same case
        composer = reply.get_by_role("form", name="E-mail 2 composer")
        expect(composer.get_by_label("To")).to_have_value("ada@example.com")
        expect(composer.get_by_label("Subject")).to_have_value("Re: Order 42")
        body = composer.get_by_label("Body")
        expect(body).to_have_value(re.compile(r"wrote:\n> Where is my order\?$"))

        composer.get_by_label("Subject").fill("")
        composer.get_by_role("button", name="Send").click()
        expect(composer.get_by_role("alert")).to_have_text("The subject is empty. Send anyway?")
        assert reply.locator(".state-badge").inner_text() == "CREATED"  # nothing was sent

        composer.get_by_label("Subject").fill("Re: Order 42")
        body.fill("It ships today.\n\n" + body.input_value())
        composer.get_by_role("button", name="Send", exact=True).click()
        expect(reply).to_contain_text("SENT")
        sent = sim.outbox()[-1]
        assert (sent["to"], sent["subject"]) == ("ada@example.com", "Re: Order 42")
        assert sent["body"].startswith("It ships today.")


def test_the_call_timer_counts_from_answer_and_time_in_state_restarts(
    server: WweServer, page: Page, login: Login, fresh_agent: Agent
) -> None:
    username, password, _ = fresh_agent()
    login(page, username, password)
    in_state = page.locator("#state-time")
    state = page.get_by_label("Agent state")
    state.select_option("Ready")  # the time in state starts again ...
    expect(in_state).to_have_attribute("aria-label", "Time in Ready")
    expect(in_state).to_have_text(re.compile(r"^00:0[01]$"))
    with server.client() as sim:
        sim.call(username, "+15550124")  # ... and the call rings right after
        card = page.locator('article[data-interaction-id="1"]')
        expect(card).to_contain_text("RINGING")
        # It rings for three seconds or more (the time in state counts meanwhile) ...
        expect(in_state).to_have_text(re.compile(r"^00:0[3-9]$"), timeout=10_000)
        card.get_by_role("button", name="Answer").click()
        expect(card).to_contain_text("TALKING")
        # ... but the call's time starts at the answer.
        expect(card.locator(".timer")).to_have_text(re.compile(r"^00:0[01]$"))
    state.select_option("NotReady")
    expect(in_state).to_have_attribute("aria-label", "Time in Not Ready")
    expect(in_state).to_have_text(re.compile(r"^00:0[01]$"))
