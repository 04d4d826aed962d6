"""Browser benchmark (operations.md): round trip of agent.getState from a cross-origin
iframe through the desktop and the server and back, against a bare postMessage echo
between the same iframe and the desktop page, measured in the same run.

Starts a real `wwe-host serve` and a static server for the third-party page on another
port, logs in with headless Chromium, and prints p50/p99 for both.

    python bench/browser.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import tempfile
import textwrap
from pathlib import Path

from playwright.sync_api import sync_playwright

from wwe_host.testing import ServerProcess, StaticSite, launch_chromium, login

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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "site").mkdir()
        site = StaticSite(root / "site")
        server = ServerProcess(CONFIG.format(page_origin=site.url), root / "server")
        (root / "site" / "bench.html").write_text(PAGE.format(host=server.url))
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                page = browser.new_page()
                login(page, server.url, "bench", "bench")
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
                page.locator("iframe[data-section=Bench]").wait_for(state="attached")
                target = None
                while target is None:
                    target = next((f for f in page.frames if f.url.endswith("/bench.html")), None)
                    page.wait_for_timeout(50)
                target.wait_for_load_state()
                target.evaluate("(n) => measure('echo', n)", 200)  # warm up
                target.evaluate("(n) => measure('api', n)", 200)
                echo = target.evaluate("(n) => measure('echo', n)", count)
                api = target.evaluate("(n) => measure('api', n)", count)
                browser.close()
        finally:
            server.stop()
            site.close()
    print(f"{'round trip (ms)':<44} {'p50':>8} {'p99':>8}  target")
    for name, values, target_text in (
        ("baseline: postMessage echo iframe<->page", echo, "-"),
        ("agent.getState iframe->desktop->server", api, "p50 < 1, p99 < 2"),
    ):
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(f"{name:<44} {p50:>8.3f} {p99:>8.3f}  {target_text}")
    # The echo often rounds to 0 ms (Chromium's clock is coarse for cross-origin frames), so
    # a ratio would be meaningless: report what the server path adds instead.
    for label, q in (("p50", 0.5), ("p99", 0.99)):
        added = percentile(api, q) - percentile(echo, q)
        print(f"{label} added by desktop+server over the echo: {added:.3f} ms")
    print(f"({count} requests each)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    main(parser.parse_args().requests)
