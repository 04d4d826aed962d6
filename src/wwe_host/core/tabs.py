"""The desktop tabs of each session, and which one leads (api-9.md "Several desktop tabs").

An agent may open the desktop in several browser tabs of one session. The server keeps
exactly one of them *leading* and the others *following*. When the leader closes or loses
its connection, the other tabs are *negotiating* for ``NEGOTIATION_SECONDS`` (the leader
may be reconnecting: then it leads again); when that time is up, the tab the agent used
last leads. A tab is a page instance (its id is made by the page, kept across its
reconnects); its frames are the ones it opened. Nothing here is persisted: after a server
restart the desktops reconnect and the first to say hello leads.

Timers go through the injected Scheduler; frames of a tab whose state changed receive the
``system`` event ``FRAME_STATE_CHANGED`` (domain/tabs.py), and every change of the tabs
sends the session's desktops a fresh snapshot (the header's indicator, where dialogs show).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..domain.effects import Effects
from ..domain.tabs import FOLLOWING, LEADING, NEGOTIATING, TabView, state_event
from .runner import Runner
from .state import CoreState
from .time import Timer

log = logging.getLogger("wwe_host.engine")

# How long the tabs negotiate after the leader went (api-9.md: at most 2 s).
NEGOTIATION_SECONDS = 1.0
# Several processes: the leading tab's process holds a lease on the bus this long, renewed
# every second (``tick``); a process that died loses it within this time.
LEAD_SECONDS = 5.0


@dataclass(slots=True)
class _Tab:
    tab_id: str
    order: int  # when it first joined
    connections: int = 0  # a reconnect may overlap the old socket
    visible: bool = False  # the browser window is not hidden
    shown: frozenset[str] = frozenset()  # the frames it shows now
    active: int = 0  # when the agent last used it (a counter, higher is later)


@dataclass(slots=True)
class _Group:
    tabs: dict[str, _Tab] = field(default_factory=dict)
    frames: dict[str, str] = field(default_factory=dict)  # frame id → tab id
    leader: str | None = None
    previous: str | None = None  # the leader that went, while negotiating
    timer: Timer | None = None
    counter: int = 0

    def tick(self) -> int:
        self.counter += 1
        return self.counter

    def connected(self) -> list[_Tab]:
        return [t for t in self.tabs.values() if t.connections > 0]

    def state(self, tab_id: str) -> str:
        if self.leader == tab_id:
            return LEADING
        return NEGOTIATING if self.timer is not None else FOLLOWING

    def states(self) -> dict[str, str]:
        return {t.tab_id: self.state(t.tab_id) for t in self.connected()}

    def last_active(self) -> str | None:
        live = self.connected()
        if not live:
            return None
        return max(live, key=lambda t: (t.active, -t.order)).tab_id


class Tabs:
    """The desktop tabs per session. It promises: while a session has connected tabs and
    no negotiation is under way, exactly one of them leads; a negotiation ends within
    ``NEGOTIATION_SECONDS``; the frames of a tab whose state changed are told."""

    def __init__(self, state: CoreState, runner: Runner) -> None:
        self.state = state
        self.runner = runner
        self._groups: dict[str, _Group] = {}

    # --- what the desktops report --------------------------------------------------------

    async def join(self, session_id: str, tab_id: str) -> None:
        """A connection of tab ``tab_id`` said hello."""
        group = self._groups.setdefault(session_id, _Group())
        before = group.states()
        tab = group.tabs.get(tab_id)
        if tab is None:
            tab = group.tabs[tab_id] = _Tab(tab_id, group.tick())
            tab.active = group.tick()  # a new tab is the one the agent just opened
        tab.connections += 1
        if group.leader is None and (group.timer is None or tab_id == group.previous):
            self._stop_negotiating(group)
            if await self._may_lead(session_id, tab_id):
                group.leader = tab_id
        await self._tell(session_id, group, before)

    async def leave(self, session_id: str, tab_id: str) -> None:
        """A connection of the tab closed."""
        group = self._groups.get(session_id)
        tab = group.tabs.get(tab_id) if group else None
        if group is None or tab is None:
            return
        before = group.states()
        tab.connections = max(0, tab.connections - 1)
        if tab.connections == 0 and group.leader == tab_id:
            group.leader = None
            if self.state.bus.shared:
                await self.state.bus.step_down(_lead_key(session_id), tab_id)
            if group.connected():
                self._negotiate(session_id, group)
                group.previous = tab_id
        await self._tell(session_id, group, before, gone=tab.connections == 0)
        if not group.connected() and self._groups.get(session_id) is group:
            self.forget(session_id)  # its frames are held again when a tab says hello

    def report(
        self,
        session_id: str,
        tab_id: str,
        *,
        visible: bool | None = None,
        shown: frozenset[str] | None = None,
        active: bool = False,
    ) -> None:
        """The tab's window was shown or hidden, its shown frames changed, or the agent
        used it."""
        group = self._groups.get(session_id)
        tab = group.tabs.get(tab_id) if group else None
        if group is None or tab is None:
            return
        if visible is not None:
            tab.visible = visible
        if shown is not None:
            tab.shown = shown
        if active:
            tab.active = group.tick()

    def hold(self, session_id: str, tab_id: str, frame_id: str) -> None:
        """The tab opened (or, after a reconnect, still shows) the frame."""
        group = self._groups.get(session_id)
        if group is not None and tab_id in group.tabs:
            group.frames[frame_id] = tab_id

    def release(self, session_id: str, frame_id: str) -> None:
        group = self._groups.get(session_id)
        if group is not None:
            group.frames.pop(frame_id, None)

    def close(self) -> None:
        """The engine stops: no negotiation ends any more."""
        for session_id in list(self._groups):
            self.forget(session_id)

    def forget(self, session_id: str) -> None:
        """No tab of the session is connected any more."""
        group = self._groups.pop(session_id, None)
        if group is not None:
            self._stop_negotiating(group)

    # --- what frames and the desktop are told --------------------------------------------

    def view(self, session_id: str, frame_id: str) -> TabView:
        group = self._groups.get(session_id)
        tab_id = group.frames.get(frame_id) if group else None
        tab = group.tabs.get(tab_id) if group and tab_id else None
        if group is None or tab is None or tab.connections == 0:
            # No connected tab holds the frame: it is answered as a lone tab's.
            alone = group is None or not group.connected()
            return TabView(None, LEADING if alone else FOLLOWING, False, alone)
        return TabView(
            tab.tab_id,
            group.state(tab.tab_id),
            tab.visible and frame_id in tab.shown,
            group.last_active() == tab.tab_id,
        )

    def states(self, session_id: str) -> dict[str, str]:
        """Each connected tab's state (the desktop's indicator)."""
        group = self._groups.get(session_id)
        return group.states() if group else {}

    def leader(self, session_id: str) -> str | None:
        group = self._groups.get(session_id)
        return group.leader if group else None

    def connected(self, session_id: str, tab_id: str) -> bool:
        group = self._groups.get(session_id)
        tab = group.tabs.get(tab_id) if group else None
        return tab is not None and tab.connections > 0

    # --- the election --------------------------------------------------------------------

    async def _may_lead(self, session_id: str, tab_id: str) -> bool:
        """Alone, any tab may lead. With several processes, the one whose tab holds the
        session's lease on the bus leads; the tabs on the others follow."""
        bus = self.state.bus
        if not bus.shared:
            return True
        holder = await bus.lead(_lead_key(session_id), tab_id, LEAD_SECONDS)
        return holder is None or holder == tab_id

    async def tick(self) -> None:
        """Several processes, once a second: a leading tab's process renews its lease (and
        its tabs follow if another process's tab took it meanwhile); a process whose tabs
        all follow, not negotiating, lets its last active tab take the lease once it is
        free (the leader went, or its process died)."""
        if not self.state.bus.shared:
            return
        for session_id, group in list(self._groups.items()):
            candidate = group.leader or (group.last_active() if group.timer is None else None)
            if candidate is None:
                continue
            before = group.states()
            leads = await self._may_lead(session_id, candidate)
            if not self.connected(session_id, candidate):  # it went while the bus answered
                if leads:
                    await self.state.bus.step_down(_lead_key(session_id), candidate)
                continue
            if self._groups.get(session_id) is not group or group.timer is not None:
                continue  # a negotiation began while the bus answered
            group.leader = candidate if leads else None
            try:
                await self._tell(session_id, group, before)
            except Exception:
                log.exception("telling the tabs of session %s who leads failed", session_id)

    def _negotiate(self, session_id: str, group: _Group) -> None:
        self._stop_negotiating(group)
        when = self.state.now() + NEGOTIATION_SECONDS
        group.timer = self.state.scheduler.call_at(
            when, lambda: self.state.spawn(self._elect(session_id, group))
        )

    def _stop_negotiating(self, group: _Group) -> None:
        if group.timer is not None:
            group.timer.cancel()
        group.timer = None
        group.previous = None

    async def _elect(self, session_id: str, group: _Group) -> None:
        if self._groups.get(session_id) is not group or group.timer is None:
            return
        before = group.states()
        group.timer = None
        group.previous = None
        try:
            candidate = group.last_active()
            if candidate is not None and await self._may_lead(session_id, candidate):
                group.leader = candidate
            await self._tell(session_id, group, before)
        except Exception:
            log.exception("telling the tabs of session %s who leads failed", session_id)

    async def _tell(
        self, session_id: str, group: _Group, before: dict[str, str], *, gone: bool = False
    ) -> None:
        """Tell the frames of each tab whose state changed, and the desktops when a tab
        that was there changed or went (``gone``); a tab that just joined learns its
        state from the snapshot that answers its hello."""
        after = group.states()
        changed = {t: s for t, s in after.items() if before.get(t) != s}
        session = self.state.sessions.get(session_id)
        if session is None or not (gone or any(t in before for t in changed)):
            return

        def tell(fx: Effects) -> None:
            for frame_id, tab_id in group.frames.items():
                state = changed.get(tab_id)
                if state is not None and frame_id in session.frames:
                    fx.notify(session, "system", state_event(state), frame_id=frame_id)
            fx.notify(session, "tabs", {"tabs": after}, ui_only=True)

        await self.runner.run(tell)


def _lead_key(session_id: str) -> str:
    return f"tab-leader:{session_id}"
