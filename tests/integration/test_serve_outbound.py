"""Outbound campaigns through a real ``wwe-host serve`` on SQLite and on PostgreSQL: the
administrator loads and starts a campaign (REST), the agent takes a record, results,
reschedules it and puts its phone on the do-not-call list (the desktop's WebSocket
actions); after ``kill -9`` and a restart, the campaign, the outcome and the list are
still there."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from postgres_support import throwaway_database

from wwe_host.testing import ServerProcess, config_text

AGENT = {
    "firstname": "Ann",
    "lastname": "Lee",
    "employeeId": "1",
    "password": "pw",
    "number": "5001",
}


@contextlib.asynccontextmanager
async def database(kind: str) -> AsyncIterator[dict[str, str]]:
    if kind == "sqlite":
        yield {}
        return
    async with throwaway_database() as url:
        yield {"database": url}


def action(ws: Any, op: str, **args: Any) -> Any:
    """One agent action over the desktop's WebSocket; its data (fails on a refusal)."""
    ws.send(json.dumps({"type": "action", "ref": op, "op": op, "args": args}))
    while True:
        message = json.loads(ws.recv(timeout=10))
        if message.get("type") == "action.result" and message.get("ref") == op:
            assert message["ok"], message
            return message.get("data")


def outbound(ws: Any, request: str, *params: Any) -> Any:
    return action(ws, "outbound", request=request, params=list(params))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_campaign_outcomes_survive_kill_9(kind: str, tmp_path: Path) -> None:
    (tmp_path / "leads.csv").write_text("phone,name\n+15550101,Ada\n+15550102,Ben\n")
    async with database(kind) as server_options:
        sections = {
            "wwe-host": server_options,
            "agent:ann": AGENT,
            "campaign:leads": {"agents": "ann", "records": str(tmp_path / "leads.csv")},
        }
        server = ServerProcess(config_text(sections), tmp_path / "server")
        await asyncio.to_thread(server.start)
        headers = {"Authorization": f"Bearer {server.admin_token}"}
        try:
            async with httpx.AsyncClient(base_url=server.url + "/api/v1") as client:
                for step in ("load", "start"):
                    answer = await client.post(f"/campaigns/leads/{step}", headers=headers)
                    assert answer.status_code == 200, answer.text

                def agent_work() -> None:
                    with server.desktop_socket("ann", "pw") as ws:
                        ws.send(json.dumps({"type": "hello", "frames": []}))
                        preview = outbound(ws, "getPreviewRecord", "leads")
                        outbound(ws, "setCallResult", preview, "No Answer")
                        outbound(ws, "rescheduleRecord", preview, 1, "1/2/2099 9:30", "Personal")
                        outbound(ws, "setDoNotCall", preview)
                        shown = action(ws, "outboundRecord", interactionId=preview)
                        assert shown["status"] == "SCHEDULED" and shown["doNotCall"] is True

                await asyncio.to_thread(agent_work)
                await asyncio.to_thread(server.kill)
                await asyncio.to_thread(server.start)
                listed = await client.get("/campaigns", headers=headers)
                assert listed.json()["campaigns"][0]["status"] == "RUNNING"
                records = (await client.get("/campaigns/leads/records", headers=headers)).json()
                first, second = records["records"]
                assert first["status"] == "SCHEDULED"
                assert first["callResult"] == {"name": "No Answer", "code": 7}
                assert first["personal"] is True and first["doNotCall"] is True
                assert second["status"] == "READY"
        finally:
            await asyncio.to_thread(server.stop)
