"""The frame registry: the frames each session's desktops show, and the desktops."""

from __future__ import annotations

from ..domain import desktop_items
from ..domain import operations as ops
from ..domain.effects import Effects
from ..domain.model import AgentSession, FrameRecord
from ..errors import ApiError, ErrorCode
from ..security import frame_allowed, normalize_origin
from ..settings import WebContent
from .ports import DesktopSink
from .runner import Runner
from .state import CoreState

# The section name the desktop reports for the page that embeds it (protocol.md: a page
# that embeds the desktop and targets it explicitly).
EMBEDDER_SECTION = "@embedder"


class FrameHandle:
    """A frame as the engine sees it: its record, the request set its policy allows."""

    __slots__ = ("allowed", "in_flight", "record", "session_id", "username")

    def __init__(
        self,
        session_id: str,
        username: str,
        record: FrameRecord,
        allowed: frozenset[str] | None,
    ) -> None:
        self.session_id = session_id
        self.username = username
        self.record = record
        self.allowed = allowed
        self.in_flight = 0


class Frames:
    """The frame registry. It promises one handle per (session, frame id), kept pointing
    at the session's live frame record (also after a failed commit put it back), with the
    request set the security policy allows its origin; and the desktops attached per
    session."""

    def __init__(self, state: CoreState, runner: Runner) -> None:
        self.state = state
        self.runner = runner
        self._frames: dict[tuple[str, str], FrameHandle] = {}

    # --- desktops ------------------------------------------------------------------------

    def attach(self, session_id: str, sink: DesktopSink) -> None:
        self.state.sinks.setdefault(session_id, []).append(sink)

    def detach(self, session_id: str, sink: DesktopSink) -> None:
        sinks = self.state.sinks.get(session_id)
        if sinks and sink in sinks:
            sinks.remove(sink)
            if not sinks:
                del self.state.sinks[session_id]

    def desktops(self, session_id: str) -> int:
        return len(self.state.sinks.get(session_id, ()))

    # --- frames --------------------------------------------------------------------------

    def web_content(self, username: str, section: str) -> tuple[WebContent, bool] | None:
        options = self.state.config.agents[username].options
        for wc in options.workspace_web_content:
            if wc.section == section:
                return wc, True
        for wc in options.interaction_web_content:
            if wc.section == section:
                return wc, False
        return None

    def handle_for(self, session: AgentSession, record: FrameRecord) -> FrameHandle:
        try:
            origin = normalize_origin(record.origin)
        except ValueError:
            origin = record.origin
        security = self.state.config.security
        allowed = frame_allowed(
            security.origins,
            origin,
            agent_level=record.agent_level,
            dial_only=security.dial_only,
        )
        return FrameHandle(session.session_id, session.username, record, allowed)

    def index(self, session: AgentSession) -> None:
        """Make handles for the frames of a session loaded from the store."""
        for record in session.frames.values():
            self._frames[(session.session_id, record.frame_id)] = self.handle_for(session, record)

    def forget(self, session_id: str) -> None:
        for key in [k for k in self._frames if k[0] == session_id]:
            del self._frames[key]

    def reframe(self, session: AgentSession) -> None:
        """The session was put back to its stored record: re-point the handles the
        desktops hold at its frame records (and drop those of frames it no longer has)."""
        session_id = session.session_id
        for key in [k for k in self._frames if k[0] == session_id]:
            record = session.frames.get(key[1])
            if record is None:
                del self._frames[key]
            else:
                handle = self._frames[key]
                handle.record = record
                handle.allowed = self.handle_for(session, record).allowed
        for frame_id, record in session.frames.items():
            if (session_id, frame_id) not in self._frames:
                self._frames[(session_id, frame_id)] = self.handle_for(session, record)

    async def open_frame(
        self,
        session_id: str,
        section: str,
        origin: str,
        interaction_id: str | None = None,
        frame_id: str | None = None,
    ) -> FrameHandle:
        """Register a frame the desktop created (or re-register one after a reconnect)."""
        session = self.state.sessions.get(session_id)
        if session is None:
            raise ApiError(ErrorCode.NOT_FOUND, "No such session.")
        if frame_id is not None:
            existing = self._frames.get((session_id, frame_id))
            if existing is not None:
                if existing.record.origin != origin:
                    return await self.frame_navigated(existing, origin)
                return existing
        if section == EMBEDDER_SECTION or section.startswith(desktop_items.DIALOG_SECTION_PREFIX):
            # The page that embeds the desktop, or a dialog's frame: its origin's filter,
            # like an interaction-level frame, but bound to no interaction.
            dialog_id = section.removeprefix(desktop_items.DIALOG_SECTION_PREFIX)
            if section != EMBEDDER_SECTION and dialog_id not in session.dialogs:
                raise ApiError(ErrorCode.NOT_FOUND, f"No open dialog '{dialog_id}'.")
            agent_level = bound = False
            interaction_id = None
        else:
            found = self.web_content(session.username, section)
            if found is None:
                raise ApiError(
                    ErrorCode.NOT_FOUND, f"No web-content section '{section}' for this agent."
                )
            agent_level = found[1]
            bound = not agent_level
        if bound:
            if interaction_id is None:
                raise ApiError(
                    ErrorCode.INVALID_PARAMETER,
                    f"Section '{section}' is interaction-level: name its interaction.",
                )
            ops.get_interaction(session, interaction_id)

        def register(fx: Effects) -> FrameHandle:
            nonlocal frame_id
            if frame_id is None or (session_id, frame_id) in self._frames:
                frame_id = f"f-{session.next_frame}"
                session.next_frame += 1
            record = FrameRecord(
                frame_id=frame_id,
                origin=origin,
                section=section,
                agent_level=agent_level,
                interaction_id=None if agent_level else interaction_id,
            )
            session.frames[frame_id] = record
            fx.touch(session)
            handle = self.handle_for(session, record)
            self._frames[(session_id, frame_id)] = handle
            return handle

        return await self.runner.run(register)

    async def frame_navigated(self, frame: FrameHandle, origin: str) -> FrameHandle:
        """The frame now shows a document of another origin: it is that origin from now on,
        and what the old document subscribed to is not the new one's."""
        session = self.state.sessions[frame.session_id]

        def move(fx: Effects) -> FrameHandle:
            frame.record.origin = origin
            frame.record.subscriptions.clear()
            desktop_items.frame_gone(fx, session, frame.record.frame_id)
            fresh = self.handle_for(session, frame.record)
            frame.allowed = fresh.allowed
            fx.touch(session)
            return frame

        return await self.runner.run(move)

    async def close_frame(self, session_id: str, frame_id: str) -> None:
        session = self.state.sessions.get(session_id)
        if session is None or frame_id not in session.frames:
            return

        def remove(fx: Effects) -> None:
            session.frames.pop(frame_id, None)
            self._frames.pop((session_id, frame_id), None)
            desktop_items.frame_gone(fx, session, frame_id)
            fx.touch(session)

        await self.runner.run(remove)

    def frame(self, session_id: str, frame_id: str) -> FrameHandle | None:
        return self._frames.get((session_id, frame_id))
