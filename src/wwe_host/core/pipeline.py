"""The frame request pipeline: one message from a frame, from its text to its reply.

Before decoding: size and nesting; then the bound on requests in flight, the reference id
and the request's name; then the checks of security.md, in its order, as the table
``core/checks.py`` declares them (origin and filter, rate limit, parameters); then the
handler runs as a unit of work (``core/runner.py``) and every message ends as one audit
row, one observer call and one line in the traffic inspector.
"""

from __future__ import annotations

import asyncio
import logging
import time

import msgspec

from .. import catalog, message_limits, protocol
from ..api import HANDLERS, RequestContext
from ..api.context import Core
from ..domain.effects import Effects
from ..errors import ApiError, ErrorCode
from ..message_limits import MAX_DEPTH
from ..security.origins import not_allowed_message
from ..store.base import StoreConflict
from .checks import CHECKS, Outcome, Pending, rate_limit, shared_rate_limit
from .frames import FrameHandle
from .ports import Message
from .runner import CONFLICT_ATTEMPTS, Runner
from .state import CoreState

log = logging.getLogger("wwe_host.engine")

_json_decode = msgspec.json.Decoder().decode
_perf_counter = time.perf_counter

_CHECKS = tuple(check.run for check in CHECKS)  # walked for every request

__all__ = ["Outcome", "Pipeline"]

ALLOWED = Outcome("allowed")


