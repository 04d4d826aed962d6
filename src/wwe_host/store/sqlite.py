"""The embedded store: one SQLite file in WAL mode.

Calls run on the event loop's thread: a WAL commit with ``synchronous=NORMAL`` is a short
append to the log, cheaper than a hop to a worker thread, and it survives ``kill -9`` of
the process (the log is in the OS's hands once ``COMMIT`` returns). Set
``synchronous=FULL`` (``durability="full"``) to survive power loss as well.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import msgspec

from ..domain.model import AgentSession, QueuedItem
from .base import AuditEntry, AuditRow, Changes, decode_session

SCHEMA_VERSION = 1
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        data BLOB NOT NULL
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        agent TEXT NOT NULL,
        frame TEXT NOT NULL,
        origin TEXT NOT NULL,
        request TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT NOT NULL,
        duration_ms REAL NOT NULL
    );
    CREATE INDEX audit_agent ON audit(agent, id);
    """,
    4: """
    CREATE TABLE audit_batch (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        data BLOB NOT NULL
    );
    DROP TABLE audit;
    """,
    3: """
    ALTER TABLE outbox ADD COLUMN message_id TEXT;
    ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'kept';
    CREATE INDEX outbox_message ON outbox(message_id);
    """,
    2: """
    CREATE TABLE queue (
        item_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    """,
}

_encode = msgspec.msgpack.Encoder().encode
_decode_item = msgspec.msgpack.Decoder(QueuedItem).decode
_decode_audit = msgspec.msgpack.Decoder(list[AuditRow]).decode


class SqliteStore:
    def __init__(self, path: str | Path, durability: str = "normal") -> None:
        self.path = Path(path)
        self.durability = durability
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={'FULL' if self.durability == 'full' else 'NORMAL'}")
        db.execute("PRAGMA busy_timeout=5000")
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT version FROM schema_version").fetchone()
        version = row[0] if row else 0
        for target in sorted(MIGRATIONS):
            if target > version:
                db.execute("BEGIN IMMEDIATE")
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("DELETE FROM schema_version")
                db.execute("INSERT INTO schema_version VALUES (?)", (target,))
                db.execute("COMMIT")
        self._db = db

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    async def load_sessions(self) -> list[AgentSession]:
        rows = self.db.execute("SELECT data FROM sessions ORDER BY rowid").fetchall()
        return [decode_session(row[0]) for row in rows]

    async def load_queue(self) -> list[QueuedItem]:
        rows = self.db.execute("SELECT data FROM queue ORDER BY seq").fetchall()
        return [_decode_item(row[0]) for row in rows]

    async def commit(self, changes: Changes) -> None:
        db = self.db
        db.execute("BEGIN")
        try:
            if changes.sessions:
                db.executemany(
                    "INSERT INTO sessions(session_id, username, data) VALUES (?, ?, ?) "
                    "ON CONFLICT(session_id) DO UPDATE SET data = excluded.data",
                    [(s.session_id, s.username, changes.record(s)) for s in changes.sessions],
                )
            if changes.ended:
                db.executemany(
                    "DELETE FROM sessions WHERE session_id = ?", [(s,) for s in changes.ended]
                )
            if changes.queued:
                db.executemany(
                    "INSERT OR REPLACE INTO queue(item_id, seq, data) VALUES (?, "
                    "(SELECT COALESCE(MAX(seq), 0) + 1 FROM queue), ?)",
                    [(item.item_id, _encode(item)) for item in changes.queued],
                )
            if changes.dequeued:
                db.executemany(
                    "DELETE FROM queue WHERE item_id = ?", [(i,) for i in changes.dequeued]
                )
            if changes.outbox:
                db.executemany(
                    "INSERT INTO outbox(at, data, message_id, status) VALUES (?, ?, ?, ?)",
                    [
                        (m.get("at", 0.0), json.dumps(m), m.get("messageId"), m["status"])
                        for m in changes.outbox
                    ],
                )
            for message_id, status in changes.outbox_status:
                db.execute(
                    "UPDATE outbox SET status = ? WHERE message_id = ?", (status, message_id)
                )
            if changes.audit:
                # One row per batch: the audit sees every request, and a row per request
                # would cost more than the request itself.
                db.execute("INSERT INTO audit_batch(data) VALUES (?)", (_encode(changes.audit),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    async def outbox(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data, status FROM outbox ORDER BY id").fetchall()
        return [{**json.loads(data), "status": status} for data, status in rows]

    async def audit(
        self, *, agent: str | None = None, outcome: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        found: list[AuditEntry] = []
        batches = self.db.execute("SELECT data FROM audit_batch ORDER BY id DESC")
        for (data,) in batches:
            for row in reversed(_decode_audit(data)):
                entry = AuditEntry(*row)
                if agent is not None and entry.agent != agent:
                    continue
                if outcome is not None and not (
                    entry.outcome == outcome or entry.outcome.startswith(outcome + ":")
                ):
                    continue
                found.append(entry)
                if len(found) >= limit:
                    return found[::-1]
        return found[::-1]
