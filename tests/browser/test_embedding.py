"""A page that embeds the desktop and targets it explicitly (protocol.md): the desktop
treats it as a frame of the page's origin, with that origin's policy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_support import Pages, WweServer, standard_config
from playwright.sync_api import BrowserContext

from wwe_host.testing import login

pytestmark = pytest.mark.browser


def test_embedding_page_uses_the_api_through_the_desktop(
    wwe_server_factory: Callable[..., WweServer],
    pages: Pages,
    new_context: Callable[[], BrowserContext],
) -> None:
    def config(url: str) -> str:
        text = standard_config(url, pages)
        return text.replace("[wwe-host]\n", f"[wwe-host]\nframe-ancestors = 'self' {pages.a}\n", 1)

    server = wwe_server_factory(config)
    page = new_context().new_page()
    login(page, server.url, "u01", "pw-u01")
    page.goto(f"{pages.a}/embed.html?host={server.url}")
    info = page.evaluate("T.start()")
    assert info["frameId"].startswith("f-") and info["origin"] == server.url
    agent = page.evaluate("T.call('agent.get')")
    assert agent["data"]["username"] == "u01"
    page.evaluate("T.subscribe(['agent'])")
    state = page.evaluate("T.call('agent.setState', ['Ready'])")
    assert "errorMessage" not in state
    page.wait_for_function("T.events.some(e => e.data.mediaState === 'READY')")
    # The embedding page is an interaction-level frame of its origin: the full filter of a.
    allowed = page.evaluate("T.call('system.getAllowedServices')")["data"]
    assert "interaction.setUserData" in allowed and "voice.dial" in allowed
