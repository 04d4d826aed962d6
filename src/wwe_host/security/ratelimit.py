"""Per-session request rate limits with quarantine, as the guide describes them.

Counting uses fixed intervals aligned to clock minutes rather than a sliding window: it is
what the guide specifies, and it needs one counter per (session, request type).
"""

from __future__ import annotations

import enum
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from wwe_host import catalog

OPTION = "service-client-api.rate-limit"
OPTION_PREFIX = OPTION + "."
DELAY_OPTION = "service-client-api.rate-limit-quarantine-delay"

_INTEGER = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


class Decision(enum.Enum):
    """What the dispatcher does with a request after the rate-limit check."""

    ALLOW = "allow"
    REFUSE = "refuse"  # first request over the limit: reply with the rate-limit error
    IGNORE = "ignore"  # in quarantine: neither executed nor answered


def _check_limit(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: {value!r} is not a non-negative integer")


@dataclass(frozen=True)
class RateLimitPolicy:
    """Limits in requests per minute; 0 means unlimited."""

    default: int = 0
    per_request: Mapping[str, int] = field(default_factory=dict)
    quarantine_delay: float = 30.0

    def __post_init__(self) -> None:
        _check_limit(OPTION, self.default)
        per_request: dict[str, int] = {}
        for name, limit in self.per_request.items():
            request = catalog.canonical(name)
            if request is None:
                raise ValueError(f"{OPTION_PREFIX}{name}: unknown request '{name}'")
            _check_limit(OPTION_PREFIX + name, limit)
            per_request[request] = limit
        # Read-only copy: the policy is shared by every limiter and must not drift.
        object.__setattr__(self, "per_request", MappingProxyType(per_request))
        delay = self.quarantine_delay
        if isinstance(delay, bool) or not isinstance(delay, int | float):
            raise ValueError(f"{DELAY_OPTION}: {delay!r} is not a number of seconds")
        if not math.isfinite(delay) or delay < 0:
            raise ValueError(f"{DELAY_OPTION}: {delay!r} is not a non-negative number of seconds")

    def limit_for(self, request: str) -> int:
        """The per-minute limit of a canonical request name; 0 = unlimited."""
        return self.per_request.get(request, self.default)

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> RateLimitPolicy:
        """Read the three rate-limit options from a section; other options are ignored."""
        default = 0
        per_request: dict[str, int] = {}
        set_by: dict[str, str] = {}
        delay = 30.0
        for name, value in options.items():
            if name == OPTION:
                default = _parse_int(name, value)
            elif name == DELAY_OPTION:
                delay = _parse_delay(name, value)
            elif name.startswith(OPTION_PREFIX):
                written = name[len(OPTION_PREFIX) :]
                request = catalog.canonical(written)
                if request is None:
                    raise ValueError(
                        f"{name}: '{written}' is not a known request name "
                        f"(expected {OPTION_PREFIX}<request>, e.g. {OPTION_PREFIX}voice.dial)"
                    )
                if request in set_by:
                    raise ValueError(
                        f"{name}: sets the same request as {set_by[request]} ('{request}')"
                    )
                set_by[request] = name
                per_request[request] = _parse_int(name, value)
        return cls(default=default, per_request=per_request, quarantine_delay=delay)


def _parse_int(name: str, value: str) -> int:
    text = value.strip()
    if not _INTEGER.fullmatch(text):
        raise ValueError(
            f"{name} = '{value}': expected a non-negative integer "
            "(requests per minute; 0 = unlimited)"
        )
    return int(text)


def _parse_delay(name: str, value: str) -> float:
    text = value.strip()
    if not _NUMBER.fullmatch(text):
        raise ValueError(
            f"{name} = '{value}': expected a non-negative number of seconds (0 = forever)"
        )
    return float(text)


def rate_limit_message(request: str, delay: float) -> str:
    """The guide's exact error text, with the real request name and delay."""
    first = f"The rate limit for the request '{request}' has been reached."
    if delay == 0:
        return f"{first}\nFurther requests of the same type will be ignored."
    shown = str(int(delay)) if float(delay).is_integer() else repr(float(delay))
    return f"{first}\nFurther requests of the same type will be ignored for {shown} seconds."


class _Counter:
    """Count of one request type for one session in one clock minute, plus its quarantine."""

    __slots__ = ("count", "minute", "until")

    def __init__(self, minute: int) -> None:
        self.minute = minute
        self.count = 0
        self.until: float | None = None


class RateLimiter:
    """Applies a RateLimitPolicy per key (an agent session) and canonical request type."""

    def __init__(self, policy: RateLimitPolicy, clock: Callable[[], float] = time.time) -> None:
        self.policy = policy
        self._clock = clock
        self._delay = policy.quarantine_delay
        # Only limited requests are in this table (aliases too, mapped to their canonical
        # name), so an unlimited request costs one failed dict lookup. Names outside the
        # catalog are never counted: they fail the origin filter first, and counting them
        # would let a client grow this state without bound.
        self._limits: dict[str, tuple[str, int]] = {}
        for request in catalog.REQUESTS:
            limit = policy.limit_for(request)
            if limit > 0:
                self._limits[request] = (request, limit)
        for alias, request in catalog.ALIASES.items():
            if request in self._limits:
                self._limits[alias] = self._limits[request]
        self._counters: dict[str, dict[str, _Counter]] = {}

    def limited(self, request: str) -> tuple[str, int] | None:
        """The canonical name and per-minute limit of ``request``, or None: unlimited."""
        return self._limits.get(request)

    def check(self, key: str, request: str) -> Decision:
        """Decide and, when allowed, count one request."""
        limited = self._limits.get(request)
        if limited is None:
            return Decision.ALLOW
        name, limit = limited
        now = self._clock()
        minute = int(now // 60)
        per_key = self._counters.get(key)
        if per_key is None:
            per_key = self._counters[key] = {}
        counter = per_key.get(name)
        if counter is None:
            counter = per_key[name] = _Counter(minute)
        if counter.until is not None:
            if now < counter.until:
                return Decision.IGNORE
            counter.until = None
        if counter.minute != minute:
            counter.minute = minute
            counter.count = 0
        if counter.count >= limit:
            counter.until = now + self._delay if self._delay > 0 else math.inf
            return Decision.REFUSE
        counter.count += 1
        return Decision.ALLOW

    def forget(self, key: str) -> None:
        """Drop a session's counters and quarantines (the session ended)."""
        self._counters.pop(key, None)
