"""The SQLite store (store/sqlite.py) on real files: it refuses files it cannot use with one
line, reports write failures as ``StoreError``, probes with a real write, and prunes the
audit log by age and by count of requests (a row is one request, not one stored batch)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import msgspec
import pytest

from wwe_host.domain.model import AgentSession
from wwe_host.store import sqlite as sqlite_module
from wwe_host.store.base import AuditRow, Changes
from wwe_host.store.health import StoreError
from wwe_host.store.sqlite import SqliteStore


def entry(at: float, request: str = "agent.get") -> AuditRow:
    return (at, "jdoe", "frame-1", "http://crm.example", request, "allowed", "", 0.1)


def session(session_id: str = "s1", username: str = "jdoe") -> AgentSession:
    return AgentSession(
        session_id=session_id, username=username, started_at=0.0, last_activity=0.0, media={}
    )


async def opened(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    await store.open()
    return store


async def refusal(path: Path) -> str:
    with pytest.raises(StoreError) as info:
        await SqliteStore(path).open()
    reason = info.value.reason
    assert "\n" not in reason
    return reason


# ---------------------------------------------------------------------------- open


async def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wwe-host.db"
    path.write_bytes(b"this is not a database\n" * 200)
    assert await refusal(path) == (
        f"{path} is not a SQLite database (file is not a database); move it away or restore it"
    )


async def test_a_damaged_database_fails_its_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "wwe-host.db"
    store = await opened(path)
    await store.commit(Changes(sessions=[session(f"s{n}", f"agent{n}") for n in range(50)]))
    await store.close()
    with path.open("r+b") as file:  # the b-tree header of page 2
        file.seek(4096)
        file.write(b"\xff" * 16)
    reason = await refusal(path)
    assert reason.startswith(f"{path} is damaged (database disk image is malformed)") or (
        reason.startswith(f"{path} failed its integrity check (")
    )
    assert reason.endswith("restore it from a backup or move it away")


async def test_a_directory_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    reason = await refusal(blocker / "data" / "wwe-host.db")
    assert reason.startswith(f"cannot create the directory {blocker / 'data'} (")


async def test_opening_twice_opens_once(tmp_path: Path) -> None:
    store = await opened(tmp_path / "wwe-host.db")
    db = store.db
    await store.open()
    assert store.db is db
    await store.close()


# ---------------------------------------------------------------------------- writes


async def test_a_store_that_cannot_write_raises_store_error_and_recovers(tmp_path: Path) -> None:
    store = await opened(tmp_path / "wwe-host.db")
    store.db.execute("PRAGMA query_only = ON")  # every write now fails inside SQLite
    with pytest.raises(StoreError) as failed:
        await store.commit(Changes(sessions=[session()], audit=[entry(1.0)]))
    assert "cannot be written (attempt to write a readonly database)" in failed.value.reason
    assert failed.value.code == "UNAVAILABLE"
    with pytest.raises(StoreError):
        await store.probe()
    assert not store.db.in_transaction
    store.db.execute("PRAGMA query_only = OFF")
    await store.probe()
    await store.commit(Changes(sessions=[session()]))
    assert [s.session.session_id for s in await store.load_sessions()] == ["s1"]
    assert await store.audit() == []  # the failed commit wrote nothing
    await store.close()


async def test_the_probe_really_writes(tmp_path: Path) -> None:
    store = await opened(tmp_path / "wwe-host.db")
    before = store.db.execute("SELECT probes FROM health").fetchone()[0]
    await store.probe()
    await store.probe()
    assert store.db.execute("SELECT probes FROM health").fetchone()[0] == before + 2
    await store.close()


# ---------------------------------------------------------------------------- audit retention


async def batches(store: SqliteStore, sizes: list[int], start: float = 0.0) -> list[AuditRow]:
    """Commit one batch per size; entry n is at time start + n."""
    rows: list[AuditRow] = []
    for size in sizes:
        batch = [
            entry(start + len(rows) + i, f"r{int(start) + len(rows) + i}") for i in range(size)
        ]
        await store.commit(Changes(audit=batch))
        rows += batch
    return rows


async def test_rows_keeps_exactly_the_newest_requests(tmp_path: Path) -> None:
    store = await opened(tmp_path / "wwe-host.db")
    rows = await batches(store, [4, 4, 4, 4])
    assert await store.prune_audit(keep=10) == 6  # one batch, and two of the next
    kept = await store.audit(limit=100)
    assert [e.request for e in kept] == [r[4] for r in rows[6:]]
    assert await store.prune_audit(keep=10) == 0
    more = await batches(store, [3], start=100.0)
    assert await store.prune_audit(keep=10) == 3
    kept = await store.audit(limit=100)
    assert [e.request for e in kept] == [r[4] for r in (rows + more)[9:]]
    await store.close()


async def test_days_remove_batches_older_than_the_cutoff(tmp_path: Path) -> None:
    store = await opened(tmp_path / "wwe-host.db")
    await batches(store, [2, 2, 2])  # times 0-1, 2-3, 4-5
    assert await store.prune_audit(before=2.5) == 2  # the batch of 2-3 straddles: kept
    assert [e.at for e in await store.audit()] == [2.0, 3.0, 4.0, 5.0]
    assert await store.prune_audit(before=100.0) == 4
    assert await store.audit() == []
    await store.close()


async def test_days_and_rows_together(tmp_path: Path) -> None:
    store = await opened(tmp_path / "wwe-host.db")
    await batches(store, [5, 5, 5])
    assert await store.prune_audit(before=5.0, keep=7) == 8
    assert [e.at for e in await store.audit()] == [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0]
    await store.close()


async def test_pruning_goes_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_module, "PRUNE_CHUNK", 2)
    store = await opened(tmp_path / "wwe-host.db")
    await batches(store, [1] * 9)
    assert await store.prune_audit(before=7.0) == 7
    assert await store.prune_audit(keep=1) == 1
    assert [e.at for e in await store.audit()] == [8.0]
    await store.close()


async def test_batches_stored_before_the_retention_are_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database from the version before (schema 4) gets its batches counted and dated
    when it is migrated, so the retention applies to them too."""
    path = tmp_path / "wwe-host.db"
    old = {v: sql for v, sql in sqlite_module.MIGRATIONS.items() if v <= 4}
    monkeypatch.setattr(sqlite_module, "MIGRATIONS", old)
    monkeypatch.setattr(SqliteStore, "_probe", lambda self, db: None)  # no health table yet
    db = sqlite3.connect(path, isolation_level=None)
    store = SqliteStore(path)
    store._migrate(db)
    encode = msgspec.msgpack.Encoder().encode  # schema 4 and 5 batches were MessagePack
    for first in (0, 3, 6):
        batch = [entry(float(first + i), f"r{first + i}") for i in range(3)]
        db.execute("INSERT INTO audit_batch(data) VALUES (?)", (encode(batch),))
    db.close()
    monkeypatch.undo()
    store = await opened(path)
    rows = store.db.execute(
        "SELECT entries, first_at, last_at, seq_end FROM audit_batch ORDER BY id"
    ).fetchall()
    assert rows == [(3, 0.0, 2.0, 3), (3, 3.0, 5.0, 6), (3, 6.0, 8.0, 9)]
    await batches(store, [2], start=9.0)
    assert store.db.execute("SELECT MAX(seq_end) FROM audit_batch").fetchone()[0] == 11
    assert await store.prune_audit(keep=4) == 7
    assert [e.request for e in await store.audit()] == ["r7", "r8", "r9", "r10"]
    await store.close()


