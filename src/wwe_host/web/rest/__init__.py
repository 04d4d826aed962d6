"""The admin and simulation REST API under ``/api/v1`` (simulator.md), for scripts, tests
and the admin page. One job per module:

- ``operation.py``  what an endpoint is (``Operation``: method, path, body, query, answer)
- ``routes.py``     the route table ``OPERATIONS``, the dispatcher, ``routes()``
- ``auth.py``       the admin token or a ROLE_ADMIN session (same origin for changes)
- ``bodies.py``     request bodies and queries as msgspec Structs, and reading them
- ``answers.py``    the answers as msgspec Structs
- ``simulation.py`` the simulated outside world (``/sim/...``)
- ``admin.py``      the host's state (agents, interactions, outbox, audit, attached data)
- ``openapi.py``    the OpenAPI document, generated from the table and the Structs
- ``responses.py``  JSON answers and the error shape ``{"error": {"code", "message"}}``

Everything that changes the simulated world is one core operation (``Engine.simulation``,
core/simulation.py): committed before the answer leaves, and published to the agents'
desktops and frames. Like all of web/, this package reads the core only (no domain, api,
contact-center or simulator import: tests/unit/test_layers.py).
"""

from __future__ import annotations

from .auth import ADMIN_ROLE, authorize
from .bodies import (
    MAX_AUDIT_LIMIT,
    MAX_BODY_BYTES,
    MAX_DEPTH,
    Login,
    SimCall,
    SimChat,
    SimChatMessage,
    SimEmail,
    UserDataPatch,
    parse_json,
    read_body,
    read_login,
)
from .operation import PREFIX, Operation
from .responses import RestError, error_response, json_response, status_of
from .routes import OPERATIONS, openapi, routes

__all__ = [
    "ADMIN_ROLE",
    "MAX_AUDIT_LIMIT",
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "OPERATIONS",
    "PREFIX",
    "Login",
    "Operation",
    "RestError",
    "SimCall",
    "SimChat",
    "SimChatMessage",
    "SimEmail",
    "UserDataPatch",
    "authorize",
    "error_response",
    "json_response",
    "openapi",
    "parse_json",
    "read_body",
    "read_login",
    "routes",
    "status_of",
]
