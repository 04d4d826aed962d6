"""Simulated outbound campaigns: campaigns, their records, call results and the do-not-call
list, as plain data with no I/O (docs/simulator.md, "Outbound campaigns").

The live state is a ``Book``; every change goes through one of its methods, which also
records the whole new record in an ``OutboundChanges`` (the commit writes it with everything
else the operation changed, so a failed commit changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from ..errors import ApiError, ErrorCode

MODES = ("preview", "push-preview")
# A campaign's status as api-9.md names it.
LOADED, RUNNING, STOPPED = "LOADED", "RUNNING", "STOPPED"

# A record's status (ours): READY waits in the campaign; PREVIEW is shown to an agent;
# CALLED was dialled; SCHEDULED is due again at ``due_at``; CANCELLED was closed without a
# call; DONE was closed after a call whose reschedule was cancelled.
READY, PREVIEW, CALLED, SCHEDULED, CANCELLED, DONE = (
    "READY",
    "PREVIEW",
    "CALLED",
    "SCHEDULED",
    "CANCELLED",
    "DONE",
)


class CallResult(msgspec.Struct):
    name: str
    code: int


# The built-in call results (docs/simulator.md): fixed codes, never renumbered.
BUILT_IN_CALL_RESULTS: tuple[CallResult, ...] = (
    CallResult("Answer", 33),
    CallResult("Busy", 6),
    CallResult("No Answer", 7),
    CallResult("Answering Machine", 9),
    CallResult("Fax", 17),
    CallResult("Do Not Call", 51),
    CallResult("Wrong Party", 52),
    CallResult("Cancel Record", 53),
)


class Campaign(msgspec.Struct, kw_only=True):
    """A loaded campaign: what its configuration said when it was loaded, and its status."""

    name: str
    mode: str
    status: str
    agents: list[str]
    call_results: list[CallResult]
    loaded_at: float
    next_seq: int = 1  # the order a record returned to the campaign takes

    def view(self) -> dict[str, str]:
        return {"name": self.name, "mode": self.mode, "status": self.status}


class CampaignRecord(msgspec.Struct, kw_only=True):
    """One customer record of a campaign (a CSV row)."""

    campaign: str
    handle: int
    phone: str
    chain: str
    fields: dict[str, str]
    status: str = READY
    seq: int = 0
    agent: str | None = None  # who holds it (PREVIEW), or last held it
    interaction_id: str | None = None  # the preview interaction in that agent's session
    call_interaction_id: str | None = None
    due_at: float | None = None
    personal: str | None = None  # a Personal reschedule: only this agent
    call_result: CallResult | None = None
    attempts: int = 0
    updated_at: float = 0.0

    @property
    def key(self) -> tuple[str, int]:
        return (self.campaign, self.handle)


def _copy_record(record: CampaignRecord) -> CampaignRecord:
    """A snapshot to write: later changes of the live record belong to a later commit."""
    return msgspec.structs.replace(record, fields=dict(record.fields))


def _copy_campaign(campaign: Campaign) -> Campaign:
    return msgspec.structs.replace(
        campaign, agents=list(campaign.agents), call_results=list(campaign.call_results)
    )


@dataclass(slots=True)
class OutboundChanges:
    """Whole records to write: campaigns (upserted), unloaded campaigns (with their records),
    records (upserted) and do-not-call changes (phone → on the list or not)."""

    campaigns: dict[str, Campaign] = field(default_factory=dict)
    unloaded: set[str] = field(default_factory=set)
    records: dict[tuple[str, int], CampaignRecord] = field(default_factory=dict)
    do_not_call: dict[str, bool] = field(default_factory=dict)

    def merge(self, other: OutboundChanges) -> None:
        for name in other.unloaded:
            self.campaigns.pop(name, None)
            self.records = {k: r for k, r in self.records.items() if k[0] != name}
        self.unloaded |= other.unloaded
        self.campaigns.update(other.campaigns)
        self.records.update(other.records)
        self.do_not_call.update(other.do_not_call)

    def __bool__(self) -> bool:
        return bool(self.campaigns or self.unloaded or self.records or self.do_not_call)


class Book:
    """The outbound campaigns as they are now: loaded campaigns, their records, the
    do-not-call list. Each change is recorded in the ``OutboundChanges`` it is given."""

    def __init__(self, new_id: Callable[[], str]) -> None:
        self.new_id = new_id  # a new interaction's uuid and case id
        self.campaigns: dict[str, Campaign] = {}
        self.records: dict[tuple[str, int], CampaignRecord] = {}
        self.do_not_call: set[str] = set()

    # --- reads ---------------------------------------------------------------------------

    def campaign(self, name: str) -> Campaign:
        found = self.campaigns.get(name)
        if found is None:
            raise ApiError(ErrorCode.NOT_FOUND, f"Unknown campaign '{name}' (not loaded).")
        return found

    def campaigns_of(self, username: str) -> list[Campaign]:
        return [c for c in self.campaigns.values() if username in c.agents]

    def records_of(self, campaign: str) -> list[CampaignRecord]:
        return sorted(
            (r for r in self.records.values() if r.campaign == campaign), key=lambda r: r.handle
        )

    def chain(self, record: CampaignRecord) -> list[CampaignRecord]:
        return [r for r in self.records_of(record.campaign) if r.chain == record.chain]

    def of_interaction(self, username: str, interaction_id: str) -> CampaignRecord | None:
        """The record a preview (or the call dialled from it) of this agent holds."""
        for record in self.records.values():
            if record.agent == username and interaction_id in (
                record.interaction_id,
                record.call_interaction_id,
            ):
                return record
        return None

    def is_due(self, record: CampaignRecord, username: str, now: float) -> bool:
        if record.phone in self.do_not_call:
            return False
        if record.status == READY:
            return True
        return (
            record.status == SCHEDULED
            and record.due_at is not None
            and record.due_at <= now
            and record.personal in (None, username)
        )

    def next_due(self, campaign: Campaign, username: str, now: float) -> CampaignRecord | None:
        """The next record the agent may take: due, not on the do-not-call list, the chain's
        first such record, in the campaign's order (due time, then order of return)."""
        due = [r for r in self.records.values() if r.campaign == campaign.name]
        due = [r for r in due if self.is_due(r, username, now)]
        if not due:
            return None
        # Callbacks that came due first (earliest first), then the campaign's own order.
        return min(due, key=lambda r: (r.status != SCHEDULED, r.due_at or 0.0, r.seq, r.handle))

    def call_results(self, username: str) -> list[CallResult]:
        """The call results of the agent's campaigns (the built-in list without any)."""
        found: dict[str, CallResult] = {}
        for campaign in self.campaigns_of(username) or ():
            for result in campaign.call_results:
                found.setdefault(result.name, result)
        return list(found.values()) or list(BUILT_IN_CALL_RESULTS)

    # --- changes -------------------------------------------------------------------------

    def put_campaign(self, changes: OutboundChanges, campaign: Campaign) -> None:
        self.campaigns[campaign.name] = campaign
        changes.campaigns[campaign.name] = _copy_campaign(campaign)

    def put(self, changes: OutboundChanges, record: CampaignRecord, now: float) -> None:
        """Keep ``record`` as it is now, and record a snapshot of it to write."""
        record.updated_at = now
        self.records[record.key] = record
        changes.records[record.key] = _copy_record(record)

    def load(
        self,
        changes: OutboundChanges,
        campaign: Campaign,
        records: list[CampaignRecord],
    ) -> None:
        self.put_campaign(changes, campaign)
        for record in records:
            self.put(changes, record, campaign.loaded_at)

    def unload(self, changes: OutboundChanges, name: str) -> None:
        self.campaigns.pop(name, None)
        self.records = {k: r for k, r in self.records.items() if k[0] != name}
        changes.merge(OutboundChanges(unloaded={name}))

    def set_do_not_call(self, changes: OutboundChanges, phone: str, on: bool) -> None:
        if on:
            self.do_not_call.add(phone)
        else:
            self.do_not_call.discard(phone)
        changes.do_not_call[phone] = on

    def return_to_campaign(self, changes: OutboundChanges, record: CampaignRecord) -> None:
        """The record waits again, after those waiting now."""
        campaign = self.campaigns.get(record.campaign)
        if campaign is not None:
            record.seq = campaign.next_seq
            campaign.next_seq += 1
            changes.campaigns[campaign.name] = _copy_campaign(campaign)
        record.status = READY
        record.interaction_id = None
        record.due_at = None
        record.personal = None
