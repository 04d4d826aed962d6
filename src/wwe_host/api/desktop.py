"""The agent's own operations from the desktop: the same domain operations as the API,
without the third-party policy (the agent is not a third-party app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain import desktop_items, toasts, wrapup
from ..domain import operations as ops
from ..domain.model import is_email_address
from ..domain.states import resolve
from ..errors import ApiError, ErrorCode
from .context import RequestContext
from .interaction import reject_offer, target_of
from .voice import DESTINATION

Action = Callable[[RequestContext, dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}


def action(name: str) -> Callable[[Action], Action]:
    def register(fn: Action) -> Action:
        ACTIONS[name] = fn
        return fn

    return register


def _text(args: dict[str, Any], name: str, *, allow_empty: bool = False) -> str:
    value = args.get(name)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        what = "a string" if allow_empty else "a non-empty string"
        raise ApiError(ErrorCode.INVALID_PARAMETER, f"'{name}' must be {what}.")
    return value


def _interaction(call: RequestContext, args: dict[str, Any]) -> Any:
    return ops.get_interaction(call.session, _text(args, "interactionId"))


@action("setState")
def set_state(call: RequestContext, args: dict[str, Any]) -> Any:
    state = resolve(
        call.engine.state_list(call.session.username), args.get("operationName"), "setState"
    )
    ops.set_media_states(call.fx, call.session, list(call.session.media), state, call.engine.now())


@action("setMediaState")
def set_media_state(call: RequestContext, args: dict[str, Any]) -> Any:
    media = _text(args, "media")
    if media not in call.session.media:
        raise ApiError(ErrorCode.NOT_FOUND, f"Unknown media '{media}'.")
    state = resolve(
        call.engine.state_list(call.session.username), args.get("operationName"), "setMediaState"
    )
    ops.set_media_states(call.fx, call.session, [media], state, call.engine.now())


@action("answer")
def answer(call: RequestContext, args: dict[str, Any]) -> Any:
    call.engine.contact_center.answer(call.fx, call.session, _interaction(call, args))


@action("accept")
def accept(call: RequestContext, args: dict[str, Any]) -> Any:
    ops.answer(call.fx, call.session, _interaction(call, args))


@action("reject")
def reject(call: RequestContext, args: dict[str, Any]) -> Any:
    reject_offer(call, _interaction(call, args))


def _redirect(name: str) -> Action:
    """Consult, or transfer / conference in one step, to ``args["target"]``."""

    def run(call: RequestContext, args: dict[str, Any]) -> Any:
        interaction = _interaction(call, args)
        target = target_of(args.get("target"), "The target")
        center = call.engine.contact_center
        if name == "consult":
            created = center.consult(call.fx, call.session, interaction, target, {}, {})
            return {"interactionId": created.interaction_id}
        step = center.single_step_transfer if name == "transfer" else center.single_step_conference
        step(call.fx, call.session, interaction, target, {}, {})
        return None

    return run


action("consult")(_redirect("consult"))
action("singleStepTransfer")(_redirect("transfer"))
action("singleStepConference")(_redirect("conference"))


@action("completeTransfer")
def complete_transfer(call: RequestContext, args: dict[str, Any]) -> Any:
    call.engine.contact_center.complete_transfer(call.fx, call.session, _interaction(call, args))


@action("completeConference")
def complete_conference(call: RequestContext, args: dict[str, Any]) -> Any:
    call.engine.contact_center.complete_conference(call.fx, call.session, _interaction(call, args))


@action("hold")
def hold(call: RequestContext, args: dict[str, Any]) -> Any:
    ops.hold(call.fx, call.session, _interaction(call, args))


@action("resume")
def resume(call: RequestContext, args: dict[str, Any]) -> Any:
    ops.resume(call.fx, call.session, _interaction(call, args))


@action("hangUp")
def hang_up(call: RequestContext, args: dict[str, Any]) -> Any:
    target = _interaction(call, args)
    ops.check_release(target)
    call.engine.contact_center.hang_up(call.fx, call.session, target)


@action("markDone")
def mark_done(call: RequestContext, args: dict[str, Any]) -> Any:
    call.mark_done(_interaction(call, args))


@action("setDisposition")
def set_disposition(call: RequestContext, args: dict[str, Any]) -> Any:
    value = args.get("value")
    if not isinstance(value, str):
        raise ApiError(ErrorCode.INVALID_PARAMETER, "'value' must be a string (\"\" clears it).")
    wrapup.set_disposition(call.fx, call.session, _interaction(call, args), value, call.disposition)


@action("recording")
def recording(call: RequestContext, args: dict[str, Any]) -> Any:
    what = args.get("action")
    if what not in ("start", "stop", "pause", "resume"):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER, "'action' must be start, stop, pause or resume."
        )
    ops.recording(call.fx, call.session, _interaction(call, args), str(what))


@action("setUserData")
def set_user_data(call: RequestContext, args: dict[str, Any]) -> Any:
    target = _interaction(call, args)
    key = _text(args, "key")
    value = args.get("value")
    if not isinstance(value, str | int | float):
        raise ApiError(ErrorCode.INVALID_PARAMETER, "'value' must be a string or a number.")
    ops.set_user_data(call.fx, call.session, target, {key: value})


@action("deleteUserData")
def delete_user_data(call: RequestContext, args: dict[str, Any]) -> Any:
    ops.delete_user_data(call.fx, call.session, _interaction(call, args), _text(args, "key"))


@action("selectCase")
def select_case(call: RequestContext, args: dict[str, Any]) -> Any:
    ops.select_case(call.fx, call.session, _text(args, "caseId"))


@action("dial")
def dial(call: RequestContext, args: dict[str, Any]) -> Any:
    destination = _text(args, "destination").strip()
    if not DESTINATION.match(destination):
        raise ApiError(ErrorCode.INVALID_PARAMETER, f"'{destination}' is not a dialable number.")
    created = call.engine.contact_center.dial(call.fx, call.session, destination, {})
    return {"interactionId": created.interaction_id}


@action("createEmail")
def create_email(call: RequestContext, args: dict[str, Any]) -> Any:
    created = call.engine.contact_center.create_email(
        call.fx, call.session, _text(args, "to").strip(), {}
    )
    return {"interactionId": created.interaction_id}


@action("sendEmail")
def send_email(call: RequestContext, args: dict[str, Any]) -> Any:
    target = _interaction(call, args)
    to = args.get("to")
    if isinstance(to, str) and to.strip():
        if not is_email_address(to.strip()):
            raise ApiError(ErrorCode.INVALID_PARAMETER, f"'{to}' is not an e-mail address.")
        target.recipient = to.strip()
    subject = _text(args, "subject", allow_empty=True)
    body = _text(args, "body", allow_empty=True)
    if not target.recipient:
        raise ApiError(ErrorCode.INVALID_PARAMETER, "'to' is required: whom is it for?")
    if not subject.strip() and not body.strip():
        raise ApiError(
            ErrorCode.INVALID_PARAMETER, "Nothing to send: the subject and the body are empty."
        )
    call.engine.contact_center.send_email(call.fx, call.session, target, subject, body)


@action("replyEmail")
def reply_email(call: RequestContext, args: dict[str, Any]) -> Any:
    created = call.engine.contact_center.reply_email(
        call.fx, call.session, _interaction(call, args), forward=bool(args.get("forward"))
    )
    return {"interactionId": created.interaction_id}


@action("cancelEmail")
def cancel_email(call: RequestContext, args: dict[str, Any]) -> Any:
    call.engine.contact_center.cancel_email(call.fx, call.session, _interaction(call, args))


@action("chatSend")
def chat_send(call: RequestContext, args: dict[str, Any]) -> Any:
    call.engine.contact_center.chat_message(
        call.fx, call.session, _interaction(call, args), "agent", _text(args, "text")
    )


@action("chatEnd")
def chat_end(call: RequestContext, args: dict[str, Any]) -> Any:
    call.engine.contact_center.end_chat(call.fx, call.session, _interaction(call, args))


@action("mute")
def mute(call: RequestContext, args: dict[str, Any]) -> Any:
    microphone, speaker = args.get("microphone"), args.get("speaker")
    ops.set_endpoint(
        call.fx,
        call.session,
        microphone=microphone if isinstance(microphone, bool) else None,
        speaker=speaker if isinstance(speaker, bool) else None,
    )


@action("toastClick")
def toast_click(call: RequestContext, args: dict[str, Any]) -> Any:
    index = args.get("buttonIndex")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ApiError(ErrorCode.INVALID_PARAMETER, "'buttonIndex' must be a whole number >= 0.")
    return toasts.click(call.fx, call.session, _text(args, "toastId"), index)


@action("toastClose")
def toast_close(call: RequestContext, args: dict[str, Any]) -> Any:
    return toasts.close(call.fx, call.session, None, _text(args, "toastId"))


@action("menuItemClick")
def menu_item_click(call: RequestContext, args: dict[str, Any]) -> Any:
    frame_id, name = _text(args, "frameId"), _text(args, "name")
    if not desktop_items.click_menu_item(call.fx, call.session, frame_id, name):
        raise ApiError(ErrorCode.NOT_FOUND, f"No menu bar item '{name}' of frame {frame_id}.")


@action("closeDialog")
def close_dialog(call: RequestContext, args: dict[str, Any]) -> Any:
    dialog_id = _text(args, "dialogId")
    if not desktop_items.close_dialog(call.fx, call.session, dialog_id, "agent"):
        raise ApiError(ErrorCode.NOT_FOUND, f"No open dialog '{dialog_id}'.")


@action("activity")
def activity(call: RequestContext, args: dict[str, Any]) -> Any:
    call.engine.record_activity(call.fx, call.session)


COLLEAGUES_SHOWN = 50  # the transfer picker's list; the agent types to narrow it


@action("findColleagues")
def find_colleagues(call: RequestContext, args: dict[str, Any]) -> Any:
    """The other agents whose user name, name or number contains ``query`` (any case), in
    configuration order, at most ``COLLEAGUES_SHOWN``: asked for by the transfer picker
    instead of a list of every agent in each snapshot (10,000 agents would make every
    snapshot a megabyte)."""
    query = _text(args, "query", allow_empty=True).strip().casefold()
    found: list[dict[str, str]] = []
    more = False
    for other in call.engine.config.agents.values():
        if other.username == call.session.username:
            continue
        name = other.full_name or other.username
        if query and not any(
            query in text.casefold() for text in (other.username, name, other.number)
        ):
            continue
        if len(found) == COLLEAGUES_SHOWN:
            more = True
            break
        found.append({"username": other.username, "name": name, "number": other.number})
    return {"colleagues": found, "more": more}
