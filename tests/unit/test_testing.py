"""wwe_host.testing helpers that need no server: the demo's two ports."""

from __future__ import annotations

import socket
from pathlib import Path

from wwe_host.testing import DEMO_ADMIN_TOKEN, DemoProcess, free_port_pair


def test_free_port_pair_leaves_the_next_port_free_for_the_demo_app() -> None:
    port = free_port_pair()
    for candidate in (port, port + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", candidate))  # raises if taken


def test_demo_process_runs_serve_without_a_configuration(tmp_path: Path) -> None:
    demo = DemoProcess(tmp_path)
    assert "--config" not in demo.command
    assert demo.command[-5:] == [
        "serve",
        "--listen",
        f"127.0.0.1:{demo.port}",
        "--data-dir",
        str(demo.data_dir),
    ]
    assert demo.demo_url == f"http://127.0.0.1:{demo.port + 1}"
    assert demo.admin_token == DEMO_ADMIN_TOKEN
