"""ConfigError and the checks of single option values (numbers, booleans, lists, URLs).

Each check raises a ConfigError naming the section, the option and the value (secrets masked)
and what was expected.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import re
from collections.abc import Iterable, Iterator
from typing import Final
from urllib.parse import urlsplit

from wwe_host.security.origins import normalize_origin
from wwe_host.security.secrets import mask_secrets


class ConfigError(Exception):
    """A configuration that must not be used; each problem says where and what was expected.

    One error may carry several problems (``problems``): a whole file is checked in one run,
    and every mistake found is reported, one line each (``str()`` joins them)."""

    def __init__(self, *problems: str, warnings: tuple[str, ...] = ()) -> None:
        self.problems: tuple[str, ...] = tuple(dict.fromkeys(problems))  # once each, in order
        self.warnings = warnings  # noticed in the same run (unknown options): worth showing
        super().__init__("\n".join(self.problems))


class Problems:
    """The problems noticed so far in one parse: ``with problems.check():`` records a
    ConfigError raised inside the block and goes on, so the next option is checked too."""

    def __init__(self) -> None:
        self.found: list[str] = []

    @contextlib.contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except ConfigError as error:
            self.found.extend(error.problems)

    def raise_any(self, warnings: tuple[str, ...] = ()) -> None:
        """Raise one ConfigError with every problem found, if any."""
        if self.found:
            raise ConfigError(*self.found, warnings=warnings)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` naming the closest known name, or nothing when none is close."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_BOOLEANS: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_INT_RE: Final = re.compile(r"[0-9]+")
_DECIMAL_RE: Final = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
NAME_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]*")
NUMBER_RE: Final = re.compile(r"\+?[0-9]+")


def bad(section: str, option: str, value: str, expected: str) -> ConfigError:
    # A value may hold a URL with a password (database, bus, smtp): never print it.
    return ConfigError(f"[{section}] {option} = {mask_secrets(value)!r}: expected {expected}")


def missing(section: str, option: str, expected: str) -> ConfigError:
    return ConfigError(f"[{section}] {option}: missing; expected {expected}")


def split_list(value: str) -> list[str]:
    """Comma-separated, spaces and continuation lines ignored; a trailing comma is harmless."""
    return [item.strip() for item in value.split(",") if item.strip()]


def unique_list(section: str, option: str, value: str) -> list[str]:
    items = split_list(value)
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise bad(section, option, value, f"each entry once ('{item}' is listed twice)")
        seen.add(item)
    return items


def check_bool(section: str, option: str, value: str) -> bool:
    try:
        return _BOOLEANS[value.strip().lower()]
    except KeyError:
        raise bad(section, option, value, "true, false, yes, no, 1 or 0") from None


def check_decimal(section: str, option: str, value: str, unit: str) -> float:
    text = value.strip()
    if not _DECIMAL_RE.fullmatch(text) or not math.isfinite(number := float(text)):
        raise bad(section, option, value, f"a number of {unit} >= 0")
    return number


def check_int(section: str, option: str, value: str, low: int, high: int, what: str) -> int:
    text = value.strip()
    if not _INT_RE.fullmatch(text) or not low <= int(text) <= high:
        raise bad(section, option, value, what)
    return int(text)


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (IPv6 hosts in brackets) to ``(host, port)``; raises ValueError."""
    text = value.strip()
    host, colon, port = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        colon = ""  # an unbracketed IPv6 address: the port cannot be told apart
    if not colon or not host or any(c.isspace() for c in host) or not _INT_RE.fullmatch(port):
        raise ValueError("expected HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080)")
    if not 0 <= int(port) <= 65535:
        raise ValueError("expected a port from 0 to 65535")
    return host, int(port)


def desktop_origins(section: str, value: str) -> tuple[str, ...]:
    """``desktop-origins``: comma-separated ``scheme://host[:port]``, each normalised;
    ``*`` and ``null`` are refused (the point of the list is to name the desktop's own)."""
    option = "desktop-origins"
    origins: list[str] = []
    for entry in unique_list(section, option, value):
        if entry in ("*", "null"):
            raise bad(section, option, value, f"origins of the desktop's pages, not '{entry}'")
        try:
            origins.append(normalize_origin(entry))
        except ValueError as exc:
            raise bad(section, option, value, f"origins (scheme://host[:port]): {exc}") from None
    return tuple(dict.fromkeys(origins))


def http_url(section: str, option: str, value: str, what: str) -> str:
    text = value.strip()
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        if ok:
            _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        ok = False
    if not ok or any(c.isspace() for c in text):
        raise bad(section, option, value, what)
    return text
