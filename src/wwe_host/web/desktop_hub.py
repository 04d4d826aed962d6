"""The open desktop connections, grouped by agent session.

A session may have a few desktops open (tabs, a reconnect that overlaps the old socket),
at most ``[wwe-host] max-desktop-connections``. After a change the session's snapshot is
built and encoded once, and the same bytes go to every connection of the session: the
cost of a change does not grow with the number of open desktops.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from typing import Protocol

import msgspec

from ..core.views import AgentSession
from ..engine import DESKTOP_RENEW_SECONDS, Engine
from .snapshot import snapshot

_encode = msgspec.json.Encoder().encode
log = logging.getLogger("wwe_host.web")


class Member(Protocol):
    """A desktop connection as the hub sees it."""

    def put_encoded(self, data: bytes) -> None: ...


def snapshot_message(engine: Engine, session: AgentSession) -> bytes:
    """The ``snapshot`` message of ``session``, encoded."""
    return _encode({"type": "snapshot", "data": snapshot(engine, session)})


class SessionDesktops:
    """The desktops of one session, and its one pending snapshot."""

    def __init__(self, hub: DesktopHub, session_id: str) -> None:
        self.hub = hub
        self.session_id = session_id
        self.members: list[Member] = []
        self._due = False

    def snapshot_due(self) -> None:
        """Something changed: send one snapshot to every desktop, once this turn is over
        (several notices of one operation make one snapshot)."""
        if not self._due:
            self._due = True
            asyncio.get_running_loop().call_soon(self._send)

    def _send(self) -> None:
        self._due = False
        if not self.members:
            return
        session = self.hub.engine.session_by_id(self.session_id)
        if session is None:
            return
        data = self.hub.build(self.hub.engine, session)
        for member in self.members:
            member.put_encoded(data)


class DesktopHub:
    """Every open desktop connection of one engine, by session."""

    def __init__(
        self,
        engine: Engine,
        build: Callable[[Engine, AgentSession], bytes] = snapshot_message,
    ) -> None:
        self.engine = engine
        self.limit = engine.config.server.max_desktop_connections
        self.build = build  # tests count the builds through it
        self._sessions: dict[str, SessionDesktops] = {}

    def join(self, session_id: str, member: Member) -> SessionDesktops | None:
        """Add a desktop to its session; None if the session has its limit already."""
        group = self._sessions.get(session_id)
        if group is None:
            group = self._sessions[session_id] = SessionDesktops(self, session_id)
        elif len(group.members) >= self.limit:
            return None
        group.members.append(member)
        return group

    def leave(self, session_id: str, member: Member) -> None:
        group = self._sessions.get(session_id)
        if group is None:
            return
        if member in group.members:
            group.members.remove(member)
        if not group.members:
            del self._sessions[session_id]

    def connections(self, session_id: str) -> int:
        group = self._sessions.get(session_id)
        return len(group.members) if group else 0


class DesktopPlace:
    """A desktop's place among its session's ``max-desktop-connections`` on every process
    (``Engine.desktop_place``): taken when it connects, renewed by its traffic, given back
    when it closes."""

    def __init__(self, engine: Engine, session_id: str) -> None:
        self.engine = engine
        self.session_id = session_id
        self.desktop_id = secrets.token_hex(8)
        self._renewed = time.monotonic()

    async def take(self) -> bool:
        return await self.engine.desktop_place(self.session_id, self.desktop_id)

    async def renew_when_due(self) -> None:
        if time.monotonic() - self._renewed >= DESKTOP_RENEW_SECONDS:
            self._renewed = time.monotonic()
            await self.take()

    async def give_back(self) -> None:
        try:
            await self.engine.desktop_left(self.session_id, self.desktop_id)
        except Exception:
            log.exception("desktop of session %s: giving its place back failed", self.session_id)
