"""messenger.*: messages between the frames of one agent (api-9.md)."""

from __future__ import annotations

from typing import Any

from .. import catalog
from ..errors import ApiError, ErrorCode
from .context import RequestContext, arity, handler, type_name


@handler("messenger.broadcastMessage")
def broadcast_message(call: RequestContext, params: list[Any]) -> Any:
    """``{event: "messenger:<channel>", data: message}`` to every other frame of the agent
    (every desktop tab) subscribed to that topic; the number of frames it reaches. The
    message is any JSON value, sent as it is (a missing one is null)."""
    arity(call, params, 2)
    channel = params[0] if params else None
    if not isinstance(channel, str) or not catalog.MESSENGER_CHANNEL.fullmatch(channel):
        shown = f"'{channel[:80]}'" if isinstance(channel, str) else type_name(channel)
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            "Parameter 1 'channel' of 'messenger.broadcastMessage' must be 1 to 64 letters, "
            f"digits, '.', '_' or '-'; got {shown}.",
        )
    message = params[1] if len(params) > 1 else None
    topic = catalog.MESSENGER_TOPIC_PREFIX + channel
    reached = call.session.subscribers(topic, but=call.frame_id)
    if reached:
        call.fx.broadcast(call.session, topic, message, call.frame_id)
    return len(reached)
