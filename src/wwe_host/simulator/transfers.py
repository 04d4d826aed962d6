"""Consult, transfer, conference and reject in the simulated contact center (api-9.md,
"interaction").

A call is the agents' legs of it (interactions in their sessions) plus its outside parties
(a customer, a simulated number), who are only names. Each agent leg's ``parties`` are the
call's other parties: the outside ones' names, the other agents' numbers. The simulator's
record of each leg (far_ends.py) links the legs: two agents and nobody outside are peers
(kind "agent", as an internal call); three or more parties are a conference (every leg
holds the list of legs and the outside parties); one agent with outside parties needs no
record. The customer's call keeps its ``callUuid`` through transfers and conferences: the
legs that carry it on take it over, so the simulation REST API still finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..contact_center.base import Host, Target
from ..contact_center.routing import pick_agent
from ..domain import operations as ops
from ..domain.effects import Effects
from ..domain.model import AgentSession, Interaction, QueuedItem
from ..errors import ApiError, ErrorCode
from .far_ends import FarEnd, far_end, forget, keep, new_call_uuid

Leg = tuple[AgentSession, Interaction]

# A queue does not offer a rejected item to the agent who rejected it for this long
# (docs/architecture.md, "Decisions").
REJECT_HOLD_OFF = 10.0


class Switch(Protocol):
    """What these operations use of the simulator (simulator/backend.py)."""

    @property
    def host(self) -> Host: ...

    def new_interaction(
        self, session: AgentSession, media: str, state: str, **fields: Any
    ) -> Interaction: ...

    def session_of(self, session_id: str) -> AgentSession | None: ...

    def arm_answer(self, session_id: str, interaction_id: str, due: float) -> None: ...

    def inbound_call(
        self,
        fx: Effects,
        session: AgentSession,
        ani: str,
        dnis: str,
        user_data: dict[str, Any],
        call_type: str = "INBOUND",
        call_uuid: str | None = None,
        *,
        consultation: bool = False,
        parties: list[str] | None = None,
        extensions: dict[str, str] | None = None,
    ) -> Interaction: ...


@dataclass(slots=True)
class Reached:
    """Who a target turned out to be: an agent's live session, or an outside number."""

    number: str
    session: AgentSession | None = None
    kind: str = "agent"  # "agent", or what the outside number does: "answer", "noanswer"


def _refuse(text: str) -> ApiError:
    return ApiError(ErrorCode.INVALID_STATE, text)


def number_of(sim: Switch, session: AgentSession) -> str:
    return sim.host.agent(session.username).number


def _agent_reached(sim: Switch, session: AgentSession, username: str, name: str) -> Reached:
    if username == session.username:
        raise ApiError(ErrorCode.INVALID_PARAMETER, f"Target agent '{name}' is this agent itself.")
    other = sim.host.live_session(username)
    if other is None:
        raise _refuse(f"Target agent '{name}' is logged off.")
    if "voice" not in other.media:
        raise _refuse(f"Target agent '{name}' has no voice media.")
    if any(i.media == "voice" and i.live for i in other.interactions.values()):
        raise _refuse(f"Target agent '{name}' is busy (on a call).")
    return Reached(sim.host.agent(username).number, other)


def reach(sim: Switch, session: AgentSession, target: Target) -> Reached:
    """The target's agent or number, or a refusal naming it (unknown, logged off, busy)."""
    host = sim.host
    name = target.destination
    if target.type == "QUEUE":
        queue = host.queue_config(name)
        if queue is None:
            raise _refuse(f"Target queue '{name}' is unknown.")
        if "voice" not in queue.media:
            raise _refuse(f"Target queue '{name}' takes no voice calls.")
        picked = pick_agent(queue, "voice", host.live_session, skip={session.username})
        if picked is None:
            raise _refuse(f"Target queue '{name}' has no ready agent.")
        return Reached(host.agent(picked.username).number, picked)
    by_number = host.agent_by_number(name)
    if by_number is not None:
        return _agent_reached(sim, session, by_number.username, name)
    if target.type == "AGENT":
        try:
            username = host.agent(name).username
        except KeyError:
            raise _refuse(f"Target agent '{name}' is unknown.") from None
        return _agent_reached(sim, session, username, name)
    if name.startswith("busy-"):
        raise _refuse(f"Target '{name}' is busy.")
    return Reached(name, kind="noanswer" if name.startswith("noanswer-") else "answer")


# --- the legs of a call ----------------------------------------------------------------


