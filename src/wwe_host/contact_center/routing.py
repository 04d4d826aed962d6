"""Routing to queues: offer to the READY agent of the queue, with that media, who has
been idle longest; otherwise the interaction waits for the first one who becomes ready.

Idle means READY on that media with no interaction of that media still on the desktop
(ringing, talking, or waiting to be marked done)."""

from __future__ import annotations

from collections.abc import Callable, Container

from ..domain.model import AgentSession
from ..settings import QueueConfig


def pick_agent(
    queue: QueueConfig,
    media: str,
    live_session: Callable[[str], AgentSession | None],
    skip: Container[str] = (),
) -> AgentSession | None:
    """The agent to offer to (``skip``: agents not to offer it to now)."""
    best: AgentSession | None = None
    best_since = 0.0
    for username in queue.agents:
        if username in skip:
            continue
        session = live_session(username)
        if session is None:
            continue
        state = session.media.get(media)
        if state is None or state.type != "READY":
            continue
        if any(i.media == media for i in session.interactions.values()):
            continue
        since = session.idle_since.get(media, session.started_at)
        if best is None or since < best_since:
            best, best_since = session, since
    return best
