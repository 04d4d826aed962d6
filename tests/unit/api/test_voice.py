"""voice.* requests (api/voice.py). voice.dialEx (api-9.md): voice.dial plus extensions
for the switch, kept on the call for the REST API and the audit log, never shown to frames."""

from __future__ import annotations

from pathlib import Path

from engine_support import CRM, DIALER, Agent, make_config, started_engine
from rest_support import Env, make_env, rest_config

EXTENSIONS = {"Priority": "high", "RouteHint": "sales"}
# Agent-level tabs are click-to-dial only by default (security.md: voice.dial alone).
FULL_TABS = "service-client-api.workspace-web-content.dial-only = false"


async def test_dial_ex_places_a_call_like_dial(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=FULL_TABS))
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    created = await agent.ok(dialer, "voice.dialEx", "5550100", {"Order": "17"}, EXTENSIONS)
    iid = created["interactionId"]
    interaction = agent.session.interactions[iid]
    assert interaction.state == "DIALING"
    assert interaction.user_data == {"Order": "17"}
    assert interaction.extensions == EXTENSIONS
    # Frames never see the extensions, in replies or in events.
    crm = await agent.frame("CRM", CRM, iid)
    await agent.subscribe(crm, "interaction")
    seen = await agent.ok(crm, "interaction.getByInteractionId", iid)
    assert "extensions" not in seen and "Priority" not in str(seen)
    await engine.flush_audit()
    [row] = [e for e in await engine.store.audit() if e.request == "voice.dialEx"]
    assert row.outcome == "allowed"
    assert row.detail == "extensions: Priority=high, RouteHint=sales"
    # Optional userData and extensions; a plain dial keeps no extensions.
    bare = await agent.ok(dialer, "voice.dialEx", "5550101")
    assert agent.session.interactions[bare["interactionId"]].extensions == {}
    await engine.flush_audit()
    rows = [e for e in await engine.store.audit() if e.request == "voice.dialEx"]
    assert rows[-1].detail == ""
    await engine.stop()


async def test_dial_ex_checks_its_parameters(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(extra=FULL_TABS))
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    cases = [
        (["bad number!"], "Parameter 1 'destination' of 'voice.dialEx' is not a dialable number"),
        (["5550100", None, "x"], "Parameter 3 'extensions' of 'voice.dialEx' must be an object"),
        (
            ["5550100", None, {"Priority": 1}],
            "Parameter 3 'extensions' of 'voice.dialEx' has key 'Priority' with a value of type "
            "number; values must be strings",
        ),
        (
            ["5550100", None, {f"k{i}": "v" for i in range(33)}],
            "Parameter 3 'extensions' of 'voice.dialEx' has 33 keys; at most 32 are allowed",
        ),
        (["5550100", None, {"k": "v"}, "more"], "'voice.dialEx' takes at most 3 parameter(s)"),
    ]
    for params, text in cases:
        reply = await agent.fails(dialer, "voice.dialEx", *params)
        assert reply["errorCode"] == "INVALID_PARAMETER", reply
        assert reply["errorMessage"].startswith(text), reply
    assert agent.session.interactions == {}
    await engine.stop()


async def test_a_click_to_dial_tab_may_not_use_dial_ex(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    assert (await agent.fails(dialer, "voice.dialEx", "5550100"))["errorCode"] == "NOT_ALLOWED"
    await engine.stop()


async def test_rest_api_shows_the_extensions(tmp_path: Path) -> None:
    engine, http = await make_env(tmp_path, rest_config(extra=FULL_TABS))
    env = Env(engine, http)
    try:
        agent = await Agent.login(engine)
        dialer = await agent.frame("Dialer", DIALER)
        await agent.ok(dialer, "voice.dialEx", "5550100", None, EXTENSIONS)
        await agent.ok(dialer, "voice.dial", "5550101")
        listed = (await env.get("/interactions")).json()["interactions"]
        by_dnis = {i["dnis"]: i for i in listed}
        assert by_dnis["5550100"]["extensions"] == EXTENSIONS
        assert "extensions" not in by_dnis["5550101"]
    finally:
        await http.aclose()
        await engine.stop()
