"""Regenerate the README's screenshots (``make screenshots``): the agent desktop on a call,
with the demo app embedded, at a desktop width (1440 x 900) and a phone width (390 x 844),
in the light and the dark theme, into docs/screenshots/.

Starts the demo (``wwe-host serve`` without ``--config``: the demo app on the next port) in
a temporary data directory, logs in agent1 with Debian's Chromium, pushes a call, answers
it, adds case data, starts recording, and has the demo app pop up a toast.

    python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from wwe_host.client import WweHostClient
from wwe_host.testing import DemoProcess, launch_chromium, login

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
THEMES = ("light", "dark")


def stage_call(page: Page, sim: WweHostClient) -> None:
    """A call in progress: answered, case data, recording, a toast from the demo app."""
    with sim:
        sim.call("agent1", "+15550100")
    card = page.locator("article.interaction").last
    card.get_by_role("button", name="Answer").click()
    expect(card).to_contain_text("TALKING")
    page.get_by_label("New key").fill("CustomerSegment")
    page.get_by_label("New value").fill("Gold")
    page.get_by_role("button", name="Add", exact=True).click()
    card.get_by_role("button", name="Start Recording").click()
    expect(card).to_contain_text("REC")
    app = page.frame_locator('iframe[src*="level=interaction"]')
    expect(app.get_by_text("Connected as frame")).to_be_visible()
    app.get_by_role("button", name="system.popupToast").click()
    expect(page.get_by_role("region", name="Notifications")).not_to_be_empty()
    page.locator("#case-data-heading").click()  # focus out of the frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wwe-host-shots-") as temp:
        demo = DemoProcess(Path(temp))
        demo.start()
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                width, height = SIZES["desktop"]
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                login(page, demo.url, "agent1", "agent1")
                stage_call(page, demo.client())
                for size, (width, height) in SIZES.items():
                    page.set_viewport_size({"width": width, "height": height})
                    for theme in THEMES:
                        page.emulate_media(color_scheme=theme)
                        page.wait_for_timeout(300)  # layout and theme settle
                        path = args.out / f"{size}-{theme}.png"
                        page.screenshot(path=str(path))
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                browser.close()
        finally:
            demo.stop()


if __name__ == "__main__":
    main()
