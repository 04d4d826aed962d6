"""Consultation, transfer and conference (api-9.md) in real Chromium: a CRM app on another
origin consults a second logged-in agent and completes the transfer; the agents' own
controls consult and complete a three-party conference that survives one leaving; Reject
on an offer."""

from __future__ import annotations

import pytest
from browser_support import ok, open_desktop, section_frame, subscribe, wait_event
from playwright.sync_api import expect

from wwe_host.testing import Desktop

pytestmark = pytest.mark.browser

CUSTOMER = "+15550100"


def card(page, interaction_id: str):
    return page.locator(f'article[data-interaction-id="{interaction_id}"]')


def answered_customer_call(server, page, username: str) -> str:
    """A customer calls ``username``, who answers on the desktop; the callUuid."""
    with server.client() as sim:
        offered = sim.call(username, CUSTOMER, user_data={"PubOrder": "17"})
    main = card(page, "1")
    expect(main).to_contain_text("RINGING")
    main.get_by_role("button", name="Answer", exact=True).click()
    expect(main).to_contain_text("TALKING")
    return str(offered["callUuid"])


def test_consult_then_complete_transfer_moves_the_customer(new_context, server, fresh_agent):
    x_name, x_password, x_number = fresh_agent()
    y_name, y_password, y_number = fresh_agent()
    x = open_desktop(new_context(), server, x_name, x_password)
    y = open_desktop(new_context(), server, y_name, y_password)
    call_uuid = answered_customer_call(server, x, x_name)

    crm = section_frame(x, "CRM", "1")  # origin a, another origin than the desktop
    subscribe(crm, "interaction")
    consult_id = ok(
        crm,
        "interaction.consult",
        "1",
        {"type": "AGENT", "destination": y_name},
        {"PubNote": "billing"},
    )
    assert consult_id == "2"
    expect(card(x, "1")).to_contain_text("HELD")
    expect(card(x, "2")).to_contain_text("Consultation for call 1")

    # Y's phone rings with a consult call carrying the main call's data merged.
    ring = card(y, "1")
    expect(ring).to_contain_text("RINGING")
    expect(ring).to_contain_text("consultation")
    ring.get_by_role("button", name="Answer", exact=True).click()
    established = wait_event(crm, "interaction", "ESTABLISHED", "2")["data"]["interaction"]
    assert established["isConsultation"] is True and established["callType"] == "CONSULT"
    assert established["parentInteractionId"] == "1"
    assert established["userData"] == {"PubOrder": "17", "PubNote": "billing"}

    assert ok(crm, "interaction.completeTransfer", "2") is None
    # X: both legs released (waiting for mark done). Y: talking to the customer.
    expect(card(x, "1")).to_contain_text("IDLE")
    expect(card(x, "2")).to_contain_text("IDLE")
    expect(ring).to_contain_text("TALKING")
    expect(ring.locator(".parties")).to_have_text(CUSTOMER)
    y_crm = section_frame(y, "CRM", "1")
    moved = ok(y_crm, "interaction.getByInteractionId", "1")
    assert (moved["callUuid"], moved["parties"]) == (call_uuid, [{"name": CUSTOMER}])
    assert moved["isConsultation"] is False

    # The customer is still one call: the SDK finds it at Y's, the simulation API hangs it up.
    with server.client() as sim:
        assert [leg["agent"] for leg in sim.call_legs(call_uuid)] == [y_name]
        sim.hangup(call_uuid)
    expect(ring).to_contain_text("IDLE")
    assert x_number != y_number


