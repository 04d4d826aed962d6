"""The agent's own operations (api/desktop.py) that are not covered elsewhere: the transfer
picker's colleague search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import Agent, base_ini, started_engine

from wwe_host.api.desktop import ACTIONS, COLLEAGUES_SHOWN
from wwe_host.config import parse_config
from wwe_host.engine import Engine
from wwe_host.errors import ApiError, ErrorCode


def config_with(extra_agents: int) -> Any:
    text = base_ini()
    for n in range(extra_agents):
        text += (
            f"\n[agent:bulk{n:03}]\nfirstname = Bulk\nlastname = Agent {n}\n"
            f"employeeId = {9000 + n}\npassword = x\nnumber = {7000 + n}\n"
        )
    return parse_config(text, "<test>")


async def find(engine: Engine, agent: Agent, **args: Any) -> Any:
    return await engine.agent_operation(
        agent.session_id, lambda call: ACTIONS["findColleagues"](call, args)
    )


async def test_lists_the_other_agents_not_the_agent_itself(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, config_with(0))
    agent = await Agent.login(engine)
    found = await find(engine, agent, query="")
    assert found == {
        "colleagues": [{"username": "asmith", "name": "Anna Smith", "number": "5002"}],
        "more": False,
    }
    await engine.stop()


async def test_matches_user_name_name_or_number_in_any_case(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, config_with(120))
    agent = await Agent.login(engine)
    by_name = await find(engine, agent, query="  anna SMI ")
    assert [c["username"] for c in by_name["colleagues"]] == ["asmith"]
    by_number = await find(engine, agent, query="7042")
    assert [c["username"] for c in by_number["colleagues"]] == ["bulk042"]
    by_user = await find(engine, agent, query="BULK11")
    assert [c["username"] for c in by_user["colleagues"]] == [f"bulk11{n}" for n in range(10)]
    assert (await find(engine, agent, query="nobody"))["colleagues"] == []
    await engine.stop()


async def test_a_long_list_is_cut_and_says_there_is_more(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, config_with(120))
    agent = await Agent.login(engine)
    found = await find(engine, agent, query="")
    assert len(found["colleagues"]) == COLLEAGUES_SHOWN and found["more"] is True
    assert found["colleagues"][0]["username"] == "asmith"  # configuration order
    exactly = await find(engine, agent, query="Agent 4")  # 4 and 40 to 49: 11 of them
    assert len(exactly["colleagues"]) == 11 and exactly["more"] is False
    await engine.stop()


@pytest.mark.parametrize("query", [None, 7, ["a"]])
async def test_the_query_must_be_text(tmp_path: Path, query: Any) -> None:
    engine = await started_engine(tmp_path, config_with(0))
    agent = await Agent.login(engine)
    with pytest.raises(ApiError) as refused:
        await find(engine, agent, query=query)
    assert refused.value.code is ErrorCode.INVALID_PARAMETER
    assert refused.value.message == "'query' must be a string."
    await engine.stop()
