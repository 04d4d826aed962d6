"""The demo (``wwe-host serve`` without ``--config``, as ``make run``): the demo app shows
each reply next to the button pressed, its cards keep their buttons, JSON keys and the
desktop's case data keys do not break mid-word (docs/desktop.md "Layout")."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Frame, Page, expect

from wwe_host.testing import DemoProcess, login

pytestmark = pytest.mark.browser

# Every request card: the right edges of its contents (buttons included) against its own.
SPILLS = """() => [...document.querySelectorAll('form.request')].flatMap((card) => {
  const edge = card.getBoundingClientRect().right + 0.5;
  return [...card.querySelectorAll('button, input, textarea, label')]
    .filter((el) => el.getBoundingClientRect().right > edge)
    .map((el) => card.dataset.request + ': ' + (el.textContent || el.name));
})"""

# How many lines a cell's text takes.
LINES = """(el) => { const r = document.createRange(); r.selectNodeContents(el);
  return new Set([...r.getClientRects()].map((rect) => Math.round(rect.top))).size; }"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoProcess]:
    process = DemoProcess(tmp_path_factory.mktemp("demo"))
    process.start()
    yield process
    process.stop()


def interaction_app(page: Page) -> Frame:
    app = page.frame_locator('iframe[src*="level=interaction"]')
    expect(app.get_by_text("Connected as frame")).to_be_visible()
    frame = next(f for f in page.frames if "level=interaction" in f.url)
    return frame


def test_replies_beside_the_button_and_cards_that_hold_their_buttons(
    context: BrowserContext, demo: DemoProcess
) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, demo.url, "agent1", "agent1")
    with demo.client() as sim:
        sim.call("agent1", "+15550100")
    card = page.locator("article.interaction").last
    card.get_by_role("button", name="Answer").click()
    expect(card).to_contain_text("TALKING")
    page.get_by_label("New key").fill("CustomerName")
    page.get_by_label("New value").fill("Alice Wonderland")
    page.get_by_role("button", name="Add", exact=True).click()
    key = page.locator("#case-data-rows th", has_text="CustomerName")
    expect(key).to_be_visible()
    assert key.evaluate(LINES) == 1  # not "CustomerNam/e"

    app = interaction_app(page)
    form = app.locator('form[data-request="interaction.getByInteractionId"]')
    button = form.get_by_role("button", name="interaction.getByInteractionId")
    button.click()
    reply = form.locator(".inline-reply")
    expect(reply).to_contain_text("ok")
    expect(reply).to_contain_text('"CustomerName": "Alice Wonderland"')
    expect(reply).to_be_in_viewport()
    below = button.bounding_box()
    shown = reply.bounding_box()
    assert below is not None and shown is not None
    assert 0 <= shown["y"] - (below["y"] + below["height"]) < 40, (below, shown)
    assert reply.locator(".json").evaluate("el => getComputedStyle(el).whiteSpace") == "pre"

    for width, height in ((1280, 800), (1024, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert app.evaluate(SPILLS) == [], width


def press(app: Frame, request: str, *expected: str) -> None:
    """Click a request's button in the demo app and wait for its reply beside it."""
    form = app.locator(f'form[data-request="{request}"]')
    form.get_by_role("button", name=request, exact=True).click()
    reply = form.locator(".inline-reply")
    for text in expected:
        expect(reply).to_contain_text(text)


def test_the_system_buttons_open_a_dialog_add_a_menu_item_and_ask_the_tab(
    context: BrowserContext, demo: DemoProcess
) -> None:
    page = context.new_page()
    login(page, demo.url, "agent2", "agent2")
    with demo.client() as sim:
        sim.call("agent2", "+15550123")
    card = page.locator("article.interaction").last
    card.get_by_role("button", name="Answer").click()
    app = interaction_app(page)
    press(app, "system.amIVisible", "ok", "true")
    press(app, "system.isFrameLeading", "ok", "true")
    press(app, "system.isFrameFollowing", "ok", "false")
    press(app, "system.isFrameNegotiating", "ok", "false")
    press(app, "system.isFrameLeadingOrNegotiating", "ok", "true")
    press(app, "system.isLastActiveFrame", "ok", "true")

    # The demo opens itself as a dialog; the dialog's copy knows where it is.
    press(app, "system.openDialog", "ok", "wweCustomDialog")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    inside = page.frame_locator(".dialog iframe")
    expect(inside.get_by_text("In the desktop's modal dialog wweCustomDialog")).to_be_visible()
    close_id = app.locator('form[data-request="system.closeDialog"] [name="dialogId"]')
    expect(close_id).to_have_value(re.compile(r"^wweCustomDialog\d+$"))
    # The dialog's own demo closes it (the page behind is inert while it is open).
    inside.locator('form[data-request="system.closeDialog"]').get_by_role(
        "button", name="system.closeDialog", exact=True
    ).click()
    expect(dialog).to_have_count(0)

    press(app, "system.updateViewInApplicationMenuBar", "ok")
    bar = page.get_by_role("list", name="Application menu bar")
    expect(bar.get_by_role("button", name="Demo app")).to_be_visible()
    press(app, "system.closeViewInApplicationMenuBar", "ok", "true")
    expect(bar.get_by_role("button", name="Demo app")).to_have_count(0)
