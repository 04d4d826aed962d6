"""The route table of the REST API and its dispatcher.

Every endpoint is one ``Operation`` in ``OPERATIONS``. ``routes()`` turns the table into one
Starlette route per path; the route takes every method, so that one the path does not serve
(TRACE included) gets a 405 in the API's error shape with an ``Allow`` header. For a served
method the dispatcher authorizes, reads the query and the body into the operation's Structs,
calls the endpoint, maps refusals to statuses and counts the answer in the metrics.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ...engine import Engine
from ...errors import ApiError
from ..desktop_ws import SESSION_COOKIE
from ..metrics import Metrics
from . import admin, campaigns, simulation
from .answers import (
    AbandonedCall,
    AbandonedChat,
    AgentList,
    AuditList,
    CallResult,
    ChatResult,
    DeliveryResult,
    Interaction,
    InteractionList,
    OutboxList,
    QueueList,
)
from .auth import authorize
from .bodies import (
    AuditQuery,
    InteractionsQuery,
    SimCall,
    SimChat,
    SimChatMessage,
    SimEmail,
    UserDataPatch,
    read_body,
    read_query,
)
from .openapi import document
from .operation import PREFIX, Operation
from .responses import RestError, error_response, json_response, status_of

log = logging.getLogger("wwe_host.web")


async def openapi_document(engine: Engine, request: Request, body: None, query: None) -> Response:
    return json_response(openapi())


_CALL_PATH = {"callUuid": "The call's UUID, as returned by POST /sim/calls or shown in the call."}
_CHAT_PATH = {"chatId": "The chat's id, as returned by POST /sim/chats."}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/sim/calls",
        simulation.sim_call,
        "An inbound call to an agent (username or DN) or a queue",
        CallResult,
        status=201,
        body=SimCall,
        errors=(400, 404, 409, 413, 422),
    ),
    Operation(
        "POST",
        "/sim/calls/{callUuid}/answer",
        simulation.sim_answer,
        "The far end answers an outbound call now",
        Interaction,
        errors=(404, 409),
        path_params=_CALL_PATH,
    ),
    Operation(
        "POST",
        "/sim/calls/{callUuid}/hangup",
        simulation.sim_hangup,
        "The far end releases the call",
        (Interaction, AbandonedCall),
        errors=(404, 409),
        path_params=_CALL_PATH,
        description="For an internal call between two agents, one of the two hangs up. A "
        "caller still waiting in a queue abandons: the call leaves the queue.",
    ),
    Operation(
        "POST",
        "/sim/emails",
        simulation.sim_email,
        "An inbound e-mail to an agent or a queue",
        DeliveryResult,
        status=201,
        body=SimEmail,
        errors=(400, 404, 409, 413, 422),
    ),
    Operation(
        "POST",
        "/sim/chats",
        simulation.sim_chat,
        "An inbound chat to an agent or a queue",
        ChatResult,
        status=201,
        body=SimChat,
        errors=(400, 404, 409, 413, 422),
    ),
    Operation(
        "POST",
        "/sim/chats/{chatId}/messages",
        simulation.sim_chat_message,
        "The customer writes in the chat",
        Interaction,
        body=SimChatMessage,
        errors=(400, 404, 409, 413, 422),
        path_params=_CHAT_PATH,
    ),
    Operation(
        "POST",
        "/sim/chats/{chatId}/end",
        simulation.sim_chat_end,
        "The customer leaves the chat",
        (Interaction, AbandonedChat),
        errors=(404, 409),
        path_params=_CHAT_PATH,
        description="A customer still waiting in a queue abandons: the chat leaves the queue.",
    ),
    Operation(
        "GET",
        "/agents",
        admin.agents,
        "Every configured agent with login state, agent state per media, interactions",
        AgentList,
        errors=(422,),
    ),
    Operation(
        "GET",
        "/queues",
        admin.queues,
        "Every queue with the interactions waiting in it for a ready agent",
        QueueList,
        errors=(422,),
        description="Queues in configuration order, each with its media, its members and "
        "its waiting interactions, oldest first. A queue removed from the configuration "
        "that still holds interactions from before a restart is listed with "
        "`configured: false`.",
    ),
    Operation(
        "GET",
        "/interactions",
        admin.interactions,
        "The interactions in agent sessions, with their attached data",
        InteractionList,
        query=InteractionsQuery,
        errors=(404, 422),
    ),
    Operation(
        "PATCH",
        "/interactions/{uuid}/user-data",
        admin.patch_user_data,
        "Change attached data, as the contact center would (no write list applies)",
        Interaction,
        body=UserDataPatch,
        errors=(400, 404, 409, 413, 422),
        path_params={"uuid": "The interaction's interactionUUID."},
        description="Sets the keys given with a value and deletes the keys given with null; "
        "the agent's frames receive ATTACHED_DATA_CHANGED. Setting data on an ended call (IDLE) "
        "is refused with 409.",
    ),
    Operation(
        "GET",
        "/outbox",
        admin.outbox,
        "Outbound e-mails kept because no SMTP server is configured",
        OutboxList,
        errors=(422,),
    ),
    Operation(
        "GET",
        "/audit",
        admin.audit,
        "The audit log: every third-party request with frame, origin and outcome",
        AuditList,
        query=AuditQuery,
        errors=(422,),
    ),
    *campaigns.OPERATIONS,
    Operation(
        "GET",
        "/openapi.json",
        openapi_document,
        "This document",
        dict[str, Any],
        errors=(422,),
        auth=False,
    ),
)


@functools.cache
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this API (built once from ``OPERATIONS``)."""
    return document(OPERATIONS)


async def _answer(engine: Engine, operation: Operation, request: Request) -> Response:
    try:
        if operation.auth:
            await engine.catch_up(request.cookies.get(SESSION_COOKIE))
            authorize(engine, request)
        query = read_query(request, operation.query)
        body = await read_body(request, operation.body) if operation.body is not None else None
        return await operation.endpoint(engine, request, body, query)
    except RestError as refused:
        return error_response(refused.status, refused.code, refused.message)
    except ApiError as refused:
        return error_response(status_of(refused.code), refused.code.value, refused.message)
    except Exception:
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(
            500, "INTERNAL", "The request failed on the server; the server log has the details."
        )


class _Path:
    """The ASGI endpoint of one path: any method reaches it (Starlette answers a method a
    route does not list with its own 405), and it picks the operation or refuses."""

    def __init__(
        self, engine: Engine, metrics: Metrics | None, by_method: Mapping[str, Operation]
    ) -> None:
        self.engine = engine
        self.metrics = metrics
        self.by_method = by_method
        methods = sorted(by_method)
        if "GET" in by_method:
            methods.append("HEAD")
        self.allow = ", ".join(methods)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.dispatch(request)
        await response(scope, receive, send)

    async def dispatch(self, request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        operation = self.by_method.get(method)
        if operation is None:
            return error_response(
                405,
                "METHOD_NOT_ALLOWED",
                f"{request.method} is not allowed on {request.url.path}; use {self.allow}.",
                headers={"allow": self.allow},
            )
        response = await _answer(self.engine, operation, request)
        if self.metrics is not None:
            self.metrics.admin_request(
                PREFIX + operation.path, operation.method, response.status_code
            )
        return response


def routes(engine: Engine, metrics: Metrics | None = None) -> list[Route]:
    """One Starlette route per path of ``OPERATIONS``, taking every method."""
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in OPERATIONS:
        by_path.setdefault(operation.path, {})[operation.method] = operation
    return [
        Route(PREFIX + path, _Path(engine, metrics, by_method), methods=None)
        for path, by_method in by_path.items()
    ]
