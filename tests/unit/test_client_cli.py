"""The SDK (``wwe_host.client``) and ``wwe-host sim`` against a REAL ``wwe-host serve``
process (its own port and data dir), and the scenario format.

The server is started once for the module; each test makes its own calls and finds them by
their callUuid, so tests do not depend on each other's leftovers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from wwe_host.client import (
    ScenarioError,
    StepFailed,
    WweHostClient,
    WweHostError,
    WweHostUnreachable,
    parse_scenario,
    run_scenario,
)
from wwe_host.processes import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "scenario.yaml"
TOKEN = "cli-test-admin-token"

CONFIG = f"""
[wwe-host]
insecure-plain-password = true
admin-token = {TOKEN}

[interaction-workspace]
sim.voice.answer-delay = 0.2

[agent:agent1]
firstname = Alice
lastname = Agent
employeeId = 1001
password = agent1
number = 5001
media = voice, email, chat

[agent:agent2]
firstname = Bob
lastname = Agent
employeeId = 1002
password = agent2
number = 5002
media = voice, email, chat

[agent:supervisor]
firstname = Sam
lastname = Supervisor
employeeId = 1003
password = supervisor
roles = ROLE_AGENT, ROLE_ADMIN
number = 5003

[queue:sales]
media = voice, email, chat
agents = agent1, agent2, supervisor

