"""The cookie doors (web/doors.py): which origins pass, and login and logout over HTTP
against ``build_site(engine)`` (the desktop WebSocket's door is in test_desktop_ws.py,
REST changes in test_rest.py). A refusal changes nothing and is audited, counted, logged."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from engine_support import CRM, make_config, started_engine

from wwe_host.api.desktop import ACTIONS
from wwe_host.config import ServerSettings
from wwe_host.core.time import ManualClock
from wwe_host.engine import Engine
from wwe_host.web import doors
from wwe_host.web.app import build_site
from wwe_host.web.desktop_ws import SESSION_COOKIE

PUBLIC = "http://127.0.0.1:8080"
PROXIED = "https://desk.example.com"
SIBLING = "http://127.0.0.1:9003"  # same site as the desktop, another origin
LOGIN = {"username": "jdoe", "password": "secret"}


# --------------------------------------------------------------------------- which origins


def test_public_urls_origin_and_the_listed_ones_pass() -> None:
    server = ServerSettings(public_url="https://WWE.example.com:443/desk", desktop_origins=())
    assert server.accepted_desktop_origins == {"https://wwe.example.com"}
    for origin in (
        "https://wwe.example.com",
        "HTTPS://wwe.EXAMPLE.com:443",
        " https://wwe.example.com",
    ):
        assert doors.origin_problem(server, doors.LOGIN, origin) is None
    listed = ServerSettings(desktop_origins=(PROXIED, "http://10.0.0.5:8080"))
    assert listed.accepted_desktop_origins == {PUBLIC, PROXIED, "http://10.0.0.5:8080"}
    for origin in (PUBLIC, PROXIED, "http://10.0.0.5:8080"):
        assert doors.origin_problem(listed, doors.LOGOUT, origin) is None


@pytest.mark.parametrize(
    "origin",
    [
        SIBLING,  # another port
        "https://127.0.0.1:8080",  # another scheme
        "http://127.0.0.1",  # another (default) port
        "http://localhost:8080",  # another host name for the same machine
        "http://127.0.0.1:8080.evil.net",
        "null",  # sandboxed or file: documents
        "*",
        "",
        "http://127.0.0.1:8080/desktop",  # not an origin
    ],
)
def test_every_other_origin_is_refused_by_name(origin: str) -> None:
    problem = doors.origin_problem(ServerSettings(), doors.DESKTOP_WS, origin)
    assert problem is not None
    assert f"The origin '{origin}' may not open the desktop connection" in problem
    assert f"only the desktop's own origin ({PUBLIC}) may" in problem
    assert "public-url or desktop-origins" in problem


def test_no_origin_header_is_refused() -> None:
    problem = doors.origin_problem(ServerSettings(), doors.REST, None)
    assert problem is not None
    assert problem.startswith("The request has no Origin header.")
    assert f"Only the desktop's own pages ({PUBLIC}) may make changes" in problem


def test_close_reasons_fit_a_close_frame() -> None:
    long = "http://" + "a" * 200 + ".example"
    assert len(doors.origin_close_reason(long).encode()) <= doors.CLOSE_REASON_BYTES
    assert doors.origin_close_reason(long).endswith("...")
    assert doors.close_reason("\u00e9" * 100).encode().decode() == "\u00e9" * 60 + "..."
    assert doors.origin_close_reason(SIBLING) == f"refused: origin '{SIBLING}' is not the desktop's"


def test_the_log_gate_logs_once_a_minute_per_door_and_origin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock(0.0)
    gate = doors.LogGate(clock=clock)
    with caplog.at_level(logging.WARNING, logger="wwe_host.web"):
        assert gate.log(doors.LOGIN, doors.ORIGIN, SIBLING, "", "why")
        assert not gate.log(doors.LOGIN, doors.ORIGIN, SIBLING, "", "why")
        assert not gate.log(doors.LOGIN, doors.ORIGIN, SIBLING, "", "why")
        assert gate.log(doors.LOGOUT, doors.ORIGIN, SIBLING, "jdoe", "why")  # another door
        clock.now += 60
        assert gate.log(doors.LOGIN, doors.ORIGIN, SIBLING, "", "why")
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        f"refused login (origin) from {SIBLING}: why",
        f"refused logout (origin) from {SIBLING} with the cookie of jdoe: why",
        f"refused login (origin) from {SIBLING} (2 more since the last line): why",
    ]


# --------------------------------------------------------------------------- login, logout


@dataclass
class Site:
    engine: Engine
    http: httpx.AsyncClient
    clock: ManualClock

    async def login(self, origin: str | None = PUBLIC, form: bool = False) -> httpx.Response:
        headers = {"origin": origin} if origin is not None else {}
        if form:
            return await self.http.post("/api/v1/login", data=LOGIN, headers=headers)
        return await self.http.post("/api/v1/login", json=LOGIN, headers=headers)

    async def logout(self, cookie: str, origin: str | None = PUBLIC) -> httpx.Response:
        headers = {"cookie": f"{SESSION_COOKIE}={cookie}"}
        if origin is not None:
            headers["origin"] = origin
        return await self.http.post("/api/v1/logout", headers=headers)

    async def refused_doors(self) -> list[tuple[str, str, str]]:
        await self.engine.flush_audit()
        entries = await self.engine.store.audit(outcome="refused:door")
        return [(e.agent, e.request, e.origin) for e in entries]

    async def metric(self, door: str) -> str:
        text = (await self.http.get("/metrics")).text
        prefix = f'wwe_host_door_refusals_total{{door="{door}",reason="origin"}} '
        found = [line for line in text.splitlines() if line.startswith(prefix)]
        return found[0].removeprefix(prefix) if found else "0"


@pytest.fixture
async def site(tmp_path: Path, fresh_gate: None) -> AsyncIterator[Site]:
    clock = ManualClock()
    config = make_config(
        server=f"desktop-origins = {PROXIED}\nsession-idle-timeout = 10\nsession-max-lifetime = 60"
    )
    engine = await started_engine(tmp_path, config, clock)
    transport = httpx.ASGITransport(app=build_site(engine))
    http = httpx.AsyncClient(transport=transport, base_url=PUBLIC, follow_redirects=False)
    try:
        yield Site(engine, http, clock)
    finally:
        await http.aclose()
        await engine.stop()


@pytest.fixture
def fresh_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doors, "_log_gate", doors.LogGate(clock=ManualClock(0.0)))


async def test_login_from_the_desktops_origins(site: Site) -> None:
    for origin in (PUBLIC, PROXIED):
        response = await site.login(origin)
        assert response.status_code == 200, response.text
        assert SESSION_COOKIE in response.cookies
    form = await site.login(PUBLIC, form=True)
    assert (form.status_code, form.headers["location"]) == (303, "/desktop")
    assert await site.refused_doors() == []


@pytest.mark.parametrize("form", [False, True])
async def test_login_from_another_origin_is_refused(site: Site, form: bool) -> None:
    for origin in (SIBLING, CRM, None):
        response = await site.login(origin, form=form)
        assert response.status_code == 403, response.text
        error = response.json()["error"]
        assert error["code"] == "FORBIDDEN"
        named = "no Origin header" if origin is None else f"The origin '{origin}' may not log in"
        assert named in error["message"]
        assert "set-cookie" not in response.headers
    assert site.engine.sessions() == []
    assert await site.refused_doors() == [
        ("", "login", SIBLING),
        ("", "login", CRM),
        ("", "login", "(no Origin header)"),
    ]
    assert await site.metric("login") == "3.0"


async def test_logout_from_another_origin_changes_nothing(site: Site) -> None:
    login = await site.login()
    cookie = login.cookies[SESSION_COOKIE]
    session = site.engine.live_session("jdoe")
    assert session is not None
    # A live call: a logout would release it.
    dialed = await site.engine.agent_operation(
        session.session_id, lambda call: ACTIONS["dial"](call, {"destination": "5550001"})
    )
    call = session.interactions[dialed["interactionId"]]
    for origin in (SIBLING, "null", None):
        response = await site.logout(cookie, origin)
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "FORBIDDEN"
        assert "set-cookie" not in response.headers  # the cookie is not cleared either
    assert site.engine.live_session("jdoe") is session
    assert site.engine.session_for_token(cookie) is session
    assert call.live
    assert await site.refused_doors() == [
        ("jdoe", "logout", SIBLING),
        ("jdoe", "logout", "null"),
        ("jdoe", "logout", "(no Origin header)"),
    ]
    assert await site.metric("logout") == "3.0"
    # From the desktop's own origin it works.
    response = await site.logout(cookie, PUBLIC)
    assert response.status_code == 200 and response.json() == {"loggedOut": True}
    assert site.engine.live_session("jdoe") is None
    assert not call.live


async def test_an_expired_cookie_is_not_logged_in(site: Site) -> None:
    cookie = (await site.login()).cookies[SESSION_COOKIE]
    headers = {"cookie": f"{SESSION_COOKIE}={cookie}"}
    desktop = await site.http.get("/desktop", headers=headers)
    assert desktop.status_code == 200
    site.clock.now += 10 * 60
    desktop = await site.http.get("/desktop", headers=headers)
    assert (desktop.status_code, desktop.headers["location"]) == (303, "/")
    api = await site.http.get("/api/v1/agents", headers=headers)
    assert api.status_code == 401, api.text
    assert site.engine.live_session("jdoe") is not None
