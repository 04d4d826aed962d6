"""Outbound records shown to agents: the preview interaction (media ``outboundpreview``,
state ``PREVIEW``), push-preview offers and the ``outbound`` topic's events. No I/O: the
campaigns' state is the ``Book`` (domain/outbound.py); what changed goes in ``fx``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ApiError, ErrorCode
from . import operations as ops
from .effects import Effects
from .model import AgentSession, Interaction
from .outbound import PREVIEW, RUNNING, Book, Campaign, CampaignRecord
from .views import interaction_view

PREVIEW_MEDIA = "outboundpreview"
PREVIEW_STATE = "PREVIEW"


def tell(
    fx: Effects,
    session: AgentSession,
    event_type: str,
    *,
    campaign: Campaign | None = None,
    interaction: Interaction | None = None,
) -> None:
    """An ``outbound`` event: ``{eventType, campaign?, interaction?}``."""
    data: dict[str, Any] = {"eventType": event_type}
    if campaign is not None:
        data["campaign"] = campaign.view()
    if interaction is not None:
        data["interaction"] = interaction_view(session, interaction)
    fx.notify(session, "outbound", data)


def record_of(book: Book, session: AgentSession, interaction_id: str) -> CampaignRecord:
    """The record an interaction of this agent holds (its preview, or the call dialled)."""
    ops.get_interaction(session, interaction_id)  # NOT_FOUND for an unknown id
    record = book.of_interaction(session.username, interaction_id)
    if record is None:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Interaction '{interaction_id}' holds no outbound record.",
        )
    return record


def preview_interaction(session: AgentSession, record: CampaignRecord) -> Interaction | None:
    if record.interaction_id is None:
        return None
    return session.interactions.get(record.interaction_id)


def show_preview(
    fx: Effects, book: Book, session: AgentSession, record: CampaignRecord, now: float
) -> Interaction:
    """The record becomes this agent's preview: a preview interaction appears."""
    campaign = book.campaign(record.campaign)
    preview = Interaction(
        interaction_id=session.new_interaction_id(),
        uuid=book.new_id(),
        media=PREVIEW_MEDIA,
        case_id=book.new_id(),
        state=PREVIEW_STATE,
        created_at=now,
        parties=[record.phone],
        user_data={"GSW_CAMPAIGN_NAME": campaign.name, "GSW_PHONE": record.phone},
    )
    record.status = PREVIEW
    record.agent = session.username
    record.interaction_id = preview.interaction_id
    record.call_interaction_id = None
    record.attempts += 1
    book.put(fx.outbound, record, now)
    ops.add_interaction(fx, session, preview, PREVIEW_STATE)
    tell(fx, session, "RECORD_RECEIVED", campaign=campaign, interaction=preview)
    return preview


def remove_preview(fx: Effects, session: AgentSession, preview: Interaction) -> None:
    """The preview leaves the desktop (rejected or cancelled): no mark done needed, and no
    frame's mark-done block holds it back."""
    preview.markdone_blocks = {}
    ops.mark_done(fx, session, preview)


def has_open_preview(book: Book, session: AgentSession, campaign: str) -> bool:
    return any(
        r.campaign == campaign
        and r.status == PREVIEW
        and r.agent == session.username
        and r.interaction_id in session.interactions
        for r in book.records.values()
    )


Shown = Callable[[Effects, CampaignRecord], bool]
"""Whether a record in PREVIEW is still shown: its agent's session holds its preview (the
operation in ``fx`` decides on that session: core/outbound.py notes it there)."""


def release_stale(fx: Effects, book: Book, shown: Shown, now: float) -> None:
    """Records whose preview is gone (marked done without a call, reject or cancel, or the
    agent's session ended) return to their campaign."""
    for record in list(book.records.values()):
        if record.status == PREVIEW and not shown(fx, record):
            book.return_to_campaign(fx.outbound, record)
            book.put(fx.outbound, record, now)


def offer_push(
    fx: Effects, book: Book, session: AgentSession, now: float, shown: Shown
) -> list[Interaction]:
    """An agent in push-preview mode gets the next due record of each running push-preview
    campaign of theirs where no preview of theirs is open."""
    if not session.outbound_push:
        return []
    release_stale(fx, book, shown, now)
    offered: list[Interaction] = []
    for campaign in book.campaigns_of(session.username):
        if campaign.mode != "push-preview" or campaign.status != RUNNING:
            continue
        if has_open_preview(book, session, campaign.name):
            continue
        record = book.next_due(campaign, session.username, now)
        if record is not None:
            offered.append(show_preview(fx, book, session, record, now))
    return offered
