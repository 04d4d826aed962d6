"""The security rules through the engine, in the order of security.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import (
    CRM,
    DIALER,
    NOTES,
    Agent,
    base_ini,
    make_config,
    started_engine,
)

from wwe_host.config import parse_config
from wwe_host.core.time import ManualClock
from wwe_host.engine import AuthError
from wwe_host.security.passwords import hash_password


async def interaction_frames(agent: Agent) -> tuple[object, object, str]:
    dialer = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await agent.frame("CRM", CRM, iid)
    notes = await agent.frame("Notes", NOTES, iid)
    return crm, notes, iid


async def test_origin_filters_per_frame(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    crm, notes, iid = await interaction_frames(agent)
    assert await agent.ok(notes, "agent.getState")
    refused = await agent.fails(notes, "voice.hold", iid)
    assert refused["errorCode"] == "NOT_ALLOWED"
    assert refused["errorMessage"] == (
        f"The origin '{NOTES}' is not allowed to use the request 'voice.hold'."
    )
    assert refused["request"] == "voice.hold"
    allowed = await agent.ok(notes, "system.getAllowedServices")
    assert "interaction.markdone" in allowed and "voice.dial" not in allowed
    assert "system.getAllowedServices" in allowed
    assert "voice.hold" in await agent.ok(crm, "system.getAllowedServices")
    await engine.stop()


async def test_unlisted_origin_and_unknown_request(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(origins=f"{CRM} (*), {DIALER}"))
    agent = await Agent.login(engine)
    _, notes, _ = await interaction_frames(agent)
    for request in ("agent.get", "system.getAllowedServices", "no.such"):
        reply = await agent.fails(notes, request)
        assert reply["errorCode"] == "NOT_ALLOWED", reply
    dialer = await agent.frame("Dialer", DIALER)
    assert (await agent.fails(dialer, "agent.nothing"))["errorCode"] == "UNKNOWN_REQUEST"
    null_frame = await agent.frame("Dialer", "null")
    assert (await agent.fails(null_frame, "voice.dial", "1"))["errorCode"] == "NOT_ALLOWED"
    await engine.stop()


async def test_agent_level_tab_is_dial_only_unless_configured(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    assert await agent.ok(dialer, "system.getAllowedServices") == [
        "system.getAllowedServices",
        "voice.dial",
    ]
    assert (await agent.fails(dialer, "agent.get"))["errorCode"] == "NOT_ALLOWED"
    await engine.stop()
    config = make_config(extra="service-client-api.workspace-web-content.dial-only = false")
    engine = await started_engine(tmp_path / "b", config)
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    assert (await agent.ok(dialer, "agent.get"))["username"] == "jdoe"
    await engine.stop()


async def test_rate_limit_reply_then_silent_quarantine(tmp_path: Path) -> None:
    clock = ManualClock()
    extra = (
        "service-client-api.rate-limit = 0\n"
        "service-client-api.rate-limit.voice.dial = 4\n"
        "service-client-api.rate-limit.email.create = 2\n"
        "service-client-api.rate-limit-quarantine-delay = 30"
    )
    engine = await started_engine(tmp_path, make_config(extra=extra), clock)
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    for _ in range(4):
        await agent.ok(dialer, "voice.dial", "noanswer-1")
    refused = await agent.fails(dialer, "voice.dial", "noanswer-1")
    assert refused["errorCode"] == "RATE_LIMITED"
    assert refused["request"] == "voice.dial"
    assert refused["errorMessage"] == (
        "The rate limit for the request 'voice.dial' has been reached.\n"
        "Further requests of the same type will be ignored for 30 seconds."
    )
    before = len(agent.session.interactions)
    ignored = await engine.handle(
        dialer, {"request": "voice.dial", "parameters": ["noanswer-1"], "referenceId": "x"}
    )
    assert ignored is None
    assert len(agent.session.interactions) == before
    # other request types are unaffected
    assert await agent.ok(dialer, "system.getAllowedServices")
    # after the quarantine, in a new minute, requests count again
    clock.now += 61
    assert await agent.ok(dialer, "voice.dial", "noanswer-1")
    audit = await engine.store.audit(agent="jdoe")
    await engine.stop()
    outcomes = [a.outcome for a in audit]
    assert "refused:rate-limit" in outcomes and "quarantined" in outcomes


async def test_quarantine_zero_means_forever(tmp_path: Path) -> None:
    clock = ManualClock()
    extra = (
        "service-client-api.rate-limit.email.create = 2\n"
        "service-client-api.rate-limit-quarantine-delay = 0"
    )
    config = make_config(extra=extra, origins=f"{CRM} (*), {DIALER}")
    engine = await started_engine(tmp_path, config, clock)
    agent = await Agent.login(engine)
    crm, _, _ = await interaction_frames(agent)
    await agent.ok(crm, "email.create", "a@b.example")
    await agent.ok(crm, "email.create", "a@b.example")
    refused = await agent.fails(crm, "email.create", "a@b.example")
    assert refused["errorMessage"].endswith("\nFurther requests of the same type will be ignored.")
    clock.now += 3600
    reply = await engine.handle(
        crm, {"request": "email.create", "parameters": ["a@b.example"], "referenceId": "9"}
    )
    assert reply is None
    await engine.stop()


async def test_write_list_refuses_whole_request(tmp_path: Path) -> None:
    config = make_config(read="Key1,Key2,Key3", write="Key1,Key3")
    engine = await started_engine(tmp_path, config)
    agent = await Agent.login(engine)
    crm, _, iid = await interaction_frames(agent)
    await agent.ok(crm, "interaction.setUserData", iid, {"Key1": "a", "Key3": "c"})
    refused = await agent.fails(
        crm, "interaction.setUserData", iid, {"Key1": "new", "Key2": "b", "Other": 1}
    )
    assert refused["errorCode"] == "USER_DATA_NOT_ALLOWED"
    assert "'Key2'" in refused["errorMessage"] and "'Other'" in refused["errorMessage"]
    data = await agent.ok(crm, "interaction.getByInteractionId", iid)
    assert data["userData"] == {"Key1": "a", "Key3": "c"}
    refused = await agent.fails(crm, "interaction.deleteUserData", iid, "Key2")
    assert refused["errorCode"] == "USER_DATA_NOT_ALLOWED"
    await agent.ok(crm, "interaction.deleteUserData", iid, "Key3")
    await agent.ok(crm, "interaction.deleteUserData", iid, "Key3")  # absent: still fine
    refused = await agent.fails(crm, "voice.dial", "123", {"Secret": "x"})
    assert refused["errorCode"] == "USER_DATA_NOT_ALLOWED"
    refused = await agent.fails(crm, "email.create", "a@b.example", {"Key2": "x"})
    assert refused["errorCode"] == "USER_DATA_NOT_ALLOWED"
    await engine.stop()


async def test_read_list_filters_replies_and_events(tmp_path: Path) -> None:
    config = make_config(read="Key1,Key2,Key3", write="*")
    engine = await started_engine(tmp_path, config)
    agent = await Agent.login(engine)
    crm, _, iid = await interaction_frames(agent)
    await agent.subscribe(crm, "interaction")
    await agent.ok(crm, "interaction.setUserData", iid, {"Key1": "a", "Hidden": "h"})
    data = await agent.ok(crm, "interaction.getByInteractionId", iid)
    assert data["userData"] == {"Key1": "a"}
    listed = await agent.ok(crm, "interaction.getInteractions")
    assert listed[0]["userData"] == {"Key1": "a"}
    events = agent.desktop.events_for(crm.record.frame_id, "interaction")
    changed = [e for e in events if e["data"]["eventType"] == "ATTACHED_DATA_CHANGED"]
    assert changed and changed[-1]["data"]["interaction"]["userData"] == {"Key1": "a"}
    # the agent's own view is not filtered
    assert agent.session.interactions[iid].user_data["Hidden"] == "h"
    await engine.stop()


async def test_refused_requests_do_not_count_toward_limits(tmp_path: Path) -> None:
    extra = "service-client-api.rate-limit.agent.get = 1"
    engine = await started_engine(tmp_path, make_config(extra=extra), ManualClock())
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    for _ in range(3):
        assert (await agent.fails(dialer, "agent.get"))["errorCode"] == "NOT_ALLOWED"
    _, notes, _ = await interaction_frames(agent)
    assert (await agent.ok(notes, "agent.get"))["username"] == "jdoe"
    await engine.stop()


async def test_logins_check_unknown_users_against_a_dummy_and_count_per_address(
    tmp_path: Path,
) -> None:
    stored = hash_password("secret")
    text = base_ini(origins=CRM).replace("password = secret\n", f"password = {stored}\n", 1)
    engine = await started_engine(tmp_path, parse_config(text))
    checked: list[str] = []
    verify = engine.logins.verify

    def spy(hashed: str, plain: str, *, allow_plain: bool) -> bool:
        checked.append(hashed)
        return verify(hashed, plain, allow_plain=allow_plain)

    engine.logins.verify = spy
    try:
        await engine.login("jdoe", "secret", address="10.0.0.1")
        with pytest.raises(AuthError) as refused:
            await engine.login("nobody", "secret", address="10.0.0.1")
        assert str(refused.value) == "Unknown username or wrong password."
        assert checked == [stored, await engine.logins.dummy_hash()]
        throttle = engine.logins.throttle
        assert throttle.score("user", "nobody") == pytest.approx(1, rel=0.01)
        assert throttle.score("address", "10.0.0.1") == pytest.approx(1, rel=0.01)
        assert throttle.score("user", "jdoe") == 0
    finally:
        await engine.stop()


async def test_failed_logins_are_audited_and_counted(tmp_path: Path) -> None:
    from typing import Any

    from wwe_host.security.logins import LoginThrottled

    engine = await started_engine(tmp_path, make_config())
    doors: list[tuple[str, str]] = []
    engine.door_observers.append(lambda door, reason: doors.append((door, reason)))
    try:
        with pytest.raises(AuthError):
            await engine.login("jdoe", "wrong", address="10.0.0.7")
        with pytest.raises(AuthError):
            await engine.login("x" * 100, "secret", address="10.0.0.8")

        async def throttled(*args: Any, **kwargs: Any) -> bool:
            raise LoginThrottled(3.0)

        engine.logins.check = throttled  # type: ignore[method-assign]
        with pytest.raises(LoginThrottled):
            await engine.login("asmith", "secret2")
        await engine.flush_audit()
        rows = [
            (e.agent, e.request, e.detail) for e in await engine.store.audit(outcome="refused:auth")
        ]
        assert sorted(rows) == sorted(
            [
                ("jdoe", "login", "Login of 'jdoe' refused: wrong password (client 10.0.0.7)."),
                (  # an unknown name is in the detail only, cut to 64 characters
                    "",
                    "login",
                    f"Login of '{'x' * 64}' refused: unknown user name (client 10.0.0.8).",
                ),
                (
                    "asmith",
                    "login",
                    f"Login of 'asmith' refused: {LoginThrottled(3.0)} (client unknown).",
                ),
            ]
        )
        assert doors == [("login", "credentials"), ("login", "credentials"), ("login", "throttled")]
    finally:
        await engine.stop()


async def test_a_login_without_role_agent_is_audited(tmp_path: Path) -> None:
    text = (
        base_ini(origins=CRM)
        + "\n[agent:viewer]\nfirstname = V\nlastname = W\nemployeeId = 7\npassword = pw\n"
        + ("roles = ROLE_ADMIN\nnumber = 5009\n")
    )
    engine = await started_engine(tmp_path, parse_config(text))
    try:
        with pytest.raises(AuthError) as refused:
            await engine.login("viewer", "pw", address="10.0.0.9")
        assert str(refused.value) == "User 'viewer' does not have ROLE_AGENT."
        await engine.flush_audit()
        (entry,) = await engine.store.audit(outcome="refused:auth")
        assert (entry.agent, entry.detail) == (
            "viewer",
            "Login of 'viewer' refused: the user does not have ROLE_AGENT (client 10.0.0.9).",
        )
    finally:
        await engine.stop()
