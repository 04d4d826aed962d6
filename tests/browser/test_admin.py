"""The admin page at /admin: access by role, live agents and interactions, pushing calls,
e-mails and chats from the page, editing attached data, the audit log and the outbox.

One server for the module: the standard test configuration plus an admin (``boss``, who has
ROLE_ADMIN) and a queue. Each test uses its own pool agents, so tests do not see each
other's interactions; the admin page is driven in its own browser context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from browser_support import (
    POOL,
    Pages,
    agent_section,
    call,
    dial_from_desktop,
    ok,
    open_desktop,
    section_frame,
    standard_config,
)
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from wwe_host.client import WweHostClient
from wwe_host.testing import ServerProcess as WweServer

pytestmark = pytest.mark.browser

ADMIN, ADMIN_PASSWORD = "boss", "pw-boss"
EXTRA = (
    agent_section(ADMIN, "7100", "roles = ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN")
    + "[queue:help]\nmedia = voice\nagents = u01\n"
)


@pytest.fixture(scope="module")
def admin_server(
    wwe_server_factory: Callable[[str | Callable[[str], str]], WweServer], pages: Pages
) -> WweServer:
    return wwe_server_factory(lambda url: standard_config(url, pages, agents=EXTRA))


@pytest.fixture
def admin_api(admin_server: WweServer) -> Iterator[WweHostClient]:
    """The REST API with the configuration's admin token (to set up and check)."""
    with admin_server.client() as client:
        yield client


def api_login(context: BrowserContext, server: WweServer, username: str, password: str) -> None:
    """Log in without opening the desktop: the context keeps the session cookie."""
    response = context.request.post(
        f"{server.url}/api/v1/login",
        data={"username": username, "password": password},
        headers={"origin": server.url},  # what the login page's own fetch sends
    )
    assert response.ok, response.text()


def open_admin(context: BrowserContext, server: WweServer) -> Page:
    api_login(context, server, ADMIN, ADMIN_PASSWORD)
    page = context.new_page()
    response = page.goto(f"{server.url}/admin")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Admin and simulation")).to_be_visible()
    expect(page.get_by_role("table", name="Agents").get_by_role("row")).not_to_have_count(1)
    return page


def live_interaction(admin: Page, text: str) -> Locator:
    return (
        admin.get_by_role("region", name="Live interactions")
        .get_by_role("article")
        .filter(has_text=text)
    )


def agent_row(admin: Page, username: str) -> Locator:
    table = admin.get_by_role("table", name="Agents")
    return table.get_by_role("row").filter(
        has=admin.get_by_role("rowheader", name=username, exact=True)
    )


def audit_rows(admin: Page) -> Locator:
    return admin.get_by_role("table", name="Audit log").locator("tbody tr")


def test_admin_page_needs_a_role_admin_session(
    new_context: Callable[[], BrowserContext], admin_server: WweServer
) -> None:
    url = f"{admin_server.url}/admin"

    # Not logged in: to the login page (which comes back here), with a 303.
    anonymous = new_context().new_page()
    response = anonymous.goto(url)
    assert response is not None
    assert anonymous.url == f"{admin_server.url}/?next=/admin"
    first = response.request.redirected_from
    assert first is not None and first.url == url
    first_response = first.response()
    assert first_response is not None and first_response.status == 303
    expect(anonymous.get_by_role("button", name="Log in")).to_be_visible()

    # Logged in without ROLE_ADMIN: 403 and why, and no admin page.
    agent = new_context()
    api_login(agent, admin_server, "u01", "pw-u01")
    refused = agent.new_page()
    response = refused.goto(url)
    assert response is not None and response.status == 403
    expect(refused.get_by_role("heading", name="403 Forbidden")).to_be_visible()
    expect(refused.locator("body")).to_contain_text("needs ROLE_ADMIN; user 'u01'")
    expect(refused.get_by_role("table", name="Agents")).to_have_count(0)

    # With ROLE_ADMIN: the page, with the configured queue among the push destinations.
    admin = open_admin(new_context(), admin_server)
    expect(admin.locator('#destinations option[value="queue:help"]')).to_have_count(1)
    expect(admin.get_by_role("link", name="Agent desktop")).to_have_attribute("href", "/desktop")


