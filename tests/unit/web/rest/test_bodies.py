"""Request bodies and queries (web/rest/bodies.py): Structs decoded with messages that
name the field, 400 vs 422 vs 413, nesting."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Agent
from rest_support import AUTH, Env, assert_error, schema_validator

from wwe_host.web import rest
from wwe_host.web.rest import RestError, read_login
from wwe_host.web.rest.bodies import convert, too_deep


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


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,  # made the decoder raise RecursionError: a 500
        b'{"to": "jdoe", "userData": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001,
        b'{"x": ' + b"[" * 33 + b"]" * 33 + b"}",
    ],
)
async def test_deeply_nested_bodies_are_400_naming_the_problem(env: Env, raw: bytes) -> None:
    headers = {**AUTH, "content-type": "application/json"}
    for path in ("/sim/calls", "/sim/chats/some-chat/messages"):
        response = await env.post(path, content=raw, headers=headers)
        assert_error(response, 400, "BAD_REQUEST", "nests", f"{rest.MAX_DEPTH} levels")
    response = await env.patch("/interactions/x/user-data", None, content=raw, headers=headers)
    assert_error(response, 400, "BAD_REQUEST", "nests")


def test_the_depth_check_counts_brackets_outside_strings_only() -> None:
    assert not too_deep(b'{"a": "' + b"[" * 1000 + b'"}')
    assert not too_deep(b'{"a": "\\"' + b"[" * 1000 + b'"}')  # an escaped quote stays inside
    assert not too_deep(b"[" * 32 + b"]" * 32)
    assert too_deep(b"[" * 33 + b"]" * 33)
    assert not too_deep(b"[[]]" * 1000)  # many brackets, little depth
    assert too_deep(b'{"a": [{"b": [' * 9)  # broken JSON is judged by its brackets too
    assert too_deep(b'"' + b"[" * 100)  # unterminated: its brackets count (not JSON anyway)


# --------------------------------------------------------------------------- the schema agrees


def _accepted(data: dict[str, Any], kind: type) -> bool:
    try:
        convert(data, kind)
    except RestError:
        return False
    return True


# Characters on which Python's and JSON Schema's \s disagree, and ordinary ones.
TRICKY = ["\x1c", "\x1e", "\x1f", "\x85", "\ufeff", "\u3000", "\xa0", " ", "\t", "\n", "a", "é"]


@pytest.mark.parametrize("char", TRICKY)
def test_the_schema_and_the_server_agree_on_blank_strings(char: str) -> None:
    schema = schema_validator("SimChat")
    for text in (char, char * 3, f"{char}x{char}", f"x{char}"):
        body = {"to": "jdoe", "from": "Ada", "message": text}
        assert schema.is_valid(body) == _accepted(body, rest.SimChat), repr(text)


@pytest.mark.parametrize(
    "address",
    [
        "ada@example.com",
        "ada@example",
        "a da@example.com",
        "ada@example.com\n",
        "ada\x1e@example.com",
        "ada@exam\ufeffple.com",
        "<ada@example.com>",
        "ada@@example.com",
        "üser@bücher.de",
    ],
)
def test_the_schema_and_the_server_agree_on_e_mail_addresses(address: str) -> None:
    body = {"to": "jdoe", "from": address, "subject": "", "body": ""}
    assert schema_validator("SimEmail").is_valid(body) == _accepted(body, rest.SimEmail)


def test_the_schema_refuses_what_the_server_refuses_empty_keys_and_usernames() -> None:
    """The hand-written document accepted both; the server refused them (issue 7)."""
    for body in (
        {"to": "jdoe", "from": "1", "userData": {"": "x"}},
        {"to": "jdoe", "from": "1", "userData": {"k" * 257: "x"}},
        {"to": "jdoe", "from": "1", "userData": {"A": {"nested": 1}}},
        {"to": "jdoe", "from": "1", "extra": 1},
        {"to": "", "from": "1"},
    ):
        assert not schema_validator("SimCall").is_valid(body)
        assert not _accepted(body, rest.SimCall)
    assert not schema_validator("Login").is_valid({"username": "", "password": "x"})
    assert schema_validator("Login").is_valid({"username": "a", "password": ""})


# --------------------------------------------------------------------------- messages


def test_an_entry_of_attached_data_is_named_by_its_key() -> None:
    body = {"to": "jdoe", "from": "1", "userData": {"A": 1, "B": True, "C": [1], "D": {}}}
    with pytest.raises(RestError) as refused:
        convert(body, rest.SimCall)
    assert refused.value.message == (
        "'userData.C' must be a boolean, a number or a string, got an array."
    )
    with pytest.raises(RestError) as refused:
        convert({"Keep": "x", "Drop": None, "Bad": {}}, rest.UserDataPatch)
    assert refused.value.message == (
        "'Bad' must be a boolean, a number, a string or null, got an object."
    )
    with pytest.raises(RestError) as refused:
        convert({"": 1}, rest.UserDataPatch)
    assert (refused.value.status, refused.value.message) == (422, "The body has an empty key.")


async def test_query_parameters_are_checked_and_named(env: Env) -> None:
    for query, words in (
        ("limit=abc", ["'limit' must be a whole number, got 'abc'"]),
        ("limit=0", ["'limit' must be at least 1"]),
        ("limit=10001", ["'limit' must be at most 10000"]),
        ("limt=5", ["Unknown query parameter 'limt'", "agent, outcome, limit"]),
    ):
        assert_error(await env.get(f"/audit?{query}"), 422, "INVALID_PARAMETER", *words)
    # An endpoint without query parameters refuses any (a POST as well as a GET).
    for response in (
        await env.get("/outbox?x=1&y=2"),
        await env.post("/sim/calls?debug=1", {"to": "jdoe", "from": "1"}),
    ):
        assert_error(response, 422, "INVALID_PARAMETER", "Unknown query parameter", "takes none")


@pytest.mark.parametrize(
    ("raw", "form", "words"),
    [
        (b"[" * 50_000 + b"]" * 50_000, False, ["nests"]),
        (b'{"username": "jdoe"', False, ["not valid JSON"]),
        (b'["jdoe", "secret"]', False, ["JSON object", "array"]),
        (b'{"username": "", "password": "x"}', False, ["'username' must not be empty"]),
        (b'{"username": 5, "password": "x"}', False, ["'username' must be a string"]),
        (b"username=jdoe", True, ["'password' is required"]),
    ],
)
def test_the_login_body_is_read_the_same_way(raw: bytes, form: bool, words: list[str]) -> None:
    with pytest.raises(RestError) as refused:
        read_login(raw, form=form)
    assert (refused.value.status, refused.value.code) == (400, "INVALID_PARAMETER")
    for word in [*words, '{"username": "...", "password": "..."}']:
        assert word in refused.value.message


def test_the_login_ignores_other_members() -> None:
    login = read_login(b'{"username": "jdoe", "password": "s", "remember": true}', form=False)
    assert (login.username, login.password) == ("jdoe", "s")
    assert read_login(b"username=jdoe&password=s%26t&x=1", form=True).password == "s&t"
