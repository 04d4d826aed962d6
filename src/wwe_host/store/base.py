"""Where the engine keeps what must survive a restart, behind one small interface.

The engine hands over everything one operation changed in a single ``Changes``; a store
commits it atomically before the engine lets any reply leave. SQLite is the embedded
default; PostgreSQL implements the same methods.

The store is the truth: every session record carries a version, a commit names the version
it expects each record to have, and a store refuses the whole commit (``StoreConflict``)
when one record was changed since (by another process): a stale write never overwrites.
Records are JSON (a session, a queued item) and the audit log is rows of JSON arrays, so
any SQL client can query them (no format only Python can read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import msgspec

from ..domain.model import AgentSession, QueuedItem
from ..domain.outbound import Campaign, CampaignRecord, OutboundChanges
from ..errors import ApiError, ErrorCode

encode_session = msgspec.json.Encoder().encode
"""A session record as the store keeps it: JSON (one codec for every store and the engine)."""
decode_session = msgspec.json.Decoder(AgentSession).decode
encode_record = msgspec.json.Encoder().encode
"""Any other record (a queued item, a batch of audit rows) as the store keeps it."""
decode_item = msgspec.json.Decoder(QueuedItem).decode
decode_campaign = msgspec.json.Decoder(Campaign).decode
decode_campaign_record = msgspec.json.Decoder(CampaignRecord).decode

# What the engine records per request: (at, agent, frame, origin, request, outcome, detail,
# duration ms). A plain tuple: it is made for every request.
AuditRow = tuple[float, str, str, str, str, str, str, float]


class AuditEntry(NamedTuple):
    """One frame request in the audit log (a tuple: the store writes it as it is)."""

    at: float
    agent: str
    frame: str
    origin: str
    request: str
    outcome: str  # allowed, failed, refused:<why>, quarantined
    detail: str
    duration_ms: float

    def matches(self, agent: str | None, outcome: str | None) -> bool:
        """``Store.audit``'s filters: the agent, and the outcome or its kind (``refused``
        matches ``refused:filter``)."""
        if agent is not None and self.agent != agent:
            return False
        return outcome is None or self.outcome == outcome or self.outcome.startswith(outcome + ":")


decode_audit = msgspec.json.Decoder(list[AuditRow]).decode
"""One stored audit batch (a JSON array of rows, oldest first)."""


def newest_matching(
    found: list[AuditEntry],
    rows: list[AuditRow],
    agent: str | None,
    outcome: str | None,
    limit: int,
) -> bool:
    """Add to ``found`` the entries of ``rows`` (a batch, oldest first) that pass
    ``Store.audit``'s filters, newest first, until it holds ``limit``; True once it does."""
    for row in reversed(rows):
        entry = AuditEntry(*row)
        if entry.matches(agent, outcome):
            found.append(entry)
            if len(found) >= limit:
                return True
    return False


class StoredSession(NamedTuple):
    """A session record as loaded, with the version the store holds it at (1 = first)."""

    session: AgentSession
    version: int


class OutboundState(NamedTuple):
    """The outbound campaigns as stored (``Store.load_outbound``)."""

    campaigns: list[Campaign]
    records: list[CampaignRecord]
    do_not_call: list[str]
    # How many commits have changed the outbound state (all of it is one versioned unit).
    version: int = 0


class StoreConflict(ApiError):
    """A commit named a version that a session record no longer has: another process
    changed (or ended) it since this one loaded it; or it took a queued item off the queue
    that is not there any more (``queue``); or it changed the outbound campaigns from a
    version they are no longer at (``outbound``). Nothing of the commit was written.

    Not a failure of the store (``/healthz`` stays ok): the writer reloads the records
    named in ``session_ids`` (and the queue, the campaigns) and whoever asked may retry
    (UNAVAILABLE, REST 503)."""

    def __init__(
        self, session_ids: list[str], *, queue: bool = False, outbound: bool = False
    ) -> None:
        super().__init__(
            ErrorCode.UNAVAILABLE,
            "The change conflicted with a newer change of the same session; "
            "nothing was changed. Retry.",
        )
        self.session_ids = session_ids
        self.queue = queue
        self.outbound = outbound

    def __str__(self) -> str:
        stale = [f"session(s) {', '.join(self.session_ids)}"] if self.session_ids else []
        stale += ["queued item(s)"] * self.queue + ["outbound campaigns"] * self.outbound
        return f"stale version of {' and '.join(stale) or 'nothing named'}"