def _leg(sim: Switch, session_id: str | None, interaction_id: str | None) -> Leg | None:
    if session_id is None or interaction_id is None:
        return None
    other = sim.session_of(session_id)
    found = other.interactions.get(interaction_id) if other is not None else None
    return (other, found) if other is not None and found is not None and found.live else None


def far_side(sim: Switch, session: AgentSession, call: Interaction) -> tuple[list[Leg], list[str]]:
    """Who else is on ``call``: the other agents' legs, and the outside parties."""
    record = far_end(session, call.interaction_id)
    if record is None or record.kind in ("answer", "noanswer", "busy", "joining"):
        return [], list(call.parties)
    if record.kind == "agent":
        peer = _leg(sim, record.peer_session, record.peer_interaction)
        return ([peer] if peer is not None else []), []
    legs = []
    for session_id, interaction_id in record.legs or []:
        if session_id == session.session_id and interaction_id == call.interaction_id:
            continue
        found = _leg(sim, session_id, interaction_id)
        if found is not None:
            legs.append(found)
    return legs, list(record.externals or [])


def connect(
    sim: Switch, fx: Effects, legs: list[Leg], externals: list[str], call_uuid: str | None
) -> None:
    """Make ``legs`` and ``externals`` one call (``call_uuid``, if given): records linked,
    each leg's parties the others (PARTY_CHANGED where they changed). An agent left alone
    on it is released."""
    if len(legs) == 1 and not externals:
        session, alone = legs[0]
        forget(session, alone.interaction_id)
        ops.release(fx, session, alone)
        return
    numbers = [number_of(sim, s) for s, _ in legs]
    refs = [[s.session_id, i.interaction_id] for s, i in legs]
    for n, (session, call) in enumerate(legs):
        if call_uuid is not None:
            call.call_uuid = call_uuid
        if len(legs) == 2 and not externals:
            other_session, other = legs[1 - n]
            record: FarEnd | None = FarEnd(
                kind="agent",
                peer_session=other_session.session_id,
                peer_interaction=other.interaction_id,
            )
        elif len(legs) == 1:
            record = None
        else:
            record = FarEnd(kind="conference", legs=refs, externals=list(externals))
        if record is None:
            forget(session, call.interaction_id)
        else:
            keep(session, call.interaction_id, record)
        fx.touch(session)
        others = externals + [number for k, number in enumerate(numbers) if k != n]
        ops.set_parties(fx, session, call, others)


def leave(sim: Switch, fx: Effects, session: AgentSession, call: Interaction) -> None:
    """An agent hangs up a conference leg: the others stay on the call."""
    legs, externals = far_side(sim, session, call)
    forget(session, call.interaction_id)
    ops.release(fx, session, call)
    if legs:
        connect(sim, fx, legs, externals, None)


def outside_left(sim: Switch, fx: Effects, session: AgentSession, call: Interaction) -> None:
    """The call's first outside party (its customer) hangs up a conference: the agents stay."""
    legs, externals = far_side(sim, session, call)
    connect(sim, fx, [(session, call), *legs], externals[1:], None)


def consulted_number_left(
    sim: Switch, fx: Effects, session: AgentSession, leg: Interaction
) -> None:
    """A number consulted and then conferenced hangs up (addressed by its consult call's
    ``callUuid``): it leaves the conference, the others stay."""
    main = session.interactions.get(leg.parent_interaction_id or "")
    legs, externals = far_side(sim, session, main) if main is not None else ([], [])
    if main is None or not main.live or leg.dnis not in externals:
        raise _refuse(f"Call '{leg.call_uuid}' has ended.")
    externals.remove(leg.dnis or "")
    connect(sim, fx, [(session, main), *legs], externals, None)


# --- the requests ------------------------------------------------------------------------


def _require_call(interaction: Interaction, verb: str, states: tuple[str, ...]) -> None:
    if interaction.media != "voice":
        raise _refuse(
            f"Cannot {verb} interaction '{interaction.interaction_id}': it is a "
            f"{interaction.media} interaction, not a voice call."
        )
    if interaction.state not in states:
        raise _refuse(
            f"Cannot {verb} interaction '{interaction.interaction_id}': it is {interaction.state}."
        )


