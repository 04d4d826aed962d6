"""pytest plugin for integrators: a real wwe-host server, its simulation API, and a
logged-in desktop in headless Chromium, as fixtures.

Installed with the package and registered as a pytest plugin (entry point ``wwe_host``).
Fixtures:

- ``wwe_host_config``: override it to give the configuration — a dict of sections
  (``{"interaction-workspace": {...}, "agent:ann": {...}}``), INI text, or a path. Dicts
  and text get ``insecure-plain-password = true`` and an admin token when they have none.
- ``wwe_host``: a ``wwe-host serve`` process on a free port with its own data directory.
- ``sim``: a ``WweHostClient`` of that server's simulation/admin REST API.
- ``static_site``: serve a directory of your app on a free port (its own origin).
- ``wwe_host_agent``: the (username, password) the desktop logs in with (default: the first
  agent of the configuration).
- ``desktop``: a ``Desktop`` — a logged-in agent desktop in headless Chromium (Playwright)
  with helpers: ``frame(section)``, ``answer()``, ``hang_up()``, ``mark_done()``,
  ``click_toast_button(name)``, ``dial(number)``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .client import WweHostClient
from .processes import (
    DEFAULT_ADMIN_TOKEN,
    STARTUP_TIMEOUT,
    ConfigSource,
    ServerProcess,
    config_text,
    first_agent,
    free_port,
    wwe_host_command,
)

__all__ = [  # the plugin's own names, and the server process helpers it re-exports
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DEFAULT_ADMIN_TOKEN",
    "LIBRARY",
    "STARTUP_TIMEOUT",
    "ConfigSource",
    "Desktop",
    "ServerProcess",
    "StaticSite",
    "config_text",
    "desktop",
    "first_agent",
    "free_port",
    "launch_chromium",
    "login",
    "sim",
    "static_site",
    "wwe_host",
    "wwe_host_agent",
    "wwe_host_browser",
    "wwe_host_command",
    "wwe_host_config",
]

CHROMIUM = os.environ.get("WWE_HOST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

LIBRARY = Path(__file__).parent / "web" / "static" / "wwe-service-client-api.js"


DEMO_ADMIN_TOKEN = "demo-admin-token"  # demo.ini's


def free_port_pair() -> int:
    """A free port whose next port is free too (the demo app takes the next one)."""
    for _ in range(50):
        port = free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free consecutive ports on 127.0.0.1")


class DemoProcess(ServerProcess):
    """``wwe-host serve`` with the built-in demo configuration (no ``--config``), as
    ``make run`` starts it: the desktop at ``url``, the demo app at ``demo_url`` (the next
    port); logins agent1/agent1, agent2/agent2; admin token ``demo-admin-token``."""

    def __init__(self, directory: Path) -> None:
        super().__init__("", directory, free_port_pair())
        self.admin_token = DEMO_ADMIN_TOKEN
        self.demo_url = f"http://127.0.0.1:{self.port + 1}"
        self.command = [
            *wwe_host_command(),
            "serve",
            "--listen",
            f"127.0.0.1:{self.port}",
            "--data-dir",
            str(self.data_dir),
        ]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        """The app's own files; and the client library, when the app has no copy of it."""
        local = super().translate_path(path)
        if path.split("?", 1)[0] == "/" + LIBRARY.name and not os.path.exists(local):
            return str(LIBRARY)
        return local


