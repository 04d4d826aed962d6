"""The admin and simulation REST API under ``/api/v1`` (simulator.md), for scripts, tests
and the admin page.

Every endpoint is one ``Operation`` in ``OPERATIONS``: its method and path, its body
(``Body``: the fields, used both to validate and to write the OpenAPI schema), its answer and
its documentation. ``routes()`` turns the table into Starlette routes and ``openapi()`` into
the OpenAPI 3.1 document served at ``/api/v1/openapi.json``, so the two cannot drift apart.

Everything that changes the simulated world runs as an engine operation (``engine.run``):
committed before the answer leaves, and published to the agents' desktops and frames.

Authentication: ``Authorization: Bearer <admin-token>`` (compared in constant time) or the
session cookie of a logged-in ROLE_ADMIN user. A cookie-authenticated change must come from
the desktop's own origin (web/doors.py: a same-site third-party page must not drive the
simulator through an administrator's browser). Errors are ``{"error": {"code", "message"}}``,
never a trace.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import math
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..api.context import described
from ..contact_center.simulator import new_call_uuid
from ..domain import operations as ops
from ..domain.effects import Effects
from ..domain.model import AgentSession, Interaction, QueuedItem, is_email_address
from ..domain.states import aggregate
from ..domain.views import interaction_view
from ..engine import Engine
from ..errors import ApiError, ErrorCode
from ..store.base import AuditEntry
from . import doors
from .desktop_ws import SESSION_COOKIE
from .metrics import Metrics

log = logging.getLogger("wwe_host.web")

PREFIX = "/api/v1"
MAX_BODY_BYTES = 256 * 1024
MAX_KEY_LENGTH = 256
DEFAULT_AUDIT_LIMIT = 100
MAX_AUDIT_LIMIT = 10_000
ADMIN_ROLE = "ROLE_ADMIN"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# An API route takes every method, so that one it does not serve gets a 405 in the API's
# error shape (with an Allow header) rather than Starlette's plain-text one.
ROUTE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

_STATUS_OF: dict[ErrorCode, int] = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_STATE: 409,
    ErrorCode.INVALID_PARAMETER: 422,
    ErrorCode.UNAVAILABLE: 503,
}

_decode = msgspec.json.Decoder().decode


class RestError(Exception):
    """A refusal that becomes ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    headers = {"cache-control": "no-store"}
    if status == 401:
        headers["www-authenticate"] = 'Bearer realm="wwe-host"'
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def status_of(code: ErrorCode) -> int:
    """The HTTP status of an engine refusal: NOT_FOUND 404, INVALID_STATE 409,
    INVALID_PARAMETER 422, UNAVAILABLE 503, anything else 400."""
    return _STATUS_OF.get(code, 400)


def _invalid(message: str) -> RestError:
    return RestError(422, "INVALID_PARAMETER", message)


# --------------------------------------------------------------------------- bodies


def check_user_data(where: str | None, value: object, *, deletions: bool = False) -> dict[str, Any]:
    """Attached data: an object of string keys to strings, numbers or booleans (and, with
    ``deletions``, ``null`` for a key to delete). ``where`` names the field in messages
    (None: the whole body is the attached data, its keys are the fields)."""
    if not isinstance(value, dict):
        raise _invalid(f"'{where}' must be an object, got {described(value)}.")
    allowed = "a string, a number or a boolean"
    if deletions:
        allowed = "a string, a number, a boolean or null (to delete the key)"
    for key, item in value.items():
        name = f"{where}.{key}" if where else key
        if not key:
            raise _invalid(f"'{where}' has an empty key." if where else "A key is empty.")
        if len(key) > MAX_KEY_LENGTH:
            raise _invalid(f"'{name[:40]}...' is longer than {MAX_KEY_LENGTH} characters.")
        if item is None and deletions:
            continue
        if isinstance(item, float) and not math.isfinite(item):
            raise _invalid(f"'{name}' must be a finite number.")
        if not isinstance(item, str | int | float):
            raise _invalid(f"'{name}' must be {allowed}, got {described(item)}.")
    return dict(value)


