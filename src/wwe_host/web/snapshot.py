"""What the agent's desktop shows: one snapshot of the session, sent after every change.

Unfiltered (the agent is not a third party), except field codes of attached data in
web-content URLs, which a third-party app receives and so follow the read list.
"""

from __future__ import annotations

from typing import Any

from ..config.fields import expand_field_codes
from ..core.views import (
    AgentSession,
    Dialog,
    Interaction,
    desktop_interaction,
    dialog_section,
    media_wire,
    menu_item_wire,
    state_since,
    state_wire,
    toasts_wire,
)
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
        "stateSince": state_since(session),
        "stateList": [s.wire() for s in engine.state_list(session.username)],
        "media": media_wire(session),
        "microphoneMuted": session.mic_muted,
        "speakerMuted": session.speaker_muted,
        # Wrap-up options (docs/configuration.md "Wrap-up"): the codes offered on each
        # interaction and whether mark done requires one.
        "disposition": {
            "codes": list(agent.options.disposition_codes),
            "mandatory": agent.options.disposition_mandatory,
            "key": agent.options.disposition_key,
        },
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
        "dialogs": [dialog_wire(engine, session, d) for d in session.dialogs.values()],
        "menuItems": [menu_item_wire(i) for i in session.menu_items.values()],
        # Each connected desktop tab's state (LEADING, FOLLOWING, NEGOTIATING): core/tabs.py.
        "tabs": engine.tabs.states(session.session_id),
        "activityDeadline": engine.activity_deadline(session),
        "inactivityAlertSeconds": agent.options.inactivity_alert_seconds,
        # What the relay checks before it forwards a frame's message (message-check.js).
        "limits": {
            "maxMessageBytes": engine.config.server.max_message_bytes,
            "maxDepth": MAX_DEPTH,
        },
    }


def field_values(
    engine: Engine, session: AgentSession, interaction: Interaction | None
) -> dict[str, str]:
    """The values of the field codes for the agent and, if given, one interaction (the
    read list applied to its attached data)."""
    agent = engine.config.agents[session.username]
    values = {
        "Agent.UserName": agent.username,
        "Agent.EmployeeId": agent.employee_id,
        "Agent.FullName": f"{agent.firstname} {agent.lastname}".strip(),
    }
    if interaction is not None:
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
    return values


def dialog_wire(engine: Engine, session: AgentSession, dialog: Dialog) -> dict[str, Any]:
    """A dialog with its field codes (and ``$Dialog.Id$``) filled, and the tab that shows
    it: the opener's, or the leading tab once the opener's tab is gone."""
    interaction = session.interactions.get(dialog.interaction_id or "")
    values = {**field_values(engine, session, interaction), "Dialog.Id": dialog.dialog_id}
    codes = ("Dialog.Id",)
    tabs = engine.tabs
    shown_in = dialog.tab_id
    if shown_in is None or not tabs.connected(session.session_id, shown_in):
        shown_in = tabs.leader(session.session_id)
    return {
        "id": dialog.dialog_id,
        "frameId": dialog.frame_id,
        "section": dialog_section(dialog.dialog_id),
        "url": expand_field_codes(dialog.url, values, extra=codes),
        "label": expand_field_codes(dialog.label or "", values, extra=codes, encode=False),
        "width": dialog.width,
        "height": dialog.height,
        "tab": shown_in,
    }


def web_content(engine: Engine, session: AgentSession) -> dict[str, Any]:
    """The session's web content with field codes expanded (read list applied)."""
    agent = engine.config.agents[session.username]
    base = field_values(engine, session, None)

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
        values = field_values(engine, session, interaction)
        per_interaction[interaction.interaction_id] = [
            describe(wc, values) for wc in agent.options.interaction_web_content
        ]
    return {
        "workspace": [describe(wc, base) for wc in agent.options.workspace_web_content],
        "interaction": per_interaction,
    }
