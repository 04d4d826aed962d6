"""Attached-data key lists that bound what third-party frames may read or write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")


class KeyList:
    """A parsed read-allowed or write-allowed option.

    Keys compare exactly (attached-data keys are case-sensitive in the contact center), and a
    trailing ``*`` is the only wildcard so that a list is easy to audit by eye.
    """

    __slots__ = ("_all", "_exact", "_items", "_prefixes")

    def __init__(self, items: Iterable[str]) -> None:
        self._items = tuple(dict.fromkeys(items))
        for item in self._items:
            if not item:
                raise ValueError("an attached-data key list cannot contain an empty key")
            if "*" in item[:-1]:
                raise ValueError(
                    f"key '{item}': '*' is only allowed at the end of a key (a prefix match)"
                )
        self._all = "*" in self._items
        self._exact = frozenset(i for i in self._items if not i.endswith("*"))
        self._prefixes = tuple(i[:-1] for i in self._items if i.endswith("*"))

    @classmethod
    def parse(cls, value: str | None) -> KeyList:
        """Absent option = every key; empty value = no key. Empty items are skipped."""
        if value is None:
            return cls(("*",))
        return cls(k for k in (part.strip() for part in value.split(",")) if k)

    @property
    def allows_all(self) -> bool:
        return self._all

    @property
    def items(self) -> tuple[str, ...]:
        """The keys and prefixes as written, without duplicates."""
        return self._items

    def allows(self, key: str) -> bool:
        return (
            self._all
            or key in self._exact
            or (bool(self._prefixes) and key.startswith(self._prefixes))
        )

    def filter(self, data: Mapping[str, V]) -> dict[str, V]:
        """A new dict without the keys outside the list (removed, not masked)."""
        if self._all:
            return dict(data)
        return {k: v for k, v in data.items() if self.allows(k)}

    def disallowed(self, keys: Iterable[str]) -> list[str]:
        """Every key outside the list, in the given order, each once (for the error text)."""
        return [k for k in dict.fromkeys(keys) if not self.allows(k)]

    def describe(self) -> str:
        if self._all:
            return "*"
        if not self._items:
            return "(no key)"
        return ", ".join(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KeyList):
            return NotImplemented
        return (self._all, self._exact, frozenset(self._prefixes)) == (
            other._all,
            other._exact,
            frozenset(other._prefixes),
        )

    def __hash__(self) -> int:
        return hash((self._all, self._exact, frozenset(self._prefixes)))

    def __repr__(self) -> str:
        return f"KeyList.parse({', '.join(self._items)!r})"