@dataclass(frozen=True, slots=True)
class Field:
    """One member of a JSON body. Kinds: ``string`` (not blank), ``text`` (may be empty),
    ``email`` (an e-mail address), ``userData`` (attached data)."""

    name: str
    kind: str
    description: str
    required: bool = True
    max_length: int = 256

    def check(self, value: object) -> Any:
        if self.kind == "userData":
            return check_user_data(self.name, value)
        if not isinstance(value, str):
            raise _invalid(f"'{self.name}' must be a string, got {described(value)}.")
        if self.kind != "text" and not value.strip():
            raise _invalid(f"'{self.name}' must not be empty.")
        if len(value) > self.max_length:
            raise _invalid(f"'{self.name}' is longer than {self.max_length} characters.")
        if self.kind == "email" and not is_email_address(value):
            raise _invalid(f"'{self.name}' is not an e-mail address: '{value}'.")
        return value

    def schema(self) -> dict[str, Any]:
        if self.kind == "userData":
            return {"$ref": "#/components/schemas/UserData", "description": self.description}
        schema: dict[str, Any] = {
            "type": "string",
            "maxLength": self.max_length,
            "description": self.description,
        }
        if self.kind != "text":
            schema["minLength"] = 1
        if self.kind == "email":
            schema["format"] = "email"
        return schema


@dataclass(frozen=True, slots=True)
class Body:
    """A JSON object body: which members exist, which are required, of what kind."""

    name: str
    fields: tuple[Field, ...]

    def parse(self, data: dict[str, Any]) -> dict[str, Any]:
        known = {f.name for f in self.fields}
        unknown = [key for key in data if key not in known]
        if unknown:
            names = ", ".join(f"'{key}'" for key in unknown)
            expected = ", ".join(f.name for f in self.fields)
            raise _invalid(f"Unknown field(s) {names}; the body takes: {expected}.")
        values: dict[str, Any] = {}
        for item in self.fields:
            value = data.get(item.name)
            if value is None:
                if item.required:
                    raise _invalid(f"'{item.name}' is required.")
                continue
            values[item.name] = item.check(value)
        return values

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in self.fields if f.required],
            "properties": {f.name: f.schema() for f in self.fields},
        }


_TO = Field(
    "to",
    "string",
    "An agent's username or DN, or `queue:<name>`.",
    max_length=128,
)
_USER_DATA = Field("userData", "userData", "Attached data of the interaction.", required=False)

CALL_BODY = Body(
    "SimCall",
    (
        _TO,
        Field("from", "string", "The caller's number (ANI).", max_length=128),
        Field(
            "dnis",
            "string",
            "The number dialled (DNIS); default: the agent's DN.",
            required=False,
            max_length=128,
        ),
        _USER_DATA,
    ),
)
EMAIL_BODY = Body(
    "SimEmail",
    (
        _TO,
        Field("from", "email", "The customer's e-mail address.", max_length=320),
        Field("subject", "text", "The subject line.", max_length=1000),
        Field("body", "text", "The message text.", max_length=MAX_BODY_BYTES),
        _USER_DATA,
    ),
)
CHAT_BODY = Body(
    "SimChat",
    (
        _TO,
        Field("from", "string", "The customer's name.", max_length=128),
        Field("message", "string", "The customer's first message.", max_length=64 * 1024),
        _USER_DATA,
    ),
)
CHAT_MESSAGE_BODY = Body(
    "SimChatMessage",
    (Field("message", "string", "What the customer writes.", max_length=64 * 1024),),
)


