"""``wwe-host serve`` on a real PostgreSQL database (a throwaway one per test): it migrates
the database at start, keeps what it acknowledged across ``kill -9``, and refuses a
database of a newer schema with one line."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import httpx
import psycopg
from postgres_support import throwaway_database

from wwe_host.store.postgresql import SCHEMA
from wwe_host.testing import ServerProcess, config_text, wwe_host_command

AGENT = {
    "firstname": "Ann",
    "lastname": "Lee",
    "employeeId": "1",
    "password": "pw",
    "number": "5001",
}


async def test_serve_on_postgresql_keeps_acknowledged_writes_across_kill_9(
    tmp_path: Path,
) -> None:
    async with throwaway_database() as url:
        server = ServerProcess(
            config_text({"wwe-host": {"database": url}, "agent:ann": AGENT}), tmp_path
        )
        await asyncio.to_thread(server.start)
        try:
            await asyncio.to_thread(server.login, "ann", "pw")
            headers = {"Authorization": f"Bearer {server.admin_token}"}
            async with httpx.AsyncClient(base_url=server.url + "/api/v1") as client:
                pushed = await client.post(
                    "/sim/calls", json={"to": "ann", "from": "5550100"}, headers=headers
                )
                assert pushed.status_code == 201, pushed.text
                call_uuid = pushed.json()["callUuid"]
                await asyncio.to_thread(server.kill)
                await asyncio.to_thread(server.start)
                listed = await client.get("/interactions", headers=headers)
                assert listed.status_code == 200, listed.text
                assert [i["callUuid"] for i in listed.json()["interactions"]] == [call_uuid]
                health = (await client.get(server.url + "/healthz")).json()
                assert health["status"] == "ok" and health["sessions"] == 1
        finally:
            await asyncio.to_thread(server.stop)
        async with await psycopg.AsyncConnection.connect(url) as conn:
            rows = await (await conn.execute("SELECT username, version FROM sessions")).fetchall()
            assert [r[0] for r in rows] == ["ann"] and rows[0][1] >= 2


async def test_a_database_of_a_newer_schema_is_refused_with_one_line(tmp_path: Path) -> None:
    async with throwaway_database() as url:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            await conn.execute("INSERT INTO schema_version VALUES (%s)", (SCHEMA + 1,))
        config = tmp_path / "wwe-host.ini"
        config.write_text(config_text({"wwe-host": {"database": url}, "agent:ann": AGENT}))
        done = subprocess.run(
            [*wwe_host_command(), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1, done.stderr
        assert f"has schema version {SCHEMA + 1}, newer than this wwe-host knows ({SCHEMA})" in (
            done.stderr
        )
        assert "Traceback" not in done.stderr
