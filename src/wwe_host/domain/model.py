"""The agent's session and everything in it: media states, interactions, cases, toasts, frames.

Plain data (msgspec structs) with no I/O, so the store can persist a session as one record
and a restart rebuilds it exactly.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from .states import State

# White space, spelled out: Python's and JSON Schema's (ECMA-262) \s differ on a few
# characters, and these patterns are also the REST API's schema (web/rest/bodies.py).
WHITESPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_ADDRESS_PART = rf'[^@{WHITESPACE}<>(),;:"]+'
# One @, a dot in the domain, no white space or address punctuation. It ends with "nothing
# follows", not $ (which in Python also matches before a final line feed).
EMAIL_ADDRESS_PATTERN = rf"^{_ADDRESS_PART}@{_ADDRESS_PART}\.{_ADDRESS_PART}(?![\s\S])"
_EMAIL_ADDRESS = re.compile(EMAIL_ADDRESS_PATTERN)

VOICE_LIVE = frozenset({"RINGING", "DIALING", "TALKING", "HELD"})
OPEN_MEDIA_DONE = frozenset({"SENT", "CANCELLED", "COMPLETED", "ENDED", "REVOKED"})


class ChatLine(msgspec.Struct):
    sender: str  # "agent" or "customer"
    name: str
    text: str
    at: float


class Interaction(msgspec.Struct, kw_only=True):
    interaction_id: str
    uuid: str
    media: str
    case_id: str
    state: str
    created_at: float
    previous_state: str = "UNKNOWN"
    parent_interaction_id: str | None = None
    user_data: dict[str, Any] = msgspec.field(default_factory=dict)
    parties: list[str] = msgspec.field(default_factory=list)
    is_consultation: bool = False
    # voice
    call_uuid: str | None = None
    direction: str | None = None
    call_type: str | None = None
    ani: str | None = None
    dnis: str | None = None
    recording_state: str | None = None
    # open media
    sender: str | None = None  # e-mail from / chat customer name
    recipient: str | None = None
    subject: str | None = None
    body: str | None = None
    chat_id: str | None = None
    messages: list[ChatLine] = msgspec.field(default_factory=list)
    error: str | None = None
    # How it ended or why it never started, in the simulator's words (busy, no-answer,
    # not-available, missed, abandoned, declined, far-end-released): the desktop shows it.
    outcome: str | None = None
    answered_at: float | None = None  # voice: first TALKING (the call timer starts here)
    ended_at: float | None = None  # voice: released
    # After-call work began when this call ended: the voice state to go back to at mark done.
    wrap_up_from: State | None = None
    markdone_blocks: dict[str, str] = msgspec.field(default_factory=dict)  # frame id → warning
    # Key/value pairs for the switch (voice.dialEx): the REST API and the audit log show
    # them, frames never do (interaction_view leaves them out).
    extensions: dict[str, str] = msgspec.field(default_factory=dict)
    # The queue that routed it to this agent (None: offered directly): a rejected offer
    # goes back there (interaction.reject), still kept from who rejected it before.
    queue: str | None = None
    declined: dict[str, float] = msgspec.field(default_factory=dict)  # as QueuedItem's

    def set_state(self, state: str) -> None:
        self.previous_state = self.state
        self.state = state

    @property
    def live(self) -> bool:
        if self.media == "voice":
            return self.state in VOICE_LIVE
        return self.state not in OPEN_MEDIA_DONE


class Toast(msgspec.Struct, kw_only=True):
    toast_id: str
    frame_id: str
    params: dict[str, Any]
    created_at: float
    close_at: float | None = None


class FrameRecord(msgspec.Struct, kw_only=True):
    frame_id: str
    origin: str
    section: str
    agent_level: bool
    interaction_id: str | None = None
    subscriptions: dict[str, list[str]] = msgspec.field(default_factory=dict)


class Dialog(msgspec.Struct, kw_only=True):
    """A modal dialog a frame opened (``system.openDialog``); URL and label keep their
    field codes, filled when the desktop is told (web/snapshot.py)."""

    dialog_id: str
    frame_id: str  # the frame that opened it
    url: str
    label: str | None = None
    width: str | None = None
    height: str | None = None
    interaction_id: str | None = None  # the opener's interaction: its field codes
    tab_id: str | None = None  # the desktop tab that holds the opener (shown there)


class MenuItem(msgspec.Struct, kw_only=True):
    """An item a frame put in the desktop's header (``system.updateViewInApplicationMenuBar``)."""

    frame_id: str
    name: str
    label: str
    short_label: str | None = None
    icon_url: str | None = None
    tooltip: str | None = None
    background_color: str | None = None
    label_color: str | None = None


