"""The operations on an agent's session, shared by the API and the agent's own clicks.

Each one checks first and changes second, so a refused operation leaves nothing half-done,
and records what happened in ``Effects`` for the engine to commit and publish.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ApiError, ErrorCode
from .effects import Effects
from .model import AgentSession, Interaction
from .states import State, aggregate
from .views import interaction_view


def get_interaction(session: AgentSession, interaction_id: str) -> Interaction:
    interaction = session.interactions.get(interaction_id)
    if interaction is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"Unknown interaction '{interaction_id}'.")
    return interaction


def _invalid(interaction: Interaction, verb: str) -> ApiError:
    return ApiError(
        ErrorCode.INVALID_STATE,
        f"Cannot {verb} interaction '{interaction.interaction_id}': it is {interaction.state}.",
    )


def _require_voice(interaction: Interaction, verb: str) -> None:
    if interaction.media != "voice":
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Cannot {verb} interaction '{interaction.interaction_id}': it is a "
            f"{interaction.media} interaction, not a voice call.",
        )


# --- agent and media states -------------------------------------------------------------


def agent_state_data(state: State) -> dict[str, Any]:
    data: dict[str, Any] = {"eventType": "STATE_CHANGED", "mediaState": state.type}
    if state.reason is not None:
        data["reason"] = state.reason
        data["reasonCode"] = state.reason_code or ""
    return data


def set_media_states(
    fx: Effects, session: AgentSession, names: Iterable[str], state: State, now: float
) -> None:
    before = aggregate(session.media.values())
    changed = False
    for name in names:
        if session.media.get(name) == state:
            continue
        session.media[name] = state
        if state.type == "READY":
            session.idle_since[name] = now
        else:
            session.idle_since.pop(name, None)
        changed = True
        fx.notify(
            session, "media", {"eventType": "STATE_CHANGED", "media": name, "state": state.wire()}
        )
    if not changed:
        return
    fx.touch(session)
    after = aggregate(session.media.values())
    if after != before:
        session.state_since = now
        fx.notify(session, "agent", agent_state_data(after))


def set_endpoint(
    fx: Effects,
    session: AgentSession,
    *,
    microphone: bool | None = None,
    speaker: bool | None = None,
) -> None:
    """Mute or unmute the agent's SIP endpoint; None leaves that side as it is."""
    changed = False
    if microphone is not None and session.mic_muted != microphone:
        session.mic_muted = microphone
        changed = True
    if speaker is not None and session.speaker_muted != speaker:
        session.speaker_muted = speaker
        changed = True
    if changed:
        fx.touch(session)
        fx.notify(
            session,
            "endpoint",
            {"microphoneMuted": session.mic_muted, "speakerMuted": session.speaker_muted},
            ui_only=True,
        )


# --- interactions -----------------------------------------------------------------------


def _select(fx: Effects, session: AgentSession, case_id: str) -> None:
    _select_notify(fx, session, case_id, _select_change(session, case_id))


def _select_change(session: AgentSession, case_id: str) -> str | None:
    """Select and expand ``case_id``; returns the case that was collapsed, if any."""
    previous = session.selected_case
    collapsed = None
    if previous is not None and previous != case_id and previous in session.expanded_cases:
        session.expanded_cases.remove(previous)
        collapsed = previous
    if case_id not in session.expanded_cases:
        session.expanded_cases.append(case_id)
    session.selected_case = case_id
    return collapsed


def _select_notify(fx: Effects, session: AgentSession, case_id: str, collapsed: str | None) -> None:
    fx.touch(session)
    if collapsed is not None:
        fx.notify(
            session, "interaction", {"eventType": "CASE_COLLAPSED", "selectedCaseId": collapsed}
        )
    fx.notify(session, "interaction", {"eventType": "CASE_EXPANDED", "selectedCaseId": case_id})
    fx.notify(session, "interaction", {"eventType": "CASE_SELECTED", "selectedCaseId": case_id})