def consult(
    sim: Switch,
    fx: Effects,
    session: AgentSession,
    main: Interaction,
    target: Target,
    user_data: dict[str, Any],
    extensions: dict[str, str],
) -> Interaction:
    _require_call(main, "consult on", ("TALKING",))
    if main.is_consultation:
        raise _refuse(
            f"Cannot consult on interaction '{main.interaction_id}': it is a consultation."
        )
    for other in session.interactions.values():
        if other.parent_interaction_id == main.interaction_id and other.live:
            raise _refuse(
                f"Cannot consult on interaction '{main.interaction_id}': its consultation "
                f"'{other.interaction_id}' is still going on."
            )
    reached = reach(sim, session, target)
    me = number_of(sim, session)
    data = {**main.user_data, **user_data}
    ops.hold(fx, session, main)
    leg = sim.new_interaction(
        session,
        "voice",
        "DIALING",
        call_uuid=new_call_uuid(),
        direction="OUT",
        call_type="CONSULT",
        ani=me,
        dnis=reached.number,
        parties=[reached.number],
        recording_state="STOPPED",
        user_data=data,
        extensions=dict(extensions),
        is_consultation=True,
        parent_interaction_id=main.interaction_id,
    )
    leg.case_id = main.case_id
    ops.add_interaction(fx, session, leg, "DIALING")
    if reached.session is None:
        if reached.kind == "noanswer":
            keep(session, leg.interaction_id, FarEnd(kind="noanswer"))
        else:
            due = sim.host.now() + sim.host.agent(session.username).options.answer_delay
            keep(session, leg.interaction_id, FarEnd(kind="answer", answer_due=due))
            sim.arm_answer(session.session_id, leg.interaction_id, due)
        return leg
    ring = sim.inbound_call(
        fx,
        reached.session,
        me,
        reached.number,
        data,
        "CONSULT",
        call_uuid=leg.call_uuid,
        consultation=True,
    )
    connect(sim, fx, [(session, leg), (reached.session, ring)], [], None)
    if ring.state == "TALKING":  # answered at once (auto-answer)
        ops.establish(fx, session, leg)
    return leg


def _consulted(session: AgentSession, leg: Interaction, verb: str) -> Interaction:
    """The main call of a consultation that may be completed now."""
    if not leg.is_consultation or leg.parent_interaction_id is None:
        raise _refuse(
            f"Cannot {verb} interaction '{leg.interaction_id}': it is not a consultation."
        )
    _require_call(leg, verb, ("TALKING",))
    main = session.interactions.get(leg.parent_interaction_id)
    if main is None or not main.live:
        raise _refuse(
            f"Cannot {verb} interaction '{leg.interaction_id}': its main call "
            f"'{leg.parent_interaction_id}' has ended."
        )
    return main


def _consulted_party(sim: Switch, session: AgentSession, leg: Interaction) -> Leg | None:
    """The consulted agent's leg (None: the consultation went to an outside number)."""
    record = far_end(session, leg.interaction_id)
    if record is None or record.kind != "agent":
        return None
    found = _leg(sim, record.peer_session, record.peer_interaction)
    if found is not None:
        found[1].is_consultation = False  # it carries the call on
    return found


def complete_transfer(sim: Switch, fx: Effects, session: AgentSession, leg: Interaction) -> None:
    main = _consulted(session, leg, "complete the transfer of")
    legs, externals = far_side(sim, session, main)
    party = _consulted_party(sim, session, leg)
    for own in (leg, main):
        forget(session, own.interaction_id)
        ops.release(fx, session, own)
    if party is not None:
        legs.append(party)
    else:
        externals.append(leg.dnis or "")
    if legs:
        connect(sim, fx, legs, externals, main.call_uuid)


def complete_conference(sim: Switch, fx: Effects, session: AgentSession, leg: Interaction) -> None:
    main = _consulted(session, leg, "complete the conference of")
    legs, externals = far_side(sim, session, main)
    party = _consulted_party(sim, session, leg)
    forget(session, leg.interaction_id)
    ops.release(fx, session, leg)
    if main.state == "HELD":
        ops.resume(fx, session, main)
    if party is not None:
        legs.append(party)
    else:
        externals.append(leg.dnis or "")
    connect(sim, fx, [(session, main), *legs], externals, main.call_uuid)


def _customer(sim: Switch, legs: list[Leg], externals: list[str], call: Interaction) -> str:
    if externals:
        return externals[0]
    if legs:
        return number_of(sim, legs[0][0])
    return call.ani or ""


