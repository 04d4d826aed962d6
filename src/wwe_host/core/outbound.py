"""The outbound campaigns' live state and what the administrator does with them: load,
start, stop, unload, read records and outcomes; reschedules that come due (timers).

The book (domain/outbound.py) changes only inside operations, which record the whole
new records in ``fx.outbound``; the runner commits them with everything else. This part
keeps the durable copy of each record: a failed commit puts the book back to it
(docs/architecture.md, "A failed commit changes nothing").

With several processes every process keeps the whole book: the outbound state is one
versioned unit in the store (a commit made on an older version is refused, and the
operation runs again on the state as stored), each commit's outbound changes travel with
its message on the bus, and a process that finds itself behind takes the state as stored
(docs/architecture.md, "Several processes").
"""

from __future__ import annotations

import uuid
from typing import Any

from ..domain import previews
from ..domain.effects import Effects
from ..domain.model import AgentSession
from ..domain.outbound import (
    BUILT_IN_CALL_RESULTS,
    LOADED,
    PREVIEW,
    RUNNING,
    SCHEDULED,
    STOPPED,
    Book,
    CallResult,
    Campaign,
    CampaignRecord,
    OutboundChanges,
)
from ..errors import ApiError, ErrorCode
from ..store.base import (
    Changes,
    OutboundState,
    decode_campaign,
    decode_campaign_record,
    encode_record,
)
from .ports import Message
from .runner import Runner
from .state import CoreState

TIMER_KIND = "outbound"
# How long a process that claimed a reschedule coming due holds it (the others skip it).
CLAIM_SECONDS = 60.0
# A commit that wrote more records than this (a campaign loaded) tells the other processes
# only its version: they read the state from the store rather than a message of megabytes.
RECORDS_SENT_MAX = 500


def _new_id() -> str:
    return str(uuid.uuid4())


