"""``[campaign:NAME]`` sections: simulated outbound campaigns (api-9.md, outbound).

``records`` is a CSV file, its path relative to the configuration file: a header row, a
``phone`` column, an optional ``chain`` column grouping the records of one customer, and
any other columns as the record's fields. ``call-results`` (optional) is a list of
``Name = code`` replacing the built-in list. The file is read here, at start, so that
``check-config`` reports a missing file or a bad row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from wwe_host.settings import AgentConfig, CampaignConfig, CampaignRow

from .ini import read_text
from .values import (
    NAME_RE,
    ConfigError,
    Problems,
    bad,
    did_you_mean,
    missing,
    split_list,
    unique_list,
)

CAMPAIGN_PREFIX: Final = "campaign:"
CAMPAIGN_OPTIONS: Final = frozenset({"mode", "agents", "records", "call-results"})
CAMPAIGN_MODES: Final = ("preview", "push-preview")
MAX_RECORDS: Final = 100_000
_PHONE_RE: Final = re.compile(r"[A-Za-z0-9+*#()._@:-]{1,64}")
_RESULT_RE: Final = re.compile(r"\s*([^=]*?)\s*=\s*([0-9]{1,9})\s*")


def parse_campaigns(
    sections: Mapping[str, Mapping[str, str]],
    agents: Mapping[str, AgentConfig],
    base: Path,
    problems: Problems,
    unknown: list[str],
    broken_agents: set[str],
) -> dict[str, CampaignConfig]:
    """Every ``[campaign:NAME]`` section; mistakes go to ``problems``, unknown options to
    ``unknown`` (the parser's warning); agents whose section is broken (reported once
    already) are not reported again."""
    campaigns: dict[str, CampaignConfig] = {}
    for section, values in sections.items():
        if not section.startswith(CAMPAIGN_PREFIX):
            continue
        name = section[len(CAMPAIGN_PREFIX) :].strip()
        for option in values:
            if option not in CAMPAIGN_OPTIONS:
                unknown.append(f"[{section}] {option}{did_you_mean(option, CAMPAIGN_OPTIONS)}")
        found = len(problems.found)
        with problems.check():
            if not NAME_RE.fullmatch(name):
                raise ConfigError(
                    f"[{section}]: expected [campaign:NAME] with a name of letters, digits "
                    "and _ . @ + -"
                )
            if name in campaigns:
                raise ConfigError(f"[{section}]: the campaign '{name}' is defined twice")
        mode = values.get("mode", "preview").strip()
        with problems.check():
            if mode not in CAMPAIGN_MODES:
                raise bad(section, "mode", mode, "preview or push-preview")
        members: list[str] = []
        with problems.check():
            members = unique_list(section, "agents", values.get("agents", ""))
            unknown_agents = [m for m in members if m not in agents and m not in broken_agents]
            if unknown_agents:
                hint = did_you_mean(unknown_agents[0], agents)
                raise bad(
                    section,
                    "agents",
                    values["agents"],
                    f"user names of [agent:...] sections (there is no agent "
                    f"'{unknown_agents[0]}'){hint}",
                )
        results = None
        with problems.check():
            if "call-results" in values:
                results = _call_results(section, values["call-results"])
        rows: tuple[CampaignRow, ...] = ()
        path = ""
        with problems.check():
            if not values.get("records", "").strip():
                raise missing(section, "records", "a CSV file (relative to this file)")
            path = str((base / values["records"].strip()).resolve())
            rows = _read_rows(section, values["records"].strip(), path)
        if len(problems.found) == found:
            campaigns[name] = CampaignConfig(name, mode, tuple(members), path, rows, results)
    return campaigns


def _call_results(section: str, value: str) -> tuple[tuple[str, int], ...]:
    results: list[tuple[str, int]] = []
    for item in split_list(value):
        match = _RESULT_RE.fullmatch(item)
        if match is None or not match.group(1):
            raise bad(section, "call-results", value, f"'Name = code' entries (not '{item}')")
        name, code = match.group(1), int(match.group(2))
        if any(n == name or c == code for n, c in results):
            raise bad(section, "call-results", value, f"each name and code once ('{item}')")
        results.append((name, code))
    if not results:
        raise bad(section, "call-results", value, "one or more 'Name = code' entries")
    return tuple(results)


def _read_rows(section: str, written: str, path: str) -> tuple[CampaignRow, ...]:
    try:
        text = read_text(path)
    except ConfigError as error:
        raise bad(section, "records", written, f"a readable CSV file ({error})") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    where = f"[{section}] records = {written!r}"
    if "phone" not in header:
        raise ConfigError(f"{where}: expected a header row with a 'phone' column")
    if len(set(header)) != len(header) or "" in header:
        raise ConfigError(f"{where}: expected header names that are unique and not empty")
    rows: list[CampaignRow] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines are harmless
        if len(cells) != len(header):
            raise ConfigError(
                f"{where}, line {line}: expected {len(header)} columns, found {len(cells)}"
            )
        values = dict(zip(header, (c.strip() for c in cells), strict=True))
        phone = values.pop("phone")
        if not _PHONE_RE.fullmatch(phone):
            raise ConfigError(f"{where}, line {line}: expected a dialable phone, got {phone!r}")
        chain = values.pop("chain", "") or f"#{line}"
        rows.append(CampaignRow(phone, chain, tuple(values.items())))
        if len(rows) > MAX_RECORDS:
            raise ConfigError(f"{where}: more than {MAX_RECORDS} records")
    return tuple(rows)
