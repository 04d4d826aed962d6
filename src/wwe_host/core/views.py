"""How the core shapes a session for each audience outside it: the agent's desktop (its
snapshot), the administrator (the REST API). The web layer reads sessions only through
this module (it imports nothing of the domain): the session types are re-exported here for
its annotations, and each shaping of an interaction lives here once.

A third-party frame's view (read list applied) is ``Engine.view``.
"""

from __future__ import annotations

from typing import Any

from ..domain.desktop_items import dialog_section, menu_item_wire
from ..domain.model import AgentSession, Dialog, Interaction, QueuedItem
from ..domain.states import aggregate
from ..domain.toasts import toast_wire
from ..domain.views import interaction_view

__all__ = [
    "AgentSession",
    "Dialog",
    "Interaction",
    "QueuedItem",
    "admin_interaction",
    "desktop_interaction",
    "dialog_section",
    "media_wire",
    "menu_item_wire",
    "state_since",
    "state_wire",
    "toasts_wire",
]


def state_wire(session: AgentSession) -> dict[str, Any]:
    """The agent's aggregate state (over its media) as the API shows a state."""
    return aggregate(session.media.values()).wire()


def media_wire(session: AgentSession) -> dict[str, dict[str, Any]]:
    """The state of each of the agent's media."""
    return {name: state.wire() for name, state in session.media.items()}


def state_since(session: AgentSession) -> float:
    """When the agent's state last changed (its login, if it never did)."""
    return session.state_since if session.state_since is not None else session.started_at


def toasts_wire(session: AgentSession) -> list[dict[str, Any]]:
    return [toast_wire(t) for t in session.toasts.values()]


def desktop_interaction(session: AgentSession, interaction: Interaction) -> dict[str, Any]:
    """An interaction as the agent's desktop shows it: the API's view, unfiltered, with
    what only the desktop needs (mark-done blocks, creation time, body, transcript)."""
    return {
        **interaction_view(session, interaction),
        "markdoneBlocked": next(reversed(interaction.markdone_blocks.values()), None),
        "createdAt": interaction.created_at,
        # How it ended (busy, missed, …: docs/simulator.md "Outcomes"); the call timer runs
        # from the answer to the end.
        "outcome": interaction.outcome,
        "answeredAt": interaction.answered_at,
        "endedAt": interaction.ended_at,
        "afterCallWork": interaction.wrap_up_from is not None,
        "body": interaction.body,
        "transcript": [
            {"sender": m.sender, "name": m.name, "text": m.text, "at": m.at}
            for m in interaction.messages
        ],
    }


def admin_interaction(session: AgentSession, interaction: Interaction) -> dict[str, Any]:
    """An interaction as the administrator sees it: unfiltered attached data, its agent,
    the chat id the simulation API addresses a chat by, and the extensions handed to the
    switch (``voice.dialEx``: never shown to frames)."""
    body = {**interaction_view(session, interaction), "agent": session.username}
    if interaction.chat_id is not None:
        body["chatId"] = interaction.chat_id
    if interaction.extensions:
        body["extensions"] = dict(interaction.extensions)
    return body
