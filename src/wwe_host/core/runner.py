"""The unit of work: run an operation, commit what it changed, then publish.

One operation runs against the live sessions and records what it changed in an
``Effects``; the changes are committed (group commit); only a durable change runs its
after-commit actions (timers it armed), publishes its notices and hands its e-mails to
SMTP. A failed commit changes nothing: every session the batch held is put back to its
durable record (docs/architecture.md, "A failed commit changes nothing").
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from .. import protocol
from ..api import RequestContext
from ..contact_center.mail import SmtpSender
from ..domain.effects import Effects, Notice
from ..domain.model import AgentSession, Interaction
from ..errors import ApiError, ErrorCode
from ..store.base import (
    Changes,
    StoreConflict,
    StoredSession,
    decode_item,
    decode_session,
    encode_record,
    encode_session,
)
from ..store.group_commit import GroupCommit
from ..store.health import StoreError
from .ports import Message
from .state import CoreState

log = logging.getLogger("wwe_host.engine")

T = TypeVar("T")

# How often an operation refused as stale (another process changed its session) is run
# again on the truth before the refusal is answered.
CONFLICT_ATTEMPTS = 3
# Audit rows kept in memory while the store cannot write (the oldest go first beyond it).
AUDIT_BUFFER_MAX = 100_000


class SessionIndex(Protocol):
    """Where live sessions are registered (``core/sessions.py``)."""

    def index(self, session: AgentSession) -> None: ...

    def forget(self, session_id: str) -> None: ...


class FrameIndex(Protocol):
    """The frame handles of live sessions (``core/frames.py``)."""

    def reframe(self, session: AgentSession) -> None: ...


class Router(Protocol):
    """The routing queue (``core/routing.py``)."""

    def drain(self, fx: Effects) -> None: ...

    def find(
        self, predicate: Callable[[Interaction], bool]
    ) -> tuple[AgentSession, Interaction] | None: ...


class Mirrored(Protocol):
    """A part besides the sessions that every process keeps whole and others change too
    (the outbound campaigns, ``core/outbound.py``): what a commit wrote of it is published
    with the commit's message; a newer version taken from another process or the store."""

    def published(self, batch: Changes) -> Message: ...

    def take_remote(self, part: Message) -> None: ...

    async def refresh(self) -> None: ...


