"""How long the audit log keeps what it recorded: ``[wwe-host] audit-retention``.

The value is an age in days, a number of rows, both, or ``off``::

    audit-retention = 30d
    audit-retention = 100000 rows
    audit-retention = 30d, 1000000 rows
    audit-retention = off

A row is one audited frame request (what ``GET /api/v1/audit`` lists), not one stored batch.
With both limits, an entry is removed as soon as either says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

SYNTAX: Final = "'30d', '1000000 rows', '30d, 1000000 rows' or 'off'"
DAY_SECONDS: Final = 86400.0
# A bound so that the numbers stay meaningful (a million days is 2,700 years).
MAX_DAYS: Final = 1_000_000
MAX_ROWS: Final = 10**15

_DAYS = re.compile(r"([0-9]+)\s*d")
_ROWS = re.compile(r"([0-9]+)\s*rows?")


@dataclass(frozen=True, slots=True)
class AuditRetention:
    """``days``: entries older than this many days are removed; ``rows``: only the newest
    this many entries are kept. ``None``: no limit of that kind."""

    days: int | None = None
    rows: int | None = None

    @property
    def max_age_seconds(self) -> float | None:
        return None if self.days is None else self.days * DAY_SECONDS

    @property
    def enabled(self) -> bool:
        return self.days is not None or self.rows is not None

    def describe(self) -> str:
        parts = []
        if self.days is not None:
            parts.append(f"{self.days} day{'s' if self.days != 1 else ''}")
        if self.rows is not None:
            parts.append(f"{self.rows} row{'s' if self.rows != 1 else ''}")
        return ", ".join(parts) if parts else "off (the audit log grows without limit)"


DEFAULT_AUDIT_RETENTION: Final = AuditRetention(days=30, rows=1_000_000)


def parse_audit_retention(text: str) -> AuditRetention:
    """Parse the option's value; the ``ValueError`` message says what was expected."""
    value = " ".join(text.split()).lower()
    if value in ("off", "none"):
        return AuditRetention()
    days: int | None = None
    rows: int | None = None
    parts = [part.strip() for part in value.split(",")]
    if not value or len(parts) > 2:
        raise ValueError(SYNTAX)
    for part in parts:
        if (match := _DAYS.fullmatch(part)) is not None:
            if days is not None:
                raise ValueError(f"days at most once: {SYNTAX}")
            days = int(match.group(1))
            if not 1 <= days <= MAX_DAYS:
                raise ValueError(f"a number of days from 1 to {MAX_DAYS}, or 'off'")
        elif (match := _ROWS.fullmatch(part)) is not None:
            if rows is not None:
                raise ValueError(f"rows at most once: {SYNTAX}")
            rows = int(match.group(1))
            if not 1 <= rows <= MAX_ROWS:
                raise ValueError(f"a number of rows from 1 to {MAX_ROWS}, or 'off'")
        else:
            raise ValueError(SYNTAX)
    return AuditRetention(days=days, rows=rows)