def test_conference_from_the_desktop_survives_one_leaving(new_context, server, fresh_agent):
    x_name, x_password, x_number = fresh_agent()
    y_name, y_password, y_number = fresh_agent()
    x = open_desktop(new_context(), server, x_name, x_password)
    y = open_desktop(new_context(), server, y_name, y_password)
    call_uuid = answered_customer_call(server, x, x_name)

    # X picks Y in the call's transfer controls and consults.
    main = card(x, "1")
    main.get_by_label("Colleague").select_option(y_name)
    main.get_by_role("button", name="Consult", exact=True).click()
    expect(main).to_contain_text("HELD")
    ring = card(y, "1")
    expect(ring).to_contain_text("RINGING")
    ring.get_by_role("button", name="Answer", exact=True).click()
    consult = card(x, "2")
    expect(consult).to_contain_text("TALKING")
    consult.get_by_role("button", name="Complete Conference").click()

    # Three parties: each agent sees the customer and the other agent.
    expect(consult).to_contain_text("IDLE")
    expect(main).to_contain_text("TALKING")
    expect(main.locator(".parties")).to_have_text(f"{CUSTOMER}, {y_number}")
    expect(ring.locator(".parties")).to_have_text(f"{CUSTOMER}, {x_number}")
    y_crm = section_frame(y, "CRM", "1")
    subscribe(y_crm, "interaction")
    with server.client() as sim:
        assert sorted(leg["agent"] for leg in sim.call_legs(call_uuid)) == sorted([x_name, y_name])

    # X leaves: the customer and Y stay connected.
    main.get_by_role("button", name="Hang Up", exact=True).click()
    expect(main).to_contain_text("IDLE")
    changed = wait_event(y_crm, "interaction", "PARTY_CHANGED", "1")["data"]["interaction"]
    assert changed["parties"] == [{"name": CUSTOMER}] and changed["state"] == "TALKING"
    expect(ring.locator(".parties")).to_have_text(CUSTOMER)
    expect(ring).to_contain_text("TALKING")
    with server.client() as sim:
        sim.hangup(call_uuid)
    expect(ring).to_contain_text("IDLE")


def test_reject_on_an_offered_chat(new_context, server, fresh_agent):
    x_name, x_password, _ = fresh_agent()
    x = open_desktop(new_context(), server, x_name, x_password)
    with server.client() as sim:
        sim.chat(x_name, "Ada", "Hello")
    offer = card(x, "1")
    expect(offer).to_contain_text("INVITED")
    offer.get_by_role("button", name="Reject", exact=True).click()
    expect(offer).to_have_count(0)


def test_the_pytest_plugin_desktop_transfers_and_rejects(new_context, server, fresh_agent):
    x_name, x_password, _ = fresh_agent()
    y_name, y_password, _ = fresh_agent()
    x = Desktop(open_desktop(new_context(), server, x_name, x_password), server)
    y = Desktop(open_desktop(new_context(), server, y_name, y_password), server)
    call_uuid = answered_customer_call(server, x.page, x_name)
    x.transfer(y_name)  # blind: X's call is released once Y is offered it
    expect(card(x.page, "1")).to_contain_text("IDLE")
    ring = card(y.page, "1")
    expect(ring).to_contain_text("RINGING")
    expect(ring.locator(".parties")).to_have_text(CUSTOMER)
    y.answer()
    expect(ring).to_contain_text("TALKING")
    # Y consults a number that answers through the simulation API, then hands the call out.
    y.consult("noanswer-9")
    consult = card(y.page, "2")
    expect(consult).to_contain_text("DIALING")
    with server.client() as sim:
        leg = sim.wait_for_interaction(
            lambda i: i.get("isConsultation") is True, agent=y_name, state="DIALING"
        )
        sim.answer(leg["callUuid"])
        expect(consult).to_contain_text("TALKING")
        y.complete_transfer()
        expect(ring).to_contain_text("IDLE")
        expect(consult).to_contain_text("IDLE")
        assert sim.wait_for_interaction(agent=y_name, state="IDLE")["callUuid"] in (
            call_uuid,
            leg["callUuid"],
        )
        x.mark_done()  # X's released call leaves: the chat's case is shown
        expect(card(x.page, "1")).to_have_count(0)
        sim.chat(x_name, "Ada", "Hello")
    expect(x.page.get_by_role("button", name="Reject", exact=True)).to_be_visible()
    x.reject()
    expect(x.page.get_by_role("button", name="Reject", exact=True)).to_have_count(0)
