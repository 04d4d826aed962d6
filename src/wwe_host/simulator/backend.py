"""The simulated contact center: far ends that answer, agents that call each other, mail.

It implements both the agent-facing ``ContactCenter`` port (contact_center/base.py) and the
``SimulatorControls`` the simulation API drives (simulator/controls.py).

Destinations: an agent's DN rings that agent (an internal call); ``busy-*`` is released
after the answer delay as busy; ``noanswer-*`` rings until someone hangs up; any other
number answers after ``sim.voice.answer-delay`` seconds. What the simulator knows of a call
beyond the domain's ``Interaction`` (its far end) is in simulator/far_ends.py.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

from ..contact_center.base import Host, Target
from ..domain import operations as ops
from ..domain import wrapup
from ..domain.effects import Effects
from ..domain.model import AgentSession, ChatLine, Interaction, is_email_address
from ..errors import ApiError, ErrorCode
from . import transfers
from .far_ends import FarEnd, far_end, forget, keep, new_call_uuid, prune

__all__ = ["Simulator", "new_call_uuid"]

# The outcome of each side when the agent hangs up, by the agent's call state: (the
# agent's leg, the other agent's leg of an internal call).
_HANG_UP_OUTCOMES: dict[str, tuple[str | None, str | None]] = {
    "RINGING": ("declined", "busy"),
    "DIALING": ("no-answer", "missed"),
}
# The outcome of the agent's leg when the far end hangs up, by the agent's call state.
_FAR_END_OUTCOMES = {"RINGING": "missed", "DIALING": "busy"}


def quoted_subject(subject: str, prefix: str) -> str:
    """``Re: subject`` (or ``Fwd:``), not prefixed twice."""
    return subject if subject.lower().startswith(f"{prefix.lower()}:") else f"{prefix}: {subject}"


def quoted_body(original: Interaction, forward: bool) -> str:
    """The original below an empty first line: quoted with "> " (reply) or under a
    forwarded-message header (forward)."""
    body = original.body or ""
    if forward:
        return (
            "\n\n---------- Forwarded message ----------\n"
            f"From: {original.sender or ''}\nTo: {original.recipient or ''}\n"
            f"Subject: {original.subject or ''}\n\n{body}"
        )
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(original.created_at))
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    return f"\n\nOn {when}, {original.sender or 'the sender'} wrote:\n{quoted}"


class Simulator:
    """The embedded contact center. It promises: every change it makes happens inside the
    operation that asked for it (committed and published with it); a far end due to act is
    re-armed after a restart; an internal call's two legs end together."""

    def __init__(self) -> None:
        self._host: Host | None = None
        self._leaving: str | None = None  # the session logging out now (session_ended)

    @property
    def host(self) -> Host:
        if self._host is None:
            raise RuntimeError("the simulator is not bound to an engine")
        return self._host

    def bind(self, host: Host) -> None:
        self._host = host

    # --- helpers -------------------------------------------------------------------------

    def new_interaction(
        self, session: AgentSession, media: str, state: str, **fields: Any
    ) -> Interaction:
        case_id = fields.pop("case_id", None) or str(uuid.uuid4())
        return Interaction(
            interaction_id=session.new_interaction_id(),
            uuid=str(uuid.uuid4()),
            media=media,
            case_id=case_id,
            state=state,
            created_at=self.host.now(),
            **fields,
        )

    def arm_answer(self, session_id: str, interaction_id: str, due: float) -> None:
        def fire(fx: Effects) -> None:
            session = self.session_of(session_id)
            if session is None:
                return
            interaction = session.interactions.get(interaction_id)
            if interaction is None or interaction.state != "DIALING":
                return
            record = far_end(session, interaction_id)
            if record is None or record.answer_due is None:
                return
            forget(session, interaction_id)  # it has acted; nothing links to it
            if record.kind in ("busy", "unavailable"):
                interaction.error = "busy"
                outcome = "busy" if record.kind == "busy" else "not-available"
                self._release(fx, session, interaction, outcome)
            else:
                ops.establish(fx, session, interaction, now=self.host.now())

        self.host.schedule(
            max(0.0, due - self.host.now()), fire, key=f"answer:{session_id}:{interaction_id}:{due}"
        )

    def session_of(self, session_id: str) -> AgentSession | None:
        return self.host.session_by_id(session_id)

    def peer(
        self, session: AgentSession, interaction: Interaction
    ) -> tuple[AgentSession, Interaction] | None:
        """The other agent's leg of an internal call."""
        record = far_end(session, interaction.interaction_id)
        if record is None or record.peer_session is None or record.peer_interaction is None:
            return None
        other = self.session_of(record.peer_session)
        if other is None:
            return None
        peer = other.interactions.get(record.peer_interaction)
        return (other, peer) if peer is not None else None

    # --- voice ---------------------------------------------------------------------------

    def restore(self, sessions: Iterable[AgentSession]) -> None:
        for session in sessions:
            prune(session)
            for interaction_id in session.backend:
                record = far_end(session, interaction_id)
                dialing = session.interactions[interaction_id].state == "DIALING"
                if record is not None and record.answer_due is not None and dialing:
                    self.arm_answer(session.session_id, interaction_id, record.answer_due)

    def dial(
        self,
        fx: Effects,
        session: AgentSession,
        destination: str,
        user_data: dict[str, Any],
        extensions: dict[str, str] | None = None,
        case_id: str | None = None,
    ) -> Interaction:
        me = self.host.agent(session.username)
        if destination == me.number:
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                f"Cannot dial '{destination}': it is this agent's own number.",
            )
        callee = self.host.agent_by_number(destination)
        callee_session = self.host.live_session(callee.username) if callee else None
        if callee is not None:
            reachable = callee_session is not None and "voice" in callee_session.media
            kind = "agent" if reachable else "unavailable"
        elif destination.startswith("busy-"):
            kind = "busy"
        elif destination.startswith("noanswer-"):
            kind = "noanswer"
        else:
            kind = "answer"
        call = self.new_interaction(
            session,
            "voice",
            "DIALING",
            call_uuid=new_call_uuid(),
            direction="OUT",
            call_type="OUTBOUND" if callee is None else "INTERNAL",
            ani=me.number,
            dnis=destination,
            parties=[destination],
            recording_state="STOPPED",
            user_data=dict(user_data),
            extensions=dict(extensions or {}),
            case_id=case_id,
        )
        ops.add_interaction(fx, session, call, "DIALING")
        if kind == "agent" and callee_session is not None:
            ring = self.inbound_call(
                fx,
                callee_session,
                me.number,
                destination,
                dict(user_data),
                "INTERNAL",
                call_uuid=call.call_uuid,
            )
            keep(
                session,
                call.interaction_id,
                FarEnd(
                    kind=kind,
                    peer_session=callee_session.session_id,
                    peer_interaction=ring.interaction_id,
                ),
            )
            keep(
                callee_session,
                ring.interaction_id,
                FarEnd(
                    kind=kind,
                    peer_session=session.session_id,
                    peer_interaction=call.interaction_id,
                ),
            )
            if ring.state == "TALKING":  # answered at once (auto-answer)
                ops.establish(fx, session, call)
        elif kind == "noanswer":
            keep(session, call.interaction_id, FarEnd(kind=kind))
        else:
            due = self.host.now() + me.options.answer_delay
            keep(session, call.interaction_id, FarEnd(kind=kind, answer_due=due))
            self.arm_answer(session.session_id, call.interaction_id, due)
        return call

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
    ) -> Interaction:
        """A call rings at the agent (``consultation``, ``parties`` and ``extensions`` for
        the calls transfers and conferences offer: simulator/transfers.py)."""
        if "voice" not in session.media:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Agent '{session.username}' has no voice media."
            )
        ring = self.new_interaction(
            session,
            "voice",
            "RINGING",
            call_uuid=call_uuid or new_call_uuid(),
            direction="IN",
            call_type=call_type,
            ani=ani,
            dnis=dnis,
            parties=list(parties) if parties is not None else [ani],
            recording_state="STOPPED",
            user_data=dict(user_data),
            is_consultation=consultation,
            extensions=dict(extensions or {}),
        )
        ops.add_interaction(fx, session, ring, "RINGING")
        if self.host.agent(session.username).options.voice_auto_answer:
            self.answer(fx, session, ring)
        return ring

    def answer(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        now = self.host.now()
        ops.answer(fx, session, interaction, now=now)
        record = far_end(session, interaction.interaction_id)
        if record is not None and record.kind == "joining":
            transfers.join(self, fx, session, interaction)
            return
        peer = self.peer(session, interaction)
        if peer is not None and peer[1].state == "DIALING":
            ops.establish(fx, *peer, now=now)

    def _release(
        self, fx: Effects, session: AgentSession, interaction: Interaction, outcome: str | None
    ) -> None:
        """End a call with its outcome; an answered call starts after-call work when the
        agent's options say so (until its mark done)."""
        answered = interaction.state in ("TALKING", "HELD")
        ops.release(fx, session, interaction, outcome=outcome, now=self.host.now())
        leaving = session.session_id == self._leaving  # logging out: no wrap-up to do
        if answered and not leaving and self.host.agent(session.username).options.after_call_work:
            wrapup.start_after_call_work(fx, session, interaction, self.host.now())

    def hang_up(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        """The agent hangs up: a ringing call is declined (its caller hears busy), a call
        still dialling was not answered, an established one simply ends; an agent leaving
        a conference leaves the others connected (simulator/transfers.py)."""
        record = far_end(session, interaction.interaction_id)
        if record is not None and record.kind == "conference":
            transfers.leave(self, fx, session, interaction)
            return
        mine, theirs = _HANG_UP_OUTCOMES.get(interaction.state, (None, "far-end-released"))
        self._end(fx, session, interaction, mine, theirs)

    def _end(
        self,
        fx: Effects,
        session: AgentSession,
        interaction: Interaction,
        mine: str | None,
        theirs: str | None,
    ) -> None:
        self._release(fx, session, interaction, mine)
        peer = self.peer(session, interaction)
        forget(session, interaction.interaction_id)
        if peer is not None:
            if peer[1].state in ("RINGING", "DIALING", "TALKING", "HELD"):
                self._release(fx, *peer, theirs)
            forget(peer[0], peer[1].interaction_id)

    def far_end_answer(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        record = far_end(session, interaction.interaction_id)
        if interaction.direction != "OUT" or (record is not None and record.kind == "agent"):
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Call '{interaction.call_uuid}' has no simulated far end to answer it.",
            )
        ops.establish(fx, session, interaction, now=self.host.now())
        forget(session, interaction.interaction_id)

    def far_end_release(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        """The far end hangs up: a caller while the agent's phone rang is a missed call; a
        called party while it rang refused the call (busy); an outside party of a
        conference leaves the others connected."""
        record = far_end(session, interaction.interaction_id)
        if record is not None and record.kind == "conference" and record.externals:
            transfers.outside_left(self, fx, session, interaction)
        elif interaction.is_consultation and not interaction.live:
            transfers.consulted_number_left(self, fx, session, interaction)
        else:
            mine = _FAR_END_OUTCOMES.get(interaction.state, "far-end-released")
            self._end(fx, session, interaction, mine, "far-end-released")

    def customer_message(
        self, fx: Effects, session: AgentSession, interaction: Interaction, text: str
    ) -> None:
        self.chat_message(fx, session, interaction, "customer", text)

    def customer_left(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        """The customer leaves; before the agent accepted, the chat was abandoned."""
        outcome = "abandoned" if interaction.state == "INVITED" else "far-end-released"
        self.end_chat(fx, session, interaction)
        if interaction.outcome is None:
            interaction.outcome = outcome

    def session_ended(self, fx: Effects, session: AgentSession) -> None:
        self._leaving = session.session_id
        try:
            for interaction in session.interactions.values():
                if interaction.media == "voice" and interaction.live:
                    self.hang_up(fx, session, interaction)
        finally:
            self._leaving = None

    # --- offers, consultations, transfers and conferences (simulator/transfers.py) --------

    def reject(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        transfers.reject(self, fx, session, interaction)

    def consult(
        self,
        fx: Effects,
        session: AgentSession,
        interaction: Interaction,
        target: Target,
        user_data: dict[str, Any],
        extensions: dict[str, str],
    ) -> Interaction:
        return transfers.consult(self, fx, session, interaction, target, user_data, extensions)

    def complete_transfer(
        self, fx: Effects, session: AgentSession, consultation: Interaction
    ) -> None:
        transfers.complete_transfer(self, fx, session, consultation)

    def complete_conference(
        self, fx: Effects, session: AgentSession, consultation: Interaction
    ) -> None:
        transfers.complete_conference(self, fx, session, consultation)

    def single_step_transfer(
        self,
        fx: Effects,
        session: AgentSession,
        interaction: Interaction,
        target: Target,
        user_data: dict[str, Any],
        extensions: dict[str, str],
    ) -> None:
        transfers.single_step_transfer(
            self, fx, session, interaction, target, user_data, extensions
        )

    def single_step_conference(
        self,
        fx: Effects,
        session: AgentSession,
        interaction: Interaction,
        target: Target,
        user_data: dict[str, Any],
        extensions: dict[str, str],
    ) -> None:
        transfers.single_step_conference(
            self, fx, session, interaction, target, user_data, extensions
        )

    # --- e-mail and chat -----------------------------------------------------------------

    def create_email(
        self, fx: Effects, session: AgentSession, destination: str, user_data: dict[str, Any]
    ) -> Interaction:
        if "email" not in session.media:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Agent '{session.username}' has no email media."
            )
        if not is_email_address(destination):
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                f"Parameter 'destination' of 'email.create' is not an e-mail address: "
                f"'{destination}'.",
            )
        me = self.host.agent(session.username)
        mail = self.new_interaction(
            session,
            "email",
            "CREATED",
            sender=f"{me.username}@wwe-host.local",
            recipient=destination,
            subject="",
            body="",
            parties=[destination],
            user_data=dict(user_data),
        )
        ops.add_interaction(fx, session, mail, "CREATED")
        return mail

    def reply_email(
        self, fx: Effects, session: AgentSession, original: Interaction, *, forward: bool = False
    ) -> Interaction:
        """A reply to (or a forward of) an e-mail: a new outbound e-mail in the same case,
        its subject prefixed and the original quoted; a forward has no recipient yet."""
        if original.media != "email" or original.state in ("CREATED", "COMPOSING"):
            what = "a draft" if original.media == "email" else f"a {original.media} interaction"
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Cannot {'forward' if forward else 'reply to'} interaction "
                f"'{original.interaction_id}': it is {what}, not a received or sent e-mail.",
            )
        if "email" not in session.media:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Agent '{session.username}' has no email media."
            )
        me = f"{session.username}@wwe-host.local"
        recipient = None
        if not forward:
            recipient = original.recipient if original.sender == me else original.sender
        mail = self.new_interaction(
            session,
            "email",
            "CREATED",
            sender=me,
            recipient=recipient,
            subject=quoted_subject(original.subject or "", "Fwd" if forward else "Re"),
            body=quoted_body(original, forward),
            parties=[recipient] if recipient else [],
            user_data=dict(original.user_data),
            parent_interaction_id=original.interaction_id,
        )
        mail.case_id = original.case_id  # threaded: the original's case
        ops.add_interaction(fx, session, mail, "CREATED")
        return mail

    def send_email(
        self, fx: Effects, session: AgentSession, interaction: Interaction, subject: str, body: str
    ) -> None:
        if interaction.media != "email" or interaction.state not in ("CREATED", "COMPOSING"):
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Cannot send interaction '{interaction.interaction_id}': it is "
                f"{interaction.state}.",
            )
        interaction.subject = subject
        interaction.body = body
        interaction.set_state("SENT")
        fx.outbox.append(
            {
                "interactionUUID": interaction.uuid,
                "from": interaction.sender,
                "to": interaction.recipient,
                "subject": subject,
                "body": body,
                "userData": dict(interaction.user_data),
                "at": self.host.now(),
                "agent": session.username,
            }
        )
        fx.interaction_event(session, interaction, "SENT")

    def cancel_email(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        if interaction.media != "email" or interaction.state not in ("CREATED", "COMPOSING"):
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Cannot cancel interaction '{interaction.interaction_id}': it is "
                f"{interaction.state}.",
            )
        interaction.set_state("CANCELLED")
        fx.interaction_event(session, interaction, "CANCELLED")

    def inbound_email(
        self,
        fx: Effects,
        session: AgentSession,
        sender: str,
        subject: str,
        body: str,
        user_data: dict[str, Any],
    ) -> Interaction:
        if "email" not in session.media:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Agent '{session.username}' has no email media."
            )
        me = self.host.agent(session.username)
        mail = self.new_interaction(
            session,
            "email",
            "INVITED",
            sender=sender,
            recipient=f"{me.username}@wwe-host.local",
            subject=subject,
            body=body,
            parties=[sender],
            user_data=dict(user_data),
        )
        ops.add_interaction(fx, session, mail, "INVITED")
        return mail

    def inbound_chat(
        self,
        fx: Effects,
        session: AgentSession,
        customer: str,
        message: str,
        user_data: dict[str, Any],
        chat_id: str | None = None,
    ) -> Interaction:
        if "chat" not in session.media:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Agent '{session.username}' has no chat media."
            )
        chat = self.new_interaction(
            session,
            "chat",
            "INVITED",
            sender=customer,
            chat_id=chat_id or uuid.uuid4().hex,
            parties=[customer],
            user_data=dict(user_data),
            messages=[ChatLine("customer", customer, message, self.host.now())] if message else [],
        )
        ops.add_interaction(fx, session, chat, "INVITED")
        return chat

    def chat_message(
        self, fx: Effects, session: AgentSession, interaction: Interaction, sender: str, text: str
    ) -> None:
        if interaction.media != "chat" or interaction.state not in ("INVITED", "ACCEPTED"):
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Cannot write in interaction '{interaction.interaction_id}': it is "
                f"{interaction.state}.",
            )
        if sender == "agent" and interaction.state != "ACCEPTED":
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Cannot write in interaction '{interaction.interaction_id}': accept it first.",
            )
        name = session.username if sender == "agent" else interaction.sender or "customer"
        interaction.messages.append(ChatLine(sender, name, text, self.host.now()))
        fx.interaction_event(session, interaction, "NEW_MESSAGE")

    def end_chat(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        if interaction.media != "chat" or interaction.state not in ("INVITED", "ACCEPTED"):
            raise ApiError(
                ErrorCode.INVALID_STATE,
                f"Cannot end interaction '{interaction.interaction_id}': it is "
                f"{interaction.state}.",
            )
        interaction.set_state("ENDED")
        fx.interaction_event(session, interaction, "ENDED")
