"""The ``wwe-host`` command line: check-config, hash-password, serve dispatch, help."""

from __future__ import annotations

import io
import subprocess
import sys
import types
from pathlib import Path

import pytest

from wwe_host import cli
from wwe_host.catalog import REQUESTS
from wwe_host.security.passwords import is_hashed, verify_password

GOOD = """\
[wwe-host]
insecure-plain-password = true
tpyo = 1

[interaction-workspace]
service-client-api.accepted-web-content-origins = http://127.0.0.1:9001 (*), \
http://127.0.0.1:9002 (agent.*, voice.dial)
interaction.web-content = CRM

[CRM]
url = http://127.0.0.1:9001/crm.html#/case/$Interaction.CaseId$

[agent:jdoe]
firstname = John
lastname = Doe
employeeId = 1001
password = secret-password
number = 5001
"""


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.ini"
    path.write_text(GOOD, encoding="utf-8")
    return path


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_check_config_prints_the_effective_configuration(
    good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check-config", str(good_file)]) == 0
    out, err = capsys.readouterr()
    assert f"configuration: {good_file}" in out
    assert "http://127.0.0.1:9002 (agent.*, voice.dial) -> 5 request(s):" in out
    assert "agent.get, agent.getState, agent.getStateList, agent.setState, voice.dial" in out
    assert f"http://127.0.0.1:9001 (*) -> {len(REQUESTS)} request(s):" in out
    assert "http://127.0.0.1:9001/crm.html#/case/$Interaction.CaseId$" in out
    assert "jdoe: John Doe" in out
    assert "secret-password" not in out
    assert err.startswith("warning: unknown sections and options")
    assert "[wwe-host] tpyo" in err


def test_check_config_masks_secrets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "secrets.ini"
    path.write_text(
        GOOD.replace(
            "tpyo = 1\n",
            "database = postgresql://wwe:db-secret-1@db.example/wwe\n"
            "bus = redis://:bus-secret-2@cache.example:6379/0\n"
            "admin-token = admin-secret-3\n",
        ),
        encoding="utf-8",
    )
    assert cli.main(["check-config", str(path)]) == 0
    out, err = capsys.readouterr()
    for secret in ("db-secret-1", "bus-secret-2", "admin-secret-3", "secret-password"):
        assert secret not in out + err
    assert "database: postgresql://wwe:***@db.example/wwe" in out
    assert "bus: redis://:***@cache.example:6379/0" in out
    assert "admin token: set" in out


def test_check_config_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.ini"
    path.write_text(GOOD.replace("number = 5001", "number = five"), encoding="utf-8")
    assert cli.main(["check-config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: [agent:jdoe] number = 'five': expected a DN made of digits, e.g. 5001\n"


def test_check_config_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.ini"
    assert cli.main(["check-config", str(missing)]) == 2
    assert capsys.readouterr().err == f"error: {missing}: no such file\n"


def test_hash_password_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("correct horse\nignored\n", tty=True))
    assert cli.main(["hash-password", "--password-stdin"]) == 0
    stored = capsys.readouterr().out.strip()
    assert is_hashed(stored)
    assert verify_password(stored, "correct horse", allow_plain=False)
    assert not verify_password(stored, "correct horse\n", allow_plain=False)


def test_hash_password_reads_stdin_when_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("piped\r\n", tty=False))
    assert cli.main(["hash-password"]) == 0
    assert verify_password(capsys.readouterr().out.strip(), "piped", allow_plain=False)


def test_hash_password_refuses_an_empty_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("\n", tty=False))
    assert cli.main(["hash-password", "--password-stdin"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == "error: the password is empty\n"


def test_hash_password_interactive_asks_twice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("", tty=True))
    answers = iter(["pw-1", "pw-1"])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    assert cli.main(["hash-password"]) == 0
    assert prompts == ["Password: ", "Password (again): "]
    assert verify_password(capsys.readouterr().out.strip(), "pw-1", allow_plain=False)


def test_hash_password_interactive_mismatch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin("", tty=True))
    answers = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["hash-password"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == "error: the passwords do not match\n"


def test_serve_calls_the_server_module(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str | None, str | None, str | None]] = []
    fake = types.ModuleType("wwe_host.server")

    def serve(config_path: str | None, listen: str | None, data_dir: str | None) -> int:
        calls.append((config_path, listen, data_dir))
        return 0

    fake.serve = serve  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "wwe_host.server", fake)
    assert cli.main(["serve"]) == 0
    argv = ["serve", "--config", "x.ini", "--listen", "[::1]:9000", "--data-dir", "d"]
    assert cli.main(argv) == 0
    assert calls == [(None, None, None), ("x.ini", "[::1]:9000", "d")]


def test_serve_rejects_a_bad_listen(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--listen", "8080"]) == 2
    assert "argument --listen: expected HOST:PORT" in capsys.readouterr().err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "check-config" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["serve"], ["check-config"], ["hash-password"]])
def test_help_on_every_command(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*command, "--help"]) == 0
    assert "usage: wwe-host" in capsys.readouterr().out


def test_python_dash_m_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wwe_host", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: wwe-host")
    for command in ("serve", "check-config", "hash-password"):
        assert command in result.stdout


def test_python_dash_m_check_config(good_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wwe_host", "check-config", str(good_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "accepted origins" in result.stdout
