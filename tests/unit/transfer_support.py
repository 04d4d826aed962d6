"""Shared set-up for the interaction.* tests of api-9.md: three agents in one queue, a
customer's call answered by the first, and an agent-level tab to send the requests from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine_support import DIALER, Agent, base_ini, started_engine

from wwe_host.config import Config, parse_config
from wwe_host.engine import Engine, FrameHandle

THREE_AGENTS = """
[agent:bkim]
firstname = Bo
lastname = Kim
employeeId = 1003
password = secret3
number = 5003
media = voice, chat
{bkim}
[queue:sales]
media = voice, email, chat
agents = jdoe, asmith, bkim

[queue:empty]
media = voice
agents = bkim
"""

PASSWORDS = {"jdoe": "secret", "asmith": "secret2", "bkim": "secret3"}


def three_agents(delay: float = 0.05, bkim: str = "") -> Config:
    """``bkim``: more options of agent bkim (e.g. ``voice.auto-answer = true``)."""
    text = base_ini(extra="service-client-api.workspace-web-content.dial-only = false", delay=delay)
    return parse_config(text + THREE_AGENTS.format(bkim=bkim), "<test>")


class Team:
    """The three agents logged in, each with its Dialer tab (every request allowed)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.agents: dict[str, Agent] = {}
        self.crm: dict[str, FrameHandle] = {}

    @classmethod
    async def start(cls, tmp_path: Path, delay: float = 0.05, bkim: str = "") -> Team:
        team = cls(await started_engine(tmp_path, three_agents(delay, bkim)))
        for name, password in PASSWORDS.items():
            agent = await Agent.login(team.engine, name, password)
            team.agents[name] = agent
            team.crm[name] = await agent.frame("Dialer", DIALER)
        return team

    async def ok(self, name: str, request: str, *params: Any) -> Any:
        return await self.agents[name].ok(self.crm[name], request, *params)

    async def fails(self, name: str, request: str, *params: Any) -> dict[str, Any]:
        return await self.agents[name].fails(self.crm[name], request, *params)

    def calls(self, name: str) -> list[Any]:
        return [i for i in self.agents[name].session.interactions.values() if i.media == "voice"]

    def call(self, name: str, interaction_id: str) -> Any:
        return self.agents[name].session.interactions[interaction_id]

    def ringing(self, name: str) -> Any:
        [ring] = [i for i in self.calls(name) if i.state == "RINGING"]
        return ring

    async def customer_call(
        self, name: str = "jdoe", user_data: dict[str, Any] | None = None
    ) -> tuple[str, str]:
        """A customer (+15550100) calls ``name``, who answers: (interaction id, callUuid)."""
        delivery = await self.engine.simulation.call(
            name, "+15550100", None, user_data or {"Order": "17"}
        )
        assert delivery.interaction_id is not None and delivery.call_uuid is not None
        await self.ok(name, "interaction.accept", delivery.interaction_id)
        return delivery.interaction_id, delivery.call_uuid

    def events(self, name: str, event_type: str) -> list[dict[str, Any]]:
        """The interactions of the ``event_type`` events the agent's desktop was told."""
        return [
            data["interaction"]
            for topic, data in self.agents[name].desktop.ui_events
            if topic == "interaction" and data.get("eventType") == event_type
        ]

    def parties(self, name: str, interaction_id: str) -> list[str]:
        return list(self.call(name, interaction_id).parties)

    async def stop(self) -> None:
        await self.engine.stop()
