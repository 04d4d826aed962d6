"""The request context handlers receive (``RequestContext``), the handler registry, and
parameter validation.

Validation messages name the parameter, its position and the request, because the
integrator reading them sees nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..contact_center.base import ContactCenter
from ..domain import wrapup
from ..domain.effects import Effects
from ..domain.model import AgentSession, FrameRecord, Interaction
from ..domain.outbound import Book, CampaignRecord, OutboundChanges
from ..domain.states import State
from ..domain.tabs import TabView
from ..domain.wrapup import Disposition
from ..errors import ApiError, ErrorCode
from ..settings import AgentConfig, Config


class OutboundCampaigns(Protocol):
    """The outbound campaigns as the handlers use them (core/outbound.py)."""

    book: Book

    def changes(self, fx: Effects) -> OutboundChanges:
        """Where an operation records what it changes of the book (``fx.outbound``); the
        book's durable copy follows once the operation commits."""
        ...

    def shown(self, fx: Effects, record: CampaignRecord) -> bool:
        """Whether the record's preview is still in its agent's session (a "no" that
        the operation in ``fx`` relies on is checked at its commit)."""
        ...

    def arm_due(self, record: CampaignRecord) -> None:
        """Tell when a rescheduled record comes due (armed once the operation commits)."""
        ...


class Core(Protocol):
    """What a handler may use of the core: configuration, the contact center, views and
    clocks. Handlers change sessions only through ``RequestContext.fx``, never through the core."""

    config: Config
    contact_center: ContactCenter

    @property
    def outbound(self) -> OutboundCampaigns: ...

    def now(self) -> float: ...

    def agent(self, username: str) -> AgentConfig: ...

    def agent_view(self, username: str) -> dict[str, Any]: ...

    def state_list(self, username: str) -> list[State]: ...

    def view(self, session: AgentSession, interaction: Interaction) -> dict[str, Any]:
        """An interaction as a third-party frame may see it (read list applied)."""
        ...

    def record_activity(self, fx: Effects, session: AgentSession) -> None: ...

    def sign_jwt(self, claims: dict[str, Any]) -> str:
        """A compact JWT of ``claims``, signed with the server's key (auth.getJwtToken)."""
        ...

    def arm_toast(self, session_id: str, toast_id: str, close_at: float) -> None:
        """Close the toast at ``close_at`` (armed once the operation is committed)."""
        ...

    def frame_tab(self, session_id: str, frame_id: str) -> TabView:
        """The desktop tab that holds a frame: leading or not, shown or not."""
        ...


class Frame(Protocol):
    """The frame a request came from, as a handler sees it."""

    record: FrameRecord
    allowed: frozenset[str] | None


Handler = Callable[["RequestContext", list[Any]], Any]
HANDLERS: dict[str, Handler] = {}

MAX_KEY_LENGTH = 256


def handler(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


class RequestContext:
    """One request in progress: who asks (a frame, or the agent when ``frame`` is None)."""

    __slots__ = ("_fx", "engine", "frame", "note", "request", "session")

    def __init__(
        self,
        engine: Core,
        session: AgentSession,
        frame: Frame | None,
        fx: Effects | None,
        request: str,
    ) -> None:
        self.engine = engine
        self.session = session
        self.frame = frame
        self._fx = fx
        self.request = request
        # What the audit log says of a request that succeeded (empty: nothing to add).
        self.note = ""

    @property
    def fx(self) -> Effects:
        """Created on first use: most requests are reads and change nothing."""
        if self._fx is None:
            self._fx = Effects()
        return self._fx

    @property
    def changed(self) -> Effects | None:
        return self._fx

    @property
    def frame_id(self) -> str:
        return self.frame.record.frame_id if self.frame is not None else "desktop"

    @property
    def disposition(self) -> Disposition:
        """The agent's disposition options (interaction.disposition.*)."""
        options = self.engine.agent(self.session.username).options
        return Disposition(
            options.disposition_codes, options.disposition_mandatory, options.disposition_key
        )

    def mark_done(self, interaction: Interaction) -> None:
        """Mark done, by the agent or a frame: a required disposition first, and the end
        of after-call work (domain/wrapup.py)."""
        wrapup.mark_done(self.fx, self.session, interaction, self.disposition, self.engine.now())

    def check_write(self, keys: list[str]) -> None:
        """Third-party frames are bound by the write list; the agent's own edits are not."""
        if self.frame is None:
            return
        bad = self.engine.config.security.write_allowed.disallowed(keys)
        if bad:
            names = ", ".join(f"'{k}'" for k in bad)
            raise ApiError(
                ErrorCode.USER_DATA_NOT_ALLOWED,
                f"'{self.request}' may not write the key(s) {names}: not in "
                f"service-client-api.user-data.write-allowed. Nothing was written.",
            )


_TYPE_NAMES = {
    str: "a string",
    dict: "an object",
    list: "an array",
    bool: "a boolean",
}


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def described(value: object) -> str:
    """A JSON value's type with its article, for messages: "a string", "an array", "null"."""
    name = type_name(value)
    if name == "null":
        return name
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _bad(call: RequestContext, index: int, name: str, problem: str) -> ApiError:
    return ApiError(
        ErrorCode.INVALID_PARAMETER,
        f"Parameter {index + 1} '{name}' of '{call.request}' {problem}.",
    )


def arity(call: RequestContext, params: list[Any], most: int) -> None:
    """Refuse parameters a request does not take (trailing nulls are tolerated)."""
    if len(params) <= most:
        return
    if any(p is not None for p in params[most:]):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"'{call.request}' takes at most {most} parameter(s); got {len(params)}.",
        )


