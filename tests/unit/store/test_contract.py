"""The Store port's contract (store/base.py), run against every implementation: the
in-memory store and a real SQLite file. A store that passes it can stand in for the other."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from postgres_support import throwaway_database

from wwe_host.domain.model import AgentSession, QueuedItem, SessionToken
from wwe_host.domain.outbound import CallResult, Campaign, CampaignRecord, OutboundChanges
from wwe_host.domain.states import NOT_READY, READY
from wwe_host.store.base import AuditRow, Changes, Store, StoreConflict
from wwe_host.store.memory import MemoryStore
from wwe_host.store.postgresql import PostgresStore
from wwe_host.store.sqlite import SqliteStore


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "postgresql":
        async with throwaway_database() as url:
            chosen: Store = PostgresStore(url)
            await chosen.open()
            try:
                yield chosen
            finally:
                await chosen.close()
        return
    chosen = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "s.db")
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
    ((loaded, version),) = await store.load_sessions()
    assert version == 1
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
    ((loaded, _),) = await store.load_sessions()
    assert loaded.mic_muted is False


async def test_a_session_is_overwritten_then_ended(store: Store) -> None:
    first = session("s1")
    await store.commit(Changes(sessions=[first, session("s2", "asmith")]))
    first.next_toast = 7
    await store.commit(Changes(sessions=[first], versions={"s1": 1}))
    loaded = {s.session_id: (s, v) for s, v in await store.load_sessions()}
    assert loaded["s1"][0].next_toast == 7
    assert (loaded["s1"][1], loaded["s2"][1]) == (2, 1)
    await store.commit(Changes(ended=["s1"], versions={"s1": 2}))
    assert [s.session_id for s, _ in await store.load_sessions()] == ["s2"]
    assert await store.load_session("s1") is None
    stored = await store.load_session("s2")
    assert stored is not None and stored.version == 1 and stored.session.username == "asmith"


async def test_a_stale_write_is_refused_and_changes_nothing(store: Store) -> None:
    await store.commit(Changes(sessions=[session("s1"), session("s2", "asmith")]))
    newer = session("s1")
    newer.next_toast = 5
    await store.commit(Changes(sessions=[newer], versions={"s1": 1}))  # another writer
    stale, other = session("s1"), session("s2", "asmith")
    stale.mic_muted = other.mic_muted = True
    with pytest.raises(StoreConflict) as refused:
        await store.commit(
            Changes(
                sessions=[stale, other],
                versions={"s1": 1, "s2": 1},
                queued=[item("q")],
                audit=[(1.0, "jdoe", "f-1", "o", "voice.dial", "allowed", "", 0.1)],
            )
        )
    assert refused.value.session_ids == ["s1"]
    assert refused.value.code == "UNAVAILABLE"
    loaded = {s.session_id: (s, v) for s, v in await store.load_sessions()}
    assert (loaded["s1"][0].next_toast, loaded["s1"][0].mic_muted, loaded["s1"][1]) == (5, False, 2)
    assert (loaded["s2"][0].mic_muted, loaded["s2"][1]) == (False, 1)
    assert await store.load_queue() == [] and await store.audit() == []


async def test_a_record_is_created_once_and_ended_only_at_its_version(store: Store) -> None:
    await store.commit(Changes(sessions=[session("s1")]))
    with pytest.raises(StoreConflict):  # a second "new" record with the same id
        await store.commit(Changes(sessions=[session("s1")]))
    with pytest.raises(StoreConflict):  # ended by a writer that has not seen version 2
        await store.commit(Changes(sessions=[session("s1")], versions={"s1": 1}))
        await store.commit(Changes(ended=["s1"], versions={"s1": 1}))
    stored = await store.load_session("s1")
    assert stored is not None and stored.version == 2
    await store.commit(Changes(ended=["never-stored"]))  # nothing to end: no conflict


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


async def test_one_record_per_agent_and_it_is_found_by_user_name(store: Store) -> None:
    await store.commit(Changes(sessions=[session("s1", "jdoe")]))
    with pytest.raises(StoreConflict) as refused:  # another process's login, same agent
        await store.commit(Changes(sessions=[session("s2", "jdoe")]))
    assert refused.value.session_ids == ["s2"]
    found = await store.load_session_of("jdoe")
    assert found is not None and (found.session.session_id, found.version) == ("s1", 1)
    assert await store.load_session_of("asmith") is None


async def test_the_first_signing_key_is_kept(store: Store) -> None:
    """Processes starting together may each make a key: the first kept is everyone's."""
    assert await store.signing_key() is None
    first = b"-----BEGIN PRIVATE KEY-----\nfirst\n"
    assert await store.save_signing_key(first) == first
    assert await store.signing_key() == first
    assert await store.save_signing_key(b"second") == first
    assert await store.signing_key() == first


def _campaign(name: str = "spring") -> Campaign:
    return Campaign(
        name=name,
        mode="preview",
        status="LOADED",
        agents=["jdoe"],
        call_results=[CallResult("Answer", 33)],
        loaded_at=1.0,
    )


def _record(handle: int, campaign: str = "spring") -> CampaignRecord:
    return CampaignRecord(
        campaign=campaign, handle=handle, phone=f"+1555{handle}", chain="c", fields={"n": "x"}
    )


