"""What the simulation API (REST ``/api/v1/sim/...``, CLI ``sim``, scenarios) drives: the
outside world's side of the simulated contact center."""

from __future__ import annotations

from typing import Protocol

from ..contact_center.base import Inbound
from ..domain.effects import Effects
from ..domain.model import AgentSession, Interaction


class SimulatorControls(Inbound, Protocol):
    """The far ends of the simulated contact center: customers who call, write and chat
    (``Inbound``), far ends that answer or hang up, customers who write in or leave a chat.
    Each control works inside one engine operation, or refuses with an ``ApiError``."""

    def far_end_answer(
        self, fx: Effects, session: AgentSession, interaction: Interaction
    ) -> None: ...

    def far_end_release(
        self, fx: Effects, session: AgentSession, interaction: Interaction
    ) -> None: ...

    def customer_message(
        self, fx: Effects, session: AgentSession, interaction: Interaction, text: str
    ) -> None: ...

    def customer_left(
        self, fx: Effects, session: AgentSession, interaction: Interaction
    ) -> None: ...
