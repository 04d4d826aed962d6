"""The host's state for the administrator (``/api/v1/agents``, ``queues``, ``interactions``,
``outbox``, ``audit``) and the backend's own change of attached data."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import msgspec
from msgspec import UnsetType
from starlette.requests import Request
from starlette.responses import Response

from ...core.views import AgentSession, admin_interaction, media_wire, state_wire
from ...engine import Engine
from ...errors import ApiError, ErrorCode
from .answers import (
    Agent,
    AgentDialog,
    AgentList,
    AgentMenuItem,
    AuditList,
    Queue,
    QueuedInteraction,
    QueueList,
    State,
    audit_entry,
    queued_interaction,
)
from .bodies import AuditQuery, InteractionsQuery
from .responses import json_response


async def settled(engine: Engine) -> None:
    """A read must not report what is not yet durable: wait for a commit in progress."""
    pending = engine.commits.pending()
    if pending is not None:
        with contextlib.suppress(Exception):
            await asyncio.shield(pending)


def _filter(value: str | UnsetType) -> str | None:
    """A filter of the query string; absent or empty: none."""
    return value if isinstance(value, str) and value else None


async def agents(engine: Engine, request: Request, body: None, query: None) -> Response:
    await settled(engine)
    rows = []
    for username, agent in engine.config.agents.items():
        session = engine.live_session(username)
        rows.append(
            Agent(
                username=username,
                firstname=agent.firstname,
                lastname=agent.lastname,
                employee_id=agent.employee_id,
                number=agent.number,
                roles=list(agent.roles),
                media=list(agent.media),
                logged_in=session is not None,
                state=msgspec.convert(state_wire(session), State) if session else None,
                media_states=(
                    {
                        name: msgspec.convert(state, State)
                        for name, state in media_wire(session).items()
                    }
                    if session
                    else {}
                ),
                interactions=len(session.interactions) if session else 0,
                dialogs=_dialogs(session) if session else [],
                menu_items=_menu_items(session) if session else [],
            )
        )
    return json_response(AgentList(agents=rows))


def _frame_origin(session: AgentSession, frame_id: str) -> str | None:
    frame = session.frames.get(frame_id)
    return frame.origin if frame else None


def _dialogs(session: AgentSession) -> list[AgentDialog]:
    return [
        AgentDialog(
            dialog_id=dialog.dialog_id,
            url=dialog.url,
            label=dialog.label,
            opener_origin=_frame_origin(session, dialog.frame_id),
        )
        for dialog in session.dialogs.values()
    ]


def _menu_items(session: AgentSession) -> list[AgentMenuItem]:
    return [
        AgentMenuItem(
            name=item.name, label=item.label, origin=_frame_origin(session, item.frame_id)
        )
        for item in session.menu_items.values()
    ]


async def queues(engine: Engine, request: Request, body: None, query: None) -> Response:
    await settled(engine)
    waiting: dict[str, list[QueuedInteraction]] = {name: [] for name in engine.config.queues}
    for item in engine.queued():  # oldest first
        waiting.setdefault(item.queue, []).append(queued_interaction(item))
    rows = []
    for name, items in waiting.items():
        queue = engine.config.queues.get(name)
        rows.append(
            Queue(
                name=name,
                configured=queue is not None,
                media=list(queue.media) if queue else [],
                agents=list(queue.agents) if queue else [],
                waiting=items,
            )
        )
    return json_response(QueueList(queues=rows))


async def interactions(
    engine: Engine, request: Request, body: None, query: InteractionsQuery
) -> Response:
    wanted = query.agent if isinstance(query.agent, str) else None
    if wanted is not None and wanted not in engine.config.agents:
        raise ApiError(ErrorCode.NOT_FOUND, f"Unknown agent '{wanted}'.")
    await settled(engine)
    rows = [
        admin_interaction(session, interaction)
        for session in engine.sessions()
        if wanted is None or session.username == wanted
        for interaction in session.interactions.values()
    ]
    return json_response({"interactions": rows})


async def patch_user_data(
    engine: Engine, request: Request, body: dict[str, Any], query: None
) -> Response:
    wanted = request.path_params["uuid"]
    updates = {key: value for key, value in body.items() if value is not None}
    deletions = [key for key, value in body.items() if value is None]
    return json_response(await engine.simulation.change_user_data(wanted, updates, deletions))


async def outbox(engine: Engine, request: Request, body: None, query: None) -> Response:
    return json_response({"messages": await engine.store.outbox()})


async def audit(engine: Engine, request: Request, body: None, query: AuditQuery) -> Response:
    # The engine writes audit rows in batches; write what is pending so the answer is
    # complete.
    await engine.flush_audit()
    entries = await engine.store.audit(
        agent=_filter(query.agent), outcome=_filter(query.outcome), limit=query.limit
    )
    return json_response(AuditList(entries=[audit_entry(e) for e in entries]))
