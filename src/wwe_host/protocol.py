"""The postMessage wire format between a frame and the desktop (protocol.md).

Messages are plain dicts: that is what the browser's structured clone gives and what JSON
carries over the desktop's WebSocket. These builders are the only place that knows the keys.
"""

from __future__ import annotations

from typing import Any

from .errors import ErrorCode

USER_AGENT = "WWE Server"
PROTOCOL_VERSION = 2
# The most a configuration may allow in flight per frame (protocol.md: at most 256);
# ``[wwe-host] max-requests-in-flight`` chooses the bound (default 32).
MAX_IN_FLIGHT_PER_FRAME = 256

Message = dict[str, Any]


def greeting(frame_id: str) -> Message:
    return {"frameId": frame_id, "userAgent": USER_AGENT, "protocolVersion": PROTOCOL_VERSION}


def success(reference_id: object, request: str, data: Any) -> Message:
    return {
        "referenceId": reference_id,
        "request": request,
        "data": data,
        "userAgent": USER_AGENT,
        "protocolVersion": PROTOCOL_VERSION,
    }


def subscribed(reference_id: object, subscription_id: str, topics: list[str]) -> Message:
    return {
        "referenceId": reference_id,
        "request": "subscribe",
        "subscriptionId": subscription_id,
        "data": {"topics": topics},
        "userAgent": USER_AGENT,
        "protocolVersion": PROTOCOL_VERSION,
    }


def failure(reference_id: object, request: str | None, code: ErrorCode, message: str) -> Message:
    return {
        "referenceId": reference_id,
        "request": request,
        "errorMessage": message,
        "errorCode": code.value,
        "userAgent": USER_AGENT,
        "protocolVersion": PROTOCOL_VERSION,
    }


def event(topic: str, data: Any) -> Message:
    return {
        "event": topic,
        "data": data,
        "userAgent": USER_AGENT,
        "protocolVersion": PROTOCOL_VERSION,
    }


def reference_of(message: Message) -> object:
    """The message's referenceId, echoed back as sent (the client matches it with ===)."""
    ref = message.get("referenceId")
    if ref.__class__ is str or (isinstance(ref, int | float) and not isinstance(ref, bool)):
        return ref
    return None
