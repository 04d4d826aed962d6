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
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from wwe_host.client import WweHostClient
from wwe_host.testing import free_port, launch_chromium, login, wwe_host_command

ROOT = Path(__file__).resolve().parent.parent
DEMO_TOKEN = "demo-admin-token"  # the demo configuration's admin token (README)
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
THEMES = ("light", "dark")


def two_free_ports() -> int:
    """A port whose next port is free too (the demo app takes the next one)."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free consecutive ports on 127.0.0.1")


def start_demo(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = two_free_ports()
    url = f"http://127.0.0.1:{port}"
    command = [*wwe_host_command(), "serve", "--listen", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*command, "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return process, url
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the demo did not start at {url}")


def stage_call(page: Page, url: str) -> None:
    """A call in progress: answered, case data, recording, a toast from the demo app."""
    with WweHostClient(url, DEMO_TOKEN) as sim:
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
        process, url = start_demo(Path(temp))
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                width, height = SIZES["desktop"]
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                login(page, url, "agent1", "agent1")
                stage_call(page, url)
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
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    main()
