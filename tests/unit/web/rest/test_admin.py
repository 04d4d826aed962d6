"""The host's state for the administrator (web/rest/admin.py) through the app: agents,
interactions, attached data, outbox, audit."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from types import MappingProxyType
from typing import Any

from engine_support import CRM, NOTES, Agent, set_state
from rest_support import (
    Env,
    assert_error,
    make_env,
    rest_config,
    schema_validator,
    watching,
)

from wwe_host.web import rest

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
        "dialogs": [],
        "menuItems": [],
    }
    assert (me["dialogs"], me["menuItems"]) == ([], [])
    assert_error(await env.get("/agents?x=1"), 422, "INVALID_PARAMETER", "'x'")


async def test_agents_list_shows_open_dialogs_and_menu_bar_items(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    await env.call()
    [call] = (await env.get("/interactions", params={"agent": "jdoe"})).json()["interactions"]
    crm = await jdoe.frame("CRM", CRM, call["interactionId"])
    url = f"{CRM}/dialog.html?id=$Dialog.Id$"
    dialog_id = await jdoe.ok(crm, "system.openDialog", url, {"label": "Notes"})
    await jdoe.ok(crm, "system.updateViewInApplicationMenuBar", {"name": "n", "label": "Leads"})
    response = await env.get("/agents")
    assert response.status_code == 200
    me = next(a for a in response.json()["agents"] if a["username"] == "jdoe")
    assert me["dialogs"] == [
        {"dialogId": dialog_id, "url": url, "label": "Notes", "openerOrigin": CRM}
    ]
    assert me["menuItems"] == [{"name": "n", "label": "Leads", "origin": CRM}]
    await jdoe.ok(crm, "system.closeDialog", dialog_id)
    await jdoe.ok(crm, "system.closeViewInApplicationMenuBar", "n")
    me = next(a for a in (await env.get("/agents")).json()["agents"] if a["username"] == "jdoe")
    assert (me["dialogs"], me["menuItems"]) == ([], [])


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
    stored_call = stored[0].session.interactions[interaction.interaction_id]
    assert stored_call.user_data == {"Keep": "one", "New": 7}

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


async def test_a_store_that_cannot_be_read_is_503_naming_why(env: Env, tmp_path: Path) -> None:
    """The SQLite file lost a table behind the server's back (a damaged store): the reads
    that need it answer 503 with the reason in one line, not a 500 or a traceback."""
    with sqlite3.connect(tmp_path / "wwe-host.db") as db:
        db.execute("DROP TABLE outbox")
        db.execute("DROP TABLE audit_batch")
    for path in ("/outbox", "/audit"):
        message = assert_error(await env.get(path), 503, "UNAVAILABLE", "cannot read its store")
        assert "no such table" in message and "wwe-host.db" in message
    assert (await env.get("/agents")).status_code == 200  # what needs no such read still works


# --------------------------------------------------------------------------- queues


async def test_queues_list_what_waits_oldest_first_and_what_left(env: Env) -> None:
    empty = await env.get("/queues")
    assert empty.status_code == 200
    assert empty.json() == {
        "queues": [
            {
                "name": "sales",
                "configured": True,
                "media": ["voice", "email", "chat"],
                "agents": ["jdoe", "asmith"],
                "waiting": [],
            },
            {
                "name": "mail",
                "configured": True,
                "media": ["email"],
                "agents": ["asmith"],
                "waiting": [],
            },
        ]
    }
    call = await env.call("queue:sales", userData={"Source": "ivr"}, dnis="8000")
    mail = await env.post(
        "/sim/emails",
        {"to": "queue:mail", "from": "a@b.example", "subject": "Invoice", "body": "?"},
    )
    chat = (
        await env.post("/sim/chats", {"to": "queue:sales", "from": "Ann", "message": "hi"})
    ).json()
    assert mail.status_code == 201
    queues = {q["name"]: q for q in (await env.get("/queues")).json()["queues"]}
    sales = queues["sales"]["waiting"]
    assert [i["media"] for i in sales] == ["voice", "chat"]  # oldest first
    voice = sales[0]
    assert voice["callUuid"] == call["callUuid"]
    assert (voice["from"], voice["dnis"], voice["userData"]) == (
        "5550100",
        "8000",
        {"Source": "ivr"},
    )
    assert isinstance(voice["enqueuedAt"], float) and voice["itemId"]
    assert "subject" not in voice and "chatId" not in voice
    assert sales[1]["chatId"] == chat["chatId"] and sales[1]["from"] == "Ann"
    [invoice] = queues["mail"]["waiting"]
    assert (invoice["subject"], invoice["from"], invoice["media"]) == (
        "Invoice",
        "a@b.example",
        "email",
    )
    # The answer is what the OpenAPI document says it is.
    validator = schema_validator("QueueList")
    validator.validate((await env.get("/queues")).json())
    # The caller who hangs up leaves the queue; a ready agent takes the chat.
    await env.post(f"/sim/calls/{call['callUuid']}/hangup")
    jdoe = await Agent.login(env.engine)
    await set_state(env.engine, jdoe, "Ready")
    queues = {q["name"]: q for q in (await env.get("/queues")).json()["queues"]}
    assert queues["sales"]["waiting"] == []
    assert len(queues["mail"]["waiting"]) == 1
    assert_error(await env.get("/queues?x=1"), 422, "INVALID_PARAMETER", "'x'")


async def test_queues_need_the_admin_token(env: Env) -> None:
    response = await env.http.get("/api/v1/queues")
    assert_error(response, 401, "UNAUTHORIZED")


async def test_a_queue_gone_from_the_configuration_still_shows_what_waits(tmp_path: Path) -> None:
    engine, http = await make_env(tmp_path, rest_config())
    try:
        pushed = await Env(engine, http).post(
            "/sim/emails", {"to": "queue:mail", "from": "a@b.example", "subject": "S", "body": ""}
        )
        assert pushed.status_code == 201
    finally:
        await http.aclose()
        await engine.stop()
    # Restarted on the same store with [queue:mail] removed from the file.
    config = rest_config()
    without_mail = dataclasses.replace(
        config, queues=MappingProxyType({"sales": config.queues["sales"]})
    )
    engine, http = await make_env(tmp_path, without_mail)
    try:
        queues = (await Env(engine, http).get("/queues")).json()["queues"]
        assert [(q["name"], q["configured"]) for q in queues] == [
            ("sales", True),
            ("mail", False),
        ]
        assert queues[1]["media"] == [] and queues[1]["agents"] == []
        assert [i["subject"] for i in queues[1]["waiting"]] == ["S"]
    finally:
        await http.aclose()
        await engine.stop()
