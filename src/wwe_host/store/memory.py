"""The in-memory store: the Store port without a file, for unit tests and throwaway demos.

It keeps what a real store keeps — encoded records, not the live objects — so a session
loaded from it is a copy, as from SQLite, and a commit is all or nothing.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ..domain.model import QueuedItem
from .base import (
    AuditEntry,
    AuditRow,
    Changes,
    OutboundState,
    StoreConflict,
    StoredSession,
    decode_campaign,
    decode_campaign_record,
    decode_item,
    decode_session,
    encode_record,
    newest_matching,
    unlike_relied_on,
)
from .health import StoreError


class MemoryStore:
    """Everything in process memory; lost when the process ends."""

    def __init__(self) -> None:
        self.sessions: dict[str, tuple[bytes, int]] = {}  # id → (record, version)
        self.queue: dict[str, bytes] = {}  # insertion order is the queue's order
        self.mail: list[dict[str, Any]] = []
        self.audit_rows: list[AuditRow] = []
        self.key: bytes | None = None
        self.campaigns: dict[str, bytes] = {}
        self.records: dict[tuple[str, int], bytes] = {}
        self.do_not_call: dict[str, None] = {}  # insertion order: the order they were added
        self.outbound_at = 0  # the outbound state's version
        self.is_open = False

    async def open(self) -> None:
        self.is_open = True

    async def close(self) -> None:
        self.is_open = False

    async def load_sessions(self) -> list[StoredSession]:
        return [StoredSession(decode_session(d), v) for d, v in self.sessions.values()]

    async def load_session(self, session_id: str) -> StoredSession | None:
        found = self.sessions.get(session_id)
        return None if found is None else StoredSession(decode_session(found[0]), found[1])

    async def session_versions(self) -> dict[str, int]:
        return {session_id: version for session_id, (_, version) in self.sessions.items()}

    async def load_session_of(self, username: str) -> StoredSession | None:
        for data, version in self.sessions.values():
            session = decode_session(data)
            if session.username == username:
                return StoredSession(session, version)
        return None

    async def load_queue(self) -> list[QueuedItem]:
        return [decode_item(data) for data in self.queue.values()]

    async def load_outbound(self) -> OutboundState:
        return OutboundState(
            [decode_campaign(data) for data in self.campaigns.values()],
            [decode_campaign_record(self.records[key]) for key in sorted(self.records)],
            list(self.do_not_call),
            self.outbound_at,
        )

    async def outbound_version(self) -> int:
        return self.outbound_at

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

    async def save_signing_key(self, pem: bytes) -> bytes:
        if not self.is_open:
            raise StoreError("the in-memory store is not open")
        if self.key is None:
            self.key = bytes(pem)
        return self.key

    async def commit(self, changes: Changes) -> None:
        if not self.is_open:
            raise StoreError("the in-memory store is not open")
        # Build every new value first, then swap them in: nothing half-written.
        sessions = dict(self.sessions)
        stale = []
        if changes.relied_on:
            agents = {
                decode_session(data).username: (sid, version)
                for sid, (data, version) in sessions.items()
            }
            stale = unlike_relied_on(changes.relied_on, agents)
        for session in changes.sessions:
            expected = changes.versions.get(session.session_id, 0)
            stored = sessions.get(session.session_id)
            if (stored[1] if stored else 0) != expected and session.session_id not in stale:
                stale.append(session.session_id)
            elif expected == 0 and any(
                decode_session(data).username == session.username for data, _ in sessions.values()
            ):
                stale.append(session.session_id)  # one record per agent
            sessions[session.session_id] = (changes.record(session), expected + 1)
        for session_id in changes.ended:
            expected = changes.versions.get(session_id, 0)
            if not expected:
                continue  # ended before it was ever stored
            stored = sessions.pop(session_id, None)
            if (stored[1] if stored else 0) != expected:
                stale.append(session_id)
        queue = dict(self.queue)
        for item in changes.queued:
            queue.pop(item.item_id, None)
            queue[item.item_id] = encode_record(item)
        gone = [queue.pop(item_id, None) for item_id in dict.fromkeys(changes.dequeued)]
        stale_queue = None in gone
        stale_outbound = bool(changes.outbound) and changes.outbound_version != self.outbound_at
        if stale or stale_queue or stale_outbound:
            raise StoreConflict(stale, queue=stale_queue, outbound=stale_outbound)
        mail = [*self.mail, *(json.loads(json.dumps(m)) for m in changes.outbox)]
        statuses = dict(changes.outbox_status)
        if statuses:
            mail = [
                {**m, "status": statuses[m["messageId"]]} if m.get("messageId") in statuses else m
                for m in mail
            ]
        campaigns, records, dnc = self._outbound(changes)
        self.sessions, self.queue, self.mail = sessions, queue, mail
        self.campaigns, self.records, self.do_not_call = campaigns, records, dnc
        if changes.outbound:
            self.outbound_at += 1
        self.audit_rows.extend(changes.audit)

    def _outbound(
        self, changes: Changes
    ) -> tuple[dict[str, bytes], dict[tuple[str, int], bytes], dict[str, None]]:
        out = changes.outbound
        campaigns = {k: v for k, v in self.campaigns.items() if k not in out.unloaded}
        records = {k: v for k, v in self.records.items() if k[0] not in out.unloaded}
        campaigns.update((name, encode_record(c)) for name, c in out.campaigns.items())
        records.update((key, encode_record(r)) for key, r in out.records.items())
        dnc = dict(self.do_not_call)
        for phone, on in out.do_not_call.items():
            if on:
                dnc.setdefault(phone, None)
            else:
                dnc.pop(phone, None)
        return campaigns, records, dnc

    async def outbox(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self.mail)

    async def audit(
        self, *, agent: str | None = None, outcome: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        found: list[AuditEntry] = []
        newest_matching(found, self.audit_rows, agent, outcome, limit)
        return found[::-1]
