"""A flood of wrong logins against a real ``wwe-host serve`` with hashed passwords
(security.md, "Hostile pages and hostile frames"): health keeps answering 200 all along,
every attempt is answered 401 or 429 (never a 5xx), the attacked user's parallel guesses are
refused, and the right passwords still get in afterwards.

Two thirds of the flood guess one real user from one address; the other third sprays
made-up users, each from an address of its own (uvicorn takes ``X-Forwarded-For`` from
loopback), so every one of those costs a hash. Timings are not asserted here: bench/login_flood.py
measures health's latency under the same flood.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from wwe_host.security.passwords import hash_password
from wwe_host.testing import ServerProcess, config_text

FLOOD = 150


def agent(name: str, number: int, password: str) -> dict[str, str]:
    return {
        "firstname": name.title(),
        "lastname": "Test",
        "employeeId": str(number),
        "password": hash_password(password),
        "number": str(5000 + number),
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    config = {
        "wwe-host": {"insecure-plain-password": "false"},
        "agent:jdoe": agent("jdoe", 1, "jdoe-right"),
        "agent:asmith": agent("asmith", 2, "asmith-right"),
    }
    process = ServerProcess(config_text(config), Path(tmp_path_factory.mktemp("flood")))
    process.start()
    try:
        yield process
    finally:
        process.stop()


async def flood(url: str) -> tuple[list[int], list[int]]:
    """The flood's answers, and the answers health gave while it ran."""
    limits = httpx.Limits(max_connections=FLOOD + 10, max_keepalive_connections=FLOOD + 10)
    async with (
        httpx.AsyncClient(
            base_url=url, limits=limits, timeout=120, headers={"origin": url}
        ) as attacker,
        httpx.AsyncClient(base_url=url, timeout=120) as monitor,
    ):
        done = asyncio.Event()
        health: list[int] = []

        async def poll() -> None:
            while not done.is_set():
                health.append((await monitor.get("/healthz")).status_code)
                await asyncio.sleep(0.02)

        async def guess(n: int) -> int:
            if n % 3 != 1:
                body, headers = {"username": "jdoe", "password": f"guess{n}"}, {}
            else:
                body = {"username": f"nobody{n}", "password": f"guess{n}"}
                headers = {"x-forwarded-for": f"10.7.{n // 250}.{n % 250}"}
            response = await attacker.post("/api/v1/login", json=body, headers=headers)
            return response.status_code

        poller = asyncio.ensure_future(poll())
        answers = await asyncio.gather(*(guess(n) for n in range(FLOOD)))
        done.set()
        await poller
    return list(answers), health


def test_a_login_flood_leaves_health_and_the_right_passwords_working(
    server: ServerProcess,
) -> None:
    answers, health = asyncio.run(flood(server.url))
    assert set(answers) <= {401, 429}, answers
    assert answers.count(429) > 0  # jdoe's parallel guesses were refused without a hash
    spray = answers[1::3]
    assert spray == [401] * len(spray)  # the spray from many addresses was checked
    assert len(health) >= 3 and set(health) == {200}, health
    with httpx.Client(base_url=server.url, timeout=60, headers={"origin": server.url}) as http:
        other = http.post("/api/v1/login", json={"username": "asmith", "password": "asmith-right"})
        assert other.status_code == 200, other.text
        # The attacked user's right password waits at most the cap, then gets in.
        mine = http.post(
            "/api/v1/login",
            json={"username": "jdoe", "password": "jdoe-right"},
            headers={"x-forwarded-for": "10.8.0.1"},
        )
        assert mine.status_code == 200, mine.text
        assert http.get("/healthz").json()["sessions"] == 2


def test_an_unknown_user_is_refused_like_a_wrong_password(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url, timeout=60, headers={"origin": server.url}) as http:
        wrong = http.post(
            "/api/v1/login",
            json={"username": "asmith", "password": "nope"},
            headers={"x-forwarded-for": "10.9.0.1"},
        )
        unknown = http.post(
            "/api/v1/login",
            json={"username": "nobody-at-all", "password": "nope"},
            headers={"x-forwarded-for": "10.9.0.2"},
        )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
