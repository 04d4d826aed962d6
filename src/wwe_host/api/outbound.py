"""outbound.*: simulated outbound campaigns (api-9.md; docs/simulator.md, "Outbound
campaigns"). The campaigns' state is ``call.engine.outbound.book``; every change of it is
recorded in ``_changes(call)`` and committed with the rest of the operation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain import previews
from ..domain.model import Interaction
from ..domain.outbound import (
    CALLED,
    CANCELLED,
    DONE,
    PREVIEW,
    RUNNING,
    SCHEDULED,
    CallResult,
    CampaignRecord,
    OutboundChanges,
)
from ..errors import ApiError, ErrorCode
from .context import (
    HANDLERS,
    RequestContext,
    arity,
    handler,
    interaction_id,
    object_param,
    string,
)
from .desktop import action

CALLBACK_TYPES = ("Personal", "Campaign")
MAX_FIELDS = 64


def parse_due(request: str, text: object, now: float) -> float:
    """``"M/D/YYYY H:m"`` in the server's time zone, as epoch seconds; it must be later."""
    if not isinstance(text, str):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 3 'rescheduleDate' of '{request}' must be a string \"M/D/YYYY H:m\".",
        )
    try:
        when = datetime.strptime(text.strip(), "%m/%d/%Y %H:%M")
    except ValueError:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 3 'rescheduleDate' of '{request}' is not a date "
            f'"M/D/YYYY H:m" (for example "12/24/2026 9:30"): \'{text}\'.',
        ) from None
    due = when.timestamp()  # a naive datetime is local time: the server's time zone
    if due <= now:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 3 'rescheduleDate' of '{request}' is in the past: '{text}'.",
        )
    return due


def _record(call: RequestContext, params: list[Any], most: int) -> CampaignRecord:
    arity(call, params, most)
    return previews.record_of(call.engine.outbound.book, call.session, interaction_id(call, params))


def _preview(call: RequestContext, record: CampaignRecord) -> Interaction:
    preview = previews.preview_interaction(call.session, record)
    if preview is None:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"The preview of record {record.handle} of campaign '{record.campaign}' is gone.",
        )
    return preview


def _tell(call: RequestContext, event_type: str, record: CampaignRecord) -> None:
    book = call.engine.outbound.book
    campaign = book.campaigns.get(record.campaign)
    previews.tell(
        call.fx,
        call.session,
        event_type,
        campaign=campaign,
        interaction=previews.preview_interaction(call.session, record),
    )


def _changes(call: RequestContext) -> OutboundChanges:
    """The operation's outbound changes (kept as durable once it commits)."""
    return call.engine.outbound.changes(call.fx)


def _put(call: RequestContext, record: CampaignRecord) -> None:
    call.engine.outbound.book.put(_changes(call), record, call.engine.now())


def _chained(call: RequestContext, params: list[Any], record: CampaignRecord) -> CampaignRecord:
    """Parameter 2, a record handle of the current record's chain (a number or its text)."""
    value = params[1] if len(params) > 1 else None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 2 'recordHandle' of '{call.request}' must be a record handle "
            f"(a number from getChainedRecords), got {value!r}.",
        )
    for chained in call.engine.outbound.book.chain(record):
        if chained.handle == value:
            return chained
    raise ApiError(
        ErrorCode.NOT_FOUND,
        f"Record handle {value} is not in the chain of interaction '{record.interaction_id}'.",
    )


@handler("outbound.getCampaigns")
def get_campaigns(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return [c.view() for c in call.engine.outbound.book.campaigns_of(call.session.username)]


@handler("outbound.getPreviewRecord")
def get_preview_record(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    name = string(call, params, 0, "campaignName", max_length=128)
    book = call.engine.outbound.book
    campaign = book.campaigns.get(name)
    if campaign is None or call.session.username not in campaign.agents:
        raise ApiError(
            ErrorCode.NOT_FOUND, f"Unknown campaign '{name}' (none loaded for this agent)."
        )
    if campaign.status != RUNNING:
        raise ApiError(
            ErrorCode.INVALID_STATE, f"Campaign '{name}' is {campaign.status}, not RUNNING."
        )
    now = call.engine.now()
    _changes(call)
    previews.release_stale(call.fx, book, call.engine.outbound.shown, now)
    record = book.next_due(campaign, call.session.username, now)
    if record is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"Campaign '{name}' has no record due now.")
    return previews.show_preview(call.fx, book, call.session, record, now).interaction_id


@handler("outbound.getRecordFields")
def get_record_fields(call: RequestContext, params: list[Any]) -> Any:
    return dict(_record(call, params, 1).fields)


@handler("outbound.updateRecordFields")
def update_record_fields(call: RequestContext, params: list[Any]) -> Any:
    record = _record(call, params, 2)
    fields = object_param(call, params, 1, "fields")
    if len(fields) > MAX_FIELDS:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 2 'fields' of '{call.request}' has {len(fields)} keys; "
            f"at most {MAX_FIELDS} are allowed.",
        )
    for key, value in fields.items():
        if not key or len(key) > 256 or not isinstance(value, str) or len(value) > 4096:
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                f"Parameter 2 'fields' of '{call.request}' has key '{key[:256]}': fields are "
                f"strings (keys of 1 to 256 characters, values of at most 4096).",
            )
    record.fields.update(fields)
    _put(call, record)
    _tell(call, "RECORD_UPDATED", record)
    return None


