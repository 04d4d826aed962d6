"""One endpoint of the REST API as data: method, path, what it reads and answers, and its
documentation. The route table (``routes.py``) is a tuple of these; the dispatcher reads the
body and the query into the declared Structs before calling the endpoint, and the OpenAPI
document (``openapi.py``) is written from the same declarations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Engine

PREFIX = "/api/v1"

# endpoint(engine, request, body, query): body and query are instances of the operation's
# ``body`` and ``query`` types, already checked (None when it declares none).
Endpoint = Callable[[Engine, Request, Any, Any], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str  # below PREFIX; Starlette and OpenAPI share the {name} syntax
    endpoint: Endpoint
    summary: str
    result: Any  # the type of a success answer, or a tuple of types: one of them
    status: int = 200
    body: Any = None  # the type of the JSON body (a Struct or an annotated dict), if any
    query: type[Any] | None = None  # a Struct of the query parameters; None takes none
    errors: tuple[int, ...] = ()
    auth: bool = True
    description: str = ""
    path_params: dict[str, str] = field(default_factory=dict)
