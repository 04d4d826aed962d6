"""The machine's Redis (127.0.0.1:6379) for tests that need it; each test gets a namespace
of its own (keys and channel), so tests never see each other's messages. Tests that need
Redis check it explicitly and fail with a clear message when it is not there."""

from __future__ import annotations

import os
import secrets

import pytest
import redis

URL = os.environ.get("WWE_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_url() -> str:
    """The URL of a Redis that answers, or the test fails saying which was needed."""
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=5).ping()
    except (redis.RedisError, OSError) as problem:
        pytest.fail(f"this test needs Redis at {URL} ({problem})")
    return URL


def namespace() -> str:
    return f"wwe-test-{secrets.token_hex(6)}"
