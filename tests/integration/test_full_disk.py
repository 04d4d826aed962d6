"""A failed commit on a real full file system: ``wwe-host serve`` with its data directory on a
small tmpfs, filled up while the agent works. The write is answered 503 and leaves nothing
behind; once space is back the retry is done exactly once, and it survives ``kill -9``."""

from __future__ import annotations

import contextlib
import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from wwe_host.testing import ServerProcess

CONFIG = """
[wwe-host]
admin-token = full-disk-admin-token
insecure-plain-password = true

[interaction-workspace]
service-client-api.accepted-web-content-origins = *

[agent:jdoe]
firstname = John
lastname = Doe
employeeId = 1001
password = secret
number = 5001
media = voice
"""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs mounted where the server keeps its data (the tests run as root)."""
    mount = tmp_path / "server" / "data"
    mount.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Write until the file system is full; the filler file is returned."""
    filler = disk / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):
        chunk = b"\0" * 65536
        while True:
            try:
                out.write(chunk)
                out.flush()
            except OSError as problem:
                assert problem.errno == errno.ENOSPC, problem
                break
    return filler


def test_a_write_on_a_full_disk_changes_nothing_and_its_retry_is_done_once(
    tmp_path: Path, small_disk: Path
) -> None:
    server = ServerProcess(CONFIG, tmp_path / "server")
    server.start()
    try:
        origin = {"origin": server.url}
        auth = {"authorization": "Bearer full-disk-admin-token"}
        with httpx.Client(base_url=server.url, timeout=10) as http:
            login = http.post(
                "/api/v1/login", json={"username": "jdoe", "password": "secret"}, headers=origin
            )
            assert login.status_code == 200, login.text
            body = {"to": "jdoe", "from": "5550100", "userData": {"Big": "x" * 60_000}}

            filler = fill(small_disk)
            refused = http.post("/api/v1/sim/calls", json=body, headers=auth)
            assert refused.status_code == 503, refused.text
            assert refused.json()["error"]["code"] == "UNAVAILABLE"
            assert "Traceback" not in refused.text
            listed = http.get("/api/v1/interactions", headers=auth)
            assert listed.status_code == 200
            assert listed.json()["interactions"] == []

            filler.unlink()
            retried = http.post("/api/v1/sim/calls", json=body, headers=auth)
            assert retried.status_code == 201, retried.text
            assert len(http.get("/api/v1/interactions", headers=auth).json()["interactions"]) == 1

        server.kill()
        server.start()
        with httpx.Client(base_url=server.url, timeout=10) as http:
            stored = http.get("/api/v1/interactions", headers=auth).json()["interactions"]
            assert len(stored) == 1
            assert stored[0]["userData"]["Big"] == "x" * 60_000
    finally:
        server.stop()
