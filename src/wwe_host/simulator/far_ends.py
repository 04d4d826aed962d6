"""The simulator's own record of a call: its far end and, for an internal call, the other
agent's leg. Kept in the session's ``backend`` map (the domain does not read it), so it is
stored and restored with the session: a far end about to answer still answers after a
restart, and a failed commit puts it back with the rest of the session.

Records written before this state moved out of ``Interaction`` held it as fields of the
interaction (``far_end``, ``answer_due``, ``peer_session``, ``peer_interaction``); those fields
are now ignored when such a record loads, so a call that was dialling across that upgrade
rings until someone hangs it up (as a ``noanswer-`` number does).
"""

from __future__ import annotations

import uuid

import msgspec

from ..domain.model import AgentSession

FAR_ENDS = ("answer", "busy", "unavailable", "noanswer", "agent", "conference", "joining")


class FarEnd(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One call's far end as the simulator plays it."""

    # One of FAR_ENDS: answers after the delay, busy, a logged-out agent's number (not
    # available), rings forever, another agent; a call of three or more parties; a call
    # offered to join one (interaction.singleStepConference).
    kind: str
    answer_due: float | None = None  # when a far end of kind "answer", "busy", … acts
    peer_session: str | None = None  # internal call: the other agent's session...
    peer_interaction: str | None = None  # ...and its leg of the call
    # "conference": every agent's leg of the call as [session id, interaction id] (this one
    # too) and the outside parties' names; "joining": the leg of the call it joins.
    legs: list[list[str]] | None = None
    externals: list[str] | None = None


def new_call_uuid() -> str:
    """A call's id as the switch names it (``callUuid``)."""
    return uuid.uuid4().hex[:32].upper()


def far_end(session: AgentSession, interaction_id: str) -> FarEnd | None:
    """The simulator's record of a call of ``session`` (None: it has none)."""
    stored = session.backend.get(interaction_id)
    return None if stored is None else msgspec.convert(stored, FarEnd)


def keep(session: AgentSession, interaction_id: str, record: FarEnd) -> None:
    """Store (or replace) the record of a call; it is committed with the session."""
    session.backend[interaction_id] = msgspec.to_builtins(record)


def forget(session: AgentSession, interaction_id: str) -> None:
    session.backend.pop(interaction_id, None)


def prune(session: AgentSession) -> None:
    """Drop the records of calls that ended or left the session."""
    for interaction_id in list(session.backend):
        interaction = session.interactions.get(interaction_id)
        if interaction is None or not interaction.live:
            del session.backend[interaction_id]
