"""The simulator as both ports: the agent-facing ``ContactCenter`` and the far-end
``SimulatorControls`` the simulation API drives."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import DIALER, Agent, make_config, started_engine

from wwe_host.contact_center.base import ContactCenter
from wwe_host.errors import ApiError
from wwe_host.simulator import Simulator, SimulatorControls


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
