"""The simulated outside world's requests as core operations (REST ``/api/v1/sim/...``, the
CLI's ``sim``, scenarios): customers who call, write and chat, far ends that answer or hang
up. Each runs as one unit of work (``Runner.run``): committed before its answer leaves, and
published to the agents' desktops and frames. What they answer is plain data; the web
layer shapes it for its clients.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain import operations as ops
from ..domain.effects import Effects
from ..domain.model import AgentSession, Interaction, QueuedItem
from ..errors import ApiError, ErrorCode
from ..simulator import SimulatorControls, new_call_uuid
from .routing import Routing
from .runner import Runner
from .time import Clock
from .views import admin_interaction

Action = Callable[[Effects, AgentSession, Interaction], None]


@dataclass(slots=True)
class Delivery:
    """What became of an inbound interaction: offered to an agent, or waiting in a queue
    (``state`` QUEUED). None: not known (no agent has it yet, not sent to a queue)."""

    state: str
    interaction_uuid: str | None = None
    interaction_id: str | None = None
    agent: str | None = None
    queue: str | None = None
    call_uuid: str | None = None  # a call: how the simulation API addresses it
    chat_id: str | None = None  # a chat: idem


@dataclass(slots=True)
class Abandoned:
    """The customer gave up while waiting in ``queue``."""

    queue: str


class Simulation:
    """The outside world's side of the simulated contact center. It promises: each request
    is one unit of work (all of it or nothing), and a refusal names what was wrong (an
    unknown call or chat: NOT_FOUND; one still waiting in a queue: INVALID_STATE)."""

    def __init__(
        self, runner: Runner, routing: Routing, controls: SimulatorControls, clock: Clock
    ) -> None:
        self.runner = runner
        self.routing = routing
        self.controls = controls
        self.clock = clock

    # --- customers who call, write and chat --------------------------------------------

    async def call(
        self, target: str, sender: str, dnis: str | None, user_data: dict[str, Any] | None
    ) -> Delivery:
        item = self._item("voice", sender, user_data)
        item.dnis = dnis
        item.call_uuid = call_uuid = new_call_uuid()
        delivery = await self._push(target, item)
        delivery.call_uuid = call_uuid
        return delivery

    async def email(
        self,
        target: str,
        sender: str,
        subject: str,
        body: str,
        user_data: dict[str, Any] | None,
    ) -> Delivery:
        item = self._item("email", sender, user_data)
        item.subject = subject
        item.body = body
        return await self._push(target, item)

    async def chat(
        self, target: str, sender: str, message: str, user_data: dict[str, Any] | None
    ) -> Delivery:
        item = self._item("chat", sender, user_data)
        item.message = message
        item.chat_id = chat_id = uuid.uuid4().hex
        delivery = await self._push(target, item)
        delivery.chat_id = chat_id
        return delivery

    def _item(self, media: str, sender: str, user_data: dict[str, Any] | None) -> QueuedItem:
        return QueuedItem(
            item_id=uuid.uuid4().hex,
            queue="",
            media=media,
            sender=sender,
            enqueued_at=self.clock(),
            user_data=dict(user_data or {}),
        )

    async def _push(self, target: str, item: QueuedItem) -> Delivery:
        routing = self.routing

        def deliver(fx: Effects) -> Delivery:
            offered = routing.offer(fx, target, item)
            if offered is None:
                return Delivery(state="QUEUED", queue=item.queue)
            session, interaction = offered
            result = Delivery(
                state=interaction.state,
                interaction_uuid=interaction.uuid,
                interaction_id=interaction.interaction_id,
                agent=session.username,
            )
            if item.queue:
                result.queue = item.queue
            return result

        return await self.runner.run(deliver)

    # --- far ends and customers already talking to an agent ----------------------------

    async def answer(self, call_uuid: str) -> dict[str, Any]:
        """The far end of an outbound call answers it; the call as the admin sees it."""
        answered = await self._on_call(call_uuid, self.controls.far_end_answer, True)
        assert not isinstance(answered, Abandoned)  # an outbound call never waits in a queue
        return answered

    async def hang_up(self, call_uuid: str) -> dict[str, Any] | Abandoned:
        """The far end hangs up (a caller still waiting in a queue abandons)."""
        return await self._on_call(call_uuid, self.controls.far_end_release, False)

    async def chat_message(self, chat_id: str, text: str) -> dict[str, Any]:
        customer_message = self.controls.customer_message

        def write(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
            customer_message(fx, session, interaction, text)

        written = await self._on_chat(chat_id, write)
        assert not isinstance(written, Abandoned)  # only ending a chat abandons it
        return written

    async def end_chat(self, chat_id: str) -> dict[str, Any] | Abandoned:
        """The customer leaves the chat (one still waiting in a queue abandons)."""
        return await self._on_chat(chat_id, self.controls.customer_left, abandons=True)

    async def _on_call(
        self, call_uuid: str, action: Action, outbound_only: bool
    ) -> dict[str, Any] | Abandoned:
        routing = self.routing

        def run(fx: Effects) -> dict[str, Any] | Abandoned:
            def ours(i: Interaction) -> bool:
                return i.media == "voice" and i.call_uuid == call_uuid

            found = None
            if outbound_only:
                found = routing.find(lambda i: ours(i) and i.direction == "OUT")
                if found is None and routing.find(ours) is not None:
                    raise ApiError(
                        ErrorCode.INVALID_STATE,
                        f"Call '{call_uuid}' is inbound: the agent answers it, not the far end.",
                    )
            else:
                found = routing.find(lambda i: ours(i) and i.live) or routing.find(ours)
                if found is None:
                    # The caller hangs up while still waiting in a queue: abandoned.
                    gone = routing.abandon(fx, lambda q: q.call_uuid == call_uuid)
                    if gone is not None:
                        return Abandoned(gone.queue)
            if found is None:
                raise self._queued(lambda q: q.call_uuid == call_uuid, f"Call '{call_uuid}'")
            session, interaction = found
            action(fx, session, interaction)
            return admin_interaction(session, interaction)

        return await self.runner.run(run)

    async def _on_chat(
        self, chat_id: str, action: Action, abandons: bool = False
    ) -> dict[str, Any] | Abandoned:
        routing = self.routing

        def run(fx: Effects) -> dict[str, Any] | Abandoned:
            found = routing.find(lambda i: i.media == "chat" and i.chat_id == chat_id)
            if found is None and abandons:
                gone = routing.abandon(fx, lambda q: q.chat_id == chat_id)
                if gone is not None:
                    return Abandoned(gone.queue)
            if found is None:
                raise self._queued(lambda q: q.chat_id == chat_id, f"Chat '{chat_id}'")
            session, interaction = found
            action(fx, session, interaction)
            return admin_interaction(session, interaction)

        return await self.runner.run(run)

    def _queued(self, predicate: Callable[[QueuedItem], bool], what: str) -> ApiError:
        """Not in any session: waiting in a queue (409) or unknown (404)."""
        for item in self.routing.queued():
            if predicate(item):
                return ApiError(
                    ErrorCode.INVALID_STATE,
                    f"{what} is waiting in queue '{item.queue}': no agent has it yet.",
                )
        return ApiError(ErrorCode.NOT_FOUND, f"Unknown {what[0].lower()}{what[1:]}.")

    # --- the backend's own change of attached data -------------------------------------

    async def change_user_data(
        self, interaction_uuid: str, updates: dict[str, Any], deletions: list[str]
    ) -> dict[str, Any]:
        """The backend sets and deletes attached data of an interaction (no write list:
        it is not a third party); the interaction as the admin sees it."""
        routing = self.routing

        def change(fx: Effects) -> dict[str, Any]:
            found = routing.find(lambda i: i.uuid == interaction_uuid)
            if found is None:
                raise ApiError(ErrorCode.NOT_FOUND, f"Unknown interaction '{interaction_uuid}'.")
            session, interaction = found
            if updates:
                ops.set_user_data(fx, session, interaction, updates)
            for key in deletions:
                ops.delete_user_data(fx, session, interaction, key)
            return admin_interaction(session, interaction)

        return await self.runner.run(change)
