"""The Store port's contract (store/base.py), run against every implementation: the
in-memory store and a real SQLite file. A store that passes it can stand in for the other."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from wwe_host.domain.model import AgentSession, QueuedItem, SessionToken
from wwe_host.domain.states import NOT_READY, READY
from wwe_host.store.base import AuditRow, Changes, Store
from wwe_host.store.memory import MemoryStore
from wwe_host.store.sqlite import SqliteStore


@pytest.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    chosen: Store = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "s.db")
    await chosen.open()
    try:
        yield chosen
    finally:
        await chosen.close()


def session(session_id: str, username: str = "jdoe") -> AgentSession:
    return AgentSession(
        session_id=session_id,
        username=username,
        started_at=1.0,
        last_activity=2.0,
        media={"voice": NOT_READY, "email": READY},
        auth_tokens=[SessionToken("digest", 1.0, 2.0)],
    )


def item(item_id: str, at: float = 0.0) -> QueuedItem:
    return QueuedItem(item_id=item_id, queue="sales", media="voice", sender="555", enqueued_at=at)


async def test_sessions_round_trip_as_copies(store: Store) -> None:
    live = session("s1")
    await store.commit(Changes(sessions=[live]))
    live.mic_muted = True  # the live object changes after its commit
    (loaded,) = await store.load_sessions()
    assert loaded is not live
    assert loaded.session_id == "s1"
    assert loaded.media == {"voice": NOT_READY, "email": READY}
    assert loaded.auth_tokens == [SessionToken("digest", 1.0, 2.0)]
    assert loaded.mic_muted is False


async def test_a_frozen_batch_stores_what_was_frozen(store: Store) -> None:
    live = session("s1")
    changes = Changes(sessions=[live])
    changes.freeze()
    live.mic_muted = True
    await store.commit(changes)
    (loaded,) = await store.load_sessions()
    assert loaded.mic_muted is False


async def test_a_session_is_overwritten_then_ended(store: Store) -> None:
    first = session("s1")
    await store.commit(Changes(sessions=[first, session("s2", "asmith")]))
    first.next_toast = 7
    await store.commit(Changes(sessions=[first]))
    loaded = {s.session_id: s for s in await store.load_sessions()}
    assert loaded["s1"].next_toast == 7
    await store.commit(Changes(ended=["s1"]))
    assert [s.session_id for s in await store.load_sessions()] == ["s2"]


async def test_the_queue_keeps_its_order_and_a_requeued_item_goes_last(store: Store) -> None:
    await store.commit(Changes(queued=[item("a"), item("b"), item("c")]))
    await store.commit(Changes(dequeued=["b"]))
    await store.commit(Changes(queued=[item("a", 5.0)]))
    queue = await store.load_queue()
    assert [i.item_id for i in queue] == ["c", "a"]
    assert queue[1].enqueued_at == 5.0


async def test_outbox_keeps_messages_and_their_status(store: Store) -> None:
    mail = {"messageId": "m1", "to": ["x@example.com"], "status": "pending", "at": 3.0}
    await store.commit(Changes(outbox=[mail, {**mail, "messageId": "m2"}]))
    await store.commit(Changes(outbox_status=[("m1", "sent")]))
    box = await store.outbox()
    assert [(m["messageId"], m["status"]) for m in box] == [("m1", "sent"), ("m2", "pending")]
    box[0]["status"] = "changed by the reader"
    assert (await store.outbox())[0]["status"] == "sent"


async def test_audit_filters_by_agent_and_outcome_and_keeps_the_newest(store: Store) -> None:
    rows = [
        (float(i), "jdoe" if i % 2 else "asmith", "f-1", "http://a", "voice.dial", outcome, "", 0.1)
        for i, outcome in enumerate(
            ["allowed", "refused:origin", "failed", "refused:rate-limit", "allowed"]
        )
    ]
    await store.commit(Changes(audit=rows[:3]))
    await store.commit(Changes(audit=rows[3:]))
    everything = await store.audit()
    assert [e.at for e in everything] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert [e.at for e in await store.audit(agent="jdoe")] == [1.0, 3.0]
    assert [e.at for e in await store.audit(outcome="refused")] == [1.0, 3.0]
    assert [e.at for e in await store.audit(limit=2)] == [3.0, 4.0]
    assert (await store.audit(outcome="refused:origin"))[0].origin == "http://a"


async def test_audit_retention_by_age_and_by_count(store: Store) -> None:
    def rows(at: float, n: int) -> list[AuditRow]:
        return [
            (at + i / 10, "jdoe", "f-1", "o", f"r{at:.0f}-{i}", "allowed", "", 0.1)
            for i in range(n)
        ]

    await store.commit(Changes(audit=rows(100.0, 3)))  # an old batch
    await store.commit(Changes(audit=rows(200.0, 4)))
    await store.commit(Changes(audit=rows(300.0, 2)))
    assert await store.prune_audit(before=150.0) == 3
    assert len(await store.audit()) == 6
    assert await store.prune_audit(keep=4) == 2
    assert [e.request for e in await store.audit()] == ["r200-2", "r200-3", "r300-0", "r300-1"]
    assert await store.prune_audit(before=0.0, keep=10) == 0


async def test_a_probe_writes_on_an_open_store(store: Store) -> None:
    await store.probe()


async def test_the_signing_key_is_kept_and_replaced(store: Store) -> None:
    assert await store.signing_key() is None
    await store.save_signing_key(b"-----BEGIN PRIVATE KEY-----\nfirst\n")
    assert await store.signing_key() == b"-----BEGIN PRIVATE KEY-----\nfirst\n"
    await store.save_signing_key(b"second")
    assert await store.signing_key() == b"second"
