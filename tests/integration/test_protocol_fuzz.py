"""Fuzzing the two protocols through a real ``wwe-host serve`` over real WebSockets.

Hypothesis throws random shapes, sizes, nesting depths and types at

- the frame protocol: messages as the relay forwards them (``frame.message`` with the
  frame's message as JSON text), one at a time and in bursts over the in-flight bound;
- the desktop protocol: raw WebSocket text and binary frames.

Each example asserts: the desktop connection stays open (a marker is still answered),
every request with a valid referenceId (string or number) or ``ref`` is answered or refused
with a reason, and nothing is an internal error. After each property: ``/healthz`` answers
200 and the server log holds no traceback. Bounded and derandomized: seconds, and the same
examples on every run.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection

from wwe_host import catalog
from wwe_host.api.desktop import ACTIONS
from wwe_host.message_limits import MAX_DEPTH
from wwe_host.testing import ServerProcess
from wwe_host.web.desktop_ws import BINARY_FRAME

APP = "http://127.0.0.1:1"  # the frame's origin as the desktop reports it
IN_FLIGHT = 8
MAX_BYTES = 65536
CONFIG = f"""
[wwe-host]
insecure-plain-password = true
admin-token = fuzz-token
max-requests-in-flight = {IN_FLIGHT}

[interaction-workspace]
service-client-api.accepted-web-content-origins = {APP} (*)
service-client-api.workspace-web-content.dial-only = false
workspace.web-content = App

[App]
url = {APP}/app.html

