"""How the REST API answers: JSON bodies encoded by msgspec, and refusals in the API's one
error shape ``{"error": {"code", "message"}}`` (never a trace), always ``no-store``."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
from starlette.responses import Response

from ...errors import ErrorCode

_encode = msgspec.json.Encoder().encode

_STATUS_OF: dict[ErrorCode, int] = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_STATE: 409,
    ErrorCode.INVALID_PARAMETER: 422,
    ErrorCode.UNAVAILABLE: 503,
}


class RestError(Exception):
    """A refusal that becomes ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def invalid(message: str) -> RestError:
    """422 ``INVALID_PARAMETER``: something inside a request is wrong (the message names it)."""
    return RestError(422, "INVALID_PARAMETER", message)


def json_response(value: object, status: int = 200) -> Response:
    """``value`` (Structs, dicts, lists, scalars) as a JSON answer, encoded by msgspec."""
    return Response(
        _encode(value),
        status_code=status,
        media_type="application/json",
        headers={"cache-control": "no-store"},
    )


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A refusal in the API's error shape; 401 carries the Bearer challenge."""
    response = json_response({"error": {"code": code, "message": message}}, status)
    if status == 401:
        response.headers["www-authenticate"] = 'Bearer realm="wwe-host"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def status_of(code: ErrorCode) -> int:
    """The HTTP status of an engine refusal: NOT_FOUND 404, INVALID_STATE 409,
    INVALID_PARAMETER 422, UNAVAILABLE 503, anything else 400."""
    return _STATUS_OF.get(code, 400)
