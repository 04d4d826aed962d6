"""Real ``wwe-host serve`` processes for tests and tools (the pytest plugin, ``wwe-host
cluster``): start, stop, kill -9, log in as the desktop does. No pytest here, so tools that
run in production (``wwe-host cluster``) can use it."""

from __future__ import annotations

import configparser
import io
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from .client import WweHostClient

DEFAULT_ADMIN_TOKEN = "wwe-host-test-token"
STARTUP_TIMEOUT = 30.0

ConfigSource = Mapping[str, Mapping[str, object]] | str | Path


def free_port() -> int:
    """A TCP port that was free a moment ago (bind to port 0, then release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def config_text(source: ConfigSource) -> str:
    """INI text for a configuration given as a dict, INI text or a file path; test
    configurations get plain passwords and an admin token unless they set their own."""
    if isinstance(source, Path):
        return source.read_text()
    if isinstance(source, str):
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(source)
    else:
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        for section, options in source.items():
            parser[section] = {key: str(value) for key, value in options.items()}
    if not parser.has_section("wwe-host"):
        parser.add_section("wwe-host")
    server = parser["wwe-host"]
    server.setdefault("insecure-plain-password", "true")
    server.setdefault("admin-token", DEFAULT_ADMIN_TOKEN)
    out = io.StringIO()
    parser.write(out)
    return out.getvalue()


def first_agent(text: str) -> tuple[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    for section in parser.sections():
        if section.startswith("agent:"):
            return section.removeprefix("agent:"), parser[section].get("password", "")
    raise ValueError("the configuration has no [agent:<username>] section")


def wwe_host_command() -> list[str]:
    script = Path(sys.executable).parent / "wwe-host"
    return [str(script)] if script.exists() else [sys.executable, "-m", "wwe_host"]


class ServerProcess:
    """One ``wwe-host serve`` process; ``kill()`` is SIGKILL, ``start()`` (re)starts it on
    the same port and data directory."""

    def __init__(
        self, text: str, directory: Path, port: int | None = None, public_url: str | None = None
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The desktop's address as browsers see it (a load balancer's, in a cluster): the
        # Origin the cookie doors accept.
        self.public_url = public_url or self.url
        self.directory = directory
        self.config_path = directory / "wwe-host.ini"
        self.data_dir = directory / "data"
        self.log_path = directory / "server.log"
        directory.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(text)
        self.data_dir.mkdir(exist_ok=True)
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(text)
        self.admin_token = parser.get("wwe-host", "admin-token", fallback=None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.command = [
            *wwe_host_command(),
            "serve",
            "--config",
            str(self.config_path),
            "--listen",
            f"127.0.0.1:{self.port}",
            "--data-dir",
            str(self.data_dir),
        ]

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "already running"
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        self.wait_healthy()

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"wwe-host exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"wwe-host did not become healthy:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs (what a crash or an OOM kill does)."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def client(self) -> WweHostClient:
        return WweHostClient(self.url, self.admin_token)

    def login(self, username: str, password: str) -> str:
        """Log in as the desktop's login page does (with its Origin); the session cookie."""
        request = urllib.request.Request(
            self.url + "/api/v1/login",
            data=json.dumps({"username": username, "password": password}).encode(),
            headers={"content-type": "application/json", "origin": self.public_url},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            cookie = response.headers.get("set-cookie", "")
        token = cookie.split("wwe_session=", 1)[1].split(";", 1)[0] if cookie else ""
        assert token, f"no session cookie after logging in as {username!r}"
        return token

    def desktop_socket(self, username: str, password: str) -> ClientConnection:
        """The desktop's WebSocket of ``username``, opened as the desktop page opens it
        (its Origin, the session cookie); no size limit, no compression."""
        return connect(
            self.url.replace("http", "ws", 1) + "/desktop/ws",
            origin=Origin(self.public_url),
            additional_headers={"Cookie": f"wwe_session={self.login(username, password)}"},
            max_size=None,
            compression=None,
        )
