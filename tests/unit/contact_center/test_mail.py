"""Outbound e-mail over a real SMTP server (aiosmtpd), and what a failure looks like."""

from __future__ import annotations

import socket
from email import message_from_bytes
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from engine_support import CRM, DIALER, Agent, make_config, started_engine

from wwe_host.api.desktop import ACTIONS


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def send_one(agent: Agent, crm: Any) -> str:
    created = await agent.ok(crm, "email.create", "customer@example.com")
    iid = created["interactionId"]
    await agent.engine.agent_operation(
        agent.session_id,
        lambda call: ACTIONS["sendEmail"](
            call, {"interactionId": iid, "subject": "Your order", "body": "It ships today."}
        ),
    )
    return str(iid)


async def frame(agent: Agent) -> Any:
    dialer = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    return await agent.frame("CRM", CRM, iid)


async def test_sent_email_goes_out_over_smtp(tmp_path: Path) -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = make_config(server=f"smtp = smtp://127.0.0.1:{port}")
        engine = await started_engine(tmp_path, config)
        agent = await Agent.login(engine)
        crm = await frame(agent)
        await send_one(agent, crm)

        await engine.settle()  # the delivery task has handed the mail over and recorded it
        mail = inbox.messages[0]
        assert mail["To"] == "customer@example.com"
        assert mail["Subject"] == "Your order"
        assert mail.get_payload().strip() == "It ships today."
        assert [m["status"] for m in await engine.store.outbox()] == ["sent"]
        await engine.stop()
    finally:
        controller.stop()


async def test_smtp_failure_marks_the_interaction_and_keeps_the_message(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    config = make_config(server=f"smtp = smtp://127.0.0.1:{port}")
    engine = await started_engine(tmp_path, config)
    agent = await Agent.login(engine)
    crm = await frame(agent)
    await agent.subscribe(crm, "interaction")
    iid = await send_one(agent, crm)

    await engine.settle()  # the delivery task has failed and recorded it
    rows = await engine.store.outbox()
    assert rows[0]["status"].startswith("failed:")
    assert rows[0]["subject"] == "Your order"
    errors = [
        e["data"]
        for e in agent.desktop.events_for(crm.record.frame_id, "interaction")
        if e["data"]["eventType"] == "ERROR"
    ]
    assert errors and errors[-1]["interaction"]["interactionId"] == iid
    assert errors[-1]["interaction"]["error"].startswith("SMTP delivery failed")
    await engine.stop()
