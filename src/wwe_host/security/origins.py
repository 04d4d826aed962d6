"""Which web origins may call which Service Client API requests.

The option is parsed once at start and any mistake stops the server, because a typo in a
security list must never widen or silently narrow what a third-party frame can do. After
that, every request costs one dict lookup.
"""

from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from wwe_host import catalog

OPTION = "service-client-api.accepted-web-content-origins"

# Answered for every listed origin: it is how an app discovers what it may do.
ALWAYS_ALLOWED = "system.getAllowedServices"
DIAL_ONLY: frozenset[str] = frozenset({"voice.dial", ALWAYS_ALLOWED})
ALL_REQUESTS: frozenset[str] = frozenset(catalog.REQUESTS)

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._")
_NOT_AN_ORIGIN = "is not an origin (scheme://host[:port], no path)"


class OriginPolicyError(ValueError):
    """A bad accepted-origins option; the message quotes the offending entry."""

    def __init__(self, entry: str, reason: str) -> None:
        super().__init__(f"{OPTION}: entry '{entry}' {reason}")
        self.entry = entry
        self.reason = reason


class _BadOrigin(ValueError):
    """Keeps the bare reason so the policy parser can quote the whole entry instead."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"'{origin}' {reason}")
        self.reason = reason


def normalize_origin(origin: str) -> str:
    """The canonical ``scheme://host[:port]`` form, so origins compare with ``==``.

    Raises ValueError (quoting the origin) for anything that is not an http(s) origin or
    ``null``.
    """
    return _normalize_cached(origin)


def url_origin(url: str) -> str:
    """The normalised origin of an http(s) URL (its path, query and user info dropped);
    raises ValueError like ``normalize_origin``."""
    scheme, sep, rest = url.partition("://")
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return normalize_origin(f"{scheme}{sep}{authority.rpartition('@')[2]}")


def _normalize(origin: str) -> str:
    if origin == "null":
        return "null"
    scheme, sep, rest = origin.partition("://")
    if not sep:
        raise _BadOrigin(origin, _NOT_AN_ORIGIN)
    scheme = scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise _BadOrigin(origin, f"has the scheme '{scheme}' (only http and https are origins)")
    if "@" in rest:
        raise _BadOrigin(origin, "is not an origin (no user name or password allowed)")
    if any(c in rest for c in "/?#\\"):
        raise _BadOrigin(origin, _NOT_AN_ORIGIN)
    if rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            raise _BadOrigin(origin, "has an unterminated IPv6 address")
        try:
            host = f"[{ipaddress.IPv6Address(rest[1:end]).compressed}]"
        except ValueError:
            raise _BadOrigin(origin, f"has an invalid IPv6 address '{rest[1:end]}'") from None
        after = rest[end + 1 :]
        if after and not after.startswith(":"):
            raise _BadOrigin(origin, _NOT_AN_ORIGIN)
        port_text: str | None = after[1:] if after else None
    else:
        host, colon, port_text_raw = rest.partition(":")
        port_text = port_text_raw if colon else None
        host = host.lower()
        if not host or not _HOST_CHARS.issuperset(host) or host.startswith(".") or ".." in host:
            raise _BadOrigin(
                origin,
                f"has an invalid host '{host}' (ASCII letters, digits, '-', '.'; use "
                "punycode for international names)",
            )
    if port_text is None:
        return f"{scheme}://{host}"
    if (
        not (port_text.isascii() and port_text.isdigit())
        or len(port_text) > 5
        or not 0 < int(port_text) < 65536
    ):
        raise _BadOrigin(origin, f"has an invalid port '{port_text}' (1-65535)")
    port = int(port_text)
    if port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


# Browsers report the same handful of origins on every message; a bounded cache makes the
# common case a dict hit while staying typed through normalize_origin.
_normalize_cached = lru_cache(maxsize=4096)(_normalize)


@dataclass(frozen=True)
class OriginEntry:
    """One entry of the option, kept both as written (for display) and expanded."""

    origin: str
    filters: tuple[str, ...]
    requests: frozenset[str]


def _split_top_level(value: str) -> list[str]:
    """Split at commas outside parentheses; parenthesis errors quote the entry they are in."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, c in enumerate(value):
        if c == "(":
            depth += 1
            if depth > 1:
                end = value.find(")", i) + 1 or len(value)
                raise OriginPolicyError(value[start:end].strip(), "has nested parentheses")
        elif c == ")":
            depth -= 1
            if depth < 0:
                raise OriginPolicyError(
                    value[start : i + 1].strip(), "has a ')' without a matching '('"
                )
        elif c == "," and depth == 0:
            parts.append(value[start:i])
            start = i + 1
    if depth:
        raise OriginPolicyError(value[start:].strip(), "has a '(' without a matching ')'")
    parts.append(value[start:])
    return parts


