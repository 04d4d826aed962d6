"""voice.*: calls, call recording, and the agent's SIP endpoint (also as sipEndpoint.*)."""

from __future__ import annotations

import re
from typing import Any

from ..domain import operations as ops
from ..errors import ApiError, ErrorCode
from .context import (
    RequestContext,
    arity,
    handler,
    interaction_id,
    string,
    string_values,
    user_data,
)

DESTINATION = re.compile(r"^[A-Za-z0-9+*#()._@:-]+$")


def _target(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 1)
    return ops.get_interaction(call.session, interaction_id(call, params))


MAX_EXTENSIONS = 32


@handler("voice.dial")
def dial(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 2)
    return _dial(call, params, with_extensions=False)


@handler("voice.dialEx")
def dial_ex(call: RequestContext, params: list[Any]) -> Any:
    """voice.dial plus extensions for the switch: kept on the call (REST, audit), never
    shown to frames."""
    arity(call, params, 3)
    return _dial(call, params, with_extensions=True)


def _dial(call: RequestContext, params: list[Any], *, with_extensions: bool) -> Any:
    destination = string(call, params, 0, "destination", max_length=64).strip()
    if not DESTINATION.match(destination):
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 1 'destination' of '{call.request}' is not a dialable number: "
            f"'{destination}'.",
        )
    values = user_data(call, params, 1, "userData", required=False)
    extensions: dict[str, str] = {}
    if with_extensions:
        extensions = string_values(call, params, 2, "extensions", most=MAX_EXTENSIONS)
    if "voice" not in call.session.media:
        raise ApiError(ErrorCode.INVALID_STATE, "This agent has no voice media.")
    created = call.engine.contact_center.dial(
        call.fx, call.session, destination, values, extensions
    )
    if extensions:
        call.note = "extensions: " + ", ".join(f"{k}={v}" for k, v in extensions.items())
    return {"interactionId": created.interaction_id}


@handler("voice.answer")
def answer(call: RequestContext, params: list[Any]) -> Any:
    target = _target(call, params)
    if target.media != "voice":
        raise ApiError(
            ErrorCode.INVALID_STATE,
            f"Cannot answer interaction '{target.interaction_id}': it is a {target.media} "
            f"interaction, not a voice call.",
        )
    call.engine.contact_center.answer(call.fx, call.session, target)
    return None


@handler("voice.hold")
def hold(call: RequestContext, params: list[Any]) -> Any:
    ops.hold(call.fx, call.session, _target(call, params))
    return None


@handler("voice.resume")
def resume(call: RequestContext, params: list[Any]) -> Any:
    ops.resume(call.fx, call.session, _target(call, params))
    return None


@handler("voice.hangUp")
def hang_up(call: RequestContext, params: list[Any]) -> Any:
    target = _target(call, params)
    ops.check_release(target)
    call.engine.contact_center.hang_up(call.fx, call.session, target)
    return None


def _recording(action: str) -> Any:
    def run(call: RequestContext, params: list[Any]) -> Any:
        ops.recording(call.fx, call.session, _target(call, params), action)
        return None

    return run


handler("voice.startCallRecording")(_recording("start"))
handler("voice.stopCallRecording")(_recording("stop"))
handler("voice.pauseCallRecording")(_recording("pause"))
handler("voice.resumeCallRecording")(_recording("resume"))


def _mute(microphone: bool | None = None, speaker: bool | None = None) -> Any:
    def run(call: RequestContext, params: list[Any]) -> Any:
        arity(call, params, 0)
        ops.set_endpoint(call.fx, call.session, microphone=microphone, speaker=speaker)
        return None

    return run


@handler("voice.isMicrophoneMute")
def is_microphone_mute(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return call.session.mic_muted


@handler("voice.isSpeakerMute")
def is_speaker_mute(call: RequestContext, params: list[Any]) -> Any:
    arity(call, params, 0)
    return call.session.speaker_muted


handler("voice.muteMicrophone")(_mute(microphone=True))
handler("voice.unmuteMicrophone")(_mute(microphone=False))
handler("voice.muteSpeaker")(_mute(speaker=True))
handler("voice.unmuteSpeaker")(_mute(speaker=False))
