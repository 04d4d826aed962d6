"""The names of every Service Client API request, in one place.

Security (origin filters), the API dispatcher and the docs all read this list, so a
request exists for all of them or for none.
"""

from __future__ import annotations

import re

REQUESTS: tuple[str, ...] = (
    "agent.get",
    "agent.getState",
    "agent.getStateList",
    "agent.setState",
    "media.getMediaList",
    "media.getMediaByName",
    "media.setState",
    "interaction.getInteractions",
    "interaction.getByInteractionId",
    "interaction.setUserData",
    "interaction.deleteUserData",
    "interaction.selectCaseByCaseId",
    "interaction.markdone",
    "interaction.blockMarkdone",
    "interaction.unblockMarkdone",
    "voice.dial",
    "voice.answer",
    "voice.hold",
    "voice.resume",
    "voice.hangUp",
    "voice.startCallRecording",
    "voice.stopCallRecording",
    "voice.pauseCallRecording",
    "voice.resumeCallRecording",
    "voice.isMicrophoneMute",
    "voice.muteMicrophone",
    "voice.unmuteMicrophone",
    "voice.isSpeakerMute",
    "voice.muteSpeaker",
    "voice.unmuteSpeaker",
    "email.create",
    "system.getAllowedServices",
    "system.triggerActivity",
    "system.popupToast",
    "system.updateToast",
    "system.closeToast",
    # The requests of the vendor's current library (api-9.md). Each is a name the origin
    # filters, `namespace.*` wildcards and `rate-limit.<name>` options know; one without a
    # handler yet answers UNKNOWN_REQUEST (the pipeline looks for its handler).
    "interaction.accept",
    "interaction.reject",
    "interaction.consult",
    "interaction.completeTransfer",
    "interaction.completeConference",
    "interaction.singleStepTransfer",
    "interaction.singleStepConference",
    "voice.dialEx",
    "outbound.getCampaigns",
    "outbound.getPreviewRecord",
    "outbound.getChainedRecords",
    "outbound.getRecordFields",
    "outbound.updateRecordFields",
    "outbound.callPreviewRecord",
    "outbound.rejectPreviewRecord",
    "outbound.cancelPreviewRecord",
    "outbound.startDirectPushPreview",
    "outbound.stopDirectPushPreview",
    "outbound.rescheduleRecord",
    "outbound.cancelReschedule",
    "outbound.getListOfCallResults",
    "outbound.setCallResult",
    "outbound.getCallResult",
    "outbound.setDoNotCall",
    "outbound.removeDoNotCall",
    "system.openDialog",
    "system.closeDialog",
    "system.updateViewInApplicationMenuBar",
    "system.closeViewInApplicationMenuBar",
    "system.amIVisible",
    "system.isFrameLeading",
    "system.isFrameFollowing",
    "system.isFrameNegotiating",
    "system.isFrameLeadingOrNegotiating",
    "system.isLastActiveFrame",
    "messenger.broadcastMessage",
    "configuration.getOption",
    "auth.getJwtToken",
)

# Other names a client may send for the same request: the vendor library's names and the
# guide's spelling variants. Policy, rate limits and the audit log see the canonical name.
ALIASES: dict[str, str] = {
    "interaction.unlockMarkdone": "interaction.unblockMarkdone",
    "sipEndpoint.isMicrophoneMute": "voice.isMicrophoneMute",
    "sipEndpoint.muteMicrophone": "voice.muteMicrophone",
    "sipEndpoint.unmuteMicrophone": "voice.unmuteMicrophone",
    "sipEndpoint.isSpeakerMute": "voice.isSpeakerMute",
    "sipEndpoint.muteSpeaker": "voice.muteSpeaker",
    "sipEndpoint.unmuteSpeaker": "voice.unmuteSpeaker",
}

NAMESPACES: tuple[str, ...] = tuple(dict.fromkeys(name.split(".", 1)[0] for name in REQUESTS))

TOPICS: tuple[str, ...] = ("agent", "interaction", "media", "system", "markdone", "outbound")
MESSENGER_TOPIC_PREFIX = "messenger:"
# A messenger channel's name (api-9.md): 1 to 64 letters, digits, '.', '_' or '-'.
MESSENGER_CHANNEL = re.compile(r"[A-Za-z0-9._-]{1,64}")

_KNOWN = frozenset(REQUESTS)


def canonical(name: str) -> str | None:
    """The canonical request name for ``name``, or None when no such request exists."""
    if name in _KNOWN:
        return name
    return ALIASES.get(name)


def is_topic(name: str) -> bool:
    return name in TOPICS or (
        name.startswith(MESSENGER_TOPIC_PREFIX)
        and MESSENGER_CHANNEL.fullmatch(name[len(MESSENGER_TOPIC_PREFIX) :]) is not None
    )
