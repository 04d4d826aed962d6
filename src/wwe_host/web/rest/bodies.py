"""What a REST request carries: JSON bodies and query strings as msgspec Structs, and the one
way to read them (also used by the login).

The constraints (required, not blank, lengths, patterns, ranges, unknown fields refused) are
declared on the Structs with ``msgspec.Meta``, so the OpenAPI document (``openapi.py``) says
exactly what the server checks. Reading is two steps, so the status says what went wrong:

1. the bytes (``parse_json``): 413 over ``MAX_BODY_BYTES``; 400 when empty, nested deeper
   than ``MAX_DEPTH`` (checked before decoding: a deep body costs neither a 500 nor a deep
   recursion), or not JSON;
2. the shape (``convert``): 400 when the body is not a JSON object at all, 422 for anything
   wrong inside one, with a message that names the field (``'userData.Tier' must be ...``),
   translated from msgspec's ``ValidationError``.
"""

from __future__ import annotations

import ast
import re
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qs

import msgspec
from msgspec import UNSET, Meta, UnsetType
from starlette.requests import Request

from ...core.rules import EMAIL_ADDRESS_PATTERN, MAX_KEY_LENGTH, WHITESPACE
from .responses import RestError, invalid

T = TypeVar("T")

MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 32  # the bodies need 2 levels; anything this deep is hostile or a mistake
DEFAULT_AUDIT_LIMIT = 100
MAX_AUDIT_LIMIT = 10_000
NOT_BLANK = f"[^{WHITESPACE}]"  # a string with something else than white space

_decode = msgspec.json.Decoder().decode


# --------------------------------------------------------------------------- the types


def _text(
    description: str, max_length: int, *, blank: bool = False, example: str | None = None
) -> Meta:
    """A string member: not blank (unless ``blank``), at most ``max_length`` characters."""
    examples = None if example is None else [example]
    if blank:
        return Meta(max_length=max_length, description=description, examples=examples)
    return Meta(
        min_length=1,
        max_length=max_length,
        pattern=NOT_BLANK,
        description=description,
        examples=examples,
    )


Key = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        description=f"A key: 1 to {MAX_KEY_LENGTH} characters.",
    ),
]
Value = str | int | float | bool
UserData = Annotated[
    dict[Key, Value],
    Meta(
        description="Attached data: keys to strings, numbers or booleans.",
        examples=[{"Customer": "Ada", "Tier": 3, "Vip": True}],
    ),
]
UserDataPatch = Annotated[
    dict[Key, Value | None],
    Meta(
        title="UserDataPatch",
        description="Keys to set to a string, number or boolean; a key whose value is null is "
        "deleted; keys not given are left as they are.",
    ),
]
Destination = Annotated[
    str, _text("An agent's username or DN, or `queue:<name>`.", 128, example="jdoe")
]
_USER_DATA = "Attached data of the interaction."


