"""``GET /healthz``: 200 while the store accepts writes, 503 with the reason while it does not
(operations.md). Answered from memory (``StoreHealth``): no I/O, so it stays fast under load.
"""

from __future__ import annotations

import msgspec
from starlette.responses import Response

from ..engine import Engine
from .rest.answers import Health, Unhealthy

HEADERS = {"cache-control": "no-store"}


def health_response(engine: Engine) -> Response:
    """The documented shapes (rest/answers.py), so the OpenAPI document says what is sent."""
    sessions = len(engine.sessions())
    health = engine.store_health
    body: Health | Unhealthy
    if health.ok:
        body, status = Health("ok", sessions), 200
    else:
        body, status = Unhealthy("unavailable", health.reason, health.since, sessions), 503
    return Response(
        msgspec.json.encode(body), status, headers=HEADERS, media_type="application/json"
    )
