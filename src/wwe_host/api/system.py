"""system.*: what a frame may call, the inactivity timer, and toasts."""

from __future__ import annotations

from typing import Any

from ..domain import toasts
from ..errors import ApiError, ErrorCode
from .context import HANDLERS, RequestContext, arity, handler, object_param, string, type_name

_TOAST_FIELDS: dict[str, str] = {
    "title": "string",
    "iconUrl": "string",
    "subject": "string",
    "message": "string",
    "keyValues": "object",
    "buttons": "array",
    "buttonShowDismiss": "boolean",
    "autoCloseTimeout": "number",
    "sendToMyMessage": "boolean",
}
MAX_BUTTONS = 8


def _toast_params(call: RequestContext, raw: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    unknown = [k for k in raw if k not in _TOAST_FIELDS]
    if unknown:
        names = ", ".join(f"'{k}'" for k in unknown)
        known = ", ".join(_TOAST_FIELDS)
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"'{call.request}' does not know the toast parameter(s) {names}. Known: {known}.",
        )
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            continue
        expected = _TOAST_FIELDS[key]
        if type_name(value) != expected:
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                f"Toast parameter '{key}' of '{call.request}' must be a {expected}, "
                f"got {type_name(value)}.",
            )
        params[key] = value
    if creating and not (isinstance(params.get("title"), str) and params["title"].strip()):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Toast parameter 'title' of '{call.request}' is required (a non-empty string).",
        )
    icon = params.get("iconUrl")
    if icon is not None and not icon.lower().startswith(("http://", "https://")):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Toast parameter 'iconUrl' of '{call.request}' must be an http: or https: URL.",
        )
    buttons = params.get("buttons")
    if buttons is not None and (
        len(buttons) > MAX_BUTTONS or not all(isinstance(b, str) for b in buttons)
    ):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Toast parameter 'buttons' of '{call.request}' must be an array of at most "
            f"{MAX_BUTTONS} strings.",
        )
    key_values = params.get("keyValues")
    if key_values is not None:
        for k, v in key_values.items():
            if not isinstance(v, str | int | float):
                raise ApiError(
                    ErrorCode.INVALID_PARAMETER,
                    f"Toast parameter 'keyValues' of '{call.request}' has key '{k}' with a "
                    f"value of type {type_name(v)}; values must be strings or numbers.",
                )
    timeout = params.get("autoCloseTimeout")
    if timeout is not None and timeout < 0:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Toast parameter 'autoCloseTimeout' of '{call.request}' must be >= 0 (ms).",
        )
    return params


@handler("system.getAllowedServices")
def get_allowed_services(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    allowed = call.frame.allowed if call.frame is not None else None
    # Only the requests this server answers: a catalog name without a handler yet is not
    # a service the frame can use.
    return sorted(name for name in allowed or () if name in HANDLERS)


@handler("system.triggerActivity")
def trigger_activity(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    call.engine.record_activity(call.fx, call.session)
    return None


@handler("system.popupToast")
def popup_toast(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    values = _toast_params(call, object_param(call, params, 0, "parameters"), creating=True)
    toast = toasts.popup(call.fx, call.session, call.frame_id, values, call.engine.now())
    if toast.close_at is not None:
        call.engine.arm_toast(call.session.session_id, toast.toast_id, toast.close_at)
    return toast.toast_id


@handler("system.updateToast")
def update_toast(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    toast_id = string(call, params, 0, "id", max_length=64)
    values = _toast_params(call, object_param(call, params, 1, "parameters"), creating=False)
    updated = toasts.update(
        call.fx, call.session, call.frame_id, toast_id, values, call.engine.now()
    )
    toast = call.session.toasts.get(toast_id)
    if updated and toast is not None and toast.close_at is not None:
        call.engine.arm_toast(call.session.session_id, toast_id, toast.close_at)
    return updated


@handler("system.closeToast")
def close_toast(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    toast_id = string(call, params, 0, "id", max_length=64)
    return toasts.close(call.fx, call.session, call.frame_id, toast_id)
