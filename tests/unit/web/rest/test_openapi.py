"""The OpenAPI document (web/rest/openapi.py) against the app's routes and the Structs."""

from __future__ import annotations

from typing import Any

import httpx
from engine_support import DIALER, Agent
from rest_support import AUTH, Env, schema_validator
from starlette.applications import Starlette
from starlette.routing import Route

from wwe_host.engine import Engine
from wwe_host.web import rest
from wwe_host.web.app import build_site
from wwe_host.web.desktop_ws import SESSION_COOKIE


def _site_routes(engine: Engine) -> list[Route]:
    site: object = build_site(engine)
    app = getattr(site, "app", site)  # inside the security-headers middleware
    assert isinstance(app, Starlette)
    return [r for r in app.routes if isinstance(r, Route)]


def _documented(route: Route) -> bool:
    return route.path.startswith(rest.PREFIX + "/") or route.path in ("/healthz", "/metrics")


async def test_openapi_paths_match_the_app_routes(env: Env) -> None:
    document = (await env.get("/openapi.json")).json()
    paths = document["paths"]
    routes = [r for r in _site_routes(env.engine) if _documented(r)]
    assert {r.path for r in routes} == set(paths)
    for route in routes:
        documented = {m.upper() for m in paths[route.path]}
        if route.methods is not None:  # a route of the site: it takes what is documented
            assert documented == route.methods - {"HEAD"}, route.path
        else:  # an API route: every method reaches it; it serves the documented ones
            for method in documented:
                assert any(
                    rest.PREFIX + o.path == route.path and o.method == method
                    for o in rest.OPERATIONS
                ), (method, route.path)
        undocumented = {"GET", "POST", "PATCH", "PUT", "DELETE", "TRACE"} - documented
        for method in undocumented:
            response = await env.http.request(method, route.path, headers=AUTH)
            assert response.status_code == 405, (method, route.path)
            allowed = {m.strip() for m in response.headers["allow"].split(",")}
            assert allowed - {"HEAD"} == documented, (method, route.path)


async def test_openapi_document_is_consistent(env: Env) -> None:
    document = (await env.get("/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    schemes = document["components"]["securitySchemes"]
    assert schemes["adminToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["adminToken"]["description"],
    }
    assert schemes["adminSession"]["in"] == "cookie"
    assert schemes["adminSession"]["name"] == SESSION_COOKIE

    refs: list[str] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    assert refs
    for ref in refs:
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), ref
    call = document["paths"]["/api/v1/sim/calls"]["post"]
    assert set(call["responses"]) == {"201", "400", "401", "403", "404", "409", "413", "422"}
    assert document["components"]["schemas"]["SimCall"]["required"] == ["to", "from"]
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


async def test_every_answer_conforms_to_its_documented_schema(env: Env) -> None:
    """Real answers (voice, e-mail, chat, queued, abandoned, lists, errors) against the
    schemas of the document, validated as a client would."""
    jdoe = await Agent.login(env.engine)
    await Agent.login(env.engine, "asmith", "secret2")
    document = (await env.get("/openapi.json")).json()
    answers: list[tuple[str, str, httpx.Response]] = []

    async def check(method: str, path: str, response: httpx.Response) -> dict[str, Any]:
        answers.append((method, path, response))
        return dict(response.json())

    call = await check(
        "post", "/sim/calls", await env.post("/sim/calls", {"to": "jdoe", "from": "1"})
    )
    queued = await env.post("/sim/calls", {"to": "queue:sales", "from": "2", "userData": {"A": 1}})
    await check("post", "/sim/calls", queued)
    await check(
        "post",
        "/sim/calls/{callUuid}/hangup",
        await env.post(f"/sim/calls/{queued.json()['callUuid']}/hangup"),
    )
    mail = {"to": "asmith", "from": "ada@example.com", "subject": "s", "body": "b"}
    await check("post", "/sim/emails", await env.post("/sim/emails", mail))
    await check("post", "/sim/emails", await env.post("/sim/emails", {**mail, "to": "queue:mail"}))
    chat = await check(
        "post",
        "/sim/chats",
        await env.post("/sim/chats", {"to": "jdoe", "from": "A", "message": "m"}),
    )
    await check(
        "post",
        "/sim/chats/{chatId}/messages",
        await env.post(f"/sim/chats/{chat['chatId']}/messages", {"message": "m2"}),
    )
    await check(
        "post", "/sim/chats/{chatId}/end", await env.post(f"/sim/chats/{chat['chatId']}/end")
    )
    dialer = await jdoe.frame("Dialer", DIALER)
    await jdoe.ok(dialer, "voice.dial", "noanswer-1")
    dialed = next(i for i in jdoe.session.interactions.values() if i.direction == "OUT")
    await check(
        "post",
        "/sim/calls/{callUuid}/answer",
        await env.post(f"/sim/calls/{dialed.call_uuid}/answer"),
    )
    await check(
        "post",
        "/sim/calls/{callUuid}/hangup",
        await env.post(f"/sim/calls/{call['callUuid']}/hangup"),
    )
    await check(
        "patch",
        "/interactions/{uuid}/user-data",
        await env.patch(f"/interactions/{call['interactionUUID']}/user-data", {"B": None}),
    )
    for path in ("/agents", "/interactions", "/outbox", "/audit", "/openapi.json"):
        await check("get", path, await env.get(path))
    await check("get", "/audit", await env.get("/audit?limit=0"))
    await check("get", "/agents", await env.get("/agents", headers={}))
    await check("post", "/sim/calls", await env.post("/sim/calls", {"to": "nobody", "from": "1"}))

    assert {r.status_code for _, _, r in answers} >= {200, 201, 401, 404, 422}
    for method, path, response in answers:
        operation = document["paths"]["/api/v1" + path][method]
        documented = operation["responses"][str(response.status_code)]
        if "$ref" in documented:
            documented = document["components"]["responses"][documented["$ref"].split("/")[-1]]
        schema = documented["content"]["application/json"]["schema"]
        validator = schema_validator(schema=schema)
        assert validator.is_valid(response.json()), (method, path, response.text)