@handler("outbound.getChainedRecords")
def get_chained_records(call: RequestContext, params: list[Any]) -> Any:
    record = _record(call, params, 1)
    return [
        {"recordHandle": r.handle, "phone": r.phone, "fields": dict(r.fields)}
        for r in call.engine.outbound.book.chain(record)
    ]


@handler("outbound.callPreviewRecord")
def call_preview_record(call: RequestContext, params: list[Any]) -> Any:
    record = _record(call, params, 2)
    target = _chained(call, params, record)
    preview = _preview(call, record)
    book = call.engine.outbound.book
    if record.status not in (PREVIEW, CALLED):
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Record {record.handle} of campaign '{record.campaign}' is {record.status}; "
            f"it cannot be called now.",
        )
    dialled = record.call_interaction_id and call.session.interactions.get(
        record.call_interaction_id
    )
    if dialled and dialled.live:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Record {record.handle} is on a call already "
            f"(interaction '{dialled.interaction_id}').",
        )
    if target.phone in book.do_not_call:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Phone '{target.phone}' is on the do-not-call list: it is never dialled.",
        )
    if "voice" not in call.session.media:
        raise ApiError(ErrorCode.INVALID_STATE, "This agent has no voice media.")
    data = {"GSW_CAMPAIGN_NAME": record.campaign, "GSW_RECORD_HANDLE": str(target.handle)}
    voice = call.engine.contact_center.dial(
        call.fx, call.session, target.phone, data, case_id=preview.case_id
    )
    record.status = CALLED
    record.call_interaction_id = voice.interaction_id
    _put(call, record)
    _tell(call, "RECORD_CALLED", record)
    return None


def _close_preview(call: RequestContext, params: list[Any], verb: str) -> CampaignRecord:
    record = _record(call, params, 1)
    if record.status != PREVIEW:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Cannot {verb} record {record.handle} of campaign '{record.campaign}': it is "
            f"{record.status}, not PREVIEW.",
        )
    return record


def _push(call: RequestContext, enabled: bool) -> None:
    """Start or stop push preview; started, the agent is offered what is due now."""
    call.session.outbound_push = enabled
    call.fx.touch(call.session)
    if enabled:
        _changes(call)
        outbound = call.engine.outbound
        previews.offer_push(call.fx, outbound.book, call.session, call.engine.now(), outbound.shown)


def _leave(
    call: RequestContext, record: CampaignRecord, preview: Interaction, event_type: str
) -> None:
    """The preview leaves the desktop (its record already changed); push offers the next."""
    _put(call, record)
    previews.tell(
        call.fx,
        call.session,
        event_type,
        campaign=call.engine.outbound.book.campaigns.get(record.campaign),
        interaction=preview,
    )
    previews.remove_preview(call.fx, call.session, preview)
    _push(call, call.session.outbound_push)


@handler("outbound.rejectPreviewRecord")
def reject_preview_record(call: RequestContext, params: list[Any]) -> Any:
    record = _close_preview(call, params, "reject")
    preview = _preview(call, record)
    call.engine.outbound.book.return_to_campaign(_changes(call), record)
    _leave(call, record, preview, "RECORD_REJECTED")
    return None


@handler("outbound.cancelPreviewRecord")
def cancel_preview_record(call: RequestContext, params: list[Any]) -> Any:
    record = _close_preview(call, params, "cancel")
    preview = _preview(call, record)
    record.status = CANCELLED
    _leave(call, record, preview, "RECORD_CANCELLED")
    return None


