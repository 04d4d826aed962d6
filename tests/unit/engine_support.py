"""Shared set-up for engine tests: a configuration, a real SQLite file, a recording desktop."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

from wwe_host.api.desktop import ACTIONS
from wwe_host.config import Config, parse_config
from wwe_host.core.time import ManualClock, ManualScheduler, Scheduler
from wwe_host.domain.model import QueuedItem
from wwe_host.engine import Engine, FrameHandle
from wwe_host.store.base import Changes
from wwe_host.store.sqlite import SqliteStore

CRM = "http://crm.example:9001"
NOTES = "http://notes.example:9002"
DIALER = "http://dialer.example:9003"

BASE_INI = """
[wwe-host]
insecure-plain-password = true
{server}

[interaction-workspace]
service-client-api.accepted-web-content-origins = {origins}
service-client-api.user-data.read-allowed = {read}
service-client-api.user-data.write-allowed = {write}
{extra}
workspace.web-content = Dialer
interaction.web-content = CRM, Notes
agent-status.not-ready-reasons = Break, Lunch
sim.voice.answer-delay = {delay}

[action-codes]
Break = 1511
Lunch = 1512

[CRM]
url = http://crm.example:9001/crm.html?case=$Interaction.CaseId$

[Notes]
url = http://notes.example:9002/notes.html

[Dialer]
url = http://dialer.example:9003/dial.html

[agent:jdoe]
firstname = John
lastname = Doe
employeeId = 1001
password = secret
roles = ROLE_AGENT, ROLE_ADMIN
number = 5001
media = voice, email, chat

[agent:asmith]
firstname = Anna
lastname = Smith
employeeId = 1002
password = secret2
number = 5002
"""


ORIGINS = f"{CRM} (*), {NOTES} (agent.*, interaction.*), {DIALER}"


def base_ini(
    origins: str = ORIGINS,
    read: str = "*",
    write: str = "*",
    extra: str = "",
    delay: float = 0.05,
    server: str = "",
) -> str:
    """The test configuration's text (BASE_INI filled in), for tests that add sections."""
    return BASE_INI.format(
        origins=origins, read=read, write=write, extra=extra, delay=delay, server=server
    )


def make_config(
    origins: str = ORIGINS,
    read: str = "*",
    write: str = "*",
    extra: str = "",
    delay: float = 0.05,
    server: str = "",
) -> Config:
    return parse_config(base_ini(origins, read, write, extra, delay, server), "<test>")


class FlakyStore(SqliteStore):
    """SQLite that fails every commit while ``failing`` is set (as a full disk does)."""

    failing = False

    async def commit(self, changes: Changes) -> None:
        if self.failing:
            raise sqlite3.OperationalError("database or disk is full")
        await super().commit(changes)


class Desktop:
    """A desktop that records what the engine sends it."""

    def __init__(self) -> None:
        self.frames: list[tuple[str, str, dict[str, Any]]] = []
        self.ui_events: list[tuple[str, dict[str, Any]]] = []

    def frame_message(self, frame_id: str, origin: str, message: dict[str, Any]) -> None:
        self.frames.append((frame_id, origin, message))

    def ui(self, kind: str, data: dict[str, Any]) -> None:
        self.ui_events.append((kind, data))

    def events_for(self, frame_id: str, topic: str | None = None) -> list[dict[str, Any]]:
        return [
            m
            for f, _, m in self.frames
            if f == frame_id and (topic is None or m.get("event") == topic)
        ]

    def event_types(self, frame_id: str, topic: str = "interaction") -> list[str]:
        return [m["data"]["eventType"] for m in self.events_for(frame_id, topic)]


async def started_engine(
    tmp_path: Path, config: Config, clock: Any = None, scheduler: Scheduler | None = None
) -> Engine:
    """An engine on a real SQLite file. Without a clock it runs on manual time: nothing
    timed happens until ``advance`` moves it (no test sleeps to wait for a timer)."""
    store = SqliteStore(tmp_path / "wwe-host.db")
    if clock is None:
        clock = ManualClock()
        scheduler = ManualScheduler(clock)
    engine = Engine(config, store, clock=clock, scheduler=scheduler)
    await engine.start()
    return engine


async def advance(engine: Engine, seconds: float) -> None:
    """Move an engine on manual time forward, and let what fell due run to its end."""
    scheduler = engine.scheduler
    assert isinstance(scheduler, ManualScheduler), "the engine is not on manual time"
    scheduler.advance(seconds)
    await engine.settle()


class Agent:
    """An agent logged in with a desktop attached, and helpers to talk as a frame."""

    def __init__(self, engine: Engine, session_id: str, desktop: Desktop) -> None:
        self.engine = engine
        self.session_id = session_id
        self.desktop = desktop
        self._ref = 0

    @classmethod
    async def login(cls, engine: Engine, username: str = "jdoe", password: str = "secret") -> Agent:
        _, session = await engine.login(username, password)
        desktop = Desktop()
        engine.attach(session.session_id, desktop)
        return cls(engine, session.session_id, desktop)

    async def frame(
        self, section: str, origin: str, interaction_id: str | None = None
    ) -> FrameHandle:
        return await self.engine.open_frame(self.session_id, section, origin, interaction_id)

    async def request(self, frame: FrameHandle, name: str, *params: Any) -> dict[str, Any]:
        self._ref += 1
        message: dict[str, Any] = {
            "request": name,
            "referenceId": str(self._ref),
            "userAgent": "WWE Client",
            "protocolVersion": 2,
        }
        if params:
            message["parameters"] = list(params)
        reply = await self.engine.handle(frame, message)
        assert reply is not None, f"{name} got no reply"
        return reply

    async def ok(self, frame: FrameHandle, name: str, *params: Any) -> Any:
        reply = await self.request(frame, name, *params)
        assert "errorMessage" not in reply, reply
        return reply["data"]

    async def fails(self, frame: FrameHandle, name: str, *params: Any) -> dict[str, Any]:
        reply = await self.request(frame, name, *params)
        assert "errorMessage" in reply, reply
        return reply

    async def subscribe(self, frame: FrameHandle, *topics: str) -> str:
        self._ref += 1
        reply = await self.engine.handle(
            frame, {"event": "subscribe", "data": list(topics), "referenceId": str(self._ref)}
        )
        assert reply is not None and "subscriptionId" in reply, reply
        return str(reply["subscriptionId"])

    @property
    def session(self) -> Any:
        return self.engine.session_by_id(self.session_id)


QUEUE_INI = """
[queue:sales]
media = voice, email, chat
agents = jdoe, asmith
"""


def make_queue_config() -> Config:
    return parse_config(base_ini() + QUEUE_INI, "<test>")


async def set_state(engine: Engine, agent: Agent, name: str) -> None:
    """The agent picks a state in the desktop's menu (``operationName``, e.g. ``Ready``)."""
    await engine.agent_operation(
        agent.session_id, lambda call: ACTIONS["setState"](call, {"operationName": name})
    )


def call_item(engine: Engine, ani: str) -> QueuedItem:
    """A voice call from ``ani`` waiting for an agent (a queue's item)."""
    return QueuedItem(
        item_id=uuid.uuid4().hex,
        queue="",
        media="voice",
        sender=ani,
        enqueued_at=engine.now(),
        call_uuid=uuid.uuid4().hex.upper(),
        user_data={"Source": "test"},
    )