class SessionToken(msgspec.Struct, array_like=True):
    """One login's token (a browser's cookie), kept as its SHA-256 digest only."""

    digest: str
    issued_at: float
    last_used: float


class AgentSession(msgspec.Struct, kw_only=True):
    session_id: str
    username: str
    started_at: float
    last_activity: float
    media: dict[str, State]
    # (Records written before tokens expired held ``tokens: list[str]``; that field is
    # ignored, so their cookies stop working and the agent logs in again to the session.)
    auth_tokens: list[SessionToken] = msgspec.field(default_factory=list)
    mic_muted: bool = False
    speaker_muted: bool = False
    interactions: dict[str, Interaction] = msgspec.field(default_factory=dict)
    next_interaction: int = 1
    selected_case: str | None = None
    expanded_cases: list[str] = msgspec.field(default_factory=list)
    toasts: dict[str, Toast] = msgspec.field(default_factory=dict)
    next_toast: int = 1
    my_messages: list[dict[str, Any]] = msgspec.field(default_factory=list)
    frames: dict[str, FrameRecord] = msgspec.field(default_factory=dict)
    next_frame: int = 1
    dialogs: dict[str, Dialog] = msgspec.field(default_factory=dict)
    next_dialog: int = 1
    menu_items: dict[str, MenuItem] = msgspec.field(default_factory=dict)  # menu_key → item
    next_subscription: int = 1
    dynamic_phone_number: str | None = None
    idle_since: dict[str, float] = msgspec.field(default_factory=dict)  # READY media → since
    state_since: float | None = None  # when the agent's aggregate state last changed
    # The contact center's own bookkeeping (JSON-like values, keyed as it chooses), stored
    # with the session so that it survives a restart; the domain never reads it. The
    # simulator keeps its far ends here (simulator/far_ends.py).
    backend: dict[str, Any] = msgspec.field(default_factory=dict)
    # outbound.startDirectPushPreview: push-preview records are offered to the agent.
    outbound_push: bool = False

    def new_interaction_id(self) -> str:
        value = str(self.next_interaction)
        self.next_interaction += 1
        return value

    def find_case(self, case_id: str) -> list[Interaction]:
        return [i for i in self.interactions.values() if i.case_id == case_id]

    def subscribers(self, topic: str, but: str | None = None) -> list[FrameRecord]:
        """The frames (of every desktop tab) subscribed to ``topic``, except frame ``but``."""
        return [
            record
            for record in self.frames.values()
            if record.frame_id != but
            and any(topic in topics for topics in record.subscriptions.values())
        ]


def is_email_address(value: str) -> bool:
    return _EMAIL_ADDRESS.match(value) is not None


class QueuedItem(msgspec.Struct, kw_only=True):
    """An interaction waiting in a queue for a ready agent (it survives a restart)."""

    item_id: str
    queue: str
    media: str  # voice, email, chat
    sender: str
    enqueued_at: float
    user_data: dict[str, Any] = msgspec.field(default_factory=dict)
    dnis: str | None = None
    subject: str | None = None
    body: str | None = None
    message: str | None = None
    call_uuid: str | None = None
    chat_id: str | None = None
    # Agents who rejected it (interaction.reject) → until when it is not offered to them again.
    declined: dict[str, float] = msgspec.field(default_factory=dict)