[campaign:leads]
mode = preview
agents = agent1
records = leads.csv
"""


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    def client(self, token: str | None = TOKEN) -> WweHostClient:
        return WweHostClient(self.url, token, timeout=10.0)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("wwe-host-cli")
    (directory / "leads.csv").write_text("phone,name\n+15550101,Ada\n+15550102,Ben\n")
    process = ServerProcess(CONFIG, directory)
    process.start()  # returns once /healthz answers
    try:
        process.login("agent1", "agent1")
        yield Server(process.url, process.log_path)
    finally:
        process.stop()


def sim(
    server: Server | None,
    *args: str,
    token: str | None = TOKEN,
    url: str | None = None,
    timeout: float = 60.0,
) -> subprocess.CompletedProcess[str]:
    """``python -m wwe_host sim ARGS`` with WWE_HOST_URL / WWE_HOST_TOKEN set (or unset)."""
    env = {k: v for k, v in os.environ.items() if k not in ("WWE_HOST_URL", "WWE_HOST_TOKEN")}
    if url or server is not None:
        env["WWE_HOST_URL"] = url or (server.url if server else "")
    if token is not None:
        env["WWE_HOST_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "wwe_host", "sim", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=ROOT,
    )


def ok_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_call(client: WweHostClient, call_uuid: str) -> dict[str, Any]:
    return client.wait_for_interaction(lambda i: i.get("callUuid") == call_uuid, timeout=5.0)


# --------------------------------------------------------------------------- CLI


def test_cli_call_rings_and_hangup_releases(server: Server) -> None:
    called = ok_json(
        sim(
            server, "call", "5001", "--from", "5550111", "--data", "Customer=Ada", "--data", "N=1=2"
        )
    )
    assert called["state"] == "RINGING"
    assert called["agent"] == "agent1"
    with server.client() as client:
        ringing = by_call(client, called["callUuid"])
        assert ringing["state"] == "RINGING"
        assert ringing["ani"] == "5550111"
        assert ringing["userData"] == {"Customer": "Ada", "N": "1=2"}
        released = ok_json(sim(server, "hangup", called["callUuid"]))
        assert released["state"] == "IDLE"
        assert by_call(client, called["callUuid"])["state"] == "IDLE"
    again = sim(server, "hangup", called["callUuid"])
    assert again.returncode == 1
    assert "409 INVALID_STATE" in again.stderr and "IDLE" in again.stderr


def test_cli_url_and_token_options_override_the_environment(server: Server) -> None:
    result = sim(
        None,
        "call",
        "agent1",
        "--from",
        "5550112",
        "--url",
        server.url,
        "--token",
        TOKEN,
        token=None,
    )
    assert ok_json(result)["state"] == "RINGING"
    wrong_env = sim(server, "call", "agent1", "--from", "1", "--token", TOKEN, token="nope")
    assert ok_json(wrong_env)["agent"] == "agent1"


def test_cli_email_and_chat(server: Server) -> None:
    mail = ok_json(
        sim(
            server,
            "email",
            "agent1",
            "--from",
            "ada@example.com",
            "--subject",
            "Parcel",
            "--body",
            "Where is it?",
        )
    )
    assert (mail["state"], mail["agent"]) == ("INVITED", "agent1")
    chat = ok_json(sim(server, "chat", "agent1", "--from", "Ada", "--message", "Hi there"))
    assert chat["state"] == "INVITED"
    with server.client() as client:
        found = client.wait_for_interaction(
            lambda i: i["interactionUUID"] == mail["interactionUUID"], agent="agent1"
        )
        assert (found["media"], found["subject"], found["from"]) == (
            "email",
            "Parcel",
            "ada@example.com",
        )
        said = client.chat_message(chat["chatId"], "Still there?")
        assert said["messages"] == 2
        assert client.end_chat(chat["chatId"])["state"] == "ENDED"


def test_cli_refusals_exit_1_with_the_server_message(server: Server) -> None:
    wrong = sim(server, "call", "5001", "--from", "1", token="not-the-token")
    assert wrong.returncode == 1
    assert wrong.stdout == ""
    assert "error: the server refused: 403 FORBIDDEN: The admin token is wrong." in wrong.stderr
    missing = sim(server, "call", "5001", "--from", "1", token=None)
    assert missing.returncode == 1
    assert "401 UNAUTHORIZED" in missing.stderr
    assert "WWE_HOST_TOKEN" in missing.stderr
    offline = sim(server, "call", "agent2", "--from", "1")
    assert offline.returncode == 1
    assert "409 INVALID_STATE: Agent 'agent2' is not logged in." in offline.stderr
    unknown = sim(server, "answer", "NOSUCHCALL")
    assert unknown.returncode == 1
    assert "404 NOT_FOUND" in unknown.stderr
    bad_mail = sim(server, "email", "agent1", "--from", "nobody", "--subject", "x")
    assert bad_mail.returncode == 1
    assert "422 INVALID_PARAMETER" in bad_mail.stderr and "'from'" in bad_mail.stderr


@pytest.mark.parametrize(
    "action",
    [
        ["call", "5001", "--from", "1"],
        ["hangup", "some-uuid"],
        ["answer", "some-uuid"],
        ["email", "agent1", "--from", "a@b.example", "--subject", "S"],
        ["chat", "agent1", "--from", "Ann", "--message", "hi"],
        ["run", str(EXAMPLE)],
    ],
    ids=lambda action: action[0],
)
def test_cli_unreachable_server_exits_3_with_one_line_naming_the_url(action: list[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = sim(None, *action, url=url)
    assert result.returncode == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: cannot connect to {url}: Connection refused (is `wwe-host serve` running at "
        f"{url}? Give its address with --url or WWE_HOST_URL.)"
    ]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_a_bad_url_or_timeout_is_a_usage_error() -> None:
    bad = sim(None, "call", "5001", "--from", "1", url="ftp://example")
    assert bad.returncode == 2
    assert bad.stderr == "error: WWE_HOST_URL 'ftp://example': expected http(s)://HOST[:PORT]\n"
    url = f"http://127.0.0.1:{free_port()}"
    zero = sim(None, "hangup", "x", "--timeout", "0", "--url", url)
    assert zero.returncode == 2
    assert zero.stderr == "error: --timeout 0.0: expected a number of seconds > 0\n"


def test_cli_usage_errors_exit_2() -> None:
    no_from = sim(None, "call", "5001")
    assert no_from.returncode == 2
    assert "--from" in no_from.stderr
    bad_data = sim(None, "call", "5001", "--from", "1", "--data", "novalue")
    assert bad_data.returncode == 2
    assert "expected KEY=VALUE" in bad_data.stderr
    bare = sim(None)
    assert bare.returncode == 2
    assert "call" in bare.stderr and "run" in bare.stderr
    helped = sim(None, "run", "--help")
    assert helped.returncode == 0
    assert "SCENARIO.yaml" in helped.stdout


# --------------------------------------------------------------------------- scenarios


def test_cli_runs_the_example_scenario(server: Server) -> None:
    result = sim(server, "run", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert progress[0] == "[1/9] call 5001 from +15550100"
    assert progress[2] == "[3/9] hangup last"
    assert progress[-1] == "[9/9] wait 0.5 s"
    assert len(progress) == 9
    assert result.stderr.rstrip().endswith("done: 9 step(s)")
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 6  # the waits answer nothing
    call, hangup, mail, chat, queued1, queued2 = answers
    assert call["state"] == "RINGING"
    assert (hangup["state"], hangup["callUuid"]) == ("IDLE", call["callUuid"])
    assert hangup["userData"] == {"Customer": "Ada Lovelace", "Segment": "gold"}
    assert (mail["state"], chat["state"]) == ("INVITED", "INVITED")
    assert "chatId" in chat
    # Nobody is ready: the queue keeps the calls.
    assert [queued1["state"], queued2["state"]] == ["QUEUED", "QUEUED"]
    with server.client() as client:
        subjects = [i.get("subject") for i in client.interactions("agent1")]
        assert "Order 1234" in subjects


def test_cli_scenario_is_checked_before_anything_runs(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "steps:\n"
        "  - call: {to: agent1, from: '5550199'}\n"
        "  - repeat: 2\n"
        "    steps:\n"
        "      - wait: 0.01\n"
        "      - email: {to: agent1, from: a@b.example}\n",
        encoding="utf-8",
    )
    result = sim(server, "run", str(path))
    assert result.returncode == 2
    assert f"error: {path}: step 2.2: email: 'subject' is required" in result.stderr
    assert result.stdout == ""
    with server.client() as client:
        assert not [i for i in client.interactions("agent1") if i.get("ani") == "5550199"]
    missing = sim(server, "run", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert "cannot read it" in missing.stderr


def test_cli_scenario_stops_at_the_first_refused_step(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "refused.yaml"
    path.write_text(
        "steps:\n"
        "  - chat: {to: agent1, from: Before, message: one}\n"
        "  - call: {to: agent2, from: '1'}\n"
        "  - chat: {to: agent1, from: After, message: two}\n",
        encoding="utf-8",
    )
    result = sim(server, "run", str(path))
    assert result.returncode == 1
    assert "[2/3] call agent2 from 1" in result.stderr
    assert "[3/3]" not in result.stderr
    assert "error: step 2 (call agent2 from 1) failed" in result.stderr
    assert "409 INVALID_STATE" in result.stderr
    assert len(result.stdout.splitlines()) == 1
    with server.client() as client:
        names = {i["parties"][0]["name"] for i in client.interactions("agent1") if i["parties"]}
        assert "Before" in names and "After" not in names


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "expected a mapping with 'steps:'"),
        ({"steps": []}, "'steps' must be a non-empty list"),
        ({"stpes": [{"wait": 1}]}, "unknown key(s) stpes"),
        ({"steps": [{"dial": {}}]}, "step 1: expected exactly one of call, email"),
        ({"steps": [{"wait": 1, "call": {}}]}, "step 1: expected exactly one of"),
        ({"steps": [{"wait": -1}]}, "step 1: wait: expected 0 to 3600 seconds"),
        ({"steps": [{"wait": "1s"}]}, "step 1: wait: expected a number of seconds"),
        ({"steps": [{"hangup": "last"}]}, "step 1: hangup: last, but no call step"),
        ({"steps": [{"call": {"to": "a"}}]}, "step 1: call: 'from' is required"),
        ({"steps": [{"call": {"to": "a", "from": "b", "ani": "c"}}]}, "unknown field(s) ani"),
        ({"steps": [{"call": {"to": "a", "from": "b", "data": {"k": [1]}}}]}, "'data.k'"),
        ({"steps": [{"chat": {"to": "a", "from": " ", "message": "m"}}]}, "'from' must be"),
        ({"steps": [{"repeat": 0, "steps": [{"wait": 1}]}]}, "step 1: repeat: expected a whole"),
        ({"steps": [{"repeat": 2}]}, "step 1: repeat: 'steps' is missing"),
        ({"steps": [{"repeat": 2, "steps": [{"wait": 1}], "x": 1}]}, "'repeat' and 'steps' only"),
        ({"steps": [{"wait": 0}, {"repeat": 1, "steps": [{"wait": None}]}]}, "step 2.1: wait"),
    ],
)
def test_scenario_validation_names_step_and_field(document: object, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(document, "s.yaml")
    assert str(caught.value).startswith("s.yaml: ")
    assert message in str(caught.value)


def test_scenario_unrolls_repeats_and_reads_numbers_as_text() -> None:
    steps = parse_scenario(
        {
            "steps": [
                {"call": {"to": 5001, "from": 5550100, "data": {"n": 1}}},
                {"repeat": 2, "steps": [{"hangup": "last"}, {"wait": 0.5}]},
            ]
        }
    )
    assert [(s.kind, s.where) for s in steps] == [
        ("call", "1"),
        ("hangup", "2.1"),
        ("wait", "2.2"),
        ("hangup", "2.1"),
        ("wait", "2.2"),
    ]
    assert steps[0].args == {"to": "5001", "from": "5550100", "data": {"n": 1}}
    assert steps[0].describe() == "call 5001 from 5550100"


# --------------------------------------------------------------------------- SDK


def test_sdk_drives_the_server(server: Server) -> None:
    with server.client() as client:
        agents = {a["username"]: a for a in client.agents()}
        assert agents["agent1"]["loggedIn"] is True
        assert agents["agent2"]["loggedIn"] is False
        call = client.call("agent1", "5550133", dnis="8000", user_data={"Case": 42})
        assert call["state"] == "RINGING"
        found = client.wait_for_interaction(agent="agent1", state="RINGING", media="voice")
        assert found["state"] == "RINGING"
        mine = by_call(client, call["callUuid"])
        assert (mine["dnis"], mine["userData"]) == ("8000", {"Case": 42})
        changed = client.set_user_data(call["interactionUUID"], {"Case": None, "Note": "vip"})
        assert changed["userData"] == {"Note": "vip"}
        assert client.hangup(call["callUuid"])["state"] == "IDLE"
        assert client.outbox() == []
        assert client.audit(agent="agent1", outcome="refused") == []
        assert client.openapi()["openapi"] == "3.1.0"
        with pytest.raises(WweHostError) as refused:
            client.call("agent2", "1")
        assert (refused.value.status, refused.value.code) == (409, "INVALID_STATE")
        assert "not logged in" in refused.value.message
        with pytest.raises(TimeoutError, match="state=TALKING"):
            client.wait_for_interaction(agent="agent1", state="TALKING", timeout=0.3)
        with pytest.raises(ValueError):
            client.wait_for_interaction()
        queued = client.call("queue:sales", "5550134")
        assert queued["state"] == "QUEUED"
        with pytest.raises(WweHostError) as waiting:
            client.answer(queued["callUuid"])
        assert waiting.value.status == 409
        assert client.hangup(queued["callUuid"])["state"] == "ABANDONED"
    with server.client(token="wrong") as stranger, pytest.raises(WweHostError) as forbidden:
        stranger.agents()
    assert (forbidden.value.status, forbidden.value.code) == (403, "FORBIDDEN")


def test_sdk_runs_scenarios_and_reports_the_refused_step(server: Server) -> None:
    steps = parse_scenario(
        {
            "steps": [
                {"call": {"to": "agent1", "from": "5550155"}},
                {"wait": 5},
                {"hangup": "last"},
                {"email": {"to": "agent2", "from": "a@b.example", "subject": "x"}},
            ]
        }
    )
    waits: list[float] = []
    seen: list[tuple[int, str]] = []
    with server.client() as client, pytest.raises(StepFailed) as failed:
        run_scenario(
            client,
            steps,
            after=lambda n, step, result: seen.append((n, result["state"] if result else "-")),
            sleep=waits.append,
        )
    assert waits == [5.0]
    assert seen == [(1, "RINGING"), (2, "-"), (3, "IDLE")]
    assert failed.value.number == 4
    assert failed.value.error.status == 409


def test_sdk_unreachable_server() -> None:
    with (
        WweHostClient(f"http://127.0.0.1:{free_port()}", TOKEN) as client,
        pytest.raises(WweHostUnreachable) as caught,
    ):
        client.agents()
    assert caught.value.status == 0
    assert caught.value.code == "UNREACHABLE"


def test_server_metrics_count_the_admin_api(server: Server) -> None:
    with server.client(token="wrong") as stranger, pytest.raises(WweHostError):
        stranger.agents()
    text = httpx.get(f"{server.url}/metrics", timeout=5.0).text
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    refused = (("method", "GET"), ("route", "/api/v1/agents"), ("status", "403"))
    assert samples[("wwe_host_admin_requests_total", refused)] >= 1
    assert samples[("wwe_host_sessions", ())] == 1


def test_cli_and_sdk_drive_a_campaign(server: Server) -> None:
    listed = sim(server, "campaign", "list")
    assert listed.returncode == 0, listed.stderr
    assert {"name": "leads", "status": "UNLOADED"}.items() <= json.loads(listed.stdout)[0].items()
    assert ok_json(sim(server, "campaign", "load", "leads"))["status"] == "LOADED"
    assert ok_json(sim(server, "campaign", "start", "leads"))["status"] == "RUNNING"
    records = sim(server, "campaign", "records", "leads")
    assert records.returncode == 0, records.stderr
    assert [r["phone"] for r in json.loads(records.stdout)] == ["+15550101", "+15550102"]
    with server.client() as client:
        assert client.campaign("leads", "stop")["status"] == "STOPPED"
        assert [r["status"] for r in client.campaign_records("leads")] == ["READY", "READY"]
        assert client.campaign("leads", "unload")["status"] == "UNLOADED"
        with pytest.raises(ValueError, match="action must be one of"):
            client.campaign("leads", "pause")
        with pytest.raises(WweHostError) as refused:
            client.campaign_records("leads")
        assert refused.value.status == 404
    missing = sim(server, "campaign", "load")
    assert missing.returncode == 2
    assert "give the campaign's NAME" in missing.stderr
    again = sim(server, "campaign", "stop", "leads")
    assert again.returncode == 1
    assert "409 INVALID_STATE" in again.stderr
