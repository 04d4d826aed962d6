"""agent.*: who the agent is and the agent's overall state."""

from __future__ import annotations

from typing import Any

from ..domain import operations as ops
from ..domain.states import aggregate, resolve
from .context import RequestContext, arity, handler


@handler("agent.get")
def get(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return call.engine.agent_view(call.session.username)


@handler("agent.getState")
def get_state(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return aggregate(call.session.media.values()).wire()


@handler("agent.getStateList")
def get_state_list(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return [s.wire() for s in call.engine.state_list(call.session.username)]


@handler("agent.setState")
def set_state(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    wanted = params[0] if params else None
    state = resolve(call.engine.state_list(call.session.username), wanted, call.request)
    ops.set_media_states(call.fx, call.session, list(call.session.media), state, call.engine.now())
    return None
