"""The frozen settings the rest of the code reads: the server's, the API's security, the
agents', the queues' and the web-content sections'.

Built once at start by ``wwe_host.config`` (which parses and validates the INI file); no
parsing here, only the types and the defaults derived from other settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from wwe_host.security.options import OptionReadList
from wwe_host.security.origins import OriginPolicy, url_origin
from wwe_host.security.ratelimit import RateLimitPolicy
from wwe_host.security.userdata import KeyList
from wwe_host.store.retention import DEFAULT_AUDIT_RETENTION, AuditRetention

__all__ = [
    "DEFAULT_IN_FLIGHT",
    "MEDIA",
    "ROLES",
    "STATE_ACTIONS",
    "WEB_CONTENT_MODES",
    "AgentConfig",
    "AgentOptions",
    "ApiSecurity",
    "Config",
    "QueueConfig",
    "ServerSettings",
    "WebContent",
    "default_database",
    "default_public_url",
    "url_host",
]

WEB_CONTENT_MODES: Final = ("tab", "popup", "background", "hidden")
MEDIA: Final = ("voice", "email", "chat")
ROLES: Final = ("ROLE_AGENT", "ROLE_SUPERVISOR", "ROLE_ADMIN")
STATE_ACTIONS: Final = ("Ready", "NotReady", "NotReadyReason", "AfterCallWork", "Dnd", "LogOff")
# Requests a frame may have in flight (received, not yet answered); protocol.md caps it at 256.
DEFAULT_IN_FLIGHT: Final = 32


@dataclass(frozen=True)
class ServerSettings:
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    public_url: str = ""
    data_dir: str = "./var"
    database: str = ""
    bus: str = "memory"
    admin_token: str | None = field(default=None, repr=False)
    smtp: str | None = None
    max_message_bytes: int = 65536
    max_requests_in_flight: int = DEFAULT_IN_FLIGHT
    insecure_plain_password: bool = False
    frame_ancestors: str = "'self'"
    # Origins besides public-url's whose pages may use the desktop's cookie doors (login,
    # logout, the desktop WebSocket, cookie-authenticated REST writes); normalised.
    desktop_origins: tuple[str, ...] = ()
    max_desktop_connections: int = 4
    session_idle_timeout_minutes: float = 480.0  # 0 = a token never idles out
    session_max_lifetime_minutes: float = 1440.0  # 0 = no absolute lifetime
    audit_retention: AuditRetention = DEFAULT_AUDIT_RETENTION
    jwt_lifetime: int = 300  # seconds a token of auth.getJwtToken is valid
    jwt_signing_key: str | None = None  # a PEM file; None: a key kept in the store
    # Minutes between full collections that walk every object (collector.py); 0: the
    # interpreter's own policy, nothing frozen.
    gc_full_scan_minutes: float = 60.0

    def __post_init__(self) -> None:
        # Derived defaults are filled here so that ServerSettings() alone is usable.
        if not self.public_url:
            object.__setattr__(self, "public_url", default_public_url(self))
        if not self.database:
            object.__setattr__(self, "database", default_database(self.data_dir))

    @property
    def public_origin(self) -> str:
        """The origin of ``public-url`` (its path, if any, is not part of it)."""
        return url_origin(self.public_url)

    @property
    def accepted_desktop_origins(self) -> frozenset[str]:
        """The origins whose pages may log in, log out, open the desktop WebSocket and
        make cookie-authenticated changes: public-url's origin plus ``desktop-origins``.
        (Listening on port 0, the derived public-url has no origin until ``serve`` knows
        the port it got.)"""
        try:
            return frozenset((self.public_origin, *self.desktop_origins))
        except ValueError:
            return frozenset(self.desktop_origins)


@dataclass(frozen=True)
class WebContent:
    """One third-party app section; `url` still holds its field codes."""

    section: str
    label: str
    url: str
    mode: str
    icon: str | None
    allow: str
    origin: str


def _default_auto_ready() -> Mapping[str, bool]:
    return MappingProxyType(dict.fromkeys(MEDIA, False))


@dataclass(frozen=True)
class AgentOptions:
    """The application options an agent section may override (all but service-client-api.*)."""

    workspace_web_content: tuple[WebContent, ...] = ()
    interaction_web_content: tuple[WebContent, ...] = ()
    enabled_actions: tuple[str, ...] = STATE_ACTIONS
    not_ready_reasons: tuple[tuple[str, str], ...] = ()
    inactivity_timeout_minutes: float = 0.0
    inactivity_alert_seconds: float = 30.0
    voice_auto_answer: bool = False
    auto_ready: Mapping[str, bool] = field(default_factory=_default_auto_ready)
    answer_delay: float = 1.0
    # Wrap-up (docs/configuration.md "Wrap-up"): the disposition codes offered on each
    # interaction, whether mark done requires one, the attached-data key that holds it.
    disposition_codes: tuple[str, ...] = ()
    disposition_mandatory: bool = False
    disposition_key: str = "DispositionCode"
    after_call_work: bool = False  # voice: After Call Work from a call's end to its mark done


@dataclass(frozen=True)
class ApiSecurity:
    origins: OriginPolicy
    rate_limits: RateLimitPolicy
    read_allowed: KeyList
    write_allowed: KeyList
    dial_only: bool = True
    # service-client-api.configuration.read-allowed: what configuration.getOption returns.
    options_read: OptionReadList = field(default_factory=lambda: OptionReadList.parse(None))


@dataclass(frozen=True)
class AgentConfig:
    username: str
    firstname: str
    lastname: str
    employee_id: str
    password: str = field(repr=False)
    roles: tuple[str, ...]
    number: str
    media: tuple[str, ...]
    options: AgentOptions

    @property
    def full_name(self) -> str:
        return f"{self.firstname} {self.lastname}".strip()


@dataclass(frozen=True)
class QueueConfig:
    name: str
    media: tuple[str, ...]
    agents: tuple[str, ...]


@dataclass(frozen=True)
class CampaignRow:
    """One record of a campaign's CSV file: its phone, its chain and its other columns."""

    phone: str
    chain: str
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CampaignConfig:
    """A ``[campaign:NAME]`` section (api-9.md, outbound): loaded from the REST API, the
    CLI or the admin page; ``call_results`` None: the built-in list."""

    name: str
    mode: str  # preview | push-preview
    agents: tuple[str, ...]
    records_file: str
    rows: tuple[CampaignRow, ...]
    call_results: tuple[tuple[str, int], ...] | None = None


