"""Checks a message's size and nesting before it is decoded, and the refusals' texts.

A frame's message reaches the server twice wrapped: as JSON text inside a desktop message
(docs/desktop-protocol.md). Both are checked here BEFORE msgspec decodes them, so that no
message can make the decoder recurse (a 1000-deep array made it raise RecursionError) or
make the server build a huge structure. The relay (static/message-check.js) applies the
same limits, with the same texts, before it forwards a frame's message.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate

import msgspec

from .errors import ApiError, ErrorCode

# Arrays and objects nested deeper than this are refused; the top-level object is level 1.
# The API's own messages nest at most 5 levels (a request, its parameters, a toast's buttons).
MAX_DEPTH = 32

# A desktop message carries a frame's message as a JSON string: escaping at most doubles it.
# The rest is room for the agent's own operations (an e-mail body) and the envelope.
DESKTOP_EXTRA_BYTES = 1024 * 1024


def desktop_message_limit(max_message_bytes: int) -> int:
    """The largest desktop message (bytes) the server decodes: twice ``max-message-bytes``
    (a frame's message written as a JSON string) plus 1 MiB."""
    return 2 * max_message_bytes + DESKTOP_EXTRA_BYTES


def websocket_max_size(max_message_bytes: int) -> int:
    """The WebSocket's own limit (uvicorn ``ws_max_size``): twice the desktop message limit,
    so that a message over the limit is answered with an error rather than cut off."""
    return 2 * desktop_message_limit(max_message_bytes)


def utf8_size(text: str) -> int:
    """The size of ``text`` in UTF-8 bytes (what the limits count)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


_KEEP = b'[]{}"'
_DELETE = bytes(b for b in range(256) if b not in _KEEP)
_DELTAS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deep arrays and objects nest in the JSON ``text``, counted outside strings.

    Cheap: when the text has no more opening brackets than ``limit`` the answer is "at most
    that" (returned as the count); otherwise C-speed passes (escapes, then everything but
    brackets and quotes are dropped, strings cut out) leave a bracket sequence whose running
    sum is the depth. Invalid JSON gives some number; the decoder then refuses it.
    """
    opening = text.count("[") + text.count("{")
    if opening <= limit:
        return opening
    raw = text.encode("utf-8", "surrogatepass")
    if b"\\" in raw:
        # JSON escapes are read left to right in pairs: '\\' first, then '\"'.
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = raw.translate(None, _DELETE)
    if b'"' in brackets:
        brackets = b"".join(brackets.split(b'"')[::2])
    # A stray ']' first makes the running sum negative: the decoder stops there.
    return max(0, max(accumulate(array("b", brackets.translate(_DELTAS))), default=0))


def too_large(size: int, limit: int, what: str = "max-message-bytes") -> str:
    return f"The message is {size} bytes; the limit is {limit} bytes ({what})."


def too_deep(limit: int = MAX_DEPTH) -> str:
    return f"The message nests arrays and objects deeper than {limit} levels (the limit)."


def check_text(text: str, max_bytes: int, what: str = "max-message-bytes") -> None:
    """Raise ``ApiError(INVALID_PARAMETER)`` naming the problem if ``text`` is over the size
    limit or nests too deep; after this, decoding it is safe."""
    size = utf8_size(text)
    if size > max_bytes:
        raise ApiError(ErrorCode.INVALID_PARAMETER, too_large(size, max_bytes, what))
    if nesting_depth(text) > MAX_DEPTH:
        raise ApiError(ErrorCode.INVALID_PARAMETER, too_deep())


def bad_reference(value: object) -> str | None:
    """Why a ``referenceId`` cannot be echoed back, or None when it is a string or a number
    (or absent: ``None``)."""
    if value is None or value.__class__ is str:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    kind = (
        "a boolean"
        if isinstance(value, bool)
        else "an array"
        if isinstance(value, list)
        else "an object"
        if isinstance(value, dict)
        else f"a {type(value).__name__}"
    )
    return f"'referenceId' must be a string or a number, not {kind}."


_LITERAL = r'("(?:[^"\\]|\\.)*"|-?\d{1,20}(?:\.\d{1,20})?(?:[eE][+-]?\d{1,3})?)(?![\d.eE])'
_SNIFFERS: dict[str, re.Pattern[str]] = {}


def sniff(text: str, key: str) -> str | int | float | None:
    """The string or number after the first ``"key":`` in a message too large or too deep to
    decode, so that its refusal can still name the request and carry the referenceId."""
    pattern = _SNIFFERS.get(key)
    if pattern is None:
        pattern = _SNIFFERS[key] = re.compile(rf'"{re.escape(key)}"\s*:\s*{_LITERAL}')
    found = pattern.search(text)
    if found is None:
        return None
    try:
        value = _decode(found.group(1))
    except msgspec.DecodeError:
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return None


_decode = msgspec.json.Decoder().decode
