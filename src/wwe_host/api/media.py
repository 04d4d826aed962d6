"""media.*: the agent's channels (voice, e-mail, chat) one by one."""

from __future__ import annotations

from typing import Any

from ..domain import operations as ops
from ..domain.states import resolve
from ..errors import ApiError, ErrorCode
from .context import RequestContext, arity, handler, string


def media_view(call: RequestContext, name: str) -> dict[str, Any]:
    view: dict[str, Any] = {"name": name, "state": call.session.media[name].wire()}
    if name == "voice":
        device: dict[str, Any] = {"number": call.engine.agent(call.session.username).number}
        if call.session.dynamic_phone_number:
            device["dynamicPhoneNumber"] = call.session.dynamic_phone_number
        view["device"] = device
    return view


def _media_name(call: RequestContext, params: list[Any]) -> str:
    name = string(call, params, 0, "name", max_length=64)
    if name not in call.session.media:
        names = ", ".join(call.session.media)
        raise ApiError(ErrorCode.NOT_FOUND, f"Unknown media '{name}'. This agent's media: {names}.")
    return name


@handler("media.getMediaList")
def get_media_list(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return [media_view(call, name) for name in call.session.media]


@handler("media.getMediaByName")
def get_media_by_name(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    return media_view(call, _media_name(call, params))


@handler("media.setState")
def set_state(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    name = _media_name(call, params)
    wanted = params[1] if len(params) > 1 else None
    state = resolve(call.engine.state_list(call.session.username), wanted, call.request)
    ops.set_media_states(call.fx, call.session, [name], state, call.engine.now())
    return None
