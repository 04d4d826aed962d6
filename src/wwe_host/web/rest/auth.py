"""Who may use the REST API: ``Authorization: Bearer <admin-token>`` (compared in constant
time) or the session cookie of a logged-in ROLE_ADMIN user. A cookie-authenticated change
must come from the desktop's own origin (web/doors.py: a same-site third-party page must not
drive the simulator through an administrator's browser)."""

from __future__ import annotations

import hmac

from starlette.requests import Request

from ...engine import Engine
from .. import doors
from ..desktop_ws import SESSION_COOKIE
from .responses import RestError

ADMIN_ROLE = "ROLE_ADMIN"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authorize(engine: Engine, request: Request) -> None:
    """Bearer admin token, or a ROLE_ADMIN session cookie; raises 401 or 403."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, credentials = header.strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            raise RestError(
                401,
                "UNAUTHORIZED",
                "The Authorization header must be 'Bearer <admin-token>'.",
            )
        expected = engine.config.server.admin_token
        if expected is None:
            raise RestError(
                403,
                "FORBIDDEN",
                "This server has no admin token ([wwe-host] admin-token); log in as a "
                "ROLE_ADMIN user instead.",
            )
        if not hmac.compare_digest(credentials.encode(), expected.encode()):
            raise RestError(403, "FORBIDDEN", "The admin token is wrong.")
        return
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise RestError(
            401,
            "UNAUTHORIZED",
            "This API needs 'Authorization: Bearer <admin-token>' or the session of a "
            "logged-in ROLE_ADMIN user.",
        )
    session = engine.session_for_token(cookie)
    if session is None:
        raise RestError(
            401, "UNAUTHORIZED", "The session has ended; log in again or use the admin token."
        )
    agent = engine.config.agents.get(session.username)
    if agent is None or ADMIN_ROLE not in agent.roles:
        raise RestError(403, "FORBIDDEN", f"User '{session.username}' does not have {ADMIN_ROLE}.")
    if request.method not in _SAFE_METHODS:
        refused = doors.check_origin(
            engine,
            doors.REST,
            request.headers.get("origin"),
            session,
            f"{request.method} {request.url.path}",
        )
        if refused is not None:
            raise RestError(403, "FORBIDDEN", refused)
