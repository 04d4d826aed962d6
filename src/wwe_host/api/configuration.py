"""configuration.*: the options a frame may read (api-9.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..config.names import AGENT_PERSON_OPTIONS, AGENT_PREFIX, SCAPI_PREFIX
from ..errors import ApiError, ErrorCode
from ..security.options import APP_SECTION, OptionPattern
from .context import RequestContext, arity, handler, type_name

MAX_NAMES = 100
MAX_NAME_LENGTH = 256


def _names(call: RequestContext, params: list[Any]) -> list[OptionPattern]:
    value = params[0] if params else None
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            "Parameter 1 'names' of 'configuration.getOption' must be a non-empty array of "
            f"option names, got {type_name(value)}.",
        )
    if len(names) > MAX_NAMES:
        raise ApiError(
            ErrorCode.INVALID_PARAMETER,
            f"Parameter 1 'names' of 'configuration.getOption' has {len(names)} names; at most "
            f"{MAX_NAMES} are allowed.",
        )
    patterns: list[OptionPattern] = []
    for index, name in enumerate(names, 1):
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
            shown = f"'{name[:80]}'" if isinstance(name, str) else type_name(name)
            raise ApiError(
                ErrorCode.INVALID_PARAMETER,
                f"Name {index} of 'configuration.getOption' must be an option name of 1 to "
                f"{MAX_NAME_LENGTH} characters, got {shown}.",
            )
        try:
            patterns.append(OptionPattern.parse(name))
        except ValueError as exc:
            raise ApiError(
                ErrorCode.INVALID_PARAMETER, f"Name {index} of 'configuration.getOption': {exc}."
            ) from None
    return patterns


def effective_sections(
    sections: Mapping[str, Mapping[str, str]], username: str
) -> Mapping[str, Mapping[str, str]]:
    """The sections as the agent sees them: [interaction-workspace] with the options of the
    agent's own section laid over it (its person fields and service-client-api.* aside:
    those are not application options)."""
    own = sections.get(AGENT_PREFIX + username, {})
    overrides = {
        k: v
        for k, v in own.items()
        if k not in AGENT_PERSON_OPTIONS and not k.startswith(SCAPI_PREFIX)
    }
    if not overrides:
        return sections
    return {**sections, APP_SECTION: {**sections.get(APP_SECTION, {}), **overrides}}


@handler("configuration.getOption")
def get_option(call: RequestContext, params: list[Any]) -> Any:
    """``{name: value}`` of the options asked for that the read list lets the frame read."""
    arity(call, params, 1)
    asked = _names(call, params)
    config = call.engine.config
    sections = effective_sections(config.sections, call.session.username)
    return config.security.options_read.read(asked, sections)
