"""The embedded store: one SQLite file in WAL mode.

Calls run on the event loop's thread: a WAL commit with ``synchronous=NORMAL`` is a short
append to the log, cheaper than a hop to a worker thread, and it survives ``kill -9`` of
the process (the log is in the OS's hands once ``COMMIT`` returns). Set
``synchronous=FULL`` (``durability="full"``) to survive power loss as well.

``open`` refuses a file that is not a database, fails ``PRAGMA quick_check`` or cannot be
written (it makes a tiny write), with a ``StoreError`` whose reason is one line. Every
SQLite failure later is a ``StoreError`` too.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ..domain.model import QueuedItem
from .base import (
    AuditEntry,
    Changes,
    OutboundState,
    StoreConflict,
    StoredSession,
    decode_audit,
    decode_campaign,
    decode_campaign_record,
    decode_item,
    decode_session,
    encode_record,
    newest_matching,
    unlike_relied_on,
)
from .health import StoreError
from .sqlite_schema import MIGRATIONS, REWRITES, SCHEMA

# Batches deleted per transaction by the audit retention (the loop runs between them).
PRUNE_CHUNK = 512


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
        """Open, check and migrate the file; a ``StoreError`` says in one line why not.
        Opening an open store does nothing (``serve`` opens it before the server starts)."""
        if self._db is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the directory {self.path.parent} ({exc.strerror or exc})"
            ) from None
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(self._explain(exc)) from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={'FULL' if self.durability == 'full' else 'NORMAL'}")
            db.execute("PRAGMA busy_timeout=5000")
            self._check_integrity(db)
            self._migrate(db)
            self._probe(db)
        except sqlite3.Error as exc:
            _rollback(db)
            db.close()
            raise StoreError(self._explain(exc)) from None
        except StoreError:
            db.close()
            raise
        self._db = db

    def _check_integrity(self, db: sqlite3.Connection) -> None:
        """``PRAGMA quick_check``: the b-tree structure of every page (not the indexes'
        contents: ``integrity_check`` would read the whole file several times)."""
        problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
            raise StoreError(
                f"{self.path} failed its integrity check ({problems[0]}{more}); "
                "restore it from a backup or move it away"
            )

    def _migrate(self, db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT version FROM schema_version").fetchone()
        version = row[0] if row else 0
        if version > SCHEMA:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this wwe-host knows "
                f"({SCHEMA}); run the newer wwe-host or restore an older copy"
            )
        for target in sorted(MIGRATIONS):
            if target > version:
                db.execute("BEGIN IMMEDIATE")
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        db.execute(statement)
                rewrite = REWRITES.get(target)
                if rewrite is not None:
                    rewrite(db)
                db.execute("DELETE FROM schema_version")
                db.execute("INSERT INTO schema_version VALUES (?)", (target,))
                db.execute("COMMIT")

    def _explain(self, problem: sqlite3.Error) -> str:
        """One line saying what is wrong with the file and what to do about it."""
        text = str(problem)
        where = self.path.parent
        if "file is not a database" in text:
            return f"{self.path} is not a SQLite database ({text}); move it away or restore it"
        if "malformed" in text or "corrupt" in text:
            return f"{self.path} is damaged ({text}); restore it from a backup or move it away"
        if "readonly" in text or "read-only" in text:
            return (
                f"{self.path} cannot be written ({text}); check the permissions of the file "
                f"and of its directory {where}"
            )
        if "unable to open" in text:
            return f"cannot open {self.path} ({text}); check that {where} is a writable directory"
        return f"{self.path}: {text}"

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read; a SQLite failure (a damaged file, a table gone) is a ``StoreError``."""
        try:
            yield self.db
        except sqlite3.Error as exc:
            raise StoreError(self._explain(exc), reading=True) from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a SQLite failure is a ``StoreError`` and changes nothing."""
        db = self.db
        try:
            db.execute("BEGIN")
            yield db
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(db)
            raise StoreError(self._explain(exc)) from None
        except BaseException:
            _rollback(db)
            raise

    def _probe(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        # The count changes every time: SQLite skips rewriting a row that stays the same.
        db.execute("UPDATE health SET probes = probes + 1, at = ?", (time.time(),))
        db.execute("COMMIT")

    async def probe(self) -> None:
        """A tiny write (one row of one page), to learn whether the store still writes."""
        try:
            self._probe(self.db)
        except sqlite3.Error as exc:
            _rollback(self.db)
            raise StoreError(self._explain(exc)) from None

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    async def load_sessions(self) -> list[StoredSession]:
        with self._reading() as db:
            rows = db.execute("SELECT data, version FROM sessions ORDER BY rowid").fetchall()
        return [StoredSession(decode_session(data), version) for data, version in rows]

    async def load_session(self, session_id: str) -> StoredSession | None:
        with self._reading() as db:
            row = db.execute(
                "SELECT data, version FROM sessions WHERE session_id = ?", (session_id,)
            ).fetchone()
        return None if row is None else StoredSession(decode_session(row[0]), row[1])

    async def session_versions(self) -> dict[str, int]:
        with self._reading() as db:
            rows = db.execute("SELECT session_id, version FROM sessions").fetchall()
        return {session_id: int(version) for session_id, version in rows}

    async def load_session_of(self, username: str) -> StoredSession | None:
        with self._reading() as db:
            row = db.execute(
                "SELECT data, version FROM sessions WHERE username = ?", (username,)
            ).fetchone()
        return None if row is None else StoredSession(decode_session(row[0]), row[1])

    async def load_queue(self) -> list[QueuedItem]:
        with self._reading() as db:
            rows = db.execute("SELECT data FROM queue ORDER BY seq").fetchall()
        return [decode_item(row[0]) for row in rows]

    async def load_outbound(self) -> OutboundState:
        # One connection, no await: nothing is written between the reads.
        with self._reading() as db:
            campaigns = db.execute("SELECT data FROM outbound_campaign ORDER BY name").fetchall()
            records = db.execute(
                "SELECT data FROM outbound_record ORDER BY campaign, handle"
            ).fetchall()
            phones = db.execute("SELECT phone FROM do_not_call ORDER BY seq").fetchall()
            version = db.execute("SELECT version FROM outbound_version WHERE id = 1").fetchone()
        return OutboundState(
            [decode_campaign(row[0]) for row in campaigns],
            [decode_campaign_record(row[0]) for row in records],
            [row[0] for row in phones],
            int(version[0]),
        )

    async def outbound_version(self) -> int:
        with self._reading() as db:
            row = db.execute("SELECT version FROM outbound_version WHERE id = 1").fetchone()
        return int(row[0])

    async def signing_key(self) -> bytes | None:
        with self._reading() as db:
            row = db.execute("SELECT pem FROM signing_key WHERE id = 1").fetchone()
        return bytes(row[0]) if row else None

    async def save_signing_key(self, pem: bytes) -> bytes:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO signing_key(id, pem, created) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                (pem, time.time()),
            )
            row = db.execute("SELECT pem FROM signing_key WHERE id = 1").fetchone()
        return bytes(row[0])

    async def commit(self, changes: Changes) -> None:
        try:
            self._commit(changes)
        except StoreConflict as conflict:  # rolled back: name the records now
            named = conflict.session_ids + self._stale(self.db, changes)
            conflict.session_ids = list(dict.fromkeys(named))
            raise

    def _commit(self, changes: Changes) -> None:
        with self._transaction() as db:
            if changes.relied_on:
                users = list({username for username, _, _ in changes.relied_on})
                rows = db.execute(
                    "SELECT username, session_id, version FROM sessions WHERE username IN "
                    f"({', '.join('?' * len(users))})",
                    users,
                ).fetchall()
                stale = unlike_relied_on(changes.relied_on, {r[0]: (r[1], r[2]) for r in rows})
                if stale:
                    raise StoreConflict(stale)
            self._write_sessions(db, changes)
            if changes.queued:
                db.executemany(
                    "INSERT OR REPLACE INTO queue(item_id, seq, data) VALUES (?, "
                    "(SELECT COALESCE(MAX(seq), 0) + 1 FROM queue), ?)",
                    [(item.item_id, encode_record(item).decode()) for item in changes.queued],
                )
            if changes.dequeued:
                wanted = list(dict.fromkeys(changes.dequeued))
                taken = db.executemany(
                    "DELETE FROM queue WHERE item_id = ?", [(i,) for i in wanted]
                ).rowcount
                if taken != len(wanted):  # taken off the queue by another writer
                    raise StoreConflict([], queue=True)
            if changes.outbound:
                _write_outbound(db, changes)
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
                audit = changes.audit
                times = [row[0] for row in audit]
                db.execute(
                    "INSERT INTO audit_batch(data, entries, first_at, last_at, seq_end) "
                    "VALUES (?, ?, ?, ?, ? + (SELECT COALESCE(MAX(seq_end), 0) FROM audit_batch))",
                    (encode_record(audit).decode(), len(audit), min(times), max(times), len(audit)),
                )

    def _write_sessions(self, db: sqlite3.Connection, changes: Changes) -> None:
        """Write and end session records at the versions ``changes`` names, or raise
        ``StoreConflict`` naming every record that is not at its version."""
        versions = changes.versions
        new: list[tuple[str, str, str]] = []
        updates: list[tuple[str, str, int]] = []
        for s in changes.sessions:
            version = versions.get(s.session_id, 0)
            record = changes.record(s).decode()
            if version == 0:
                new.append((s.session_id, s.username, record))
            else:
                updates.append((record, s.session_id, version))
        ended = [(sid, versions[sid]) for sid in changes.ended if versions.get(sid, 0)]
        written = 0
        if new:
            written += db.executemany(
                "INSERT INTO sessions(session_id, username, data, version) VALUES (?, ?, ?, 1) "
                "ON CONFLICT DO NOTHING",  # the same id, or another record of the agent
                new,
            ).rowcount
        if updates:
            written += db.executemany(
                "UPDATE sessions SET data = ?, version = version + 1 "
                "WHERE session_id = ? AND version = ?",
                updates,
            ).rowcount
        if ended:
            written += db.executemany(
                "DELETE FROM sessions WHERE session_id = ? AND version = ?", ended
            ).rowcount
        if written != len(new) + len(updates) + len(ended):
            raise StoreConflict([])

    def _stale(self, db: sqlite3.Connection, changes: Changes) -> list[str]:
        """The records of ``changes`` whose stored version is not the one it names."""
        wanted = [s.session_id for s in changes.sessions] + [
            sid for sid in changes.ended if changes.versions.get(sid, 0)
        ]
        users = {s.session_id: s.username for s in changes.sessions}
        stale = []
        for sid in wanted:
            row = db.execute("SELECT version FROM sessions WHERE session_id = ?", (sid,)).fetchone()
            expected = changes.versions.get(sid, 0)
            if (row[0] if row else 0) != expected:
                stale.append(sid)
            elif (
                not expected
                and db.execute(
                    "SELECT 1 FROM sessions WHERE username = ?", (users[sid],)
                ).fetchone()
            ):
                stale.append(sid)  # the agent has a record already (one per agent)
        return stale

    async def outbox(self) -> list[dict[str, Any]]:
        with self._reading() as db:
            rows = db.execute("SELECT data, status FROM outbox ORDER BY id").fetchall()
        return [{**json.loads(data), "status": status} for data, status in rows]

    async def audit(
        self, *, agent: str | None = None, outcome: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        found: list[AuditEntry] = []
        with self._reading() as db:
            for (data,) in db.execute("SELECT data FROM audit_batch ORDER BY id DESC"):
                if newest_matching(found, decode_audit(data), agent, outcome, limit):
                    break
        return found[::-1]

    # --- audit retention -----------------------------------------------------------------

    async def prune_audit(self, *, before: float | None = None, keep: int | None = None) -> int:
        """Remove audit entries recorded before ``before`` (a time) and all but the newest
        ``keep`` entries; returns how many were removed.

        Work is done in transactions of ``PRUNE_CHUNK`` batches with the event loop running
        in between. By age, whole batches go (a batch spans the requests of a fraction of a
        second); by count, the oldest kept batch is trimmed so exactly ``keep`` remain.
        """
        removed = 0
        if before is not None:
            removed += await self._delete_batches("last_at < ?", before)
        if keep is not None:
            row = self.db.execute("SELECT MAX(seq_end) FROM audit_batch").fetchone()
            threshold = (row[0] or 0) - keep  # entries numbered up to this one go
            if threshold > 0:
                removed += await self._delete_batches("seq_end <= ?", threshold)
                removed += self._trim_boundary(threshold)
        return removed

    async def _delete_batches(self, where: str, value: float) -> int:
        removed = 0
        while True:
            with self._transaction() as db:
                rows = db.execute(
                    f"SELECT id, entries FROM audit_batch WHERE {where} LIMIT ?",
                    (value, PRUNE_CHUNK),
                ).fetchall()
                db.executemany("DELETE FROM audit_batch WHERE id = ?", [(r[0],) for r in rows])
            removed += sum(int(r[1]) for r in rows)
            if len(rows) < PRUNE_CHUNK:
                return removed
            await asyncio.sleep(0)

    def _trim_boundary(self, threshold: int) -> int:
        """Drop the entries numbered up to ``threshold`` from the batch that straddles it."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT id, data, entries, seq_end FROM audit_batch WHERE seq_end > ? "
                "ORDER BY seq_end LIMIT 1",
                (threshold,),
            ).fetchone()
            if row is None:
                return 0
            batch_id, data, entries, seq_end = row
            drop = threshold - (seq_end - entries)
            if drop <= 0:
                return 0
            kept = decode_audit(data)[drop:]
            db.execute(
                "UPDATE audit_batch SET data = ?, entries = ?, first_at = ? WHERE id = ?",
                (encode_record(kept).decode(), len(kept), min(r[0] for r in kept), batch_id),
            )
            return int(drop)


