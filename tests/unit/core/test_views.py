"""The core's shapings of a session for the desktop and the administrator (core/views.py)."""

from __future__ import annotations

from pathlib import Path

from engine_support import Agent, make_config, started_engine

from wwe_host.core.views import admin_interaction, desktop_interaction, media_wire, state_wire
from wwe_host.domain.views import interaction_view


async def test_each_audience_gets_the_api_view_and_its_own_members(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    await engine.simulation.chat("jdoe", "Ada", "Hello", {"Case": "7"})
    session = agent.session
    chat = next(iter(session.interactions.values()))
    view = interaction_view(session, chat)
    desktop = desktop_interaction(session, chat)
    assert {k: desktop[k] for k in view} == view
    assert desktop["transcript"] == [
        {"sender": "customer", "name": "Ada", "text": "Hello", "at": chat.messages[0].at}
    ]
    assert desktop["markdoneBlocked"] is None and desktop["createdAt"] == chat.created_at
    assert admin_interaction(session, chat) == {**view, "agent": "jdoe", "chatId": chat.chat_id}
    assert state_wire(session)["type"] == media_wire(session)["chat"]["type"]
    await engine.stop()
