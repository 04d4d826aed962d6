"""The desktop's tab messages (docs/desktop-protocol.md): the tab id a page names in
``hello``, and its ``tab`` reports (window shown or hidden, the frames it shows, the agent
used it), handed to the engine's tab registry (core/tabs.py)."""

from __future__ import annotations

import itertools
import re
from typing import Any

from ..engine import Engine
from ..errors import ApiError, ErrorCode

_TAB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_SHOWN = 256  # frames a tab reports as shown
_made = itertools.count(1)


def tab_id(message: dict[str, Any]) -> str:
    """The page's tab id from ``hello``; a page that names none gets one of its own."""
    value = message.get("tabId")
    if value is None:
        return f"server-{next(_made)}"
    if not isinstance(value, str) or not _TAB_ID.match(value):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            "'tabId' must be 1 to 64 letters, digits, '_' or '-'.",
        )
    return value


def report(engine: Engine, session_id: str, tab: str | None, message: dict[str, Any]) -> None:
    """A ``tab`` message: ``visible`` (boolean), ``shown`` (frame ids), ``active`` (true
    when the agent used the tab); each optional."""
    if tab is None:
        raise ApiError(ErrorCode.INVALID_STATE, "A 'tab' report must come after 'hello'.")
    visible = message.get("visible")
    shown = message.get("shown")
    active = message.get("active", False)
    if visible is not None and not isinstance(visible, bool):
        raise ApiError(ErrorCode.INVALID_PARAMETER, "'visible' must be a boolean.")
    if not isinstance(active, bool):
        raise ApiError(ErrorCode.INVALID_PARAMETER, "'active' must be a boolean.")
    if shown is not None and (
        not isinstance(shown, list)
        or len(shown) > MAX_SHOWN
        or not all(isinstance(f, str) for f in shown)
    ):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"'shown' must be an array of at most {MAX_SHOWN} frame ids.",
        )
    engine.tabs.report(
        session_id,
        tab,
        visible=visible,
        shown=frozenset(shown) if shown is not None else None,
        active=active,
    )