def test_admin_sees_agents_live(
    new_context: Callable[[], BrowserContext], admin_server: WweServer
) -> None:
    admin = open_admin(new_context(), admin_server)
    boss = agent_row(admin, ADMIN)
    expect(boss).to_contain_text("Firstboss Lastboss")
    expect(boss.get_by_role("cell").nth(2)).to_have_text("Yes")
    u02 = agent_row(admin, "u02")
    expect(u02.get_by_role("cell")).to_have_text(
        ["Firstu02 Lastu02", "6002", "No", "", "", "0", ""]
    )
    # Every configured agent has a row (the pool agents, 5 special ones and the admin).
    agents = admin.get_by_role("table", name="Agents").locator("tbody tr")
    expect(agents).to_have_count(len(POOL) + 6)  # the pool and six named agents

    # The agent logs in elsewhere: the page follows without a reload.
    open_desktop(new_context(), admin_server, "u02", "pw-u02")
    expect(u02.get_by_role("cell").nth(2)).to_have_text("Yes")
    expect(u02.get_by_role("cell").nth(3)).to_have_text("Not Ready")
    expect(u02.get_by_role("cell").nth(4)).to_contain_text("voice: Not Ready")
    expect(admin.locator('#destinations option[value="u02"]')).to_have_count(1)


def test_push_call_rings_the_agent_and_shows_live(
    new_context: Callable[[], BrowserContext], admin_server: WweServer
) -> None:
    desktop = open_desktop(new_context(), admin_server, "u03", "pw-u03")
    admin = open_admin(new_context(), admin_server)

    form = admin.get_by_role("form", name="Push a call")
    form.get_by_label("To").fill("u03")
    form.get_by_label("From").fill("+15550303")
    form.get_by_label("Attached data").fill("Customer=Ada\nTier=gold\n")
    form.get_by_role("button", name="Push call").click()
    expect(form.get_by_role("status")).to_contain_text('"state": "RINGING"')
    expect(form.get_by_role("alert")).to_have_count(0)  # empty: not shown

    card = desktop.locator('article[data-interaction-id="1"]')
    expect(card).to_contain_text("RINGING")
    expect(card).to_contain_text("+15550303")
    expect(card.get_by_role("button", name="Answer")).to_be_visible()

    live = live_interaction(admin, "+15550303")
    expect(live).to_contain_text("RINGING")
    expect(live).to_contain_text("agent u03")
    expect(live.get_by_label("Customer", exact=True)).to_have_value("Ada")
    expect(live.get_by_label("Tier", exact=True)).to_have_value("gold")
    expect(agent_row(admin, "u03").get_by_role("cell").nth(5)).to_have_text("1")

    # The agent answers in the desktop: the admin page follows.
    card.get_by_role("button", name="Answer").click()
    expect(live).to_contain_text("TALKING")

    # The far end hangs up from the admin page: the agent's call is released.
    live.get_by_role("button", name="Far end hangs up").click()
    expect(card).to_contain_text("IDLE")
    expect(card.get_by_role("button", name="Mark Done")).to_be_visible()
    expect(live).to_contain_text("IDLE")
    expect(live.get_by_role("button", name="Far end hangs up")).to_have_count(0)

    # An outbound call that nobody answers: the admin page makes the far end answer.
    card.get_by_role("button", name="Mark Done").click()
    expect(live).to_have_count(0)
    dial_from_desktop(desktop, "noanswer-303")
    outbound = live_interaction(admin, "noanswer-303")
    expect(outbound).to_contain_text("DIALING")
    expect(outbound.get_by_role("button", name="Far end hangs up")).to_be_visible()
    outbound.get_by_role("button", name="Far end answers").click()
    expect(desktop.locator('article[data-interaction-id="2"]')).to_contain_text("TALKING")
    expect(outbound).to_contain_text("TALKING")
    expect(outbound.get_by_role("button", name="Far end answers")).to_have_count(0)


def test_attached_data_edits_reach_the_desktop(
    new_context: Callable[[], BrowserContext], admin_server: WweServer, admin_api: WweHostClient
) -> None:
    desktop = open_desktop(new_context(), admin_server, "u04", "pw-u04")
    pushed = admin_api.call(
        "u04", "+15550404", user_data={"Customer": "Ada", "Tier": "gold", "Score": 7}
    )
    admin = open_admin(new_context(), admin_server)
    live = live_interaction(admin, "+15550404")
    case_data = desktop.get_by_role("region", name="Case data")
    expect(case_data.get_by_label("Customer", exact=True)).to_have_value("Ada")

    # Typed text survives the page's polling until it is committed.
    customer = live.get_by_label("Customer", exact=True)
    expect(customer).to_have_value("Ada")
    customer.fill("Gra")
    loads = int(admin.locator("body").get_attribute("data-loads") or 0)
    admin.wait_for_function(  # two polls of the lists later
        "n => Number(document.body.dataset.loads) >= n", arg=loads + 2
    )
    expect(customer).to_have_value("Gra")
    expect(customer).to_be_focused()
    expect(case_data.get_by_label("Customer", exact=True)).to_have_value("Ada")
    customer.fill("Grace")
    customer.press("Enter")
    expect(case_data.get_by_label("Customer", exact=True)).to_have_value("Grace")

    # A number stays a number.
    score = live.get_by_label("Score", exact=True)
    score.fill("8")
    score.press("Tab")
    expect(case_data.get_by_label("Score", exact=True)).to_have_value("8")

    # Add a key, delete another.
    live.get_by_label("New key").fill("Segment")
    live.get_by_label("New value").fill("vip")
    live.get_by_role("button", name="Add").click()
    expect(case_data.get_by_label("Segment", exact=True)).to_have_value("vip")
    expect(live.get_by_label("New key")).to_have_value("")
    live.get_by_role("button", name="Delete Tier").click()
    expect(case_data.get_by_role("rowheader", name="Tier", exact=True)).to_have_count(0)
    expect(live.get_by_label("Tier", exact=True)).to_have_count(0)

    [interaction] = admin_api.interactions(agent="u04")
    assert interaction["interactionUUID"] == pushed["interactionUUID"]
    assert interaction["userData"] == {"Customer": "Grace", "Score": 8, "Segment": "vip"}


