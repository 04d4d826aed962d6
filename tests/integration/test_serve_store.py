"""A real ``wwe-host serve`` on stores it cannot use (operations.md): it refuses to start with
one line on stderr and a non-zero exit, never a traceback; and a running server whose store
stops writing answers ``/healthz`` 503 with the reason, then 200 once it writes again.

File modes do not bind root: when the suite runs as root, the server runs without the
capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), as any
other user would. The store is made unwritable under a running server with RLIMIT_FSIZE
(a full disk, as the process sees it): every write to a file fails with EFBIG.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import resource
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from wwe_host.store.sqlite import SqliteStore
from wwe_host.testing import ServerProcess, config_text, wwe_host_command

AGENT = {
    "agent:ann": {
        "firstname": "Ann",
        "lastname": "Lee",
        "employeeId": "1",
        "password": "pw",
        "number": "5001",
    }
}
PR_CAPBSET_DROP = 24
DAC_CAPABILITIES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _drop_dac_capabilities() -> None:
    """In the child, before exec: root keeps its uid but not the right to ignore modes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in DAC_CAPABILITIES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def serve(tmp_path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "wwe-host.ini"
    config.write_text(config_text(AGENT))
    command = [
        *wwe_host_command(),
        "serve",
        "--config",
        str(config),
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        str(data_dir),
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        preexec_fn=_drop_dac_capabilities if os.geteuid() == 0 else None,
    )


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """The one line the server printed, after checking it is one line and not a traceback."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot start: ")
    return lines[0]


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    data = tmp_path / "data"
    data.mkdir()
    yield data
    data.chmod(0o755)


def make_database(data: Path) -> Path:
    path = data / "wwe-host.db"

    async def create() -> None:
        store = SqliteStore(path)
        await store.open()
        await store.close()

    asyncio.run(create())
    return path


def test_a_read_only_data_directory_stops_the_start(tmp_path: Path, read_only_dir: Path) -> None:
    read_only_dir.chmod(0o555)
    line = refused(serve(tmp_path, read_only_dir))
    database = read_only_dir / "wwe-host.db"
    assert line == (
        f"error: cannot start: cannot open {database} (unable to open database file); "
        f"check that {read_only_dir} is a writable directory"
    )


def test_a_read_only_database_file_stops_the_start(tmp_path: Path, read_only_dir: Path) -> None:
    database = make_database(read_only_dir)
    database.chmod(0o444)
    read_only_dir.chmod(0o555)
    line = refused(serve(tmp_path, read_only_dir))
    assert line.startswith(f"error: cannot start: {database} cannot be written (")
    assert line.endswith(f"check the permissions of the file and of its directory {read_only_dir}")


def test_a_file_that_is_not_a_database_stops_the_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = data / "wwe-host.db"
    database.write_bytes(b"\x00garbage, not SQLite" * 512)
    line = refused(serve(tmp_path, data))
    assert line == (
        f"error: cannot start: {database} is not a SQLite database (file is not a database); "
        "move it away or restore it"
    )


def test_a_damaged_database_stops_the_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = make_database(data)
    size = database.stat().st_size
    with database.open("r+b") as file:  # every page but the first loses its b-tree header
        for page in range(1, size // 4096):
            file.seek(page * 4096)
            file.write(b"\xff" * 12)
    line = refused(serve(tmp_path, data))
    assert line.startswith(f"error: cannot start: {database} ")
    assert "damaged" in line or "failed its integrity check" in line
    assert line.endswith("restore it from a backup or move it away")


# ---------------------------------------------------------------------------- running


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(config_text(AGENT), tmp_path / "server")
    process.start()
    try:
        yield process
    finally:
        assert process.proc is not None
        resource.prlimit(process.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
        process.stop()


def test_healthz_is_503_with_the_reason_while_the_store_cannot_write(
    server: ServerProcess,
) -> None:
    assert server.proc is not None
    pid = server.proc.pid
    with httpx.Client(base_url=server.url, timeout=10, headers={"origin": server.url}) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)[1]
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, hard))  # no byte more to any file
        login = http.post("/api/v1/login", json={"username": "ann", "password": "pw"})
        assert login.status_code == 503, login.text
        assert login.json()["error"]["code"] == "UNAVAILABLE"
        down = http.get("/healthz")
        assert down.status_code == 503
        assert down.json()["status"] == "unavailable"
        assert down.json()["reason"].startswith("the store cannot write: ")
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (hard, hard))
        # The probe (every second while failing) sees the store write again.
        deadline = time.monotonic() + 15
        while (health := http.get("/healthz")).status_code != 200:
            assert time.monotonic() < deadline, health.text
            time.sleep(0.1)
        assert health.json()["status"] == "ok"
        again = http.post("/api/v1/login", json={"username": "ann", "password": "pw"})
        assert again.status_code == 200, again.text
