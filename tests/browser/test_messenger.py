"""messenger.broadcastMessage in real Chromium: frames of apps on other origins than the
desktop talk over a channel. The message reaches the agent's other frames subscribed to the
channel (whatever their origin's filter: subscribing is not a request), never the sender,
never another agent's frames."""

from __future__ import annotations

import pytest
from browser_support import events, ok, open_desktop, section_frame, subscribe, wait_ready

pytestmark = pytest.mark.browser

MESSAGE = {"order": 17, "lines": ["a", "b"], "note": "caf\u00e9"}


def broadcast(frame, channel: str, message: object) -> dict:
    """Through the library's own function, as an app would call it (promise form)."""
    return dict(
        frame.evaluate(
            """([channel, message]) => T.service.messenger.broadcastMessage(channel, message)
                .then((reply) => ({ok: true, data: reply.data}),
                      (failure) => ({ok: false, ...failure}))""",
            [channel, message],
        )
    )


def messenger_events(frame) -> list[dict]:
    return [e for e in events(frame) if str(e["event"]).startswith("messenger:")]


def test_messages_between_frames_of_one_agent_only(new_context, server, pages, fresh_agent):
    x_name, x_password, _ = fresh_agent()
    y_name, y_password, _ = fresh_agent()
    x = open_desktop(new_context(), server, x_name, x_password)
    y = open_desktop(new_context(), server, y_name, y_password)

    # X: a call gives interaction "1" with its CRM (origin a) and Notes (origin b) frames;
    # the click-to-dial workspace tab (origin a) is a third frame.
    dialer = section_frame(x, "Dialer")
    assert ok(dialer, "voice.dial", "5550070") == {"interactionId": "1"}
    crm = section_frame(x, "CRM", "1")
    notes = section_frame(x, "Notes", "1")
    for frame in (dialer, crm, notes):
        assert wait_ready(frame)["origin"] == server.url
        subscribe(frame, "messenger:orders")
    # Y, another agent, listens to the same channel in its own call's CRM frame.
    assert ok(section_frame(y, "Dialer"), "voice.dial", "5550071") == {"interactionId": "1"}
    y_crm = section_frame(y, "CRM", "1")
    subscribe(y_crm, "messenger:orders")

    sent = broadcast(crm, "orders", MESSAGE)
    assert sent == {"ok": True, "data": 2}  # the dialer and the notes, not the sender

    for frame in (dialer, notes):
        frame.wait_for_function(
            "() => T.events.some((e) => e.event === 'messenger:orders')", timeout=10_000
        )
        [received] = messenger_events(frame)
        assert received == {
            "event": "messenger:orders",
            "data": MESSAGE,
            "userAgent": "WWE Server",
            "protocolVersion": 2,
        }
    assert messenger_events(crm) == []

    # Y's frame is not one of X's: Y's own broadcast reaches nobody, and its reply (after
    # anything the server sent Y's desktop before) comes with no message from X before it.
    assert broadcast(y_crm, "orders", "ping") == {"ok": True, "data": 0}
    assert messenger_events(y_crm) == []
    # ...and X's frames did not get Y's.
    assert [e["data"] for e in messenger_events(dialer)] == [MESSAGE]

    # The notes frame's origin may not send (its filter: agent.*, system.*), yet it listened.
    refused = broadcast(notes, "orders", "from notes")
    assert refused["ok"] is False and refused["errorCode"] == "NOT_ALLOWED"
    # A bad channel is refused with the rule, before anything is sent.
    bad = broadcast(crm, "no spaces", 1)
    assert bad["errorCode"] == "INVALID_PARAMETER"
    assert "must be 1 to 64 letters, digits, '.', '_' or '-'" in bad["errorMessage"]