class StaticSite:
    """A directory served over HTTP on a free port of 127.0.0.1 (an origin of its own),
    with ``/wwe-service-client-api.js`` beside it unless the directory has its own."""

    def __init__(self, directory: str | Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium (Playwright cannot download its own browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def login(page: Any, base_url: str, username: str, password: str) -> None:
    """Log in through the login form and wait until the desktop is up."""
    from playwright.sync_api import expect

    page.goto(base_url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/desktop")
    expect(page.get_by_label("Agent state")).to_be_enabled()


class Desktop:
    """A logged-in agent desktop, with the few moves a test of a third-party app needs."""

    def __init__(self, page: Any, server: ServerProcess) -> None:
        self.page = page
        self.server = server

    def frame(self, section: str, interaction_id: str | None = None, timeout: float = 15.0) -> Any:
        """The Playwright ``Frame`` of a web-content section (of one interaction when there
        are several), once its document has loaded."""
        deadline = time.monotonic() + timeout
        selector = f'iframe[data-section="{section}"]'
        if interaction_id is not None:
            selector += f'[data-interaction-id="{interaction_id}"]'
        while time.monotonic() < deadline:
            for handle in self.page.locator(selector).element_handles():
                frame = handle.content_frame()
                if frame is not None and frame.url.startswith("http"):
                    frame.wait_for_load_state()
                    return frame
            self.page.wait_for_timeout(100)
        raise AssertionError(f"no loaded iframe for section {section!r}")

    def _click(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).first.click()

    def answer(self) -> None:
        self._click("Answer")

    def hang_up(self) -> None:
        self._click("Hang Up")

    def mark_done(self) -> None:
        self._click("Mark Done")

    def dial(self, number: str) -> None:
        self.page.get_by_role("textbox", name="Number").fill(number)
        self._click("Call")

    # Consultations, transfers, conferences and offers (the call card's controls).

    def consult(self, target: str, interaction_id: str | None = None) -> None:
        """Consult ``target`` (a colleague's user name, else a phone number) from a talking
        call (``interaction_id``, else the first call that offers it)."""
        self._redirect("Consult", target, interaction_id)

    def transfer(self, target: str, interaction_id: str | None = None) -> None:
        """Blind transfer (interaction.singleStepTransfer) of a talking call to ``target``."""
        self._redirect("Transfer", target, interaction_id)

    def conference(self, target: str, interaction_id: str | None = None) -> None:
        """Add ``target`` to a talking call (interaction.singleStepConference)."""
        self._redirect("Conference", target, interaction_id)

    def complete_transfer(self) -> None:
        self._click("Complete Transfer")

    def complete_conference(self) -> None:
        self._click("Complete Conference")

    def reject(self) -> None:
        """Decline the first offer (a ringing call, an invited e-mail or chat)."""
        self._click("Reject")

    def _redirect(self, button: str, target: str, interaction_id: str | None) -> None:
        page = self.page
        if interaction_id is not None:
            card = page.locator(f'article[data-interaction-id="{interaction_id}"]')
        else:
            offering = page.get_by_role("button", name=button, exact=True)
            card = page.locator("article.interaction").filter(has=offering).first
        # The picker asks the server for colleagues matching its search field: search for
        # the target, wait for that answer, then pick it or, if no agent matches, dial it.
        card.get_by_label("Search agents").fill(target)
        picker = card.get_by_label("Colleague")
        answered = json.dumps(target.strip())
        card.locator(f"select[data-answered={answered}]").wait_for(state="attached")
        names = picker.locator("option").evaluate_all("options => options.map(o => o.value)")
        if target in names:
            picker.select_option(target)
        else:
            card.get_by_label("or phone").fill(target)
        card.get_by_role("button", name=button, exact=True).click()

    def click_toast_button(self, name: str) -> None:
        region = self.page.get_by_role("region", name="Notifications")
        region.get_by_role("button", name=name, exact=True).first.click()


# --- fixtures -------------------------------------------------------------------------


DEFAULT_CONFIG: dict[str, dict[str, object]] = {
    "agent:agent1": {
        "firstname": "Ann",
        "lastname": "Agent",
        "employeeId": "1001",
        "password": "agent1",
        "number": "5001",
    },
}


@pytest.fixture
def wwe_host_config() -> ConfigSource:
    """Override in your tests: the configuration of the ``wwe_host`` server."""
    return DEFAULT_CONFIG


@pytest.fixture
def wwe_host(
    wwe_host_config: ConfigSource, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    server = ServerProcess(config_text(wwe_host_config), tmp_path_factory.mktemp("wwe-host"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sim(wwe_host: ServerProcess) -> Iterator[WweHostClient]:
    with wwe_host.client() as client:
        yield client


@pytest.fixture
def static_site() -> Iterator[Callable[[str | Path], str]]:
    """``static_site(directory)`` serves it on a free port and returns its base URL."""
    sites: list[StaticSite] = []

    def serve(directory: str | Path) -> str:
        site = StaticSite(directory)
        sites.append(site)
        return site.url

    yield serve
    for site in sites:
        site.close()


@pytest.fixture
def wwe_host_agent(wwe_host: ServerProcess) -> tuple[str, str]:
    return first_agent(wwe_host.config_path.read_text())


@pytest.fixture(scope="module")
def wwe_host_browser() -> Iterator[Any]:
    """Chromium for one test module. Not for the whole session: while Playwright's sync API
    is open it keeps an event loop running, and asyncio tests in later modules would fail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def desktop(
    wwe_host: ServerProcess, wwe_host_agent: tuple[str, str], wwe_host_browser: Any
) -> Iterator[Desktop]:
    context = wwe_host_browser.new_context()
    page = context.new_page()
    login(page, wwe_host.url, *wwe_host_agent)
    try:
        yield Desktop(page, wwe_host)
    finally:
        context.close()


__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "Desktop",
    "ServerProcess",
    "StaticSite",
    "config_text",
    "free_port",
    "launch_chromium",
    "login",
]
