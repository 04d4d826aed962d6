"""interaction.consult, completeTransfer, completeConference (api-9.md): the consult leg,
the customer moved to the consulted agent, three-party calls that survive one leaving."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import CRM, advance, set_state
from transfer_support import Team

from wwe_host.errors import ApiError

ASMITH = {"type": "AGENT", "destination": "asmith"}
TARGET = "Parameter 2 'target' of 'interaction.consult'"


async def test_consult_holds_the_call_and_dials_the_target(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call(user_data={"Order": "17", "Tier": "gold"})
    consult_id = await team.ok(
        "jdoe", "interaction.consult", main_id, ASMITH, {"Tier": "vip", "Note": "x"}, {"Hint": "1"}
    )
    main = team.call("jdoe", main_id)
    leg = team.call("jdoe", consult_id)
    assert main.state == "HELD"
    assert (leg.state, leg.is_consultation, leg.call_type) == ("DIALING", True, "CONSULT")
    assert (leg.parent_interaction_id, leg.case_id) == (main_id, main.case_id)
    assert leg.parties == ["5002"] and leg.extensions == {"Hint": "1"}
    ring = team.ringing("asmith")
    assert (ring.call_type, ring.is_consultation, ring.ani) == ("CONSULT", True, "5001")
    assert ring.user_data == {"Order": "17", "Tier": "vip", "Note": "x"}
    assert ring.call_uuid == leg.call_uuid != call_uuid
    # Frames see the consultation as api-9.md says, never the extensions.
    seen = await team.ok("jdoe", "interaction.getByInteractionId", consult_id)
    assert (seen["isConsultation"], seen["callType"], seen["parentInteractionId"]) == (
        True,
        "CONSULT",
        main_id,
    )
    assert seen["caseId"] == main.case_id and "extensions" not in seen
    await team.ok("asmith", "interaction.accept", ring.interaction_id)
    assert leg.state == "TALKING"
    await team.engine.flush_audit()
    [row] = [e for e in await team.engine.store.audit() if e.request == "interaction.consult"]
    assert row.detail == "extensions: Hint=1"
    await team.stop()


async def test_complete_transfer_moves_the_customer_to_the_consulted_agent(
    tmp_path: Path,
) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call()
    consult_id = await team.ok("jdoe", "interaction.consult", main_id, ASMITH)
    ring = team.ringing("asmith")
    early = await team.fails("jdoe", "interaction.completeTransfer", consult_id)
    assert early["errorCode"] == "INVALID_STATE"
    assert early["errorMessage"] == (
        f"Cannot complete the transfer of interaction '{consult_id}': it is DIALING."
    )
    await team.ok("asmith", "interaction.accept", ring.interaction_id)
    assert await team.ok("jdoe", "interaction.completeTransfer", consult_id) is None
    assert [team.call("jdoe", i).state for i in (main_id, consult_id)] == ["IDLE", "IDLE"]
    assert (ring.state, ring.parties, ring.call_uuid) == ("TALKING", ["+15550100"], call_uuid)
    assert ring.is_consultation is False
    changed = team.events("asmith", "PARTY_CHANGED")
    assert [p["parties"] for p in changed] == [[{"name": "+15550100"}]]
    # The customer is still the same call: the simulation API hangs it up at asmith's.
    done = await team.engine.simulation.hang_up(call_uuid)
    assert isinstance(done, dict) and done["agent"] == "asmith" and ring.state == "IDLE"
    await team.stop()


async def test_complete_conference_makes_three_parties_that_survive_one_leaving(
    tmp_path: Path,
) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call()
    # An AGENT destination may be the agent's DN.
    consult_id = await team.ok(
        "jdoe", "interaction.consult", main_id, {"type": "DN", "destination": "5002"}
    )
    ring = team.ringing("asmith")
    await team.ok("asmith", "interaction.accept", ring.interaction_id)
    assert await team.ok("jdoe", "interaction.completeConference", consult_id) is None
    main = team.call("jdoe", main_id)
    assert team.call("jdoe", consult_id).state == "IDLE"
    assert (main.state, main.parties) == ("TALKING", ["+15550100", "5002"])
    assert (ring.state, ring.parties, ring.call_uuid) == (
        "TALKING",
        ["+15550100", "5001"],
        call_uuid,
    )
    assert [p["interactionId"] for p in team.events("jdoe", "PARTY_CHANGED")] == [main_id]
    assert len(team.events("asmith", "PARTY_CHANGED")) == 1
    # jdoe leaves: the customer and asmith stay connected.
    await team.ok("jdoe", "voice.hangUp", main_id)
    assert main.state == "IDLE"
    assert (ring.state, ring.parties) == ("TALKING", ["+15550100"])
    await team.engine.simulation.hang_up(call_uuid)
    assert ring.state == "IDLE"
    await team.stop()


async def test_the_agents_stay_when_the_customer_leaves_a_conference(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call()
    consult_id = await team.ok("jdoe", "interaction.consult", main_id, ASMITH)
    ring = team.ringing("asmith")
    await team.ok("asmith", "interaction.accept", ring.interaction_id)
    await team.ok("jdoe", "interaction.completeConference", consult_id)
    await team.engine.simulation.hang_up(call_uuid)
    main = team.call("jdoe", main_id)
    assert (main.state, main.parties, ring.state, ring.parties) == (
        "TALKING",
        ["5002"],
        "TALKING",
        ["5001"],
    )
    # Now an internal call of two: one hanging up ends it for both.
    await team.ok("asmith", "voice.hangUp", ring.interaction_id)
    assert main.state == "IDLE"
    await team.stop()


async def test_the_conference_survives_a_restart(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call()
    consult_id = await team.ok("jdoe", "interaction.consult", main_id, ASMITH)
    await team.ok("asmith", "interaction.accept", team.ringing("asmith").interaction_id)
    await team.ok("jdoe", "interaction.completeConference", consult_id)
    config = team.engine.config
    await team.stop()
    from engine_support import started_engine  # the same database file

    engine = await started_engine(tmp_path, config)
    await engine.simulation.hang_up(call_uuid)
    jdoe, asmith = engine.live_session("jdoe"), engine.live_session("asmith")
    assert jdoe is not None and asmith is not None
    assert jdoe.interactions[main_id].parties == ["5002"]
    assert [i.parties for i in asmith.interactions.values()] == [["5001"]]
    await engine.stop()


async def test_consulting_a_number_and_a_queue(tmp_path: Path) -> None:
    team = await Team.start(tmp_path, delay=2)
    main_id, _ = await team.customer_call()
    consult_id = await team.ok(
        "jdoe", "interaction.consult", main_id, {"type": "DN", "destination": "+15559999"}
    )
    leg = team.call("jdoe", consult_id)
    assert leg.state == "DIALING"
    await advance(team.engine, 2.1)  # the simulated number answers after the delay
    assert leg.state == "TALKING"
    await team.ok("jdoe", "interaction.completeTransfer", consult_id)
    assert team.call("jdoe", main_id).state == "IDLE" and leg.state == "IDLE"
    # A number that does not answer by itself is answered through the simulation API.
    main_id, _ = await team.customer_call()
    consult_id = await team.ok(
        "jdoe", "interaction.consult", main_id, {"type": "DN", "destination": "noanswer-1"}
    )
    leg = team.call("jdoe", consult_id)
    assert leg.call_uuid is not None
    answered = await team.engine.simulation.answer(leg.call_uuid)
    assert answered["state"] == "TALKING"
    await team.ok("jdoe", "interaction.completeConference", consult_id)
    assert team.call("jdoe", main_id).parties == ["+15550100", "noanswer-1"]
    await team.ok("jdoe", "voice.hangUp", main_id)
    # A queue: its ready agent (idle longest) gets the consult call.
    main_id, _ = await team.customer_call()
    empty = await team.fails(
        "jdoe", "interaction.consult", main_id, {"type": "QUEUE", "destination": "empty"}
    )
    assert (empty["errorCode"], empty["errorMessage"]) == (
        "INVALID_STATE",
        "Target queue 'empty' has no ready agent.",
    )
    await set_state(team.engine, team.agents["bkim"], "Ready")
    await team.ok(
        "jdoe",
        "interaction.consult",
        main_id,
        {"type": "QUEUE", "destination": "sales", "media": "voice"},
    )
    assert team.ringing("bkim").call_type == "CONSULT"
    await team.stop()


async def test_consult_and_complete_fail_as_api_9_says(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, _ = await team.customer_call()
    await team.agents["asmith"].engine.logout(team.agents["asmith"].session_id)
    cases = [
        (["77", ASMITH], "NOT_FOUND", "Unknown interaction '77'."),
        ([main_id, ASMITH], "INVALID_STATE", "Target agent 'asmith' is logged off."),
        (
            [main_id, {"type": "AGENT", "destination": "nobody"}],
            "INVALID_STATE",
            "Target agent 'nobody' is unknown.",
        ),
        (
            [main_id, {"type": "QUEUE", "destination": "nope"}],
            "INVALID_STATE",
            "Target queue 'nope' is unknown.",
        ),
        (
            [main_id, {"type": "DN", "destination": "busy-7"}],
            "INVALID_STATE",
            "Target 'busy-7' is busy.",
        ),
        (
            [main_id, {"type": "AGENT", "destination": "jdoe"}],
            "INVALID_PARAMETER",
            "Target agent 'jdoe' is this agent itself.",
        ),
        (
            [main_id, "asmith"],
            "INVALID_PARAMETER",
            "Parameter 2 'target' of 'interaction.consult' must be an object, got string.",
        ),
        (
            [main_id],
            "INVALID_PARAMETER",
            "Parameter 2 'target' of 'interaction.consult' is missing.",
        ),
        (
            [main_id, {"type": "agent", "destination": "x"}],
            "INVALID_PARAMETER",
            f"{TARGET} has type 'agent'; it must be one of AGENT, QUEUE, DN.",
        ),
        (
            [main_id, {"type": "DN"}],
            "INVALID_PARAMETER",
            "Parameter 2 'target' of 'interaction.consult' needs a non-empty string 'destination'.",
        ),
        (
            [main_id, {"type": "DN", "destination": "no way"}],
            "INVALID_PARAMETER",
            f"{TARGET} has a 'destination' that is not a dialable number: 'no way'.",
        ),
        (
            [main_id, {"type": "DN", "destination": "1", "media": "chat"}],
            "INVALID_PARAMETER",
            f"{TARGET} has media 'chat'; only 'voice' is supported.",
        ),
        (
            [main_id, {"type": "DN", "destination": "1"}, None, {"k": 1}],
            "INVALID_PARAMETER",
            "Parameter 4 'extensions' of 'interaction.consult' has key 'k' with a value of type "
            "number; values must be strings.",
        ),
    ]
    for params, code, text in cases:
        reply = await team.fails("jdoe", "interaction.consult", *params)
        assert (reply["errorCode"], reply["errorMessage"]) == (code, text), params
    assert team.call("jdoe", main_id).state == "TALKING"  # nothing was done
    # Busy: bkim is on a call.
    await team.customer_call("bkim")
    busy = await team.fails(
        "jdoe", "interaction.consult", main_id, {"type": "DN", "destination": "5003"}
    )
    assert busy["errorMessage"] == "Target agent '5003' is busy (on a call)."
    # Wrong states.
    await team.ok("jdoe", "voice.hold", main_id)
    held = await team.fails(
        "jdoe", "interaction.consult", main_id, {"type": "DN", "destination": "1"}
    )
    assert (held["errorCode"], held["errorMessage"]) == (
        "INVALID_STATE",
        f"Cannot consult on interaction '{main_id}': it is HELD.",
    )
    plain = await team.fails("jdoe", "interaction.completeConference", main_id)
    assert plain["errorMessage"] == (
        f"Cannot complete the conference of interaction '{main_id}': it is not a consultation."
    )
    await team.stop()


async def test_an_interaction_level_frame_consults_on_its_call(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, _ = await team.customer_call()
    agent = team.agents["jdoe"]
    crm = await agent.frame("CRM", CRM, main_id)
    consult_id = await agent.ok(crm, "interaction.consult", main_id, ASMITH)
    assert team.call("jdoe", consult_id).is_consultation
    await team.stop()


async def test_a_conferenced_number_leaves_through_its_consult_call(tmp_path: Path) -> None:
    team = await Team.start(tmp_path, delay=1)
    main_id, call_uuid = await team.customer_call()
    consult_id = await team.ok(
        "jdoe", "interaction.consult", main_id, {"type": "DN", "destination": "+15557777"}
    )
    await advance(team.engine, 1.1)
    await team.ok("jdoe", "interaction.completeConference", consult_id)
    main = team.call("jdoe", main_id)
    assert main.parties == ["+15550100", "+15557777"]
    leg_uuid = team.call("jdoe", consult_id).call_uuid
    await team.engine.simulation.hang_up(leg_uuid)  # the consulted number hangs up
    assert (main.state, main.parties) == ("TALKING", ["+15550100"])
    with pytest.raises(ApiError) as ended:
        await team.engine.simulation.hang_up(leg_uuid)
    assert ended.value.message == f"Call '{leg_uuid}' has ended."
    await team.engine.simulation.hang_up(call_uuid)
    assert main.state == "IDLE"
    await team.stop()
