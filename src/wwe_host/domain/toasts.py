"""Toasts: owned by the frame that popped them; only that frame hears their buttons."""

from __future__ import annotations

from typing import Any

from .effects import Effects
from .model import AgentSession, Toast


def popup(
    fx: Effects, session: AgentSession, frame_id: str, params: dict[str, Any], now: float
) -> Toast:
    toast_id = f"toast-{session.next_toast}"
    session.next_toast += 1
    timeout = params.get("autoCloseTimeout")
    close_at = now + timeout / 1000.0 if isinstance(timeout, int | float) and timeout > 0 else None
    toast = Toast(
        toast_id=toast_id, frame_id=frame_id, params=params, created_at=now, close_at=close_at
    )
    session.toasts[toast_id] = toast
    if params.get("sendToMyMessage"):
        session.my_messages.append(
            {
                "id": toast_id,
                "at": now,
                **{
                    k: params[k]
                    for k in ("title", "iconUrl", "subject", "message", "keyValues")
                    if k in params
                },
            }
        )
    fx.touch(session)
    fx.notify(session, "toast", {"action": "open", "toast": toast_wire(toast)}, ui_only=True)
    return toast


def update(
    fx: Effects,
    session: AgentSession,
    frame_id: str,
    toast_id: str,
    params: dict[str, Any],
    now: float,
) -> bool:
    toast = session.toasts.get(toast_id)
    if toast is None or toast.frame_id != frame_id:
        return False
    toast.params = {**toast.params, **params}
    timeout = params.get("autoCloseTimeout")
    if isinstance(timeout, int | float):
        toast.close_at = now + timeout / 1000.0 if timeout > 0 else None
    fx.touch(session)
    fx.notify(session, "toast", {"action": "update", "toast": toast_wire(toast)}, ui_only=True)
    return True


def close(fx: Effects, session: AgentSession, frame_id: str | None, toast_id: str) -> bool:
    """Close a toast; ``frame_id`` None is the agent (or its timer), who may close any."""
    toast = session.toasts.get(toast_id)
    if toast is None or (frame_id is not None and toast.frame_id != frame_id):
        return False
    del session.toasts[toast_id]
    fx.touch(session)
    fx.notify(session, "toast", {"action": "close", "id": toast_id}, ui_only=True)
    return True


def click(fx: Effects, session: AgentSession, toast_id: str, button_index: int) -> bool:
    """The agent clicked a button: the owner frame hears it, and the toast closes."""
    toast = session.toasts.get(toast_id)
    if toast is None:
        return False
    fx.notify(
        session,
        "system",
        {
            "eventType": "CUSTOM_TOAST_BUTTON_CLICK",
            "customToastId": toast_id,
            "buttonIndex": button_index,
        },
        frame_id=toast.frame_id,
    )
    close(fx, session, None, toast_id)
    return True


def toast_wire(toast: Toast) -> dict[str, Any]:
    return {
        "id": toast.toast_id,
        "frameId": toast.frame_id,
        "closeAt": toast.close_at,
        **toast.params,
    }
