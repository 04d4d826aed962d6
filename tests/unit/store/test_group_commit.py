"""Group commit (store/group_commit.py): batches, the durable copy, and failure handling."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from wwe_host.domain.model import AgentSession, QueuedItem
from wwe_host.store.base import AuditEntry, Changes, decode_session
from wwe_host.store.group_commit import GroupCommit


class GatedStore:
    """A store whose commits wait for ``gate`` and then fail while ``failing`` is set."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.entered = asyncio.Event()  # a commit has reached the store
        self.failing = False
        self.written: list[Changes] = []

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def load_sessions(self) -> list[AgentSession]:
        return []

    async def load_queue(self) -> list[QueuedItem]:
        return []

    async def commit(self, changes: Changes) -> None:
        self.entered.set()
        await self.gate.wait()
        if self.failing:
            raise OSError("disk full")
        self.written.append(changes)

    async def outbox(self) -> list[dict[str, Any]]:
        return []

    async def audit(
        self, *, agent: str | None = None, outcome: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        return []


def session(session_id: str, **fields: Any) -> AgentSession:
    return AgentSession(
        session_id=session_id,
        username=session_id,
        started_at=0,
        last_activity=0,
        media={},
        **fields,
    )


async def test_one_batch_per_loop_turn_and_the_durable_copy_is_what_was_written() -> None:
    store = GatedStore()
    commits = GroupCommit(store)
    a, b = session("a"), session("b")
    first = asyncio.ensure_future(commits.commit(Changes(sessions=[a])))
    second = asyncio.ensure_future(commits.commit(Changes(sessions=[b])))
    await store.entered.wait()  # the batch has been handed to the store, frozen
    a.mic_muted = True  # a later change: not part of this commit
    store.gate.set()
    await asyncio.gather(first, second)
    assert len(store.written) == 1
    assert decode_session(commits.durable["a"]).mic_muted is False
    assert set(commits.durable) == {"a", "b"}


async def test_a_failed_batch_fails_the_batch_gathered_behind_it_and_reports_both() -> None:
    store = GatedStore()
    failed: list[list[str]] = []
    commits = GroupCommit(
        store, on_failure=lambda batch, _: failed.append([s.session_id for s in batch.sessions])
    )
    store.failing = True
    first = asyncio.ensure_future(commits.commit(Changes(sessions=[session("a")])))
    await store.entered.wait()  # "a" is being written
    second = asyncio.ensure_future(commits.commit(Changes(sessions=[session("b")])))
    # Callbacks run in order: "b" joins a new batch before the store goes on with "a".
    asyncio.get_running_loop().call_soon(store.gate.set)
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert all(isinstance(r, OSError) for r in results), results
    assert failed == [["a"], ["b"]]
    assert commits.durable == {}
    assert commits.pending() is None

    store.failing = False
    await commits.commit(Changes(sessions=[session("c")]))
    assert set(commits.durable) == {"c"}


async def test_an_ended_session_leaves_the_durable_copies() -> None:
    store = GatedStore()
    store.gate.set()
    commits = GroupCommit(store)
    await commits.commit(Changes(sessions=[session("a")]))
    await commits.commit(Changes(ended=["a"]))
    assert commits.durable == {}


@pytest.mark.parametrize("count", [1, 5])
async def test_every_caller_of_a_batch_gets_its_outcome(count: int) -> None:
    store = GatedStore()
    store.gate.set()
    commits = GroupCommit(store)
    await asyncio.gather(
        *(commits.commit(Changes(sessions=[session(str(i))])) for i in range(count))
    )
    assert len(store.written) == 1
    assert len(store.written[0].sessions) == count


async def test_one_batch_is_written_at_a_time_and_the_next_names_the_new_versions() -> None:
    store = GatedStore()
    commits = GroupCommit(store)
    a = session("a")
    first = asyncio.ensure_future(commits.commit(Changes(sessions=[a])))
    await store.entered.wait()  # "a" at version 0 is being written
    store.entered.clear()
    second = asyncio.ensure_future(commits.commit(Changes(sessions=[a])))
    for _ in range(5):  # the second batch waits for the first, however many turns pass
        turn = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(turn.set_result, None)
        await turn
    assert not store.entered.is_set()
    store.gate.set()
    await asyncio.gather(first, second)
    assert [w.versions for w in store.written] == [{"a": 0}, {"a": 1}]
    assert commits.versions == {"a": 2}
    await commits.commit(Changes(ended=["a"]))
    assert store.written[-1].versions == {"a": 2}
    assert commits.versions == {} and commits.durable == {}
