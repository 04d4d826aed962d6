"""system.*: what a frame may call, the inactivity timer, toasts, dialogs, the header's
menu bar, and the desktop tab that holds the frame (api.md, api-9.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..config.fields import split_template
from ..domain import desktop_items, toasts
from ..domain.model import Dialog, MenuItem
from ..domain.tabs import FOLLOWING, LEADING, NEGOTIATING, TabView
from ..errors import ApiError, ErrorCode
from ..security.origins import url_origin
from .context import (
    HANDLERS,
    Handler,
    RequestContext,
    arity,
    described,
    handler,
    object_param,
    optional_object,
    string,
    type_name,
)

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


def known_only(
    call: RequestContext, raw: dict[str, Any], known: tuple[str, ...], what: str
) -> None:
    """Refuse keys of an object parameter the request does not know, naming them."""
    unknown = [k for k in raw if k not in known]
    if unknown:
        names = ", ".join(f"'{k}'" for k in unknown)
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"'{call.request}' does not know the {what}(s) {names}. Known: {', '.join(known)}.",
        )


def _toast_params(call: RequestContext, raw: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    known_only(call, raw, tuple(_TOAST_FIELDS), "toast parameter")
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


# --- dialogs (api-9.md) --------------------------------------------------------------------

DIALOG_FIELD_CODES = ("Dialog.Id",)
MAX_URL = 2048
MAX_LABEL = 256
_DIALOG_OPTIONS = ("label", "width", "height")
# A CSS length the dialog's box takes: a number is pixels; a string says its unit.
_SIZE = re.compile(r"^(\d{1,5}(\.\d{1,3})?)(px|%|vw|vh|em|rem)$")
MAX_PIXELS = 10_000


def _http_url(call: RequestContext, value: str, what: str) -> None:
    if not value.lower().startswith(("http://", "https://")):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"{what} of '{call.request}' must be an http: or https: URL.",
        )


def _template(call: RequestContext, value: str, what: str) -> str:
    try:
        split_template(value, DIALOG_FIELD_CODES)
    except ValueError as problem:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"{what} of '{call.request}' may hold {problem}; $Dialog.Id$ is also known.",
        ) from None
    return value


def _framable(call: RequestContext, url: str) -> None:
    """The desktop may frame only the origins its CSP lets in (Config.framable_origins)."""
    scheme_and_host = url.split("/", 3)[:3]
    if "$" in "/".join(scheme_and_host):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 1 'url' of '{call.request}' may hold field codes only after its "
            "host (the dialog's origin must be known when it is opened).",
        )
    try:
        origin = url_origin(url)
    except ValueError as problem:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 1 'url' of '{call.request}' has no valid origin: {problem}",
        ) from None
    if origin not in call.engine.config.framable_origins():
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 1 'url' of '{call.request}': the desktop shows only frames of "
            f"web-content origins and of origins listed in "
            f"service-client-api.accepted-web-content-origins, not '{origin}'.",
        )


def _size(call: RequestContext, options: dict[str, Any], name: str) -> str | None:
    value = options.get(name)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 < value <= MAX_PIXELS:
            return f"{value:g}px"
    elif isinstance(value, str) and _SIZE.match(value.strip()):
        return value.strip()
    raise ApiError(
        ErrorCode.INVALID_PARAMETER,
        f"Option '{name}' of '{call.request}' must be a number of pixels (1 to {MAX_PIXELS}) "
        f'or a CSS length such as "430px" or "40%" (px, %, vw, vh, em, rem); '
        f"got {described(value)}.",
    )


@handler("system.openDialog")
def open_dialog(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    url = string(call, params, 0, "url", max_length=MAX_URL).strip()
    _http_url(call, url, "Parameter 1 'url'")
    _template(call, url, "Parameter 1 'url'")
    _framable(call, url)
    options = optional_object(call, params, 1, "options")
    known_only(call, options, _DIALOG_OPTIONS, "option")
    label = options.get("label")
    if label is not None:
        if not isinstance(label, str) or len(label) > MAX_LABEL:
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                f"Option 'label' of '{call.request}' must be a string of at most "
                f"{MAX_LABEL} characters; got {described(label)}.",
            )
        _template(call, label, "Option 'label'")
    frame = call.frame
    dialog = Dialog(
        dialog_id="",
        frame_id=call.frame_id,
        url=url,
        label=label or None,
        width=_size(call, options, "width"),
        height=_size(call, options, "height"),
        interaction_id=frame.record.interaction_id if frame is not None else None,
        tab_id=_tab(call).tab_id,
    )
    return desktop_items.open_dialog(call.fx, call.session, dialog)


@handler("system.closeDialog")
def close_dialog(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    dialog_id = string(call, params, 0, "dialogId", max_length=64)
    return desktop_items.close_dialog(call.fx, call.session, dialog_id, "frame")


# --- the application menu bar (api-9.md) ---------------------------------------------------

_MENU_TEXT = {"name": 64, "label": 128, "shortLabel": 64, "tooltip": 256}
_MENU_FIELDS = (*_MENU_TEXT, "iconUrl", "backgroundColor", "labelColor")
_COLOUR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _menu_field(call: RequestContext, raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter '{name}' of '{call.request}' must be a string; got {described(value)}.",
        )
    if name in _MENU_TEXT and len(value) > _MENU_TEXT[name]:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter '{name}' of '{call.request}' is longer than {_MENU_TEXT[name]} characters.",
        )
    if name in ("backgroundColor", "labelColor") and not _COLOUR.match(value):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter '{name}' of '{call.request}' must be a colour written #rgb or "
            f"#rrggbb; got {value[:40]!r}.",
        )
    if name == "iconUrl":
        if len(value) > MAX_URL:
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                f"Parameter 'iconUrl' of '{call.request}' is longer than {MAX_URL} characters.",
            )
        _http_url(call, value, "Parameter 'iconUrl'")
    return value


@handler("system.updateViewInApplicationMenuBar")
def update_view_in_menu_bar(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    raw = object_param(call, params, 0, "parameters")
    known_only(call, raw, _MENU_FIELDS, "parameter")
    values = {name: _menu_field(call, raw, name) for name in _MENU_FIELDS}
    name = values["name"]
    if not name or not name.strip():
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 'name' of '{call.request}' is required (a non-empty string).",
        )
    existing = call.session.menu_items.get(desktop_items.menu_key(call.frame_id, name))
    label = values["label"] if values["label"] and values["label"].strip() else None
    if existing is None and label is None:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 'label' of '{call.request}' is required to create the item "
            f"'{name}' (a non-empty string).",
        )

    def keep(new: str | None, old: str | None) -> str | None:
        return new if new is not None else old

    old = existing or MenuItem(frame_id=call.frame_id, name=name, label="")
    item = MenuItem(
        frame_id=call.frame_id,
        name=name,
        label=keep(label, old.label) or "",
        short_label=keep(values["shortLabel"], old.short_label),
        icon_url=keep(values["iconUrl"], old.icon_url),
        tooltip=keep(values["tooltip"], old.tooltip),
        background_color=keep(values["backgroundColor"], old.background_color),
        label_color=keep(values["labelColor"], old.label_color),
    )
    desktop_items.update_menu_item(call.fx, call.session, item)
    return None


@handler("system.closeViewInApplicationMenuBar")
def close_view_in_menu_bar(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    name = string(call, params, 0, "name", max_length=_MENU_TEXT["name"])
    return desktop_items.close_menu_item(call.fx, call.session, call.frame_id, name)


# --- the desktop tab that holds the frame (api-9.md "Several desktop tabs") ----------------


def _tab(call: RequestContext) -> TabView:
    return call.engine.frame_tab(call.session.session_id, call.frame_id)


# What each request answers about the frame's tab.
_TAB_ANSWERS: dict[str, Callable[[TabView], bool]] = {
    "system.amIVisible": lambda tab: tab.visible,
    "system.isFrameLeading": lambda tab: tab.state == LEADING,
    "system.isFrameFollowing": lambda tab: tab.state == FOLLOWING,
    "system.isFrameNegotiating": lambda tab: tab.state == NEGOTIATING,
    "system.isFrameLeadingOrNegotiating": lambda tab: tab.state in (LEADING, NEGOTIATING),
    "system.isLastActiveFrame": lambda tab: tab.last_active,
}


def _tab_request(answer: Callable[[TabView], bool]) -> Handler:
    def run(call: RequestContext, params: list[Any]) -> Any:
        arity(call, params, 0)
        return answer(_tab(call))

    return run


for _name, _answer in _TAB_ANSWERS.items():
    handler(_name)(_tab_request(_answer))
