"""``GET /healthz``: 200 while the store accepts writes and the bus (several processes)
carries messages, 503 with the reason while one does not (operations.md). Answered from
memory (``StoreHealth``, the bus's last outcome): no I/O, so it stays fast under load.
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
    bus = engine.bus.problem()
    body: Health | Unhealthy
    if not health.ok:
        body, status = Unhealthy("unavailable", health.reason, health.since, sessions), 503
    elif bus is not None:
        body, status = Unhealthy("unavailable", bus[0], bus[1], sessions), 503
    else:
        body, status = Health("ok", sessions), 200
    return Response(
        msgspec.json.encode(body), status, headers=HEADERS, media_type="application/json"
    )
