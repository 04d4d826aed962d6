"""interaction.singleStepTransfer and interaction.singleStepConference (api-9.md): blind
transfer, and a third party offered a call that joins the existing one once answered."""

from __future__ import annotations

from pathlib import Path

from transfer_support import Team

ASMITH = {"type": "AGENT", "destination": "asmith"}


async def test_single_step_transfer_offers_the_customer_and_releases_the_agent(
    tmp_path: Path,
) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call()
    done = await team.ok(
        "jdoe", "interaction.singleStepTransfer", main_id, ASMITH, {"Why": "billing"}, {"X": "y"}
    )
    assert done is None
    assert team.call("jdoe", main_id).state == "IDLE"
    ring = team.ringing("asmith")
    assert (ring.ani, ring.call_uuid, ring.parties) == ("+15550100", call_uuid, ["+15550100"])
    assert ring.user_data == {"Order": "17", "Why": "billing"}
    assert ring.extensions == {"X": "y"} and ring.call_type == "INBOUND"
    await team.ok("asmith", "interaction.accept", ring.interaction_id)
    assert ring.state == "TALKING"
    await team.engine.simulation.hang_up(call_uuid)
    assert ring.state == "IDLE"
    await team.stop()


async def test_a_blind_transfer_of_an_internal_call_links_the_other_agent(
    tmp_path: Path,
) -> None:
    team = await Team.start(tmp_path)
    dialled = await team.ok("bkim", "voice.dial", "5001")
    await team.ok("jdoe", "interaction.accept", team.ringing("jdoe").interaction_id)
    caller = team.call("bkim", dialled["interactionId"])
    assert caller.state == "TALKING"
    main_id = next(i.interaction_id for i in team.calls("jdoe"))
    await team.ok("jdoe", "interaction.singleStepTransfer", main_id, ASMITH)
    ring = team.ringing("asmith")
    assert (ring.ani, ring.call_type, caller.parties) == ("5003", "INTERNAL", ["5002"])
    assert [p["parties"] for p in team.events("bkim", "PARTY_CHANGED")] == [[{"name": "5002"}]]
    await team.ok("asmith", "interaction.accept", ring.interaction_id)
    await team.ok("asmith", "voice.hangUp", ring.interaction_id)
    assert caller.state == "IDLE"
    await team.stop()


async def test_a_blind_transfer_to_a_number_hands_the_call_out(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, _ = await team.customer_call()
    await team.ok(
        "jdoe", "interaction.singleStepTransfer", main_id, {"type": "DN", "destination": "+1555"}
    )
    assert team.call("jdoe", main_id).state == "IDLE"
    refused = await team.fails("jdoe", "interaction.singleStepTransfer", main_id, ASMITH)
    assert refused["errorMessage"] == f"Cannot transfer interaction '{main_id}': it is IDLE."
    await team.stop()


async def test_single_step_conference_joins_once_answered(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call()
    await team.ok("jdoe", "interaction.singleStepConference", main_id, ASMITH, {"Topic": "t"})
    main = team.call("jdoe", main_id)
    ring = team.ringing("asmith")
    assert (main.state, main.parties) == ("TALKING", ["+15550100"])
    assert (ring.ani, ring.parties, ring.user_data) == (
        "5001",
        ["+15550100", "5001"],
        {"Order": "17", "Topic": "t"},
    )
    await team.ok("asmith", "interaction.accept", ring.interaction_id)
    assert (ring.state, ring.call_uuid) == ("TALKING", call_uuid)
    assert main.parties == ["+15550100", "5002"]
    assert [p["parties"] for p in team.events("jdoe", "PARTY_CHANGED")] == [
        [{"name": "+15550100"}, {"name": "5002"}]
    ]
    # One leaves, the other two stay.
    await team.ok("asmith", "voice.hangUp", ring.interaction_id)
    assert (main.state, main.parties) == ("TALKING", ["+15550100"])
    await team.stop()


async def test_a_declined_conference_call_leaves_the_call_alone(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, _ = await team.customer_call()
    await team.ok("jdoe", "interaction.singleStepConference", main_id, ASMITH)
    await team.ok("asmith", "interaction.reject", team.ringing("asmith").interaction_id)
    main = team.call("jdoe", main_id)
    assert (main.state, main.parties, main.error) == ("TALKING", ["+15550100"], None)
    assert team.calls("asmith") == []
    # A simulated number joins at once; one that never answers is refused.
    await team.ok(
        "jdoe", "interaction.singleStepConference", main_id, {"type": "DN", "destination": "+1777"}
    )
    assert main.parties == ["+15550100", "+1777"]
    silent = await team.fails(
        "jdoe",
        "interaction.singleStepConference",
        main_id,
        {"type": "DN", "destination": "noanswer-2"},
    )
    assert (silent["errorCode"], silent["errorMessage"]) == (
        "INVALID_STATE",
        "Target 'noanswer-2' does not answer.",
    )
    await team.stop()
