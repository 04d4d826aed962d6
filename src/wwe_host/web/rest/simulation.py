"""The simulated outside world (``/api/v1/sim/...``): customers who call, write and chat,
far ends that answer or hang up. Each change is one core operation (``core/simulation.py``):
committed before the answer leaves, and published to the agents' desktops and frames; this
module shapes what the core answers for the REST API."""

from __future__ import annotations

from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from ...core.simulation import Abandoned, Delivery
from ...engine import Engine
from .answers import (
    AbandonedCall,
    AbandonedChat,
    CallResult,
    ChatResult,
    DeliveryResult,
)
from .bodies import SimCall, SimChat, SimChatMessage, SimEmail
from .responses import json_response


def _result(delivery: Delivery) -> DeliveryResult:
    """What became of an inbound interaction; members the core does not know are left out."""
    result = DeliveryResult(state=delivery.state)
    if delivery.interaction_uuid is not None:
        result.interaction_uuid = delivery.interaction_uuid
    if delivery.interaction_id is not None:
        result.interaction_id = delivery.interaction_id
    if delivery.agent is not None:
        result.agent = delivery.agent
    if delivery.queue is not None:
        result.queue = delivery.queue
    return result


async def sim_call(engine: Engine, request: Request, body: SimCall, query: None) -> Response:
    delivery = await engine.simulation.call(body.to, body.from_, body.dnis, body.user_data)
    assert delivery.call_uuid is not None
    done = msgspec.structs.asdict(_result(delivery))
    return json_response(CallResult(call_uuid=delivery.call_uuid, **done), 201)


async def sim_email(engine: Engine, request: Request, body: SimEmail, query: None) -> Response:
    delivery = await engine.simulation.email(
        body.to, body.from_, body.subject, body.body, body.user_data
    )
    return json_response(_result(delivery), 201)


async def sim_chat(engine: Engine, request: Request, body: SimChat, query: None) -> Response:
    delivery = await engine.simulation.chat(body.to, body.from_, body.message, body.user_data)
    assert delivery.chat_id is not None
    done = msgspec.structs.asdict(_result(delivery))
    return json_response(ChatResult(chat_id=delivery.chat_id, **done), 201)


async def sim_answer(engine: Engine, request: Request, body: None, query: None) -> Response:
    return json_response(await engine.simulation.answer(request.path_params["callUuid"]))


async def sim_hangup(engine: Engine, request: Request, body: None, query: None) -> Response:
    call_uuid = request.path_params["callUuid"]
    done: dict[str, Any] | Abandoned | AbandonedCall = await engine.simulation.hang_up(call_uuid)
    if isinstance(done, Abandoned):
        done = AbandonedCall(call_uuid=call_uuid, state="ABANDONED", queue=done.queue)
    return json_response(done)


async def sim_chat_message(
    engine: Engine, request: Request, body: SimChatMessage, query: None
) -> Response:
    chat_id = request.path_params["chatId"]
    return json_response(await engine.simulation.chat_message(chat_id, body.message))


async def sim_chat_end(engine: Engine, request: Request, body: None, query: None) -> Response:
    chat_id = request.path_params["chatId"]
    done: dict[str, Any] | Abandoned | AbandonedChat = await engine.simulation.end_chat(chat_id)
    if isinstance(done, Abandoned):
        done = AbandonedChat(chat_id=chat_id, state="ABANDONED", queue=done.queue)
    return json_response(done)
