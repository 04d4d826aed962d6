"""interaction.*: the agent's interactions, their attached data, cases and mark done."""

from __future__ import annotations

from typing import Any

from ..domain import operations as ops
from .context import RequestContext, arity, handler, interaction_id, string, user_data


@handler("interaction.getInteractions")
def get_interactions(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return [call.engine.view(call.session, i) for i in call.session.interactions.values()]


@handler("interaction.getByInteractionId")
def get_by_interaction_id(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    found = call.session.interactions.get(interaction_id(call, params))
    return call.engine.view(call.session, found) if found is not None else None


@handler("interaction.setUserData")
def set_user_data(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    target = ops.get_interaction(call.session, interaction_id(call, params))
    values = user_data(call, params, 1, "keyValues", required=True)
    ops.set_user_data(call.fx, call.session, target, values)
    return None


@handler("interaction.deleteUserData")
def delete_user_data(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    target = ops.get_interaction(call.session, interaction_id(call, params))
    key = string(call, params, 1, "key", max_length=256)
    call.check_write([key])
    ops.delete_user_data(call.fx, call.session, target, key)
    return None


@handler("interaction.selectCaseByCaseId")
def select_case_by_case_id(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    ops.select_case(call.fx, call.session, string(call, params, 0, "caseId", max_length=128))
    return None


@handler("interaction.markdone")
def markdone(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    target = ops.get_interaction(call.session, interaction_id(call, params))
    call.mark_done(target)
    return None


@handler("interaction.blockMarkdone")
def block_markdone(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    target = ops.get_interaction(call.session, interaction_id(call, params))
    warning = string(call, params, 1, "warningMessage", max_length=1000)
    ops.block_markdone(call.fx, call.session, target, call.frame_id, warning)
    return None


@handler("interaction.unblockMarkdone")
def unblock_markdone(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    target = ops.get_interaction(call.session, interaction_id(call, params))
    ops.unblock_markdone(call.fx, call.session, target, call.frame_id)
    return None
