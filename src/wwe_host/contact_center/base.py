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
from typing import Any, Protocol

from ..domain.effects import Effects
from ..domain.model import AgentSession, Interaction
from ..settings import AgentConfig


class Host(Protocol):
    """What the contact center needs of the engine."""

    def now(self) -> float: ...

    def live_session(self, username: str) -> AgentSession | None: ...

    def session_by_id(self, session_id: str) -> AgentSession | None: ...

    def agent_by_number(self, number: str) -> AgentConfig | None: ...

    def agent(self, username: str) -> AgentConfig: ...

    def schedule(self, delay: float, operation: Callable[[Effects], None]) -> None:
        """Run ``operation`` as an engine operation (committed, published) after ``delay``."""
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
