"""Desktop tabs as a frame sees them (api-9.md "Several desktop tabs"): the states a tab
is in, and what ``system.amIVisible`` and the ``isFrame…`` requests answer."""

from __future__ import annotations

from dataclasses import dataclass

LEADING = "LEADING"
FOLLOWING = "FOLLOWING"
NEGOTIATING = "NEGOTIATING"
STATES = (LEADING, FOLLOWING, NEGOTIATING)

FRAME_STATE_CHANGED = "FRAME_STATE_CHANGED"


@dataclass(frozen=True, slots=True)
class TabView:
    """The tab that holds a frame, as that frame's requests see it."""

    tab_id: str | None  # None: no desktop tab holds the frame (it is answered as a lone tab)
    state: str
    visible: bool  # the frame is shown now: its tab selected, the window not hidden
    last_active: bool  # its tab is the one the agent used last


def state_event(state: str) -> dict[str, str]:
    """The ``system`` event a frame receives when its tab's state changed."""
    return {"eventType": FRAME_STATE_CHANGED, "state": state}
