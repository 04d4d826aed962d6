"""[campaign:NAME] sections (config/campaigns.py): the CSV read at start, every mistake
named with its section, option and value, all of them reported in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from wwe_host.config import Config, ConfigError, parse_config
from wwe_host.config.render import render_effective

BASE = """
[wwe-host]
insecure-plain-password = true

[agent:jdoe]
firstname = John
lastname = Doe
employeeId = 1
password = secret
number = 5001
"""


def _parse(tmp_path: Path, sections: str) -> Config:
    path = tmp_path / "wwe-host.ini"
    path.write_text(BASE + sections)
    return parse_config(path.read_text(), str(path))


def test_a_campaign_reads_its_csv_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "a.csv").write_text("name,phone,chain\nAnn,+1555,c1\n\nBob, +1666 ,\n")
    config = _parse(
        tmp_path,
        "[campaign:a]\nmode = push-preview\nagents = jdoe\nrecords = lists/a.csv\n"
        "call-results = Sale = 101, No Sale = 102\n",
    )
    campaign = config.campaigns["a"]
    assert campaign.mode == "push-preview"
    assert campaign.agents == ("jdoe",)
    assert [(r.phone, r.chain, r.fields) for r in campaign.rows] == [
        ("+1555", "c1", (("name", "Ann"),)),
        ("+1666", "#4", (("name", "Bob"),)),
    ]
    assert campaign.call_results == (("Sale", 101), ("No Sale", 102))
    text = render_effective(config)
    assert "a: push-preview, 2 record(s)" in text
    assert "call results Sale=101, No Sale=102" in text


def test_defaults_preview_and_the_built_in_results(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("phone\n+1555\n")
    config = _parse(tmp_path, "[campaign:a]\nagents = jdoe\nrecords = a.csv\n")
    campaign = config.campaigns["a"]
    assert (campaign.mode, campaign.call_results) == ("preview", None)


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "nophone.csv").write_text("name\nAnn\n")
    (tmp_path / "short.csv").write_text("phone,name\n+1555\n")
    with pytest.raises(ConfigError) as caught:
        _parse(
            tmp_path,
            "[campaign:a]\nmode = predictive\nagents = jdoe, jdeo\nrecords = missing.csv\n"
            "call-results = Sale, Busy = 6\nspeed = 3\n"
            "[campaign:b]\nagents = jdoe\nrecords = nophone.csv\n"
            "[campaign:c]\nagents = jdoe\nrecords = short.csv\n"
            "[campaign:d]\nagents = jdoe\n",
        )
    problems = caught.value.problems
    assert "[campaign:a] mode = 'predictive': expected preview or push-preview" in problems
    assert any(
        p.startswith("[campaign:a] agents = 'jdoe, jdeo'") and "did you mean 'jdoe'" in p
        for p in problems
    )
    assert any(p.startswith("[campaign:a] call-results = 'Sale, Busy = 6'") for p in problems)
    assert any(
        p.startswith("[campaign:a] records = 'missing.csv': expected a readable CSV")
        for p in problems
    )
    assert "[campaign:b] records = 'nophone.csv': expected a header row with a 'phone' column" in (
        problems
    )
    assert "[campaign:c] records = 'short.csv', line 2: expected 2 columns, found 1" in problems
    assert "[campaign:d] records: missing; expected a CSV file (relative to this file)" in problems
    assert "[campaign:a] speed" in "".join(caught.value.warnings)
