"""The shared store: PostgreSQL, for one process or several (``database = postgresql://…``).

The same contract as the SQLite store (store/base.py; one contract test runs against both):
versioned session records refused when stale, all-or-nothing commits, JSON records and an
``audit_log`` view any SQL client can query. psycopg 3 (async, typed) with a small pool:
the group commit writes one batch at a time, reads (the audit listing, a session after a
conflict) take another connection.

Migrations are versioned and applied at start under an advisory lock (several processes
may start at once); a database of a newer schema than this code is refused, naming both.
Every failure is a ``StoreError`` whose reason is one line without the URL's password.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from ..domain.model import QueuedItem
from ..security.secrets import mask_secrets
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

# Records are ``json`` (not ``jsonb``): the text is kept as written, and ``json`` accepts
# the escape \\u0000 that an agent's attached data may hold (``jsonb`` refuses it).
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        data JSON NOT NULL,
        version BIGINT NOT NULL
    );
    CREATE SEQUENCE queue_seq;
    CREATE TABLE queue (
        item_id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL,
        data JSON NOT NULL
    );
    CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        at DOUBLE PRECISION NOT NULL,
        data JSON NOT NULL,
        message_id TEXT,
        status TEXT NOT NULL
    );
    CREATE INDEX outbox_message ON outbox(message_id);
    CREATE TABLE audit_batch (
        id BIGSERIAL PRIMARY KEY,
        data JSON NOT NULL,
        entries INTEGER NOT NULL,
        first_at DOUBLE PRECISION NOT NULL,
        last_at DOUBLE PRECISION NOT NULL,
        seq_end BIGINT NOT NULL
    );
    CREATE INDEX audit_batch_seq_end ON audit_batch(seq_end);
    CREATE INDEX audit_batch_last_at ON audit_batch(last_at);
    CREATE VIEW audit_log AS
        SELECT b.id AS batch, e.position - 1 AS position,
               (e.value->>0)::DOUBLE PRECISION AS at, e.value->>1 AS agent,
               e.value->>2 AS frame, e.value->>3 AS origin, e.value->>4 AS request,
               e.value->>5 AS outcome, e.value->>6 AS detail,
               (e.value->>7)::DOUBLE PRECISION AS duration_ms
        FROM audit_batch AS b,
             json_array_elements(b.data) WITH ORDINALITY AS e(value, position);
    CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        probes BIGINT NOT NULL,
        at DOUBLE PRECISION NOT NULL
    );
    INSERT INTO health VALUES (1, 0, 0);
    CREATE TABLE signing_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pem TEXT NOT NULL,
        created DOUBLE PRECISION NOT NULL
    );
    """,
    # Outbound campaigns (domain/outbound.py): one JSON row per loaded campaign and per
    # record, and the do-not-call list.
    2: """
    CREATE TABLE outbound_campaign (
        name TEXT PRIMARY KEY,
        data JSON NOT NULL
    );
    CREATE TABLE outbound_record (
        campaign TEXT NOT NULL,
        handle BIGINT NOT NULL,
        data JSON NOT NULL,
        PRIMARY KEY (campaign, handle)
    );
    CREATE SEQUENCE do_not_call_seq;
    CREATE TABLE do_not_call (
        phone TEXT PRIMARY KEY,
        seq BIGINT NOT NULL
    );
    """,
    # The outbound state's version: every commit that changes it adds one, and one made on
    # an older version is refused (several writers: docs/architecture.md).
    3: """
    CREATE TABLE outbound_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version BIGINT NOT NULL
    );
    INSERT INTO outbound_version VALUES (1, 0);
    """,
}
SCHEMA = max(MIGRATIONS)
"""The newest schema this code knows; a newer database is refused (written by newer code)."""

# Advisory lock keys: migrations, and numbering audit entries (one writer at a time).
_MIGRATION_LOCK = 0x77776501
_AUDIT_LOCK = 0x77776502
# Batches deleted per transaction by the audit retention (the loop runs between them).
PRUNE_CHUNK = 512
CONNECT_TIMEOUT = 5.0


