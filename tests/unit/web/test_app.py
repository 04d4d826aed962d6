"""The site (web/app.py) around the REST API: the login's body, where the login leads,
and a 405 with ``Allow`` on every route for a method it does not take (TRACE included)."""

from __future__ import annotations

import httpx
import pytest
from rest_support import AUTH, BASE, DESKTOP, Env, assert_error

from wwe_host.web.app import build_demo


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"[" * 5000 + b"]" * 5000, ["nests", "levels"]),  # was a 500 (RecursionError)
        (b'{"username": ' + b'{"a": ' * 2000 + b"1" + b"}" * 2001, ["nests"]),
        (b'{"username": "jdoe",', ["not valid JSON"]),
        (b'{"username": ""}', ["'username' must not be empty"]),
        (b'{"username": "jdoe"}', ["'password' is required"]),
        (b"[1]", ["JSON object", "array"]),
    ],
)
async def test_a_bad_login_body_is_400_naming_the_problem(
    env: Env, raw: bytes, words: list[str]
) -> None:
    response = await env.http.post(
        "/api/v1/login", content=raw, headers={"content-type": "application/json", **DESKTOP}
    )
    assert_error(response, 400, "INVALID_PARAMETER", *words)


async def test_a_login_by_form_and_by_json(env: Env) -> None:
    form = await env.http.post(
        "/api/v1/login",
        content=b"username=jdoe&password=secret",
        headers={"content-type": "application/x-www-form-urlencoded", **DESKTOP},
    )
    assert (form.status_code, form.headers["location"]) == (303, "/desktop")
    json = await env.http.post(
        "/api/v1/login", json={"username": "jdoe", "password": "secret"}, headers=DESKTOP
    )
    assert json.status_code == 200 and json.json()["agent"]["username"] == "jdoe"
    wrong = await env.http.post(
        "/api/v1/login", json={"username": "jdoe", "password": "no"}, headers=DESKTOP
    )
    assert_error(wrong, 401, "UNAUTHORIZED")


FORM = {"content-type": "application/x-www-form-urlencoded", **DESKTOP}


async def test_the_login_leads_back_to_the_admin_page_and_nowhere_else(env: Env) -> None:
    # Not logged in, /admin sends to the login page, which keeps the way back in its form.
    admin = await env.http.get("/admin")
    assert (admin.status_code, admin.headers["location"]) == (303, "/?next=/admin")
    login_page = await env.http.get("/?next=/admin")
    assert 'action="/api/v1/login?next=/admin"' in login_page.text
    for elsewhere in ("https://evil.example/", "//evil.example", "/desktop", "/api/v1/agents"):
        plain = await env.http.get("/", params={"next": elsewhere})
        assert 'action="/api/v1/login"' in plain.text
    # A wrong password keeps the way back; the right one follows it.
    wrong = await env.http.post(
        "/api/v1/login?next=/admin", content=b"username=jdoe&password=no", headers=FORM
    )
    assert wrong.headers["location"] == "/?error=login&next=/admin#login-failed"
    right = await env.http.post(
        "/api/v1/login?next=/admin", content=b"username=jdoe&password=secret", headers=FORM
    )
    assert (right.status_code, right.headers["location"]) == (303, "/admin")
    # Logged in, the login page sends on at once: to /admin when asked, else the desktop.
    assert (await env.http.get("/?next=/admin")).headers["location"] == "/admin"
    assert (await env.http.get("/?next=https://evil.example/")).headers["location"] == "/desktop"
    assert (await env.http.get("/")).headers["location"] == "/desktop"
    other = await env.http.post(
        "/api/v1/login?next=https://evil.example/",
        content=b"username=jdoe&password=secret",
        headers=FORM,
    )
    assert other.headers["location"] == "/desktop"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/sim/calls", {"POST"}),
        ("/api/v1/agents", {"GET", "HEAD"}),
        ("/api/v1/interactions/x/user-data", {"PATCH"}),
        ("/api/v1/login", {"POST"}),
        ("/healthz", {"GET", "HEAD"}),
        ("/metrics", {"GET", "HEAD"}),
        ("/", {"GET", "HEAD"}),
        ("/static/desktop.css", {"GET", "HEAD"}),
    ],
)
async def test_trace_and_other_methods_are_405_with_allow(
    env: Env, path: str, allowed: set[str]
) -> None:
    for method in ("TRACE", "PUT", "DELETE", "CONNECT", "FOO"):
        if method in allowed:
            continue
        response = await env.http.request(method, path, headers=AUTH)
        assert response.status_code == 405, (method, path, response.text)
        assert {m.strip() for m in response.headers["allow"].split(",")} == allowed
        if path.startswith("/api/v1/"):
            assert_error(response, 405, "METHOD_NOT_ALLOWED", method)


async def test_the_demo_site_answers_405_with_allow() -> None:
    transport = httpx.ASGITransport(app=build_demo())
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        for path in ("/", "/wwe-service-client-api.js"):
            response = await http.request("TRACE", path)
            assert response.status_code == 405
            assert {m.strip() for m in response.headers["allow"].split(",")} == {"GET", "HEAD"}
