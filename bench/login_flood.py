"""Login-flood benchmark (security.md: health answered within 50 ms during a login flood).

A real ``wwe-host serve`` with scrypt-hashed passwords. Baseline: ``/healthz`` latency with
nothing else going on. Then N parallel wrong logins: two thirds guess one real user from
one address, one third sprays made-up users from addresses of their own (``X-Forwarded-For``
from loopback), each costing a hash; ``/healthz`` is requested every 20 ms meanwhile.
Prints health's p50/p99/max in both phases, the flood's answers and duration, and how long
the attacked user's right password then takes.

    python bench/login_flood.py [--attempts 300]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import tempfile
import time
from collections import Counter
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import httpx

from wwe_host.security.passwords import hash_password
from wwe_host.testing import ServerProcess, config_text


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def poll_health(url: str, stop: EventType, results: Queue[list[float]]) -> None:
    """In a process of its own: the flood's client work must not delay health's requests
    (it would be counted as the server's latency)."""
    latencies: list[float] = []
    with httpx.Client(base_url=url, timeout=300) as http:
        while not stop.is_set():
            started = time.perf_counter()
            response = http.get("/healthz")
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
            time.sleep(0.02)
    results.put(latencies)


class HealthMonitor:
    def __init__(self, url: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self.results: Queue[list[float]] = context.Queue()
        self.process = context.Process(target=poll_health, args=(url, self.stop, self.results))
        self.process.start()

    def finish(self) -> list[float]:
        self.stop.set()
        latencies = self.results.get(timeout=60)
        self.process.join(10)
        return latencies


async def run(url: str, attempts: int) -> None:
    limits = httpx.Limits(max_connections=attempts + 10, max_keepalive_connections=attempts + 10)
    async with httpx.AsyncClient(
        base_url=url, limits=limits, timeout=300, headers={"origin": url}
    ) as attacker:
        monitor = HealthMonitor(url)
        await asyncio.sleep(3)
        baseline = monitor.finish()

        async def guess(n: int) -> int:
            if n % 3 != 1:
                body, headers = {"username": "jdoe", "password": f"guess{n}"}, {}
            else:
                body = {"username": f"nobody{n}", "password": f"guess{n}"}
                headers = {"x-forwarded-for": f"10.7.{n // 250}.{n % 250}"}
            return (await attacker.post("/api/v1/login", json=body, headers=headers)).status_code

        monitor = HealthMonitor(url)
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        answers = await asyncio.gather(*(guess(n) for n in range(attempts)))
        flood_seconds = time.perf_counter() - started
        during = monitor.finish()

        started = time.perf_counter()
        right = await attacker.post(
            "/api/v1/login",
            json={"username": "jdoe", "password": "jdoe-right"},
            headers={"x-forwarded-for": "10.8.0.1"},
        )
        right_seconds = time.perf_counter() - started

    def row(name: str, values: list[float]) -> str:
        return (
            f"| {name} | {len(values)} | {statistics.median(values):.2f} | "
            f"{quantile(values, 0.99):.2f} | {max(values):.2f} |"
        )

    print("| /healthz | requests | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    print(row("idle (baseline)", baseline))
    print(row(f"during {attempts} parallel wrong logins", during))
    print()
    counts = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(answers).items()))
    print(f"flood: {attempts} attempts answered in {flood_seconds:.1f} s ({counts})")
    print(f"then the attacked user's right password: {right.status_code} in {right_seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=300)
    args = parser.parse_args()
    agents = {
        f"agent:{name}": {
            "firstname": name.title(),
            "lastname": "Bench",
            "employeeId": str(number),
            "password": hash_password(f"{name}-right"),
            "number": str(5000 + number),
        }
        for number, name in enumerate(("jdoe", "asmith"), start=1)
    }
    config = {"wwe-host": {"insecure-plain-password": "false"}, **agents}
    with tempfile.TemporaryDirectory() as directory:
        server = ServerProcess(config_text(config), Path(directory))
        server.start()
        try:
            asyncio.run(run(server.url, args.attempts))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
