"""The checks a frame's request passes before its handler runs, as one declared table in
security.md's order (``CHECKS``): 1. origin and filter, 2. rate limit, 3. parameters (then,
in the handler: validation, the attached-data write list, the operation itself).

Each check reads the request (``Pending``), may note what it found for the next ones (the
canonical name, the parameters, the session) and either passes (None) or refuses
(``Refusal``). The pipeline (``core/pipeline.py``) walks the table and stops at the first
refusal; a request refused at step 1 or 2 changes nothing and is not counted toward any
other limit (the rate limiter counts only a request it lets through).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from .. import catalog
from ..api import HANDLERS
from ..errors import ErrorCode
from ..security import Decision
from ..security.origins import not_allowed_message
from ..security.ratelimit import rate_limit_message
from .frames import FrameHandle
from .ports import Message
from .state import CoreState

# security.md's steps, in its order.
ORIGIN_AND_FILTER = "origin and filter"
RATE_LIMIT = "rate limit"
PARAMETERS = "parameters"
STEPS = (ORIGIN_AND_FILTER, RATE_LIMIT, PARAMETERS)


@dataclass(slots=True)
class Outcome:
    """How a frame request ended, for the audit log, metrics and the traffic inspector."""

    outcome: str  # allowed | failed | refused:<origin|filter|rate-limit|user-data> | quarantined
    detail: str = ""


class Pending:
    """A frame's request while the checks run: what they read (the frame, the message, the
    request name as sent: an alias stays an alias in the reply) and what they found (the
    canonical ``name`` after "known request", the ``params`` after "parameters")."""

    __slots__ = ("frame", "message", "name", "params", "request")

    frame: FrameHandle
    message: Message
    request: str
    name: str
    params: list[Any] | None

    def __init__(self) -> None:
        self.name = ""
        self.params = None


@dataclass(slots=True)
class Refusal:
    """Why a check refused: the error to answer (``code`` None: no answer at all, the
    request is ignored) and the audit outcome."""

    code: ErrorCode | None
    text: str
    outcome: Outcome


def origin(state: CoreState, pending: Pending) -> Refusal | None:
    """The frame's origin is listed (its allowed set was computed when it registered)."""
    if pending.frame.allowed is None:
        text = not_allowed_message(pending.frame.record.origin, pending.request)
        return Refusal(ErrorCode.NOT_ALLOWED, text, Outcome("refused:origin"))
    return None


# Every name a client may send (requests and aliases) → the canonical name: one lookup.
_CANONICAL = {**catalog.ALIASES, **{name: name for name in catalog.REQUESTS}}


def known_request(state: CoreState, pending: Pending) -> Refusal | None:
    """The request names one of the API's requests (or an alias of one)."""
    name = _CANONICAL.get(pending.request)
    # A catalog name whose handler is not built yet is unknown too: filters and rate
    # limits know it, but nothing here can answer it.
    if name is None or name not in HANDLERS:
        text = f"Unknown request '{pending.request}'."
        return Refusal(ErrorCode.UNKNOWN_REQUEST, text, Outcome("failed", "unknown request"))
    pending.name = name
    return None


def request_filter(state: CoreState, pending: Pending) -> Refusal | None:
    """The origin's filter (and, for an agent-level tab, dial-only) allows the request."""
    allowed = pending.frame.allowed
    if allowed is None or pending.name not in allowed:
        text = not_allowed_message(pending.frame.record.origin, pending.request)
        return Refusal(ErrorCode.NOT_ALLOWED, text, Outcome("refused:filter"))
    return None


_ALLOW = Decision.ALLOW


def rate_limit(state: CoreState, pending: Pending) -> Refusal | None:
    """Per agent session and request type: the first request over the limit is refused,
    the following ones are ignored (no answer) for the quarantine delay."""
    decision = state.limiter.check(pending.frame.session_id, pending.name)
    if decision is _ALLOW:
        return None
    if decision is Decision.IGNORE:
        return Refusal(None, "", Outcome("quarantined"))
    delay = state.config.security.rate_limits.quarantine_delay
    text = rate_limit_message(pending.name, delay)
    return Refusal(ErrorCode.RATE_LIMITED, text, Outcome("refused:rate-limit"))


async def shared_rate_limit(state: CoreState, pending: Pending) -> Refusal | None:
    """``rate_limit`` with the counts of every process (several processes share a bus):
    a limit holds across the agent's desktops wherever they are connected."""
    limited = state.limiter.limited(pending.name)
    if limited is None:
        return None
    name, limit = limited
    delay = state.config.security.rate_limits.quarantine_delay
    decision = await state.bus.rate_limit(
        f"{pending.frame.session_id}:{name}", limit, delay, state.clock()
    )
    if decision == "unknown":  # the bus is down: this process's own count decides
        return rate_limit(state, pending)
    if decision == "allow":
        return None
    if decision == "ignore":
        return Refusal(None, "", Outcome("quarantined"))
    return Refusal(
        ErrorCode.RATE_LIMITED, rate_limit_message(name, delay), Outcome("refused:rate-limit")
    )


def parameters(state: CoreState, pending: Pending) -> Refusal | None:
    """``parameters`` is absent or an array (each one is validated by the handler)."""
    params = pending.message.get("parameters")
    if params is None:
        params = []
    elif not isinstance(params, list):
        text = f"'parameters' of '{pending.request}' must be an array of positional parameters."
        return Refusal(
            ErrorCode.INVALID_PARAMETER, text, Outcome("failed", "parameters not an array")
        )
    pending.params = params
    return None


class Check(NamedTuple):
    name: str
    step: str  # the step of security.md it belongs to (one of STEPS)
    run: Callable[[CoreState, Pending], Refusal | None]


CHECKS: tuple[Check, ...] = (
    Check("origin", ORIGIN_AND_FILTER, origin),
    Check("known request", ORIGIN_AND_FILTER, known_request),
    Check("filter", ORIGIN_AND_FILTER, request_filter),
    Check("rate limit", RATE_LIMIT, rate_limit),
    Check("parameters", PARAMETERS, parameters),
)
"""The checks, in the order they run (security.md's). Then the pipeline finds the agent's
session (UNAVAILABLE when it has ended), and the handler validates each parameter, applies
the attached-data write list and runs the operation."""
