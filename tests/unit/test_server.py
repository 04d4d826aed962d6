"""`wwe-host serve` refuses what this version cannot do, with a message, before listening;
and derives its public address from the socket it really got."""

from __future__ import annotations

import io
import logging
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from wwe_host import server as server_module
from wwe_host.security.secrets import SecretFilter
from wwe_host.server import serve
from wwe_host.testing import wwe_host_command

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
        (
            "bus = redis://:hunter2secret@127.0.0.1:1/0",
            "error: cannot start: Redis redis://:***@127.0.0.1:1/0 cannot be used (",
        ),
        (
            "database = postgresql://wwe:hunter2secret@127.0.0.1:1/wwe",
            "error: cannot start: PostgreSQL postgresql://wwe:***@127.0.0.1:1/wwe cannot connect",
        ),
    ],
)
def test_unreachable_backends_are_refused_with_one_line(
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


def test_serve_names_every_mistake_of_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "wwe.ini"
    config.write_text(
        "[wwe-host]\nmax-message-bytes = 1\nbsu = memory\n"
        "[interaction-workspace]\nvoice.auto-answer = maybe\n" + AGENT
    )
    assert serve(str(config), "127.0.0.1:0", str(tmp_path / "data")) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: [wwe-host] max-message-bytes = '1': expected a whole number of bytes >= 1024",
        "error: [interaction-workspace] voice.auto-answer = 'maybe': "
        "expected true, false, yes, no, 1 or 0",
        "error: [agent:ann] password: expected a hash made by `wwe-host hash-password` (the value "
        "is not shown); plain-text passwords need [wwe-host] insecure-plain-password = true "
        "(demo and tests only)",
        "warning: unknown sections and options, ignored (a typo?): [wwe-host] bsu "
        "(did you mean 'bus'?)",
    ]


def test_listen_on_port_0_gives_the_desktop_the_port_it_got(tmp_path: Path) -> None:
    """The cookie doors accept public-url's origin; a derived public-url must name the port
    the kernel picked, or the desktop could not even log in."""
    config = tmp_path / "wwe.ini"
    config.write_text(f"[wwe-host]\ninsecure-plain-password = true\n{AGENT}")
    command = [
        *wwe_host_command(),
        *("serve", "--config", str(config), "--listen", "127.0.0.1:0"),
        *("--data-dir", str(tmp_path / "data")),
    ]
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()  # "wwe-host: agent desktop at URL/"
        match = re.search(r"agent desktop at (http://127\.0\.0\.1:(\d+))/", line)
        assert match is not None and match.group(2) != "0", line
        url = match.group(1)
        login = httpx.post(
            f"{url}/api/v1/login",
            json={"username": "ann", "password": "pw"},
            headers={"origin": url},
            timeout=10.0,
        )
        assert login.status_code == 200, login.text
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    "option",
    [
        "bus = redis://:bus-secret@127.0.0.1:1/0",
        "database = postgresql://wwe:db-secret@127.0.0.1:1/wwe",
    ],
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
