"""The desktop's cookie doors: the desktop WebSocket, login, logout and cookie-authenticated
REST changes accept only the desktop's own origin (security.md, "Hostile pages").

Third-party apps often live on the desktop's site (another port, a sibling subdomain), and
the browser sends the agent's cookie along with their requests. So the cookie alone is
never enough: the request's ``Origin`` header must name one of the desktop's origins,
``[wwe-host] public-url``'s origin or one listed in ``desktop-origins``. Browsers always
send ``Origin`` on WebSocket handshakes and on POST requests, so a request without one is
not from the desktop's pages and is refused too (scripts use the admin token; a script
that logs in like the desktop sends the header itself).

A refusal changes nothing. It is audited (outcome ``refused:door``, request = the door),
counted (``wwe_host_door_refusals_total``), shown in the traffic inspector of the session
whose cookie came along, and logged (once a minute per door and origin, with the number
of repeats, so a hostile page in a loop cannot flood the log).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from ..core.views import AgentSession
from ..engine import Engine
from ..security import normalize_origin
from ..settings import ServerSettings

log = logging.getLogger("wwe_host.web")

# The doors (audit "request", metrics label) and the reasons (metrics label): closed sets.
DESKTOP_WS = "desktop-ws"
LOGIN = "login"
LOGOUT = "logout"
REST = "rest"
ORIGIN = "origin"
CONNECTIONS = "connections"

# WebSocket close codes (docs/desktop-protocol.md); 4401 (not logged in) is desktop_ws's.
REFUSED_ORIGIN = 4403
TOO_MANY_DESKTOPS = 4429
CLOSE_REASON_BYTES = 123  # RFC 6455: a close frame's reason fits in 123 bytes
LOG_EVERY_SECONDS = 60.0

_WHAT = {
    DESKTOP_WS: "open the desktop connection",
    LOGIN: "log in",
    LOGOUT: "log out",
    REST: "make changes with a session cookie",
}


def origin_problem(server: ServerSettings, door: str, origin: str | None) -> str | None:
    """None when ``origin`` (the request's ``Origin`` header) is one of the desktop's;
    otherwise why not, naming the refused origin and the accepted ones."""
    accepted = server.accepted_desktop_origins
    if origin is not None:
        try:
            if normalize_origin(origin.strip()) in accepted:
                return None
        except ValueError:
            pass
    own = ", ".join(sorted(accepted)) or "none is configured"
    what = _WHAT[door]
    if origin is None:
        return (
            f"The request has no Origin header. Only the desktop's own pages ({own}) may "
            f"{what}; browsers send Origin themselves, other clients must send it (or use "
            "the admin token)."
        )
    return (
        f"The origin '{origin}' may not {what}: only the desktop's own origin ({own}) may. "
        "If the desktop is reached at another address, set [wwe-host] public-url or "
        "desktop-origins."
    )


def check_origin(
    engine: Engine,
    door: str,
    origin: str | None,
    session: AgentSession | None = None,
    what: str = "",
) -> str | None:
    """None when the request may pass this door; otherwise the refusal message, already
    audited, counted and logged. ``session``: the one the request's cookie opens, if any
    (for the audit and the traffic inspector); ``what``: e.g. ``POST /api/v1/sim/calls``."""
    problem = origin_problem(engine.config.server, door, origin)
    if problem is not None:
        refuse(engine, door, ORIGIN, origin, f"{what}: {problem}" if what else problem, session)
    return problem


def refuse(
    engine: Engine,
    door: str,
    reason: str,
    origin: str | None,
    detail: str,
    session: AgentSession | None,
) -> None:
    """Audit, count and log one refusal at ``door``."""
    shown = origin if origin is not None else "(no Origin header)"
    engine.refused_door(door, shown, reason, detail, session)
    _log_gate.log(door, reason, shown, session.username if session else "", detail)


def close_reason(text: str) -> str:
    """``text`` cut to what a WebSocket close frame can carry."""
    data = text.encode()
    if len(data) <= CLOSE_REASON_BYTES:
        return text
    return data[: CLOSE_REASON_BYTES - 3].decode(errors="ignore") + "..."


def origin_close_reason(origin: str | None) -> str:
    if origin is None:
        return "refused: no Origin header"
    return close_reason(f"refused: origin '{origin}' is not the desktop's")


class LogGate:
    """Log a refusal the first time, then at most once per ``every`` seconds for the same
    door, reason and origin, saying how many were not logged in between."""

    def __init__(
        self, every: float = LOG_EVERY_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.every = every
        self.clock = clock
        self._seen: dict[tuple[str, str, str], tuple[float, int]] = {}

    def log(self, door: str, reason: str, origin: str, username: str, detail: str) -> bool:
        key = (door, reason, origin)
        now = self.clock()
        last = self._seen.get(key)
        if last is not None and now - last[0] < self.every:
            self._seen[key] = (last[0], last[1] + 1)
            return False
        if len(self._seen) > 10_000:  # many origins: start again rather than grow
            self._seen.clear()
        self._seen[key] = (now, 0)
        again = f" ({last[1]} more since the last line)" if last is not None and last[1] else ""
        agent = f" with the cookie of {username}" if username else ""
        log.warning("refused %s (%s) from %s%s%s: %s", door, reason, origin, agent, again, detail)
        return True


_log_gate = LogGate()