def add_interaction(
    fx: Effects, session: AgentSession, interaction: Interaction, first_event: str
) -> None:
    """A new interaction: ADDED, then its first state event; it takes the case selection
    when no live case holds it (so its snapshots already say so)."""
    session.interactions[interaction.interaction_id] = interaction
    selected = session.selected_case
    take = (
        selected is None
        or len(session.find_case(selected)) == 0
        or (selected == interaction.case_id)
    )
    collapsed = _select_change(session, interaction.case_id) if take else None
    fx.interaction_event(session, interaction, "ADDED")
    fx.interaction_event(session, interaction, first_event)
    if take:
        _select_notify(fx, session, interaction.case_id, collapsed)


def select_case(fx: Effects, session: AgentSession, case_id: str) -> None:
    if not session.find_case(case_id):
        raise ApiError(ErrorCode.NOT_FOUND, f"Unknown case '{case_id}'.")
    _select(fx, session, case_id)


def answer(
    fx: Effects, session: AgentSession, interaction: Interaction, *, now: float | None = None
) -> None:
    """Answer a ringing call (``now``: when, the call timer's start) or accept an offer."""
    if interaction.media == "voice":
        if interaction.state != "RINGING":
            raise _invalid(interaction, "answer")
        interaction.set_state("TALKING")
        if now is not None and interaction.answered_at is None:
            interaction.answered_at = now
        fx.interaction_event(session, interaction, "ESTABLISHED")
    else:
        if interaction.state != "INVITED":
            raise _invalid(interaction, "accept")
        interaction.set_state("ACCEPTED")
        fx.interaction_event(session, interaction, "ACCEPTED")


def establish(
    fx: Effects, session: AgentSession, interaction: Interaction, *, now: float | None = None
) -> None:
    """The far end answered an outbound call (``now``: when, the call timer's start)."""
    if interaction.state != "DIALING":
        raise _invalid(interaction, "establish")
    interaction.set_state("TALKING")
    if now is not None and interaction.answered_at is None:
        interaction.answered_at = now
    fx.interaction_event(session, interaction, "ESTABLISHED")


def hold(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
    _require_voice(interaction, "hold")
    if interaction.state != "TALKING":
        raise _invalid(interaction, "hold")
    interaction.set_state("HELD")
    fx.interaction_event(session, interaction, "HELD")


def resume(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
    _require_voice(interaction, "resume")
    if interaction.state != "HELD":
        raise _invalid(interaction, "resume")
    interaction.set_state("TALKING")
    fx.interaction_event(session, interaction, "ESTABLISHED")


def check_release(interaction: Interaction) -> None:
    _require_voice(interaction, "hang up")
    if interaction.state not in ("RINGING", "DIALING", "TALKING", "HELD"):
        raise _invalid(interaction, "hang up")


def release(
    fx: Effects,
    session: AgentSession,
    interaction: Interaction,
    *,
    outcome: str | None = None,
    now: float | None = None,
) -> None:
    """Any live call ends in IDLE; a ringing one is thereby rejected. Recording stops too.
    ``outcome`` says how it ended when that is worth telling the agent (busy, missed, …);
    ``now`` is when (the call timer stops there)."""
    check_release(interaction)
    if outcome is not None and interaction.outcome is None:
        interaction.outcome = outcome
    if now is not None:
        interaction.ended_at = now
    if interaction.recording_state in ("RECORDING", "PAUSED"):
        interaction.recording_state = "STOPPED"
        fx.interaction_event(session, interaction, "CALL_RECORDING_STATE_CHANGED")
    interaction.set_state("IDLE")
    fx.interaction_event(session, interaction, "RELEASED")


_RECORDING = {
    # action: (allowed from, to, verb)
    "start": (("STOPPED",), "RECORDING", "start recording on"),
    "stop": (("RECORDING", "PAUSED"), "STOPPED", "stop recording on"),
    "pause": (("RECORDING",), "PAUSED", "pause recording on"),
    "resume": (("PAUSED",), "RECORDING", "resume recording on"),
}


def recording(fx: Effects, session: AgentSession, interaction: Interaction, action: str) -> None:
    allowed, target, verb = _RECORDING[action]
    _require_voice(interaction, verb)
    if interaction.state not in ("TALKING", "HELD"):
        raise _invalid(interaction, verb)
    current = interaction.recording_state or "STOPPED"
    if current not in allowed:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Cannot {verb} interaction '{interaction.interaction_id}': "
            f"its recording is {current}.",
        )
    interaction.recording_state = target
    fx.interaction_event(session, interaction, "CALL_RECORDING_STATE_CHANGED")


def set_user_data(
    fx: Effects, session: AgentSession, interaction: Interaction, values: Mapping[str, Any]
) -> None:
    if interaction.media == "voice" and interaction.state == "IDLE":
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Cannot set user data on interaction '{interaction.interaction_id}': "
            f"it is IDLE (the call has ended).",
        )
    interaction.user_data.update(values)
    fx.interaction_event(session, interaction, "ATTACHED_DATA_CHANGED")