@dataclass(slots=True)
class Changes:
    sessions: list[AgentSession] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    queued: list[QueuedItem] = field(default_factory=list)
    dequeued: list[str] = field(default_factory=list)
    outbox_status: list[tuple[str, str]] = field(default_factory=list)  # (messageId, status)
    # Outbound campaigns (domain/outbound.py): whole records, written in the same commit.
    outbound: OutboundChanges = field(default_factory=OutboundChanges)
    # The version the outbound state is at in the store, as the writer believes: a commit
    # with outbound changes writes it + 1, or is refused as stale (GroupCommit fills it).
    outbound_version: int = 0
    # Sessions the batch decided on without writing them (Effects.relied_on): each must
    # be in the store as named, (user name, session id or None for none, version), or the
    # commit is refused (StoreConflict naming the session).
    relied_on: list[tuple[str, str | None, int]] = field(default_factory=list)
    # The sessions encoded when the batch was handed to the store: exactly what is written,
    # and what becomes the durable copy once the commit succeeds (GroupCommit fills it).
    frozen: dict[str, bytes] = field(default_factory=dict)
    # The version each written or ended session record has in the store now, as the writer
    # believes (0 or absent: not stored yet). The store writes version + 1 (GroupCommit
    # fills it from what it last wrote or loaded).
    versions: dict[str, int] = field(default_factory=dict)

    def freeze(self, versions: dict[str, int] | None = None) -> None:
        """Encode the sessions as they are now; later changes to the live objects belong
        to a later commit. ``versions``: the versions the records are expected to have."""
        self.frozen = {s.session_id: encode_session(s) for s in self.sessions}
        if versions is not None:
            wanted = [s.session_id for s in self.sessions] + self.ended
            self.versions = {sid: versions.get(sid, 0) for sid in wanted}

    def record(self, session: AgentSession) -> bytes:
        """The bytes to store for ``session``: the frozen copy when there is one."""
        data = self.frozen.get(session.session_id)
        return data if data is not None else encode_session(session)

    def merge(self, other: Changes) -> None:
        """Add ``other`` to this batch; a session written twice is written once, as it is
        now (sessions are the live objects), and an ended one is not written at all."""
        ended = set(other.ended)
        known = {s.session_id for s in self.sessions}
        self.sessions = [s for s in self.sessions if s.session_id not in ended]
        self.sessions.extend(
            s for s in other.sessions if s.session_id not in known and s.session_id not in ended
        )
        names = ("ended", "outbox", "audit", "queued", "dequeued", "outbox_status", "relied_on")
        for name in names:
            getattr(self, name).extend(getattr(other, name))
        self.outbound.merge(other.outbound)

    def __bool__(self) -> bool:
        return bool(
            self.sessions
            or self.ended
            or self.outbox
            or self.audit
            or self.queued
            or self.dequeued
            or self.outbound
        )


def unlike_relied_on(
    relied_on: list[tuple[str, str | None, int]], stored: dict[str, tuple[str, int]]
) -> list[str]:
    """The sessions (ids) that are not in the store as ``relied_on`` names them, given what
    the store holds of those agents (user name → session id, version): the ones to reload."""
    stale: list[str] = []
    for username, session_id, version in relied_on:
        now = stored.get(username)
        if now == ((session_id, version) if session_id is not None else None):
            continue
        stale.extend(sid for sid in (session_id, now and now[0]) if sid and sid not in stale)
    return stale


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def load_sessions(self) -> list[StoredSession]:
        """Every stored session with its version (a process starting up warms its cache)."""
        ...

    async def load_session(self, session_id: str) -> StoredSession | None:
        """One session as stored now (after a conflict, the writer takes the truth)."""
        ...

    async def session_versions(self) -> dict[str, int]:
        """Every stored session's version: what a process compares with its cache to find
        what it missed (several processes: docs/architecture.md)."""
        ...

    async def load_session_of(self, username: str) -> StoredSession | None:
        """The agent's session as stored now, if any: one per agent (a second record for
        the same agent is refused as a conflict, as a stale write is)."""
        ...

    async def load_queue(self) -> list[QueuedItem]: ...

    async def commit(self, changes: Changes) -> None:
        """Write all of ``changes`` or nothing; return only once it is durable. A store
        that cannot write raises ``StoreError`` (store/health.py); a record whose version
        is not the one ``changes.versions`` names raises ``StoreConflict`` (nothing is
        written: a record expected at 0 must not exist, one ended must be at its version),
        and so do a dequeued item that is not queued (after the batch's own ``queued``)
        and outbound changes made on another version than ``changes.outbound_version``."""
        ...

    async def outbox(self) -> list[dict[str, Any]]: ...

    async def audit(
        self, *, agent: str | None = None, outcome: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]: ...

    async def probe(self) -> None:
        """A tiny write; raise ``StoreError`` when the store cannot write."""
        ...

    async def prune_audit(self, *, before: float | None = None, keep: int | None = None) -> int:
        """Remove audit entries older than ``before`` and beyond the newest ``keep``;
        return how many (a row is one audited request)."""
        ...

    async def signing_key(self) -> bytes | None:
        """The JWT signing key (PEM) kept by ``save_signing_key``, or None."""
        ...

    async def load_outbound(self) -> OutboundState:
        """The loaded campaigns, their records and the do-not-call list, as stored, with
        their version (one consistent snapshot)."""
        ...

    async def outbound_version(self) -> int:
        """The outbound state's version (a process compares it with its mirror's)."""
        ...

    async def save_signing_key(self, pem: bytes) -> bytes:
        """Keep ``pem`` as the JWT signing key unless one is kept already (processes that
        start together may each make one); return the key kept, which everyone uses."""
        ...
