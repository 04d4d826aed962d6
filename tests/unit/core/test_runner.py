"""The unit of work on its own (core/runner.py), with the parts it is bound to replaced by
recorders: what an operation changed is committed before its after-commit actions run and
its notices reach a desktop; a failed commit runs and publishes nothing, answers
UNAVAILABLE, and hands the sessions it held to the session index to forget or restore."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from engine_support import Desktop, make_config

from wwe_host.core.runner import Runner
from wwe_host.core.state import CoreState
from wwe_host.core.time import ManualClock, ManualScheduler
from wwe_host.domain.effects import Effects
from wwe_host.domain.model import AgentSession, Interaction
from wwe_host.domain.states import NOT_READY
from wwe_host.errors import ApiError, ErrorCode
from wwe_host.store.base import Changes
from wwe_host.store.sqlite import SqliteStore


class Store(SqliteStore):
    """A real SQLite file that records the order of commits and can refuse them."""

    def __init__(self, path: Path, log: list[str]) -> None:
        super().__init__(path)
        self.log = log
        self.failing = False

    async def commit(self, changes: Changes) -> None:
        if self.failing:
            raise OSError("disk full")
        self.log.append("commit")
        await super().commit(changes)


class Parts:
    """Records what the runner asks of the session index, frame index and router."""

    def __init__(self) -> None:
        self.forgotten: list[str] = []
        self.indexed: list[str] = []
        self.reframed: list[str] = []

    def index(self, session: AgentSession) -> None:
        self.indexed.append(session.session_id)

    def forget(self, session_id: str) -> None:
        self.forgotten.append(session_id)

    def reframe(self, session: AgentSession) -> None:
        self.reframed.append(session.session_id)

    def drain(self, fx: Effects) -> None:
        return None

    def find(
        self, predicate: Callable[[Interaction], bool]
    ) -> tuple[AgentSession, Interaction] | None:
        return None


class Sink(Desktop):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def ui(self, kind: str, data: dict[str, Any]) -> None:
        self.log.append(f"ui:{kind}")
        super().ui(kind, data)


Rig = tuple[Runner, Store, Parts, CoreState, list[str]]


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    log: list[str] = []
    clock = ManualClock()
    store = Store(tmp_path / "wwe-host.db", log)
    await store.open()
    state = CoreState(make_config(), store, clock, ManualScheduler(clock))
    runner = Runner(state, None)
    parts = Parts()
    runner.bind(parts, parts, parts)
    state.sinks["s1"] = [Sink(log)]
    try:
        yield runner, store, parts, state, log
    finally:
        store.failing = False
        await store.close()


def new_session() -> AgentSession:
    return AgentSession(
        session_id="s1", username="agent1", started_at=0.0, last_activity=0.0, media={}
    )


def change(session: AgentSession, log: list[str]) -> Callable[[Effects], str]:
    def operation(fx: Effects) -> str:
        session.media["voice"] = NOT_READY
        fx.touch(session)
        fx.notify(session, "media", {"state": "NOT_READY"}, ui_only=True)
        fx.after_commit.append(lambda: log.append("after-commit"))
        return "done"

    return operation


async def test_commit_comes_before_after_commit_actions_and_publishing(rig: Rig) -> None:
    runner, _, parts, state, log = rig
    session = new_session()
    state.sessions["s1"] = session

    assert await runner.run(change(session, log)) == "done"

    assert log == ["commit", "after-commit", "ui:media"]
    assert parts.forgotten == []
    assert "s1" in runner.commits.durable


async def test_a_failed_commit_runs_and_publishes_nothing_and_forgets_an_unstored_session(
    rig: Rig,
) -> None:
    runner, store, parts, state, log = rig
    session = new_session()
    state.sessions["s1"] = session
    store.failing = True

    with pytest.raises(ApiError) as refused:
        await runner.run(change(session, log))

    assert refused.value.code is ErrorCode.UNAVAILABLE
    assert "nothing was changed" in refused.value.message
    assert log == []
    assert parts.forgotten == ["s1"]  # never stored: it disappears


async def test_a_failed_commit_puts_a_stored_session_back_in_place(rig: Rig) -> None:
    runner, store, parts, state, log = rig
    session = new_session()
    state.sessions["s1"] = session
    await runner.run(lambda fx: fx.touch(session))
    store.failing = True

    with pytest.raises(ApiError):
        await runner.run(change(session, log))

    assert session.media == {}  # the same object, back to its stored record
    assert parts.reframed == ["s1"]
    assert parts.forgotten == []
    assert log == ["commit"]
