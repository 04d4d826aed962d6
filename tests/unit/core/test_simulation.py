"""The simulated outside world as core operations (core/simulation.py): what each request
answers as plain data, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import DIALER, Agent, make_config, make_queue_config, started_engine

from wwe_host.core.simulation import Abandoned, Delivery
from wwe_host.errors import ApiError, ErrorCode


async def test_a_call_offered_to_an_agent_and_one_left_waiting(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_queue_config())
    agent = await Agent.login(engine)
    offered = await engine.simulation.call("jdoe", "+15550100", None, {"Case": "1"})
    interaction = next(iter(agent.session.interactions.values()))
    assert offered == Delivery(
        state="RINGING",
        interaction_uuid=interaction.uuid,
        interaction_id=interaction.interaction_id,
        agent="jdoe",
        call_uuid=interaction.call_uuid,
    )
    waiting = await engine.simulation.call("queue:sales", "+15550101", None, None)
    assert (waiting.state, waiting.queue, waiting.agent) == ("QUEUED", "sales", None)
    assert waiting.call_uuid is not None
    with pytest.raises(ApiError) as refused:
        await engine.simulation.answer(waiting.call_uuid)
    assert refused.value.code is ErrorCode.INVALID_STATE
    assert refused.value.message == (
        f"Call '{waiting.call_uuid}' is waiting in queue 'sales': no agent has it yet."
    )
    assert await engine.simulation.hang_up(waiting.call_uuid) == Abandoned("sales")
    with pytest.raises(ApiError) as unknown:
        await engine.simulation.hang_up(waiting.call_uuid)
    assert unknown.value.code is ErrorCode.NOT_FOUND
    await engine.stop()


async def test_the_far_end_answers_and_the_customer_chats(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(delay=60))
    agent = await Agent.login(engine)
    tab = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(tab, "voice.dial", "5559999"))["interactionId"]
    call_uuid = agent.session.interactions[iid].call_uuid
    answered = await engine.simulation.answer(call_uuid)
    assert (answered["state"], answered["agent"]) == ("TALKING", "jdoe")
    chat = await engine.simulation.chat("jdoe", "Ada", "Hello", None)
    assert chat.chat_id is not None and chat.state == "INVITED"
    written = await engine.simulation.chat_message(chat.chat_id, "Anyone?")
    assert written["chatId"] == chat.chat_id
    ended = await engine.simulation.end_chat(chat.chat_id)
    assert not isinstance(ended, Abandoned) and ended["state"] == "ENDED"
    await engine.stop()
