"""The desktop's WebSocket endpoint (docs/desktop-protocol.md): the door, the place, then
each message to the connection (web/desktop_ws.py) until the page goes.

The upgrade is a cookie door (web/doors.py: the desktop's own origin only); a session has at
most ``max-desktop-connections`` desktops, which share one snapshot per change
(desktop_hub.py), counted on every process (``DesktopPlace``).
"""

from __future__ import annotations

import asyncio
import logging

from starlette.websockets import WebSocket

from ..engine import Engine
from . import doors
from .desktop_hub import DesktopHub, DesktopPlace
from .desktop_ws import (
    NOT_LOGGED_IN,
    SESSION_COOKIE,
    YIELD_EVERY,
    DesktopConnection,
    close_reason,
)

log = logging.getLogger("wwe_host.web")


async def desktop_socket(websocket: WebSocket) -> None:
    engine: Engine = websocket.app.state.engine
    hub: DesktopHub = websocket.app.state.desktops
    token = websocket.cookies.get(SESSION_COOKIE)
    origin = websocket.headers.get("origin")
    await websocket.accept()
    await engine.catch_up(token)
    # The door first: a page of another origin learns nothing, not even whether the
    # cookie it sent is valid (the audit still names whose cookie it was).
    cookie_session = engine.session_for_token(token, touch=False) if token else None
    if doors.check_origin(engine, doors.DESKTOP_WS, origin, cookie_session) is not None:
        await websocket.close(doors.REFUSED_ORIGIN, doors.origin_close_reason(origin))
        return
    session = engine.session_for_token(token) if token else None
    if token is None or session is None:
        log.info("desktop connection refused: not logged in")
        await websocket.close(NOT_LOGGED_IN, "not logged in")
        return
    session_id = session.session_id
    connection = DesktopConnection(engine, websocket, session_id)
    connection.desktops = hub.join(session_id, connection)
    place = DesktopPlace(engine, session_id)
    if connection.desktops is not None and not await place.take():
        hub.leave(session_id, connection)
        connection.desktops = None
    if connection.desktops is None:
        reason = f"too many desktop connections for this session (at most {hub.limit})"
        doors.refuse(
            engine,
            doors.DESKTOP_WS,
            doors.CONNECTIONS,
            origin,
            f"Refused a desktop connection: {reason} (max-desktop-connections).",
            session,
        )
        await websocket.close(doors.TOO_MANY_DESKTOPS, reason)
        return
    engine.attach(session_id, connection)
    connection.start()
    count = 0
    expired = False
    try:
        while True:
            event = await websocket.receive()
            await place.renew_when_due()
            if event["type"] == "websocket.disconnect":
                if not connection.closed_by_server:
                    code = int(event.get("code") or 1005)
                    level = logging.INFO if code in (1000, 1001, 1005) else logging.WARNING
                    log.log(
                        level,
                        "desktop connection of session %s closed: %s",
                        session_id,
                        close_reason(code, str(event.get("reason") or "")),
                    )
                break
            # The cookie's token expires (docs/configuration.md); each message is a use.
            if engine.session_for_token(token) is None:
                expired = True
                log.info("desktop connection of session %s closed: the token expired", session_id)
                break
            text = event.get("text")
            try:
                if text is None:
                    connection.receive_bytes()
                else:
                    connection.receive(text)
            except Exception:
                log.exception("desktop message of session %s failed", session_id)
                connection.internal_error()
            count += 1
            if count % YIELD_EVERY == 0:
                await asyncio.sleep(0)
    except Exception:
        log.exception("desktop connection of session %s failed; closing it", session_id)
    finally:
        hub.leave(session_id, connection)
        engine.detach(session_id, connection)
        await connection.stop()
        await place.give_back()
        if connection.tab is not None:
            try:
                await engine.tabs.leave(session_id, connection.tab)
            except Exception:
                log.exception("desktop tab of session %s: leaving failed", session_id)
    if expired:
        await connection.close_socket(NOT_LOGGED_IN, "the session token has expired")
