"""Request bodies and queries (web/rest/bodies.py): Structs decoded with messages that
name the field, 400 vs 422 vs 413, nesting."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Agent
from rest_support import AUTH, Env, assert_error

from wwe_host.web import rest


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"from": "1"}, ["'to'", "required"]),
        ({"to": "jdoe"}, ["'from'", "required"]),
        ({"to": 5001, "from": "1"}, ["'to'", "string", "number"]),
        ({"to": "  ", "from": "1"}, ["'to'", "empty"]),
        ({"to": "jdoe", "from": "1", "form": "x"}, ["'form'", "to, from, dnis, userData"]),
        ({"to": "jdoe", "from": "1", "userData": []}, ["'userData'", "object"]),
        ({"to": "jdoe", "from": "1", "userData": {"A": {"b": 1}}}, ["'userData.A'", "object"]),
        ({"to": "jdoe", "from": "1", "userData": {"A": None}}, ["'userData.A'", "null"]),
        ({"to": "jdoe", "from": "1", "userData": {"": "x"}}, ["empty key"]),
        ({"to": "jdoe", "from": "1" * 129}, ["'from'", "128"]),
    ],
)
async def test_call_validation_is_422_naming_the_field(
    env: Env, body: dict[str, Any], words: list[str]
) -> None:
    await Agent.login(env.engine)
    assert_error(await env.post("/sim/calls", body), 422, "INVALID_PARAMETER", *words)
    assert env.engine.live_session("jdoe").interactions == {}  # type: ignore[union-attr]


async def test_malformed_bodies_are_400_and_huge_ones_413(env: Env) -> None:
    headers = {**AUTH, "content-type": "application/json"}
    for raw, words in (
        (b'{"to": "jdoe",', ["not valid JSON"]),
        (b"[1, 2]", ["JSON object", "array"]),
        (b'"jdoe"', ["JSON object", "string"]),
        (b"", ["needs a JSON body"]),
        (b'{"a": NaN}', ["not valid JSON"]),
    ):
        response = await env.post("/sim/calls", content=raw, headers=headers)
        assert_error(response, 400, "BAD_REQUEST", *words)
    huge = b'{"to": "' + b"x" * (rest.MAX_BODY_BYTES + 1) + b'"}'
    assert_error(await env.post("/sim/calls", content=huge, headers=headers), 413, "TOO_LARGE")


@pytest.mark.parametrize("body", [rest.SimCall, rest.SimEmail, rest.SimChat])
async def test_each_documented_required_field_is_enforced(env: Env, body: type) -> None:
    await Agent.login(env.engine)
    name = body.__name__
    path = {"SimCall": "/sim/calls", "SimEmail": "/sim/emails", "SimChat": "/sim/chats"}[name]
    document = (await env.get("/openapi.json")).json()
    schema = document["components"]["schemas"][name]
    full = {"to": "jdoe", "from": "ada@example.com", "subject": "s", "body": "b", "message": "m"}
    complete = {k: v for k, v in full.items() if k in schema["properties"]}
    assert (await env.post(path, complete)).status_code == 201
    for name in schema["required"]:
        partial = {k: v for k, v in complete.items() if k != name}
        assert_error(await env.post(path, partial), 422, "INVALID_PARAMETER", f"'{name}'")