class PostgresStore:
    def __init__(self, url: str, *, pool_size: int = 4) -> None:
        self.url = url
        self.pool_size = pool_size
        self._pool: AsyncConnectionPool | None = None

    # --- lifecycle ---------------------------------------------------------------------

    async def open(self) -> None:
        """Connect, migrate and make a tiny write; a ``StoreError`` says in one line why
        not. Opening an open store does nothing."""
        if self._pool is not None:
            return
        # One direct connection first: its error names the cause (the pool's would only
        # say that it timed out), and it migrates before the pool opens.
        try:
            first = await psycopg.AsyncConnection.connect(
                self.url, autocommit=True, connect_timeout=int(CONNECT_TIMEOUT)
            )
        except (psycopg.Error, OSError) as exc:
            raise StoreError(self._explain(exc, "cannot connect")) from None
        try:
            await self._migrate(first)
        except psycopg.Error as exc:
            raise StoreError(self._explain(exc, "cannot be migrated")) from None
        finally:
            await first.close()
        pool = AsyncConnectionPool(
            self.url,
            min_size=1,
            max_size=self.pool_size,
            open=False,
            timeout=CONNECT_TIMEOUT,
            kwargs={"autocommit": True, "connect_timeout": int(CONNECT_TIMEOUT)},
        )
        try:
            await pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except Exception as exc:
            await pool.close()
            raise StoreError(self._explain(exc, "cannot connect")) from None
        self._pool = pool
        try:
            await self.probe()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    @property
    def pool(self) -> AsyncConnectionPool:
        if self._pool is None:
            raise RuntimeError("the store is not open")
        return self._pool

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """A pooled connection; any database failure is a ``StoreError`` (StoreConflict
        and other ``StoreError`` pass as they are)."""
        try:
            async with self.pool.connection() as conn:
                yield conn
        except (StoreError, StoreConflict):
            raise
        except (TimeoutError, psycopg.Error, OSError) as exc:
            raise StoreError(self._explain(exc, "cannot be used")) from None
        except Exception as exc:  # the pool's own errors (PoolTimeout is one)
            if type(exc).__module__.startswith("psycopg"):
                raise StoreError(self._explain(exc, "cannot be used")) from None
            raise

    def _explain(self, problem: BaseException, what: str) -> str:
        text = str(problem).strip().splitlines()[0] if str(problem).strip() else type(problem)
        return f"PostgreSQL {mask_secrets(self.url)} {what} ({mask_secrets(str(text))})"

    async def _migrate(self, conn: psycopg.AsyncConnection[Any]) -> None:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
            )
            row = await (await conn.execute("SELECT version FROM schema_version")).fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA:
                raise StoreError(
                    f"PostgreSQL {mask_secrets(self.url)} has schema version {version}, newer "
                    f"than this wwe-host knows ({SCHEMA}); run the newer wwe-host"
                )
            for target in sorted(MIGRATIONS):
                if target > version:
                    for statement in MIGRATIONS[target].split(";"):
                        if statement.strip():
                            await conn.execute(statement.encode())
                    await conn.execute("DELETE FROM schema_version")
                    await conn.execute("INSERT INTO schema_version VALUES (%s)", (target,))

    async def probe(self) -> None:
        """A tiny write (one row), to learn whether the store still writes."""
        async with self._connection() as conn:
            await conn.execute("UPDATE health SET probes = probes + 1, at = %s", (time.time(),))

    # --- reads -------------------------------------------------------------------------

    async def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._connection() as conn:
            return await _rows(conn, sql, params)

    async def load_sessions(self) -> list[StoredSession]:
        rows = await self._fetch("SELECT data::text, version FROM sessions ORDER BY session_id")
        return [StoredSession(decode_session(data), int(version)) for data, version in rows]

    async def load_session(self, session_id: str) -> StoredSession | None:
        rows = await self._fetch(
            "SELECT data::text, version FROM sessions WHERE session_id = %s", (session_id,)
        )
        return StoredSession(decode_session(rows[0][0]), int(rows[0][1])) if rows else None

    async def session_versions(self) -> dict[str, int]:
        rows = await self._fetch("SELECT session_id, version FROM sessions")
        return {str(session_id): int(version) for session_id, version in rows}

    async def load_session_of(self, username: str) -> StoredSession | None:
        rows = await self._fetch(
            "SELECT data::text, version FROM sessions WHERE username = %s", (username,)
        )
        return StoredSession(decode_session(rows[0][0]), int(rows[0][1])) if rows else None

    async def load_queue(self) -> list[QueuedItem]:
        rows = await self._fetch("SELECT data::text FROM queue ORDER BY seq")
        return [decode_item(row[0]) for row in rows]

    async def load_outbound(self) -> OutboundState:
        # One snapshot: the version read is the version of the rows read.
        async with self._connection() as conn, conn.transaction():
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            version = await _rows(conn, "SELECT version FROM outbound_version WHERE id = 1")
            campaigns = await _rows(conn, "SELECT data::text FROM outbound_campaign ORDER BY name")
            records = await _rows(
                conn, "SELECT data::text FROM outbound_record ORDER BY campaign, handle"
            )
            phones = await _rows(conn, "SELECT phone FROM do_not_call ORDER BY seq")
        return OutboundState(
            [decode_campaign(row[0]) for row in campaigns],
            [decode_campaign_record(row[0]) for row in records],
            [str(row[0]) for row in phones],
            int(version[0][0]),
        )

    async def outbound_version(self) -> int:
        rows = await self._fetch("SELECT version FROM outbound_version WHERE id = 1")
        return int(rows[0][0])

    async def signing_key(self) -> bytes | None:
        rows = await self._fetch("SELECT pem FROM signing_key WHERE id = 1")
        return str(rows[0][0]).encode() if rows else None

    async def save_signing_key(self, pem: bytes) -> bytes:
        await self._fetch(
            "INSERT INTO signing_key(id, pem, created) VALUES (1, %s, %s) "
            "ON CONFLICT (id) DO NOTHING RETURNING 1",
            (pem.decode(), time.time()),
        )
        kept = await self.signing_key()
        assert kept is not None
        return kept

    async def outbox(self) -> list[dict[str, Any]]:
        rows = await self._fetch("SELECT data::text, status FROM outbox ORDER BY id")
        return [{**json.loads(data), "status": status} for data, status in rows]

    async def audit(
        self, *, agent: str | None = None, outcome: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        found: list[AuditEntry] = []
        before: int | None = None
        while len(found) < limit:
            rows = await self._fetch(
                "SELECT id, data::text FROM audit_batch WHERE %s::BIGINT IS NULL OR id < %s "
                "ORDER BY id DESC LIMIT 64",
                (before, before),
            )
            if not rows:
                break
            for batch_id, data in rows:
                before = int(batch_id)
                if newest_matching(found, decode_audit(data), agent, outcome, limit):
                    return found[::-1]
        return found[::-1]

    # --- the commit --------------------------------------------------------------------

    async def commit(self, changes: Changes) -> None:
        try:
            async with self._connection() as conn, conn.transaction():
                if changes.relied_on:
                    await _check_relied_on(conn, changes)
                await self._write_sessions(conn, changes)
                await self._write_rest(conn, changes)
        except StoreConflict as conflict:  # rolled back: name the records now
            named = conflict.session_ids + await self._stale(changes)
            conflict.session_ids = list(dict.fromkeys(named))
            raise

    async def _write_sessions(self, conn: psycopg.AsyncConnection[Any], changes: Changes) -> None:
        versions = changes.versions
        new: list[tuple[str, str, str]] = []
        updates: list[tuple[str, str, int]] = []
        for s in changes.sessions:
            version = versions.get(s.session_id, 0)
            record = changes.record(s).decode()
            if version == 0:
                new.append((s.session_id, s.username, record))
            else:
                updates.append((s.session_id, record, version))
        ended = [(sid, versions[sid]) for sid in changes.ended if versions.get(sid, 0)]
        written = 0
        if new:
            written += await _count(
                conn,
                "INSERT INTO sessions(session_id, username, data, version) "
                "SELECT t.id, t.username, t.data::json, 1 "
                "FROM unnest(%s::text[], %s::text[], %s::text[]) AS t(id, username, data) "
                "ON CONFLICT DO NOTHING RETURNING 1",
                _columns(new, 3),
            )
        if updates:
            written += await _count(
                conn,
                "UPDATE sessions AS s SET data = t.data::json, version = s.version + 1 "
                "FROM unnest(%s::text[], %s::text[], %s::bigint[]) AS t(id, data, version) "
                "WHERE s.session_id = t.id AND s.version = t.version RETURNING 1",
                _columns(updates, 3),
            )
        if ended:
            written += await _count(
                conn,
                "DELETE FROM sessions AS s USING unnest(%s::text[], %s::bigint[]) "
                "AS t(id, version) WHERE s.session_id = t.id AND s.version = t.version "
                "RETURNING 1",
                _columns(ended, 2),
            )
        if written != len(new) + len(updates) + len(ended):
            raise StoreConflict([])

    async def _write_rest(self, conn: psycopg.AsyncConnection[Any], changes: Changes) -> None:
        if changes.queued:
            await conn.execute(
                "INSERT INTO queue(item_id, seq, data) "
                "SELECT t.id, nextval('queue_seq'), t.data::json "
                "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(id, data, n) "
                "ORDER BY t.n "
                "ON CONFLICT (item_id) DO UPDATE SET seq = excluded.seq, data = excluded.data",
                _columns([(i.item_id, encode_record(i).decode()) for i in changes.queued], 2),
            )
        if changes.dequeued:
            wanted = list(dict.fromkeys(changes.dequeued))
            taken = await _count(
                conn, "DELETE FROM queue WHERE item_id = ANY(%s::text[]) RETURNING 1", (wanted,)
            )
            if taken != len(wanted):  # taken off the queue by another writer
                raise StoreConflict([], queue=True)
        if changes.outbound:
            await _write_outbound(conn, changes)
        if changes.outbox:
            rows = [
                (float(m.get("at", 0.0)), json.dumps(m), m.get("messageId"), str(m["status"]))
                for m in changes.outbox
            ]
            await conn.execute(
                "INSERT INTO outbox(at, data, message_id, status) "
                "SELECT t.at, t.data::json, t.message_id, t.status FROM unnest("
                "%s::float8[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY "
                "AS t(at, data, message_id, status, n) ORDER BY t.n",
                _columns(rows, 4),
            )
        for message_id, status in changes.outbox_status:
            await conn.execute(
                "UPDATE outbox SET status = %s WHERE message_id = %s", (status, message_id)
            )
        if changes.audit:
            # One row per batch (a row per request would cost more than the request); the
            # audit_log view shows the rows. Entries are numbered by one writer at a time.
            audit = changes.audit
            times = [row[0] for row in audit]
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_AUDIT_LOCK,))
            await conn.execute(
                "INSERT INTO audit_batch(data, entries, first_at, last_at, seq_end) "
                "SELECT %s::json, %s, %s, %s, "
                "%s + (SELECT COALESCE(MAX(seq_end), 0) FROM audit_batch)",
                (encode_record(audit).decode(), len(audit), min(times), max(times), len(audit)),
            )

    async def _stale(self, changes: Changes) -> list[str]:
        """The records of ``changes`` whose stored version is not the one it names, or that
        would be a second record of their agent."""
        ids = [s.session_id for s in changes.sessions] + [
            sid for sid in changes.ended if changes.versions.get(sid, 0)
        ]
        users = {s.session_id: s.username for s in changes.sessions}
        rows = await self._fetch(
            "SELECT session_id, username, version FROM sessions "
            "WHERE session_id = ANY(%s::text[]) OR username = ANY(%s::text[])",
            (ids, list(users.values())),
        )
        by_id = {row[0]: int(row[2]) for row in rows}
        taken = {row[1] for row in rows}
        stale = []
        for sid in ids:
            expected = changes.versions.get(sid, 0)
            if by_id.get(sid, 0) != expected or (not expected and users.get(sid) in taken):
                stale.append(sid)
        return stale

    # --- audit retention ---------------------------------------------------------------

    async def prune_audit(self, *, before: float | None = None, keep: int | None = None) -> int:
        """As the SQLite store's: whole batches by age, and by count the oldest kept batch
        trimmed so exactly ``keep`` entries remain; in chunks of ``PRUNE_CHUNK`` batches."""
        removed = 0
        if before is not None:
            removed += await self._delete_batches("last_at < %s", before)
        if keep is not None:
            rows = await self._fetch("SELECT MAX(seq_end) FROM audit_batch")
            threshold = int(rows[0][0] or 0) - keep
            if threshold > 0:
                removed += await self._delete_batches("seq_end <= %s", threshold)
                removed += await self._trim_boundary(threshold)
        return removed

    async def _delete_batches(self, where: str, value: float) -> int:
        removed = 0
        while True:
            rows = await self._fetch(
                "DELETE FROM audit_batch WHERE id IN (SELECT id FROM audit_batch "
                f"WHERE {where} ORDER BY id LIMIT %s) RETURNING entries",
                (value, PRUNE_CHUNK),
            )
            removed += sum(int(r[0]) for r in rows)
            if len(rows) < PRUNE_CHUNK:
                return removed
            await asyncio.sleep(0)

    async def _trim_boundary(self, threshold: int) -> int:
        async with self._connection() as conn, conn.transaction():
            cursor = await conn.execute(
                "SELECT id, data::text, entries, seq_end FROM audit_batch "
                "WHERE seq_end > %s ORDER BY seq_end LIMIT 1 FOR UPDATE",
                (threshold,),
            )
            row = await cursor.fetchone()
            if row is None:
                return 0
            batch_id, data, entries, seq_end = row
            drop = threshold - (int(seq_end) - int(entries))
            if drop <= 0:
                return 0
            kept = decode_audit(data)[drop:]
            await conn.execute(
                "UPDATE audit_batch SET data = %s::json, entries = %s, first_at = %s WHERE id = %s",
                (encode_record(kept).decode(), len(kept), min(r[0] for r in kept), batch_id),
            )
            return int(drop)


