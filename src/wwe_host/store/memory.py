"""The in-memory store: the Store port without a file, for unit tests and throwaway demos.

It keeps what a real store keeps — encoded records, not the live objects — so a session
loaded from it is a copy, as from SQLite, and a commit is all or nothing.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import msgspec

from ..domain.model import AgentSession, QueuedItem
from .base import AuditEntry, AuditRow, Changes, decode_session
from .health import StoreError

_encode_item = msgspec.msgpack.Encoder().encode
_decode_item = msgspec.msgpack.Decoder(QueuedItem).decode


class MemoryStore:
    """Everything in process memory; lost when the process ends."""

    def __init__(self) -> None:
        self.sessions: dict[str, bytes] = {}
        self.queue: dict[str, bytes] = {}  # insertion order is the queue's order
        self.mail: list[dict[str, Any]] = []
        self.audit_rows: list[AuditRow] = []
        self.key: bytes | None = None
        self.is_open = False

    async def open(self) -> None:
        self.is_open = True

    async def close(self) -> None:
        self.is_open = False

    async def load_sessions(self) -> list[AgentSession]:
        return [decode_session(data) for data in self.sessions.values()]

    async def load_queue(self) -> list[QueuedItem]:
        return [_decode_item(data) for data in self.queue.values()]

    async def probe(self) -> None:
        if not self.is_open:
            raise StoreError("the in-memory store is not open")

    async def prune_audit(self, *, before: float | None = None, keep: int | None = None) -> int:
        rows = self.audit_rows
        kept = rows if before is None else [row for row in rows if row[0] >= before]
        if keep is not None:
            kept = kept[max(0, len(kept) - keep) :]
        self.audit_rows = kept
        return len(rows) - len(kept)

    async def signing_key(self) -> bytes | None:
        return self.key

    async def save_signing_key(self, pem: bytes) -> None:
        if not self.is_open:
            raise StoreError("the in-memory store is not open")
        self.key = bytes(pem)

    async def commit(self, changes: Changes) -> None:
        if not self.is_open:
            raise StoreError("the in-memory store is not open")
        # Build every new value first, then swap them in: nothing half-written.
        sessions = dict(self.sessions)
        for session in changes.sessions:
            sessions[session.session_id] = changes.record(session)
        for session_id in changes.ended:
            sessions.pop(session_id, None)
        queue = dict(self.queue)
        for item in changes.queued:
            queue.pop(item.item_id, None)
            queue[item.item_id] = _encode_item(item)
        for item_id in changes.dequeued:
            queue.pop(item_id, None)
        mail = [*self.mail, *(json.loads(json.dumps(m)) for m in changes.outbox)]
        statuses = dict(changes.outbox_status)
        if statuses:
            mail = [
                {**m, "status": statuses[m["messageId"]]} if m.get("messageId") in statuses else m
                for m in mail
            ]
        self.sessions, self.queue, self.mail = sessions, queue, mail
        self.audit_rows.extend(changes.audit)

    async def outbox(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self.mail)

    async def audit(
        self, *, agent: str | None = None, outcome: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        found: list[AuditEntry] = []
        for row in reversed(self.audit_rows):
            entry = AuditEntry(*row)
            if agent is not None and entry.agent != agent:
                continue
            if outcome is not None and not (
                entry.outcome == outcome or entry.outcome.startswith(outcome + ":")
            ):
                continue
            found.append(entry)
            if len(found) >= limit:
                break
        return found[::-1]