def single_step_transfer(
    sim: Switch,
    fx: Effects,
    session: AgentSession,
    main: Interaction,
    target: Target,
    user_data: dict[str, Any],
    extensions: dict[str, str],
) -> None:
    _require_call(main, "transfer", ("TALKING", "HELD"))
    reached = reach(sim, session, target)
    legs, externals = far_side(sim, session, main)
    forget(session, main.interaction_id)
    if reached.session is not None:
        ring = sim.inbound_call(
            fx,
            reached.session,
            _customer(sim, legs, externals, main),
            reached.number,
            {**main.user_data, **user_data},
            "INBOUND" if externals else "INTERNAL",
            call_uuid=main.call_uuid,
            parties=externals + [number_of(sim, s) for s, _ in legs],
            extensions=extensions,
        )
        legs.append((reached.session, ring))
    else:
        externals.append(reached.number)
    ops.release(fx, session, main)
    if legs:
        connect(sim, fx, legs, externals, main.call_uuid)


def single_step_conference(
    sim: Switch,
    fx: Effects,
    session: AgentSession,
    main: Interaction,
    target: Target,
    user_data: dict[str, Any],
    extensions: dict[str, str],
) -> None:
    _require_call(main, "conference on", ("TALKING",))
    reached = reach(sim, session, target)
    legs, externals = far_side(sim, session, main)
    if reached.session is None:
        if reached.kind == "noanswer":
            raise _refuse(f"Target '{target.destination}' does not answer.")
        connect(sim, fx, [(session, main), *legs], [*externals, reached.number], None)
        return
    me = number_of(sim, session)
    ring = sim.inbound_call(
        fx,
        reached.session,
        me,
        reached.number,
        {**main.user_data, **user_data},
        "INTERNAL",
        call_uuid=new_call_uuid(),  # the call's own once it joins
        parties=[*externals, *(number_of(sim, s) for s, _ in legs), me],
        extensions=extensions,
    )
    if ring.state == "RINGING":
        keep(
            reached.session,
            ring.interaction_id,
            FarEnd(kind="joining", legs=[[session.session_id, main.interaction_id]]),
        )
    else:  # answered at once (auto-answer)
        joined = [(session, main), *legs, (reached.session, ring)]
        connect(sim, fx, joined, externals, main.call_uuid)


def join(sim: Switch, fx: Effects, session: AgentSession, ring: Interaction) -> None:
    """A call offered by interaction.singleStepConference was answered: it joins the call
    (or ends, when that call ended meanwhile)."""
    record = far_end(session, ring.interaction_id)
    forget(session, ring.interaction_id)
    [[session_id, interaction_id]] = (record.legs or []) if record is not None else [["", ""]]
    host = _leg(sim, session_id, interaction_id)
    if host is None:
        ring.error = "the call ended before it was answered"
        ops.release(fx, session, ring)
        return
    legs, externals = far_side(sim, *host)
    connect(sim, fx, [host, *legs, (session, ring)], externals, host[1].call_uuid)


def reject(sim: Switch, fx: Effects, session: AgentSession, offer: Interaction) -> None:
    """Decline an offer: it leaves the desktop (RELEASED or REVOKED, then REMOVED); a
    routed one goes back to its queue, a direct call gives the caller busy."""
    if offer.media == "voice":
        _require_call(offer, "reject", ("RINGING",))
        record = far_end(session, offer.interaction_id)
        if record is not None and record.kind == "conference":
            leave(sim, fx, session, offer)
        else:
            forget(session, offer.interaction_id)
            ops.release(fx, session, offer)
            caller = None
            if record is not None and record.kind == "agent":
                caller = _leg(sim, record.peer_session, record.peer_interaction)
            if caller is not None:
                forget(caller[0], caller[1].interaction_id)
                if caller[1].state == "DIALING":
                    caller[1].error = "busy"
                ops.release(fx, *caller)
    else:
        ops.revoke(fx, session, offer)
    ops.remove(fx, session, offer)
    if offer.queue is not None and sim.host.queue_config(offer.queue) is not None:
        _requeue(sim, fx, session, offer)


def _requeue(sim: Switch, fx: Effects, session: AgentSession, offer: Interaction) -> None:
    host = sim.host
    first = next((m.text for m in offer.messages if m.sender == "customer"), None)
    item = QueuedItem(
        item_id=offer.uuid,
        queue=offer.queue or "",
        media=offer.media,
        sender=(offer.ani if offer.media == "voice" else offer.sender) or "",
        enqueued_at=offer.created_at,
        user_data=dict(offer.user_data),
        dnis=offer.dnis,
        subject=offer.subject,
        body=offer.body,
        message=first,
        call_uuid=offer.call_uuid,
        chat_id=offer.chat_id,
        declined={
            **{name: t for name, t in offer.declined.items() if t > host.now()},
            session.username: host.now() + REJECT_HOLD_OFF,
        },
    )
    host.deliver(fx, f"queue:{item.queue}", item)
    host.schedule(REJECT_HOLD_OFF, host.drain)
