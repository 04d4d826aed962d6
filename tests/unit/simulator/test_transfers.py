"""The simulator's calls of several legs (simulator/transfers.py): conferences of any size
that shrink as parties leave, agents logging out of them, auto-answered consult calls."""

from __future__ import annotations

from pathlib import Path

from transfer_support import Team

from wwe_host.domain.model import Interaction
from wwe_host.simulator.far_ends import far_end


async def conference(team: Team, main_id: str, *others: str) -> None:
    """jdoe consults each of ``others`` in turn and conferences them in."""
    for name in others:
        consult_id = await team.ok(
            "jdoe", "interaction.consult", main_id, {"type": "AGENT", "destination": name}
        )
        await team.ok(name, "interaction.accept", team.ringing(name).interaction_id)
        await team.ok("jdoe", "interaction.completeConference", consult_id)


def leg_of(team: Team, name: str) -> Interaction:
    [live] = [i for i in team.calls(name) if i.live]
    return live


async def test_a_four_party_conference_shrinks_as_parties_leave(tmp_path: Path) -> None:
    team = await Team.start(tmp_path)
    main_id, call_uuid = await team.customer_call()
    await conference(team, main_id, "asmith", "bkim")
    main = team.call("jdoe", main_id)
    asmith, bkim = leg_of(team, "asmith"), leg_of(team, "bkim")
    assert main.parties == ["+15550100", "5002", "5003"]
    assert asmith.parties == ["+15550100", "5001", "5003"]
    assert bkim.parties == ["+15550100", "5001", "5002"]
    assert {i.call_uuid for i in (main, asmith, bkim)} == {call_uuid}
    record = far_end(team.agents["bkim"].session, bkim.interaction_id)
    assert record is not None and record.kind == "conference" and len(record.legs or []) == 3
    # The customer leaves: three agents stay; then asmith logs out: two stay, as peers.
    await team.engine.simulation.hang_up(call_uuid)
    assert main.parties == ["5002", "5003"]
    await team.engine.logout(team.agents["asmith"].session_id)
    assert (main.state, main.parties) == ("TALKING", ["5003"])
    assert bkim.parties == ["5001"]
    record = far_end(team.agents["bkim"].session, bkim.interaction_id)
    assert record is not None and record.kind == "agent"
    # One of the last two hangs up: the call ends for both.
    await team.ok("bkim", "voice.hangUp", bkim.interaction_id)
    assert main.state == "IDLE"
    await team.stop()


async def test_an_auto_answering_agent_takes_the_consult_call_at_once(tmp_path: Path) -> None:
    team = await Team.start(tmp_path, bkim="voice.auto-answer = true")
    main_id, _ = await team.customer_call()
    consult_id = await team.ok(
        "jdoe", "interaction.consult", main_id, {"type": "AGENT", "destination": "bkim"}
    )
    assert team.call("jdoe", consult_id).state == "TALKING"
    assert leg_of(team, "bkim").state == "TALKING"
    # Completed as a transfer, the call it answered carries the customer on.
    await team.ok("jdoe", "interaction.completeTransfer", consult_id)
    assert leg_of(team, "bkim").parties == ["+15550100"]
    await team.stop()
