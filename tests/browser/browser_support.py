"""Helpers of the browser tests: the wwe-host server process, the test configuration, the
third-party test pages, and driving a desktop and its frames with Playwright.

The fixtures that use them are in ``conftest.py``. Test modules import from here
(``from browser_support import ...``), as the unit tests do with ``engine_support``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import BrowserContext, Frame, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# The package's own test helpers, shared with integrators.
from wwe_host.testing import ServerProcess as WweServer
from wwe_host.testing import login

PAGES = Path(__file__).parent / "pages"
FRAME_TIMEOUT_MS = 15_000
expect.set_options(timeout=10_000)

# Agents of the shared configuration: a pool handed out one per test.
POOL = [f"u{n:02d}" for n in range(1, 81)]  # one per test that needs a fresh agent
POOL_NUMBER_BASE = 6000


def pool_number(username: str) -> str:
    return str(POOL_NUMBER_BASE + int(username[1:]))


# --------------------------------------------------------------------------------------
# Ports and the third-party pages' server
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pages:
    """Origins serving tests/browser/pages: a = accepted (*), b = filtered, c = unlisted."""

    a: str
    b: str
    c: str


# --------------------------------------------------------------------------------------
# The wwe-host server process and its configuration
# --------------------------------------------------------------------------------------


def agent_section(username: str, number: str, extra: str = "") -> str:
    return (
        f"[agent:{username}]\n"
        f"firstname = First{username}\n"
        f"lastname = Last{username}\n"
        f"employeeId = E{number}\n"
        f"password = pw-{username}\n"
        f"number = {number}\n"
        f"{extra}\n"
    )


def standard_config(server_url: str, pages: Pages, agents: str = "") -> str:
    """The test configuration.

    - origin ``a`` may use every request, ``b`` only ``agent.*`` and ``system.*``; ``c`` is
      not listed (but is web content, so the desktop's CSP lets it load);
    - ``Dialer`` (a) is the agent-level workspace tab (click-to-dial only);
    - every interaction gets ``CRM`` (a) and ``Notes`` (b) tabs; pool agents ``u01``…;
    - special agents override the interaction web content, the inactivity timeout or the
      wrap-up (``wrapup``: disposition codes, one required, after-call work).
    """
    host = f"host={server_url}"
    pool = "".join(agent_section(name, pool_number(name)) for name in POOL)
    return f"""
[wwe-host]
insecure-plain-password = true
admin-token = browser-test-token

[interaction-workspace]
service-client-api.accepted-web-content-origins = {pages.a} (*), {pages.b} (agent.*, system.*)
service-client-api.rate-limit.voice.isSpeakerMute = 3
service-client-api.rate-limit-quarantine-delay = 30
service-client-api.user-data.read-allowed = Pub*, Disposition
service-client-api.user-data.write-allowed = Pub*, Secret*, Disposition
workspace.web-content = Dialer
interaction.web-content = CRM, Notes
agent-status.not-ready-reasons = Break, Lunch
sim.voice.answer-delay = 0.2

[action-codes]
Break = 1511
Lunch = 1512

[Dialer]
label = Dialer
url = {pages.a}/app.html?{host}&name=dialer

[CRM]
label = CRM
url = {pages.a}/app.html?{host}&name=crm&interaction=$Interaction.Id$

[Notes]
label = Notes
url = {pages.b}/app.html?{host}&name=notes&interaction=$Interaction.Id$

[Stranger]
label = Stranger
url = {pages.c}/app.html?{host}&name=stranger&interaction=$Interaction.Id$&timeout=3000

[PopupApp]
label = Popup app
mode = popup
url = {pages.a}/app.html?{host}&name=popup&interaction=$Interaction.Id$

[BackgroundApp]
label = Background app
mode = background
url = {pages.b}/app.html?{host}&name=background&interaction=$Interaction.Id$

[HiddenApp]
label = Hidden app
mode = hidden
url = {pages.a}/app.html?{host}&name=hidden&interaction=$Interaction.Id$

[Guide]
label = Guide example
url = {pages.a}/guide.html?{host}&interaction=$Interaction.Id$

[Promises]
label = Promise example
url = {pages.b}/promise.html?{host}&interaction=$Interaction.Id$

{pool}
{agent_section("stranger", "7001", "interaction.web-content = CRM, Stranger")}
{agent_section("modes", "7002", "interaction.web-content = PopupApp, BackgroundApp, HiddenApp")}
{agent_section("guide", "7003", "interaction.web-content = Guide, Promises")}
{agent_section("idle", "7004", IDLE_OVERRIDES)}
{agent_section("wrapup", "7005", WRAP_UP_OVERRIDES)}
{agents}
"""


WRAP_UP_OVERRIDES = (
    "interaction.disposition.value-business-attribute = Resolved, Callback\n"
    "interaction.disposition.is-mandatory = true\nvoice.after-call-work = true"
)
IDLE_OVERRIDES = (
    "security.inactivity-timeout = 0.05\nsecurity.inactivity-alert-dialog-before-timeout = 2"
)


# --------------------------------------------------------------------------------------
# The desktop
# --------------------------------------------------------------------------------------


def open_desktop(context: BrowserContext, server: WweServer, username: str, password: str) -> Page:
    page = context.new_page()
    login(page, server.url, username, password)
    return page


# --------------------------------------------------------------------------------------
# Frames: find them, send requests, wait for events
# --------------------------------------------------------------------------------------


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def section_frame(
    page: Page,
    section: str,
    interaction_id: str | None = None,
    *,
    timeout_ms: int = FRAME_TIMEOUT_MS,
    ready: bool = True,
) -> Frame:
    """The Frame of the iframe with ``data-section=section`` (for that interaction, matched
    by the ``interaction=`` of its URL), once its test app has been greeted by the desktop."""
    deadline = time.monotonic() + timeout_ms / 1000
    seen: list[str] = []
    while time.monotonic() < deadline:
        seen = []
        for handle in page.locator(f'iframe[data-section="{section}"]').element_handles():
            frame = handle.content_frame()
            if frame is None:
                continue
            seen.append(frame.url)
            if not frame.url.startswith("http"):
                continue
            if interaction_id is not None and _query(frame.url).get("interaction") != (
                interaction_id
            ):
                continue
            if ready:
                wait_ready(frame, timeout_ms=max(1000, int((deadline - time.monotonic()) * 1000)))
            return frame
        page.wait_for_timeout(100)
    raise AssertionError(
        f"no iframe data-section={section!r} interaction={interaction_id!r}; saw {seen}"
    )


def wait_ready(frame: Frame, *, timeout_ms: int = FRAME_TIMEOUT_MS) -> dict[str, Any]:
    """Wait for the test app's ``ready()`` to settle; fail if no greeting came."""
    try:
        frame.wait_for_function(
            "() => window.T && (window.T.ready || window.T.readyError)", timeout=timeout_ms
        )
    except PlaywrightTimeoutError:
        state = frame.evaluate("() => window.T ? 'not greeted yet' : 'test app not loaded'")
        raise AssertionError(f"frame {frame.url}: {state} after {timeout_ms} ms") from None
    info = frame.evaluate("() => ({ready: T.ready, error: T.readyError})")
    assert info["ready"], f"frame {frame.url} was not greeted: {info['error']}"
    return dict(info["ready"])


def call(frame: Frame, request: str, *params: Any, timeout_ms: int | None = None) -> dict[str, Any]:
    """Send a request from the frame's test app; the reply (``ok`` True) or failure."""
    result = frame.evaluate(
        "([request, params, timeout]) => T.call(request, params, timeout === null ? undefined"
        " : timeout)",
        [request, list(params), timeout_ms],
    )
    return dict(result)


def ok(frame: Frame, request: str, *params: Any) -> Any:
    reply = call(frame, request, *params)
    assert reply["ok"], f"{request}{list(params)} failed: {reply}"
    assert "errorMessage" not in reply
    return reply["data"]


def fails(frame: Frame, request: str, *params: Any, code: str) -> dict[str, Any]:
    reply = call(frame, request, *params)
    assert not reply["ok"], f"{request}{list(params)} succeeded: {reply}"
    assert reply["errorCode"] == code, reply
    return reply


def subscribe(frame: Frame, *topics: str) -> str:
    reply = frame.evaluate("(topics) => T.subscribe(topics)", list(topics))
    assert reply["ok"], reply
    return str(reply["subscriptionId"])


def wait_event(
    frame: Frame,
    topic: str,
    event_type: str,
    interaction_id: str | None = None,
    *,
    after: int = 0,
    timeout_ms: int = 10_000,
) -> dict[str, Any]:
    """Wait until the frame recorded a matching event (from index ``after`` on)."""
    handle = frame.wait_for_function(
        "([t, e, i, a]) => T.find(t, e, i, a)",
        arg=[topic, event_type, interaction_id, after],
        timeout=timeout_ms,
    )
    return dict(handle.json_value())


def events(frame: Frame) -> list[dict[str, Any]]:
    return list(frame.evaluate("() => T.events"))


def event_count(frame: Frame) -> int:
    return int(frame.evaluate("() => T.events.length"))


def dial_from_desktop(page: Page, number: str) -> None:
    """The agent's own dial pad: Number + Call."""
    page.get_by_label("Number").fill(number)
    page.get_by_role("button", name="Call").click()


def wait_state(frame: Frame, interaction_id: str, state: str, timeout_ms: int = 10_000) -> None:
    """Poll ``interaction.getByInteractionId`` until the interaction is in ``state``."""
    deadline = time.monotonic() + timeout_ms / 1000
    current = None
    while time.monotonic() < deadline:
        current = ok(frame, "interaction.getByInteractionId", interaction_id)
        if current is not None and current["state"] == state:
            return
        frame.wait_for_timeout(100)
    raise AssertionError(f"interaction {interaction_id} is not {state}: {current}")


# --------------------------------------------------------------------------------------
# Accessibility: axe-core, from npm into tests/browser/node_modules (`make axe`)
# --------------------------------------------------------------------------------------

AXE_SOURCE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core in the page (not in its third-party frames, which are not ours) and
    return its violations of those impacts, one readable line each.

    axe is injected through the DevTools protocol (``evaluate``), so the page's CSP, which
    allows no inline script, is not loosened for the test."""
    assert AXE_SOURCE.exists(), f"{AXE_SOURCE} is missing: run `make axe` (npm ci)"
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, { iframes: false, resultTypes: ["violations"] });
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
        }"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
        for v in result
        if v["impact"] in impacts
    ]
