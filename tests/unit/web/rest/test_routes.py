"""The route table and dispatcher (web/rest/routes.py): 405 with Allow, 500 without a
trace, unknown paths."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import AUTH, Env, assert_error


async def test_unexpected_failure_is_500_without_a_trace(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken() -> list[dict[str, Any]]:
        raise RuntimeError("disk on fire /secret/path")

    monkeypatch.setattr(env.engine.store, "outbox", broken)
    response = await env.get("/outbox")
    message = assert_error(response, 500, "INTERNAL", "server log")
    assert "disk on fire" not in message


async def test_other_methods_are_405_in_the_error_shape(env: Env) -> None:
    response = await env.http.delete("/api/v1/sim/calls", headers=AUTH)
    assert_error(response, 405, "METHOD_NOT_ALLOWED", "POST")
    assert response.headers["allow"] == "POST"
    head = await env.http.head("/api/v1/agents", headers=AUTH)
    assert head.status_code == 200


async def test_unknown_api_paths_answer_json(env: Env) -> None:
    response = await env.http.get("/api/v1/nothing-here", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    page = await env.http.get("/no-such-page")
    assert page.status_code == 404 and "error" not in page.text
