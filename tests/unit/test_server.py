"""`wwe-host serve` refuses what this version cannot do, with a message, before listening."""

from __future__ import annotations

from pathlib import Path

import pytest

from wwe_host.server import serve

AGENT = """
[agent:ann]
firstname = Ann
lastname = Lee
employeeId = 1
password = pw
number = 5001
"""


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("bus = redis://127.0.0.1:6379/0", "only 'memory' is available"),
        ("database = postgresql://wwe@127.0.0.1/wwe", "only sqlite:///PATH is available"),
    ],
)
def test_unavailable_backends_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, expected: str
) -> None:
    config = tmp_path / "wwe.ini"
    config.write_text(f"[wwe-host]\ninsecure-plain-password = true\n{option}\n{AGENT}")
    assert serve(str(config), "127.0.0.1:0", str(tmp_path / "data")) == 2
    assert expected in capsys.readouterr().err


def test_a_bad_configuration_stops_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "wwe.ini"
    config.write_text(
        "[interaction-workspace]\n"
        "service-client-api.accepted-web-content-origins = http://a.example/path\n" + AGENT
    )
    assert serve(str(config), "127.0.0.1:0", str(tmp_path / "data")) == 2
    assert "http://a.example/path" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option",
    ["bus = redis://:bus-secret@127.0.0.1:6379/0", "database = postgresql://wwe:db-secret@h/wwe"],
)
def test_refusals_mask_passwords(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    config = tmp_path / "wwe.ini"
    config.write_text(f"[wwe-host]\ninsecure-plain-password = true\n{option}\n{AGENT}")
    assert serve(str(config), "127.0.0.1:0", str(tmp_path / "data")) == 2
    out, err = capsys.readouterr()
    assert "secret" not in out + err
    assert ":***@" in err
