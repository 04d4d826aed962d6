"""/api/v1/campaigns (web/rest/campaigns.py): list, load, start, stop, unload, records and
outcomes, with the answers checked against the served OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from engine_support import DIALER, Agent
from outbound_support import outbound_config
from rest_support import TOKEN, Env, assert_error, make_env, schema_validator


async def _env(tmp_path: Path) -> Env:
    engine, http = await make_env(
        tmp_path, outbound_config(tmp_path, server=f"admin-token = {TOKEN}")
    )
    return Env(engine, http)


async def test_campaign_life_cycle_and_records(tmp_path: Path) -> None:
    env = await _env(tmp_path)
    try:
        listed = await env.get("/campaigns")
        assert listed.status_code == 200
        schema_validator("CampaignList").validate(listed.json())
        assert [(c["name"], c["status"]) for c in listed.json()["campaigns"]] == [
            ("spring", "UNLOADED"),
            ("push", "UNLOADED"),
        ]
        agent = await Agent.login(env.engine)
        frame = await agent.frame("Dialer", DIALER)
        await agent.subscribe(frame, "outbound")
        loaded = await env.post("/campaigns/spring/load")
        assert loaded.status_code == 200, loaded.text
        schema_validator("Campaign").validate(loaded.json())
        assert loaded.json()["status"] == "LOADED"
        assert loaded.json()["records"] == {"READY": 4}
        assert (await env.post("/campaigns/spring/start")).json()["status"] == "RUNNING"
        iid = await agent.ok(frame, "outbound.getPreviewRecord", "spring")
        await agent.ok(frame, "outbound.setCallResult", iid, "Busy")
        await agent.ok(frame, "outbound.setDoNotCall", iid)
        records = await env.get("/campaigns/spring/records")
        assert records.status_code == 200
        schema_validator("RecordList").validate(records.json())
        first = records.json()["records"][0]
        assert first["recordHandle"] == 1
        assert first["status"] == "PREVIEW"
        assert first["agent"] == "jdoe"
        assert first["callResult"] == {"name": "Busy", "code": 6}
        assert first["doNotCall"] is True
        assert first["fields"] == {"name": "Ann Lee", "balance": "120"}
        assert (await env.post("/campaigns/spring/stop")).json()["status"] == "STOPPED"
        busy = await env.post("/campaigns/spring/unload")
        assert_error(busy, 409, "INVALID_STATE", "shown to agents")
        await agent.ok(frame, "outbound.cancelPreviewRecord", iid)
        gone = await env.post("/campaigns/spring/unload")
        assert gone.json()["status"] == "UNLOADED"
        assert agent.desktop.event_types(frame.record.frame_id, "outbound") == [
            "CAMPAIGN_LOADED",
            "CAMPAIGN_STARTED",
            "RECORD_RECEIVED",
            "CALL_RESULT_SET",
            "DO_NOT_CALL_SET",
            "CAMPAIGN_STOPPED",
            "RECORD_CANCELLED",
            "CAMPAIGN_UNLOADED",
        ]
    finally:
        await env.http.aclose()
        await env.engine.stop()


async def test_refusals_name_the_campaign(tmp_path: Path) -> None:
    env = await _env(tmp_path)
    try:
        assert_error(await env.post("/campaigns/nope/load"), 404, "NOT_FOUND", "'nope'")
        assert_error(await env.get("/campaigns/spring/records"), 404, "NOT_FOUND", "'spring'")
        assert_error(await env.post("/campaigns/spring/start"), 409, "INVALID_STATE", "not loaded")
        await env.post("/campaigns/spring/load")
        assert_error(await env.post("/campaigns/spring/load"), 409, "INVALID_STATE", "already")
        assert_error(await env.post("/campaigns/spring/stop"), 409, "INVALID_STATE", "LOADED")
        await env.post("/campaigns/spring/start")
        assert_error(await env.post("/campaigns/spring/unload"), 409, "INVALID_STATE", "stop it")
        refused = await env.http.get("/api/v1/campaigns")
        assert refused.status_code == 401
    finally:
        await env.http.aclose()
        await env.engine.stop()
