"""The OpenAPI 3.1 document of the REST API, written from the route table and the Structs.

Schemas come from msgspec's JSON Schema of the very types the server decodes bodies and
queries into (``bodies.py``) and encodes answers from (``answers.py``), so a constraint the
server checks (a non-empty key, a length, a pattern, an unknown member refused) is in the
document, and the document promises nothing the server refuses. Paths, parameters, statuses
and security come from the ``Operation`` table; the site's own routes beside this API
(login, logout, health, metrics) are described by ``SITE_PATHS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from ..desktop_ws import SESSION_COOKIE
from .answers import Error, Health, LoggedOut, Unhealthy
from .bodies import MAX_BODY_BYTES, Login
from .operation import PREFIX, Operation

REF = "#/components/schemas/{name}"

ERRORS = {
    400: "The body is empty, not JSON, nested too deeply, or not a JSON object.",
    401: "No credentials (or a malformed Authorization header, or an ended session).",
    403: "A wrong admin token, a session without ROLE_ADMIN, or a cookie-authenticated change "
    "from another origin.",
    404: "Unknown agent, queue, call, chat or interaction.",
    405: "Another method than the ones this path takes (the Allow header lists them).",
    409: "The agent is not logged in, lacks the media, or the interaction is in the wrong state "
    "(or still waiting in a queue).",
    413: f"The body is larger than {MAX_BODY_BYTES // 1024} KiB.",
    422: "A field or query parameter is missing, of the wrong type, unknown, or invalid (the "
    "message names it).",
}
_AUTH_ERRORS = (401, 403)
_TAGS = [
    {"name": "simulation", "description": "The simulated outside world."},
    {"name": "administration", "description": "The host's state."},
    {"name": "session", "description": "The desktop's login (not this API's auth)."},
    {"name": "operations", "description": "Health and metrics, no authentication."},
    {"name": "documentation", "description": "This document, no authentication."},
]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


_DOOR_REFUSED = (
    "The request's Origin is not the desktop's own (public-url's origin or one of "
    "desktop-origins), or it has none: nothing was done."
)


def _site_paths(schema: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """Routes of the same site that this API does not serve but documents, so the document
    covers every /api/v1 path and the operational endpoints."""
    login = schema[Login]
    return {
        f"{PREFIX}/login": {
            "post": {
                "summary": "Log an agent in (the desktop's login); sets the session cookie",
                "operationId": "login",
                "tags": ["session"],
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {
                        **_json(login),
                        "application/x-www-form-urlencoded": {"schema": login},
                    },
                },
                "responses": {
                    "200": {"description": "Logged in (JSON); the `wwe_session` cookie is set."},
                    "303": {
                        "description": "The login page's form: to /desktop when logged in, "
                        "else back to the login page."
                    },
                    "400": {"$ref": "#/components/responses/400"},
                    "401": {"description": "Unknown username or wrong password."},
                    "403": {"description": _DOOR_REFUSED},
                    "413": {"description": "The body is larger than 16 KiB."},
                    "429": {
                        "description": "Too many login attempts for this user or from this "
                        "address (`TOO_MANY_ATTEMPTS`); `Retry-After` says when to try again."
                    },
                    "503": {"description": "The store cannot write (`UNAVAILABLE`)."},
                },
            }
        },
        f"{PREFIX}/logout": {
            "post": {
                "summary": "End the agent's session (the cookie's)",
                "operationId": "logout",
                "tags": ["session"],
                "security": [],
                "responses": {
                    "200": {
                        "description": "Logged out; the cookie is cleared.",
                        "content": _json(schema[LoggedOut]),
                    },
                    "403": {"description": _DOOR_REFUSED},
                    "503": {"description": "The store cannot write: the session goes on."},
                },
            }
        },
        "/healthz": {
            "get": {
                "summary": "Liveness",
                "operationId": "healthz",
                "tags": ["operations"],
                "security": [],
                "responses": {
                    "200": {
                        "description": "Up; the store writes.",
                        "content": _json(schema[Health]),
                    },
                    "503": {
                        "description": "Up, but the store cannot write; `reason` says why.",
                        "content": _json(schema[Unhealthy]),
                    },
                },
            }
        },
        "/metrics": {
            "get": {
                "summary": "Prometheus metrics (text format 0.0.4)",
                "operationId": "metrics",
                "tags": ["operations"],
                "security": [],
                "responses": {
                    "200": {
                        "description": "Requests by name and outcome, latency histogram, "
                        "sessions, frames, queued interactions, events by topic, admin API "
                        "answers.",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
    }


def _operation_id(operation: Operation) -> str:
    """``sim_chat_message`` → ``simChatMessage``."""
    first, *rest = operation.endpoint.__name__.split("_")
    return first + "".join(word.title() for word in rest)


def _results(operation: Operation) -> tuple[Any, ...]:
    """The types a success answer may be (msgspec has no schema for an untagged union of
    Structs, so the document writes ``anyOf`` itself)."""
    result = operation.result
    return result if isinstance(result, tuple) else (result,)


def _parameters(operation: Operation, query: dict[str, Any] | None) -> list[dict[str, Any]]:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": text,
            "schema": {"type": "string"},
        }
        for name, text in operation.path_params.items()
    ]
    if query is not None:
        required = set(query.get("required", ()))
        for name, schema in query["properties"].items():
            schema = dict(schema)
            parameter = {"name": name, "in": "query", "required": name in required}
            if "description" in schema:
                parameter["description"] = schema.pop("description")
            parameters.append({**parameter, "schema": schema})
    return parameters


def _describe(
    operation: Operation, schema: dict[Any, dict[str, Any]], query: dict[str, Any] | None
) -> dict[str, Any]:
    tag = "simulation" if operation.path.startswith("/sim/") else "administration"
    doc: dict[str, Any] = {
        "summary": operation.summary,
        "operationId": _operation_id(operation),
        "tags": [tag] if operation.auth else ["documentation"],
    }
    if operation.description:
        doc["description"] = operation.description
    if not operation.auth:
        doc["security"] = []
    parameters = _parameters(operation, query)
    if parameters:
        doc["parameters"] = parameters
    if operation.body is not None:
        doc["requestBody"] = {"required": True, "content": _json(schema[operation.body])}
    results = [schema[kind] for kind in _results(operation)]
    responses: dict[str, Any] = {
        str(operation.status): {
            "description": "Created" if operation.status == 201 else "OK",
            "content": _json(results[0] if len(results) == 1 else {"anyOf": results}),
        }
    }
    statuses = {*operation.errors, *(_AUTH_ERRORS if operation.auth else ())}
    if operation.query is not None:
        statuses.add(422)
    for status in sorted(statuses):
        responses[str(status)] = {"$ref": f"#/components/responses/{status}"}
    doc["responses"] = responses
    return doc


def document(operations: Sequence[Operation]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``operations`` and the site's other routes."""
    queries = [op.query for op in operations if op.query is not None]
    types: list[Any] = [Error, Login, LoggedOut, Health, Unhealthy, *queries]
    for op in operations:
        types.extend(_results(op))
        if op.body is not None:
            types.append(op.body)
    refs, components = msgspec.json.schema_components(types, ref_template=REF)
    for component in components.values():  # docstrings: one line each
        if "description" in component:
            component["description"] = " ".join(component["description"].split())
    schema = dict(zip(types, refs, strict=True))
    # Query Structs become parameters, not schemas of their own.
    query_schemas = {kind: components.pop(kind.__name__) for kind in set(queries)}
    paths: dict[str, Any] = {}
    for op in operations:
        query = query_schemas.get(op.query) if op.query is not None else None
        paths.setdefault(PREFIX + op.path, {})[op.method.lower()] = _describe(op, schema, query)
    paths.update(_site_paths(schema))
    error_content = _json(schema[Error])
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "wwe-host admin and simulation API",
            "version": "1",
            "description": "Drive the simulated contact center (calls, e-mails, chats) and "
            "read the host's state: agents, interactions, outbox, audit log. Errors are "
            '`{"error": {"code", "message"}}`.',
        },
        "servers": [{"url": "/"}],
        "security": [{"adminToken": []}, {"adminSession": []}],
        "tags": _TAGS,
        "paths": paths,
        "components": {
            "securitySchemes": {
                "adminToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "`[wwe-host] admin-token` of the configuration.",
                },
                "adminSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": SESSION_COOKIE,
                    "description": "The session of a logged-in user with ROLE_ADMIN; changes "
                    "must come from the server's own origin.",
                },
            },
            "schemas": components,
            "responses": {
                str(status): {"description": text, "content": error_content}
                for status, text in ERRORS.items()
            },
        },
    }