def _write_outbound(db: sqlite3.Connection, changes: Changes) -> None:
    bumped = db.execute(
        "UPDATE outbound_version SET version = version + 1 WHERE id = 1 AND version = ?",
        (changes.outbound_version,),
    ).rowcount
    if bumped != 1:
        raise StoreConflict([], outbound=True)
    out = changes.outbound
    for name in out.unloaded:
        db.execute("DELETE FROM outbound_campaign WHERE name = ?", (name,))
        db.execute("DELETE FROM outbound_record WHERE campaign = ?", (name,))
    db.executemany(
        "INSERT OR REPLACE INTO outbound_campaign(name, data) VALUES (?, ?)",
        [(name, encode_record(c).decode()) for name, c in out.campaigns.items()],
    )
    db.executemany(
        "INSERT OR REPLACE INTO outbound_record(campaign, handle, data) VALUES (?, ?, ?)",
        [(c, h, encode_record(r).decode()) for (c, h), r in out.records.items()],
    )
    for phone, on in out.do_not_call.items():
        if on:
            db.execute(
                "INSERT OR IGNORE INTO do_not_call(phone, seq) VALUES "
                "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM do_not_call))",
                (phone,),
            )
        else:
            db.execute("DELETE FROM do_not_call WHERE phone = ?", (phone,))


def _rollback(db: sqlite3.Connection) -> None:
    """Roll back what is open. SQLite may have rolled back by itself already (an I/O error
    at COMMIT does): a second ROLLBACK would raise and hide the real error."""
    if db.in_transaction:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
