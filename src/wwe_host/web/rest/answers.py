"""What the REST API answers, as msgspec Structs: the OpenAPI document's response schemas are
generated from them (``openapi.py``), and the answers the REST layer builds itself are these
Structs, encoded by msgspec, so the two cannot disagree.

Two answers are views owned elsewhere and only described here: ``Interaction`` (the Service
Client API's view of an interaction, shaped by ``core.views.admin_interaction``) and
``OutboxMessage`` (kept by the store as the simulator wrote it); they allow members beyond
the ones listed.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from ...core.views import QueuedItem
from ...store.base import AuditEntry as StoredAuditEntry
from .bodies import UserData

_UNIX_TIME = Meta(description="Unix time, seconds.")


class ErrorDetail(msgspec.Struct):
    code: Annotated[str, Meta(description="A stable code, e.g. `INVALID_PARAMETER`.")]
    message: Annotated[str, Meta(description="What was wrong, naming the field or value.")]


class Error(msgspec.Struct):
    """Every refusal of the API."""

    error: ErrorDetail


class _Delivery(msgspec.Struct, kw_only=True):
    state: Annotated[
        str,
        Meta(
            description="The interaction's state (e.g. RINGING, TALKING with auto-answer, "
            "INVITED), or QUEUED when it waits in a queue for a ready agent."
        ),
    ]
    interaction_uuid: Annotated[str, Meta(description="When an agent has it.")] | UnsetType = (
        msgspec.field(default=UNSET, name="interactionUUID")
    )
    interaction_id: (
        Annotated[str, Meta(description="The id in the agent's session.")] | UnsetType
    ) = msgspec.field(default=UNSET, name="interactionId")
    agent: Annotated[str, Meta(description="The agent who has it.")] | UnsetType = UNSET
    queue: Annotated[str, Meta(description="The queue, when sent to one.")] | UnsetType = UNSET


class DeliveryResult(_Delivery, kw_only=True):
    """What became of an inbound interaction."""


class CallResult(_Delivery, kw_only=True):
    """What became of an inbound call."""

    call_uuid: str = msgspec.field(name="callUuid")


class ChatResult(_Delivery, kw_only=True):
    """What became of an inbound chat."""

    chat_id: str = msgspec.field(name="chatId")


class AbandonedCall(msgspec.Struct, rename="camel"):
    """A caller who hung up while waiting in a queue: the call left the queue."""

    call_uuid: str
    state: Annotated[str, Meta(description="`ABANDONED`.")]
    queue: str


class AbandonedChat(msgspec.Struct, rename="camel"):
    """A chat customer who left while waiting in a queue: the chat left the queue."""

    chat_id: str
    state: Annotated[str, Meta(description="`ABANDONED`.")]
    queue: str


class State(msgspec.Struct, rename="camel"):
    """An agent state (docs/api.md)."""

    type: str
    display_name: str
    operation_name: str
    reason: str | UnsetType = UNSET
    reason_code: str | UnsetType = UNSET


class AgentDialog(msgspec.Struct, rename="camel"):
    """A modal dialog open in the agent's desktop (``system.openDialog``)."""

    dialog_id: str
    url: Annotated[str, Meta(description="As the frame gave it (field codes unfilled).")]
    label: str | None
    opener_origin: Annotated[
        str | None, Meta(description="The origin of the frame that opened it; null once gone.")
    ]


class AgentMenuItem(msgspec.Struct, rename="camel"):
    """An item a frame put in the desktop's header (``system.updateViewInApplicationMenuBar``)."""

    name: str
    label: str
    origin: Annotated[str | None, Meta(description="The origin of the frame that owns it.")]


class Agent(msgspec.Struct, rename="camel"):
    """A configured agent and, when logged in, the session's states."""

    username: str
    firstname: str
    lastname: str
    employee_id: str
    number: Annotated[str, Meta(description="The DN of the agent's place.")]
    roles: list[str]
    media: list[str]
    logged_in: bool
    state: Annotated[
        State | None, Meta(description="The aggregate state; null when not logged in.")
    ]
    media_states: Annotated[
        dict[str, State], Meta(description="Each media's state; empty when not logged in.")
    ]
    interactions: Annotated[int, Meta(description="Interactions in the session.")]
    dialogs: Annotated[
        list[AgentDialog], Meta(description="Dialogs open in the desktop; empty when logged out.")
    ]
    menu_items: Annotated[
        list[AgentMenuItem],
        Meta(description="Frames' items in the desktop's header; empty when logged out."),
    ]


class Party(msgspec.Struct):
    name: str


