"""``GET /healthz``: 200 while the store accepts writes, 503 with the reason while it does not
(operations.md). Answered from memory (``StoreHealth``): no I/O, so it stays fast under load.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

from ..engine import Engine

HEADERS = {"cache-control": "no-store"}


def health_response(engine: Engine) -> JSONResponse:
    sessions = len(engine.sessions())
    health = engine.store_health
    if health.ok:
        return JSONResponse({"status": "ok", "sessions": sessions}, headers=HEADERS)
    body = {
        "status": "unavailable",
        "reason": health.reason,
        "since": health.since,
        "sessions": sessions,
    }
    return JSONResponse(body, status_code=503, headers=HEADERS)
