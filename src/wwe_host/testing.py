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

import configparser
import functools
import http.server
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from .client import WweHostClient

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
DEFAULT_ADMIN_TOKEN = "wwe-host-test-token"
STARTUP_TIMEOUT = 30.0

ConfigSource = Mapping[str, Mapping[str, object]] | str | Path


def free_port() -> int:
    """A TCP port that was free a moment ago (bind to port 0, then release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def config_text(source: ConfigSource) -> str:
    """INI text for a configuration given as a dict, INI text or a file path; test
    configurations get plain passwords and an admin token unless they set their own."""
    if isinstance(source, Path):
        return source.read_text()
    if isinstance(source, str):
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(source)
    else:
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        for section, options in source.items():
            parser[section] = {key: str(value) for key, value in options.items()}
    if not parser.has_section("wwe-host"):
        parser.add_section("wwe-host")
    server = parser["wwe-host"]
    server.setdefault("insecure-plain-password", "true")
    server.setdefault("admin-token", DEFAULT_ADMIN_TOKEN)
    out = io.StringIO()
    parser.write(out)
    return out.getvalue()


def first_agent(text: str) -> tuple[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    for section in parser.sections():
        if section.startswith("agent:"):
            return section.removeprefix("agent:"), parser[section].get("password", "")
    raise ValueError("the configuration has no [agent:<username>] section")


def wwe_host_command() -> list[str]:
    script = Path(sys.executable).parent / "wwe-host"
    return [str(script)] if script.exists() else [sys.executable, "-m", "wwe_host"]


class ServerProcess:
    """One ``wwe-host serve`` process; ``kill()`` is SIGKILL, ``start()`` (re)starts it on
    the same port and data directory."""

    def __init__(self, text: str, directory: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = directory
        self.config_path = directory / "wwe-host.ini"
        self.data_dir = directory / "data"
        self.log_path = directory / "server.log"
        directory.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(text)
        self.data_dir.mkdir(exist_ok=True)
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(text)
        self.admin_token = parser.get("wwe-host", "admin-token", fallback=None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.command = [
            *wwe_host_command(),
            "serve",
            "--config",
            str(self.config_path),
            "--listen",
            f"127.0.0.1:{self.port}",
            "--data-dir",
            str(self.data_dir),
        ]

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "already running"
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self.wait_healthy()

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"wwe-host exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"wwe-host did not become healthy:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs (what a crash or an OOM kill does)."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def client(self) -> WweHostClient:
        return WweHostClient(self.url, self.admin_token)

    def login(self, username: str, password: str) -> str:
        """Log in as the desktop's login page does (with its Origin); the session cookie."""
        request = urllib.request.Request(
            self.url + "/api/v1/login",
            data=json.dumps({"username": username, "password": password}).encode(),
            headers={"content-type": "application/json", "origin": self.url},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            cookie = response.headers.get("set-cookie", "")
        token = cookie.split("wwe_session=", 1)[1].split(";", 1)[0] if cookie else ""
        assert token, f"no session cookie after logging in as {username!r}"
        return token

    def desktop_socket(self, username: str, password: str) -> ClientConnection:
        """The desktop's WebSocket of ``username``, opened as the desktop page opens it
        (its Origin, the session cookie); no size limit, no compression."""
        return connect(
            self.url.replace("http", "ws", 1) + "/desktop/ws",
            origin=Origin(self.url),
            additional_headers={"Cookie": f"wwe_session={self.login(username, password)}"},
            max_size=None,
            compression=None,
        )


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