async def read_json(request: Request) -> object:
    """The body as JSON: 413 over ``MAX_BODY_BYTES``, 400 when it is not JSON."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RestError(413, "TOO_LARGE", f"The body is larger than {MAX_BODY_BYTES} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RestError(413, "TOO_LARGE", f"The body is larger than {MAX_BODY_BYTES} bytes.")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise RestError(400, "BAD_REQUEST", "The request needs a JSON body.")
    try:
        return _decode(raw)
    except msgspec.DecodeError as exc:
        raise RestError(400, "BAD_REQUEST", f"The body is not valid JSON: {exc}.") from None


async def read_object(request: Request) -> dict[str, Any]:
    data = await read_json(request)
    if not isinstance(data, dict):
        raise RestError(
            400, "BAD_REQUEST", f"The body must be a JSON object, got {described(data)}."
        )
    return data


def _query(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    unknown = [key for key in request.query_params if key not in allowed]
    if unknown:
        names = ", ".join(f"'{key}'" for key in unknown)
        takes = ", ".join(allowed) or "none"
        raise _invalid(f"Unknown query parameter(s) {names}; this endpoint takes: {takes}.")
    return {key: request.query_params[key] for key in allowed if key in request.query_params}


# --------------------------------------------------------------------------- views


def interaction_body(session: AgentSession, interaction: Interaction) -> dict[str, Any]:
    """An interaction as the admin sees it: unfiltered attached data, its agent, and the
    chat id the simulation API addresses a chat by."""
    body = {**interaction_view(session, interaction), "agent": session.username}
    if interaction.chat_id is not None:
        body["chatId"] = interaction.chat_id
    return body


def audit_row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at,
        "agent": entry.agent,
        "frame": entry.frame,
        "origin": entry.origin,
        "request": entry.request,
        "outcome": entry.outcome,
        "detail": entry.detail,
        "durationMs": entry.duration_ms,
    }


# --------------------------------------------------------------------------- the table

Endpoint = Callable[["RestApi", Request], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str  # below PREFIX; Starlette and OpenAPI share the {name} syntax
    endpoint: Endpoint
    summary: str
    result: dict[str, Any]  # the schema of a success answer
    status: int = 200
    body: Body | dict[str, Any] | None = None  # a Body, or a hand-written schema
    errors: tuple[int, ...] = ()
    query: tuple[tuple[str, str, dict[str, Any]], ...] = ()  # (name, description, schema)
    auth: bool = True
    description: str = ""
    path_params: dict[str, str] = field(default_factory=dict)


class RestApi:
    """The endpoints, bound to one engine and its metrics."""

    def __init__(self, engine: Engine, metrics: Metrics | None = None) -> None:
        self.engine = engine
        self.metrics = metrics

    # --- plumbing ------------------------------------------------------------------------

    def authorize(self, request: Request) -> None:
        """Bearer admin token, or a ROLE_ADMIN session cookie; raises 401 or 403."""
        engine = self.engine
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
            raise RestError(
                403, "FORBIDDEN", f"User '{session.username}' does not have {ADMIN_ROLE}."
            )
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

    async def settled(self) -> None:
        """A read must not report what is not yet durable: wait for a commit in progress."""
        pending = self.engine.commits.pending()
        if pending is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(pending)

    def handler(self, operation: Operation) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            response = await self._answer(operation, request)
            if self.metrics is not None:
                self.metrics.admin_request(
                    PREFIX + operation.path, operation.method, response.status_code
                )
            return response

        return handle

    async def _answer(self, operation: Operation, request: Request) -> Response:
        try:
            if operation.auth:
                self.authorize(request)
            response = await operation.endpoint(self, request)
        except RestError as refused:
            return error_response(refused.status, refused.code, refused.message)
        except ApiError as refused:
            return error_response(status_of(refused.code), refused.code.value, refused.message)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return error_response(
                500, "INTERNAL", "The request failed on the server; the server log has the details."
            )
        response.headers.setdefault("cache-control", "no-store")
        return response

    async def dispatch(self, request: Request, by_method: Mapping[str, Operation]) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        operation = by_method.get(method)
        if operation is None:
            allowed = ", ".join(sorted(by_method))
            response = error_response(
                405,
                "METHOD_NOT_ALLOWED",
                f"{request.method} is not allowed on {request.url.path}; use {allowed}.",
            )
            response.headers["allow"] = allowed
            return response
        return await self.handler(operation)(request)

    # --- simulation ----------------------------------------------------------------------

    async def _push(self, target: str, item: QueuedItem) -> dict[str, Any]:
        """Deliver an inbound interaction (one engine operation); what became of it."""
        engine = self.engine

        def deliver(fx: Effects) -> dict[str, Any]:
            interaction = engine.deliver(fx, target, item)
            if interaction is None:
                return {"state": "QUEUED", "queue": item.queue}
            found = engine.find(lambda i: i is interaction)
            result: dict[str, Any] = {
                "state": interaction.state,
                "interactionUUID": interaction.uuid,
                "interactionId": interaction.interaction_id,
            }
            if found is not None:
                result["agent"] = found[0].username
            if item.queue:
                result["queue"] = item.queue
            return result

        return await engine.run(deliver)

    def _item(self, media: str, sender: str, user_data: dict[str, Any]) -> QueuedItem:
        return QueuedItem(
            item_id=uuid.uuid4().hex,
            queue="",
            media=media,
            sender=sender,
            enqueued_at=self.engine.now(),
            user_data=user_data,
        )

    async def sim_call(self, request: Request) -> Response:
        values = CALL_BODY.parse(await read_object(request))
        item = self._item("voice", values["from"], values.get("userData", {}))
        item.dnis = values.get("dnis")
        item.call_uuid = new_call_uuid()
        result = await self._push(values["to"], item)
        return JSONResponse({"callUuid": item.call_uuid, **result}, status_code=201)

    async def sim_email(self, request: Request) -> Response:
        values = EMAIL_BODY.parse(await read_object(request))
        item = self._item("email", values["from"], values.get("userData", {}))
        item.subject = values["subject"]
        item.body = values["body"]
        return JSONResponse(await self._push(values["to"], item), status_code=201)

    async def sim_chat(self, request: Request) -> Response:
        values = CHAT_BODY.parse(await read_object(request))
        item = self._item("chat", values["from"], values.get("userData", {}))
        item.message = values["message"]
        item.chat_id = uuid.uuid4().hex
        result = await self._push(values["to"], item)
        return JSONResponse({"chatId": item.chat_id, **result}, status_code=201)

    def _queued(self, predicate: Callable[[QueuedItem], bool], what: str) -> ApiError:
        """Not in any session: waiting in a queue (409) or unknown (404)."""
        for item in self.engine.queued():
            if predicate(item):
                return ApiError(
                    ErrorCode.INVALID_STATE,
                    f"{what} is waiting in queue '{item.queue}': no agent has it yet.",
                )
        return ApiError(ErrorCode.NOT_FOUND, f"Unknown {what[0].lower()}{what[1:]}.")

    async def _on_call(
        self,
        request: Request,
        action: Callable[[Effects, AgentSession, Interaction], None],
        outbound_only: bool,
    ) -> Response:
        engine = self.engine
        call_uuid = request.path_params["callUuid"]

        def run(fx: Effects) -> dict[str, Any]:
            def ours(i: Interaction) -> bool:
                return i.media == "voice" and i.call_uuid == call_uuid

            found = None
            if outbound_only:
                found = engine.find(lambda i: ours(i) and i.direction == "OUT")
                if found is None and engine.find(ours) is not None:
                    raise ApiError(
                        ErrorCode.INVALID_STATE,
                        f"Call '{call_uuid}' is inbound: the agent answers it, not the far end.",
                    )
            else:
                found = engine.find(lambda i: ours(i) and i.live) or engine.find(ours)
                if found is None:
                    # The caller hangs up while still waiting in a queue: abandoned.
                    gone = engine.abandon(fx, lambda q: q.call_uuid == call_uuid)
                    if gone is not None:
                        return {"callUuid": call_uuid, "state": "ABANDONED", "queue": gone.queue}
            if found is None:
                raise self._queued(lambda q: q.call_uuid == call_uuid, f"Call '{call_uuid}'")
            session, interaction = found
            action(fx, session, interaction)
            return interaction_body(session, interaction)

        return JSONResponse(await engine.run(run))

    async def sim_answer(self, request: Request) -> Response:
        return await self._on_call(request, self.engine.contact_center.far_end_answer, True)

    async def sim_hangup(self, request: Request) -> Response:
        return await self._on_call(request, self.engine.contact_center.far_end_release, False)

    async def _on_chat(
        self,
        request: Request,
        action: Callable[[Effects, AgentSession, Interaction], None],
        abandons: bool = False,
    ) -> Response:
        engine = self.engine
        chat_id = request.path_params["chatId"]

        def run(fx: Effects) -> dict[str, Any]:
            found = engine.find(lambda i: i.media == "chat" and i.chat_id == chat_id)
            if found is None and abandons:
                gone = engine.abandon(fx, lambda q: q.chat_id == chat_id)
                if gone is not None:
                    return {"chatId": chat_id, "state": "ABANDONED", "queue": gone.queue}
            if found is None:
                raise self._queued(lambda q: q.chat_id == chat_id, f"Chat '{chat_id}'")
            session, interaction = found
            action(fx, session, interaction)
            return interaction_body(session, interaction)

        return JSONResponse(await engine.run(run))

    async def sim_chat_message(self, request: Request) -> Response:
        text: str = CHAT_MESSAGE_BODY.parse(await read_object(request))["message"]
        chat_message = self.engine.contact_center.chat_message

        def write(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
            chat_message(fx, session, interaction, "customer", text)

        return await self._on_chat(request, write)

    async def sim_chat_end(self, request: Request) -> Response:
        return await self._on_chat(request, self.engine.contact_center.end_chat, abandons=True)

    # --- administration ------------------------------------------------------------------

    async def agents(self, request: Request) -> Response:
        _query(request, ())
        await self.settled()
        engine = self.engine
        rows = []
        for username, agent in engine.config.agents.items():
            session = engine.live_session(username)
            rows.append(
                {
                    "username": username,
                    "firstname": agent.firstname,
                    "lastname": agent.lastname,
                    "employeeId": agent.employee_id,
                    "number": agent.number,
                    "roles": list(agent.roles),
                    "media": list(agent.media),
                    "loggedIn": session is not None,
                    "state": aggregate(session.media.values()).wire() if session else None,
                    "mediaStates": (
                        {name: state.wire() for name, state in session.media.items()}
                        if session
                        else {}
                    ),
                    "interactions": len(session.interactions) if session else 0,
                }
            )
        return JSONResponse({"agents": rows})

    async def interactions(self, request: Request) -> Response:
        wanted = _query(request, ("agent",)).get("agent")
        engine = self.engine
        if wanted is not None and wanted not in engine.config.agents:
            raise ApiError(ErrorCode.NOT_FOUND, f"Unknown agent '{wanted}'.")
        await self.settled()
        rows = [
            interaction_body(session, interaction)
            for session in engine.sessions()
            if wanted is None or session.username == wanted
            for interaction in session.interactions.values()
        ]
        return JSONResponse({"interactions": rows})

    async def patch_user_data(self, request: Request) -> Response:
        engine = self.engine
        wanted = request.path_params["uuid"]
        values = check_user_data(None, await read_object(request), deletions=True)
        updates = {key: value for key, value in values.items() if value is not None}
        deletions = [key for key, value in values.items() if value is None]

        def change(fx: Effects) -> dict[str, Any]:
            found = engine.find(lambda i: i.uuid == wanted)
            if found is None:
                raise ApiError(ErrorCode.NOT_FOUND, f"Unknown interaction '{wanted}'.")
            session, interaction = found
            if updates:
                ops.set_user_data(fx, session, interaction, updates)
            for key in deletions:
                ops.delete_user_data(fx, session, interaction, key)
            return interaction_body(session, interaction)

        return JSONResponse(await engine.run(change))

    async def outbox(self, request: Request) -> Response:
        _query(request, ())
        return JSONResponse({"messages": await self.engine.store.outbox()})

    async def audit(self, request: Request) -> Response:
        query = _query(request, ("agent", "outcome", "limit"))
        limit = DEFAULT_AUDIT_LIMIT
        if "limit" in query:
            text = query["limit"]
            if not text.isdigit() or not 1 <= int(text) <= MAX_AUDIT_LIMIT:
                raise _invalid(f"'limit' must be a whole number from 1 to {MAX_AUDIT_LIMIT}.")
            limit = int(text)
        # The engine writes audit rows in batches; write what is pending so the answer is
        # complete. (A public Engine.flush_audit() is requested; this is the one private use.)
        await self.engine.flush_audit()
        entries = await self.engine.store.audit(
            agent=query.get("agent") or None, outcome=query.get("outcome") or None, limit=limit
        )
        return JSONResponse({"entries": [audit_row(e) for e in entries]})

    async def openapi_document(self, request: Request) -> Response:
        return JSONResponse(openapi())


# --------------------------------------------------------------------------- schemas


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(key: str, item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [key],
        "properties": {key: {"type": "array", "items": _ref(item)}},
    }


_STRING = {"type": "string"}
_DELIVERY = {
    "state": {
        "type": "string",
        "description": "The interaction's state (e.g. RINGING, TALKING with auto-answer, "
        "INVITED), or QUEUED when it waits in a queue for a ready agent.",
    },
    "interactionUUID": {"type": "string", "description": "When an agent has it."},
    "interactionId": {"type": "string", "description": "The id in the agent's session."},
    "agent": {"type": "string", "description": "The agent who has it."},
    "queue": {"type": "string", "description": "The queue, when sent to one."},
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": _STRING, "message": _STRING},
            }
        },
    },
    "UserData": {
        "type": "object",
        "additionalProperties": {"type": ["string", "number", "boolean"]},
    },
    "UserDataPatch": {
        "type": "object",
        "description": "Keys to set; a key whose value is null is deleted.",
        "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
    },
    "CallResult": {
        "type": "object",
        "required": ["callUuid", "state"],
        "properties": {"callUuid": _STRING, **_DELIVERY},
    },
    "DeliveryResult": {"type": "object", "required": ["state"], "properties": _DELIVERY},
    "ChatResult": {
        "type": "object",
        "required": ["chatId", "state"],
        "properties": {"chatId": _STRING, **_DELIVERY},
    },
    "State": {
        "type": "object",
        "required": ["type", "displayName", "operationName"],
        "properties": {
            "type": _STRING,
            "displayName": _STRING,
            "operationName": _STRING,
            "reason": _STRING,
            "reasonCode": _STRING,
        },
    },
    "Agent": {
        "type": "object",
        "required": [
            "username",
            "firstname",
            "lastname",
            "employeeId",
            "number",
            "roles",
            "media",
            "loggedIn",
            "state",
            "mediaStates",
            "interactions",
        ],
        "properties": {
            "username": _STRING,
            "firstname": _STRING,
            "lastname": _STRING,
            "employeeId": _STRING,
            "number": {"type": "string", "description": "The DN of the agent's place."},
            "roles": {"type": "array", "items": _STRING},
            "media": {"type": "array", "items": _STRING},
            "loggedIn": {"type": "boolean"},
            "state": {
                "oneOf": [_ref("State"), {"type": "null"}],
                "description": "The aggregate state; null when not logged in.",
            },
            "mediaStates": {"type": "object", "additionalProperties": _ref("State")},
            "interactions": {"type": "integer", "description": "Interactions in the session."},
        },
    },
    "Interaction": {
        "type": "object",
        "description": "The Service Client API's Interaction (unfiltered attached data), plus "
        "the agent who has it. Voice adds callUuid, direction, callType, ani, dnis, "
        "recordingState; e-mail adds from, to, subject; chat adds messages (a count).",
        "required": ["interactionId", "interactionUUID", "caseId", "media", "state", "agent"],
        "properties": {
            "interactionId": _STRING,
            "interactionUUID": _STRING,
            "parentInteractionId": {"type": ["string", "null"]},
            "caseId": _STRING,
            "media": _STRING,
            "state": _STRING,
            "previousState": _STRING,
            "userData": _ref("UserData"),
            "parties": {
                "type": "array",
                "items": {"type": "object", "properties": {"name": _STRING}},
            },
            "agent": _STRING,
        },
        "additionalProperties": True,
    },
    "OutboxMessage": {
        "type": "object",
        "properties": {
            "interactionUUID": _STRING,
            "from": _STRING,
            "to": _STRING,
            "subject": _STRING,
            "body": _STRING,
            "userData": _ref("UserData"),
            "at": {"type": "number", "description": "Unix time, seconds."},
            "agent": _STRING,
        },
    },
    "AuditEntry": {
        "type": "object",
        "required": [
            "at",
            "agent",
            "frame",
            "origin",
            "request",
            "outcome",
            "detail",
            "durationMs",
        ],
        "properties": {
            "at": {"type": "number", "description": "Unix time, seconds."},
            "agent": _STRING,
            "frame": _STRING,
            "origin": _STRING,
            "request": _STRING,
            "outcome": {
                "type": "string",
                "description": "allowed, failed, refused:<origin|filter|rate-limit|user-data>, "
                "quarantined",
            },
            "detail": _STRING,
            "durationMs": {"type": "number"},
        },
    },
    "AgentList": _list_of("agents", "Agent"),
    "InteractionList": _list_of("interactions", "Interaction"),
    "OutboxList": _list_of("messages", "OutboxMessage"),
    "AuditList": _list_of("entries", "AuditEntry"),
}

_ERRORS = {
    400: "The body is not JSON, or not a JSON object.",
    401: "No credentials (or a malformed Authorization header, or an ended session).",
    403: "A wrong admin token, a session without ROLE_ADMIN, or a cookie-authenticated change "
    "from another origin.",
    404: "Unknown agent, queue, call, chat or interaction.",
    405: "Another method than the ones this path takes.",
    409: "The agent is not logged in, lacks the media, or the interaction is in the wrong state "
    "(or still waiting in a queue).",
    413: "The body is larger than 256 KiB.",
    422: "A field is missing, of the wrong type, unknown, or invalid (the message names it).",
}
_AUTH_ERRORS = (401, 403)
_CALL_PATH = {"callUuid": "The call's UUID, as returned by POST /sim/calls or shown in the call."}
_CHAT_PATH = {"chatId": "The chat's id, as returned by POST /sim/chats."}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "POST",
        "/sim/calls",
        RestApi.sim_call,
        "An inbound call to an agent (username or DN) or a queue",
        _ref("CallResult"),
        status=201,
        body=CALL_BODY,
        errors=(400, 404, 409, 413, 422),
    ),
    Operation(
        "POST",
        "/sim/calls/{callUuid}/answer",
        RestApi.sim_answer,
        "The far end answers an outbound call now",
        _ref("Interaction"),
        errors=(404, 409),
        path_params=_CALL_PATH,
    ),
    Operation(
        "POST",
        "/sim/calls/{callUuid}/hangup",
        RestApi.sim_hangup,
        "The far end releases the call",
        _ref("Interaction"),
        errors=(404, 409),
        path_params=_CALL_PATH,
        description="For an internal call between two agents, one of the two hangs up.",
    ),
    Operation(
        "POST",
        "/sim/emails",
        RestApi.sim_email,
        "An inbound e-mail to an agent or a queue",
        _ref("DeliveryResult"),
        status=201,
        body=EMAIL_BODY,
        errors=(400, 404, 409, 413, 422),
    ),
    Operation(
        "POST",
        "/sim/chats",
        RestApi.sim_chat,
        "An inbound chat to an agent or a queue",
        _ref("ChatResult"),
        status=201,
        body=CHAT_BODY,
        errors=(400, 404, 409, 413, 422),
    ),
    Operation(
        "POST",
        "/sim/chats/{chatId}/messages",
        RestApi.sim_chat_message,
        "The customer writes in the chat",
        _ref("Interaction"),
        body=CHAT_MESSAGE_BODY,
        errors=(400, 404, 409, 413, 422),
        path_params=_CHAT_PATH,
    ),
    Operation(
        "POST",
        "/sim/chats/{chatId}/end",
        RestApi.sim_chat_end,
        "The customer leaves the chat",
        _ref("Interaction"),
        errors=(404, 409),
        path_params=_CHAT_PATH,
    ),
    Operation(
        "GET",
        "/agents",
        RestApi.agents,
        "Every configured agent with login state, agent state per media, interactions",
        _ref("AgentList"),
        errors=(422,),
    ),
    Operation(
        "GET",
        "/interactions",
        RestApi.interactions,
        "The interactions in agent sessions, with their attached data",
        _ref("InteractionList"),
        errors=(404, 422),
        query=(("agent", "Only this agent's interactions.", _STRING),),
    ),
    Operation(
        "PATCH",
        "/interactions/{uuid}/user-data",
        RestApi.patch_user_data,
        "Change attached data, as the contact center would (no write list applies)",
        _ref("Interaction"),
        body=_ref("UserDataPatch"),
        errors=(400, 404, 409, 413, 422),
        path_params={"uuid": "The interaction's interactionUUID."},
        description="Sets the keys given with a value and deletes the keys given with null; "
        "the agent's frames receive ATTACHED_DATA_CHANGED. Setting data on an ended call (IDLE) "
        "is refused with 409.",
    ),
    Operation(
        "GET",
        "/outbox",
        RestApi.outbox,
        "Outbound e-mails kept because no SMTP server is configured",
        _ref("OutboxList"),
        errors=(422,),
    ),
    Operation(
        "GET",
        "/audit",
        RestApi.audit,
        "The audit log: every third-party request with frame, origin and outcome",
        _ref("AuditList"),
        errors=(422,),
        query=(
            ("agent", "Only this agent's requests.", _STRING),
            (
                "outcome",
                "Only this outcome; `refused` matches every `refused:<why>`.",
                _STRING,
            ),
            (
                "limit",
                f"The newest N rows (default {DEFAULT_AUDIT_LIMIT}), oldest first.",
                {"type": "integer", "minimum": 1, "maximum": MAX_AUDIT_LIMIT},
            ),
        ),
    ),
    Operation(
        "GET",
        "/openapi.json",
        RestApi.openapi_document,
        "This document",
        {"type": "object"},
        auth=False,
    ),
)

_DOOR_REFUSED = (
    "The request's Origin is not the desktop's own (public-url's origin or one of "
    "desktop-origins), or it has none: nothing was done."
)
# Routes of the same site that this API does not serve but documents, so the document
# covers every /api/v1 path and the operational endpoints.
_OTHER_PATHS: dict[str, Any] = {
    f"{PREFIX}/login": {
        "post": {
            "summary": "Log an agent in (the desktop's login); sets the session cookie",
            "operationId": "login",
            "tags": ["session"],
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["username", "password"],
                            "properties": {"username": _STRING, "password": _STRING},
                        }
                    }
                },
            },
            "responses": {
                "200": {"description": "Logged in; the `wwe_session` cookie is set."},
                "400": {"$ref": "#/components/responses/400"},
                "401": {"description": "Unknown username or wrong password."},
                "403": {"description": _DOOR_REFUSED},
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
                "200": {"description": "Logged out; the cookie is cleared."},
                "403": {"description": _DOOR_REFUSED},
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
                "200": {"description": "`{status: ok, sessions: N}`: the store writes."},
                "503": {
                    "description": "`{status: unavailable, reason, since, sessions}`: the "
                    "store cannot write; `reason` says why."
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
                    "description": "Requests by name and outcome, latency histogram, sessions, "
                    "frames, queued interactions, events by topic, admin API answers.",
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


def _describe(operation: Operation) -> dict[str, Any]:
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
    parameters = [
        {"name": name, "in": "path", "required": True, "description": text, "schema": _STRING}
        for name, text in operation.path_params.items()
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "description": text, "schema": schema}
        for name, text, schema in operation.query
    ]
    if parameters:
        doc["parameters"] = parameters
    if operation.body is not None:
        schema = operation.body if isinstance(operation.body, dict) else _ref(operation.body.name)
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    responses: dict[str, Any] = {
        str(operation.status): {
            "description": "Created" if operation.status == 201 else "OK",
            "content": {"application/json": {"schema": operation.result}},
        }
    }
    statuses = sorted({*operation.errors, *(_AUTH_ERRORS if operation.auth else ())})
    for status in statuses:
        responses[str(status)] = {"$ref": f"#/components/responses/{status}"}
    doc["responses"] = responses
    return doc


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this API (built from ``OPERATIONS``)."""
    paths: dict[str, Any] = {}
    for operation in OPERATIONS:
        paths.setdefault(PREFIX + operation.path, {})[operation.method.lower()] = _describe(
            operation
        )
    paths.update(_OTHER_PATHS)
    schemas = dict(SCHEMAS)
    for body in (CALL_BODY, EMAIL_BODY, CHAT_BODY, CHAT_MESSAGE_BODY):
        schemas[body.name] = body.schema()
    error_content = {"application/json": {"schema": _ref("Error")}}
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
        "tags": [
            {"name": "simulation", "description": "The simulated outside world."},
            {"name": "administration", "description": "The host's state."},
            {"name": "session", "description": "The desktop's login (not this API's auth)."},
            {"name": "operations", "description": "Health and metrics, no authentication."},
            {"name": "documentation", "description": "This document, no authentication."},
        ],
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
            "schemas": schemas,
            "responses": {
                str(status): {"description": text, "content": error_content}
                for status, text in _ERRORS.items()
            },
        },
    }


def routes(engine: Engine, metrics: Metrics | None = None) -> list[Route]:
    """One Starlette route per path of ``OPERATIONS``; a method the path does not take is
    answered 405 in the API's error shape."""
    api = RestApi(engine, metrics)
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in OPERATIONS:
        by_path.setdefault(operation.path, {})[operation.method] = operation

    def endpoint(by_method: dict[str, Operation]) -> Callable[[Request], Awaitable[Response]]:
        async def dispatch(request: Request) -> Response:
            return await api.dispatch(request, by_method)

        return dispatch

    return [
        Route(PREFIX + path, endpoint(by_method), methods=ROUTE_METHODS)
        for path, by_method in by_path.items()
    ]
