"""Where the engine keeps what must survive a restart, behind one small interface.

The engine hands over everything one operation changed in a single ``Changes``; a store
commits it atomically before the engine lets any reply leave. SQLite is the embedded
default; PostgreSQL implements the same methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import msgspec

from ..domain.model import AgentSession, QueuedItem

encode_session = msgspec.msgpack.Encoder().encode
"""A session record as the store keeps it (one codec for every store and the engine)."""
decode_session = msgspec.msgpack.Decoder(AgentSession).decode

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


@dataclass(slots=True)
class Changes:
    sessions: list[AgentSession] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    queued: list[QueuedItem] = field(default_factory=list)
    dequeued: list[str] = field(default_factory=list)
    outbox_status: list[tuple[str, str]] = field(default_factory=list)  # (messageId, status)
    # The sessions encoded when the batch was handed to the store: exactly what is written,
    # and what becomes the durable copy once the commit succeeds (GroupCommit fills it).
    frozen: dict[str, bytes] = field(default_factory=dict)

    def freeze(self) -> None:
        """Encode the sessions as they are now; later changes to the live objects belong
        to a later commit."""
        self.frozen = {s.session_id: encode_session(s) for s in self.sessions}

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
        for name in ("ended", "outbox", "audit", "queued", "dequeued", "outbox_status"):
            getattr(self, name).extend(getattr(other, name))

    def __bool__(self) -> bool:
        return bool(
            self.sessions or self.ended or self.outbox or self.audit or self.queued or self.dequeued
        )


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def load_sessions(self) -> list[AgentSession]: ...

    async def load_queue(self) -> list[QueuedItem]: ...

    async def commit(self, changes: Changes) -> None:
        """Write all of ``changes`` or nothing; return only once it is durable. A store
        that cannot write raises ``StoreError`` (store/health.py)."""
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

    async def save_signing_key(self, pem: bytes) -> None:
        """Keep the JWT signing key (PEM), replacing any kept before."""
        ...