@dataclass(frozen=True)
class Config:
    server: ServerSettings
    security: ApiSecurity
    options: AgentOptions
    agents: Mapping[str, AgentConfig]
    queues: Mapping[str, QueueConfig]
    warnings: tuple[str, ...]
    source: str
    campaigns: Mapping[str, CampaignConfig] = field(
        default_factory=lambda: MappingProxyType({}), compare=False
    )
    # The file's sections as written, for configuration.getOption: without [wwe-host] and
    # without the agents' passwords (secrets.py decides the rest at read time).
    sections: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    _by_number: Mapping[str, AgentConfig] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        # A dial looks agents up by DN; keep that a dict lookup however many agents there are.
        by_number = {agent.number: agent for agent in self.agents.values()}
        object.__setattr__(self, "_by_number", MappingProxyType(by_number))

    def agent_by_number(self, number: str) -> AgentConfig | None:
        return self._by_number.get(number.strip())

    def web_content_origins(self) -> tuple[str, ...]:
        """Every origin of every web-content section in use, sorted."""
        return tuple(sorted({wc.origin for wc in _all_web_content(self)}))

    def framable_origins(self) -> tuple[str, ...]:
        """The origins the desktop may show in a frame (CSP ``frame-src``): those of the
        web-content sections and those listed in accepted-web-content-origins (``*``
        aside). A dialog (``system.openDialog``) may show only these."""
        listed = (o for o in self.security.origins.origins() if o != "*")
        return tuple(sorted({*self.web_content_origins(), *listed}))


def _all_web_content(config: Config) -> list[WebContent]:
    found: dict[str, WebContent] = {}
    for options in (config.options, *(a.options for a in config.agents.values())):
        for wc in (*options.workspace_web_content, *options.interaction_web_content):
            found.setdefault(wc.section, wc)
    return list(found.values())


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def default_public_url(server: ServerSettings) -> str:
    # A wildcard bind address is not something a browser can open: point at loopback.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(
        server.listen_host, server.listen_host
    )
    return f"http://{url_host(host)}:{server.listen_port}"


def default_database(data_dir: str) -> str:
    # sqlite:///relative/path or sqlite:////absolute/path, as SQLAlchemy spells them.
    return f"sqlite:///{data_dir.rstrip('/')}/wwe-host.db"