[agent:fuzz]
firstname = Fuzz
lastname = Tester
employeeId = 1
password = pw
number = 5001
"""

FUZZ = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ANSWER_SECONDS = 15.0


class Desktop:
    """A desktop over a real WebSocket: sends, and reads what comes back into ``inbox``."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.inbox: list[dict[str, Any]] = []
        self.counter = itertools.count()
        self.send({"type": "hello", "frames": []})
        ref = self.unique()
        self.send({"type": "frame.open", "ref": ref, "section": "App", "origin": APP})
        opened = self.until(lambda m: m.get("type") == "frame.opened" and m.get("ref") == ref)
        self.frame_id = str(opened["frameId"])

    def unique(self) -> str:
        return f"u{next(self.counter)}"

    def send(self, message: Any) -> None:
        self.ws.send(message if isinstance(message, str | bytes) else json.dumps(message))

    def frame_message(self, message: Any, origin: str = APP) -> None:
        text = message if isinstance(message, str) else msgspec.json.encode(message).decode()
        self.send(
            {"type": "frame.message", "frameId": self.frame_id, "origin": origin, "message": text}
        )

    def until(self, found: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first message (already read or still to come) that ``found`` accepts; fails
        when the connection closes or nothing comes in time."""
        for message in self.inbox:
            if found(message):
                self.inbox.remove(message)
                return message
        deadline = time.monotonic() + ANSWER_SECONDS
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no answer in time")
            try:
                text = self.ws.recv(timeout=left)
            except TimeoutError:
                continue
            except ConnectionClosed as closed:
                raise AssertionError(f"the desktop connection closed: {closed}") from None
            message = json.loads(text)
            if found(message):
                return message
            if message.get("type") in ("traffic", "snapshot", "notice", "pong"):
                continue
            if message.get("type") == "frame.message" and "event" in message["message"]:
                continue  # events of the topics the fuzz subscribed to
            self.inbox.append(message)

    def frame_reply(self, reference: Any) -> dict[str, Any]:
        reply = self.until(
            lambda m: (
                m.get("type") == "frame.message"
                and m["message"].get("referenceId") == reference
                and type(m["message"].get("referenceId")) is type(reference)
            )
        )
        assert reply["origin"] == APP
        return dict(reply["message"])

    def alive(self) -> list[dict[str, Any]]:
        """A marker the reader answers at once and in order (an unknown type with a unique
        ref): its answer proves the socket open and read. Returns the messages the reader
        sent before it (in order)."""
        marker = self.unique()
        self.send({"type": "alive?", "ref": marker})
        before: list[dict[str, Any]] = []

        def answered(message: dict[str, Any]) -> bool:
            if message.get("type") == "error" and message.get("ref") == marker:
                return True
            before.append(message)
            return False

        self.until(answered)
        self.inbox = [m for m in self.inbox if all(m is not b for b in before)]
        return before


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(CONFIG, tmp_path_factory.mktemp("fuzz"))
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def desktop(server: ServerProcess) -> Iterator[Desktop]:
    with server.desktop_socket("fuzz", "pw") as ws:
        yield Desktop(ws)


def healthy(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/healthz")
    assert response.status_code == 200, response.text
    log = Path(server.log_path).read_text(errors="replace")
    assert "Traceback" not in log, server.log_tail()


# --- strategies -----------------------------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
KEYS = st.text(max_size=8).filter(lambda k: k not in ("referenceId", "ref"))
SHAPES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=20,
)


@dataclass(frozen=True)
class Payload:
    """A random value, wrapped ``depth`` levels deep and padded with ``size`` bytes; its
    JSON text is written out (no encoder recursion) and only the recipe is printed."""

    value: Any
    depth: int
    as_object: bool
    size: int

    def text(self) -> str:
        inner = msgspec.json.encode(self.value).decode()
        if self.as_object:
            text = '{"n":' * self.depth + inner + "}" * self.depth
        else:
            text = "[" * self.depth + inner + "]" * self.depth
        return f'[{text},"{"x" * self.size}"]' if self.size else text


PAYLOADS = st.builds(
    Payload,
    SHAPES,
    st.sampled_from([0, 0, 0, 5, MAX_DEPTH - 3, MAX_DEPTH, 60, 1000, 5000]),
    st.booleans(),
    st.sampled_from([0, 0, 0, 1000, MAX_BYTES - 200, MAX_BYTES + 10, 200_000]),
)


NAMES = st.sampled_from([*catalog.REQUESTS, *catalog.ALIASES])
REQUESTS = st.one_of(NAMES, NAMES, NAMES, NAMES, st.text(max_size=20), SCALARS)
VALID_REFERENCES = st.sampled_from(["string", "int", "float"])
INVALID_REFERENCES = st.just(True) | st.just(False) | st.lists(SCALARS, max_size=2) | st.just({})
PARAMETERS = "__parameters__"


@st.composite
def frame_messages(draw: st.DrawFn) -> tuple[dict[str, Any] | str, str | None, Payload | None]:
    """(a frame's message — an object, or raw text that is not one —, the kind of its
    referenceId, its parameters)."""
    if draw(st.integers(0, 9)) == 0:
        garbage = draw(st.text(max_size=50) | SHAPES.map(lambda v: msgspec.json.encode(v).decode()))
        return "{" + garbage if draw(st.booleans()) else garbage, None, None
    message: dict[str, Any] = {}
    if draw(st.booleans()):
        message["request"] = draw(REQUESTS)
    else:
        message["event"] = draw(st.sampled_from(["subscribe", "unsubscribe"]) | SCALARS)
        topics = st.sampled_from([*catalog.TOPICS, "messenger:x", "nope"])
        message["data"] = draw(st.one_of(topics, st.lists(topics, max_size=3), SHAPES))
    parameters = draw(PAYLOADS) if draw(st.integers(0, 4)) < 2 else None
    if parameters is not None:
        message["parameters"] = PARAMETERS
    for key in draw(st.lists(KEYS, max_size=3)):
        message.setdefault(key, draw(SCALARS))
    kind = draw(st.sampled_from(["valid", "valid", "valid", "invalid", "absent", "null"]))
    if kind == "valid":
        message["referenceId"] = draw(VALID_REFERENCES)
    elif kind == "invalid":
        message["referenceId"] = draw(INVALID_REFERENCES)
    elif kind == "null":
        message["referenceId"] = None
    message["userAgent"] = draw(st.sampled_from(["WWE Client", "x"]))
    return message, kind, parameters


def make_unique(desktop: Desktop, kind: str) -> Any:
    """A referenceId of the fuzzed type that no other example uses."""
    n = next(desktop.counter)
    if kind == "int":
        return n
    if kind == "float":
        return n + 0.5
    return f"ref-{n}"


def outcome(reply: dict[str, Any]) -> str:
    """What kind of refusal, for the statistics (``--hypothesis-show-statistics``)."""
    text = str(reply.get("errorMessage", ""))
    for marker in ("nests arrays", "bytes; the limit", "'referenceId'", "in flight"):
        if marker in text:
            return marker
    return ""


def answered_with_reason(reply: dict[str, Any]) -> None:
    if "errorMessage" in reply:
        assert isinstance(reply["errorMessage"], str) and reply["errorMessage"], reply
        assert reply["errorCode"] != "INTERNAL", reply
    else:
        assert "data" in reply or "subscriptionId" in reply, reply
    assert "event" not in reply


# --- the frame protocol -----------------------------------------------------------------


@FUZZ
@given(case=frame_messages(), reference_first=st.booleans())
def test_frame_messages_are_answered_and_never_cut_the_desktop(
    server: ServerProcess,
    desktop: Desktop,
    case: tuple[dict[str, Any] | str, str | None, Payload | None],
    reference_first: bool,
) -> None:
    message, kind, parameters = case
    if isinstance(message, str):
        # Not an object, or not JSON at all: the relay never sends it; a broken desktop might.
        desktop.frame_message(message)
        desktop.alive()
        return
    reference = None
    if kind == "valid":
        reference = message["referenceId"] = make_unique(desktop, message["referenceId"])
    if reference_first and "referenceId" in message:
        message = {"referenceId": message.pop("referenceId"), **message}
    text = msgspec.json.encode(message).decode()
    if parameters is not None:
        text = text.replace(f'"{PARAMETERS}"', parameters.text(), 1)
    desktop.frame_message(text)
    if reference is not None:
        reply = desktop.frame_reply(reference)
        answered_with_reason(reply)
        event(f"frame reply: {reply.get('errorCode', 'success')} {outcome(reply)}")
    desktop.alive()


@FUZZ
@given(
    burst=st.integers(1, 4 * IN_FLIGHT),
    request=st.sampled_from(["agent.getState", "system.triggerActivity", "no.such", 42]),
)
def test_bursts_over_the_in_flight_bound_are_answered(
    server: ServerProcess, desktop: Desktop, burst: int, request: Any
) -> None:
    references = [f"b{next(desktop.counter)}" for _ in range(burst)]
    for reference in references:
        desktop.frame_message({"request": request, "referenceId": reference})
    busy = 0
    for reference in references:
        reply = desktop.frame_reply(reference)
        answered_with_reason(reply)
        if reply.get("errorCode") == "UNAVAILABLE":
            busy += 1
            assert reply["errorMessage"].startswith(
                f"Too many requests in flight from this frame (at most {IN_FLIGHT})"
            )
    assert busy <= max(0, burst - 1)  # the first one always had a place
    desktop.alive()


# --- the desktop protocol -------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A text frame; ``pad`` bytes of padding are added to its object when it is sent (so
    that only the recipe is printed)."""

    text: str
    pad: int = 0

    def data(self) -> str:
        if not self.pad:
            return self.text
        return self.text[:-1] + f',"pad":"{"x" * self.pad}"}}'


TYPES = (
    st.sampled_from(
        ["action", "action", "frame.open", "frame.close", "frame.message", "ping", "nonsense"]
    )
    | SCALARS
)


@st.composite
def desktop_messages(draw: st.DrawFn) -> tuple[bytes | Raw, str | None, bool]:
    """(raw WebSocket data, the ref an answer must carry, whether an error must come)."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(st.binary(max_size=300)), None, True
    if choice == 1:
        return Raw(draw(st.text(max_size=200)).replace("{", "") + "{"), None, True  # not JSON
    if choice == 2:
        depth = draw(st.sampled_from([MAX_DEPTH + 1, 1000, 100_000]))
        return Raw('{"type":"action","x":' + "[" * depth + "]" * depth + "}"), None, True
    if choice == 3:
        value = draw(SHAPES.filter(lambda v: not isinstance(v, dict)))
        return Raw(json.dumps(value)), None, True
    message: dict[str, Any] = {"type": draw(TYPES)}
    op = draw(st.sampled_from(sorted(ACTIONS)) | st.text(max_size=10) | SCALARS)
    fields = {
        "op": op,
        "args": draw(st.dictionaries(KEYS | st.sampled_from(list(ARG_NAMES)), SCALARS) | SHAPES),
        "section": draw(st.sampled_from(["App", "Nope"]) | SCALARS),
        "origin": draw(st.sampled_from([APP, "http://other.example"]) | SCALARS),
        "frameId": draw(st.sampled_from(["f-999", "x", 5, None, ""])),
        "message": draw(st.text(max_size=30) | SHAPES),
        "interactionId": draw(SCALARS),
    }
    for key in draw(st.lists(st.sampled_from(sorted(fields)), max_size=5, unique=True)):
        message[key] = fields[key]
    pad = draw(st.sampled_from([0, 0, 10, 100_000, 1_300_000]))
    ref = f"d{draw(st.integers(0, 10**9))}-{time.monotonic_ns()}"
    message["ref"] = ref
    kind = message["type"]
    expects_ref = kind in ("action", "frame.open") or kind not in (
        "frame.close",
        "frame.message",
        "ping",
    )
    too_large = pad > 1_200_000
    return Raw(json.dumps(message), pad), (ref if expects_ref or too_large else None), too_large


ARG_NAMES = (
    "operationName",
    "media",
    "interactionId",
    "destination",
    "to",
    "key",
    "value",
    "caseId",
    "microphone",
    "toastId",
    "buttonIndex",
    "text",
)


@FUZZ
@given(case=desktop_messages())
def test_raw_desktop_frames_are_answered_and_never_close_the_socket(
    server: ServerProcess, desktop: Desktop, case: tuple[bytes | Raw, str | None, bool]
) -> None:
    raw, ref, must_error = case
    data = raw if isinstance(raw, bytes) else raw.data()
    desktop.send(data)
    if ref is not None:
        answer = desktop.until(
            lambda m: (
                m.get("ref") == ref and m.get("type") in ("action.result", "frame.opened", "error")
            )
        )
        event(f"desktop answer: {answer['type']}")
        if answer["type"] == "error":
            assert answer["message"] and answer["code"] != "INTERNAL", answer
        elif answer["type"] == "action.result" and not answer["ok"]:
            assert answer["error"]["message"] and answer["error"]["code"] != "INTERNAL"
    before_marker = desktop.alive()
    if must_error and ref is None:
        errors = [m for m in before_marker if m.get("type") == "error"]
        assert errors, f"no error for {data[:80]!r}"
        assert errors[-1]["code"] == "INVALID_PARAMETER"
        if isinstance(data, bytes):
            assert errors[-1]["message"] == BINARY_FRAME


def test_the_server_stayed_healthy(server: ServerProcess, desktop: Desktop) -> None:
    """Runs after the properties (file order): no 5xx, no traceback, the desktop still
    works."""
    desktop.frame_message({"request": "agent.getState", "referenceId": "last"})
    assert "data" in desktop.frame_reply("last")
    desktop.alive()
    healthy(server)
