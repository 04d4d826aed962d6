"""`wwe-host serve` refuses what this version cannot do, with a message, before listening."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from wwe_host import server as server_module
from wwe_host.security.secrets import SecretFilter
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


def test_serve_prints_its_store_and_masks_secrets_in_its_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start lines name the store; the log handlers get the masking filter with the
    configured secrets (uvicorn itself is replaced by a server that returns at once)."""

    class Returns:
        def __init__(self, config: object) -> None:
            self.config = config

        async def serve(self, sockets: object) -> None:
            logging.getLogger("wwe_host.test").warning(
                "token the-admin-token, mail smtp://mailer:mail-secret@127.0.0.1:2525"
            )

    monkeypatch.setattr(server_module.uvicorn, "Server", Returns)
    config = tmp_path / "wwe.ini"
    config.write_text(
        "[wwe-host]\ninsecure-plain-password = true\nadmin-token = the-admin-token\n"
        f"smtp = smtp://mailer:mail-secret@127.0.0.1:2525\n{AGENT}"
    )
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    try:
        assert serve(str(config), "127.0.0.1:0", str(tmp_path / "data")) == 0
    finally:
        root.removeHandler(handler)
        for each in [root, *logging.root.manager.loggerDict.values()]:
            if isinstance(each, logging.Logger):
                for h in each.handlers:
                    for f in [f for f in h.filters if isinstance(f, SecretFilter)]:
                        h.removeFilter(f)
    out = capsys.readouterr().out
    assert f"wwe-host: database sqlite:///{tmp_path / 'data' / 'wwe-host.db'}, bus memory" in out
    logged = stream.getvalue()
    assert "the-admin-token" not in logged and "mail-secret" not in logged
    assert "token ***, mail smtp://mailer:***@127.0.0.1:2525" in logged
