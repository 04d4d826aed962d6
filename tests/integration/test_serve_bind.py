"""A real ``wwe-host serve`` on an address it cannot have: one line on stderr naming the
address (host:port) and what wanted it, exit status 2, no traceback. The demo takes two
ports (the desktop's and the next one for the demo app): either may be the one in use."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from wwe_host.testing import config_text, wwe_host_command


@pytest.fixture
def taken() -> Iterator[tuple[socket.socket, int]]:
    """A port held by another listener, whose neighbours are free (asked of the kernel)."""
    for _ in range(50):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
        if 1024 < port < 65535 and all(_free(p) for p in (port - 1, port + 1)):
            sock.listen(1)
            yield sock, port
            sock.close()
            return
        sock.close()
    pytest.fail("no free pair of ports around a kernel-chosen one")


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*wwe_host_command(), "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_port_in_use_is_named(taken: tuple[socket.socket, int], tmp_path: Path) -> None:
    _, port = taken
    config = tmp_path / "wwe-host.ini"
    config.write_text(
        config_text(
            f"[wwe-host]\nlisten = 127.0.0.1:{port}\n"
            "[agent:ann]\nfirstname = Ann\nlastname = Lee\nemployeeId = 1\npassword = pw\n"
            "number = 5001\n"
        )
    )
    result = _serve("--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: cannot listen on 127.0.0.1:{port} for the desktop: Address already in use\n"
    )


def test_the_demo_names_its_second_port(taken: tuple[socket.socket, int], tmp_path: Path) -> None:
    _, port = taken
    result = _serve("--listen", f"127.0.0.1:{port - 1}", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: cannot listen on 127.0.0.1:{port} for the demo app: Address already in use; "
        "the demo app takes the port after the desktop's: choose two free ports with --listen\n"
    )
    assert _free(port - 1)  # the desktop's socket was closed again
