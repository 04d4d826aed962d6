"""configuration.getOption (api-9.md): the agent's effective values of the options asked
for, only those the read list allows, never a secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import DIALER, Agent, base_ini, make_config, started_engine

from wwe_host.config import ConfigError, parse_config
from wwe_host.engine import Engine

FULL_TABS = "service-client-api.workspace-web-content.dial-only = false"
APP_OPTIONS = f"""{FULL_TABS}
voice.auto-answer = false
crm.color = blue
crm.api-key = k-123456
crm.backend = https://svc:hunter22@crm.example/api
crm.page = https://crm.example/page
"""
EXTRA_SECTIONS = """
[MySection]
greeting = hello
token = t-0987654321

[agent:jdoe]
firstname = John
lastname = Doe
employeeId = 1001
password = secret
roles = ROLE_AGENT, ROLE_ADMIN
number = 5001
voice.auto-answer = true
"""


async def _agent(tmp_path: Path, read_allowed: str | None = None) -> tuple[Engine, Agent, Any]:
    extra = APP_OPTIONS
    if read_allowed is not None:
        extra += f"service-client-api.configuration.read-allowed = {read_allowed}\n"
    text = base_ini(origins=DIALER, extra=extra, server="admin-token = adm-0123456789abcdef")
    # jdoe's section is given again below, with an override: drop the base one.
    start = text.index("[agent:jdoe]")
    end = text.index("[agent:asmith]")
    text = text[:start] + text[end:] + EXTRA_SECTIONS
    engine = await started_engine(tmp_path, parse_config(text, "<test>"))
    agent = await Agent.login(engine)
    frame = await agent.frame("Dialer", DIALER)
    return engine, agent, frame


async def test_default_list_reads_the_application_section(tmp_path: Path) -> None:
    engine, agent, frame = await _agent(tmp_path)
    got = await agent.ok(frame, "configuration.getOption", ["crm.*", "voice.auto-answer"])
    # Agent-level override applied; the secret options are simply absent.
    assert got == {
        "crm.color": "blue",
        "crm.page": "https://crm.example/page",
        "voice.auto-answer": "true",
    }
    # Section-qualified names answer with section-qualified keys.
    got = await agent.ok(
        frame,
        "configuration.getOption",
        ["interaction-workspace/crm.color", "MySection/*", "wwe-host/*", "nothing.here"],
    )
    assert got == {"interaction-workspace/crm.color": "blue"}
    # A single name is accepted as a one-name list.
    assert await agent.ok(frame, "configuration.getOption", "crm.color") == {"crm.color": "blue"}
    await engine.stop()


async def test_the_read_list_opens_other_sections_but_never_secrets(tmp_path: Path) -> None:
    engine, agent, frame = await _agent(
        tmp_path, "crm.color, MySection/*, agent:jdoe/*, wwe-host/*"
    )
    got = await agent.ok(
        frame,
        "configuration.getOption",
        ["*", "MySection/*", "agent:jdoe/*", "wwe-host/*", "agent:asmith/*"],
    )
    assert got == {
        "crm.color": "blue",
        "MySection/greeting": "hello",
        "agent:jdoe/firstname": "John",
        "agent:jdoe/lastname": "Doe",
        "agent:jdoe/employeeId": "1001",
        "agent:jdoe/roles": "ROLE_AGENT, ROLE_ADMIN",
        "agent:jdoe/number": "5001",
        "agent:jdoe/voice.auto-answer": "true",
    }
    text = str(got)
    for secret in ("secret", "t-0987654321", "k-123456", "hunter22", "adm-0123"):
        assert secret not in text
    await engine.stop()


async def test_an_empty_list_reads_nothing(tmp_path: Path) -> None:
    engine, agent, frame = await _agent(tmp_path, "")
    assert await agent.ok(frame, "configuration.getOption", ["*", "crm.color"]) == {}
    await engine.stop()


async def test_bad_names_are_refused(tmp_path: Path) -> None:
    engine, agent, frame = await _agent(tmp_path)
    cases = [
        ([None], "Parameter 1 'names' of 'configuration.getOption' must be a non-empty array"),
        ([[]], "Parameter 1 'names' of 'configuration.getOption' must be a non-empty array"),
        ([{"a": 1}], "Parameter 1 'names' of 'configuration.getOption' must be a non-empty"),
        ([["ok", 3]], "Name 2 of 'configuration.getOption' must be an option name"),
        ([["a*b"]], "Name 1 of 'configuration.getOption': 'a*b': expected option, prefix.*"),
        ([["/x"]], "Name 1 of 'configuration.getOption': '/x': the section before '/'"),
        ([["x"] * 101], "Parameter 1 'names' of 'configuration.getOption' has 101 names"),
        ([["x"], "more"], "'configuration.getOption' takes at most 1 parameter(s)"),
    ]
    for params, text in cases:
        reply = await agent.fails(frame, "configuration.getOption", *params)
        assert reply["errorCode"] == "INVALID_PARAMETER", reply
        assert reply["errorMessage"].startswith(text), reply
    await engine.stop()


def test_a_bad_read_list_stops_the_configuration() -> None:
    with pytest.raises(ConfigError) as caught:
        make_config(extra="service-client-api.configuration.read-allowed = crm.*, a b")
    assert str(caught.value) == (
        "[interaction-workspace] service-client-api.configuration.read-allowed: 'a b': "
        "expected option, prefix.*, Section/option, Section/prefix.* or Section/*"
    )
