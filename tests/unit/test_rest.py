"""The admin and simulation REST API (/api/v1) and /metrics, against ``build_site(engine)``
with the engine on a real SQLite file: auth, every endpoint, every error status, the
OpenAPI document against the app's routes, metrics after frame requests."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from engine_support import BASE_INI, CRM, DIALER, NOTES, Agent, started_engine
from starlette.applications import Starlette
from starlette.routing import Route

from wwe_host.api.desktop import ACTIONS
from wwe_host.config import Config, parse_config
from wwe_host.engine import Engine
from wwe_host.web import rest
from wwe_host.web.app import build_site
from wwe_host.web.desktop_ws import SESSION_COOKIE

TOKEN = "test-admin-token-0123456789"
AUTH = {"authorization": f"Bearer {TOKEN}"}
BASE = "http://testserver"

QUEUES = """
[queue:sales]
media = voice, email, chat
agents = jdoe, asmith

[queue:mail]
media = email
agents = asmith
"""


def rest_config(
    *, admin_token: str | None = TOKEN, read: str = "*", extra: str = "", delay: float = 0.05
) -> Config:
    values = {
        "origins": f"{CRM} (*), {NOTES} (agent.*, interaction.*), {DIALER}",
        "read": read,
        "write": "*",
        "extra": extra,
        "delay": delay,
        "server": "",  # engine_support's own slot for [wwe-host] options, if it has one
    }
    text = BASE_INI.format_map(values)
    if admin_token:
        text = text.replace("[wwe-host]\n", f"[wwe-host]\nadmin-token = {admin_token}\n", 1)
    return parse_config(text + QUEUES, "<rest-test>")


@dataclass
class Env:
    engine: Engine
    http: httpx.AsyncClient

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", AUTH)
        return await self.http.get(rest.PREFIX + path, **kwargs)

    async def post(self, path: str, body: object = None, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", AUTH)
        if body is not None:
            kwargs["json"] = body
        return await self.http.post(rest.PREFIX + path, **kwargs)

    async def patch(self, path: str, body: object, **kwargs: Any) -> httpx.Response:
        kwargs.setdefault("headers", AUTH)
        return await self.http.patch(rest.PREFIX + path, json=body, **kwargs)

    async def call(self, to: str = "jdoe", **extra: Any) -> dict[str, Any]:
        response = await self.post("/sim/calls", {"to": to, "from": "5550100", **extra})
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data


async def make_env(tmp_path: Path, config: Config) -> tuple[Engine, httpx.AsyncClient]:
    engine = await started_engine(tmp_path, config)
    transport = httpx.ASGITransport(app=build_site(engine))
    return engine, httpx.AsyncClient(transport=transport, base_url=BASE)


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    engine, http = await make_env(tmp_path, rest_config())
    try:
        yield Env(engine, http)
    finally:
        await http.aclose()
        await engine.stop()


def assert_error(response: httpx.Response, status: int, code: str, *words: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
    return message


async def set_state(engine: Engine, agent: Agent, name: str) -> None:
    await engine.agent_operation(
        agent.session_id, lambda call: ACTIONS["setState"](call, {"operationName": name})
    )


async def watching(agent: Agent) -> str:
    """A Dialer frame of the agent subscribed to interaction events; its frame id."""
    frame = await agent.frame("Dialer", DIALER)
    await agent.subscribe(frame, "interaction")
    return frame.record.frame_id


# --------------------------------------------------------------------------- auth


async def test_no_credentials_is_401_with_a_bearer_challenge(env: Env) -> None:
    response = await env.get("/agents", headers={})
    assert_error(response, 401, "UNAUTHORIZED", "Bearer", "ROLE_ADMIN")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["cache-control"] == "no-store"


async def test_a_malformed_authorization_header_is_401(env: Env) -> None:
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", TOKEN):
        response = await env.get("/agents", headers={"authorization": header})
        assert_error(response, 401, "UNAUTHORIZED", "Bearer <admin-token>")


async def test_a_wrong_token_is_403_and_the_right_one_passes(env: Env) -> None:
    for wrong in (TOKEN + "x", TOKEN[:-1], "t\u00e9st"):
        header = f"Bearer {wrong}".encode("latin-1")
        response = await env.get("/agents", headers={"authorization": header})
        assert_error(response, 403, "FORBIDDEN", "wrong")
    assert (await env.get("/agents")).status_code == 200
    lower = await env.get("/agents", headers={"authorization": f"bearer {TOKEN}"})
    assert lower.status_code == 200


async def test_a_bearer_token_without_a_configured_token_is_403(tmp_path: Path) -> None:
    engine, http = await make_env(tmp_path, rest_config(admin_token=None))
    try:
        response = await http.get("/api/v1/agents", headers=AUTH)
        assert_error(response, 403, "FORBIDDEN", "no admin token")
    finally:
        await http.aclose()
        await engine.stop()


async def test_role_admin_session_cookie(env: Env) -> None:
    admin_token, _ = await env.engine.login("jdoe", "secret")
    agent_token, _ = await env.engine.login("asmith", "secret2")
    admin = {"cookie": f"{SESSION_COOKIE}={admin_token}"}
    response = await env.get("/agents", headers=admin)
    assert response.status_code == 200
    assert_error(
        await env.get("/agents", headers={"cookie": f"{SESSION_COOKIE}={agent_token}"}),
        403,
        "FORBIDDEN",
        "'asmith'",
        "ROLE_ADMIN",
    )
    assert_error(
        await env.get("/agents", headers={"cookie": f"{SESSION_COOKIE}=not-a-session"}),
        401,
        "UNAUTHORIZED",
        "session",
    )
    # A change with the cookie must come from the desktop's own origin: public-url's.
    body = {"to": "jdoe", "from": "5550100"}
    public = env.engine.config.server.public_url  # the address the pages were served from
    assert public == "http://127.0.0.1:8080"
    same = await env.post("/sim/calls", body, headers={**admin, "origin": public})
    assert same.status_code == 201, same.text
    # Not the request's Host (behind a proxy it says nothing), not another origin, and
    # not without an Origin header (browsers always send one on a POST).
    for foreign in (BASE, CRM, "http://127.0.0.1:8081", "null", "not an origin"):
        response = await env.post("/sim/calls", body, headers={**admin, "origin": foreign})
        assert_error(response, 403, "FORBIDDEN", f"'{foreign}'", "may not make changes", public)
    no_origin = await env.post("/sim/calls", body, headers=admin)
    assert_error(no_origin, 403, "FORBIDDEN", "no Origin header", public)
    cross = await env.post("/sim/calls", body, headers={**admin, "sec-fetch-site": "same-origin"})
    assert_error(cross, 403, "FORBIDDEN", "no Origin header")
    refused = (await env.get("/audit?outcome=refused:door")).json()["entries"]
    assert len(refused) == 7
    assert {(e["agent"], e["request"], e["frame"]) for e in refused} == {("jdoe", "rest", "")}
    assert refused[0]["origin"] == BASE
    assert refused[0]["detail"].startswith("POST /api/v1/sim/calls: The origin")
    assert refused[-1]["origin"] == "(no Origin header)"
    metrics = (await env.http.get("/metrics")).text
    assert 'wwe_host_door_refusals_total{door="rest",reason="origin"} 7' in metrics
    # The bearer token is not bound to an origin (it is not sent by browsers on their own).
    assert (await env.post("/sim/calls", body, headers={**AUTH, "origin": CRM})).status_code == 201
    assert len(env.engine.live_session("jdoe").interactions) == 2  # type: ignore[union-attr]


async def test_openapi_document_needs_no_credentials(env: Env) -> None:
    response = await env.get("/openapi.json", headers={})
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"


# --------------------------------------------------------------------------- calls


async def test_call_to_an_agent_rings_and_reaches_the_frames(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    frame_id = await watching(jdoe)
    result = await env.call("jdoe", userData={"Customer": "Ada", "Tier": 3, "Vip": True})
    assert re.fullmatch(r"[0-9A-F]{32}", result["callUuid"])
    assert result["state"] == "RINGING"
    assert result["agent"] == "jdoe"
    [call] = jdoe.session.interactions.values()
    assert result["interactionUUID"] == call.uuid
    assert result["interactionId"] == call.interaction_id
    assert (call.call_uuid, call.ani, call.dnis) == (result["callUuid"], "5550100", "5001")
    assert call.user_data == {"Customer": "Ada", "Tier": 3, "Vip": True}
    assert jdoe.desktop.event_types(frame_id)[:2] == ["ADDED", "RINGING"]
    # Durable: the store has it before the answer left.
    stored = await env.engine.store.load_sessions()
    assert [list(s.interactions) for s in stored] == [[call.interaction_id]]


async def test_call_by_dn_with_dnis(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    result = await env.call("5001", dnis="8000")
    assert (result["agent"], result["state"]) == ("jdoe", "RINGING")
    [call] = jdoe.session.interactions.values()
    assert call.dnis == "8000"


async def test_call_with_auto_answer_is_talking(tmp_path: Path) -> None:
    config = rest_config(extra="voice.auto-answer = true")
    engine, http = await make_env(tmp_path, config)
    try:
        await Agent.login(engine)
        response = await http.post(
            "/api/v1/sim/calls", json={"to": "jdoe", "from": "1"}, headers=AUTH
        )
        assert response.status_code == 201
        assert response.json()["state"] == "TALKING"
    finally:
        await http.aclose()
        await engine.stop()


async def test_call_to_a_queue_waits_then_rings_a_ready_agent(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    result = await env.call("queue:sales", userData={"Source": "ivr"})
    assert result["state"] == "QUEUED"
    assert result["queue"] == "sales"
    assert "interactionUUID" not in result
    assert [q.call_uuid for q in env.engine.queued()] == [result["callUuid"]]
    # Answering a call that nobody has yet is refused, naming the queue.
    assert_error(
        await env.post(f"/sim/calls/{result['callUuid']}/answer"), 409, "INVALID_STATE", "'sales'"
    )
    # The caller who hangs up while waiting leaves the queue.
    gone = await env.post(f"/sim/calls/{result['callUuid']}/hangup")
    assert gone.status_code == 200, gone.text
    assert gone.json() == {"callUuid": result["callUuid"], "state": "ABANDONED", "queue": "sales"}
    assert env.engine.queued() == []
    result = await env.call("queue:sales", userData={"Source": "ivr"})
    await set_state(env.engine, jdoe, "Ready")
    [call] = jdoe.session.interactions.values()
    assert (call.call_uuid, call.state) == (result["callUuid"], "RINGING")
    # With a ready agent in the queue, the next one rings at once (the routing picks who).
    asmith = await Agent.login(env.engine, "asmith", "secret2")
    await set_state(env.engine, asmith, "Ready")
    now = await env.call("queue:sales")
    assert (now["state"], now["queue"]) == ("RINGING", "sales")
    holder = env.engine.live_session(now["agent"])
    assert holder is not None
    assert [i.uuid for i in holder.interactions.values()][-1] == now["interactionUUID"]
    assert env.engine.queued() == []


async def test_call_refusals(env: Env) -> None:
    assert_error(await env.post("/sim/calls", {"to": "nobody", "from": "1"}), 404, "NOT_FOUND")
    assert_error(
        await env.post("/sim/calls", {"to": "queue:nope", "from": "1"}), 404, "NOT_FOUND", "nope"
    )
    assert_error(
        await env.post("/sim/calls", {"to": "asmith", "from": "1"}),
        409,
        "INVALID_STATE",
        "not logged in",
    )
    assert_error(
        await env.post("/sim/calls", {"to": "queue:mail", "from": "1"}),
        422,
        "INVALID_PARAMETER",
        "voice",
    )


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"from": "1"}, ["'to'", "required"]),
        ({"to": "jdoe"}, ["'from'", "required"]),
        ({"to": 5001, "from": "1"}, ["'to'", "string", "number"]),
        ({"to": "  ", "from": "1"}, ["'to'", "empty"]),
        ({"to": "jdoe", "from": "1", "form": "x"}, ["'form'", "to, from, dnis, userData"]),
        ({"to": "jdoe", "from": "1", "userData": []}, ["'userData'", "object"]),
        ({"to": "jdoe", "from": "1", "userData": {"A": {"b": 1}}}, ["'userData.A'", "object"]),
        ({"to": "jdoe", "from": "1", "userData": {"A": None}}, ["'userData.A'", "null"]),
        ({"to": "jdoe", "from": "1", "userData": {"": "x"}}, ["empty key"]),
        ({"to": "jdoe", "from": "1" * 129}, ["'from'", "128"]),
    ],
)
async def test_call_validation_is_422_naming_the_field(
    env: Env, body: dict[str, Any], words: list[str]
) -> None:
    await Agent.login(env.engine)
    assert_error(await env.post("/sim/calls", body), 422, "INVALID_PARAMETER", *words)
    assert env.engine.live_session("jdoe").interactions == {}  # type: ignore[union-attr]


async def test_malformed_bodies_are_400_and_huge_ones_413(env: Env) -> None:
    headers = {**AUTH, "content-type": "application/json"}
    for raw, words in (
        (b'{"to": "jdoe",', ["not valid JSON"]),
        (b"[1, 2]", ["JSON object", "array"]),
        (b'"jdoe"', ["JSON object", "string"]),
        (b"", ["needs a JSON body"]),
        (b'{"a": NaN}', ["not valid JSON"]),
    ):
        response = await env.post("/sim/calls", content=raw, headers=headers)
        assert_error(response, 400, "BAD_REQUEST", *words)
    huge = b'{"to": "' + b"x" * (rest.MAX_BODY_BYTES + 1) + b'"}'
    assert_error(await env.post("/sim/calls", content=huge, headers=headers), 413, "TOO_LARGE")


async def test_hangup_releases_and_a_second_hangup_is_409(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    frame_id = await watching(jdoe)
    call = await env.call()
    response = await env.post(f"/sim/calls/{call['callUuid']}/hangup")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["agent"], body["callUuid"]) == ("IDLE", "jdoe", call["callUuid"])
    assert "RELEASED" in jdoe.desktop.event_types(frame_id)
    again = await env.post(f"/sim/calls/{call['callUuid']}/hangup")
    assert_error(again, 409, "INVALID_STATE", "IDLE")
    assert_error(await env.post("/sim/calls/NOSUCHCALL/hangup"), 404, "NOT_FOUND", "NOSUCHCALL")


async def test_far_end_answers_an_outbound_call(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    dialer = await jdoe.frame("Dialer", DIALER)
    await jdoe.ok(dialer, "voice.dial", "noanswer-42")
    [dialed] = jdoe.session.interactions.values()
    assert dialed.state == "DIALING"
    response = await env.post(f"/sim/calls/{dialed.call_uuid}/answer")
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "TALKING"
    assert dialed.state == "TALKING"
    again = await env.post(f"/sim/calls/{dialed.call_uuid}/answer")
    assert_error(again, 409, "INVALID_STATE", "TALKING")
    inbound = await env.call()
    assert_error(
        await env.post(f"/sim/calls/{inbound['callUuid']}/answer"), 409, "INVALID_STATE", "inbound"
    )
    assert_error(await env.post("/sim/calls/UNKNOWN/answer"), 404, "NOT_FOUND")


async def test_internal_call_has_no_far_end_to_answer_but_can_be_hung_up(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    asmith = await Agent.login(env.engine, "asmith", "secret2")
    dialer = await jdoe.frame("Dialer", DIALER)
    await jdoe.ok(dialer, "voice.dial", "5002")
    [out] = jdoe.session.interactions.values()
    [ring] = asmith.session.interactions.values()
    assert out.call_uuid == ring.call_uuid
    assert_error(
        await env.post(f"/sim/calls/{out.call_uuid}/answer"), 409, "INVALID_STATE", "far end"
    )
    response = await env.post(f"/sim/calls/{out.call_uuid}/hangup")
    assert response.status_code == 200
    assert (out.state, ring.state) == ("IDLE", "IDLE")


# --------------------------------------------------------------------------- e-mail, chat


async def test_email_to_an_agent_and_to_a_queue(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    body = {
        "to": "jdoe",
        "from": "ada@example.com",
        "subject": "Order 1234",
        "body": "Where is it?",
        "userData": {"Order": "1234"},
    }
    response = await env.post("/sim/emails", body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["state"], result["agent"]) == ("INVITED", "jdoe")
    [mail] = jdoe.session.interactions.values()
    assert (mail.uuid, mail.sender, mail.subject, mail.body) == (
        result["interactionUUID"],
        "ada@example.com",
        "Order 1234",
        "Where is it?",
    )
    queued = await env.post("/sim/emails", {**body, "to": "queue:mail", "body": ""})
    assert queued.status_code == 201
    assert queued.json() == {"state": "QUEUED", "queue": "mail"}
    assert_error(
        await env.post("/sim/emails", {**body, "from": "not an address"}),
        422,
        "INVALID_PARAMETER",
        "'from'",
        "e-mail address",
    )
    missing = {k: v for k, v in body.items() if k != "subject"}
    assert_error(await env.post("/sim/emails", missing), 422, "INVALID_PARAMETER", "'subject'")


async def test_chat_messages_and_end(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    frame_id = await watching(jdoe)
    response = await env.post("/sim/chats", {"to": "jdoe", "from": "Ada", "message": "Hello?"})
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["state"] == "INVITED"
    chat_id = result["chatId"]
    [chat] = jdoe.session.interactions.values()
    assert chat.chat_id == chat_id
    said = await env.post(f"/sim/chats/{chat_id}/messages", {"message": "Anyone there?"})
    assert said.status_code == 200, said.text
    assert said.json()["messages"] == 2
    assert [m.text for m in chat.messages] == ["Hello?", "Anyone there?"]
    assert chat.messages[1].sender == "customer"
    assert "NEW_MESSAGE" in jdoe.desktop.event_types(frame_id)
    assert_error(await env.post(f"/sim/chats/{chat_id}/messages", {}), 422, "INVALID_PARAMETER")
    ended = await env.post(f"/sim/chats/{chat_id}/end")
    assert ended.status_code == 200
    assert ended.json()["state"] == "ENDED"
    assert "ENDED" in jdoe.desktop.event_types(frame_id)
    late = await env.post(f"/sim/chats/{chat_id}/messages", {"message": "Bye"})
    assert_error(late, 409, "INVALID_STATE", "ENDED")
    assert_error(await env.post(f"/sim/chats/{chat_id}/end"), 409, "INVALID_STATE")
    assert_error(await env.post("/sim/chats/nope/end"), 404, "NOT_FOUND", "'nope'")
    queued = await env.post("/sim/chats", {"to": "queue:sales", "from": "Bob", "message": "Hi"})
    assert queued.json()["state"] == "QUEUED"
    waiting = await env.post(f"/sim/chats/{queued.json()['chatId']}/messages", {"message": "?"})
    assert_error(waiting, 409, "INVALID_STATE", "waiting in queue 'sales'")
    left = await env.post(f"/sim/chats/{queued.json()['chatId']}/end")
    assert left.status_code == 200 and left.json()["state"] == "ABANDONED"
    assert env.engine.queued() == []


# --------------------------------------------------------------------------- administration


async def test_agents_list(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    await set_state(env.engine, jdoe, "Ready")
    await env.call()
    response = await env.get("/agents")
    assert response.status_code == 200
    agents = {a["username"]: a for a in response.json()["agents"]}
    assert list(agents) == ["jdoe", "asmith"]
    me = agents["jdoe"]
    assert me["loggedIn"] is True
    assert me["state"]["type"] == "READY"
    assert set(me["mediaStates"]) == {"voice", "email", "chat"}
    assert me["mediaStates"]["voice"]["operationName"] == "Ready"
    assert me["interactions"] == 1
    assert (me["number"], me["employeeId"], me["firstname"]) == ("5001", "1001", "John")
    assert me["roles"] == ["ROLE_AGENT", "ROLE_ADMIN"]
    assert agents["asmith"] == {
        "username": "asmith",
        "firstname": "Anna",
        "lastname": "Smith",
        "employeeId": "1002",
        "number": "5002",
        "roles": ["ROLE_AGENT"],
        "media": ["voice", "email", "chat"],
        "loggedIn": False,
        "state": None,
        "mediaStates": {},
        "interactions": 0,
    }
    assert_error(await env.get("/agents?x=1"), 422, "INVALID_PARAMETER", "'x'")


async def test_interactions_show_unfiltered_data_and_filter_by_agent(tmp_path: Path) -> None:
    engine, http = await make_env(tmp_path, rest_config(read="Public"))
    env = Env(engine, http)
    try:
        jdoe = await Agent.login(engine)
        await Agent.login(engine, "asmith", "secret2")
        await env.call("jdoe", userData={"Public": "yes", "Secret": "s3"})
        await env.call("asmith")
        everything = (await env.get("/interactions")).json()["interactions"]
        assert sorted(i["agent"] for i in everything) == ["asmith", "jdoe"]
        mine = (await env.get("/interactions", params={"agent": "jdoe"})).json()["interactions"]
        assert [i["agent"] for i in mine] == ["jdoe"]
        assert mine[0]["userData"] == {"Public": "yes", "Secret": "s3"}
        assert mine[0]["media"] == "voice"
        # A frame sees the read list applied; the admin does not.
        crm = await jdoe.frame("CRM", CRM, mine[0]["interactionId"])
        [seen] = await jdoe.ok(crm, "interaction.getInteractions")
        assert seen["userData"] == {"Public": "yes"}
        assert_error(
            await env.get("/interactions", params={"agent": "ghost"}), 404, "NOT_FOUND", "ghost"
        )
        assert_error(
            await env.get("/interactions", params={"agnet": "jdoe"}), 422, "INVALID_PARAMETER"
        )
    finally:
        await http.aclose()
        await engine.stop()


async def test_patch_user_data_sets_and_deletes(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    frame_id = await watching(jdoe)
    call = await env.call(userData={"Keep": "1", "Drop": "2"})
    uuid = call["interactionUUID"]
    before = len(jdoe.desktop.event_types(frame_id))
    response = await env.patch(
        f"/interactions/{uuid}/user-data", {"New": 7, "Keep": "one", "Drop": None, "Absent": None}
    )
    assert response.status_code == 200, response.text
    assert response.json()["userData"] == {"Keep": "one", "New": 7}
    [interaction] = jdoe.session.interactions.values()
    assert interaction.user_data == {"Keep": "one", "New": 7}
    events = jdoe.desktop.event_types(frame_id)[before:]
    assert events == ["ATTACHED_DATA_CHANGED", "ATTACHED_DATA_CHANGED"]
    stored = await env.engine.store.load_sessions()
    assert stored[0].interactions[interaction.interaction_id].user_data == {"Keep": "one", "New": 7}

    assert_error(await env.patch("/interactions/nope/user-data", {"A": "1"}), 404, "NOT_FOUND")
    assert_error(
        await env.patch(f"/interactions/{uuid}/user-data", {"A": [1]}),
        422,
        "INVALID_PARAMETER",
        "'A'",
    )
    assert_error(await env.patch(f"/interactions/{uuid}/user-data", [1]), 400, "BAD_REQUEST")
    await env.post(f"/sim/calls/{call['callUuid']}/hangup")
    assert_error(
        await env.patch(f"/interactions/{uuid}/user-data", {"A": "1"}), 409, "INVALID_STATE"
    )
    # Deleting from an ended call is allowed (as for interaction.deleteUserData).
    deleted = await env.patch(f"/interactions/{uuid}/user-data", {"New": None})
    assert deleted.json()["userData"] == {"Keep": "one"}


async def test_outbox_lists_sent_mails(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    assert (await env.get("/outbox")).json() == {"messages": []}
    cc = env.engine.contact_center

    def send(fx: Any) -> None:
        mail = cc.create_email(fx, jdoe.session, "ada@example.com", {"Case": "9"})
        cc.send_email(fx, jdoe.session, mail, "Re: order", "On its way.")

    await env.engine.run(send)
    [message] = (await env.get("/outbox")).json()["messages"]
    assert message["to"] == "ada@example.com"
    assert (message["subject"], message["body"], message["agent"]) == (
        "Re: order",
        "On its way.",
        "jdoe",
    )
    assert message["userData"] == {"Case": "9"}


async def test_audit_log_with_filters(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    crm_call = await env.call()
    crm = await jdoe.frame("CRM", CRM, crm_call["interactionId"])
    notes = await jdoe.frame("Notes", NOTES, crm_call["interactionId"])
    await jdoe.ok(crm, "agent.getState")
    await jdoe.fails(notes, "voice.dial", "5002")
    await jdoe.fails(crm, "voice.hold", crm_call["interactionId"])
    # Read at once: the endpoint writes the rows the engine still holds in memory.
    rows = (await env.get("/audit")).json()["entries"]
    assert [(r["request"], r["outcome"]) for r in rows] == [
        ("agent.getState", "allowed"),
        ("voice.dial", "refused:filter"),
        ("voice.hold", "failed"),
    ]
    first = rows[0]
    assert set(first) == {
        "at",
        "agent",
        "frame",
        "origin",
        "request",
        "outcome",
        "detail",
        "durationMs",
    }
    assert (first["agent"], first["frame"], first["origin"]) == ("jdoe", "f-1", CRM)
    refused = (await env.get("/audit", params={"outcome": "refused"})).json()["entries"]
    assert [(r["request"], r["origin"]) for r in refused] == [("voice.dial", NOTES)]
    failed = (await env.get("/audit", params={"outcome": "failed"})).json()["entries"]
    assert [r["request"] for r in failed] == ["voice.hold"]
    assert (await env.get("/audit", params={"agent": "asmith"})).json()["entries"] == []
    newest = (await env.get("/audit", params={"limit": "1"})).json()["entries"]
    assert [r["request"] for r in newest] == ["voice.hold"]
    for bad in ("0", "-1", "abc", str(rest.MAX_AUDIT_LIMIT + 1)):
        response = await env.get("/audit", params={"limit": bad})
        assert_error(response, 422, "INVALID_PARAMETER", "'limit'")


async def test_unexpected_failure_is_500_without_a_trace(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken() -> list[dict[str, Any]]:
        raise RuntimeError("disk on fire /secret/path")

    monkeypatch.setattr(env.engine.store, "outbox", broken)
    response = await env.get("/outbox")
    message = assert_error(response, 500, "INTERNAL", "server log")
    assert "disk on fire" not in message


async def test_other_methods_are_405_in_the_error_shape(env: Env) -> None:
    response = await env.http.delete("/api/v1/sim/calls", headers=AUTH)
    assert_error(response, 405, "METHOD_NOT_ALLOWED", "POST")
    assert response.headers["allow"] == "POST"
    head = await env.http.head("/api/v1/agents", headers=AUTH)
    assert head.status_code == 200


# --------------------------------------------------------------------------- OpenAPI


def _site_routes(engine: Engine) -> list[Route]:
    site: object = build_site(engine)
    app = getattr(site, "app", site)  # inside the security-headers middleware
    assert isinstance(app, Starlette)
    return [r for r in app.routes if isinstance(r, Route)]


def _documented(route: Route) -> bool:
    return route.path.startswith(rest.PREFIX + "/") or route.path in ("/healthz", "/metrics")


async def test_openapi_paths_match_the_app_routes(env: Env) -> None:
    document = (await env.get("/openapi.json")).json()
    paths = document["paths"]
    routes = [r for r in _site_routes(env.engine) if _documented(r)]
    assert {r.path for r in routes} == set(paths)
    for route in routes:
        documented = {m.upper() for m in paths[route.path]}
        assert route.methods is not None
        if route.methods != set(rest.ROUTE_METHODS):
            assert documented == route.methods - {"HEAD"}, route.path
        else:  # an API route: it takes the documented methods and answers 405 otherwise
            for method in documented:
                assert any(
                    rest.PREFIX + o.path == route.path and o.method == method
                    for o in rest.OPERATIONS
                ), (method, route.path)
            undocumented = {"GET", "POST", "PATCH", "PUT", "DELETE"} - documented
            for method in undocumented:
                response = await env.http.request(method, route.path, headers=AUTH)
                assert response.status_code == 405, (method, route.path)


async def test_openapi_document_is_consistent(env: Env) -> None:
    document = (await env.get("/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    schemes = document["components"]["securitySchemes"]
    assert schemes["adminToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["adminToken"]["description"],
    }
    assert schemes["adminSession"]["in"] == "cookie"
    assert schemes["adminSession"]["name"] == SESSION_COOKIE

    refs: list[str] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    assert refs
    for ref in refs:
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), ref
    call = document["paths"]["/api/v1/sim/calls"]["post"]
    assert set(call["responses"]) == {"201", "400", "401", "403", "404", "409", "413", "422"}
    assert document["components"]["schemas"]["SimCall"]["required"] == ["to", "from"]
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


@pytest.mark.parametrize("body", [rest.CALL_BODY, rest.EMAIL_BODY, rest.CHAT_BODY])
async def test_each_documented_required_field_is_enforced(env: Env, body: rest.Body) -> None:
    await Agent.login(env.engine)
    path = {"SimCall": "/sim/calls", "SimEmail": "/sim/emails", "SimChat": "/sim/chats"}[body.name]
    document = (await env.get("/openapi.json")).json()
    schema = document["components"]["schemas"][body.name]
    full = {"to": "jdoe", "from": "ada@example.com", "subject": "s", "body": "b", "message": "m"}
    complete = {k: v for k, v in full.items() if k in schema["properties"]}
    assert (await env.post(path, complete)).status_code == 201
    for name in schema["required"]:
        partial = {k: v for k, v in complete.items() if k != name}
        assert_error(await env.post(path, partial), 422, "INVALID_PARAMETER", f"'{name}'")


# --------------------------------------------------------------------------- metrics


def _samples(text: str) -> dict[str, float]:
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


async def test_metrics_after_frame_requests(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    call = await env.call()
    crm = await jdoe.frame("CRM", CRM, call["interactionId"])
    notes = await jdoe.frame("Notes", NOTES, call["interactionId"])
    await jdoe.subscribe(crm, "interaction")
    for _ in range(3):
        await jdoe.ok(crm, "agent.getState")
    await jdoe.fails(notes, "voice.dial", "5002")
    await jdoe.fails(crm, "no.suchThing")
    await jdoe.ok(crm, "sipEndpoint.isMicrophoneMute")
    await env.get("/agents", headers={})  # a 401 is counted too
    await env.post(f"/sim/calls/{call['callUuid']}/hangup")

    response = await env.http.get("/metrics")  # no credentials needed
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = response.text
    assert "# TYPE wwe_host_requests_total counter" in text
    assert "# TYPE wwe_host_request_duration_seconds histogram" in text
    samples = _samples(text)
    ok = 'wwe_host_requests_total{request="agent.getState",outcome="allowed"}'
    assert samples[ok] == 3
    assert samples['wwe_host_requests_total{request="voice.dial",outcome="refused:filter"}'] == 1
    assert samples['wwe_host_requests_total{request="unknown",outcome="failed"}'] == 1
    alias = 'wwe_host_requests_total{request="voice.isMicrophoneMute",outcome="allowed"}'
    assert samples[alias] == 1
    assert samples['wwe_host_requests_total{request="subscribe",outcome="allowed"}'] == 1
    buckets = [
        (float(m.group(1)) if m.group(1) != "+Inf" else float("inf"), value)
        for name, value in samples.items()
        if (
            m := re.fullmatch(
                r'wwe_host_request_duration_seconds_bucket\{request="agent.getState",le="([^"]+)"\}',
                name,
            )
        )
    ]
    bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0]
    assert [b for b, _ in buckets] == [*bounds, float("inf")]
    counts = [v for _, v in buckets]
    assert counts == sorted(counts) and counts[-1] == 3
    assert samples['wwe_host_request_duration_seconds_count{request="agent.getState"}'] == 3
    assert samples['wwe_host_request_duration_seconds_sum{request="agent.getState"}'] >= 0
    assert samples["wwe_host_sessions"] == 1
    assert samples["wwe_host_frames"] == 2
    assert samples['wwe_host_events_total{topic="interaction"}'] >= 4
    assert samples['wwe_host_queued_interactions{queue="sales"}'] == 0
    unauthorized = 'wwe_host_admin_requests_total{route="/api/v1/agents",method="GET",status="401"}'
    assert samples[unauthorized] == 1
    created = 'wwe_host_admin_requests_total{route="/api/v1/sim/calls",method="POST",status="201"}'
    assert samples[created] == 1


def test_metrics_label_values_are_bounded_and_escaped() -> None:
    from wwe_host.web.metrics import escape, request_label, topic_label

    assert request_label('evil"name\n' * 100) == "unknown"
    assert request_label(None) == "unknown"
    assert request_label("interaction.unlockMarkdone") == "interaction.unblockMarkdone"
    assert topic_label("messenger:any-channel-at-all") == "messenger"
    assert escape('a"b\\c\nd') == 'a\\"b\\\\c\\nd'


async def test_unknown_api_paths_answer_json(env: Env) -> None:
    response = await env.http.get("/api/v1/nothing-here", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
    page = await env.http.get("/no-such-page")
    assert page.status_code == 404 and "error" not in page.text
