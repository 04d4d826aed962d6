"""The names of the configuration file's sections and options, and the sets of options each
kind of section knows (the rest are reported as unknown)."""

from __future__ import annotations

from typing import Final

from wwe_host.security import options as security_options
from wwe_host.settings import MEDIA

SERVER_SECTION: Final = security_options.SERVER_SECTION  # "wwe-host"
APP_SECTION: Final = security_options.APP_SECTION  # "interaction-workspace"
ACTION_CODES_SECTION: Final = "action-codes"
AGENT_PREFIX: Final = "agent:"
QUEUE_PREFIX: Final = "queue:"
SCAPI_PREFIX: Final = "service-client-api."

ORIGINS_OPTION: Final = "service-client-api.accepted-web-content-origins"
RATE_LIMIT_OPTION: Final = "service-client-api.rate-limit"
QUARANTINE_OPTION: Final = "service-client-api.rate-limit-quarantine-delay"
READ_ALLOWED_OPTION: Final = "service-client-api.user-data.read-allowed"
WRITE_ALLOWED_OPTION: Final = "service-client-api.user-data.write-allowed"
DIAL_ONLY_OPTION: Final = "service-client-api.workspace-web-content.dial-only"
OPTIONS_READ_OPTION: Final = "service-client-api.configuration.read-allowed"
WORKSPACE_WC_OPTION: Final = "workspace.web-content"
INTERACTION_WC_OPTION: Final = "interaction.web-content"

DISPOSITION_CODES_OPTION: Final = "interaction.disposition.value-business-attribute"
DISPOSITION_MANDATORY_OPTION: Final = "interaction.disposition.is-mandatory"
DISPOSITION_KEY_OPTION: Final = "interaction.disposition.key-name"
DISPOSITION_OPTIONS: Final = (
    DISPOSITION_CODES_OPTION,
    DISPOSITION_MANDATORY_OPTION,
    DISPOSITION_KEY_OPTION,
)
AFTER_CALL_WORK_OPTION: Final = "voice.after-call-work"
AUTO_READY_OPTIONS: Final = {f"login.{m}.is-auto-ready": m for m in MEDIA}
AGENT_OPTION_NAMES: Final = frozenset(
    {
        WORKSPACE_WC_OPTION,
        INTERACTION_WC_OPTION,
        "agent-status.enabled-actions-global",
        "agent-status.not-ready-reasons",
        "security.inactivity-timeout",
        "security.inactivity-alert-dialog-before-timeout",
        "voice.auto-answer",
        "sim.voice.answer-delay",
        *DISPOSITION_OPTIONS,
        AFTER_CALL_WORK_OPTION,
        *AUTO_READY_OPTIONS,
    }
)
SECURITY_OPTIONS: Final = frozenset(
    {
        ORIGINS_OPTION,
        RATE_LIMIT_OPTION,
        QUARANTINE_OPTION,
        READ_ALLOWED_OPTION,
        WRITE_ALLOWED_OPTION,
        DIAL_ONLY_OPTION,
        OPTIONS_READ_OPTION,
    }
)
AGENT_PERSON_OPTIONS: Final = frozenset(
    {"firstname", "lastname", "employeeId", "password", "roles", "number", "media"}
)
WEB_CONTENT_OPTIONS: Final = frozenset({"label", "url", "mode", "icon", "allow"})
QUEUE_OPTIONS: Final = frozenset({"media", "agents"})


def is_rate_limit_option(option: str) -> bool:
    return option == RATE_LIMIT_OPTION or option.startswith(RATE_LIMIT_OPTION + ".")
