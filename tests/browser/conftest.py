"""Browser tests: a real ``wwe-host serve`` process, real headless Chromium, real origins.

- ``wwe_server_factory`` starts ``wwe-host serve`` subprocesses (free port, temp data dir,
  an INI file written by the test); a server can be killed with SIGKILL and restarted with
  the same command, port and data dir.
- ``pages`` serves ``tests/browser/pages`` on three ports of 127.0.0.1, i.e. three origins:
  ``a`` (accepted with every request), ``b`` (accepted with a filter) and ``c`` (not listed).
  The pages load the client library from the wwe-host server named in ``?host=``.
- ``server`` is the session's shared server, configured by ``standard_config``; each test
  logs in its own agent (``fresh_agent``), so tests do not see each other's sessions.

The helpers (``login``, ``section_frame``, ``call``, ``wait_event`` ...) are in
``browser_support.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest
from browser_support import (
    FRAME_TIMEOUT_MS,
    PAGES,
    POOL,
    Pages,
    WweServer,
    pool_number,
    standard_config,
)
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from wwe_host.testing import StaticSite, free_port, launch_chromium, login


@pytest.fixture(name="free_port")
def free_port_fixture() -> Callable[[], int]:
    return free_port


@pytest.fixture(scope="session")
def pages() -> Iterator[Pages]:
    sites = [StaticSite(PAGES) for _ in range(3)]
    try:
        yield Pages(*(site.url for site in sites))
    finally:
        for site in sites:
            site.close()


ConfigText = str | Callable[[str], str]


@pytest.fixture(scope="session")
def wwe_server_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[ConfigText], WweServer]]:
    """``factory(config)``: start ``wwe-host serve`` on a free port with a temp data dir.

    ``config`` is the INI text, or a function of the server's URL that returns it (the
    test pages' URLs name the server, to load the client library from it).
    """
    started: list[WweServer] = []

    def factory(config: ConfigText) -> WweServer:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        directory = tmp_path_factory.mktemp("wwe-host")
        text = config if isinstance(config, str) else config(url)
        server = WweServer(text, directory, port)
        started.append(server)
        server.start()
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server(wwe_server_factory: Callable[[ConfigText], WweServer], pages: Pages) -> WweServer:
    return wwe_server_factory(lambda url: standard_config(url, pages))


@pytest.fixture(scope="session")
def agent_pool() -> Iterator[str]:
    return iter(POOL)


@pytest.fixture
def fresh_agent(agent_pool: Iterator[str]) -> Callable[[], tuple[str, str, str]]:
    """``fresh_agent()`` -> (username, password, number) of a pool agent no test used yet."""

    def take() -> tuple[str, str, str]:
        name = next(agent_pool)
        return name, f"pw-{name}", pool_number(name)

    return take


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """``new_context()``: a fresh browser context (own cookies), closed after the test."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context()
        context.set_default_timeout(FRAME_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


@pytest.fixture
def context(new_context: Callable[[], BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(name="login")
def login_fixture(server: WweServer) -> Callable[[Page, str, str], None]:
    """``login(page, username, password)`` on the shared server, through the login form."""

    def do_login(page: Page, username: str, password: str) -> None:
        login(page, server.url, username, password)

    return do_login
