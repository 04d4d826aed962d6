"""The failure codes every layer shares (protocol.md), and the one exception that carries them.

The domain raises ``ApiError`` with the code that the wire will show, so no layer has to
translate errors on the way out.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_ALLOWED = "NOT_ALLOWED"
    RATE_LIMITED = "RATE_LIMITED"
    UNKNOWN_REQUEST = "UNKNOWN_REQUEST"
    INVALID_PARAMETER = "INVALID_PARAMETER"
    NOT_FOUND = "NOT_FOUND"
    INVALID_STATE = "INVALID_STATE"
    USER_DATA_NOT_ALLOWED = "USER_DATA_NOT_ALLOWED"
    MARKDONE_BLOCKED = "MARKDONE_BLOCKED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


class ApiError(Exception):
    """A refusal that reaches the caller as a failure reply with ``code`` and ``message``."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