def _get(params: list[Any], index: int) -> Any:
    return params[index] if index < len(params) else None


def string(
    call: RequestContext, params: list[Any], index: int, name: str, *, max_length: int = 1024
) -> str:
    value = _get(params, index)
    if value is None:
        raise _bad(call, index, name, "is missing")
    if not isinstance(value, str):
        raise _bad(call, index, name, f"must be a string, got {type_name(value)}")
    if not value.strip():
        raise _bad(call, index, name, "must not be empty")
    if len(value) > max_length:
        raise _bad(call, index, name, f"is longer than {max_length} characters")
    return value


def interaction_id(call: RequestContext, params: list[Any], index: int = 0) -> str:
    """An interaction id: a string, though a whole number is accepted as its decimal text."""
    value = _get(params, index)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return string(call, params, index, "interactionId", max_length=64)


def optional_object(
    call: RequestContext, params: list[Any], index: int, name: str
) -> dict[str, Any]:
    value = _get(params, index)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad(call, index, name, f"must be an object, got {type_name(value)}")
    return value


def object_param(call: RequestContext, params: list[Any], index: int, name: str) -> dict[str, Any]:
    value = _get(params, index)
    if value is None:
        raise _bad(call, index, name, "is missing")
    return optional_object(call, params, index, name)


def user_data(
    call: RequestContext, params: list[Any], index: int, name: str, *, required: bool
) -> dict[str, Any]:
    """Key/value pairs: string keys; string, number or boolean values."""
    values = (
        object_param(call, params, index, name)
        if required
        else optional_object(call, params, index, name)
    )
    for key, value in values.items():
        if not key:
            raise _bad(call, index, name, "has an empty key")
        if len(key) > MAX_KEY_LENGTH:
            raise _bad(call, index, name, f"has a key longer than {MAX_KEY_LENGTH} characters")
        if value is None or not isinstance(value, str | int | float):
            raise _bad(
                call,
                index,
                name,
                f"has key '{key}' with a value of type {type_name(value)}; "
                f"values must be strings, numbers or booleans",
            )
    call.check_write(list(values))
    return values


def string_values(
    call: RequestContext, params: list[Any], index: int, name: str, *, most: int
) -> dict[str, str]:
    """An optional object of string values (extensions for the switch): at most ``most``
    keys, keys and values of at most MAX_KEY_LENGTH and 1024 characters."""
    values = optional_object(call, params, index, name)
    if len(values) > most:
        raise _bad(call, index, name, f"has {len(values)} keys; at most {most} are allowed")
    for key, value in values.items():
        if not key or len(key) > MAX_KEY_LENGTH:
            raise _bad(
                call, index, name, f"has a key of 0 or more than {MAX_KEY_LENGTH} characters"
            )
        if not isinstance(value, str):
            raise _bad(
                call,
                index,
                name,
                f"has key '{key}' with a value of type {type_name(value)}; values must be strings",
            )
        if len(value) > 1024:
            raise _bad(
                call, index, name, f"has key '{key}' with a value longer than 1024 characters"
            )
    return dict(values)
