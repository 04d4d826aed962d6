"""The cookie doors as an attacker tries them: a page of another origin of the same site
(another port of 127.0.0.1, so the browser sends the agent's SameSite=Lax cookie along)
opens the desktop WebSocket and posts a logout. Both are refused and change nothing; the
agent's desktop keeps working, and so does a new desktop of the desktop's own origin."""

from __future__ import annotations

import pytest
from browser_support import dial_from_desktop, ok, open_desktop, section_frame
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# What the hostile page runs: the desktop's own protocol, with the cookie the browser adds.
OPEN_DESKTOP_SOCKET = """
(url) => new Promise((resolve) => {
  const got = [];
  const socket = new WebSocket(url);
  socket.onopen = () => socket.send(JSON.stringify({ type: "hello", frames: [] }));
  socket.onmessage = (event) => got.push(JSON.parse(event.data).type);
  socket.onclose = (event) => resolve({ code: event.code, reason: event.reason, got });
  setTimeout(() => { resolve({ code: null, reason: "still open", got }); socket.close(); }, 5000);
})
"""
POST_LOGOUT = """
(url) => fetch(url, { method: "POST", credentials: "include", mode: "no-cors" })
  .then((response) => response.type)
"""


def test_a_same_site_page_cannot_use_the_agents_cookie(context, server, pages, fresh_agent):
    name, password, _ = fresh_agent()
    desktop = open_desktop(context, server, name, password)
    dial_from_desktop(desktop, "5550001")
    crm = section_frame(desktop, "CRM", "1")
    assert ok(crm, "interaction.getByInteractionId", "1")["state"] in ("DIALING", "TALKING")

    # Same browser, same cookies: a page of origin c (another port of 127.0.0.1).
    hostile = context.new_page()
    hostile.goto(pages.c + "/")
    assert hostile.evaluate("() => window.location.origin") == pages.c
    socket = hostile.evaluate(OPEN_DESKTOP_SOCKET, server.url.replace("http", "ws") + "/desktop/ws")
    assert socket == {
        "code": 4403,
        "reason": f"refused: origin '{pages.c}' is not the desktop's",
        "got": [],  # no snapshot, nothing at all
    }
    assert hostile.evaluate(POST_LOGOUT, server.url + "/api/v1/logout") == "opaque"

    # Nothing changed: the session, its live call, the desktop's connection.
    with server.client() as sim:
        agent = next(a for a in sim.agents() if a["username"] == name)
        assert agent["loggedIn"] is True
        calls = sim.interactions(agent=name)
        assert [c["state"] for c in calls] in (["DIALING"], ["TALKING"])
        refused = sim.audit(agent=name, outcome="refused:door")
    # The browser did send the agent's cookie: the audit names whose it was.
    assert [(e["request"], e["origin"]) for e in refused] == [
        ("desktop-ws", pages.c),
        ("logout", pages.c),
    ]
    desktop.get_by_label("Agent state").select_option("Ready")
    assert ok(crm, "agent.getState")["type"] == "READY"
    assert ok(crm, "interaction.getByInteractionId", "1")["state"] in ("DIALING", "TALKING")
    desktop.get_by_role("button", name="Traffic inspector").click()
    inspector = desktop.get_by_role("region", name="Traffic inspector")
    expect(inspector.get_by_text("refused:door").first).to_be_visible()

    # The desktop's own origin still gets in: a second desktop of the same agent.
    second = context.new_page()
    second.goto(server.url + "/desktop")
    expect(second.get_by_label("Agent state")).to_be_enabled()
    expect(second.get_by_label("Agent state")).to_have_value("Ready")
    assert second.locator("#connection-banner").is_hidden()
