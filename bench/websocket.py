"""WebSocket benchmark (operations.md): requests/s and p50/p99 latency from N simulated
desktops over real WebSockets on loopback, against a bare echo server on the same stack
(Starlette + uvicorn) measured in the same run.

Each desktop logs in, opens one frame and sends `agent.getState` requests through the
desktop protocol. Phase 1 is closed-loop (peak throughput); phase 2 paces every desktop
to half of that peak and measures latency there.

    python bench/websocket.py [--desktops 20] [--seconds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx
import websockets
from websockets.typing import Origin

from wwe_host.testing import ServerProcess, free_port

ORIGIN = "http://127.0.0.1:1"

ECHO_APP = textwrap.dedent(
    """
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocketDisconnect

    async def echo(websocket):
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    app = Starlette(routes=[WebSocketRoute("/ws", echo)])
    """
)


def config(desktops: int) -> str:
    agents = "".join(
        f"[agent:b{n}]\nfirstname = B\nlastname = {n}\nemployeeId = {n}\npassword = pw\n"
        f"number = {7000 + n}\n\n"
        for n in range(desktops)
    )
    return (
        textwrap.dedent(
            f"""
        [wwe-host]
        insecure-plain-password = true

        [interaction-workspace]
        service-client-api.accepted-web-content-origins = {ORIGIN} (*)
        service-client-api.workspace-web-content.dial-only = false
        workspace.web-content = Bench

        [Bench]
        url = {ORIGIN}/bench.html

        """
        )
        + agents
    )


class Desktop:
    """One simulated desktop: a logged-in WebSocket with one frame."""

    def __init__(self, ws: websockets.ClientConnection, frame_id: str | None) -> None:
        self.ws = ws
        self.frame_id = frame_id
        self.n = 0

    async def round_trip(self) -> None:
        self.n += 1
        if self.frame_id is None:  # the echo baseline
            await self.ws.send(json.dumps({"n": self.n}))
            await self.ws.recv()
            return
        message = json.dumps({"request": "agent.getState", "referenceId": str(self.n)})
        await self.ws.send(
            json.dumps(
                {
                    "type": "frame.message",
                    "frameId": self.frame_id,
                    "origin": ORIGIN,
                    "message": message,
                }
            )
        )
        while True:  # traffic entries come too; the reply is the frame.message
            if json.loads(await self.ws.recv())["type"] == "frame.message":
                return


async def open_wwe(url: str, index: int) -> Desktop:
    # Login and the desktop WebSocket are cookie doors: they take the desktop's own origin.
    async with httpx.AsyncClient(headers={"origin": url}) as http:
        login = await http.post(
            f"{url}/api/v1/login", json={"username": f"b{index}", "password": "pw"}
        )
    cookie = f"wwe_session={login.cookies['wwe_session']}"
    ws = await websockets.connect(
        url.replace("http", "ws") + "/desktop/ws",
        origin=Origin(url),
        additional_headers={"Cookie": cookie},
    )
    await ws.send(json.dumps({"type": "hello", "frames": []}))
    await ws.send(
        json.dumps({"type": "frame.open", "ref": 1, "section": "Bench", "origin": ORIGIN})
    )
    while True:
        answer = json.loads(await ws.recv())
        if answer["type"] == "frame.opened":
            return Desktop(ws, answer["frameId"])


async def measure(
    desktops: list[Desktop], seconds: float, interval: float = 0.0
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def run(desktop: Desktop) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await desktop.round_trip()
            took = time.perf_counter() - started
            latencies.append(took * 1000)
            if interval > took:
                await asyncio.sleep(interval - took)

    started = time.perf_counter()
    await asyncio.gather(*(run(d) for d in desktops))
    return len(latencies) / (time.perf_counter() - started), latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def bench(desktops: list[Desktop], seconds: float) -> tuple[float, float, float]:
    peak, _ = await measure(desktops, seconds)
    interval = len(desktops) / (peak / 2)  # every desktop at half the peak
    _, latencies = await measure(desktops, seconds, interval)
    return peak, percentile(latencies, 0.5), percentile(latencies, 0.99)


async def main(count: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(config(count), Path(tmp) / "wwe")
        server.start()
        echo_port = free_port()
        (Path(tmp) / "echo_app.py").write_text(ECHO_APP)
        echo = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "echo_app:app",
                "--port",
                str(echo_port),
                "--log-level",
                "warning",
                "--ws",
                "websockets-sansio",
            ],
            cwd=tmp,
        )
        try:
            wwe = [await open_wwe(server.url, n) for n in range(count)]
            for _ in range(50):
                try:
                    echoes = [
                        Desktop(await websockets.connect(f"ws://127.0.0.1:{echo_port}/ws"), None)
                        for _ in range(count)
                    ]
                    break
                except OSError:
                    await asyncio.sleep(0.1)
            base = await bench(echoes, seconds)
            ours = await bench(wwe, seconds)
            for d in [*wwe, *echoes]:
                await d.ws.close()
        finally:
            echo.terminate()
            echo.wait(10)
            server.stop()
    print(f"{count} desktops, {seconds:.0f} s per phase; latency at 50% of each peak")
    print(f"{'':<40} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8}  target")
    print(
        f"{'baseline: echo server, same stack':<40} {base[0]:>10,.0f} {base[1]:>8.2f} "
        f"{base[2]:>8.2f}  -"
    )
    print(
        f"{'agent.getState through the desktop WS':<40} {ours[0]:>10,.0f} {ours[1]:>8.2f} "
        f"{ours[2]:>8.2f}  >= 0.8 of echo; p99 < 3 ms"
    )
    print(f"throughput ratio: {ours[0] / base[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desktops", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    asyncio.run(main(args.desktops, args.seconds))
