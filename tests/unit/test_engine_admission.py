"""A frame's message before it is handled: size and nesting before decoding, the
referenceId's type, and the bound on requests in flight per frame."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine_support import CRM, DIALER, Agent, make_config, started_engine

DEEP = "The message nests arrays and objects deeper than 32 levels (the limit)."


async def crm_frame(agent: Agent) -> tuple[Any, str]:
    dialer = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    return await agent.frame("CRM", CRM, iid), iid


def nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


async def test_a_1000_deep_message_gets_its_own_refusal(tmp_path: Path) -> None:
    """It made the decoder raise RecursionError, which closed the desktop's socket."""
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    arrays = "[" * 1000 + "]" * 1000
    deep = (
        f'{{"request":"interaction.setUserData","referenceId":"9","parameters":["{iid}",{arrays}]}}'
    )

    assert len(deep) < 2100
    reply = await engine.handle_raw(crm, deep)
    assert reply is not None
    assert reply["errorCode"] == "INVALID_PARAMETER" and reply["errorMessage"] == DEEP
    assert reply["referenceId"] == "9" and reply["request"] == "interaction.setUserData"
    # Unclosed, or without a referenceId: refused in silence, never decoded.
    assert await engine.handle_raw(crm, "[" * 100_000) is None
    assert await engine.handle_raw(crm, json.dumps({"request": "x", "p": nested(40)})) is None
    # At the limit it is decoded and handled: the message is level 1, parameters level 2.
    ok = {"request": "agent.getState", "referenceId": 1, "parameters": [nested(30)]}
    at_limit = await engine.handle_raw(crm, json.dumps(ok))
    assert at_limit is not None and at_limit["errorCode"] == "INVALID_PARAMETER"
    assert at_limit["errorMessage"] == "'agent.getState' takes at most 0 parameter(s); got 1."
    traffic = [data for kind, data in agent.desktop.ui_events if kind == "traffic"]
    assert traffic[-4]["outcome"] == "failed" and traffic[-4]["detail"] == DEEP
    assert traffic[-4]["request"] == "interaction.setUserData"
    await engine.stop()


async def test_a_referenceid_that_is_not_a_string_or_number_is_answered_not_run(
    tmp_path: Path,
) -> None:
    """An object or boolean referenceId ran the request and was never answered."""
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    for reference, kind in (({"id": 1}, "an object"), (True, "a boolean"), ([1], "an array")):
        message = {
            "request": "interaction.setUserData",
            "parameters": [iid, {"Key1": kind}],
            "referenceId": reference,
        }
        reply = await engine.handle(crm, message)
        assert reply is not None, kind
        assert reply["errorCode"] == "INVALID_PARAMETER"
        assert reply["errorMessage"] == (f"'referenceId' must be a string or a number, not {kind}.")
        assert reply["referenceId"] == reference and reply["request"] == "interaction.setUserData"
    assert agent.session.interactions[iid].user_data == {}
    subscribe = await engine.handle(
        crm, {"event": "subscribe", "data": "agent", "referenceId": False}
    )
    assert subscribe is not None and subscribe["request"] == "subscribe"
    assert not any(crm.record.subscriptions.values())
    # null is no referenceId: run, not answered (protocol.md).
    silent = {"request": "interaction.setUserData", "parameters": [iid, {"Key1": "v"}]}
    assert await engine.handle(crm, {**silent, "referenceId": None}) is None
    assert agent.session.interactions[iid].user_data == {"Key1": "v"}
    await engine.stop()


async def test_requests_in_flight_are_bounded_per_frame(tmp_path: Path) -> None:
    config = make_config(server="max-requests-in-flight = 3")
    engine = await started_engine(tmp_path, config)
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    dialer = await agent.frame("Dialer", DIALER)

    def raw(ref: object) -> str:
        return json.dumps({"request": "agent.getState", "referenceId": ref})

    admitted = []
    for ref in ("1", "2", "3"):
        message, reply = engine.admit(crm, raw(ref))
        assert message is not None and reply is None
        admitted.append(message)
    assert crm.in_flight == 3
    message, refusal = engine.admit(crm, raw("4"))
    assert message is None and refusal is not None
    assert refusal["errorCode"] == "UNAVAILABLE" and refusal["referenceId"] == "4"
    assert refusal["request"] == "agent.getState"
    assert refusal["errorMessage"] == (
        "Too many requests in flight from this frame (at most 3); retry when replies have arrived."
    )
    # Without a referenceId the refusal is silent; a refusal takes no place.
    assert engine.admit(crm, json.dumps({"request": "agent.getState"})) == (None, None)
    assert crm.in_flight == 3
    # Another frame has its own places.
    other, _ = engine.admit(dialer, raw("1"))
    assert other is not None
    await engine.handle_admitted(dialer, other)
    # An answer gives its place back.
    reply = await engine.handle_admitted(crm, admitted.pop(0))
    assert reply is not None and reply["referenceId"] == "1" and "data" in reply
    assert crm.in_flight == 2
    again, _ = engine.admit(crm, raw("5"))
    assert again is not None
    for message in (*admitted, again):
        await engine.handle_admitted(crm, message)
    assert crm.in_flight == 0 and dialer.in_flight == 0
    traffic = [data for kind, data in agent.desktop.ui_events if kind == "traffic"]
    assert any(t["detail"] == "too many in flight" for t in traffic)
    assert iid
    await engine.stop()


async def test_oversized_message_names_request_and_reference(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, iid = await crm_frame(agent)
    big = json.dumps(
        {
            "request": "interaction.setUserData",
            "parameters": [iid, {"Key1": "x" * 70_000}],
            "referenceId": 12,
        }
    )
    reply = await engine.handle_raw(crm, big)
    assert reply is not None and reply["referenceId"] == 12
    assert reply["request"] == "interaction.setUserData"
    assert reply["errorMessage"] == (
        f"The message is {len(big)} bytes; the limit is 65536 bytes (max-message-bytes)."
    )
    # Bytes are UTF-8 bytes, not characters.
    wide = json.dumps({"request": "x", "referenceId": "w", "p": "é" * 33_000}, ensure_ascii=False)
    assert len(wide) < 65536 < len(wide.encode())
    refused = await engine.handle_raw(crm, wide)
    assert refused is not None and "65536" in refused["errorMessage"]
    await engine.stop()
