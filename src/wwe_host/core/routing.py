"""Routing of inbound interactions: to an agent, a number or a queue; the queue drains
to agents who become ready (``contact_center/routing.py`` picks the agent)."""

from __future__ import annotations

from collections.abc import Callable

from ..contact_center.base import Inbound
from ..contact_center.routing import pick_agent
from ..domain.effects import Effects
from ..domain.model import AgentSession, Interaction, QueuedItem
from ..errors import ApiError, ErrorCode
from .state import CoreState


class Routing:
    """Offers inbound interactions. It promises: an interaction for a queue with no ready
    agent waits in the queue (oldest first) until one becomes ready; one for an agent or a
    number is offered at once or refused with a message naming why."""

    def __init__(self, state: CoreState, inbound: Inbound) -> None:
        self.state = state
        self.inbound = inbound

    def deliver(self, fx: Effects, target: str, item: QueuedItem) -> Interaction | None:
        """Offer an inbound interaction to ``target`` (a username, a DN or ``queue:<name>``);
        a queue with no ready agent keeps it (None) until one becomes ready."""
        offered = self.offer(fx, target, item)
        return offered[1] if offered is not None else None

    def offer(
        self, fx: Effects, target: str, item: QueuedItem
    ) -> tuple[AgentSession, Interaction] | None:
        """``deliver``, naming the session that got the offer (no search of every session
        to find it again)."""
        state = self.state
        config = state.config
        if target.startswith("queue:"):
            name = target.removeprefix("queue:")
            queue = config.queues.get(name)
            if queue is None:
                raise ApiError(ErrorCode.NOT_FOUND, f"Unknown queue '{name}'.")
            if item.media not in queue.media:
                raise ApiError(
                    ErrorCode.INVALID_PARAMETER,
                    f"Queue '{name}' does not take {item.media} interactions.",
                )
            item.queue = name
            session = pick_agent(queue, item.media, state.live_session, self._declined(item))
            if session is None:
                state.queue.append(item)
                fx.queued.append(item)
                return None
            return session, self._offer(fx, session, item)
        agent = config.agents.get(target) or config.agent_by_number(target)
        if agent is None:
            raise ApiError(
                ErrorCode.NOT_FOUND,
                f"No agent, number or queue '{target}' (use a username, a DN or queue:<name>).",
            )
        session = state.live_session(agent.username)
        if session is None:
            raise ApiError(ErrorCode.INVALID_STATE, f"Agent '{agent.username}' is not logged in.")
        if item.media not in session.media:
            raise ApiError(
                ErrorCode.INVALID_STATE, f"Agent '{agent.username}' has no {item.media} media."
            )
        return session, self._offer(fx, session, item)

    def _declined(self, item: QueuedItem) -> set[str]:
        """The agents who rejected the item and are not offered it again yet."""
        now = self.state.now()
        return {name for name, until in item.declined.items() if until > now}

    def _offer(self, fx: Effects, session: AgentSession, item: QueuedItem) -> Interaction:
        offered = self._offer_to(fx, session, item)
        if item.queue:
            offered.queue = item.queue  # a rejected offer goes back there...
            offered.declined = dict(item.declined)  # ...still kept from who rejected it
        return offered

    def _offer_to(self, fx: Effects, session: AgentSession, item: QueuedItem) -> Interaction:
        cc = self.inbound
        session.idle_since[item.media] = self.state.now()  # to the back of the line
        if item.media == "voice":
            number = self.state.config.agents[session.username].number
            return cc.inbound_call(
                fx,
                session,
                item.sender,
                item.dnis or number,
                item.user_data,
                call_uuid=item.call_uuid,
            )
        if item.media == "email":
            return cc.inbound_email(
                fx, session, item.sender, item.subject or "", item.body or "", item.user_data
            )
        return cc.inbound_chat(
            fx, session, item.sender, item.message or "", item.user_data, chat_id=item.chat_id
        )

    def drain(self, fx: Effects) -> None:
        """Offer waiting interactions, oldest first, to agents who have become ready."""
        state = self.state
        for item in list(state.queue):
            queue = state.config.queues.get(item.queue)
            if queue is None:
                continue
            session = pick_agent(queue, item.media, state.live_session, self._declined(item))
            if session is None:
                continue
            state.queue.remove(item)
            fx.dequeued.append(item.item_id)
            self._offer(fx, session, item)

    def abandon(self, fx: Effects, predicate: Callable[[QueuedItem], bool]) -> QueuedItem | None:
        """The customer gave up while waiting: the first matching item leaves its queue."""
        queue = self.state.queue
        for item in queue:
            if predicate(item):
                queue.remove(item)
                fx.dequeued.append(item.item_id)
                return item
        return None

    def queued(self) -> list[QueuedItem]:
        return list(self.state.queue)

    def find(
        self, predicate: Callable[[Interaction], bool]
    ) -> tuple[AgentSession, Interaction] | None:
        for session in self.state.sessions.values():
            for interaction in session.interactions.values():
                if predicate(interaction):
                    return session, interaction
        return None
