"""Checks before decoding: the nesting scanner, sizes, the referenceId's type, sniffing."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wwe_host.errors import ApiError, ErrorCode
from wwe_host.message_limits import (
    MAX_DEPTH,
    bad_reference,
    check_text,
    desktop_message_limit,
    nesting_depth,
    sniff,
    too_deep,
    utf8_size,
    websocket_max_size,
)


def nested(depth: int) -> str:
    """``depth`` levels: arrays and objects alternating, a string with brackets inside."""
    opening = "".join("[" if level % 2 else f'{{"k{level}": ' for level in range(depth))
    closing = "".join("]" if level % 2 else "}" for level in reversed(range(depth)))
    return opening + '"[{ not a bracket }]"' + closing


@pytest.mark.parametrize("depth", [0, 1, 2, 31, 32, 33, 40, 1000, 100_000])
def test_depth_of_nested_json(depth: int) -> None:
    found = nesting_depth(nested(depth))
    if depth > MAX_DEPTH:
        assert found == depth
    else:
        assert found <= MAX_DEPTH  # cheap answer: "no more than the limit"


def test_brackets_inside_strings_and_escapes_do_not_count() -> None:
    inner = ["[[[[", "\\", '\\"[[[[[', '"', "\\\\", "{{{{{{", "é[😀"]
    text = json.dumps({"a": inner * 20, "b": [[1, [2]]]})
    assert text.count("[") > MAX_DEPTH
    assert nesting_depth(text) == 4  # the object, "b", [1, [2]], [2]
    escaped_quote_then_deep = json.dumps(['\\"' * 40, json.loads(nested(40))])
    assert nesting_depth(escaped_quote_then_deep) == 41


def test_a_frame_message_inside_a_desktop_message_is_one_string() -> None:
    frame = json.dumps({"request": "x", "parameters": [json.loads(nested(200))]})
    desktop = json.dumps({"type": "frame.message", "frameId": "f-1", "message": frame})
    assert nesting_depth(desktop) == 1
    assert nesting_depth(frame) == 202


def test_invalid_json_never_reaches_a_deep_decode() -> None:
    """Unclosed brackets and unterminated strings: the scan still bounds the decoder."""
    assert nesting_depth("[" * 5000) == 5000
    assert nesting_depth('["' + "[" * 5000) <= MAX_DEPTH  # all inside one unterminated string
    # The decoder stops at the first stray ']': what follows is never descended into.
    assert nesting_depth("]" * 50 + "[" * 40) == 0


@settings(max_examples=200, derandomize=True, database=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ aé😀'),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(alphabet='[]{}"\\ k', max_size=4), inner, max_size=4)
        ),
        max_leaves=40,
    )
)
def test_the_scan_agrees_with_the_structure(value: Any) -> None:
    text = msgspec.json.encode(value).decode()
    expected = _depth(value)
    found = nesting_depth(text)
    if expected > MAX_DEPTH or found > MAX_DEPTH:
        assert found == expected
    else:
        assert found <= MAX_DEPTH


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def test_check_text_names_the_problem() -> None:
    check_text(json.dumps({"a": "x" * 1000}), 2048)
    with pytest.raises(ApiError) as big:
        check_text("[" + "1," * 1500 + "1]", 2048)
    assert big.value.code is ErrorCode.INVALID_PARAMETER
    assert big.value.message == (
        "The message is 3003 bytes; the limit is 2048 bytes (max-message-bytes)."
    )
    with pytest.raises(ApiError) as deep:
        check_text(nested(33), 2048)
    assert (
        deep.value.message
        == too_deep()
        == ("The message nests arrays and objects deeper than 32 levels (the limit).")
    )


def test_sizes_are_utf8_bytes() -> None:
    assert utf8_size("abc") == 3
    assert utf8_size("é✓😀") == 2 + 3 + 4
    assert utf8_size("\ud800") == 3  # a lone surrogate still has a size


def test_desktop_and_websocket_limits_leave_room_for_an_escaped_frame_message() -> None:
    assert desktop_message_limit(65536) == 2 * 65536 + 1024 * 1024
    assert websocket_max_size(65536) == 2 * desktop_message_limit(65536)
    frame = json.dumps({"p": '"' * 30000})
    assert len(frame) <= 65536
    desktop = json.dumps({"type": "frame.message", "frameId": "f-1", "message": frame})
    assert utf8_size(desktop) <= desktop_message_limit(65536)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("7", None),
        (7, None),
        (1.5, None),
        (None, None),
        (True, "'referenceId' must be a string or a number, not a boolean."),
        ({"a": 1}, "'referenceId' must be a string or a number, not an object."),
        ([1], "'referenceId' must be a string or a number, not an array."),
    ],
)
def test_bad_reference(value: object, problem: str | None) -> None:
    assert bad_reference(value) == problem


def test_sniff_reads_a_key_of_a_message_too_large_to_decode() -> None:
    text = '{"request": "voice.dial", "pad": "' + "x" * 100_000 + '", "referenceId" : "a\\"b"}'
    assert sniff(text, "request") == "voice.dial"
    assert sniff(text, "referenceId") == 'a"b'
    assert sniff('{"referenceId":42,"x":[', "referenceId") == 42
    assert sniff('{"referenceId":-1.5e3}', "referenceId") == -1500.0
    assert sniff('{"referenceId":{"a":1}}', "referenceId") is None
    assert sniff('{"referenceId":' + "9" * 5000 + "}", "referenceId") is None
    assert sniff("not json at all", "ref") is None