@handler("outbound.startDirectPushPreview")
def start_direct_push_preview(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    _push(call, True)
    return None


@handler("outbound.stopDirectPushPreview")
def stop_direct_push_preview(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    _push(call, False)
    return None


@handler("outbound.rescheduleRecord")
def reschedule_record(call: RequestContext, params: list[Any]) -> Any:
    record = _record(call, params, 4)
    target = _chained(call, params, record)
    due = parse_due(call.request, params[2] if len(params) > 2 else None, call.engine.now())
    kind = params[3] if len(params) > 3 else None
    if kind not in CALLBACK_TYPES:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 4 'callbackType' of '{call.request}' must be \"Personal\" or "
            f'"Campaign", got {kind!r}.',
        )
    if target.status in (PREVIEW,) and target is not record:
        raise ApiError(ErrorCode.INVALID_STATE, f"Record {target.handle} is being previewed.")
    target.status = SCHEDULED
    target.due_at = due
    target.personal = call.session.username if kind == "Personal" else None
    target.agent = call.session.username
    if target is not record:
        target.interaction_id = record.interaction_id
    _put(call, target)
    _tell(call, "RECORD_RESCHEDULED", target)
    call.engine.outbound.arm_due(target)
    return None


@handler("outbound.cancelReschedule")
def cancel_reschedule(call: RequestContext, params: list[Any]) -> Any:
    record = _record(call, params, 1)
    if record.status != SCHEDULED:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Record {record.handle} of campaign '{record.campaign}' is not rescheduled "
            f"(it is {record.status}).",
        )
    record.status = DONE
    record.due_at = None
    record.personal = None
    _put(call, record)
    _tell(call, "RESCHEDULE_CANCELLED", record)
    return None


@handler("outbound.getListOfCallResults")
def get_list_of_call_results(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    book = call.engine.outbound.book
    return [{"name": r.name, "code": r.code} for r in book.call_results(call.session.username)]


def _call_result(call: RequestContext, record: CampaignRecord, value: Any) -> CallResult:
    campaign = call.engine.outbound.book.campaigns.get(record.campaign)
    known = campaign.call_results if campaign is not None else []
    for result in known:
        if (
            (isinstance(value, int) and not isinstance(value, bool) and value == result.code)
            or (isinstance(value, str) and value.strip() == str(result.code))
            or (isinstance(value, str) and value.strip().lower() == result.name.lower())
        ):
            return result
    names = ", ".join(f"{r.name} ({r.code})" for r in known)
    raise ApiError(
        ErrorCode.INVALID_PARAMETER,
        f"Parameter 2 'callResult' of '{call.request}' is not a call result of campaign "
        f"'{record.campaign}': {value!r}. Known: {names}.",
    )


@handler("outbound.setCallResult")
def set_call_result(call: RequestContext, params: list[Any]) -> Any:
    record = _record(call, params, 2)
    record.call_result = _call_result(call, record, params[1] if len(params) > 1 else None)
    _put(call, record)
    _tell(call, "CALL_RESULT_SET", record)
    return None


@handler("outbound.getCallResult")
def get_call_result(call: RequestContext, params: list[Any]) -> Any:
    result = _record(call, params, 1).call_result
    return None if result is None else {"name": result.name, "code": result.code}


def _do_not_call(on: bool) -> Any:
    def run(call: RequestContext, params: list[Any]) -> Any:
        record = _record(call, params, 1)
        call.engine.outbound.book.set_do_not_call(_changes(call), record.phone, on)
        _tell(call, "DO_NOT_CALL_SET" if on else "DO_NOT_CALL_REMOVED", record)
        return None

    return run


handler("outbound.setDoNotCall")(_do_not_call(True))
handler("outbound.removeDoNotCall")(_do_not_call(False))


# --- the agent's own desktop (the outbound panel): same handlers, no third-party policy ---


@action("outbound")
def desktop_request(call: RequestContext, args: dict[str, Any]) -> Any:
    """One ``outbound.*`` request made by the agent in the desktop's outbound panel:
    ``{request: "callPreviewRecord", params: [...]}``."""
    name = f"outbound.{args.get('request')}"
    params = args.get("params", [])
    if name not in HANDLERS or not isinstance(params, list):
        raise ApiError(ErrorCode.INVALID_PARAMETER, f"Unknown outbound request '{name}'.")
    call.request = name
    return HANDLERS[name](call, params)


@action("outboundRecord")
def desktop_record(call: RequestContext, args: dict[str, Any]) -> Any:
    """What the outbound panel shows of a preview: the campaign, the record with its chain,
    its outcome so far and the call results to choose from."""
    record = _record(call, [args.get("interactionId")], 1)
    book = call.engine.outbound.book
    campaign = book.campaigns.get(record.campaign)
    return {
        "campaign": record.campaign,
        "recordHandle": record.handle,
        "phone": record.phone,
        "status": record.status,
        "fields": dict(record.fields),
        "chain": [
            {"recordHandle": r.handle, "phone": r.phone, "doNotCall": r.phone in book.do_not_call}
            for r in book.chain(record)
        ],
        "callResult": None
        if record.call_result is None
        else {"name": record.call_result.name, "code": record.call_result.code},
        "callResults": [{"name": r.name, "code": r.code} for r in campaign.call_results]
        if campaign is not None
        else [],
        "dueAt": record.due_at,
        "personal": record.personal is not None,
        "doNotCall": record.phone in book.do_not_call,
    }
