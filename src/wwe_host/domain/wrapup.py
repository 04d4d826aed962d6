"""Wrap-up: the disposition code chosen on an interaction (kept in its attached data) and
after-call work (the agent's voice state after an answered call, until its mark done)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ApiError, ErrorCode
from . import operations as ops
from .effects import Effects
from .model import AgentSession, Interaction
from .states import AFTER_CALL_WORK

DEFAULT_KEY = "DispositionCode"


@dataclass(frozen=True)
class Disposition:
    """The configured disposition codes (none: the desktop offers no choice), whether
    one is required before mark done, and the attached-data key that holds it."""

    codes: tuple[str, ...] = ()
    mandatory: bool = False
    key: str = DEFAULT_KEY

    @property
    def required(self) -> bool:
        return self.mandatory and bool(self.codes)


def set_disposition(
    fx: Effects, session: AgentSession, interaction: Interaction, value: str, rule: Disposition
) -> None:
    """Choose (or, with "", clear) the disposition; allowed after the call ended too."""
    if not rule.codes:
        raise ApiError(
            ErrorCode.INVALID_STATE,
            "No disposition codes are configured "
            "(interaction.disposition.value-business-attribute).",
        )
    if value == "":
        if interaction.user_data.pop(rule.key, None) is not None:
            fx.interaction_event(session, interaction, "ATTACHED_DATA_CHANGED")
        return
    if value not in rule.codes:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Unknown disposition '{value}'. Valid codes: {', '.join(rule.codes)}.",
        )
    if interaction.user_data.get(rule.key) == value:
        return
    interaction.user_data[rule.key] = value
    fx.interaction_event(session, interaction, "ATTACHED_DATA_CHANGED")


def check_disposition(interaction: Interaction, rule: Disposition) -> None:
    """Refuse mark done of an interaction without the disposition the options require."""
    if not rule.required or str(interaction.user_data.get(rule.key, "")).strip():
        return
    raise ApiError(
        ErrorCode.INVALID_STATE,
        f"Choose a disposition before marking interaction '{interaction.interaction_id}' "
        f"done (one of: {', '.join(rule.codes)}).",
    )


def start_after_call_work(
    fx: Effects, session: AgentSession, interaction: Interaction, now: float
) -> None:
    """An answered call ended: the voice media goes to After Call Work; the state it had
    is kept on the call, to go back to at its mark done."""
    voice = session.media.get("voice")
    if voice is None or voice.type in ("LOGOUT", AFTER_CALL_WORK.type):
        return
    interaction.wrap_up_from = voice
    ops.set_media_states(fx, session, ["voice"], AFTER_CALL_WORK, now)


def mark_done(
    fx: Effects, session: AgentSession, interaction: Interaction, rule: Disposition, now: float
) -> None:
    """Mark done with wrap-up: the disposition first (when required), then the domain's
    mark done; the last call in after-call work puts the voice state back."""
    check_disposition(interaction, rule)
    ops.mark_done(fx, session, interaction)
    back = interaction.wrap_up_from
    if back is None or session.media.get("voice") != AFTER_CALL_WORK:
        return
    if any(i.wrap_up_from is not None for i in session.interactions.values()):
        return  # another call is still in its wrap-up
    ops.set_media_states(fx, session, ["voice"], back, now)
