"""web/desktop_hub.py's DesktopPlace: a desktop's place among its session's, taken once,
renewed by traffic no more often than DESKTOP_RENEW_SECONDS, given back on close."""

from __future__ import annotations

from typing import Any

import pytest

from wwe_host.engine import DESKTOP_RENEW_SECONDS
from wwe_host.web import desktop_hub
from wwe_host.web.desktop_hub import DesktopPlace


class Places:
    """The engine's side: what was asked, and whether places are left."""

    def __init__(self, free: bool = True, failing: bool = False) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.free = free
        self.failing = failing

    async def desktop_place(self, session_id: str, desktop_id: str) -> bool:
        self.calls.append(("take", session_id, desktop_id))
        return self.free

    async def desktop_left(self, session_id: str, desktop_id: str) -> None:
        self.calls.append(("left", session_id, desktop_id))
        if self.failing:
            raise OSError("redis went away")


async def test_taken_renewed_when_due_and_given_back(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(desktop_hub.time, "monotonic", lambda: now[0])
    engine: Any = Places()
    place = DesktopPlace(engine, "s1")
    assert await place.take()
    await place.renew_when_due()  # a message right away: nothing to renew
    now[0] += DESKTOP_RENEW_SECONDS
    await place.renew_when_due()
    await place.renew_when_due()  # renewed just now
    await place.give_back()
    me = place.desktop_id
    assert engine.calls == [("take", "s1", me), ("take", "s1", me), ("left", "s1", me)]
    assert DesktopPlace(engine, "s1").desktop_id != me  # each desktop its own id


async def test_no_place_left_and_a_failed_give_back(caplog: pytest.LogCaptureFixture) -> None:
    engine: Any = Places(free=False, failing=True)
    place = DesktopPlace(engine, "s1")
    assert not await place.take()
    await place.give_back()  # logged, not raised: the lease ends by itself
    assert "giving its place back failed" in caplog.text