def test_audit_log_shows_frame_requests_with_filters(
    new_context: Callable[[], BrowserContext], admin_server: WweServer, pages: Pages
) -> None:
    desktop = open_desktop(new_context(), admin_server, "u05", "pw-u05")
    dialer = section_frame(desktop, "Dialer")
    ok(dialer, "system.getAllowedServices")
    refused = call(dialer, "agent.get")  # the workspace tab may only dial
    assert not refused["ok"] and refused["errorCode"] == "NOT_ALLOWED", refused

    admin = open_admin(new_context(), admin_server)
    rows = audit_rows(admin)
    row = rows.filter(has_text="agent.get").filter(has_text="u05")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("refused")
    expect(row).to_contain_text(pages.a)
    expect(
        rows.filter(has_text="system.getAllowedServices").filter(has_text="u05")
    ).not_to_have_count(0)

    admin.get_by_label("Agent", exact=True).fill("u05")
    admin.get_by_label("Outcome", exact=True).fill("refused")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("agent.get")
    expect(admin.get_by_role("region", name="Audit log")).to_contain_text("1 entry (filtered)")

    admin.get_by_label("Outcome", exact=True).fill("allowed")
    expect(rows.filter(has_text="system.getAllowedServices")).not_to_have_count(0)
    expect(rows.filter(has_text="agent.get")).to_have_count(0)
    for agent in rows.locator("td:nth-child(2)").all_text_contents():
        assert agent == "u05"


def test_outbox_shows_an_email_sent_from_the_desktop(
    new_context: Callable[[], BrowserContext], admin_server: WweServer
) -> None:
    subject = "Your order 6006 has shipped"
    admin = open_admin(new_context(), admin_server)
    outbox = admin.get_by_role("region", name="Outbox")
    expect(outbox.get_by_role("row").filter(has_text=subject)).to_have_count(0)

    desktop = open_desktop(new_context(), admin_server, "u06", "pw-u06")
    desktop.get_by_label("E-mail address").fill("ada@example.com")
    desktop.get_by_role("button", name="Create e-mail").click()
    desktop.get_by_label("Subject").fill(subject)
    desktop.get_by_label("Body").fill("It is on its way.")
    desktop.get_by_role("button", name="Send", exact=True).click()

    row = outbox.get_by_role("row").filter(has_text=subject)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell")).to_have_text(
        [
            re.compile(r"^\d\d:\d\d:\d\d\.\d{3}$"),  # the time, today
            "u06@wwe-host.local",
            "ada@example.com",
            subject,
            "kept",
        ]
    )
    expect(live_interaction(admin, "ada@example.com")).to_contain_text("SENT")