def _expand_filter(entry: str, name: str) -> frozenset[str]:
    if name == "*":
        return ALL_REQUESTS
    if name.endswith(".*"):
        namespace = name[:-2]
        if namespace in catalog.NAMESPACES:
            prefix = namespace + "."
            return frozenset(r for r in catalog.REQUESTS if r.startswith(prefix))
        raise OriginPolicyError(
            entry,
            f"names an unknown namespace '{name}'{_suggest(namespace, catalog.NAMESPACES)}",
        )
    request = catalog.canonical(name)
    if request is None:
        known = (*catalog.REQUESTS, *catalog.ALIASES)
        raise OriginPolicyError(entry, f"names an unknown request '{name}'{_suggest(name, known)}")
    return frozenset((request,))


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _parse_entry(raw: str) -> OriginEntry:
    entry = raw.strip()
    head, paren, tail = entry.partition("(")
    head = head.strip()
    if not head:
        raise OriginPolicyError(entry, "has a filter list but no origin")
    if paren:
        inner, _, after = tail.partition(")")
        if after.strip():
            raise OriginPolicyError(entry, f"has text after the filter list: '{after.strip()}'")
        filters = tuple(f.strip() for f in inner.split(","))
        if filters == ("",):
            raise OriginPolicyError(entry, "has an empty filter list '()' (write '(*)' or omit it)")
        if "" in filters:
            raise OriginPolicyError(entry, "has an empty item in its filter list")
        requests = frozenset(r for f in filters for r in _expand_filter(entry, f))
    else:
        filters = ()
        requests = ALL_REQUESTS
    if head == "*":
        return OriginEntry("*", filters, requests)
    if head == "null":
        raise OriginPolicyError(entry, "lists the origin 'null', which is never allowed")
    try:
        origin = normalize_origin(head)
    except _BadOrigin as exc:
        raise OriginPolicyError(entry, exc.reason) from None
    return OriginEntry(origin, filters, requests)


class OriginPolicy:
    """The parsed accepted-origins option: origin to the set of requests it may use."""

    __slots__ = ("_by_origin", "_dial_only", "_entries", "_full", "_star")

    def __init__(self, entries: Iterable[OriginEntry] = ()) -> None:
        self._entries = tuple(entries)
        self._by_origin: dict[str, frozenset[str]] = {}
        self._star: frozenset[str] | None = None
        for e in self._entries:
            if e.origin == "*":
                if self._star is not None:
                    raise ValueError("'*' is listed twice")
                self._star = e.requests
            elif e.origin in self._by_origin:
                raise ValueError(f"origin '{e.origin}' is listed twice")
            elif e.origin == "null":
                raise ValueError("origin 'null' is never allowed")
            else:
                self._by_origin[e.origin] = e.requests
        # Frame sets are precomputed so that frame_allowed stays a dict lookup too.
        self._full: dict[str, frozenset[str]] = {}
        self._dial_only: dict[str, frozenset[str]] = {}
        for e in self._entries:
            self._full[e.origin] = e.requests | {ALWAYS_ALLOWED}
            self._dial_only[e.origin] = (e.requests & DIAL_ONLY) | {ALWAYS_ALLOWED}

    @classmethod
    def parse(cls, value: str | None) -> OriginPolicy:
        """Parse the option text; every mistake raises, nothing is dropped."""
        if value is None or not value.strip():
            return cls()
        entries: list[OriginEntry] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(_split_top_level(value), start=1):
            if not raw.strip():
                raise OriginPolicyError(
                    "", f"(entry {index}) is empty: remove the extra or trailing comma"
                )
            entry = _parse_entry(raw)
            if entry.origin in seen:
                raise OriginPolicyError(
                    raw.strip(),
                    f"lists '{entry.origin}' again (already entry {seen[entry.origin]})",
                )
            seen[entry.origin] = index
            entries.append(entry)
        return cls(entries)

    @property
    def entries(self) -> tuple[OriginEntry, ...]:
        return self._entries

    def origins(self) -> tuple[str, ...]:
        """Listed origins in order (``*`` included as written), e.g. for CSP ``frame-src``."""
        return tuple(e.origin for e in self._entries)

    def allowed(self, origin: str) -> frozenset[str] | None:
        """Requests the filter allows ``origin`` (already normalised); None when not listed."""
        requests = self._by_origin.get(origin)
        if requests is not None:
            return requests
        if origin == "null":
            return None
        return self._star

    def _frame_set(self, origin: str, dial_only: bool) -> frozenset[str] | None:
        table = self._dial_only if dial_only else self._full
        requests = table.get(origin)
        if requests is not None:
            return requests
        if origin == "null" or self._star is None:
            return None
        return table["*"]

    def __repr__(self) -> str:
        return f"OriginPolicy({self._entries!r})"


def frame_allowed(
    policy: OriginPolicy, origin: str, *, agent_level: bool, dial_only: bool
) -> frozenset[str] | None:
    """The effective request set of one frame; None when its origin is not listed.

    Agent-level tabs are limited to click-to-dial (the guide) unless dial-only is off.
    """
    return policy._frame_set(origin, agent_level and dial_only)


def not_allowed_message(origin: str, request: str) -> str:
    return f"The origin '{origin}' is not allowed to use the request '{request}'."
