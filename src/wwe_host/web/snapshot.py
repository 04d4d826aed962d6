"""What the agent's desktop shows: one snapshot of the session, sent after every change.

Unfiltered (the agent is not a third party), except field codes of attached data in
web-content URLs, which a third-party app receives and so follow the read list.
"""

from __future__ import annotations

from typing import Any

from ..config.fields import expand_field_codes
from ..core.views import AgentSession, desktop_interaction, media_wire, state_wire, toasts_wire
from ..engine import Engine
from ..message_limits import MAX_DEPTH
from ..settings import WebContent


def snapshot(engine: Engine, session: AgentSession) -> dict[str, Any]:
    """Everything the desktop shows, unfiltered (the agent is not a third party)."""
    agent = engine.config.agents[session.username]
    return {
        "agent": engine.agent_view(session.username),
        "number": agent.number,
        "state": state_wire(session),
        "stateList": [s.wire() for s in engine.state_list(session.username)],
        "media": media_wire(session),
        "microphoneMuted": session.mic_muted,
        "speakerMuted": session.speaker_muted,
        "interactions": [desktop_interaction(session, i) for i in session.interactions.values()],
        "selectedCase": session.selected_case,
        "toasts": toasts_wire(session),
        "myMessages": list(session.my_messages),
        "frames": [
            {
                "frameId": r.frame_id,
                "section": r.section,
                "origin": r.origin,
                "interactionId": r.interaction_id,
            }
            for r in session.frames.values()
        ],
        "webContent": web_content(engine, session),
        "activityDeadline": engine.activity_deadline(session),
        "inactivityAlertSeconds": agent.options.inactivity_alert_seconds,
        # What the relay checks before it forwards a frame's message (message-check.js).
        "limits": {
            "maxMessageBytes": engine.config.server.max_message_bytes,
            "maxDepth": MAX_DEPTH,
        },
    }


def web_content(engine: Engine, session: AgentSession) -> dict[str, Any]:
    """The session's web content with field codes expanded (read list applied)."""
    agent = engine.config.agents[session.username]
    base = {
        "Agent.UserName": agent.username,
        "Agent.EmployeeId": agent.employee_id,
        "Agent.FullName": f"{agent.firstname} {agent.lastname}".strip(),
    }

    def describe(wc: WebContent, values: dict[str, str]) -> dict[str, Any]:
        return {
            "section": wc.section,
            "label": wc.label,
            "url": expand_field_codes(wc.url, values),
            "mode": wc.mode,
            "icon": wc.icon,
            "allow": wc.allow,
            "origin": wc.origin,
        }

    per_interaction: dict[str, list[dict[str, Any]]] = {}
    for interaction in session.interactions.values():
        values = dict(base)
        values.update(
            {
                "Interaction.Id": interaction.interaction_id,
                "Interaction.CaseId": interaction.case_id,
                "Interaction.ANI": interaction.ani or "",
                "Interaction.DNIS": interaction.dnis or "",
                "Interaction.UUID": interaction.uuid,
            }
        )
        for key, value in engine.config.security.read_allowed.filter(interaction.user_data).items():
            values[f"AttachedData.{key}"] = str(value)
        per_interaction[interaction.interaction_id] = [
            describe(wc, values) for wc in agent.options.interaction_web_content
        ]
    return {
        "workspace": [describe(wc, base) for wc in agent.options.workspace_web_content],
        "interaction": per_interaction,
    }
