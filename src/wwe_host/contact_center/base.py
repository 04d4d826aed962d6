"""The contact center behind the API: what the core asks of it, whoever implements it.

Two ports: ``ContactCenter``, the agent's commands (what api/ handlers and the core use),
and ``Inbound``, how an outside interaction is offered to an agent (what routing uses).
The simulator (simulator/) is the embedded default and adds its far-end controls
(``SimulatorControls``); a real telephony or e-mail system would implement these two ports.
Every method works inside one engine operation (``Effects``), so its changes are committed
and published with the request that caused them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ..domain.effects import Effects
from ..domain.model import AgentSession, Interaction, QueuedItem
from ..settings import AgentConfig, QueueConfig

TARGET_TYPES = ("AGENT", "QUEUE", "DN")


@dataclass(frozen=True, slots=True)
class Target:
    """Where a consult or transfer goes (api-9.md): an agent (user name or DN), a queue
    (one of its ready agents), or a number."""

    type: str  # one of TARGET_TYPES
    destination: str


class Host(Protocol):
    """What the contact center needs of the engine."""

    def now(self) -> float: ...

    def live_session(self, username: str) -> AgentSession | None: ...

    def session_by_id(self, session_id: str) -> AgentSession | None: ...

    def agent_by_number(self, number: str) -> AgentConfig | None: ...

    def agent(self, username: str) -> AgentConfig: ...

    def queue_config(self, name: str) -> QueueConfig | None: ...

    def deliver(self, fx: Effects, target: str, item: QueuedItem) -> Interaction | None:
        """Offer an inbound interaction to a username, a DN or ``queue:<name>``."""
        ...

    def drain(self, fx: Effects) -> None:
        """Offer waiting interactions to agents who can take them now."""
        ...

    def schedule(
        self, delay: float, operation: Callable[[Effects], None], key: str | None = None
    ) -> None:
        """Run ``operation`` as an engine operation (committed, published) after ``delay``.
        With a ``key`` (naming the timer, its session and due time), arming it again
        replaces it, and with several processes only one of them runs it."""
        ...


class ContactCenter(Protocol):
    """The agent-facing backend: it promises to make each of the agent's commands happen
    (or refuse it with an ``ApiError`` naming why, changing nothing), within ``fx``."""

    def bind(self, host: Host) -> None: ...

    def restore(self, sessions: Iterable[AgentSession]) -> None:
        """Re-arm whatever was pending (far ends about to answer) after a restart."""
        ...

    def dial(
        self,
        fx: Effects,
        session: AgentSession,
        destination: str,
        user_data: dict[str, Any],
        extensions: dict[str, str] | None = None,
        case_id: str | None = None,
    ) -> Interaction:
        """Place a call; ``extensions`` are for the switch (voice.dialEx), kept on the call;
        ``case_id``: the call joins that case (an outbound preview's record dialled)."""
        ...

    def answer(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None: ...

    def hang_up(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None: ...

    def create_email(
        self, fx: Effects, session: AgentSession, destination: str, user_data: dict[str, Any]
    ) -> Interaction: ...

    def reply_email(
        self, fx: Effects, session: AgentSession, original: Interaction, *, forward: bool = False
    ) -> Interaction:
        """A new outbound e-mail in the original's case, quoting it (to be sent as usual)."""
        ...

    def send_email(
        self, fx: Effects, session: AgentSession, interaction: Interaction, subject: str, body: str
    ) -> None: ...

    def cancel_email(
        self, fx: Effects, session: AgentSession, interaction: Interaction
    ) -> None: ...

    def chat_message(
        self, fx: Effects, session: AgentSession, interaction: Interaction, sender: str, text: str
    ) -> None: ...

    def end_chat(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None: ...

    def session_ended(self, fx: Effects, session: AgentSession) -> None:
        """The agent logged out: release what the other side still holds."""
        ...

    def reject(self, fx: Effects, session: AgentSession, interaction: Interaction) -> None:
        """Decline an offer (ringing call, invitation): it leaves the desktop; a routed one
        goes back to its queue, a direct call gives the caller busy."""
        ...

    def consult(
        self,
        fx: Effects,
        session: AgentSession,
        interaction: Interaction,
        target: Target,
        user_data: dict[str, Any],
        extensions: dict[str, str],
    ) -> Interaction:
        """Hold the call and dial a consult call to ``target``; the consult interaction."""
        ...

    def complete_transfer(
        self, fx: Effects, session: AgentSession, consultation: Interaction
    ) -> None: ...

    def complete_conference(
        self, fx: Effects, session: AgentSession, consultation: Interaction
    ) -> None: ...

    def single_step_transfer(
        self,
        fx: Effects,
        session: AgentSession,
        interaction: Interaction,
        target: Target,
        user_data: dict[str, Any],
        extensions: dict[str, str],
    ) -> None: ...

    def single_step_conference(
        self,
        fx: Effects,
        session: AgentSession,
        interaction: Interaction,
        target: Target,
        user_data: dict[str, Any],
        extensions: dict[str, str],
    ) -> None: ...


class Inbound(Protocol):
    """How an outside interaction reaches an agent: it promises to offer it to ``session``
    (ringing or invited) or refuse it with an ``ApiError`` naming why."""

    def inbound_call(
        self,
        fx: Effects,
        session: AgentSession,
        ani: str,
        dnis: str,
        user_data: dict[str, Any],
        call_type: str = "INBOUND",
        call_uuid: str | None = None,
    ) -> Interaction: ...

    def inbound_email(
        self,
        fx: Effects,
        session: AgentSession,
        sender: str,
        subject: str,
        body: str,
        user_data: dict[str, Any],
    ) -> Interaction: ...

    def inbound_chat(
        self,
        fx: Effects,
        session: AgentSession,
        customer: str,
        message: str,
        user_data: dict[str, Any],
        chat_id: str | None = None,
    ) -> Interaction: ...