class SimCall(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """An inbound call."""

    to: Destination
    from_: Annotated[str, _text("The caller's number (ANI).", 128, example="+15550100")]
    dnis: (
        Annotated[str, _text("The number dialled (DNIS); default: the agent's DN.", 128)] | None
    ) = None
    user_data: Annotated[UserData, Meta(description=_USER_DATA)] | None = None


class SimEmail(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """An inbound e-mail."""

    to: Destination
    from_: Annotated[
        str,
        Meta(
            max_length=320,
            pattern=EMAIL_ADDRESS_PATTERN,
            description="The customer's e-mail address.",
            examples=["ada@example.com"],
        ),
    ]
    subject: Annotated[str, _text("The subject line (may be empty).", 1000, blank=True)]
    body: Annotated[str, _text("The message text (may be empty).", MAX_BODY_BYTES, blank=True)]
    user_data: Annotated[UserData, Meta(description=_USER_DATA)] | None = None


class SimChat(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """An inbound chat."""

    to: Destination
    from_: Annotated[str, _text("The customer's name.", 128, example="Ada")]
    message: Annotated[str, _text("The customer's first message.", max_length=64 * 1024)]
    user_data: Annotated[UserData, Meta(description=_USER_DATA)] | None = None


class SimChatMessage(msgspec.Struct, forbid_unknown_fields=True):
    """What the customer writes in a chat."""

    message: Annotated[str, _text("What the customer writes.", max_length=64 * 1024)]


class Login(msgspec.Struct):
    """The desktop's login (JSON, or a form); other members are ignored."""

    username: Annotated[str, Meta(min_length=1, description="The agent's username.")]
    password: Annotated[str, Meta(description="The agent's password.")]


class InteractionsQuery(msgspec.Struct, forbid_unknown_fields=True):
    agent: Annotated[str, Meta(description="Only this agent's interactions.")] | UnsetType = UNSET


class AuditQuery(msgspec.Struct, forbid_unknown_fields=True):
    agent: Annotated[str, Meta(description="Only this agent's requests.")] | UnsetType = UNSET
    outcome: (
        Annotated[
            str, Meta(description="Only this outcome; `refused` matches every `refused:<why>`.")
        ]
        | UnsetType
    ) = UNSET
    limit: Annotated[
        int,
        Meta(
            ge=1,
            le=MAX_AUDIT_LIMIT,
            description=f"The newest N rows (default {DEFAULT_AUDIT_LIMIT}), oldest first.",
        ),
    ] = DEFAULT_AUDIT_LIMIT


# --------------------------------------------------------------------------- reading


async def read_raw(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body's bytes; 413 ``TOO_LARGE`` over ``limit`` (declared or streamed)."""
    declared = request.headers.get("content-length")
    too_large = RestError(413, "TOO_LARGE", f"The body is larger than {limit} bytes.")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


# A JSON string (skipped whole, possessively: no backtracking) or one bracket.
_STRUCTURE = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects deeper than ``limit`` (brackets inside
    strings do not count). Cheap for ordinary bodies: only counted when there are more
    opening brackets than ``limit``."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for match in _STRUCTURE.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


def parse_json(raw: bytes) -> object:
    """JSON text → Python values; 400 ``BAD_REQUEST`` when empty, too deep or not JSON."""
    if not raw.strip():
        raise RestError(400, "BAD_REQUEST", "The request needs a JSON body.")
    if too_deep(raw):
        raise RestError(
            400,
            "BAD_REQUEST",
            f"The body nests arrays or objects more than {MAX_DEPTH} levels deep.",
        )
    try:
        return _decode(raw)
    except msgspec.DecodeError as exc:  # ValidationError too: a number out of range
        raise RestError(400, "BAD_REQUEST", f"The body is not valid JSON: {exc}.") from None


def convert(data: object, kind: type[T]) -> T:
    """Decoded JSON → ``kind``; 400 when the body is not a JSON object, 422 naming the field
    for anything wrong inside it."""
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as exc:
        raise _refusal(str(exc), data, kind) from None


async def read_body(request: Request, kind: type[T]) -> T:
    """The request's JSON body as ``kind`` (see the module's docstring for the statuses)."""
    return convert(parse_json(await read_raw(request)), kind)


def read_query(request: Request, kind: type[T] | None) -> T | None:
    """The query string as ``kind`` (strings converted to the member types); ``None`` when
    the endpoint takes no query parameters, which refuses any. Errors are 422."""
    params = request.query_params
    if kind is None:
        if params:
            names = ", ".join(f"'{key}'" for key in dict.fromkeys(params.keys()))
            raise invalid(f"Unknown query parameter(s) {names}; this endpoint takes none.")
        return None
    values = {key: params[key] for key in params}
    try:
        return msgspec.convert(values, kind, strict=False)
    except msgspec.ValidationError as exc:
        raise invalid(_explain(str(exc), values, kind, query=True)) from None


def read_login(raw: bytes, *, form: bool) -> Login:
    """The login's body, JSON or ``application/x-www-form-urlencoded``; any problem is 400
    ``INVALID_PARAMETER`` naming it."""
    try:
        if form:
            # Parsed here: Starlette's form parser needs an extra package for one small form.
            fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
            data: object = {key: values[0] for key, values in fields.items()}
        else:
            data = parse_json(raw)
        return convert(data, Login)
    except RestError as refused:
        raise RestError(
            400,
            "INVALID_PARAMETER",
            f'{refused.message} The login takes {{"username": "...", "password": "..."}}.',
        ) from None


# --------------------------------------------------------------------------- messages

# msgspec's messages: "<problem>" or "<problem> - at `$.path`" (or "- at `key` in `$.path`").
_MESSAGE = re.compile(r"(?P<problem>.*?)(?: - at `(?P<at>[^`]*)`(?: in `(?P<owner>[^`]*)`)?)?")
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")
_EXPECTED = re.compile(r"Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`")
_LENGTH = re.compile(r"Expected `str` of length (?P<op>[<>]=?) (?P<n>\d+)")
_RANGE = re.compile(r"Expected `(?:int|float)` (?P<op>[<>]=?) (?P<n>[-\d.e+]+)")
_REGEX = re.compile(r"Expected `str` matching regex (?P<regex>'.*'|\".*\")", re.S)
_FIELD = re.compile(r"Object (?P<what>missing required|contains unknown) field `(?P<name>[^`]*)`")

_TYPE_NAMES = {
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}
_GOT_NAMES = {**_TYPE_NAMES, "int": "a number"}
_PATTERNS = {NOT_BLANK: "must not be empty", EMAIL_ADDRESS_PATTERN: "is not an e-mail address"}
_BOUNDS = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}


def _refusal(message: str, data: object, kind: type[Any]) -> RestError:
    expected = _EXPECTED.fullmatch(message)
    if expected is not None:  # no path: the body itself is of the wrong type
        got = _GOT_NAMES.get(expected["got"], expected["got"])
        return RestError(400, "BAD_REQUEST", f"The body must be a JSON object, got {got}.")
    return invalid(_explain(message, data, kind, query=False))


def _wanted(names: str) -> str:
    """``bool | int | float | str | null`` → "a boolean, a number, a string or null"."""
    parts = [part.strip() for part in names.split("|")]
    if "int" in parts and "float" in parts:
        parts.remove("int")
    words = [_TYPE_NAMES.get(part, part) for part in parts]
    words.sort(key=lambda word: word == "null")  # null last
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _locate(data: object, path: str) -> tuple[list[str], object]:
    """The member names along a msgspec path (``$.userData[...]``), and the value there.
    ``[...]`` is a dict entry msgspec does not name: the first entry of the failing kind is
    found by the caller, so the value returned for it is the dict itself."""
    names: list[str] = []
    value = data
    for part in _PATH_PART.finditer(path):
        name, index = part.group(1), part.group(2)
        if name is not None:
            names.append(name)
            value = value.get(name) if isinstance(value, dict) else None
        elif index == "...":
            names.append("...")
        else:
            names.append(index)
            value = value[int(index)] if isinstance(value, list) else None
    return names, value


def _entry(container: object, got: str) -> str | None:
    """The first key of ``container`` whose value is of msgspec's type name ``got``: msgspec
    checks entries in order and stops at the first bad one, and every value type here is a
    plain union of JSON types, so that is the entry it refused."""
    if not isinstance(container, dict):
        return None
    for key, value in container.items():
        if _json_type(value) == got:
            return str(key)
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return "array" if isinstance(value, list) else "object"


def _explain(message: str, data: object, kind: type[Any], *, query: bool) -> str:
    """A readable sentence for msgspec's ``message``, naming the member as the client wrote
    it (``'userData.Tier'``)."""
    parsed = _MESSAGE.fullmatch(message)
    assert parsed is not None  # the pattern matches any text
    problem, at, owner = parsed["problem"], parsed["at"], parsed["owner"]
    if owner is not None and at == "key":  # a dict key, e.g. "- at `key` in `$.userData`"
        names, _ = _locate(data, owner)
        where = f"'{'.'.join(names)}'" if names else "The body"
        length = _LENGTH.fullmatch(problem)
        if length is not None and length["op"] == ">=" and length["n"] == "1":
            return f"{where} has an empty key."
        if length is not None:
            return f"{where} has a key longer than {length['n']} characters."
        return f"{where} has an invalid key: {problem}."
    names, value = _locate(data, at or "$")
    expected = _EXPECTED.fullmatch(problem)
    if names and names[-1] == "..." and expected is not None:
        key = _entry(value, expected["got"])
        names[-1] = key if key is not None else "<a key>"
    member = ".".join(names)

    field = _FIELD.fullmatch(problem)
    if field is not None:
        name = f"{member}.{field['name']}" if member else field["name"]
        if field["what"] == "missing required":
            return f"'{name}' is required."
        if query:
            return (
                f"Unknown query parameter '{name}'; this endpoint takes: "
                f"{', '.join(_members(kind))}."
            )
        if member:
            return f"Unknown field '{name}'."
        return f"Unknown field '{name}'; the body takes: {', '.join(_members(kind))}."

    if expected is not None:
        wanted = _wanted(expected["want"])
        if query:
            return f"'{member}' must be {wanted}, got '{value}'."
        return f"'{member}' must be {wanted}, got {_GOT_NAMES.get(expected['got'], 'a value')}."
    length = _LENGTH.fullmatch(problem)
    if length is not None:
        if length["op"] == "<=":
            return f"'{member}' is longer than {length['n']} characters."
        if length["n"] == "1":
            return f"'{member}' must not be empty."
        return f"'{member}' must be at least {length['n']} characters long."
    bound = _RANGE.fullmatch(problem)
    if bound is not None:
        return f"'{member}' must be {_BOUNDS[bound['op']]} {bound['n']}."
    regex = _REGEX.fullmatch(problem)
    if regex is not None:
        pattern = ast.literal_eval(regex["regex"])  # msgspec shows the pattern's repr()
        explained = _PATTERNS.get(pattern)
        if explained is None:
            return f"'{member}' must match the pattern {pattern}."
        if explained == _PATTERNS[NOT_BLANK]:
            return f"'{member}' {explained}."
        return f"'{member}' {explained}: '{value}'."
    return f"'{member}': {problem}." if member else f"{problem}."


def _members(kind: type[Any]) -> tuple[str, ...]:
    """The members of a Struct as JSON names them, in declaration order."""
    fields: tuple[str, ...] = getattr(kind, "__struct_encode_fields__", ())
    return fields
