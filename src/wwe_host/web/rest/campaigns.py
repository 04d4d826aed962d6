"""Outbound campaigns for the administrator (``/api/v1/campaigns``): list them, load,
start, stop and unload one, read its records and their outcomes (core/outbound.py)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta
from starlette.requests import Request
from starlette.responses import Response

from ...engine import Engine
from .admin import settled
from .operation import Endpoint, Operation
from .responses import json_response

Status = Annotated[
    str,
    Meta(
        description="`LOADED`, `RUNNING`, `STOPPED`, or `UNLOADED` (configured, not loaded).",
    ),
]


class Campaign(msgspec.Struct, rename="camel"):
    """A campaign of the configuration (or loaded before a restart), with its status."""

    name: str
    mode: Annotated[str, Meta(description="`preview` or `push-preview`.")]
    status: Status
    agents: list[str]
    records: Annotated[
        dict[str, int],
        Meta(
            description="How many records are in each status (`READY`, `PREVIEW`, `CALLED`, "
            "`SCHEDULED`, `CANCELLED`, `DONE`); empty while not loaded."
        ),
    ]


class CampaignList(msgspec.Struct):
    campaigns: list[Campaign]


class CallResult(msgspec.Struct):
    name: str
    code: int


class CampaignRecord(msgspec.Struct, rename="camel"):
    """One record of a loaded campaign and its outcome so far."""

    record_handle: int
    phone: str
    chain: Annotated[str, Meta(description="Records of one customer share it.")]
    fields: dict[str, str]
    status: str
    agent: Annotated[str | None, Meta(description="Who holds or last held it.")]
    due_at: Annotated[
        float | None, Meta(description="When a rescheduled record is due (epoch seconds).")
    ]
    personal: Annotated[bool, Meta(description="Due again for its agent only.")]
    call_result: CallResult | None
    attempts: Annotated[int, Meta(description="How many times it was shown to an agent.")]
    do_not_call: Annotated[bool, Meta(description="Its phone is on the do-not-call list.")]


class RecordList(msgspec.Struct):
    records: list[CampaignRecord]


async def campaigns(engine: Engine, request: Request, body: None, query: None) -> Response:
    await settled(engine)
    await engine.outbound.caught_up()
    views = msgspec.convert(engine.outbound.views(), list[Campaign])
    return json_response(CampaignList(views))


async def records(engine: Engine, request: Request, body: None, query: None) -> Response:
    await settled(engine)
    await engine.outbound.caught_up()
    rows = engine.outbound.records(request.path_params["name"])
    return json_response(RecordList(msgspec.convert(rows, list[CampaignRecord])))


def _command(action: str) -> Endpoint:
    async def run(engine: Engine, request: Request, body: None, query: None) -> Response:
        view = await engine.outbound.command(request.path_params["name"], action)
        return json_response(msgspec.convert(view, Campaign))

    return run


_NAME = {"name": "The campaign's name (its `[campaign:NAME]` section)."}
_ACTIONS = {
    "load": (
        "Load a configured campaign: its records are read from its CSV file (LOADED)",
        "CAMPAIGN_LOADED",
    ),
    "start": (
        "Start a loaded or stopped campaign (RUNNING): agents may take its records",
        "CAMPAIGN_STARTED",
    ),
    "stop": (
        "Stop a running campaign (STOPPED): records shown stay with their agents",
        "CAMPAIGN_STOPPED",
    ),
    "unload": (
        "Unload a campaign that is not running, with its records and outcomes",
        "CAMPAIGN_UNLOADED",
    ),
}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "GET",
        "/campaigns",
        campaigns,
        "Every outbound campaign, configured or loaded, with its status",
        CampaignList,
        errors=(422,),
    ),
    Operation(
        "GET",
        "/campaigns/{name}/records",
        records,
        "The records of a loaded campaign and their outcomes",
        RecordList,
        errors=(404, 422),
        path_params=_NAME,
    ),
    *(
        Operation(
            "POST",
            f"/campaigns/{{name}}/{action}",
            _command(action),
            summary,
            Campaign,
            errors=(404, 409, 422),
            path_params=_NAME,
            description=f"The campaign's agents receive the `outbound` event `{event}`.",
        )
        for action, (summary, event) in _ACTIONS.items()
    ),
)
