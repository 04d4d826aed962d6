"""The simulator as both ports: the agent-facing ``ContactCenter`` and the far-end
``SimulatorControls`` the simulation API drives."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import DIALER, Agent, advance, make_config, started_engine

from wwe_host.api.desktop import ACTIONS
from wwe_host.contact_center.base import ContactCenter
from wwe_host.core.views import desktop_interaction
from wwe_host.errors import ApiError
from wwe_host.simulator import Simulator, SimulatorControls
from wwe_host.simulator.backend import quoted_subject


def test_the_agent_facing_port_has_no_simulator_controls() -> None:
    controls = {"far_end_answer", "far_end_release", "customer_message", "customer_left"}
    inbound = {"inbound_call", "inbound_email", "inbound_chat"}
    agent_facing = {n for n in vars(ContactCenter) if not n.startswith("_")}
    assert agent_facing.isdisjoint(controls | inbound)
    assert controls | inbound <= {n for n in dir(SimulatorControls) if not n.startswith("_")}


async def test_the_engine_uses_one_simulator_for_both_ports(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    assert isinstance(engine.contact_center, Simulator)
    assert engine.simulator is engine.contact_center
    await engine.stop()


async def test_the_far_end_of_an_internal_call_is_the_other_agent(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    caller = await Agent.login(engine)
    await Agent.login(engine, "asmith", "secret2")
    tab = await caller.frame("Dialer", DIALER)
    iid = (await caller.ok(tab, "voice.dial", "5002"))["interactionId"]
    call = caller.session.interactions[iid]

    def answer(fx: object) -> None:
        engine.simulator.far_end_answer(fx, caller.session, call)  # type: ignore[arg-type]

    with pytest.raises(ApiError) as refused:
        await engine.run(answer)
    assert refused.value.message == (
        f"Call '{call.call_uuid}' has no simulated far end to answer it."
    )
    await engine.stop()


# --- outcomes: how a call ended, in words the desktop shows -------------------------------


async def dial(agent: Agent, destination: str) -> str:
    tab = await agent.frame("Dialer", DIALER)
    return str((await agent.ok(tab, "voice.dial", destination))["interactionId"])


async def test_a_busy_number_ends_busy(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    iid = await dial(agent, "busy-1")
    await advance(engine, 0.05)
    call = agent.session.interactions[iid]
    assert (call.state, call.outcome, call.error) == ("IDLE", "busy", "busy")
    assert call.answered_at is None
    await engine.stop()


async def test_a_logged_out_agent_is_not_available(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    iid = await dial(agent, "5002")  # asmith's number; asmith is not logged in
    await advance(engine, 0.05)
    call = agent.session.interactions[iid]
    assert (call.state, call.outcome) == ("IDLE", "not-available")
    await engine.stop()


async def test_giving_up_on_a_ringing_number_is_no_answer(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    iid = await dial(agent, "noanswer-1")
    await advance(engine, 30)
    await engine.agent_operation(
        agent.session_id, lambda call: ACTIONS["hangUp"](call, {"interactionId": iid})
    )
    call = agent.session.interactions[iid]
    assert (call.state, call.outcome) == ("IDLE", "no-answer")
    assert call.ended_at == engine.now()
    await engine.stop()


async def test_a_caller_who_hangs_up_while_ringing_is_a_missed_call(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    offered = await engine.simulation.call("jdoe", "+15550100", None, None)
    assert offered.call_uuid is not None
    await advance(engine, 10)
    await engine.simulation.hang_up(offered.call_uuid)
    call = agent.session.interactions[offered.interaction_id]
    assert (call.state, call.outcome) == ("IDLE", "missed")
    await engine.stop()


@pytest.mark.parametrize(
    ("who", "caller_outcome", "callee_outcome"),
    [("callee", "busy", "declined"), ("caller", "no-answer", "missed")],
    ids=["declined-by-the-callee", "given-up-by-the-caller"],
)
async def test_an_internal_call_hung_up_while_ringing(
    tmp_path: Path, who: str, caller_outcome: str, callee_outcome: str
) -> None:
    engine = await started_engine(tmp_path, make_config())
    caller = await Agent.login(engine)
    callee = await Agent.login(engine, "asmith", "secret2")
    iid = await dial(caller, "5002")
    ring = next(iter(callee.session.interactions.values()))
    agent, target = (callee, ring.interaction_id) if who == "callee" else (caller, iid)
    await engine.agent_operation(
        agent.session_id, lambda call: ACTIONS["hangUp"](call, {"interactionId": target})
    )
    assert caller.session.interactions[iid].outcome == caller_outcome
    assert ring.outcome == callee_outcome
    await engine.stop()


async def test_the_call_timer_runs_from_answer_to_release(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    offered = await engine.simulation.call("jdoe", "+15550100", None, None)
    assert offered.call_uuid is not None
    iid = offered.interaction_id
    created = agent.session.interactions[iid].created_at
    await advance(engine, 7)  # ringing: not counted
    await engine.agent_operation(
        agent.session_id, lambda call: ACTIONS["answer"](call, {"interactionId": iid})
    )
    await advance(engine, 20)
    await engine.simulation.hang_up(offered.call_uuid)  # the customer ends a talking call
    call = agent.session.interactions[iid]
    assert call.answered_at == created + 7
    assert call.ended_at == created + 27
    assert call.outcome == "far-end-released"
    shown = desktop_interaction(agent.session, call)  # what the desktop's snapshot says
    assert (shown["answeredAt"], shown["endedAt"]) == (created + 7, created + 27)
    assert shown["outcome"] == "far-end-released"
    await engine.stop()


async def test_a_chat_left_before_it_was_accepted_is_abandoned(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    chat = await engine.simulation.chat("jdoe", "Ada", "Hello", None)
    assert chat.chat_id is not None
    await engine.simulation.end_chat(chat.chat_id)
    interaction = agent.session.interactions[chat.interaction_id]
    assert (interaction.state, interaction.outcome) == ("ENDED", "abandoned")
    await engine.stop()


async def test_an_outcome_survives_a_restart(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    iid = await dial(agent, "busy-1")
    await advance(engine, 0.05)
    session_id = agent.session_id
    await engine.stop()
    again = await started_engine(tmp_path, make_config())
    restored = again.session_by_id(session_id)
    assert restored is not None
    assert restored.interactions[iid].outcome == "busy"
    await again.stop()


# --- e-mail reply and forward ---------------------------------------------------------------


async def received_mail(engine: object, agent: Agent) -> str:
    delivered = await engine.simulation.email(  # type: ignore[attr-defined]
        "jdoe", "ada@example.com", "Order 42", "Where is it?\nThanks", None
    )
    iid = str(delivered.interaction_id)
    await engine.agent_operation(  # type: ignore[attr-defined]
        agent.session_id, lambda call: ACTIONS["accept"](call, {"interactionId": iid})
    )
    return iid


async def test_a_reply_is_a_new_mail_in_the_same_case_quoting_the_original(
    tmp_path: Path,
) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    original_id = await received_mail(engine, agent)
    created = await engine.agent_operation(
        agent.session_id,
        lambda call: ACTIONS["replyEmail"](call, {"interactionId": original_id}),
    )
    original = agent.session.interactions[original_id]
    reply = agent.session.interactions[created["interactionId"]]
    assert (reply.state, reply.case_id) == ("CREATED", original.case_id)
    assert reply.parent_interaction_id == original_id
    assert (reply.recipient, reply.subject) == ("ada@example.com", "Re: Order 42")
    assert reply.body is not None and reply.body.endswith("wrote:\n> Where is it?\n> Thanks")
    assert agent.session.selected_case == original.case_id
    await engine.agent_operation(
        agent.session_id,
        lambda call: ACTIONS["sendEmail"](
            call,
            {
                "interactionId": reply.interaction_id,
                "subject": reply.subject,
                "body": "On its way.",
            },
        ),
    )
    outbox = await engine.store.outbox()
    assert (outbox[-1]["to"], outbox[-1]["subject"]) == ("ada@example.com", "Re: Order 42")
    await engine.stop()


async def test_a_forward_needs_a_recipient_and_quotes_the_headers(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    original_id = await received_mail(engine, agent)
    created = await engine.agent_operation(
        agent.session_id,
        lambda call: ACTIONS["replyEmail"](call, {"interactionId": original_id, "forward": True}),
    )
    forward = agent.session.interactions[created["interactionId"]]
    assert (forward.recipient, forward.subject) == (None, "Fwd: Order 42")
    assert forward.body is not None and "From: ada@example.com" in forward.body
    assert "Subject: Order 42" in forward.body
    with pytest.raises(ApiError) as refused:
        await engine.agent_operation(
            agent.session_id,
            lambda call: ACTIONS["sendEmail"](
                call, {"interactionId": forward.interaction_id, "subject": "x", "body": "y"}
            ),
        )
    assert refused.value.message == "'to' is required: whom is it for?"
    await engine.agent_operation(
        agent.session_id,
        lambda call: ACTIONS["sendEmail"](
            call,
            {
                "interactionId": forward.interaction_id,
                "to": "bo@example.com",
                "subject": "x",
                "body": "y",
            },
        ),
    )
    assert forward.state == "SENT" and forward.recipient == "bo@example.com"
    await engine.stop()


async def test_an_empty_mail_is_refused_and_a_draft_cannot_be_replied_to(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config())
    agent = await Agent.login(engine)
    draft = await engine.agent_operation(
        agent.session_id, lambda call: ACTIONS["createEmail"](call, {"to": "ada@example.com"})
    )
    iid = draft["interactionId"]
    with pytest.raises(ApiError) as empty:
        await engine.agent_operation(
            agent.session_id,
            lambda call: ACTIONS["sendEmail"](
                call, {"interactionId": iid, "subject": " ", "body": ""}
            ),
        )
    assert empty.value.message == "Nothing to send: the subject and the body are empty."
    assert agent.session.interactions[iid].state == "CREATED"
    with pytest.raises(ApiError) as draft_reply:
        await engine.agent_operation(
            agent.session_id, lambda call: ACTIONS["replyEmail"](call, {"interactionId": iid})
        )
    assert draft_reply.value.message == (
        f"Cannot reply to interaction '{iid}': it is a draft, not a received or sent e-mail."
    )
    await engine.stop()


def test_subjects_are_prefixed_once() -> None:
    assert quoted_subject("RE: Order", "Re") == "RE: Order"
    assert quoted_subject("Order", "Fwd") == "Fwd: Order"
    assert quoted_subject("", "Re") == "Re: "
