"""The ``wwe-host`` command line: check-config, hash-password, serve dispatch, help."""

from __future__ import annotations

import io
import subprocess
import sys
import types
from pathlib import Path

import pytest

from wwe_host import catalog, cli
from wwe_host.security.passwords import is_hashed, verify_password
from wwe_host.security.signing import JwtSigner

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
    assert f"http://127.0.0.1:9001 (*) -> {len(catalog.REQUESTS)} request(s):" in out
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
    assert err == (
        "error: [agent:jdoe] number = 'five': expected a DN made of digits, e.g. 5001\n"
        "warning: unknown sections and options, ignored (a typo?): [wwe-host] tpyo\n"
    )


# Nine mistakes in one file: one run reports them all, in the file's order, and the typos
# (warnings, as configuration.md of the spec has them) with the closest known name.
NINE_MISTAKES = """\
[wwe-host]
insecure-plain-password = true
listen = localhost
max-message-bytes = 64k
lisen = 127.0.0.1:8080

[interaction-workspace]
voice.auto-answer = maybe
voice.auto-anwser = true
interaction.web-content = CRM, Notse

[Notes]
url = http://127.0.0.1:9003/

[CRM]
url = ftp://127.0.0.1:9001/crm.html
mode = sideways

[agent:jdoe]
firstname = John
employeeId = 1001
password = secret-password
number = 5001
media = voice, emial

[queue:sales]
agents = jdoe, asmith
"""


def test_check_config_reports_every_error_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nine.ini"
    path.write_text(NINE_MISTAKES, encoding="utf-8")
    assert cli.main(["check-config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors == [
        "error: [wwe-host] listen = 'localhost': expected HOST:PORT "
        "(e.g. 127.0.0.1:8080, [::1]:8080)",
        "error: [wwe-host] max-message-bytes = '64k': expected a whole number of bytes >= 1024",
        "error: [interaction-workspace] voice.auto-answer = 'maybe': "
        "expected true, false, yes, no, 1 or 0",
        "error: [CRM] url = 'ftp://127.0.0.1:9001/crm.html': expected an http(s) URL whose "
        "scheme, host and port have no field codes",
        "error: [CRM] mode = 'sideways': expected tab | popup | background | hidden",
        "error: [interaction-workspace] interaction.web-content = 'CRM, Notse': expected names "
        "of existing sections (there is no section [Notse]) (did you mean 'Notes'?)",
        "error: [agent:jdoe] lastname: missing; expected the agent's last name",
        "error: [agent:jdoe] media = 'voice, emial': expected entries from voice, email, chat "
        "(did you mean 'email'?)",
        "error: [queue:sales] agents = 'jdoe, asmith': expected user names of [agent:...] "
        "sections (there is no agent 'asmith')",
    ]
    (warning,) = [line for line in lines if line.startswith("warning: ")]
    assert "[wwe-host] lisen (did you mean 'listen'?)" in warning
    assert "[interaction-workspace] voice.auto-anwser (did you mean 'voice.auto-answer'?)" in (
        warning
    )
    assert "[Notes] (section)" in warning  # not listed anywhere: unused, so unknown
    assert lines[-1] == "9 errors"


def test_check_config_an_agent_with_a_mistake_is_not_reported_again_by_its_queue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.ini"
    text = GOOD.replace("number = 5001", "number = five") + "[queue:q]\nagents = jdoe\n"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["check-config", str(path)]) == 2
    errors = [e for e in capsys.readouterr().err.splitlines() if e.startswith("error:")]
    assert errors == [
        "error: [agent:jdoe] number = 'five': expected a DN made of digits, e.g. 5001"
    ]


def test_check_config_strict_fails_on_warnings(
    good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check-config", "--strict", str(good_file)]) == 1
    assert "[wwe-host] tpyo" in capsys.readouterr().err
    clean = good_file.with_name("clean.ini")
    clean.write_text(GOOD.replace("tpyo = 1\n", ""), encoding="utf-8")
    assert cli.main(["check-config", "--strict", str(clean)]) == 0


def test_check_config_checks_the_jwt_key_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "jwt.pem"
    key.write_text("not a key", encoding="utf-8")
    path = tmp_path / "key.ini"
    path.write_text(
        GOOD.replace("[wwe-host]\n", f"[wwe-host]\njwt-signing-key = {key}\n", 1),
        encoding="utf-8",
    )
    assert cli.main(["check-config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: [wwe-host] jwt-signing-key: {key}: not a PEM private key")
    key.write_bytes(JwtSigner.generate().pem())
    assert cli.main(["check-config", str(path)]) == 0
    assert f"JWT (auth.getJwtToken): valid 300 s, key from {key}" in capsys.readouterr().out


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