async def test_schema_5_records_become_json_and_the_audit_reads_as_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of the version before (MessagePack records, schema 5) is converted when it is
    opened; afterwards any SQL client reads sessions as JSON and the audit as rows."""
    path = tmp_path / "wwe-host.db"
    old = {v: sql for v, sql in sqlite_module.MIGRATIONS.items() if v <= 5}
    monkeypatch.setattr(sqlite_module, "MIGRATIONS", old)
    monkeypatch.setattr(sqlite_module, "SCHEMA", 5)
    db = sqlite3.connect(path, isolation_level=None)
    SqliteStore(path)._migrate(db)
    pack = msgspec.msgpack.Encoder().encode
    db.execute(
        "INSERT INTO sessions(session_id, username, data) VALUES (?, ?, ?)",
        ("s1", "jdoe", pack(session("s1"))),
    )
    db.execute(
        "INSERT INTO queue(item_id, seq, data) VALUES (?, 1, ?)",
        (
            "q1",
            pack(
                {
                    "item_id": "q1",
                    "queue": "sales",
                    "media": "voice",
                    "sender": "555",
                    "enqueued_at": 1.0,
                }
            ),
        ),
    )
    db.execute(
        "INSERT INTO audit_batch(data, entries, first_at, last_at, seq_end) "
        "VALUES (?, 2, 1.0, 2.0, 2)",
        (pack([entry(1.0, "agent.get"), entry(2.0, "voice.dial")]),),
    )
    db.close()
    monkeypatch.undo()

    store = await opened(path)
    ((loaded, version),) = await store.load_sessions()
    assert (loaded.session_id, version) == ("s1", 1)
    assert [i.item_id for i in await store.load_queue()] == ["q1"]
    assert [e.request for e in await store.audit()] == ["agent.get", "voice.dial"]
    await store.commit(Changes(audit=[entry(3.0, "agent.set")]))
    await store.close()

    plain = sqlite3.connect(path)  # what any SQL client sees
    assert plain.execute(
        "SELECT json_extract(data, '$.username'), version FROM sessions"
    ).fetchall() == [("jdoe", 1)]
    rows = plain.execute(
        "SELECT at, agent, request, outcome FROM audit_log WHERE request LIKE 'voice.%' "
        "OR request = 'agent.set' ORDER BY batch, position"
    ).fetchall()
    assert rows == [(2.0, "jdoe", "voice.dial", "allowed"), (3.0, "jdoe", "agent.set", "allowed")]
    plain.close()


async def test_a_database_of_a_newer_schema_is_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "wwe-host.db"
    await (await opened(path)).close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE schema_version SET version = 99")
    db.close()
    reason = await refusal(path)
    assert f"schema version 99, newer than this wwe-host knows ({sqlite_module.SCHEMA})" in reason


async def test_the_signing_key_survives_a_reopen(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "k.db")
    await store.open()
    await store.save_signing_key(b"pem bytes")
    await store.close()
    again = SqliteStore(tmp_path / "k.db")
    await again.open()
    assert await again.signing_key() == b"pem bytes"
    await again.close()


async def test_every_read_of_a_damaged_file_is_a_store_error(tmp_path: Path) -> None:
    store = await opened(tmp_path / "wwe-host.db")
    try:
        with sqlite3.connect(tmp_path / "wwe-host.db") as db:  # behind the store's back
            for table in ("sessions", "queue", "outbox", "audit_batch", "signing_key"):
                db.execute(f"DROP TABLE {table}")
            db.execute("DROP TABLE outbound_version")
        reads = [
            store.load_sessions(),
            store.load_session("s1"),
            store.session_versions(),
            store.load_session_of("jdoe"),
            store.load_queue(),
            store.load_outbound(),
            store.outbound_version(),
            store.signing_key(),
            store.outbox(),
            store.audit(),
        ]
        for read in reads:
            with pytest.raises(StoreError, match="no such table") as refused:
                await read
            assert refused.value.message.startswith("The server cannot read its store now (")
    finally:
        await store.close()