def test_push_email_and_chat_and_play_the_customer(
    new_context: Callable[[], BrowserContext], admin_server: WweServer
) -> None:
    desktop = open_desktop(new_context(), admin_server, "u07", "pw-u07")
    admin = open_admin(new_context(), admin_server)

    chat_form = admin.get_by_role("form", name="Push a chat")
    chat_form.get_by_label("To").fill("u07")
    chat_form.get_by_label("From").fill("Grace Hopper")
    chat_form.get_by_label("Message").fill("Hello, anyone there?")
    chat_form.get_by_role("button", name="Push chat").click()
    expect(chat_form.get_by_role("status")).to_contain_text('"state": "INVITED"')
    transcript = desktop.get_by_role("log", name="Chat 1 transcript")
    expect(transcript).to_contain_text("Hello, anyone there?")

    live = live_interaction(admin, "Grace Hopper")
    expect(live).to_contain_text("INVITED")
    live.get_by_label("Customer writes").fill("It is about my order.")
    live.get_by_role("button", name="Send").click()
    expect(transcript).to_contain_text("It is about my order.")
    expect(live.get_by_label("Customer writes")).to_have_value("")

    live.get_by_role("button", name="Customer leaves").click()
    expect(desktop.locator('article[data-interaction-id="1"]')).to_contain_text("ENDED")
    expect(live).to_contain_text("ENDED")
    expect(live.get_by_role("button", name="Customer leaves")).to_have_count(0)

    email_form = admin.get_by_role("form", name="Push an e-mail")
    email_form.get_by_label("To").fill("u07")
    email_form.get_by_label("From").fill("ada@example.com")
    email_form.get_by_label("Subject").fill("Invoice 42")
    email_form.get_by_role("button", name="Push e-mail").click()
    expect(email_form.get_by_role("status")).to_contain_text('"agent": "u07"')
    expect(desktop.locator('article[data-interaction-id="2"]')).to_contain_text("INVITED")
    expect(live_interaction(admin, "Invoice 42")).to_contain_text("INVITED")

    # A refusal is shown as the server's message.
    call_form = admin.get_by_role("form", name="Push a call")
    call_form.get_by_label("To").fill("u40")  # configured, not logged in
    call_form.get_by_role("button", name="Push call").click()
    expect(call_form.get_by_role("alert")).to_contain_text("409 INVALID_STATE")
    expect(call_form.get_by_role("status")).to_have_count(0)  # the previous answer is gone
    call_form.get_by_label("Attached data").fill("no equals sign")
    call_form.get_by_role("button", name="Push call").click()
    expect(call_form.get_by_role("alert")).to_contain_text("line 1: expected key=value")


def test_a_supervisor_who_logs_in_from_admin_returns_to_admin(
    browser: Browser, new_context: Callable[[], BrowserContext], admin_server: WweServer
) -> None:
    page = new_context().new_page()
    page.goto(f"{admin_server.url}/admin")
    expect(page.get_by_role("status")).to_have_text("Log in to open the admin page.")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Admin and simulation")).to_be_visible()
    assert page.url == f"{admin_server.url}/admin"
    # Logged in already: the login page with ?next=/admin goes straight back; without it,
    # to the desktop as before; a next that is not one of the pages is not followed.
    page.goto(f"{admin_server.url}/?next=/admin")
    assert page.url == f"{admin_server.url}/admin"
    page.goto(f"{admin_server.url}/?next=https://evil.example/")
    assert page.url == f"{admin_server.url}/desktop"

    # Without scripts the plain form post comes back to /admin too (and a wrong password
    # keeps the way back).
    bare = browser.new_context(java_script_enabled=False)
    try:
        plain = bare.new_page()
        plain.goto(f"{admin_server.url}/admin")
        plain.locator("#username").fill(ADMIN)
        plain.locator("#password").fill("wrong")
        plain.locator("#login-submit").click()
        plain.wait_for_url(re.compile(r"/\?error=login&next=/admin"))
        plain.locator("#username").fill(ADMIN)
        plain.locator("#password").fill(ADMIN_PASSWORD)
        plain.locator("#login-submit").click()
        plain.wait_for_url(f"{admin_server.url}/admin")
        expect(plain.get_by_role("heading", name="Admin and simulation")).to_be_visible()
    finally:
        bare.close()


def test_the_queues_panel_shows_what_waits(
    new_context: Callable[[], BrowserContext],
    admin_server: WweServer,
    admin_api: WweHostClient,
) -> None:
    admin = open_admin(new_context(), admin_server)
    queues = admin.get_by_role("region", name="Queues")
    help_queue = queues.get_by_role("article", name=re.compile("queue:help"))
    expect(help_queue.get_by_role("heading")).to_have_text("queue:help \u2014 none waiting")
    expect(help_queue).to_contain_text("voice \u00b7 members: u01")
    # u01, the only member, is not ready: the call waits, and the page shows it.
    waiting = admin_api.call("queue:help", "5550177", user_data={"Reason": "billing"})
    assert waiting["state"] == "QUEUED"
    row = help_queue.get_by_role("table", name="Waiting in help").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(2)).to_have_text("voice")
    expect(row.get_by_role("cell").nth(3)).to_have_text("5550177")
    expect(row.get_by_role("cell").nth(4)).to_have_text(f"call {waiting['callUuid']}")
    expect(row.get_by_role("cell").nth(5)).to_have_text("Reason=billing")
    expect(help_queue.get_by_role("heading")).to_contain_text("1 waiting, longest 00:0")
    # The caller gives up: the queue is empty again.
    admin_api.hangup(waiting["callUuid"])
    expect(row).to_have_count(0)
    expect(help_queue.get_by_role("heading")).to_have_text("queue:help \u2014 none waiting")