class Pipeline:
    """Handles frames' messages. It promises: every message gets at most one reply (none
    without a referenceId), refusals name what was wrong, a request runs only once every
    check passed, a reply is sent only once what the request changed is durable, and a
    read never reports what is not yet durable."""

    def __init__(self, state: CoreState, runner: Runner, core: Core) -> None:
        self.state = state
        self.runner = runner
        self.core = core
        # Read for every message (the settings are frozen).
        self._max_bytes = state.config.server.max_message_bytes
        self._short = self._max_bytes // 4  # a text this long is under the size limit
        self._max_in_flight = state.config.server.max_requests_in_flight
        self._pending = Pending()

    def admit(self, frame: FrameHandle, raw: str) -> tuple[Message | None, Message | None]:
        """Check a frame's message as the desktop relayed it (JSON text), before it waits
        for its turn: size and nesting BEFORE decoding, then the bound on requests in flight.

        Returns ``(message, None)`` when the message is to be handled: it holds one of the
        frame's in-flight places until ``handle_admitted`` answers it. Otherwise
        ``(None, reply)``: the refusal to send at once (None when there is nothing to
        answer: no referenceId, or not a JSON object).
        """
        started = _perf_counter()
        # The usual message is short and shallow: no UTF-8 character is over 4 bytes, and
        # no text with fewer opening brackets than the limit can nest deeper.
        if len(raw) > self._short or raw.count("{") + raw.count("[") > MAX_DEPTH:
            try:
                message_limits.check_text(raw, self._max_bytes)
            except ApiError as problem:
                return None, self._refuse_raw(frame, raw, problem.message, started)
        try:
            message = _json_decode(raw)
        except msgspec.DecodeError:
            self._record(frame, "?", Outcome("failed", "not JSON"), started)
            return None, None
        if not isinstance(message, dict):
            self._record(frame, "?", Outcome("failed", "not a JSON object"), started)
            return None, None
        bound = self._max_in_flight
        if frame.in_flight >= bound:
            request = message.get("request", message.get("event"))
            name = request if isinstance(request, str) else None
            return None, self._refuse(
                frame,
                protocol.reference_of(message),
                name,
                ErrorCode.UNAVAILABLE,
                f"Too many requests in flight from this frame (at most {bound}); "
                "retry when replies have arrived.",
                Outcome("failed", "too many in flight"),
                started,
            )
        frame.in_flight += 1
        return message, None

    async def handle_admitted(self, frame: FrameHandle, message: Message) -> Message | None:
        """Handle a message ``admit`` let through, and give its in-flight place back."""
        try:
            return await self.handle(frame, message)
        finally:
            frame.in_flight -= 1

    async def handle_raw(self, frame: FrameHandle, raw: str | bytes) -> Message | None:
        """Admit and handle a frame's message (JSON text) in one go."""
        text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        message, reply = self.admit(frame, text)
        if message is None:
            return reply
        try:  # handle_admitted, inlined: one coroutine less per message
            return await self.handle(frame, message)
        finally:
            frame.in_flight -= 1

    def _refuse_raw(
        self, frame: FrameHandle, raw: str, problem: str, started: float
    ) -> Message | None:
        """Refuse a message too large or too deep to decode; its referenceId and request
        name are read from the text when they can be."""
        request = message_limits.sniff(raw, "request")
        name = request if isinstance(request, str) else None
        self._record(frame, name or "?", Outcome("failed", problem), started)
        reference = message_limits.sniff(raw, "referenceId")
        if reference is None:
            return None
        return protocol.failure(reference, name, ErrorCode.INVALID_PARAMETER, problem)

    async def handle(self, frame: FrameHandle, message: Message) -> Message | None:
        """One message from a frame: a reply to send back, or None (no referenceId, ignored)."""
        started = _perf_counter()
        request = message.get("request")
        reference = message.get("referenceId")
        # A string (the usual case) is echoed as it is; anything else is looked at closer.
        wrong = None if reference.__class__ is str else message_limits.bad_reference(reference)
        if wrong is not None:
            # Answered, never run: the frame could not match the reply, nor know the outcome.
            kind = request if request is not None else message.get("event")
            name = kind if isinstance(kind, str) else None
            self._record(frame, name or "?", Outcome("failed", "bad referenceId"), started)
            return protocol.failure(reference, name, ErrorCode.INVALID_PARAMETER, wrong)
        if request is None:
            return await self._subscription(frame, message, reference, started)
        if not isinstance(request, str):
            return self._refuse(
                frame,
                reference,
                None,
                ErrorCode.INVALID_PARAMETER,
                "'request' must be a string naming the request, e.g. 'agent.getState'.",
                Outcome("failed", "bad request name"),
                started,
            )
        # One Pending per pipeline, filled anew: the walk never awaits, and what it found
        # is read right after it, before anything else can run. With several processes
        # the rate limit asks the bus (it awaits): a Pending of its own then.
        state = self.state
        shared = state.bus.shared
        checked = Pending() if shared else self._pending
        checked.frame = frame
        checked.message = message
        checked.request = request
        for check in _CHECKS:
            refused = (
                await shared_rate_limit(state, checked)
                if shared and check is rate_limit
                else check(state, checked)
            )
            if refused is not None:
                if refused.code is None:  # ignored: no answer
                    self._record(frame, request, refused.outcome, started)
                    return None
                return self._refuse(
                    frame, reference, request, refused.code, refused.text, refused.outcome, started
                )
        name = checked.name
        params = checked.params
        assert params is not None  # the "parameters" check found them
        session = state.sessions.get(frame.session_id)
        if session is None:
            return self._refuse(
                frame,
                reference,
                request,
                ErrorCode.UNAVAILABLE,
                "The agent's session has ended.",
                Outcome("failed", "no session"),
                started,
            )
        call = RequestContext(self.core, session, frame, None, name)
        attempt = 1
        while True:
            try:
                result = self.runner.operate(call, HANDLERS[name], params)
            except ApiError as refused:
                if call.changed is None and attempt == 1 and await self.runner.caught_up(refused):
                    attempt += 1
                    session = state.sessions.get(frame.session_id)
                    if session is not None:
                        call = RequestContext(self.core, session, frame, None, name)
                        continue
                error = refused
                if call.changed is not None:
                    try:
                        await self.runner.finish(call.changed)
                    except ApiError as unstored:
                        error = unstored
                outcome = (
                    Outcome("refused:user-data", error.message)
                    if error.code is ErrorCode.USER_DATA_NOT_ALLOWED
                    else Outcome("failed", error.message)
                )
                return self._refuse(
                    frame, reference, request, error.code, error.message, outcome, started
                )
            except Exception:
                log.exception("request %s failed", request)
                return self._refuse(
                    frame,
                    reference,
                    request,
                    ErrorCode.INTERNAL,
                    "The request failed on the server; the server log has the details.",
                    Outcome("failed", "internal error"),
                    started,
                )
            fx = call.changed
            if fx is not None:
                try:
                    await self.runner.finish(fx)
                except StoreConflict as stale:
                    # Another process changed the session: run it again on the truth.
                    session = state.sessions.get(frame.session_id)
                    if attempt < CONFLICT_ATTEMPTS and session is not None:
                        attempt += 1
                        call = RequestContext(self.core, session, frame, None, name)
                        continue
                    return self._refuse(
                        frame,
                        reference,
                        request,
                        stale.code,
                        stale.message,
                        Outcome("failed", "stale session"),
                        started,
                    )
                except ApiError as unstored:
                    return self._refuse(
                        frame,
                        reference,
                        request,
                        unstored.code,
                        unstored.message,
                        Outcome("failed", "store unavailable"),
                        started,
                    )
            else:
                pending = self.runner.commits.pending()
                if pending is not None:
                    # A read must not report what is not yet durable. If that commit
                    # failed, memory is back to what is durable: read again.
                    try:
                        await asyncio.shield(pending)
                    except Exception:
                        result = HANDLERS[name](call, params)
            break
        self._record(
            frame, request, Outcome("allowed", call.note) if call.note else ALLOWED, started
        )
        if reference is None:
            return None
        return protocol.success(reference, request, result)

    def _refuse(
        self,
        frame: FrameHandle,
        reference: object,
        request: str | None,
        code: ErrorCode,
        text: str,
        outcome: Outcome,
        started: float,
    ) -> Message | None:
        self._record(frame, request or "?", outcome, started)
        if reference is None:
            return None
        return protocol.failure(reference, request, code, text)

    def _record(self, frame: FrameHandle, request: str, outcome: Outcome, started: float) -> None:
        duration = (_perf_counter() - started) * 1000.0 if started else 0.0
        state = self.state
        record = frame.record
        at = state.clock()
        kind = outcome.outcome
        detail = outcome.detail
        state.audit.append(
            (at, frame.username, record.frame_id, record.origin, request, kind, detail, duration)
        )
        for watch in state.request_observers:
            watch(request, kind, duration)
        sinks = state.sinks.get(frame.session_id)
        if sinks:
            traffic = {
                "at": at,
                "frameId": record.frame_id,
                "origin": record.origin,
                "request": request,
                "outcome": kind,
                "detail": detail,
                "durationMs": round(duration, 3),
            }
            for sink in sinks:
                sink.ui("traffic", traffic)

    async def _subscription(
        self, frame: FrameHandle, message: Message, reference: object, started: float
    ) -> Message | None:
        kind = message.get("event")
        if kind not in ("subscribe", "unsubscribe"):
            return self._refuse(
                frame,
                reference,
                None,
                ErrorCode.INVALID_PARAMETER,
                "A message needs 'request' (a request name) or 'event' ('subscribe' or "
                "'unsubscribe').",
                Outcome("failed", "neither request nor event"),
                started,
            )
        if frame.allowed is None:
            return self._refuse(
                frame,
                reference,
                kind,
                ErrorCode.NOT_ALLOWED,
                not_allowed_message(frame.record.origin, kind),
                Outcome("refused:origin"),
                started,
            )
        session = self.state.sessions.get(frame.session_id)
        if session is None:
            return None
        data = message.get("data")
        record = frame.record
        if kind == "subscribe":
            topics = [data] if isinstance(data, str) else data
            if (
                not isinstance(topics, list)
                or not topics
                or not all(isinstance(t, str) for t in topics)
            ):
                return self._refuse(
                    frame,
                    reference,
                    kind,
                    ErrorCode.INVALID_PARAMETER,
                    "'data' of subscribe must be a topic name or an array of topic names.",
                    Outcome("failed", "bad topics"),
                    started,
                )
            unknown = [t for t in topics if not catalog.is_topic(t)]
            if unknown:
                names = ", ".join(f"'{t}'" for t in unknown)
                known = ", ".join((*catalog.TOPICS, "messenger:<channel>"))
                return self._refuse(
                    frame,
                    reference,
                    kind,
                    ErrorCode.INVALID_PARAMETER,
                    f"Unknown topic(s) {names}. Topics: {known}.",
                    Outcome("failed", "unknown topic"),
                    started,
                )

            def subscribe(fx: Effects) -> str:
                subscription_id = f"sub-{session.next_subscription}"
                session.next_subscription += 1
                record.subscriptions[subscription_id] = list(dict.fromkeys(topics))
                fx.touch(session)
                return subscription_id

            try:
                subscription_id = await self.runner.run(subscribe)
            except ApiError as error:
                return self._refuse(
                    frame, reference, kind, error.code, error.message, Outcome("failed"), started
                )
            self._record(frame, "subscribe", Outcome("allowed", ",".join(topics)), started)
            if reference is None:
                return None
            return protocol.subscribed(
                reference, subscription_id, record.subscriptions[subscription_id]
            )
        if not isinstance(data, str) or data not in record.subscriptions:
            return self._refuse(
                frame,
                reference,
                kind,
                ErrorCode.NOT_FOUND,
                f"Unknown subscription {data!r} for this frame.",
                Outcome("failed", "unknown subscription"),
                started,
            )

        def unsubscribe(fx: Effects) -> None:
            record.subscriptions.pop(data, None)
            fx.touch(session)

        try:
            await self.runner.run(unsubscribe)
        except ApiError as error:
            return self._refuse(
                frame, reference, kind, error.code, error.message, Outcome("failed"), started
            )
        self._record(frame, "unsubscribe", Outcome("allowed", data), started)
        if reference is None:
            return None
        return protocol.success(reference, "unsubscribe", None)