async def _check_relied_on(conn: psycopg.AsyncConnection[Any], changes: Changes) -> None:
    """Refuse the commit if a session it relied on is not in the store as it was then. No
    lock is needed: a preview added to a session changes the outbound state in the same
    commit, which the outbound version refuses (docs/architecture.md)."""
    users = list({username for username, _, _ in changes.relied_on})
    rows = await _rows(
        conn,
        "SELECT username, session_id, version FROM sessions WHERE username = ANY(%s::text[])",
        (users,),
    )
    stale = unlike_relied_on(changes.relied_on, {r[0]: (r[1], int(r[2])) for r in rows})
    if stale:
        raise StoreConflict(stale)


async def _write_outbound(conn: psycopg.AsyncConnection[Any], changes: Changes) -> None:
    bumped = await _count(
        conn,
        "UPDATE outbound_version SET version = version + 1 WHERE id = 1 AND version = %s "
        "RETURNING 1",
        (changes.outbound_version,),
    )
    if bumped != 1:
        raise StoreConflict([], outbound=True)
    out = changes.outbound
    if out.unloaded:
        names = sorted(out.unloaded)
        await conn.execute("DELETE FROM outbound_campaign WHERE name = ANY(%s::text[])", (names,))
        await conn.execute("DELETE FROM outbound_record WHERE campaign = ANY(%s::text[])", (names,))
    if out.campaigns:
        await conn.execute(
            "INSERT INTO outbound_campaign(name, data) "
            "SELECT t.name, t.data::json FROM unnest(%s::text[], %s::text[]) AS t(name, data) "
            "ON CONFLICT (name) DO UPDATE SET data = excluded.data",
            _columns([(n, encode_record(c).decode()) for n, c in out.campaigns.items()], 2),
        )
    if out.records:
        rows = [(c, h, encode_record(r).decode()) for (c, h), r in out.records.items()]
        await conn.execute(
            "INSERT INTO outbound_record(campaign, handle, data) "
            "SELECT t.c, t.h, t.data::json FROM unnest(%s::text[], %s::bigint[], %s::text[]) "
            "AS t(c, h, data) "
            "ON CONFLICT (campaign, handle) DO UPDATE SET data = excluded.data",
            _columns(rows, 3),
        )
    for phone, on in out.do_not_call.items():
        if on:
            await conn.execute(
                "INSERT INTO do_not_call(phone, seq) VALUES (%s, nextval('do_not_call_seq')) "
                "ON CONFLICT (phone) DO NOTHING",
                (phone,),
            )
        else:
            await conn.execute("DELETE FROM do_not_call WHERE phone = %s", (phone,))


def _columns(rows: Sequence[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as columns, for ``unnest`` (one statement for a whole batch)."""
    return [[row[i] for row in rows] for i in range(width)]


async def _count(conn: psycopg.AsyncConnection[Any], sql: str, params: Sequence[Any]) -> int:
    return len(await _rows(conn, sql, params))


async def _rows(
    conn: psycopg.AsyncConnection[Any], sql: str, params: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    cursor = await conn.execute(sql.encode(), params)
    return await cursor.fetchall()
