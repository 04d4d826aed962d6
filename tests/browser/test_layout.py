"""The desktop's layout, theme, keyboard shortcuts and accessibility (docs/desktop.md
"Layout", "Theme", "Keyboard shortcuts"), in real Chromium.

Few page loads: one desktop with a live call is measured at every width by resizing it.
One server for the module: the standard configuration plus an admin (for the admin page).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from browser_support import (
    Pages,
    agent_section,
    axe_violations,
    ok,
    open_desktop,
    section_frame,
    standard_config,
)
from playwright.sync_api import BrowserContext, Page, expect

from wwe_host.client import WweHostClient
from wwe_host.testing import ServerProcess as WweServer

pytestmark = pytest.mark.browser

ADMIN, ADMIN_PASSWORD = "chief", "pw-chief"
WIDTHS = [(1440, 900), (1280, 800), (1024, 768), (820, 1180), (390, 844)]

# The header's visible controls and indicators, and any pair whose boxes overlap; the
# page's horizontal overflow; the workspace's height (an embedded app's room).
MEASURE = """() => {
  const header = document.querySelector('.topbar');
  const shown = (e) => e.getClientRects().length > 0
    && getComputedStyle(e).visibility === 'visible';
  const els = [...header.querySelectorAll(
      'button, select, [role=status], [role=timer], .agent, .menu-item, .identity')]
    .filter((e) => shown(e) && !e.closest('[data-open]'));
  const box = (e) => e.getBoundingClientRect();
  const name = (e) => e.id || e.getAttribute('aria-label') || e.className || e.tagName;
  const overlaps = [];
  for (let i = 0; i < els.length; i++) {
    for (let j = i + 1; j < els.length; j++) {
      if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
      const a = box(els[i]), b = box(els[j]);
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5
          && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
        overlaps.push([name(els[i]), name(els[j])]);
      }
    }
  }
  const root = document.documentElement;
  const outside = els.filter((e) => box(e).right > root.clientWidth + 0.5).map(name);
  // The side column's cards (a talking call's transfer strip) and the outbound panel: no
  // control spills out of its card or panel, or past the window's right edge.
  const spilled = [];
  for (const holder of document.querySelectorAll('article.interaction, #outbound-panel')) {
    if (!shown(holder)) continue;
    const edge = box(holder);
    for (const c of holder.querySelectorAll('button, input, select, textarea')) {
      if (!shown(c)) continue;
      const b = box(c);
      if (b.right > Math.min(edge.right, root.clientWidth) + 0.5 || b.left < edge.left - 0.5) {
        spilled.push(name(c));
      }
    }
  }
  return {
    overlaps, outside, spilled, controls: els.length,
    scrollWidth: Math.max(root.scrollWidth, document.body.scrollWidth),
    clientWidth: root.clientWidth,
    workspace: document.querySelector('.workspace').getBoundingClientRect().height,
  };
}"""


# The agent measured at every width has a preview campaign (the outbound panel shows).
CALLER, CALLER_PASSWORD = "lay", "pw-lay"


@pytest.fixture(scope="module")
def layout_server(
    wwe_server_factory: Callable[[str | Callable[[str], str]], WweServer],
    pages: Pages,
    tmp_path_factory: pytest.TempPathFactory,
) -> WweServer:
    records = tmp_path_factory.mktemp("layout") / "leads.csv"
    records.write_text("phone,chain,name\n+15550001,c1,Ann Lee\n+15550002,c1,Ann at work\n")
    agents = (
        agent_section(ADMIN, "7200", "roles = ROLE_AGENT, ROLE_ADMIN")
        + agent_section(CALLER, "7201")
        + f"[campaign:spring]\nmode = preview\nagents = {CALLER}\nrecords = {records}\n"
    )

    def config(url: str) -> str:
        # The Dialer (a workspace tab) may use outbound.* (to fetch a preview record).
        return standard_config(url, pages, agents=agents).replace(
            "[interaction-workspace]\n",
            "[interaction-workspace]\nservice-client-api.workspace-web-content.dial-only = false\n",
            1,
        )

    server = wwe_server_factory(config)
    for action in ("load", "start"):
        answer = httpx.post(
            f"{server.url}/api/v1/campaigns/spring/{action}",
            headers={"authorization": "Bearer browser-test-token"},
        )
        assert answer.status_code == 200, answer.text
    return server


@pytest.fixture
def sim(layout_server: WweServer) -> Iterator[WweHostClient]:
    with layout_server.client() as client:
        yield client


def ring(page: Page, sim: WweHostClient, username: str) -> Any:
    """An inbound call to the agent, ringing on the page; the card."""
    sim.call(username, "+15550199")
    card = page.locator("article.interaction").last
    expect(card).to_contain_text("RINGING")
    return card


def background(page: Page) -> str:
    return str(page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor"))


def test_header_and_layout_at_four_widths(
    context: BrowserContext, layout_server: WweServer
) -> None:
    page = open_desktop(context, layout_server, CALLER, CALLER_PASSWORD)
    # Everything the merged desktop can show at once: an outbound preview (its panel in
    # the side column), a talking call with its transfer strip, time in state, menu-bar
    # items from a frame and the tab indicator.
    ok(section_frame(page, "Dialer"), "outbound.getPreviewRecord", "spring")
    panel = page.locator("#outbound-panel")
    expect(panel).to_be_visible()
    # The record's call joins the preview's case: the panel stays beside the call.
    panel.get_by_role("button", name="Call +15550002").click()
    card = page.locator("article.interaction").filter(has_text="TALKING")
    expect(card).to_have_count(1)
    expect(panel).to_be_visible()
    expect(card.get_by_role("button", name="Consult", exact=True)).to_be_visible()
    expect(page.locator("#state-time")).to_have_text(re.compile(r"^\d+:\d\d"))
    # Items a frame put in the menu bar share the header with the tab indicator.
    crm = section_frame(page, "CRM", None)
    for item in (
        {"name": "shift", "label": "Time left in this shift 4:46", "shortLabel": "4:46"},
        {"name": "queue", "label": "Calls waiting in the sales queue: 3"},
    ):
        assert ok(crm, "system.updateViewInApplicationMenuBar", item) is None
    expect(page.get_by_role("list", name="Application menu bar")).to_be_visible()
    expect(page.locator("#tab-state")).to_have_text("Leading tab")

    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        m = page.evaluate(MEASURE)
        at = f"at {width} px: {m}"
        assert m["controls"] >= 6, at
        assert m["overlaps"] == [], at
        assert m["outside"] == [], at
        assert m["spilled"] == [], at
        assert m["scrollWidth"] <= m["clientWidth"], at
        assert m["workspace"] >= 400, at  # an embedded app gets a usable height
        expect(page.get_by_label("Agent state")).to_be_visible()
        media_toggle = page.get_by_role("button", name="Media states")
        menu = page.get_by_role("button", name="Menu", exact=True)
        microphone = page.get_by_role("button", name="Mute microphone")
        if width >= 1600:
            expect(media_toggle).to_be_hidden()
        else:  # the media states fold into a menu
            expect(page.get_by_label("voice state")).to_be_hidden()
            media_toggle.click()
            expect(page.get_by_label("voice state")).to_be_visible()
            page.keyboard.press("Escape")
            expect(page.get_by_label("voice state")).to_be_hidden()
            expect(media_toggle).to_be_focused()
        if width >= 1280:
            expect(menu).to_be_hidden()
            expect(microphone).to_be_visible()
        else:  # so do the tools
            expect(microphone).to_be_hidden()
            menu.click()
            expect(microphone).to_be_in_viewport(ratio=1)
            logout = page.get_by_role("button", name="Log out")
            expect(logout).to_be_in_viewport(ratio=1)
            page.mouse.click(width // 2, height - 20)  # a click elsewhere closes it
            expect(microphone).to_be_hidden()

    # "Log out" ends the session, "Log Off" is a state: told apart by name and description.
    page.set_viewport_size({"width": 1440, "height": 900})
    logout = page.get_by_role("button", name="Log out")
    expect(logout).to_have_accessible_description("Leave the desktop and end this session.")
    assert page.get_by_role("button", name="Log Off").count() == 0
    # The outbound panel and the transfer strip pass axe-core as the rest does.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme


def test_dark_mode_follows_the_system_and_the_toggle(
    new_context: Callable[[], BrowserContext], layout_server: WweServer, fresh_agent
) -> None:
    name, password, _ = fresh_agent()
    context = new_context()
    page = open_desktop(context, layout_server, name, password)
    page.emulate_media(color_scheme="light")
    light = background(page)
    page.emulate_media(color_scheme="dark")
    dark = background(page)
    assert light != dark
    toggle = page.get_by_role("button", name="Dark theme")
    expect(toggle).to_have_attribute("aria-pressed", "true")

    # The toggle overrides the system, and is remembered (the login page follows it too).
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert background(page) == light
    page.reload()
    expect(page.get_by_role("button", name="Dark theme")).to_have_attribute("aria-pressed", "false")
    assert background(page) == light
    context.clear_cookies()  # logged out (the login page would go on to the desktop)
    login_page = context.new_page()
    login_page.emulate_media(color_scheme="dark")
    login_page.goto(f"{layout_server.url}/?ended=logout")
    card = login_page.locator(".login-card")
    light_card = card.evaluate("el => getComputedStyle(el).backgroundColor")
    # Choosing what the system says forgets the choice: the page follows the system again.
    page.get_by_role("button", name="Dark theme").click()
    assert page.evaluate("() => localStorage.getItem('wwe-host.theme')") is None
    login_page.reload()
    assert card.evaluate("el => getComputedStyle(el).backgroundColor") != light_card


def test_keyboard_shortcuts(
    context: BrowserContext, layout_server: WweServer, sim: WweHostClient, fresh_agent
) -> None:
    name, password, _ = fresh_agent()
    page = open_desktop(context, layout_server, name, password)
    state = page.get_by_label("Agent state")
    expect(state).to_be_enabled()

    # "?" opens the list (a modal dialog, focus inside); Escape closes it, focus goes back.
    page.get_by_role("button", name="Call").focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    for key in ("A", "H", "R", "N", "M", "D", "I", "T", "?"):
        expect(dialog.get_by_role("rowheader", name=key, exact=True)).to_be_visible()
    page.keyboard.press("r")  # keys inside the dialog are not shortcuts
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Call")).to_be_focused()
    expect(state).not_to_have_value("Ready")

    page.keyboard.press("r")
    expect(state).to_have_value("Ready")
    page.keyboard.press("n")
    expect(state).to_have_value("NotReady")

    card = ring(page, sim, name)
    page.keyboard.press("d")  # to the dial pad; typed keys there are not shortcuts
    number = page.get_by_label("Number")
    expect(number).to_be_focused()
    number.press_sequentially("ah")
    expect(number).to_have_value("ah")
    expect(card).to_contain_text("RINGING")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("a")
    expect(card).to_contain_text("TALKING")
    page.keyboard.press("m")
    expect(page.get_by_role("button", name="Unmute microphone")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.press("Control+h")  # with a modifier: the browser's, not ours
    expect(card).to_contain_text("TALKING")
    page.keyboard.press("h")
    expect(card).to_contain_text("IDLE")


def test_no_serious_accessibility_violations(
    new_context: Callable[[], BrowserContext],
    layout_server: WweServer,
    sim: WweHostClient,
    fresh_agent,
) -> None:
    context = new_context()
    login_page = context.new_page()
    login_page.goto(f"{layout_server.url}/")
    expect(login_page.get_by_role("button", name="Log in")).to_be_visible()
    assert axe_violations(login_page) == []

    name, password, _ = fresh_agent()
    page = open_desktop(context, layout_server, name, password)
    card = ring(page, sim, name)
    card.get_by_role("button", name="Answer").click()
    expect(card).to_contain_text("TALKING")
    section_frame(page, "CRM", None)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme

    admin_context = new_context()
    admin = open_desktop(admin_context, layout_server, ADMIN, ADMIN_PASSWORD)
    admin.goto(f"{layout_server.url}/admin")
    expect(admin.get_by_role("heading", name="Admin and simulation")).to_be_visible()
    expect(admin.locator("#agent-rows")).to_contain_text(name)
    for scheme in ("light", "dark"):
        admin.emulate_media(color_scheme=scheme)
        assert axe_violations(admin) == [], scheme
