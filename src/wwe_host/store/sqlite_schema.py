"""The SQLite file's schema and its history: each migration's statements, and the data
rewrites some of them need (``store/sqlite.py`` runs them at ``open``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import msgspec

from .base import AuditRow, encode_record

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
    # Audit retention counts and dates requests without decoding batches: each batch says
    # how many entries it holds, their time span, and the running count of entries up to
    # and including it (seq_end). Batches stored before are filled in by _backfill_audit.
    # health: the row the write probe updates.
    5: """
    ALTER TABLE audit_batch ADD COLUMN entries INTEGER;
    ALTER TABLE audit_batch ADD COLUMN first_at REAL;
    ALTER TABLE audit_batch ADD COLUMN last_at REAL;
    ALTER TABLE audit_batch ADD COLUMN seq_end INTEGER;
    CREATE INDEX audit_batch_seq_end ON audit_batch(seq_end);
    CREATE INDEX audit_batch_last_at ON audit_batch(last_at);
    CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        probes INTEGER NOT NULL,
        at REAL NOT NULL
    );
    INSERT INTO health VALUES (1, 0, 0);
    """,
    # Versioned session records (optimistic concurrency, store/base.py); every record and
    # audit batch becomes JSON (converted by _to_json), and audit_log shows the audit as
    # rows any SQL client can query.
    6: """
    ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE UNIQUE INDEX sessions_username ON sessions(username);
    CREATE VIEW audit_log AS
        SELECT b.id AS batch, CAST(e.key AS INTEGER) AS position,
               json_extract(e.value, '$[0]') AS at, json_extract(e.value, '$[1]') AS agent,
               json_extract(e.value, '$[2]') AS frame, json_extract(e.value, '$[3]') AS origin,
               json_extract(e.value, '$[4]') AS request,
               json_extract(e.value, '$[5]') AS outcome,
               json_extract(e.value, '$[6]') AS detail,
               json_extract(e.value, '$[7]') AS duration_ms
        FROM audit_batch AS b, json_each(b.data) AS e;
    """,
    # The JWT signing key of auth.getJwtToken (security/signing.py), made at the first start.
    7: """
    CREATE TABLE signing_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pem BLOB NOT NULL,
        created REAL NOT NULL
    );
    """,
    # Outbound campaigns (domain/outbound.py): one JSON row per loaded campaign and per
    # record, and the do-not-call list.
    8: """
    CREATE TABLE outbound_campaign (
        name TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    CREATE TABLE outbound_record (
        campaign TEXT NOT NULL,
        handle INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (campaign, handle)
    );
    CREATE TABLE do_not_call (
        phone TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
    );
    """,
    # The outbound state's version: every commit that changes it adds one, and one made on
    # an older version is refused (several writers: docs/architecture.md).
    9: """
    CREATE TABLE outbound_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
    );
    INSERT INTO outbound_version VALUES (1, 0);
    """,
}
SCHEMA = max(MIGRATIONS)
"""The newest schema this code knows; a newer file is refused (written by newer code)."""


def _backfill_audit(db: sqlite3.Connection) -> None:
    """Count and date the batches written before schema 5 (once, while migrating)."""
    seq = 0
    rows = db.execute("SELECT id, data FROM audit_batch ORDER BY id").fetchall()
    for batch_id, data in rows:
        entries = _decode_packed_audit(data)
        times = [row[0] for row in entries] or [0.0]
        seq += len(entries)
        db.execute(
            "UPDATE audit_batch SET entries = ?, first_at = ?, last_at = ?, seq_end = ? "
            "WHERE id = ?",
            (len(entries), min(times), max(times), seq, batch_id),
        )


# Before schema 6, records and audit batches were MessagePack.
_decode_packed_audit = msgspec.msgpack.Decoder(list[AuditRow]).decode


def _to_json(db: sqlite3.Connection) -> None:
    """Rewrite the MessagePack records and audit batches of schema 5 as JSON (schema 6)."""
    unpack = msgspec.msgpack.Decoder().decode
    for table, key in (("sessions", "session_id"), ("queue", "item_id"), ("audit_batch", "id")):
        rows = db.execute(f"SELECT {key}, data FROM {table}").fetchall()
        db.executemany(
            f"UPDATE {table} SET data = ? WHERE {key} = ?",
            [(encode_record(unpack(data)).decode(), k) for k, data in rows],
        )


# Run after a migration's statements, in the same transaction.
REWRITES: dict[int, Callable[[sqlite3.Connection], None]] = {5: _backfill_audit, 6: _to_json}
