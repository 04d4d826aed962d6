"""Cluster benchmark (operations.md): requests/s through nginx with 1 and with 2
``wwe-host serve`` processes on PostgreSQL and Redis (the same benchmark, same run), and
the latency of an event raised on one process to a desktop connected to the other.

Throughput: D desktops (each its own agent) connect through nginx, each registers a frame
and sends ``agent.getState`` closed-loop for S seconds (``LeanDesk``: a client that costs
the cores as little as a Python one can, since it shares them with the servers). Event
latency: a desktop on the first process; calls are pushed through the second process's
REST API, one at a time, and each push is timed to its ``RINGING`` notice. A throwaway
database is made and dropped.
Targets: 2 processes >= 1.6x one on 2 cores; cross-process event p99 < 10 ms.

    python bench/cluster.py [--desktops 40] [--seconds 5] [--events 200]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import websockets
from websockets.typing import Origin

import sessions  # bench/sessions.py: the agents' configuration (run from bench/)
from wwe_host.cluster import Cluster

SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
TOKEN = sessions.TOKEN
APP = "http://app.example:9001"


def config(agents: int) -> str:
    return sessions.config(agents, origins=f"{APP} (*)")


class Desk:
    def __init__(self) -> None:
        self.ws: websockets.ClientConnection | None = None
        self.frame = ""

    async def open(self, url: str, public: str, cookie: str) -> None:
        self.ws = await websockets.connect(
            url.replace("http", "ws", 1) + "/desktop/ws",
            origin=Origin(public),
            additional_headers={"Cookie": f"wwe_session={cookie}"},
            compression=None,
        )
        await self.send({"type": "hello", "frames": []})
        await self.until(lambda m: m["type"] == "snapshot")
        await self.send({"type": "frame.open", "ref": "f", "section": "@embedder", "origin": APP})
        self.frame = (await self.until(lambda m: m["type"] == "frame.opened"))["frameId"]

    async def send(self, message: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps(message))

    async def until(self, wanted: Any) -> dict[str, Any]:
        assert self.ws is not None
        while True:
            message = json.loads(await self.ws.recv())
            if wanted(message):
                return message  # type: ignore[no-any-return]


def _masked(payload: bytes, opcode: int = 1) -> bytes:
    """One client-to-server WebSocket frame (RFC 6455: clients mask what they send)."""
    mask = os.urandom(4)
    n = len(payload)
    header = bytes([0x80 | opcode])
    if n < 126:
        header += bytes([0x80 | n])
    elif n < 65536:
        header += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class LeanDesk(asyncio.Protocol):
    """The throughput loop's desktop, as cheap as a Python client gets, so that the load
    generator leaves the two cores to the servers and nginx: the WebSocket handshake is
    written by hand, the request frame is built and masked once and sent again after each
    reply, and a reply is recognised in the raw bytes (nothing is decoded), in callbacks
    without a coroutine per request."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.request = b""
        self.deadline = 0.0
        self.count = 0
        self.done: asyncio.Future[None] | None = None
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    @classmethod
    async def connect(cls, url: str, public: str, cookie: str) -> LeanDesk:
        parts = httpx.URL(url)
        _, desk = await asyncio.get_running_loop().create_connection(cls, parts.host, parts.port)
        assert desk.transport is not None
        key = base64.b64encode(os.urandom(16)).decode()
        desk.transport.write(
            (
                f"GET /desktop/ws HTTP/1.1\r\nHost: {parts.host}:{parts.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: {public}\r\nCookie: wwe_session={cookie}\r\n\r\n"
            ).encode()
        )
        await desk.opened
        desk.send({"type": "hello", "frames": []})
        await desk.until("snapshot")
        desk.send({"type": "frame.open", "ref": "f", "section": "@embedder", "origin": APP})
        frame = (await desk.until("frame.opened"))["frameId"]
        body = json.dumps({"request": "agent.getState", "referenceId": "1", "protocolVersion": 2})
        desk.request = _masked(
            json.dumps(
                {"type": "frame.message", "frameId": frame, "origin": APP, "message": body}
            ).encode()
        )
        return desk

    def send(self, message: dict[str, Any]) -> None:
        assert self.transport is not None
        self.transport.write(_masked(json.dumps(message).encode()))

    async def until(self, kind: str) -> dict[str, Any]:
        while True:
            message = await self.messages.get()
            if message.get("type") == kind:
                return message

    def loop(self, deadline: float) -> asyncio.Future[None]:
        """Send ``agent.getState`` again after each reply until ``deadline``."""
        assert self.transport is not None
        self.deadline = deadline
        self.done = asyncio.get_running_loop().create_future()
        self.transport.write(self.request)
        return self.done

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            assert buffer.startswith(b"HTTP/1.1 101"), bytes(buffer[:200])
            del buffer[: end + 4]
            self.upgraded = True
            self.opened.set_result(None)
        while len(buffer) >= 2:
            length, start = buffer[1] & 0x7F, 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length, start = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + length:
                return
            opcode = buffer[0] & 0x0F
            payload = bytes(buffer[start : start + length])
            del buffer[: start + length]
            if opcode == 9:  # a ping: pong
                assert self.transport is not None
                self.transport.write(_masked(payload, 10))
            elif opcode == 1:
                self._text(payload)

    def _text(self, payload: bytes) -> None:
        done = self.done
        if done is None:
            self.messages.put_nowait(json.loads(payload))
        elif b'"type":"frame.message"' in payload and not done.done():
            self.count += 1
            if time.perf_counter() < self.deadline:
                assert self.transport is not None
                self.transport.write(self.request)
            else:
                done.set_result(None)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def logins(cluster: Cluster, agents: int) -> list[str]:
    async with httpx.AsyncClient(base_url=cluster.url, timeout=60) as http:
        cookies = []
        for n in range(agents):
            answer = await http.post(
                "/api/v1/login",
                json={"username": f"a{n}", "password": f"p{n}"},
                headers={"origin": cluster.url},
            )
            answer.raise_for_status()
            cookies.append(str(answer.cookies["wwe_session"]))
        return cookies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (nginx's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class Cpu:
    """CPU seconds the servers, nginx and this (client) process used between start and
    stop: on a two-core machine the load generator and nginx compete with the servers."""

    def __init__(self, cluster: Cluster) -> None:
        self.pids = [s.proc.pid for s in cluster.servers if s.proc is not None]
        self.nginx_pids = children(cluster.nginx.pid) if cluster.nginx is not None else []
        self.servers = self.nginx = self.client = 0.0

    def start(self) -> None:
        self.servers = -sum(cpu_seconds(pid) for pid in self.pids)
        self.nginx = -sum(cpu_seconds(pid) for pid in self.nginx_pids)
        self.client = -time.process_time()

    def stop(self) -> None:
        self.servers += sum(cpu_seconds(pid) for pid in self.pids)
        self.nginx += sum(cpu_seconds(pid) for pid in self.nginx_pids)
        self.client += time.process_time()


async def throughput(cluster: Cluster, desktops: int, seconds: float, cpu: Cpu) -> float:
    cookies = await logins(cluster, desktops)
    desks = await asyncio.gather(
        *(LeanDesk.connect(cluster.url, cluster.url, cookie) for cookie in cookies)
    )
    cpu.start()
    started = time.perf_counter()
    await asyncio.gather(*(d.loop(started + seconds) for d in desks))
    elapsed = time.perf_counter() - started
    cpu.stop()
    for desk in desks:
        desk.close()
    return sum(d.count for d in desks) / elapsed


async def event_latency(cluster: Cluster, events: int) -> list[float]:
    first, second = cluster.servers
    (cookie,) = await logins(cluster, 1)
    desk = Desk()
    await desk.open(first.url, cluster.url, cookie)  # the desktop on the first process
    samples = []
    async with httpx.AsyncClient(base_url=second.url + "/api/v1", timeout=30) as http:
        auth = {"authorization": f"Bearer {TOKEN}"}
        for _ in range(events):
            sent = time.perf_counter()
            pushed = await http.post("/sim/calls", json={"to": "a0", "from": "1"}, headers=auth)
            pushed.raise_for_status()
            await desk.until(
                lambda m: m["type"] == "notice" and m["data"].get("eventType") == "RINGING"
            )
            samples.append((time.perf_counter() - sent) * 1000)
            await http.post(f"/sim/calls/{pushed.json()['callUuid']}/hangup", headers=auth)
            await desk.until(
                lambda m: m["type"] == "notice" and m["data"].get("eventType") == "RELEASED"
            )
            await desk.send(
                {
                    "type": "action",
                    "ref": "d",
                    "op": "markDone",
                    "args": {"interactionId": pushed.json()["interactionId"]},
                }
            )
            await desk.until(lambda m: m["type"] == "action.result")
    assert desk.ws is not None
    await desk.ws.close()
    return sorted(samples)


def run(
    processes: int, desktops: int, seconds: float, events: int
) -> tuple[float, list[float], Cpu]:
    name = f"wwe_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cluster = Cluster(
                config(desktops),
                Path(tmp),
                database=f"{SERVER}/{name}",
                bus=REDIS,
                processes=processes,
            )
            cluster.start()
            cpu = Cpu(cluster)
            try:
                rate = asyncio.run(throughput(cluster, desktops, seconds, cpu))
                latencies = asyncio.run(event_latency(cluster, events)) if processes > 1 else []
            finally:
                cluster.stop()
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
    return rate, latencies, cpu


def main(desktops: int, seconds: float, events: int) -> None:
    one, _, cpu_one = run(1, desktops, seconds, events)
    two, latencies, cpu_two = run(2, desktops, seconds, events)
    p50 = statistics.median(latencies)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(f"{'cluster (through nginx)':<46} {'value':>12}  target")
    print(f"{'1 process: agent.getState req/s':<46} {one:>12,.0f}  baseline")
    print(f"{'2 processes: agent.getState req/s':<46} {two:>12,.0f}  -")
    print(f"{'2 processes / 1 process':<46} {two / one:>12.2f}  >= 1.6")
    print(f"{'cross-process event p50 / p99 (ms)':<46} {p50:>5.1f} / {p99:>4.1f}  p99 < 10")
    for label, rate, cpu in (("1 process", one, cpu_one), ("2 processes", two, cpu_two)):
        per = cpu.servers / (rate * seconds) * 1e6
        print(
            f"{f'({label}: server CPU us/request; CPU s servers / nginx / client)':<46} "
            f"{per:>5.0f} / {cpu.servers:.1f} / {cpu.nginx:.1f} / {cpu.client:.1f}  -"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktops", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()
    main(args.desktops, args.seconds, args.events)
