"""The configuration file: one INI text turned into the frozen settings of ``wwe_host.settings``.

- ``parser``: the sections and options, validated (``ini``, ``values``, ``server``, ``names``
  are its parts); ``parse_config``, ``load_config``, ``ConfigError``.
- ``fields``: the field codes of web-content URLs, checked at parse time, filled at run time.
- ``render``: the effective configuration as ``check-config`` prints it.
- ``demo``: the built-in demo configuration.

The names below are re-exported so that ``from wwe_host.config import ...`` keeps working.
"""

from __future__ import annotations

from wwe_host.settings import (
    MEDIA,
    ROLES,
    STATE_ACTIONS,
    WEB_CONTENT_MODES,
    AgentConfig,
    AgentOptions,
    ApiSecurity,
    Config,
    QueueConfig,
    ServerSettings,
    WebContent,
)

from .demo import DEMO_LOGINS, demo_config
from .fields import FIELD_CODES, expand_field_codes
from .parser import load_config, parse_config
from .render import render_effective
from .server import with_server_overrides
from .values import ConfigError, parse_listen

__all__ = [
    "DEMO_LOGINS",
    "FIELD_CODES",
    "MEDIA",
    "ROLES",
    "STATE_ACTIONS",
    "WEB_CONTENT_MODES",
    "AgentConfig",
    "AgentOptions",
    "ApiSecurity",
    "Config",
    "ConfigError",
    "QueueConfig",
    "ServerSettings",
    "WebContent",
    "demo_config",
    "expand_field_codes",
    "load_config",
    "parse_config",
    "parse_listen",
    "render_effective",
    "with_server_overrides",
]
