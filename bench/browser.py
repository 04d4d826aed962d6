"""Browser benchmark (operations.md): round trip of agent.getState from a cross-origin
iframe through the desktop and the server and back, against a bare postMessage echo
between the same iframe and the desktop page, measured in the same run.

Starts a real `wwe-host serve` and a static server for the third-party page on another
port, logs in with headless Chromium, and prints p50/p99 for both.

    python bench/browser.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

PAGE = """<!doctype html>
<meta charset="utf-8"><title>bench</title>
<script src="{host}/wwe-service-client-api.js"></script>
<script>
async function measure(kind, count) {{
  const service = genesys.wwe.service;
  await service.ready();
  const times = [];
  for (let i = 0; i < count; i++) {{
    const start = performance.now();
    if (kind === "api") {{
      await service.agent.getState();
    }} else {{
      await new Promise((resolve) => {{
        const listener = (event) => {{
          if (event.data && event.data.echo === i) {{
            window.removeEventListener("message", listener);
            resolve();
          }}
        }};
        window.addEventListener("message", listener);
        window.parent.postMessage({{ echo: i }}, "{host}");
      }});
    }}
    times.push(performance.now() - start);
  }}
  return times;
}}
</script>
"""

CONFIG = """
[wwe-host]
insecure-plain-password = true

[interaction-workspace]
service-client-api.accepted-web-content-origins = {page_origin} (*)
service-client-api.workspace-web-content.dial-only = false
workspace.web-content = Bench

[Bench]
url = {page_origin}/bench.html

[agent:bench]
firstname = Bench
lastname = Mark
employeeId = 1
password = bench
number = 7001
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        host_port, page_port = free_port(), free_port()
        host = f"http://127.0.0.1:{host_port}"
        page_origin = f"http://127.0.0.1:{page_port}"
        (root / "site").mkdir()
        (root / "site" / "bench.html").write_text(PAGE.format(host=host))
        (root / "bench.ini").write_text(CONFIG.format(page_origin=page_origin))
        handler = functools.partial(Quiet, directory=str(root / "site"))
        static = http.server.ThreadingHTTPServer(("127.0.0.1", page_port), handler)
        threading.Thread(target=static.serve_forever, daemon=True).start()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wwe_host",
                "serve",
                "--config",
                str(root / "bench.ini"),
                "--listen",
                f"127.0.0.1:{host_port}",
                "--data-dir",
                str(root / "data"),
            ],
            stdout=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{host}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                page = browser.new_page()
                page.goto(f"{host}/")
                page.get_by_label("Username").fill("bench")
                page.get_by_label("Password").fill("bench")
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url("**/desktop")
                # The baseline's other end: an echo in the desktop page itself.
                page.evaluate(
                    textwrap.dedent(
                        """() => window.addEventListener("message", (event) => {
                            if (event.data && typeof event.data.echo === "number") {
                                event.source.postMessage({ echo: event.data.echo }, event.origin);
                            }
                        })"""
                    )
                )
                frame = page.frame_locator("iframe[data-section=Bench]").first
                frame.locator("body").wait_for(state="attached")
                target = next(f for f in page.frames if f.url.endswith("/bench.html"))
                target.evaluate("(n) => measure('echo', n)", 200)  # warm up
                target.evaluate("(n) => measure('api', n)", 200)
                echo = target.evaluate("(n) => measure('echo', n)", count)
                api = target.evaluate("(n) => measure('api', n)", count)
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
            static.shutdown()
    print(f"{'round trip (ms)':<44} {'p50':>8} {'p99':>8}  target")
    for name, values, target_text in (
        ("baseline: postMessage echo iframe<->page", echo, "-"),
        ("agent.getState iframe->desktop->server", api, "p50 < 1, p99 < 3"),
    ):
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(f"{name:<44} {p50:>8.3f} {p99:>8.3f}  {target_text}")
    ratio = percentile(api, 0.5) / max(percentile(echo, 0.5), 1e-9)
    print(f"p50 ratio api/echo: {ratio:.1f}x over {count} requests each")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    main(parser.parse_args().requests)
