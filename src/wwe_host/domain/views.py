"""The API's view of domain objects (api.md's Interaction shape), unfiltered.

Read filtering of userData is a security concern and happens where a frame receives it.
"""

from __future__ import annotations

from typing import Any

from .model import AgentSession, Interaction


def interaction_view(session: AgentSession, interaction: Interaction) -> dict[str, Any]:
    selected = session.selected_case == interaction.case_id
    view: dict[str, Any] = {
        "interactionId": interaction.interaction_id,
        "parentInteractionId": interaction.parent_interaction_id,
        "caseId": interaction.case_id,
        "userData": dict(interaction.user_data),
        "state": interaction.state,
        "previousState": interaction.previous_state,
        "parties": [{"name": name} for name in interaction.parties],
        "isConsultation": interaction.is_consultation,
        "isMainCaseInteraction": interaction.parent_interaction_id is None,
        "isCaseSelected": selected,
        "isCaseExpanded": interaction.case_id in session.expanded_cases,
        "interactionUUID": interaction.uuid,
        "media": interaction.media,
    }
    if interaction.media == "voice":
        view["callUuid"] = interaction.call_uuid
        view["direction"] = interaction.direction
        view["callType"] = interaction.call_type
        view["ani"] = interaction.ani
        view["dnis"] = interaction.dnis
        view["recordingState"] = interaction.recording_state
    elif interaction.media == "email":
        view["from"] = interaction.sender
        view["to"] = interaction.recipient
        view["subject"] = interaction.subject
    elif interaction.media == "chat":
        view["messages"] = len(interaction.messages)
    if interaction.error:
        view["error"] = interaction.error
    return view
