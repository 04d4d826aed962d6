"""Which configuration options a frame may read (configuration.getOption, api-9.md).

A pattern is ``option``, ``prefix.*``, ``*``, ``Section/option``, ``Section/prefix.*`` or
``Section/*``; a pattern without a section means ``[interaction-workspace]``. The same
syntax names what a frame asks for and what ``service-client-api.configuration.read-allowed``
lets it read. Secrets (``secrets.is_secret_option``) and the server's own section are never
readable, whatever the list says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .secrets import is_secret_option

APP_SECTION = "interaction-workspace"
SERVER_SECTION = "wwe-host"
DEFAULT_READ_ALLOWED = "interaction-workspace/*"
# A section or option name as the configuration file may write it, with no '/' or '*'.
_NAME = re.compile(r"[^\s/*,]+")


@dataclass(frozen=True, slots=True)
class OptionPattern:
    """One parsed pattern: its section, and the option name or prefix (``*`` at the end)."""

    text: str
    section: str
    option: str  # a name, or a prefix ending in "*" ("*" alone: every option)
    qualified: bool  # written with its section: keys of its answer carry the section too

    @classmethod
    def parse(cls, text: str) -> OptionPattern:
        raw = text.strip()
        section, slash, option = raw.rpartition("/")
        if not slash:
            section = APP_SECTION
        elif not _NAME.fullmatch(section):
            raise ValueError(f"'{raw}': the section before '/' must be a section name")
        stem = option[:-1] if option.endswith("*") else option
        if option != "*" and not (
            _NAME.fullmatch(option) or (stem.endswith(".") and _NAME.fullmatch(stem))
        ):
            raise ValueError(
                f"'{raw}': expected option, prefix.*, Section/option, Section/prefix.* or Section/*"
            )
        return cls(raw, section, option, bool(slash))

    def matches(self, section: str, option: str) -> bool:
        if section != self.section:
            return False
        if self.option.endswith("*"):
            return option.startswith(self.option[:-1])
        return option == self.option

    def key(self, option: str) -> str:
        """The name an answer gives ``option``: as asked (with the section if asked so)."""
        return f"{self.section}/{option}" if self.qualified else option


class OptionReadList:
    """A parsed ``service-client-api.configuration.read-allowed``."""

    __slots__ = ("patterns",)

    def __init__(self, patterns: Iterable[OptionPattern]) -> None:
        self.patterns = tuple(patterns)

    @classmethod
    def parse(cls, value: str | None) -> OptionReadList:
        """Absent option = the default; empty value = nothing readable."""
        text = DEFAULT_READ_ALLOWED if value is None else value
        return cls(OptionPattern.parse(p) for p in text.split(",") if p.strip())

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.patterns)

    def allows(self, section: str, option: str, value: str) -> bool:
        if section == SERVER_SECTION or is_secret_option(option, value):
            return False
        return any(p.matches(section, option) for p in self.patterns)

    def read(
        self, asked: Iterable[OptionPattern], sections: Mapping[str, Mapping[str, str]]
    ) -> dict[str, str]:
        """The values ``asked`` names that this list lets a frame read, by key as asked."""
        found: dict[str, str] = {}
        for pattern in asked:
            values = sections.get(pattern.section, {})
            if pattern.option.endswith("*"):
                names: Iterable[str] = [o for o in values if pattern.matches(pattern.section, o)]
            else:
                names = [pattern.option] if pattern.option in values else []
            for name in names:
                value = values[name]
                if self.allows(pattern.section, name, value):
                    found[pattern.key(name)] = value
        return found
