"""Shared by the tests of the REST API (web/rest/): a config with queues and an admin
token, the app over a started engine (real SQLite file) through httpx, error checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import msgspec
from engine_support import DIALER, Agent, base_ini, started_engine

from wwe_host.config import Config, parse_config
from wwe_host.engine import Engine
from wwe_host.web import rest
from wwe_host.web.app import build_site

TOKEN = "test-admin-token-0123456789"
AUTH = {"authorization": f"Bearer {TOKEN}"}
BASE = "http://testserver"
# The desktop's own origin (the test configuration's public-url): the cookie doors need it.
DESKTOP = {"origin": "http://127.0.0.1:8080"}

QUEUES = """
[queue:sales]
media = voice, email, chat
agents = jdoe, asmith

[queue:mail]
media = email
agents = asmith
"""


def rest_config(
    *, admin_token: str | None = TOKEN, read: str = "*", extra: str = "", delay: float = 0.05
) -> Config:
    text = base_ini(read=read, extra=extra, delay=delay)
    if admin_token:
        text = text.replace("[wwe-host]\n", f"[wwe-host]\nadmin-token = {admin_token}\n", 1)
    return parse_config(text + QUEUES, "<rest-test>")


@dataclass
class Env:
    engine: Engine
    http: httpx.AsyncClient

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", AUTH)
        return await self.http.get(rest.PREFIX + path, **kwargs)

    async def post(self, path: str, body: object = None, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", AUTH)
        if body is not None:
            kwargs["json"] = body
        return await self.http.post(rest.PREFIX + path, **kwargs)

    async def patch(self, path: str, body: object, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", AUTH)
        return await self.http.patch(rest.PREFIX + path, json=body, **kwargs)

    async def call(self, to: str = "jdoe", **extra: Any) -> dict[str, Any]:
        response = await self.post("/sim/calls", {"to": to, "from": "5550100", **extra})
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data


async def make_env(tmp_path: Path, config: Config) -> tuple[Engine, httpx.AsyncClient]:
    engine = await started_engine(tmp_path, config)
    transport = httpx.ASGITransport(app=build_site(engine))
    return engine, httpx.AsyncClient(transport=transport, base_url=BASE)


def assert_error(response: httpx.Response, status: int, code: str, *words: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
    return message


async def watching(agent: Agent) -> str:
    """A Dialer frame of the agent subscribed to interaction events; its frame id."""
    frame = await agent.frame("Dialer", DIALER)
    await agent.subscribe(frame, "interaction")
    return frame.record.frame_id


def schema_validator(name: str | None = None, schema: dict[str, Any] | None = None) -> Any:
    """A JSON Schema validator (ECMA-262 regexes, as any client's) of one component of the
    served OpenAPI document, or of a schema that refers to its components."""
    document = msgspec.json.decode(msgspec.json.encode(rest.openapi()))
    root = dict(schema) if schema is not None else {"$ref": f"#/components/schemas/{name}"}
    return jsonschema_rs.validator_for({**root, "components": document["components"]})