class Outbound:
    """The campaigns of this process: the book, its durable copy, the due timers."""

    def __init__(self, state: CoreState, runner: Runner) -> None:
        self.state = state
        self.runner = runner
        self.book = Book(_new_id)
        self._campaigns: dict[str, bytes] = {}
        self._records: dict[tuple[str, int], bytes] = {}
        self._do_not_call: set[str] = set()
        commits = runner.commits
        previous, written = commits.on_failure, commits.on_written

        def failed(batch: Changes, problem: BaseException) -> None:
            if previous is not None:
                previous(batch, problem)
            if batch.outbound:
                self._rollback(batch.outbound)

        def kept(batch: Changes) -> None:
            if written is not None:
                written(batch)
            if batch.outbound:
                self._kept(batch.outbound)

        commits.on_failure, commits.on_written = failed, kept
        runner.outbound = self

    # --- durable copy ---------------------------------------------------------------------

    def changes(self, fx: Effects) -> OutboundChanges:
        """Where an operation records its outbound changes (they are durable, and this
        part's copy of them kept, once its batch is written)."""
        return fx.outbound

    def _kept(self, out: OutboundChanges) -> None:
        for name in out.unloaded:
            self._campaigns.pop(name, None)
            self._records = {k: v for k, v in self._records.items() if k[0] != name}
        self._campaigns.update((n, encode_record(c)) for n, c in out.campaigns.items())
        self._records.update((k, encode_record(r)) for k, r in out.records.items())
        for phone, on in out.do_not_call.items():
            (self._do_not_call.add if on else self._do_not_call.discard)(phone)

    def _rollback(self, out: OutboundChanges) -> None:
        book = self.book
        for name in out.unloaded | set(out.campaigns):
            data = self._campaigns.get(name)
            if data is None:
                book.campaigns.pop(name, None)
            else:
                book.campaigns[name] = decode_campaign(data)
        keys = set(out.records) | {k for k in self._records if k[0] in out.unloaded}
        for key in keys:
            stored = self._records.get(key)
            if stored is None:
                book.records.pop(key, None)
            else:
                book.records[key] = decode_campaign_record(stored)
        for phone in out.do_not_call:
            if phone in self._do_not_call:
                book.do_not_call.add(phone)
            else:
                book.do_not_call.discard(phone)

    async def load(self) -> None:
        """Take the campaigns as stored (at start) and arm the reschedules' timers."""
        self._take(await self.state.store.load_outbound())

    def _take(self, stored: OutboundState) -> None:
        """Make ``stored`` the book and its durable copy (in place: the book object is
        held by whoever reads it) and arm the timers of its reschedules."""
        book = self.book
        book.campaigns = {c.name: c for c in stored.campaigns}
        book.records = {r.key: r for r in stored.records}
        book.do_not_call = set(stored.do_not_call)
        self._campaigns = {c.name: encode_record(c) for c in stored.campaigns}
        self._records = {r.key: encode_record(r) for r in stored.records}
        self._do_not_call = set(stored.do_not_call)
        self.runner.commits.outbound_version = stored.version
        for record in stored.records:
            if record.status == SCHEDULED and record.due_at is not None:
                self._arm(record.key, record.due_at)

    # --- several processes (core/runner.py Mirrored) --------------------------------------

    def published(self, batch: Changes) -> Message:
        """What ``batch`` wrote of the outbound state, whole, and the version it made."""
        out = batch.outbound
        if len(out.records) > RECORDS_SENT_MAX:
            return {"version": batch.outbound_version + 1, "fromStore": True}
        return {
            "version": batch.outbound_version + 1,
            "campaigns": [encode_record(c).decode() for c in out.campaigns.values()],
            "unloaded": sorted(out.unloaded),
            "records": [encode_record(r).decode() for r in out.records.values()],
            "doNotCall": out.do_not_call,
        }

    def take_remote(self, part: Message) -> None:
        """Another process wrote the outbound state: take its changes when they come right
        after the version held here; an older or repeated one is ignored; after a gap
        (a message lost), or when the message says so (too many records to send), take the
        state as stored. Changes of this process not yet
        durable are never overwritten: their commit names the old version, is refused,
        and runs again on the state as stored."""
        commits = self.runner.commits
        version, held = int(part["version"]), commits.outbound_version
        if version <= held or commits.outbound_pending():
            return
        if version > held + 1 or part.get("fromStore"):
            self.state.spawn(self.refresh())
            return
        changes = OutboundChanges(
            campaigns={c.name: c for c in map(decode_campaign, part["campaigns"])},
            unloaded=set(part["unloaded"]),
            records={r.key: r for r in map(decode_campaign_record, part["records"])},
            do_not_call=dict(part["doNotCall"]),
        )
        book = self.book
        for name in changes.unloaded:
            book.campaigns.pop(name, None)
            book.records = {k: r for k, r in book.records.items() if k[0] != name}
            self._cancel_timers(name)
        book.campaigns.update(changes.campaigns)
        book.records.update(changes.records)
        for phone, on in changes.do_not_call.items():
            (book.do_not_call.add if on else book.do_not_call.discard)(phone)
        self._kept(changes)
        for record in changes.records.values():
            if record.status == SCHEDULED and record.due_at is not None:
                self._arm(record.key, record.due_at)
        commits.outbound_version = version

    async def caught_up(self) -> None:
        """With several processes, before an administrator's read or command: what was
        done a moment ago through another process may not be mirrored here yet."""
        if self.state.bus.shared:
            await self.refresh()

    async def refresh(self) -> None:
        """Take the outbound state as stored when it is newer than the one held here and
        this process has no outbound change on its way to the store."""
        commits, store = self.runner.commits, self.state.store
        if commits.outbound_pending() or await store.outbound_version() <= commits.outbound_version:
            return
        stored = await store.load_outbound()
        if commits.outbound_pending() or stored.version <= commits.outbound_version:
            return
        self._take(stored)

    # --- reschedules ----------------------------------------------------------------------

    def shown(self, fx: Effects, record: CampaignRecord) -> bool:
        """Whether the record's preview is in its agent's session. With several processes
        the copy here may be a moment behind the store (a preview shown through another
        process): a "no" is noted in ``fx`` as relied on, so that the commit is refused if
        the session is not so in the store, and the operation runs again on it."""
        username = record.agent or ""
        session = self.state.live_session(username)
        if session is not None and record.interaction_id in session.interactions:
            return True
        if self.state.bus.shared:
            session_id = session.session_id if session is not None else None
            version = self.runner.commits.versions.get(session_id or "", 0)
            fx.relied_on.append((username, session_id, version))
        return False

    def arm_due(self, record: CampaignRecord) -> None:
        key, due = record.key, record.due_at
        if due is not None:
            self.state.after_commit(lambda: self._arm(key, due))

    def _arm(self, key: tuple[str, int], due: float) -> None:
        timers = self.state.timers
        name = f"{key[0]}:{key[1]}"
        old = timers.pop((TIMER_KIND, name), None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            timers.pop((TIMER_KIND, name), None)
            self.state.spawn(self._came_due(key, due))

        timers[(TIMER_KIND, name)] = self.state.scheduler.call_at(due, fire)

    async def _came_due(self, key: tuple[str, int], due: float) -> None:
        """Offer a record that came due again; every process armed the timer, the first
        to claim it runs it (core/ports.py EventBus.claim)."""
        if not await self.state.bus.claim(f"outbound:{key[0]}:{key[1]}:{due}", CLAIM_SECONDS):
            return

        def offer(fx: Effects) -> None:
            record = self.book.records.get(key)
            if record is None or record.status != SCHEDULED or record.due_at != due:
                return
            campaign = self.book.campaigns.get(record.campaign)
            if campaign is None:
                return
            self.changes(fx)
            for session in self._sessions(campaign):
                if record.personal in (None, session.username):
                    previews.tell(fx, session, "RECORD_DUE", campaign=campaign)
                    previews.offer_push(fx, self.book, session, self.state.now(), self.shown)

        await self.runner.run(offer)

    def _sessions(self, campaign: Campaign) -> list[AgentSession]:
        found = (self.state.live_session(name) for name in campaign.agents)
        return [s for s in found if s is not None]

    # --- the administrator's commands ----------------------------------------------------

    def views(self) -> list[dict[str, Any]]:
        """Every configured or loaded campaign with its status (``UNLOADED``: not loaded)
        and how many records it has in each status."""
        names = list(dict.fromkeys([*self.state.config.campaigns, *self.book.campaigns]))
        return [self.view(name) for name in names]

    def view(self, name: str) -> dict[str, Any]:
        campaign = self.book.campaigns.get(name)
        configured = self.state.config.campaigns.get(name)
        if campaign is None:
            if configured is None:
                raise ApiError(ErrorCode.NOT_FOUND, f"Unknown campaign '{name}'.")
            return {
                "name": name,
                "mode": configured.mode,
                "status": "UNLOADED",
                "agents": list(configured.agents),
                "records": {},
            }
        counts: dict[str, int] = {}
        for record in self.book.records_of(name):
            counts[record.status] = counts.get(record.status, 0) + 1
        return {**campaign.view(), "agents": list(campaign.agents), "records": counts}

    def records(self, name: str) -> list[dict[str, Any]]:
        self.book.campaign(name)
        dnc = self.book.do_not_call
        return [
            {
                "recordHandle": r.handle,
                "phone": r.phone,
                "chain": r.chain,
                "fields": dict(r.fields),
                "status": r.status,
                "agent": r.agent,
                "dueAt": r.due_at,
                "personal": r.personal is not None,
                "callResult": None
                if r.call_result is None
                else {"name": r.call_result.name, "code": r.call_result.code},
                "attempts": r.attempts,
                "doNotCall": r.phone in dnc,
            }
            for r in self.book.records_of(name)
        ]

    async def command(self, name: str, action: str) -> dict[str, Any]:
        """``load``, ``start``, ``stop`` or ``unload`` the campaign; its view after."""
        operation = {
            "load": self._load,
            "start": self._start,
            "stop": self._stop,
            "unload": self._unload,
        }[action]
        await self.caught_up()
        await self.runner.run(lambda fx: operation(fx, name))
        return self.view(name)

    def _loaded(self, name: str) -> Campaign:
        campaign = self.book.campaigns.get(name)
        if campaign is None:
            if name not in self.state.config.campaigns:
                raise ApiError(ErrorCode.NOT_FOUND, f"Unknown campaign '{name}'.")
            raise ApiError(ErrorCode.INVALID_STATE, f"Campaign '{name}' is not loaded.")
        return campaign

    def _status(self, fx: Effects, campaign: Campaign, status: str, event: str) -> None:
        campaign.status = status
        self.book.put_campaign(self.changes(fx), campaign)
        for session in self._sessions(campaign):
            previews.tell(fx, session, event, campaign=campaign)

    def _load(self, fx: Effects, name: str) -> None:
        configured = self.state.config.campaigns.get(name)
        if configured is None:
            raise ApiError(
                ErrorCode.NOT_FOUND,
                f"Unknown campaign '{name}': no [campaign:{name}] in the configuration.",
            )
        if name in self.book.campaigns:
            raise ApiError(ErrorCode.INVALID_STATE, f"Campaign '{name}' is loaded already.")
        now = self.state.now()
        results = (
            [CallResult(n, c) for n, c in configured.call_results]
            if configured.call_results
            else list(BUILT_IN_CALL_RESULTS)
        )
        campaign = Campaign(
            name=name,
            mode=configured.mode,
            status=LOADED,
            agents=list(configured.agents),
            call_results=results,
            loaded_at=now,
        )
        records = [
            CampaignRecord(
                campaign=name,
                handle=index,
                phone=row.phone,
                chain=row.chain,
                fields=dict(row.fields),
            )
            for index, row in enumerate(configured.rows, start=1)
        ]
        self.book.load(self.changes(fx), campaign, records)
        for session in self._sessions(campaign):
            previews.tell(fx, session, "CAMPAIGN_LOADED", campaign=campaign)

    def _start(self, fx: Effects, name: str) -> None:
        campaign = self._loaded(name)
        if campaign.status == RUNNING:
            raise ApiError(ErrorCode.INVALID_STATE, f"Campaign '{name}' is running already.")
        self._status(fx, campaign, RUNNING, "CAMPAIGN_STARTED")
        for session in self._sessions(campaign):
            previews.offer_push(fx, self.book, session, self.state.now(), self.shown)

    def _stop(self, fx: Effects, name: str) -> None:
        campaign = self._loaded(name)
        if campaign.status != RUNNING:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Campaign '{name}' is {campaign.status}, not RUNNING."
            )
        self._status(fx, campaign, STOPPED, "CAMPAIGN_STOPPED")

    def _unload(self, fx: Effects, name: str) -> None:
        campaign = self._loaded(name)
        if campaign.status == RUNNING:
            raise ApiError(ErrorCode.INVALID_STATE, f"Campaign '{name}' is RUNNING: stop it first.")
        if any(r.status == PREVIEW and self.shown(fx, r) for r in self.book.records_of(name)):
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Campaign '{name}' has records shown to agents: they must close them first.",
            )
        for session in self._sessions(campaign):
            previews.tell(fx, session, "CAMPAIGN_UNLOADED", campaign=campaign)
        self.book.unload(self.changes(fx), name)
        self.state.after_commit(lambda: self._cancel_timers(name))

    def _cancel_timers(self, name: str) -> None:
        """The reschedules of an unloaded campaign will not come due."""
        for record_key in [k for k in self.state.timers if k[0] == TIMER_KIND]:
            if record_key[1].rpartition(":")[0] == name:
                self.state.timers.pop(record_key).cancel()
