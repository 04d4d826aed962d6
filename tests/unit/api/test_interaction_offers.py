"""interaction.accept and interaction.reject (api-9.md): offers answered or declined; a
routed item goes back to its queue for the next idle agent, a direct call gives busy."""

from __future__ import annotations

from pathlib import Path

from engine_support import advance, set_state
from transfer_support import Team

from wwe_host.simulator.transfers import REJECT_HOLD_OFF


async def ready(team: Team, *names: str) -> None:
    for name in names:
        await set_state(team.engine, team.agents[name], "Ready")


async def test_accept_answers_a_call_and_accepts_invitations(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    call = await team.engine.simulation.call("jdoe", "+15550100", None, None)
    mail = await team.engine.simulation.email("jdoe", "ada@example.com", "Hi", "Body", None)
    chat = await team.engine.simulation.chat("jdoe", "Ada", "Hello", None)
    for offered, state in ((call, "TALKING"), (mail, "ACCEPTED"), (chat, "ACCEPTED")):
        assert offered.interaction_id is not None
        assert await team.ok("jdoe", "interaction.accept", offered.interaction_id) is None
        assert team.call("jdoe", offered.interaction_id).state == state
    assert call.interaction_id is not None
    again = await team.fails("jdoe", "interaction.accept", call.interaction_id)
    assert again["errorCode"] == "INVALID_STATE"
    assert (
        again["errorMessage"]
        == f"Cannot answer interaction '{call.interaction_id}': it is TALKING."
    )
    unknown = await team.fails("jdoe", "interaction.accept", "99")
    assert (unknown["errorCode"], unknown["errorMessage"]) == (
        "NOT_FOUND",
        "Unknown interaction '99'.",
    )
    await team.stop()


async def test_rejecting_a_direct_call_gives_the_caller_busy(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    dialled = await team.ok("asmith", "voice.dial", "5001")
    ring = team.ringing("jdoe")
    assert await team.ok("jdoe", "interaction.reject", ring.interaction_id) is None
    assert ring.interaction_id not in team.agents["jdoe"].session.interactions
    assert [i["state"] for i in team.events("jdoe", "REMOVED")] == ["IDLE"]
    caller = team.call("asmith", dialled["interactionId"])
    assert (caller.state, caller.error) == ("IDLE", "busy")
    # A customer's direct call leaves the desktop too (its caller hears busy).
    customer = await team.engine.simulation.call("jdoe", "+15550100", None, None)
    assert customer.interaction_id is not None
    await team.ok("jdoe", "interaction.reject", customer.interaction_id)
    assert team.calls("jdoe") == []
    await team.stop()


async def test_a_rejected_routed_call_goes_to_the_next_idle_agent(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    await ready(team, "jdoe", "asmith")
    await advance(team.engine, 1)
    await ready(team, "bkim")
    offered = await team.engine.simulation.call("queue:sales", "+15550100", None, {"A": "1"})
    assert offered.agent == "jdoe" and offered.interaction_id is not None
    await team.ok("jdoe", "interaction.reject", offered.interaction_id)
    assert team.calls("jdoe") == []
    again = team.ringing("asmith")
    assert (again.ani, again.call_uuid, again.user_data) == (
        "+15550100",
        offered.call_uuid,
        {"A": "1"},
    )
    # asmith rejects too: bkim gets it, never jdoe or asmith at once.
    await team.ok("asmith", "interaction.reject", again.interaction_id)
    assert team.ringing("bkim").call_uuid == offered.call_uuid
    assert team.calls("jdoe") == [] and team.calls("asmith") == []
    await team.stop()


async def test_the_only_agent_gets_a_rejected_item_again_after_the_hold_off(
    tmp_path: Path,
) -> None:
    team = await Team.start(tmp_path)
    await ready(team, "jdoe")
    offered = await team.engine.simulation.chat("queue:sales", "Ada", "Hello", None)
    assert offered.agent == "jdoe" and offered.interaction_id is not None
    await team.ok("jdoe", "interaction.reject", offered.interaction_id)
    assert [i["state"] for i in team.events("jdoe", "REVOKED")] == ["REVOKED"]
    # Back in its queue, not vanished, and not offered to jdoe at once.
    assert [q.chat_id for q in team.engine.queued()] == [offered.chat_id]
    assert team.agents["jdoe"].session.interactions == {}
    await advance(team.engine, REJECT_HOLD_OFF + 0.1)
    [chat] = team.agents["jdoe"].session.interactions.values()
    assert (chat.state, chat.chat_id, chat.queue) == ("INVITED", offered.chat_id, "sales")
    assert [m.text for m in chat.messages] == ["Hello"]
    assert team.engine.queued() == []
    await team.stop()


async def test_reject_refuses_what_is_not_an_offer(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    iid, _ = await team.customer_call()
    refused = await team.fails("jdoe", "interaction.reject", iid)
    assert refused["errorCode"] == "INVALID_STATE"
    assert refused["errorMessage"] == (
        f"Cannot reject interaction '{iid}': it is TALKING (only a ringing call or an "
        f"invitation can be rejected)."
    )
    assert (await team.fails("jdoe", "interaction.reject", "42"))["errorCode"] == "NOT_FOUND"
    bad = await team.fails("jdoe", "interaction.reject", iid, "extra")
    assert bad["errorCode"] == "INVALID_PARAMETER"
    await team.stop()


async def test_mark_done_refuses_an_invitation_that_would_drop_the_customer(
    tmp_path: Path,
) -> None:
    team = await Team.start(tmp_path)
    await ready(team, "jdoe")
    chat = await team.engine.simulation.chat("queue:sales", "Ada", "Hello", None)
    mail = await team.engine.simulation.email("jdoe", "ada@example.com", "Hi", "Body", None)
    for offered in (chat, mail):
        assert offered.interaction_id is not None
        refused = await team.fails("jdoe", "interaction.markdone", offered.interaction_id)
        assert (refused["errorCode"], refused["errorMessage"]) == (
            "INVALID_STATE",
            f"Cannot mark done interaction '{offered.interaction_id}': it is an invitation "
            "(INVITED); accept it, or reject it to return it to its queue.",
        )
        assert team.call("jdoe", offered.interaction_id).state == "INVITED"
    # Rejected instead, the chat waits in its queue; accepted, the mail can be marked done.
    assert chat.interaction_id is not None and mail.interaction_id is not None
    await team.ok("jdoe", "interaction.reject", chat.interaction_id)
    assert [q.chat_id for q in team.engine.queued()] == [chat.chat_id]
    await team.ok("jdoe", "interaction.accept", mail.interaction_id)
    assert await team.ok("jdoe", "interaction.markdone", mail.interaction_id) is None
    assert team.agents["jdoe"].session.interactions == {}
    await team.stop()