def delete_user_data(
    fx: Effects, session: AgentSession, interaction: Interaction, key: str
) -> None:
    if key in interaction.user_data:
        del interaction.user_data[key]
        fx.interaction_event(session, interaction, "ATTACHED_DATA_CHANGED")


def block_markdone(
    fx: Effects, session: AgentSession, interaction: Interaction, frame_id: str, warning: str
) -> None:
    interaction.markdone_blocks[frame_id] = warning
    fx.touch(session)
    fx.notify(
        session,
        "markdone-ui",
        {"interactionId": interaction.interaction_id, "blocked": warning},
        ui_only=True,
    )


def unblock_markdone(
    fx: Effects, session: AgentSession, interaction: Interaction, frame_id: str
) -> None:
    if interaction.markdone_blocks.pop(frame_id, None) is None:
        return
    fx.touch(session)
    warning = next(reversed(interaction.markdone_blocks.values()), None)
    fx.notify(
        session,
        "markdone-ui",
        {"interactionId": interaction.interaction_id, "blocked": warning},
        ui_only=True,
    )


def mark_done(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
    if interaction.media == "voice" and interaction.state != "IDLE":
        raise _invalid(interaction, "mark done")
    if interaction.state == "INVITED":
        # Marking an invitation done would drop the customer without a word: refused,
        # Accept or Reject (back to its queue) decide (docs/desktop.md "Mark done").
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Cannot mark done interaction '{interaction.interaction_id}': it is an "
            "invitation (INVITED); accept it, or reject it to return it to its queue.",
        )
    if interaction.markdone_blocks:
        for frame_id in interaction.markdone_blocks:
            view_data = {
                "media": interaction.media,
                "interaction": interaction_view(session, interaction),
            }
            fx.notify(
                session,
                "markdone",
                {"eventType": "MARKDONE_REQUESTED", **view_data},
                frame_id=frame_id,
            )
            fx.notify(
                session,
                "markdone",
                {"eventType": "MARKDONE_BLOCKED", **view_data},
                frame_id=frame_id,
            )
        warning = next(reversed(interaction.markdone_blocks.values()))
        raise ApiError(ErrorCode.MARKDONE_BLOCKED, warning)
    if interaction.media != "voice" and interaction.live:
        interaction.set_state("COMPLETED")
        fx.interaction_event(session, interaction, "COMPLETED")
    remove(fx, session, interaction)


def set_parties(
    fx: Effects, session: AgentSession, interaction: Interaction, parties: list[str]
) -> None:
    """The call's other parties changed: PARTY_CHANGED (nothing when they are the same)."""
    if interaction.parties == parties:
        return
    interaction.parties = list(parties)
    fx.interaction_event(session, interaction, "PARTY_CHANGED")


def revoke(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
    """An invitation (e-mail, chat) the agent declined: REVOKED (interaction.reject)."""
    if interaction.media == "voice" or interaction.state != "INVITED":
        raise _invalid(interaction, "reject")
    interaction.set_state("REVOKED")
    fx.interaction_event(session, interaction, "REVOKED")


def remove(fx: Effects, session: AgentSession, interaction: Interaction) -> None:
    """The interaction leaves the desktop (REMOVED); the case selection moves on if it
    held the selected case's last interaction."""
    fx.interaction_event(session, interaction, "REMOVED")
    del session.interactions[interaction.interaction_id]
    if session.selected_case == interaction.case_id and not session.find_case(interaction.case_id):
        if interaction.case_id in session.expanded_cases:
            session.expanded_cases.remove(interaction.case_id)
        session.selected_case = None
        remaining = list(session.interactions.values())
        if remaining:
            _select(fx, session, remaining[-1].case_id)
