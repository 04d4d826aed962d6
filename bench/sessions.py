"""Sessions benchmark (operations.md): memory and event latency with many connected
desktops, in one process.

N agents log in and each opens its desktop WebSocket (real WebSockets on loopback, one
real ``wwe-host serve``); then every agent gets one call pushed through the REST API, and
each desktop measures the time from its push to the ``RINGING`` notice on its socket. The
server's resident memory (VmRSS) is read after the desktops connected and at the end.
Targets: 10,000 desktops under 1 GiB RSS; one event to each, p99 < 200 ms.

    python bench/sessions.py [--desktops 10000] [--rate 100]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets
from websockets.typing import Origin

from wwe_host.processes import ServerProcess

TOKEN = "bench-token"


def config(agents: int, origins: str | None = None, gc_full_scan: float | None = None) -> str:
    """A configuration of ``agents`` agents (a0…, password p0…), no rate limits, the
    web-content ``origins`` accepted (bench/cluster.py's frames) and the collector's policy
    (``gc-full-scan`` minutes) when given."""
    lines = [
        "[wwe-host]",
        "insecure-plain-password = true",
        f"admin-token = {TOKEN}",
        "max-desktop-connections = 4",
        *([f"gc-full-scan = {gc_full_scan:g}"] if gc_full_scan is not None else []),
        "",
        "[interaction-workspace]",
        *([f"service-client-api.accepted-web-content-origins = {origins}"] if origins else []),
        "service-client-api.rate-limit = 0",
        "",
    ]
    for n in range(agents):
        lines += [
            f"[agent:a{n}]",
            "firstname = A",
            f"lastname = N{n}",
            f"employeeId = {n}",
            f"password = p{n}",
            f"number = {600000 + n}",
            "",
        ]
    return "\n".join(lines)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Desk:
    """One desktop: its socket, and when its RINGING notice arrived."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ws: websockets.ClientConnection | None = None
        self.rang = asyncio.get_running_loop().create_future()

    async def open(self, server: ServerProcess, cookie: str) -> None:
        self.ws = await websockets.connect(
            server.url.replace("http", "ws", 1) + "/desktop/ws",
            origin=Origin(server.public_url),
            additional_headers={"Cookie": f"wwe_session={cookie}"},
            max_size=None,
            compression=None,
        )
        await self.ws.send(json.dumps({"type": "hello", "frames": []}))
        while json.loads(await self.ws.recv())["type"] != "snapshot":
            pass

    async def listen(self) -> None:
        assert self.ws is not None
        async for text in self.ws:
            message = json.loads(text)
            if (
                message.get("type") == "notice"
                and message.get("kind") == "interaction"
                and message["data"].get("eventType") == "RINGING"
                and not self.rang.done()
            ):
                self.rang.set_result(time.perf_counter())


def server_gc(exposition: str) -> tuple[float, float]:
    """The server's longest collector pause (ms) and its number of full collections."""
    longest = full = float("nan")
    for line in exposition.splitlines():
        if line.startswith("wwe_host_gc_pause_longest_seconds "):
            longest = float(line.split()[1]) * 1000
        elif line.startswith('wwe_host_gc_pause_seconds_count{generation="2"}'):
            full = float(line.split()[1])
    return longest, full


async def watch_loop(lags: list[float], every: float = 0.01) -> None:
    """How late this (client) process's own loop wakes up: a late client makes the
    server's events look late, so the table shows it next to the latencies."""
    while True:
        before = time.perf_counter()
        await asyncio.sleep(every)
        lags.append((time.perf_counter() - before - every) * 1000)


async def bounded(limit: int, jobs: list) -> list:  # type: ignore[type-arg]
    gate = asyncio.Semaphore(limit)

    async def run(job):  # type: ignore[no-untyped-def]
        async with gate:
            return await job

    return await asyncio.gather(*(run(j) for j in jobs))


async def main(desktops: int, rate: float, gc_full_scan: float | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(config(desktops, gc_full_scan=gc_full_scan), Path(tmp))
        server.start()
        assert server.proc is not None
        try:
            rss_idle = rss_mib(server.proc.pid)
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:

                async def login(n: int) -> str:
                    answer = await http.post(
                        "/api/v1/login",
                        json={"username": f"a{n}", "password": f"p{n}"},
                        headers={"origin": server.public_url},
                    )
                    answer.raise_for_status()
                    return str(answer.cookies["wwe_session"])

                started = time.perf_counter()
                cookies = await bounded(4, [login(n) for n in range(desktops)])
                logged_in = time.perf_counter() - started
                desks = [Desk(f"a{n}") for n in range(desktops)]
                started = time.perf_counter()
                await bounded(64, [d.open(server, c) for d, c in zip(desks, cookies, strict=True)])
                connected = time.perf_counter() - started
                listeners = [asyncio.ensure_future(d.listen()) for d in desks]
                # The client holds 10,000 sockets: a full collection of its own garbage
                # stalls it for hundreds of milliseconds, which would be counted as the
                # server's latency. It collects nothing while it measures.
                gc.collect()
                gc.freeze()
                gc.disable()
                rss_connected = rss_mib(server.proc.pid)

                sent: dict[str, float] = {}
                lags: list[float] = []
                watching = asyncio.ensure_future(watch_loop(lags))

                async def push(desk: Desk) -> None:
                    sent[desk.name] = time.perf_counter()
                    answer = await http.post(
                        "/api/v1/sim/calls",
                        json={"to": desk.name, "from": "5550100"},
                        headers={"authorization": f"Bearer {TOKEN}"},
                    )
                    answer.raise_for_status()

                started = time.perf_counter()
                pushes = []
                for n, desk in enumerate(desks):  # paced: `rate` pushes a second
                    delay = started + n / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    pushes.append(asyncio.ensure_future(push(desk)))
                await asyncio.gather(*pushes)
                arrived = await asyncio.wait_for(asyncio.gather(*(d.rang for d in desks)), 120)
                pushed = time.perf_counter() - started
                watching.cancel()
                if os.environ.get("SESSIONS_TRACE"):
                    Path(os.environ["SESSIONS_TRACE"]).write_text(
                        "\n".join(
                            f"{sent[d.name] - started:.3f} {(at - sent[d.name]) * 1000:.1f}"
                            for d, at in zip(desks, arrived, strict=True)
                        )
                    )
                latencies = sorted(
                    (at - sent[d.name]) * 1000 for d, at in zip(desks, arrived, strict=True)
                )
                rss_end = rss_mib(server.proc.pid)
                gc_longest, gc_full = server_gc((await http.get("/metrics")).text)
                for listener in listeners:
                    listener.cancel()
                await asyncio.gather(*(d.ws.close() for d in desks if d.ws), return_exceptions=True)
        finally:
            server.stop()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    client_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'sessions':<44} {'value':>14}  target")
    print(f"{'desktops connected':<44} {desktops:>14,}  10,000")
    print(f"{'logins (s) / connects (s)':<44} {logged_in:>6.1f} / {connected:>5.1f}  -")
    print(
        f"{'server RSS idle -> connected -> end (MiB)':<44} "
        f"{rss_idle:>4.0f} -> {rss_connected:.0f} -> {rss_end:.0f}  < 1024"
    )
    print(f"{f'pushes at {rate:,.0f}/s, all rang in (s)':<44} {pushed:>14.1f}  -")
    print(f"{'event latency p50 / p99 (ms)':<44} {p50:>6.1f} / {p99:>5.1f}  p99 < 200")
    lags.sort()
    lag99 = lags[int(len(lags) * 0.99) - 1] if lags else float("nan")
    lag_max = lags[-1] if lags else float("nan")
    print(f"{'(client loop lag p99 / max, ms)':<44} {lag99:>6.1f} / {lag_max:>5.1f}  -")
    print(
        f"{'(server: full GCs / longest GC pause ms)':<44} {gc_full:>6.0f} / {gc_longest:>5.0f}  -"
    )
    print(f"{'(the client process itself: max RSS MiB)':<44} {client_rss:>14.0f}  -")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktops", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100.0, help="calls pushed per second")
    parser.add_argument(
        "--gc-full-scan",
        type=float,
        default=None,
        help="the server's [wwe-host] gc-full-scan (minutes; 0: the interpreter's own policy)",
    )
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one socket per desktop
    asyncio.run(main(args.desktops, args.rate, args.gc_full_scan))
