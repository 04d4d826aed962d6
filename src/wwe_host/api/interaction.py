"""interaction.*: the agent's interactions, their attached data, cases and mark done."""

from __future__ import annotations

from typing import Any

from ..contact_center.base import TARGET_TYPES, Target
from ..domain import operations as ops
from ..domain.model import Interaction
from ..errors import ApiError, ErrorCode
from .context import (
    RequestContext,
    arity,
    handler,
    interaction_id,
    string,
    string_values,
    type_name,
    user_data,
)
from .voice import DESTINATION


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


# --- offers, consultations, transfers and conferences (api-9.md) ---------------------------

MAX_EXTENSIONS = 32


@handler("interaction.accept")
def accept(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    target = ops.get_interaction(call.session, interaction_id(call, params))
    if target.media == "voice":
        call.engine.contact_center.answer(call.fx, call.session, target)
    else:
        ops.answer(call.fx, call.session, target)
    return None


@handler("interaction.reject")
def reject(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    reject_offer(call, ops.get_interaction(call.session, interaction_id(call, params)))
    return None


def target_of(value: Any, where: str) -> Target:
    """A consult or transfer target, ``{type: AGENT | QUEUE | DN, destination, media?:
    "voice"}``; refusals start with ``where`` (what the target is to the caller)."""
    if value is None:
        raise ApiError(ErrorCode.INVALID_PARAMETER, f"{where} is missing.")
    if not isinstance(value, dict):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER, f"{where} must be an object, got {type_name(value)}."
        )
    kind = value.get("type")
    if kind not in TARGET_TYPES:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"{where} has type {kind!r}; it must be one of {', '.join(TARGET_TYPES)}.",
        )
    destination = value.get("destination")
    if not isinstance(destination, str) or not destination.strip():
        raise ApiError(
            ErrorCode.INVALID_PARAMETER, f"{where} needs a non-empty string 'destination'."
        )
    destination = destination.strip()
    if len(destination) > 128:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER, f"{where} has a 'destination' longer than 128 characters."
        )
    if kind == "DN" and not DESTINATION.match(destination):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"{where} has a 'destination' that is not a dialable number: '{destination}'.",
        )
    media = value.get("media")
    if media is not None and media != "voice":
        raise ApiError(
            ErrorCode.INVALID_PARAMETER, f"{where} has media {media!r}; only 'voice' is supported."
        )
    return Target(kind, destination)


def reject_offer(call: RequestContext, offer: Interaction) -> None:
    """interaction.reject, and the desktop's Reject button."""
    if offer.state not in ("RINGING", "INVITED"):
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Cannot reject interaction '{offer.interaction_id}': it is {offer.state} "
            f"(only a ringing call or an invitation can be rejected).",
        )
    call.engine.contact_center.reject(call.fx, call.session, offer)


def _redirect(
    call: RequestContext, params: list[Any]
) -> tuple[Interaction, Target, dict[str, Any], dict[str, str]]:
    """The parameters of consult and single-step requests: interactionId, target,
    userData?, extensions?"""
    arity(call, params, 4)
    main = ops.get_interaction(call.session, interaction_id(call, params))
    target = target_of(
        params[1] if len(params) > 1 else None, f"Parameter 2 'target' of '{call.request}'"
    )
    values = user_data(call, params, 2, "userData", required=False)
    extensions = string_values(call, params, 3, "extensions", most=MAX_EXTENSIONS)
    if extensions:
        call.note = "extensions: " + ", ".join(f"{k}={v}" for k, v in extensions.items())
    return main, target, values, extensions


def _consultation(call: RequestContext, params: list[Any]) -> Interaction:
    arity(call, params, 1)
    return ops.get_interaction(call.session, interaction_id(call, params))


@handler("interaction.consult")
def consult(call: RequestContext, params: list[Any]) -> Any:
    main, target, values, extensions = _redirect(call, params)
    created = call.engine.contact_center.consult(
        call.fx, call.session, main, target, values, extensions
    )
    return created.interaction_id


@handler("interaction.completeTransfer")
def complete_transfer(call: RequestContext, params: list[Any]) -> Any:
    leg = _consultation(call, params)
    call.engine.contact_center.complete_transfer(call.fx, call.session, leg)
    return None


@handler("interaction.completeConference")
def complete_conference(call: RequestContext, params: list[Any]) -> Any:
    leg = _consultation(call, params)
    call.engine.contact_center.complete_conference(call.fx, call.session, leg)
    return None


@handler("interaction.singleStepTransfer")
def single_step_transfer(call: RequestContext, params: list[Any]) -> Any:
    main, target, values, extensions = _redirect(call, params)
    call.engine.contact_center.single_step_transfer(
        call.fx, call.session, main, target, values, extensions
    )
    return None


@handler("interaction.singleStepConference")
def single_step_conference(call: RequestContext, params: list[Any]) -> Any:
    main, target, values, extensions = _redirect(call, params)
    call.engine.contact_center.single_step_conference(
        call.fx, call.session, main, target, values, extensions
    )
    return None
