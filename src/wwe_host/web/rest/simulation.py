"""The simulated outside world (``/api/v1/sim/...``): customers who call, write and chat,
far ends that answer or hang up. Each change runs as one engine operation (``engine.run``):
committed before the answer leaves, and published to the agents' desktops and frames."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from ...domain.effects import Effects
from ...domain.model import AgentSession, Interaction, QueuedItem
from ...engine import Engine
from ...errors import ApiError, ErrorCode
from ...simulator import new_call_uuid
from .answers import (
    AbandonedCall,
    AbandonedChat,
    CallResult,
    ChatResult,
    DeliveryResult,
    interaction_body,
)
from .bodies import SimCall, SimChat, SimChatMessage, SimEmail
from .responses import json_response


async def _push(engine: Engine, target: str, item: QueuedItem) -> DeliveryResult:
    """Deliver an inbound interaction (one engine operation); what became of it."""

    def deliver(fx: Effects) -> DeliveryResult:
        interaction = engine.deliver(fx, target, item)
        if interaction is None:
            return DeliveryResult(state="QUEUED", queue=item.queue)
        result = DeliveryResult(
            state=interaction.state,
            interaction_uuid=interaction.uuid,
            interaction_id=interaction.interaction_id,
        )
        found = engine.find(lambda i: i is interaction)
        if found is not None:
            result.agent = found[0].username
        if item.queue:
            result.queue = item.queue
        return result

    return await engine.run(deliver)


def _item(engine: Engine, media: str, sender: str, user_data: dict[str, Any] | None) -> QueuedItem:
    return QueuedItem(
        item_id=uuid.uuid4().hex,
        queue="",
        media=media,
        sender=sender,
        enqueued_at=engine.now(),
        user_data=dict(user_data or {}),
    )


async def sim_call(engine: Engine, request: Request, body: SimCall, query: None) -> Response:
    item = _item(engine, "voice", body.from_, body.user_data)
    item.dnis = body.dnis
    item.call_uuid = call_uuid = new_call_uuid()
    done = msgspec.structs.asdict(await _push(engine, body.to, item))
    return json_response(CallResult(call_uuid=call_uuid, **done), 201)


async def sim_email(engine: Engine, request: Request, body: SimEmail, query: None) -> Response:
    item = _item(engine, "email", body.from_, body.user_data)
    item.subject = body.subject
    item.body = body.body
    return json_response(await _push(engine, body.to, item), 201)


async def sim_chat(engine: Engine, request: Request, body: SimChat, query: None) -> Response:
    item = _item(engine, "chat", body.from_, body.user_data)
    item.message = body.message
    item.chat_id = chat_id = uuid.uuid4().hex
    done = msgspec.structs.asdict(await _push(engine, body.to, item))
    return json_response(ChatResult(chat_id=chat_id, **done), 201)


def _queued(engine: Engine, predicate: Callable[[QueuedItem], bool], what: str) -> ApiError:
    """Not in any session: waiting in a queue (409) or unknown (404)."""
    for item in engine.queued():
        if predicate(item):
            return ApiError(
                ErrorCode.INVALID_STATE,
                f"{what} is waiting in queue '{item.queue}': no agent has it yet.",
            )
    return ApiError(ErrorCode.NOT_FOUND, f"Unknown {what[0].lower()}{what[1:]}.")


async def _on_call(
    engine: Engine,
    request: Request,
    action: Callable[[Effects, AgentSession, Interaction], None],
    outbound_only: bool,
) -> Response:
    call_uuid = request.path_params["callUuid"]

    def run(fx: Effects) -> dict[str, Any] | AbandonedCall:
        def ours(i: Interaction) -> bool:
            return i.media == "voice" and i.call_uuid == call_uuid

        found = None
        if outbound_only:
            found = engine.find(lambda i: ours(i) and i.direction == "OUT")
            if found is None and engine.find(ours) is not None:
                raise ApiError(
                    ErrorCode.INVALID_STATE,
                    f"Call '{call_uuid}' is inbound: the agent answers it, not the far end.",
                )
        else:
            found = engine.find(lambda i: ours(i) and i.live) or engine.find(ours)
            if found is None:
                # The caller hangs up while still waiting in a queue: abandoned.
                gone = engine.abandon(fx, lambda q: q.call_uuid == call_uuid)
                if gone is not None:
                    return AbandonedCall(call_uuid=call_uuid, state="ABANDONED", queue=gone.queue)
        if found is None:
            raise _queued(engine, lambda q: q.call_uuid == call_uuid, f"Call '{call_uuid}'")
        session, interaction = found
        action(fx, session, interaction)
        return interaction_body(session, interaction)

    return json_response(await engine.run(run))


async def sim_answer(engine: Engine, request: Request, body: None, query: None) -> Response:
    return await _on_call(engine, request, engine.simulator.far_end_answer, True)


async def sim_hangup(engine: Engine, request: Request, body: None, query: None) -> Response:
    return await _on_call(engine, request, engine.simulator.far_end_release, False)


async def _on_chat(
    engine: Engine,
    request: Request,
    action: Callable[[Effects, AgentSession, Interaction], None],
    abandons: bool = False,
) -> Response:
    chat_id = request.path_params["chatId"]

    def run(fx: Effects) -> dict[str, Any] | AbandonedChat:
        found = engine.find(lambda i: i.media == "chat" and i.chat_id == chat_id)
        if found is None and abandons:
            gone = engine.abandon(fx, lambda q: q.chat_id == chat_id)
            if gone is not None:
                return AbandonedChat(chat_id=chat_id, state="ABANDONED", queue=gone.queue)
        if found is None:
            raise _queued(engine, lambda q: q.chat_id == chat_id, f"Chat '{chat_id}'")
        session, interaction = found
        action(fx, session, interaction)
        return interaction_body(session, interaction)

    return json_response(await engine.run(run))


async def sim_chat_message(
    engine: Engine, request: Request, body: SimChatMessage, query: None
) -> Response:
    customer_message = engine.simulator.customer_message

    def write(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        customer_message(fx, session, interaction, body.message)

    return await _on_chat(engine, request, write)


async def sim_chat_end(engine: Engine, request: Request, body: None, query: None) -> Response:
    return await _on_chat(engine, request, engine.simulator.customer_left, abandons=True)
