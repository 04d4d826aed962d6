"""Agent and media states: the settable list, and the aggregate an agent reports.

The list comes from ``agent-status.enabled-actions-global`` and the not-ready reasons; an
``operationName`` is what ``agent.setState`` and ``media.setState`` take.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from ..errors import ApiError, ErrorCode


class State(msgspec.Struct, frozen=True, rename="camel", omit_defaults=True):
    type: str
    display_name: str
    operation_name: str
    reason: str | None = None
    reason_code: str | None = None

    def wire(self) -> dict[str, str]:
        data = {
            "type": self.type,
            "displayName": self.display_name,
            "operationName": self.operation_name,
        }
        if self.reason is not None:
            data["reason"] = self.reason
            data["reasonCode"] = self.reason_code or ""
        return data


READY = State("READY", "Ready", "Ready")
NOT_READY = State("NOT_READY", "Not Ready", "NotReady")
AFTER_CALL_WORK = State("NOT_READY_AFTER_CALLWORK", "After Call Work", "AfterCallWork")
DND = State("DND_ON", "Do Not Disturb", "Dnd")
LOGOUT = State("LOGOUT", "Log Off", "LogOff")
# Reported only, never in the list and never settable.
PARTIAL_READY = State("PARTIAL_READY", "Partially Ready", "PartialReady")
UNKNOWN = State("UNKNOWN", "Unknown", "Unknown")

_SIMPLE = {
    "Ready": READY,
    "NotReady": NOT_READY,
    "AfterCallWork": AFTER_CALL_WORK,
    "Dnd": DND,
    "LogOff": LOGOUT,
}
ACTIONS = ("Ready", "NotReady", "NotReadyReason", "AfterCallWork", "Dnd", "LogOff")


def reason_state(name: str, code: str) -> State:
    return State(
        "NOT_READY_ACTION_CODE",
        f"Not Ready \u2013 {name}",
        f"NotReadyReason.{name}",
        reason=name,
        reason_code=code,
    )


def build_state_list(actions: Iterable[str], reasons: Sequence[tuple[str, str]]) -> list[State]:
    """The settable states in the configured order; NotReadyReason expands to one per reason."""
    states: list[State] = []
    for action in actions:
        if action == "NotReadyReason":
            states.extend(reason_state(name, code) for name, code in reasons)
        elif action in _SIMPLE:
            states.append(_SIMPLE[action])
    return states


def resolve(state_list: Sequence[State], wanted: object, request: str) -> State:
    """The state named by an operationName, or by an index into the list (vendor style)."""
    if isinstance(wanted, bool) or not isinstance(wanted, str | int):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 'operationName' of '{request}' must be a string (an operationName) "
            f"or a number (an index into the state list).",
        )
    if isinstance(wanted, int):
        if 0 <= wanted < len(state_list):
            return state_list[wanted]
        raise ApiError(
            ErrorCode.NOT_FOUND,
            f"No state at index {wanted}: the state list has {len(state_list)} entries "
            f"(0 to {len(state_list) - 1}).",
        )
    for state in state_list:
        if state.operation_name == wanted:
            return state
    names = ", ".join(s.operation_name for s in state_list)
    raise ApiError(ErrorCode.NOT_FOUND, f"Unknown state '{wanted}'. Valid names: {names}.")


def aggregate(states: Iterable[State]) -> State:
    """One state for the agent: all media alike → that state; any ready → PARTIAL_READY.

    Mixed media with none ready report the first media's state (voice, then e-mail, chat):
    the spec is silent there and the agent's main channel is the best single answer.
    """
    first: State | None = None
    same = True
    ready = False
    for state in states:  # a plain loop: this runs for every agent.getState
        if first is None:
            first = state
        elif state is not first and state != first:
            same = False
        if state.type == "READY":
            ready = True
    if first is None:
        return LOGOUT
    if same:
        return first
    return PARTIAL_READY if ready else first
