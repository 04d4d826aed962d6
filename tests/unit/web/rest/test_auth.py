"""The REST API's authentication (web/rest/auth.py): the admin token, a ROLE_ADMIN
session cookie, same-origin changes."""

from __future__ import annotations

from pathlib import Path

from engine_support import CRM
from rest_support import AUTH, BASE, TOKEN, Env, assert_error, make_env, rest_config

from wwe_host.web.desktop_ws import SESSION_COOKIE

# --------------------------------------------------------------------------- auth


async def test_no_credentials_is_401_with_a_bearer_challenge(env: Env) -> None:
    response = await env.get("/agents", headers={})
    assert_error(response, 401, "UNAUTHORIZED", "Bearer", "ROLE_ADMIN")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["cache-control"] == "no-store"


async def test_a_malformed_authorization_header_is_401(env: Env) -> None:
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", TOKEN):
        response = await env.get("/agents", headers={"authorization": header})
        assert_error(response, 401, "UNAUTHORIZED", "Bearer <admin-token>")


async def test_a_wrong_token_is_403_and_the_right_one_passes(env: Env) -> None:
    for wrong in (TOKEN + "x", TOKEN[:-1], "t\u00e9st"):
        header = f"Bearer {wrong}".encode("latin-1")
        response = await env.get("/agents", headers={"authorization": header})
        assert_error(response, 403, "FORBIDDEN", "wrong")
    assert (await env.get("/agents")).status_code == 200
    lower = await env.get("/agents", headers={"authorization": f"bearer {TOKEN}"})
    assert lower.status_code == 200


async def test_a_bearer_token_without_a_configured_token_is_403(tmp_path: Path) -> None:
    engine, http = await make_env(tmp_path, rest_config(admin_token=None))
    try:
        response = await http.get("/api/v1/agents", headers=AUTH)
        assert_error(response, 403, "FORBIDDEN", "no admin token")
    finally:
        await http.aclose()
        await engine.stop()


async def test_role_admin_session_cookie(env: Env) -> None:
    admin_token, _ = await env.engine.login("jdoe", "secret")
    agent_token, _ = await env.engine.login("asmith", "secret2")
    admin = {"cookie": f"{SESSION_COOKIE}={admin_token}"}
    response = await env.get("/agents", headers=admin)
    assert response.status_code == 200
    assert_error(
        await env.get("/agents", headers={"cookie": f"{SESSION_COOKIE}={agent_token}"}),
        403,
        "FORBIDDEN",
        "'asmith'",
        "ROLE_ADMIN",
    )
    assert_error(
        await env.get("/agents", headers={"cookie": f"{SESSION_COOKIE}=not-a-session"}),
        401,
        "UNAUTHORIZED",
        "session",
    )
    # A change with the cookie must come from the desktop's own origin: public-url's.
    body = {"to": "jdoe", "from": "5550100"}
    public = env.engine.config.server.public_url  # the address the pages were served from
    assert public == "http://127.0.0.1:8080"
    same = await env.post("/sim/calls", body, headers={**admin, "origin": public})
    assert same.status_code == 201, same.text
    # Not the request's Host (behind a proxy it says nothing), not another origin, and
    # not without an Origin header (browsers always send one on a POST).
    for foreign in (BASE, CRM, "http://127.0.0.1:8081", "null", "not an origin"):
        response = await env.post("/sim/calls", body, headers={**admin, "origin": foreign})
        assert_error(response, 403, "FORBIDDEN", f"'{foreign}'", "may not make changes", public)
    no_origin = await env.post("/sim/calls", body, headers=admin)
    assert_error(no_origin, 403, "FORBIDDEN", "no Origin header", public)
    cross = await env.post("/sim/calls", body, headers={**admin, "sec-fetch-site": "same-origin"})
    assert_error(cross, 403, "FORBIDDEN", "no Origin header")
    refused = (await env.get("/audit?outcome=refused:door")).json()["entries"]
    assert len(refused) == 7
    assert {(e["agent"], e["request"], e["frame"]) for e in refused} == {("jdoe", "rest", "")}
    assert refused[0]["origin"] == BASE
    assert refused[0]["detail"].startswith("POST /api/v1/sim/calls: The origin")
    assert refused[-1]["origin"] == "(no Origin header)"
    metrics = (await env.http.get("/metrics")).text
    assert 'wwe_host_door_refusals_total{door="rest",reason="origin"} 7.0' in metrics
    # The bearer token is not bound to an origin (it is not sent by browsers on their own).
    assert (await env.post("/sim/calls", body, headers={**AUTH, "origin": CRM})).status_code == 201
    assert len(env.engine.live_session("jdoe").interactions) == 2  # type: ignore[union-attr]


async def test_openapi_document_needs_no_credentials(env: Env) -> None:
    response = await env.get("/openapi.json", headers={})
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"
