"""What an operation changed and what it has to tell: collected here, applied by the engine.

Operations stay free of I/O: they mutate sessions, mark them dirty and record notices; the
engine commits the dirty sessions and only then publishes the notices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .model import AgentSession, Interaction, QueuedItem
from .outbound import OutboundChanges
from .views import interaction_view


@dataclass(slots=True)
class Notice:
    session_id: str
    topic: str
    data: dict[str, Any]
    frame_id: str | None = None  # only this frame (toast clicks, mark-done notices)
    ui_only: bool = False  # for the agent's desktop, never for frames
    # A message between frames (messenger.broadcastMessage): ``message`` is the event's
    # data as the sender gave it, for frames only (never the desktop's UI), never
    # ``except_frame`` (the sender).
    frames_only: bool = False
    message: Any = None
    except_frame: str | None = None


@dataclass(slots=True)
class Effects:
    notices: list[Notice] = field(default_factory=list)
    dirty: dict[str, AgentSession] = field(default_factory=dict)
    ended: list[str] = field(default_factory=list)  # sessions that were logged out
    outbox: list[dict[str, Any]] = field(default_factory=list)
    queued: list[QueuedItem] = field(default_factory=list)
    dequeued: list[str] = field(default_factory=list)
    # Outbound campaigns' records written (domain/outbound.py): in the same commit.
    outbound: OutboundChanges = field(default_factory=OutboundChanges)
    # Run only once the changes are durable (timers to arm): a failed commit drops them.
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    # Other agents' sessions the operation decided on without changing them, as
    # (user name, session id or None for none, version): with several processes its
    # commit is refused if one of them is not so in the store any more (store/base.py).
    relied_on: list[tuple[str, str | None, int]] = field(default_factory=list)

    def touch(self, session: AgentSession) -> None:
        self.dirty[session.session_id] = session

    def notify(
        self,
        session: AgentSession,
        topic: str,
        data: dict[str, Any],
        frame_id: str | None = None,
        ui_only: bool = False,
    ) -> None:
        self.notices.append(Notice(session.session_id, topic, data, frame_id, ui_only))

    def broadcast(self, session: AgentSession, topic: str, message: Any, sender: str) -> None:
        """``message`` to the session's frames subscribed to ``topic``, but the sender."""
        self.notices.append(
            Notice(
                session.session_id,
                topic,
                {},
                frames_only=True,
                message=message,
                except_frame=sender,
            )
        )

    def interaction_event(
        self, session: AgentSession, interaction: Interaction, event_type: str
    ) -> None:
        """An interaction event with a snapshot taken now, so events keep their own order."""
        self.touch(session)
        self.notify(
            session,
            "interaction",
            {
                "eventType": event_type,
                "media": interaction.media,
                "interaction": interaction_view(session, interaction),
            },
        )
