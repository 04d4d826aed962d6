"""The simulated outside world (web/rest/simulation.py) through the app: calls,
e-mails, chats, far ends, queues."""

from __future__ import annotations

import re
from pathlib import Path

from engine_support import CRM, DIALER, Agent, set_state
from rest_support import AUTH, Env, assert_error, make_env, rest_config, watching

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
    assert [list(s.session.interactions) for s in stored] == [[call.interaction_id]]


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


# --------------------------------------------------------------------------- consult far ends


async def test_a_consulted_number_answers_and_hangs_up_through_the_rest_api(env: Env) -> None:
    jdoe = await Agent.login(env.engine)
    placed = await env.call("jdoe")
    main_id = placed["interactionId"]
    answer = env.engine.contact_center.answer
    session = jdoe.session
    await env.engine.run(lambda fx: answer(fx, session, session.interactions[main_id]))
    crm = await jdoe.frame("CRM", CRM, main_id)
    consult_id = await jdoe.ok(
        crm,
        "interaction.consult",
        main_id,
        {"type": "DN", "destination": "noanswer-5"},
        None,
        {"Trunk": "2"},
    )
    leg = session.interactions[consult_id]
    listed = (await env.get("/interactions")).json()["interactions"]
    shown = next(i for i in listed if i["interactionId"] == consult_id)
    assert (shown["isConsultation"], shown["callType"], shown["extensions"]) == (
        True,
        "CONSULT",
        {"Trunk": "2"},
    )
    answered = await env.post(f"/sim/calls/{leg.call_uuid}/answer")
    assert answered.status_code == 200 and answered.json()["state"] == "TALKING"
    released = await env.post(f"/sim/calls/{leg.call_uuid}/hangup")
    assert released.status_code == 200 and released.json()["state"] == "IDLE"
    # The customer's call is untouched, still held for the agent to resume.
    assert session.interactions[main_id].state == "HELD"
    complete = await jdoe.fails(crm, "interaction.completeTransfer", consult_id)
    assert complete["errorMessage"] == (
        f"Cannot complete the transfer of interaction '{consult_id}': it is IDLE."
    )