class Runner:
    """Runs operations as units of work. It promises: the notices, timers and e-mails of
    an operation take effect only once its changes are durable; a failed commit raises
    ``ApiError(UNAVAILABLE)`` and leaves memory as the store has it (its audit rows are
    kept for the next commit)."""

    def __init__(self, state: CoreState, mail: SmtpSender | None) -> None:
        self.state = state
        self.mail = mail
        self.commits = GroupCommit(
            state.store, on_failure=self._rollback, health=state.store_health
        )
        self._sessions: SessionIndex | None = None
        self._frames: FrameIndex | None = None
        self._router: Router | None = None
        # A session was taken from another process: re-arm what it holds (the engine sets
        # this: toasts' auto-close, so a timer outlives the process that armed it).
        self.on_mirrored: Callable[[str], None] = lambda session_id: None
        # The outbound campaigns, when they are mirrored (they set it).
        self.outbound: Mirrored | None = None

    def bind(self, sessions: SessionIndex, frames: FrameIndex, router: Router) -> None:
        """Give the runner the parts it restores and drains (they need it to run)."""
        self._sessions = sessions
        self._frames = frames
        self._router = router

    @property
    def sessions(self) -> SessionIndex:
        assert self._sessions is not None, "Runner.bind was not called"
        return self._sessions

    @property
    def frames(self) -> FrameIndex:
        assert self._frames is not None, "Runner.bind was not called"
        return self._frames

    @property
    def router(self) -> Router:
        assert self._router is not None, "Runner.bind was not called"
        return self._router

    async def run(self, operation: Callable[[Effects], T]) -> T:
        """Run an operation; commit what it changed, then publish what it said.

        An ``ApiError`` still publishes the notices the operation made before refusing
        (a blocked mark done tells the blocking frame), then propagates. A failed commit
        raises ``ApiError(UNAVAILABLE)`` and leaves nothing of the operation behind. A
        commit refused as stale (another process changed a session since) runs the
        operation again on the sessions as stored, up to ``CONFLICT_ATTEMPTS`` times.
        """
        attempt = 1
        while True:
            fx = Effects()
            try:
                result = self._deferring(fx, operation)
            except ApiError as refused:
                await self.finish(fx)
                if attempt == 1 and await self.caught_up(refused):
                    attempt += 1
                    continue
                raise
            try:
                await self.finish(fx)
            except StoreConflict:
                # Again only while every session it changed is still here: one ended
                # elsewhere must not come back through an operation that held it.
                gone = any(sid not in self.state.sessions for sid in fx.dirty)
                if attempt >= CONFLICT_ATTEMPTS or gone:
                    raise
                attempt += 1
                continue
            return result

    def operate(
        self,
        call: RequestContext,
        handler: Callable[[RequestContext, list[Any]], T],
        params: Any,
    ) -> T:
        """Run a request's handler; timers it arms wait for its commit (if it changed
        anything, its Effects exist by then)."""
        deferred: list[Callable[[], None]] = []
        self.state.deferred = deferred
        try:
            return handler(call, params)
        finally:
            self.state.deferred = None
            if deferred:
                call.fx.after_commit.extend(deferred)

    def _deferring(self, fx: Effects, operation: Callable[[Effects], T]) -> T:
        self.state.deferred = fx.after_commit
        try:
            return operation(fx)
        finally:
            self.state.deferred = None

    def _rollback(self, batch: Changes, problem: BaseException) -> None:
        """A commit failed: put every session it held back to its durable record (a session
        never stored disappears), the queue too, and keep its audit rows for the next one."""
        state = self.state
        touched = {s.session_id for s in batch.sessions} | set(batch.ended)
        # The store's health logs the outage once (store/health.py); this is detail.
        log.debug(
            "commit failed (%s); %d session(s) put back to their stored state",
            problem,
            len(touched),
        )
        for session_id in touched:
            data = self.commits.durable.get(session_id)
            if data is None:
                self.sessions.forget(session_id)
            else:
                self._restore(decode_session(data))
        if batch.queued or batch.dequeued:
            state.queue = list(state.durable_queue)
        if batch.audit:
            kept = batch.audit + state.audit
            if len(kept) > AUDIT_BUFFER_MAX:
                log.warning(
                    "audit buffer full: %d oldest rows dropped", len(kept) - AUDIT_BUFFER_MAX
                )
                kept = kept[-AUDIT_BUFFER_MAX:]
            state.audit = kept

    async def load_user(self, username: str) -> AgentSession | None:
        """The agent's session as the store has it (another process may have opened it),
        now cached here; None when the agent has none."""
        stored = await self.state.store.load_session_of(username)
        if stored is None:
            return None
        session_id = stored.session.session_id
        self._take(session_id, stored)
        return self.state.sessions.get(session_id)

    async def _reload(self, conflict: StoreConflict) -> None:
        """Another writer changed what ``conflict`` names: take it as the store has it now."""
        for session_id in conflict.session_ids:
            self._take(session_id, await self.state.store.load_session(session_id))
        if conflict.queue:
            await self._reload_queue()
        if conflict.outbound and self.outbound is not None:
            await self.outbound.refresh()

    async def _reload_queue(self) -> None:
        """Take the queue as stored, unless this process changed it meanwhile (that commit
        is refused in turn if it took an item another writer took)."""
        if self.commits.queue_pending():
            return
        queue = await self.state.store.load_queue()
        if self.commits.queue_pending():
            return
        self.state.queue = queue
        self.state.durable_queue = list(queue)

    def _take(self, session_id: str, stored: StoredSession | None) -> bool:
        """Make ``stored`` (None: no such session any more) the cached session, unless this
        process changed it meanwhile: changes not yet durable are never overwritten in
        memory (their commit names the old version, is refused, and runs again on the
        truth), nor is a newer version replaced by an older one. True when taken."""
        if session_id in self.commits.pending_sessions():
            return False
        if stored is None:
            self.commits.adopt(session_id, None)
            self.sessions.forget(session_id)
            return True
        if stored.version < self.commits.versions.get(session_id, 0):
            return False
        self.commits.adopt(session_id, encode_session(stored.session), stored.version)
        self._restore(stored.session)
        return True

    def _restore(self, stored: AgentSession) -> None:
        """Put the live session back to ``stored`` (decoded from the store), in place, so
        that whoever holds the session object holds the restored one; re-point the token
        book and the frame handles the desktops hold."""
        state = self.state
        session_id = stored.session_id
        session = state.sessions.get(session_id)
        if session is None:
            self.sessions.index(stored)
            return
        state.tokens.forget(session)
        for name in session.__struct_fields__:
            setattr(session, name, getattr(stored, name))
        state.by_user[session.username] = session_id
        state.tokens.index(session)
        self.frames.reframe(session)

    async def finish(self, fx: Effects) -> None:
        """Commit what ``fx`` changed, then run its after-commit actions and publish."""
        state = self.state
        if state.queue and any(
            n.topic == "media" or n.data.get("eventType") == "REMOVED" for n in fx.notices
        ):
            self.router.drain(fx)
        for mail in fx.outbox:
            mail.setdefault("messageId", uuid.uuid4().hex)
            mail["status"] = "pending" if self.mail else "kept"
        batch: Changes | None = None  # the batch that made them durable
        if fx.dirty or fx.ended or fx.outbox or fx.queued or fx.dequeued or fx.outbound:
            ended = set(fx.ended)
            changes = Changes(
                sessions=[s for sid, s in fx.dirty.items() if sid not in ended],
                ended=list(ended),
                outbox=fx.outbox,
                queued=fx.queued,
                dequeued=fx.dequeued,
                outbound=fx.outbound,
                relied_on=fx.relied_on,
            )
            if state.audit:
                changes.audit, state.audit = state.audit, []
            try:
                batch = await self.commits.commit(changes)
            except StoreConflict as conflict:
                await self._reload(conflict)
                raise
            except Exception as problem:
                because = f" ({problem.reason})" if isinstance(problem, StoreError) else ""
                raise ApiError(
                    ErrorCode.UNAVAILABLE,
                    f"The change could not be stored{because}; nothing was changed. Retry later.",
                ) from problem
            if fx.queued or fx.dequeued:
                gone = set(fx.dequeued)
                state.durable_queue = [i for i in state.durable_queue if i.item_id not in gone] + [
                    i for i in fx.queued if i.item_id not in gone
                ]
        for action in fx.after_commit:
            action()
        for notice in fx.notices:
            self._publish(notice)
        for session_id in fx.ended:
            self.sessions.forget(session_id)
        if state.bus.shared:
            message = self._change_message(fx)
            if fx.outbound and batch is not None and self.outbound is not None:
                message["outbound"] = self.outbound.published(batch)
            state.bus.publish(message)
        if self.mail is not None:
            for mail in fx.outbox:
                state.spawn(self._send_mail(self.mail, mail))

    # --- several processes (core/ports.py EventBus) ------------------------------------

    def _change_message(self, fx: Effects) -> Message:
        """What an operation made durable, for the other processes: the records as
        written (with their versions), the ended sessions, the queue's changes, the
        notices to publish to the desktops connected there."""
        durable, versions = self.commits.durable, self.commits.versions
        ended = set(fx.ended)
        return {
            "records": [
                [sid, versions[sid], durable[sid].decode()]
                for sid in fx.dirty
                if sid not in ended and sid in durable
            ],
            "ended": list(ended),
            "queued": [encode_record(item).decode() for item in fx.queued],
            "dequeued": list(fx.dequeued),
            "notices": [
                [
                    n.session_id,
                    n.topic,
                    n.data,
                    n.frame_id,
                    n.ui_only,
                    n.frames_only,
                    n.message,
                    n.except_frame,
                ]
                for n in fx.notices
            ],
        }

    def apply_remote(self, message: Message) -> None:
        """Another process committed: mirror its records and hand its notices to the
        desktops connected here. A record older than the one held is ignored; one of a
        session with changes of this process not yet durable is left alone (the local
        commit conflicts and reloads the truth: nothing of either is lost)."""
        state = self.state
        if message.get("resync"):
            state.spawn(self.resync())
            return
        pending = self.commits.pending_sessions()
        for session_id, version, record in message.get("records", ()):
            if session_id in pending or self.commits.versions.get(session_id, 0) >= version:
                continue
            data = record.encode()
            self.commits.adopt(session_id, data, version)
            self._restore(decode_session(data))
            self.on_mirrored(session_id)
        for session_id in message.get("ended", ()):
            if session_id not in pending:
                self.commits.adopt(session_id, None)
                self.sessions.forget(session_id)
        gone = set(message.get("dequeued", ()))
        added = [decode_item(item) for item in message.get("queued", ())]
        if gone or added:
            fresh = {item.item_id for item in added}
            for queue in ("queue", "durable_queue"):
                kept = [i for i in getattr(state, queue) if i.item_id not in gone | fresh]
                setattr(state, queue, kept + [i for i in added if i.item_id not in gone])
        part = message.get("outbound")
        if part and self.outbound is not None:
            self.outbound.take_remote(part)
        for notice in message.get("notices", ()):
            self._publish(Notice(*notice), remote=True)

    async def caught_up(self, refused: ApiError) -> bool:
        """With several processes, what another process made a moment ago may not be
        mirrored here yet: after a NOT_FOUND, take what changed from the store (or arrived
        on the bus meanwhile); True: the operation is worth running once more."""
        if refused.code is not ErrorCode.NOT_FOUND or not self.state.bus.shared:
            return False
        await self.refresh()
        return True

    async def resync(self) -> None:
        """Messages from other processes were lost: take what changed from the store."""
        await self.refresh()
        await self._reload_queue()

    async def refresh(self, only: str | None = None) -> int:
        """Compare the cached sessions' versions with the store's and take every session
        that changed elsewhere (or ``only`` that one), and the outbound campaigns: a
        message lost on the bus, or never sent by a process that died, is made up for.
        Returns how many sessions were taken."""
        store = self.state.store
        if only is None and self.outbound is not None:
            await self.outbound.refresh()
        pending = self.commits.pending_sessions()
        if only is not None:
            stored = await store.load_session(only)
            found = {only: stored.version} if stored is not None else {}
            wanted = [only]
        else:
            found = await store.session_versions()
            wanted = list(found.keys() | self.commits.versions.keys())
        taken = 0
        for session_id in wanted:
            if session_id in pending:
                continue
            version = found.get(session_id)
            held = self.commits.versions.get(session_id, 0)
            if version is None:
                if held:  # ended elsewhere
                    self.commits.adopt(session_id, None)
                    self.sessions.forget(session_id)
                    taken += 1
                continue
            if version <= held:
                continue
            loaded = await store.load_session(session_id)
            if loaded is None or loaded.session.username not in self.state.config.agents:
                continue
            if not self._take(session_id, loaded):
                continue
            self.on_mirrored(session_id)
            for sink in self.state.sinks.get(session_id, ()):
                sink.ui("changed", {})
            taken += 1
        return taken

    async def _send_mail(self, sender: SmtpSender, mail: dict[str, Any]) -> None:
        """Hand a sent e-mail to SMTP; on failure the interaction shows the error and the
        message stays in the outbox, marked failed."""
        try:
            await sender.send(mail)
        except Exception as problem:
            reason = f"SMTP delivery failed: {problem}"
            log.warning("%s (message %s)", reason, mail.get("messageId"))

            def mark(fx: Effects) -> None:
                found = self.router.find(lambda i: i.uuid == mail.get("interactionUUID"))
                if found is not None:
                    session, interaction = found
                    interaction.error = reason
                    fx.interaction_event(session, interaction, "ERROR")

            await self.run(mark)
            await self.commits.commit(
                Changes(outbox_status=[(str(mail["messageId"]), f"failed: {problem}")])
            )
            return
        await self.commits.commit(Changes(outbox_status=[(str(mail["messageId"]), "sent")]))

    def _publish(self, notice: Notice, *, remote: bool = False) -> None:
        state = self.state
        sinks = state.sinks.get(notice.session_id)
        if not notice.frames_only:
            for sink in sinks or ():
                sink.ui(notice.topic, notice.data)
        if not remote:  # observers (metrics) count a notice once, where it was made
            for observer in state.notice_observers:
                observer(notice.topic, notice.session_id, notice.data)
        if notice.ui_only or not sinks:
            return
        session = state.sessions.get(notice.session_id)
        if session is None:
            return
        message: Message | None = None
        for record in session.subscribers(notice.topic, notice.except_frame):
            if notice.frame_id is not None and record.frame_id != notice.frame_id:
                continue
            if message is None:
                data = notice.message if notice.frames_only else self._filtered(notice.data)
                message = protocol.event(notice.topic, data)
            for sink in sinks:
                sink.frame_message(record.frame_id, record.origin, message)

    def _filtered(self, data: dict[str, Any]) -> dict[str, Any]:
        """Remove unreadable attached-data keys before an event leaves for a frame."""
        interaction = data.get("interaction")
        read = self.state.read
        if interaction is None or read.allows_all:
            return data
        return {
            **data,
            "interaction": {**interaction, "userData": read.filter(interaction["userData"])},
        }
