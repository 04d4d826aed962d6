"""Ports of the core: what it needs of the outside world, as small protocols.

The Clock and Scheduler ports live in ``core/time.py``.
"""

from __future__ import annotations

from typing import Any, Protocol

Message = dict[str, Any]


class DesktopSink(Protocol):
    """A connected desktop. It promises to relay ``frame_message`` to the frame it names
    (with the origin it was registered with) and to show ``ui`` updates to the agent; it
    must not raise and must not block (both are called while a request is answered)."""

    def frame_message(self, frame_id: str, origin: str, message: Message) -> None: ...

    def ui(self, kind: str, data: dict[str, Any]) -> None: ...