async def test_campaigns_records_and_do_not_call_round_trip(store: Store) -> None:
    changes = Changes()
    changes.outbound.campaigns["spring"] = _campaign()
    changes.outbound.campaigns["other"] = _campaign("other")
    for handle in (2, 1):
        changes.outbound.records[("spring", handle)] = _record(handle)
    changes.outbound.records[("other", 1)] = _record(1, "other")
    changes.outbound.do_not_call.update({"+1555": True, "+1666": True})
    await store.commit(changes)
    loaded = await store.load_outbound()
    assert sorted(c.name for c in loaded.campaigns) == ["other", "spring"]
    assert [(r.campaign, r.handle) for r in loaded.records] == [
        ("other", 1),
        ("spring", 1),
        ("spring", 2),
    ]
    assert loaded.records[1] == _record(1)
    assert loaded.do_not_call == ["+1555", "+1666"]
    # A record written again is replaced whole; a phone leaves the list.
    again = Changes(outbound_version=1)
    changed = _record(1)
    changed.status, changed.call_result, changed.due_at = "SCHEDULED", CallResult("Busy", 6), 9.5
    again.outbound.records[changed.key] = changed
    again.outbound.do_not_call["+1555"] = False
    await store.commit(again)
    loaded = await store.load_outbound()
    assert loaded.records[1] == changed
    assert loaded.do_not_call == ["+1666"]


async def test_an_unloaded_campaign_goes_with_its_records(store: Store) -> None:
    changes = Changes()
    changes.outbound.campaigns["spring"] = _campaign()
    changes.outbound.campaigns["other"] = _campaign("other")
    changes.outbound.records[("spring", 1)] = _record(1)
    changes.outbound.records[("other", 1)] = _record(1, "other")
    await store.commit(changes)
    gone = Changes(outbound_version=1)
    gone.outbound.merge(OutboundChanges(unloaded={"spring"}))
    await store.commit(gone)
    loaded = await store.load_outbound()
    assert [c.name for c in loaded.campaigns] == ["other"]
    assert [r.campaign for r in loaded.records] == ["other"]


async def test_a_refused_commit_writes_no_outbound_record(store: Store) -> None:
    await store.commit(Changes(sessions=[session("s1")]))
    stale = Changes(sessions=[session("s1")])  # expects no record: a conflict
    stale.outbound.campaigns["spring"] = _campaign()
    stale.outbound.do_not_call["+1555"] = True
    with pytest.raises(StoreConflict):
        await store.commit(stale)
    loaded = await store.load_outbound()
    assert loaded == ([], [], [], 0)


async def test_outbound_changes_made_on_an_older_version_are_refused(store: Store) -> None:
    first = Changes()
    first.outbound.campaigns["spring"] = _campaign()
    await store.commit(first)
    assert await store.outbound_version() == 1
    # Another writer, who read version 0, changes a record: refused, nothing written.
    late = Changes(outbound_version=0)
    late.outbound.records[("spring", 1)] = _record(1)
    late.outbound.do_not_call["+1555"] = True
    with pytest.raises(StoreConflict) as refused:
        await store.commit(late)
    assert refused.value.outbound and not refused.value.queue
    assert refused.value.session_ids == []
    assert await store.load_outbound() == ([_campaign()], [], [], 1)
    # A commit without outbound changes leaves the version alone.
    await store.commit(Changes(sessions=[session("s1")]))
    late.outbound_version = 1
    await store.commit(late)
    loaded = await store.load_outbound()
    assert (loaded.records, loaded.do_not_call, loaded.version) == ([_record(1)], ["+1555"], 2)


async def test_taking_an_item_that_is_not_queued_any_more_is_refused(store: Store) -> None:
    await store.commit(Changes(queued=[item("a"), item("b")]))
    await store.commit(Changes(dequeued=["a"]))  # one writer took it
    # Another writer took it too, with a session change: refused, nothing written.
    with pytest.raises(StoreConflict) as refused:
        await store.commit(
            Changes(sessions=[session("s1")], queued=[item("c")], dequeued=["b", "a"])
        )
    assert refused.value.queue and not refused.value.outbound
    assert [i.item_id for i in await store.load_queue()] == ["b"]
    assert await store.load_sessions() == []
    # Queued and taken in one batch (named twice) is not a conflict.
    await store.commit(Changes(queued=[item("d")], dequeued=["d", "b", "d"]))
    assert await store.load_queue() == []


async def test_a_commit_is_refused_when_a_session_it_relied_on_changed(store: Store) -> None:
    await store.commit(Changes(sessions=[session("s1")]))  # jdoe's, at version 1
    relying = Changes(outbound_version=0, relied_on=[("jdoe", "s1", 1), ("asmith", None, 0)])
    relying.outbound.campaigns["spring"] = _campaign()
    await store.commit(relying)  # both as named: written
    assert await store.outbound_version() == 1
    # jdoe's session changed since (version 2), asmith logged in: refused, nothing written.
    await store.commit(Changes(sessions=[session("s1")], versions={"s1": 1}))
    await store.commit(Changes(sessions=[session("s2", "asmith")]))
    late = Changes(outbound_version=1, relied_on=[("jdoe", "s1", 1), ("asmith", None, 0)])
    late.outbound.campaigns["other"] = _campaign("other")
    with pytest.raises(StoreConflict) as refused:
        await store.commit(late)
    assert sorted(refused.value.session_ids) == ["s1", "s2"]
    assert await store.outbound_version() == 1
    # A session relied on that ended is named too.
    await store.commit(Changes(ended=["s2"], versions={"s2": 1}))
    gone = Changes(outbound_version=1, relied_on=[("asmith", "s2", 1)])
    gone.outbound.campaigns["other"] = _campaign("other")
    with pytest.raises(StoreConflict) as refused:
        await store.commit(gone)
    assert refused.value.session_ids == ["s2"]