class Interaction(msgspec.Struct, rename="camel"):
    """The Service Client API's Interaction with unfiltered attached data, plus the agent who
    has it (and a chat's `chatId`). Voice adds callUuid, direction, callType, ani, dnis,
    recordingState; e-mail adds from, to, subject; chat adds messages (a count)."""

    interaction_id: str
    interaction_uuid: str = msgspec.field(name="interactionUUID")
    case_id: str
    media: str
    state: str
    agent: str
    previous_state: str | UnsetType = UNSET
    parent_interaction_id: str | UnsetType | None = UNSET
    user_data: UserData | UnsetType = UNSET
    parties: list[Party] | UnsetType = UNSET
    chat_id: str | UnsetType = UNSET
    extensions: Annotated[
        dict[str, str] | UnsetType,
        Meta(description="The switch extensions a call was dialled with (voice.dialEx)."),
    ] = UNSET


class OutboxMessage(msgspec.Struct, rename="camel"):
    """An outbound e-mail and what became of it: `kept` (no SMTP configured), `pending`,
    `sent` or `failed: <reason>`."""

    status: str
    interaction_uuid: str | UnsetType = msgspec.field(default=UNSET, name="interactionUUID")
    message_id: str | UnsetType = UNSET
    from_: str | UnsetType | None = UNSET
    to: str | UnsetType | None = UNSET
    subject: str | UnsetType = UNSET
    body: str | UnsetType = UNSET
    user_data: UserData | UnsetType = UNSET
    at: Annotated[float, _UNIX_TIME] | UnsetType = UNSET
    agent: str | UnsetType = UNSET


class AuditEntry(msgspec.Struct, rename="camel"):
    """One third-party request of the audit log."""

    at: Annotated[float, _UNIX_TIME]
    agent: str
    frame: str
    origin: str
    request: str
    outcome: Annotated[
        str,
        Meta(
            description="allowed, failed, refused:<origin|filter|rate-limit|user-data>, quarantined"
        ),
    ]
    detail: str
    duration_ms: float


class AgentList(msgspec.Struct):
    agents: list[Agent]


class QueuedInteraction(msgspec.Struct, rename="camel", kw_only=True):
    """An inbound interaction waiting in a queue for a ready agent of it."""

    item_id: Annotated[str, Meta(description="Its id while it waits.")]
    media: Annotated[str, Meta(description="voice, email or chat.")]
    from_: Annotated[str, Meta(description="The caller, sender or customer.")] = msgspec.field(
        name="from"
    )
    enqueued_at: Annotated[float, _UNIX_TIME]
    user_data: UserData
    call_uuid: Annotated[str, Meta(description="Voice: the call's UUID.")] | UnsetType = UNSET
    dnis: Annotated[str, Meta(description="Voice: the number dialled.")] | UnsetType = UNSET
    subject: Annotated[str, Meta(description="E-mail: the subject.")] | UnsetType = UNSET
    chat_id: Annotated[str, Meta(description="Chat: the chat's id.")] | UnsetType = UNSET


class Queue(msgspec.Struct, rename="camel"):
    """A queue: its media and members as configured, and what waits in it, oldest first."""

    name: str
    configured: Annotated[
        bool,
        Meta(
            description="false for a queue no longer in the configuration that still holds "
            "interactions from before a restart (nobody can take them)."
        ),
    ]
    media: list[str]
    agents: Annotated[list[str], Meta(description="The user names of its members.")]
    waiting: list[QueuedInteraction]


class QueueList(msgspec.Struct):
    queues: list[Queue]


class InteractionList(msgspec.Struct):
    interactions: list[Interaction]


class OutboxList(msgspec.Struct):
    messages: list[OutboxMessage]


class AuditList(msgspec.Struct):
    entries: list[AuditEntry]


class LoggedOut(msgspec.Struct, rename="camel"):
    """The session is over (or there was none)."""

    logged_out: bool


class Health(msgspec.Struct):
    """The server is up and its store accepts writes."""

    status: Annotated[str, Meta(description="`ok`.")]
    sessions: Annotated[int, Meta(description="Agent sessions open now.")]


class Unhealthy(msgspec.Struct):
    """The server is up but its store cannot write (operations.md)."""

    status: Annotated[str, Meta(description="`unavailable`.")]
    reason: Annotated[str, Meta(description="Why the store cannot write.")]
    since: Annotated[float, Meta(description="Since when (seconds since the epoch).")]
    sessions: Annotated[int, Meta(description="Agent sessions open now.")]


# --------------------------------------------------------------------------- builders


def queued_interaction(item: QueuedItem) -> QueuedInteraction:
    return QueuedInteraction(
        item_id=item.item_id,
        media=item.media,
        from_=item.sender,
        enqueued_at=item.enqueued_at,
        user_data=dict(item.user_data),
        call_uuid=item.call_uuid if item.call_uuid is not None else UNSET,
        dnis=item.dnis if item.dnis is not None else UNSET,
        subject=item.subject if item.subject is not None else UNSET,
        chat_id=item.chat_id if item.chat_id is not None else UNSET,
    )


def audit_entry(entry: StoredAuditEntry) -> AuditEntry:
    return AuditEntry(
        at=entry.at,
        agent=entry.agent,
        frame=entry.frame,
        origin=entry.origin,
        request=entry.request,
        outcome=entry.outcome,
        detail=entry.detail,
        duration_ms=entry.duration_ms,
    )
