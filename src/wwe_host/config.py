"""The configuration file: one INI text turned into frozen, validated settings.

Everything is checked here, once, at start: a typo in a security list or a malformed
number must stop the server with a message naming the section, option and value, rather
than surface later as a refused request nobody can explain. The only I/O is
``load_config`` reading the file.
"""

from __future__ import annotations

import codecs
import configparser
import dataclasses
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Final
from urllib.parse import quote, urlsplit

from wwe_host import catalog
from wwe_host.protocol import MAX_IN_FLIGHT_PER_FRAME
from wwe_host.security.origins import (
    OriginPolicy,
    frame_allowed,
    normalize_origin,
    url_origin,
)
from wwe_host.security.passwords import is_hashed, validate_hash
from wwe_host.security.ratelimit import RateLimitPolicy
from wwe_host.security.secrets import mask_secrets
from wwe_host.security.userdata import KeyList
from wwe_host.store.retention import (
    DEFAULT_AUDIT_RETENTION,
    AuditRetention,
    parse_audit_retention,
)

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

WEB_CONTENT_MODES: Final = ("tab", "popup", "background", "hidden")
MEDIA: Final = ("voice", "email", "chat")
ROLES: Final = ("ROLE_AGENT", "ROLE_SUPERVISOR", "ROLE_ADMIN")
STATE_ACTIONS: Final = ("Ready", "NotReady", "NotReadyReason", "AfterCallWork", "Dnd", "LogOff")

# The fixed field codes of web-content URLs; `AttachedData.<key>` is the open-ended one.
FIELD_CODES: Final = (
    "Agent.UserName",
    "Agent.EmployeeId",
    "Agent.FullName",
    "Interaction.Id",
    "Interaction.CaseId",
    "Interaction.ANI",
    "Interaction.DNIS",
    "Interaction.UUID",
)
ATTACHED_DATA_PREFIX: Final = "AttachedData."

SERVER_SECTION: Final = "wwe-host"
APP_SECTION: Final = "interaction-workspace"
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
WORKSPACE_WC_OPTION: Final = "workspace.web-content"
INTERACTION_WC_OPTION: Final = "interaction.web-content"

DEMO_LOGINS: Final[tuple[tuple[str, str], ...]] = (
    ("agent1", "agent1"),
    ("agent2", "agent2"),
    ("supervisor", "supervisor"),
)
DEMO_APP_PLACEHOLDER: Final = "{demo_app}"
# Requests a frame may have in flight (received, not yet answered); protocol.md caps it at 256.
DEFAULT_IN_FLIGHT: Final = 32


class ConfigError(Exception):
    """A configuration that must not be used; the message says where and what was expected."""


# --------------------------------------------------------------------------- data model


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

    def __post_init__(self) -> None:
        # Derived defaults are filled here so that ServerSettings() alone is usable.
        if not self.public_url:
            object.__setattr__(self, "public_url", _default_public_url(self))
        if not self.database:
            object.__setattr__(self, "database", _default_database(self.data_dir))

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


@dataclass(frozen=True)
class ApiSecurity:
    origins: OriginPolicy
    rate_limits: RateLimitPolicy
    read_allowed: KeyList
    write_allowed: KeyList
    dial_only: bool = True


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
class Config:
    server: ServerSettings
    security: ApiSecurity
    options: AgentOptions
    agents: Mapping[str, AgentConfig]
    queues: Mapping[str, QueueConfig]
    warnings: tuple[str, ...]
    source: str
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
        """Every origin of every web-content section in use, sorted (CSP ``frame-src``)."""
        return tuple(sorted({wc.origin for wc in _all_web_content(self)}))


def _all_web_content(config: Config) -> list[WebContent]:
    found: dict[str, WebContent] = {}
    for options in (config.options, *(a.options for a in config.agents.values())):
        for wc in (*options.workspace_web_content, *options.interaction_web_content):
            found.setdefault(wc.section, wc)
    return list(found.values())


# --------------------------------------------------------------------------- value parsers

_BOOLEANS: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_INT_RE: Final = re.compile(r"[0-9]+")
_DECIMAL_RE: Final = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_NAME_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]*")
_NUMBER_RE: Final = re.compile(r"\+?[0-9]+")


def _bad(section: str, option: str, value: str, expected: str) -> ConfigError:
    # A value may hold a URL with a password (database, bus, smtp): never print it.
    return ConfigError(f"[{section}] {option} = {mask_secrets(value)!r}: expected {expected}")


def _missing(section: str, option: str, expected: str) -> ConfigError:
    return ConfigError(f"[{section}] {option}: missing; expected {expected}")


def _split_list(value: str) -> list[str]:
    """Comma-separated, spaces and continuation lines ignored; a trailing comma is harmless."""
    return [item.strip() for item in value.split(",") if item.strip()]


def _unique_list(section: str, option: str, value: str) -> list[str]:
    items = _split_list(value)
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise _bad(section, option, value, f"each entry once ('{item}' is listed twice)")
        seen.add(item)
    return items


def _bool(section: str, option: str, value: str) -> bool:
    try:
        return _BOOLEANS[value.strip().lower()]
    except KeyError:
        raise _bad(section, option, value, "true, false, yes, no, 1 or 0") from None


def _decimal(section: str, option: str, value: str, unit: str) -> float:
    text = value.strip()
    if not _DECIMAL_RE.fullmatch(text) or not math.isfinite(number := float(text)):
        raise _bad(section, option, value, f"a number of {unit} >= 0")
    return number


def _int(section: str, option: str, value: str, low: int, high: int, what: str) -> int:
    text = value.strip()
    if not _INT_RE.fullmatch(text) or not low <= int(text) <= high:
        raise _bad(section, option, value, what)
    return int(text)


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (IPv6 hosts in brackets) to ``(host, port)``; raises ValueError."""
    text = value.strip()
    host, colon, port = text.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    elif ":" in host:
        colon = ""  # an unbracketed IPv6 address: the port cannot be told apart
    if not colon or not host or any(c.isspace() for c in host) or not _INT_RE.fullmatch(port):
        raise ValueError("expected HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080)")
    if not 0 <= int(port) <= 65535:
        raise ValueError("expected a port from 0 to 65535")
    return host, int(port)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _default_public_url(server: ServerSettings) -> str:
    # A wildcard bind address is not something a browser can open: point at loopback.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(
        server.listen_host, server.listen_host
    )
    return f"http://{_url_host(host)}:{server.listen_port}"


def _desktop_origins(section: str, value: str) -> tuple[str, ...]:
    """``desktop-origins``: comma-separated ``scheme://host[:port]``, each normalised;
    ``*`` and ``null`` are refused (the point of the list is to name the desktop's own)."""
    option = "desktop-origins"
    origins: list[str] = []
    for entry in _unique_list(section, option, value):
        if entry in ("*", "null"):
            raise _bad(section, option, value, f"origins of the desktop's pages, not '{entry}'")
        try:
            origins.append(normalize_origin(entry))
        except ValueError as exc:
            raise _bad(section, option, value, f"origins (scheme://host[:port]): {exc}") from None
    return tuple(dict.fromkeys(origins))


def _default_database(data_dir: str) -> str:
    # sqlite:///relative/path or sqlite:////absolute/path, as SQLAlchemy spells them.
    return f"sqlite:///{data_dir.rstrip('/')}/wwe-host.db"


def _http_url(section: str, option: str, value: str, what: str) -> str:
    text = value.strip()
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        if ok:
            _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        ok = False
    if not ok or any(c.isspace() for c in text):
        raise _bad(section, option, value, what)
    return text


# --------------------------------------------------------------------------- field codes

_FIELD_CODE_HELP: Final = (
    ", ".join(f"${code}$" for code in FIELD_CODES) + f", ${ATTACHED_DATA_PREFIX}<key>$"
)


def _field_code_error(name: str) -> str | None:
    if name in FIELD_CODES:
        return None
    if name.startswith(ATTACHED_DATA_PREFIX) and name[len(ATTACHED_DATA_PREFIX) :].strip():
        return None
    if name.startswith(ATTACHED_DATA_PREFIX):
        return f"a key after ${ATTACHED_DATA_PREFIX}"
    return f"known field codes ({_FIELD_CODE_HELP}), not ${name}$"


def _split_template(template: str) -> list[str]:
    """Literal text at even indexes, field-code names at odd ones; raises ValueError."""
    parts = template.split("$")
    if len(parts) % 2 == 0:
        raise ValueError("field codes as $Name$ (a '$' is unbalanced; write a literal $ as %24)")
    for name in parts[1::2]:
        problem = _field_code_error(name)
        if problem is not None:
            raise ValueError(problem)
    return parts


def expand_field_codes(template: str, values: Mapping[str, str]) -> str:
    """Fill a web-content URL; values are keyed like ``Agent.UserName``, ``AttachedData.Key1``.

    Each value is URL-encoded as a whole (it may hold ``&`` or ``#``); a missing value is
    the empty string. The caller removes attached-data keys the read list does not allow.
    """
    parts = _split_template(template)
    for index in range(1, len(parts), 2):
        parts[index] = quote(values.get(parts[index], ""), safe="")
    return "".join(parts)


# --------------------------------------------------------------------------- the parser

_SERVER_OPTIONS: Final = frozenset(
    {
        "listen",
        "public-url",
        "data-dir",
        "database",
        "bus",
        "admin-token",
        "smtp",
        "max-message-bytes",
        "max-requests-in-flight",
        "insecure-plain-password",
        "frame-ancestors",
        "desktop-origins",
        "max-desktop-connections",
        "session-idle-timeout",
        "session-max-lifetime",
        "audit-retention",
    }
)
_AUTO_READY_OPTIONS: Final = {f"login.{m}.is-auto-ready": m for m in MEDIA}
_AGENT_OPTION_NAMES: Final = frozenset(
    {
        WORKSPACE_WC_OPTION,
        INTERACTION_WC_OPTION,
        "agent-status.enabled-actions-global",
        "agent-status.not-ready-reasons",
        "security.inactivity-timeout",
        "security.inactivity-alert-dialog-before-timeout",
        "voice.auto-answer",
        "sim.voice.answer-delay",
        *_AUTO_READY_OPTIONS,
    }
)
_SECURITY_OPTIONS: Final = frozenset(
    {
        ORIGINS_OPTION,
        RATE_LIMIT_OPTION,
        QUARANTINE_OPTION,
        READ_ALLOWED_OPTION,
        WRITE_ALLOWED_OPTION,
        DIAL_ONLY_OPTION,
    }
)
_AGENT_PERSON_OPTIONS: Final = frozenset(
    {"firstname", "lastname", "employeeId", "password", "roles", "number", "media"}
)
_WEB_CONTENT_OPTIONS: Final = frozenset({"label", "url", "mode", "icon", "allow"})
_QUEUE_OPTIONS: Final = frozenset({"media", "agents"})


def _is_rate_limit_option(option: str) -> bool:
    return option == RATE_LIMIT_OPTION or option.startswith(RATE_LIMIT_OPTION + ".")


class _Parser:
    """One parse: the INI sections plus what has been noticed along the way."""

    def __init__(self, sections: dict[str, dict[str, str]]) -> None:
        self.sections = sections
        self.unknown: list[str] = []
        self.ignored_agent_security: list[str] = []
        self.web_content: dict[str, WebContent] = {}
        self.used_at: dict[str, set[str]] = {}  # section -> {"workspace", "interaction"}
        self.action_codes: dict[str, str] = {}

    # -- sections ---------------------------------------------------------------------

    def parse(self, source: str) -> Config:
        server = self._server(self.sections.get(SERVER_SECTION, {}))
        self.action_codes = self._action_codes(self.sections.get(ACTION_CODES_SECTION, {}))
        app = self.sections.get(APP_SECTION, {})
        security = self._security(app)
        options = self._agent_options(APP_SECTION, app, AgentOptions())
        agents = self._agents(server, options)
        queues = self._queues(agents)
        self._note_unknown_sections()
        warnings = self._warnings(security)
        return Config(
            server=server,
            security=security,
            options=options,
            agents=MappingProxyType(agents),
            queues=MappingProxyType(queues),
            warnings=tuple(warnings),
            source=source,
        )

    def _note_unknown_options(
        self, section: str, values: Mapping[str, str], known: Callable[[str], bool]
    ) -> None:
        self.unknown.extend(f"[{section}] {option}" for option in values if not known(option))

    def _note_unknown_sections(self) -> None:
        for name in self.sections:
            kind = name in (SERVER_SECTION, APP_SECTION, ACTION_CODES_SECTION)
            kind = kind or name.startswith((AGENT_PREFIX, QUEUE_PREFIX))
            if not kind and name not in self.web_content:
                self.unknown.append(f"[{name}] (section)")

    def _server(self, values: Mapping[str, str]) -> ServerSettings:
        s = SERVER_SECTION
        self._note_unknown_options(s, values, _SERVER_OPTIONS.__contains__)
        kwargs: dict[str, object] = {}
        if "listen" in values:
            try:
                kwargs["listen_host"], kwargs["listen_port"] = parse_listen(values["listen"])
            except ValueError as exc:
                expected = str(exc).removeprefix("expected ")
                raise _bad(s, "listen", values["listen"], expected) from None
        if "public-url" in values:
            url = _http_url(s, "public-url", values["public-url"], "an http(s) URL")
            parts = urlsplit(url)
            if parts.query or parts.fragment:
                raise _bad(s, "public-url", url, "an http(s) URL without query or fragment")
            kwargs["public_url"] = url.rstrip("/")
        if "data-dir" in values:
            data_dir = values["data-dir"].strip()
            if not data_dir:
                raise _bad(s, "data-dir", values["data-dir"], "a directory path")
            kwargs["data_dir"] = data_dir
        if "database" in values:
            db = values["database"].strip()
            if not re.fullmatch(r"sqlite:///\S+|postgres(?:ql)?://\S+", db):
                raise _bad(s, "database", db, "sqlite:///PATH or postgresql://USER@HOST/DB")
            kwargs["database"] = db
        if "bus" in values:
            bus = values["bus"].strip()
            if bus != "memory" and not re.fullmatch(r"rediss?://\S+", bus):
                raise _bad(s, "bus", bus, "memory or redis://HOST:PORT/DB")
            kwargs["bus"] = bus
        if "admin-token" in values:
            token = values["admin-token"].strip()
            if any(c.isspace() for c in token):
                raise _bad(s, "admin-token", "<hidden>", "a token without white space")
            kwargs["admin_token"] = token or None
        if "smtp" in values:
            smtp = values["smtp"].strip()
            if smtp:
                parts = urlsplit(smtp)
                try:
                    ok = parts.scheme in ("smtp", "smtps") and bool(parts.hostname)
                    ok = ok and parts.port is not None and not parts.path.strip("/")
                except ValueError:
                    ok = False
                if not ok:
                    raise _bad(s, "smtp", smtp, "smtp://HOST:PORT (or smtps://HOST:PORT)")
            kwargs["smtp"] = smtp or None
        if "max-message-bytes" in values:
            kwargs["max_message_bytes"] = _int(
                s,
                "max-message-bytes",
                values["max-message-bytes"],
                1024,
                2**31 - 1,
                "a whole number of bytes >= 1024",
            )
        if "max-requests-in-flight" in values:
            kwargs["max_requests_in_flight"] = _int(
                s,
                "max-requests-in-flight",
                values["max-requests-in-flight"],
                1,
                MAX_IN_FLIGHT_PER_FRAME,
                f"a whole number from 1 to {MAX_IN_FLIGHT_PER_FRAME}",
            )
        if "insecure-plain-password" in values:
            kwargs["insecure_plain_password"] = _bool(
                s, "insecure-plain-password", values["insecure-plain-password"]
            )
        if "frame-ancestors" in values:
            fa = " ".join(values["frame-ancestors"].split())
            if not fa or any(c in fa for c in ';,"<>'):
                raise _bad(
                    s,
                    "frame-ancestors",
                    values["frame-ancestors"],
                    "a CSP source list such as 'self' https://portal.example.com",
                )
            kwargs["frame_ancestors"] = fa
        if "audit-retention" in values:
            try:
                kwargs["audit_retention"] = parse_audit_retention(values["audit-retention"])
            except ValueError as exc:
                raise _bad(s, "audit-retention", values["audit-retention"], str(exc)) from None
        if "desktop-origins" in values:
            kwargs["desktop_origins"] = _desktop_origins(s, values["desktop-origins"])
        if "max-desktop-connections" in values:
            kwargs["max_desktop_connections"] = _int(
                s,
                "max-desktop-connections",
                values["max-desktop-connections"],
                1,
                1000,
                "a whole number of connections from 1 to 1000",
            )
        for option, name in (
            ("session-idle-timeout", "session_idle_timeout_minutes"),
            ("session-max-lifetime", "session_max_lifetime_minutes"),
        ):
            if option in values:
                kwargs[name] = _decimal(s, option, values[option], "minutes (0 = no limit)")
        server = ServerSettings(**kwargs)  # type: ignore[arg-type]
        derived = "public-url" not in values
        try:
            server.public_origin  # noqa: B018 - validates the origin the doors compare with
        except ValueError as exc:
            if derived and server.listen_port == 0:
                return server  # `serve` derives it again from the port it gets
            option = "listen" if derived else "public-url"
            raise _bad(
                s,
                option,
                values.get(option, server.public_url),
                f"a host that can be part of an origin ({exc})",
            ) from None
        return server

    def _action_codes(self, values: Mapping[str, str]) -> dict[str, str]:
        codes: dict[str, str] = {}
        for reason, code in values.items():
            text = code.strip()
            if not text or any(c.isspace() for c in text):
                raise _bad(ACTION_CODES_SECTION, reason, code, "a code without white space")
            codes[reason] = text
        return codes

    def _security(self, app: Mapping[str, str]) -> ApiSecurity:
        s = APP_SECTION

        def wrap(option: str, exc: ValueError) -> ConfigError:
            message = str(exc)
            if option not in message:
                message = f"{option}: {message}"
            return ConfigError(f"[{s}] {message}")

        try:
            origins = OriginPolicy.parse(app.get(ORIGINS_OPTION))
        except ValueError as exc:  # OriginPolicyError quotes the entry
            raise wrap(ORIGINS_OPTION, exc) from None
        limits = {
            k: v for k, v in app.items() if _is_rate_limit_option(k) or k == QUARANTINE_OPTION
        }
        try:
            rate_limits = RateLimitPolicy.from_options(limits)
        except ValueError as exc:
            raise wrap("service-client-api.rate-limit", exc) from None
        lists: list[KeyList] = []
        for option in (READ_ALLOWED_OPTION, WRITE_ALLOWED_OPTION):
            try:
                lists.append(KeyList.parse(app.get(option)))
            except ValueError as exc:
                raise ConfigError(f"[{s}] {option} = {app[option]!r}: {exc}") from None
        dial_only = True
        if DIAL_ONLY_OPTION in app:
            dial_only = _bool(s, DIAL_ONLY_OPTION, app[DIAL_ONLY_OPTION])
        self._note_unknown_options(
            s,
            {k: v for k, v in app.items() if k.startswith(SCAPI_PREFIX)},
            lambda o: o in _SECURITY_OPTIONS or _is_rate_limit_option(o),
        )
        return ApiSecurity(origins, rate_limits, lists[0], lists[1], dial_only)

    def _agent_options(
        self, section: str, values: Mapping[str, str], base: AgentOptions
    ) -> AgentOptions:
        """Apply the options present in ``values`` over ``base`` (app defaults or app level)."""
        changes: dict[str, object] = {}
        auto_ready = dict(base.auto_ready)
        for option, value in values.items():
            if option in (WORKSPACE_WC_OPTION, INTERACTION_WC_OPTION):
                level = "workspace" if option == WORKSPACE_WC_OPTION else "interaction"
                contents = tuple(
                    self._web_content(section, option, value, name, level)
                    for name in _unique_list(section, option, value)
                )
                changes[f"{level}_web_content"] = contents
            elif option == "agent-status.enabled-actions-global":
                actions = _unique_list(section, option, value)
                for action in actions:
                    if action not in STATE_ACTIONS:
                        raise _bad(
                            section,
                            option,
                            value,
                            f"entries from {', '.join(STATE_ACTIONS)} (not '{action}')",
                        )
                changes["enabled_actions"] = tuple(actions)
            elif option == "agent-status.not-ready-reasons":
                reasons = _unique_list(section, option, value)
                changes["not_ready_reasons"] = tuple(
                    (r, self.action_codes.get(r, "")) for r in reasons
                )
            elif option == "security.inactivity-timeout":
                changes["inactivity_timeout_minutes"] = _decimal(section, option, value, "minutes")
            elif option == "security.inactivity-alert-dialog-before-timeout":
                changes["inactivity_alert_seconds"] = _decimal(section, option, value, "seconds")
            elif option == "voice.auto-answer":
                changes["voice_auto_answer"] = _bool(section, option, value)
            elif option == "sim.voice.answer-delay":
                changes["answer_delay"] = _decimal(section, option, value, "seconds")
            elif option in _AUTO_READY_OPTIONS:
                auto_ready[_AUTO_READY_OPTIONS[option]] = _bool(section, option, value)
            elif section == APP_SECTION and not option.startswith(SCAPI_PREFIX):
                self.unknown.append(f"[{section}] {option}")
        changes["auto_ready"] = MappingProxyType(auto_ready)
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]

    def _web_content(
        self, ref_section: str, ref_option: str, ref_value: str, name: str, level: str
    ) -> WebContent:
        self.used_at.setdefault(name, set()).add(level)
        if name in self.web_content:
            return self.web_content[name]
        reserved = name in (SERVER_SECTION, APP_SECTION, ACTION_CODES_SECTION)
        if reserved or name.startswith((AGENT_PREFIX, QUEUE_PREFIX)):
            raise _bad(ref_section, ref_option, ref_value, f"web-content sections, not [{name}]")
        if name not in self.sections:
            raise _bad(
                ref_section,
                ref_option,
                ref_value,
                f"names of existing sections (there is no section [{name}])",
            )
        values = self.sections[name]
        self._note_unknown_options(name, values, _WEB_CONTENT_OPTIONS.__contains__)
        if "url" not in values or not values["url"].strip():
            raise _missing(name, "url", "the app's http(s) URL")
        url = values["url"].strip()
        try:
            _split_template(url)
        except ValueError as exc:
            raise _bad(name, "url", url, str(exc)) from None
        parts = urlsplit(url)
        origin_text = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme not in ("http", "https") or "$" in origin_text:
            raise _bad(
                name, "url", url, "an http(s) URL whose scheme, host and port have no field codes"
            )
        try:
            origin = normalize_origin(origin_text)
        except ValueError as exc:
            raise _bad(name, "url", url, f"an http(s) URL ({exc})") from None
        if any(c.isspace() for c in url):
            raise _bad(name, "url", url, "a URL without white space (write a space as %20)")
        mode = values.get("mode", "tab").strip()
        if mode not in WEB_CONTENT_MODES:
            raise _bad(name, "mode", values["mode"], " | ".join(WEB_CONTENT_MODES))
        icon: str | None = None
        if values.get("icon", "").strip():
            icon = _http_url(name, "icon", values["icon"], "an http(s) URL")
        allow = " ".join(values.get("allow", "").split())
        if any(c in allow for c in '"<>`'):
            raise _bad(
                name,
                "allow",
                values["allow"],
                "an iframe allow list such as: microphone; camera; clipboard-write",
            )
        label = values.get("label", "").strip() or name
        content = WebContent(name, label, url, mode, icon, allow, origin)
        self.web_content[name] = content
        return content

    def _agents(self, server: ServerSettings, app: AgentOptions) -> dict[str, AgentConfig]:
        agents: dict[str, AgentConfig] = {}
        numbers: dict[str, str] = {}
        for section, values in self.sections.items():
            if not section.startswith(AGENT_PREFIX):
                continue
            username = section[len(AGENT_PREFIX) :].strip()
            if not _NAME_RE.fullmatch(username):
                raise ConfigError(
                    f"[{section}]: expected [agent:USERNAME] with a user name of letters, "
                    "digits and _ . @ + -"
                )
            if username in agents:
                raise ConfigError(f"[{section}]: the agent '{username}' is defined twice")
            agent = self._agent(section, username, values, server, app)
            if agent.number in numbers:
                raise _bad(
                    section,
                    "number",
                    agent.number,
                    f"a number of its own (agent '{numbers[agent.number]}' has it already)",
                )
            numbers[agent.number] = username
            agents[username] = agent
        # `to` of a simulated call is a user name or a DN: both must name the same agent.
        for username in agents:
            owner = numbers.get(username)
            if owner is not None and owner != username:
                raise ConfigError(
                    f"[agent:{username}]: the user name '{username}' is the number of agent "
                    f"'{owner}'; a call to '{username}' would be ambiguous"
                )
        return agents

    def _agent(
        self,
        section: str,
        username: str,
        values: Mapping[str, str],
        server: ServerSettings,
        app: AgentOptions,
    ) -> AgentConfig:
        for option in values:
            if option.startswith(SCAPI_PREFIX):
                self.ignored_agent_security.append(f"[{section}] {option}")
            elif option not in _AGENT_PERSON_OPTIONS and option not in _AGENT_OPTION_NAMES:
                self.unknown.append(f"[{section}] {option}")

        def required(option: str, expected: str) -> str:
            text = values.get(option, "").strip()
            if not text:
                raise _missing(section, option, expected)
            return text

        firstname = required("firstname", "the agent's first name")
        lastname = required("lastname", "the agent's last name")
        employee_id = required("employeeId", "the agent's employee id")
        password = required("password", "a hash made by `wwe-host hash-password`")
        if not server.insecure_plain_password and not is_hashed(password):
            raise ConfigError(
                f"[{section}] password: expected a hash made by `wwe-host hash-password` "
                f"(the value is not shown); plain-text passwords need "
                f"[{SERVER_SECTION}] insecure-plain-password = true (demo and tests only)"
            )
        if is_hashed(password):
            try:
                validate_hash(password)
            except ValueError as exc:
                raise ConfigError(
                    f"[{section}] password: a malformed hash ({exc}); make a new one with "
                    "`wwe-host hash-password`"
                ) from None
        number = required("number", "the DN of the agent's place, e.g. 5001")
        if not _NUMBER_RE.fullmatch(number):
            raise _bad(section, "number", number, "a DN made of digits, e.g. 5001")
        roles = self._choices(section, "roles", values.get("roles", "ROLE_AGENT"), ROLES, True)
        media = self._choices(section, "media", values.get("media", ",".join(MEDIA)), MEDIA)
        overrides = {k: v for k, v in values.items() if k in _AGENT_OPTION_NAMES}
        options = self._agent_options(section, overrides, app)
        return AgentConfig(
            username=username,
            firstname=firstname,
            lastname=lastname,
            employee_id=employee_id,
            password=password,
            roles=roles,
            number=number,
            media=media,
            options=options,
        )

    def _choices(
        self,
        section: str,
        option: str,
        value: str,
        allowed: tuple[str, ...],
        may_be_empty: bool = False,
    ) -> tuple[str, ...]:
        items = _unique_list(section, option, value)
        for item in items:
            if item not in allowed:
                raise _bad(section, option, value, f"entries from {', '.join(allowed)}")
        if not items and not may_be_empty:
            raise _bad(section, option, value, f"one or more of {', '.join(allowed)}")
        return tuple(items)

    def _queues(self, agents: Mapping[str, AgentConfig]) -> dict[str, QueueConfig]:
        queues: dict[str, QueueConfig] = {}
        for section, values in self.sections.items():
            if not section.startswith(QUEUE_PREFIX):
                continue
            name = section[len(QUEUE_PREFIX) :].strip()
            if not _NAME_RE.fullmatch(name):
                raise ConfigError(
                    f"[{section}]: expected [queue:NAME] with a name of letters, digits "
                    "and _ . @ + -"
                )
            if name in queues:
                raise ConfigError(f"[{section}]: the queue '{name}' is defined twice")
            self._note_unknown_options(section, values, _QUEUE_OPTIONS.__contains__)
            media = self._choices(section, "media", values.get("media", ",".join(MEDIA)), MEDIA)
            members = _unique_list(section, "agents", values.get("agents", ""))
            for member in members:
                if member not in agents:
                    raise _bad(
                        section,
                        "agents",
                        values["agents"],
                        f"user names of [agent:...] sections (there is no agent '{member}')",
                    )
            queues[name] = QueueConfig(name, media, tuple(members))
        return queues

    def _warnings(self, security: ApiSecurity) -> list[str]:
        warnings: list[str] = []
        if self.unknown:
            warnings.append(
                "unknown sections and options, ignored (a typo?): " + "; ".join(self.unknown)
            )
        if self.ignored_agent_security:
            warnings.append(
                "service-client-api.* options are read from [interaction-workspace] only; "
                "ignored: " + "; ".join(self.ignored_agent_security)
            )
        blocked = sorted(
            f"[{wc.section}] {wc.origin}"
            for wc in self.web_content.values()
            if frame_allowed(security.origins, wc.origin, agent_level=False, dial_only=False)
            is None
        )
        if blocked:
            warnings.append(
                f"web content whose origin is not in {ORIGINS_OPTION} "
                "(it loads, but every API request fails): " + "; ".join(blocked)
            )
        tab_only = sorted(
            f"[{name}] mode = {self.web_content[name].mode}"
            for name, levels in self.used_at.items()
            if levels == {"workspace"} and self.web_content[name].mode != "tab"
        )
        if tab_only:
            warnings.append(
                "mode applies to interaction-level web content only; these sections are "
                "used only in workspace.web-content, where each app is a tab: "
                + "; ".join(tab_only)
            )
        return warnings


def _read_ini(text: str, source: str) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser(
        interpolation=None,
        delimiters=("=",),
        comment_prefixes=("#", ";"),
        inline_comment_prefixes=("#", ";"),  # configparser needs white space before these
        empty_lines_in_values=False,
        default_section="",  # `[DEFAULT]` is an ordinary (unknown) section, no magic
        strict=True,
    )
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    try:
        parser.read_string(text, source=source)
    except configparser.DuplicateSectionError as exc:
        raise ConfigError(
            f"{source}, line {exc.lineno}: section [{exc.section}] appears twice"
        ) from None
    except configparser.DuplicateOptionError as exc:
        raise ConfigError(
            f"{source}, line {exc.lineno}: [{exc.section}] {exc.option} is set twice"
        ) from None
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigError(
            f"{source}, line {exc.lineno}: an option before any [section]: {exc.line.strip()!r}"
        ) from None
    except configparser.ParsingError as exc:
        text_lines = text.splitlines()
        lines = "; ".join(f"line {n}: {text_lines[n - 1].strip()!r}" for n, _ in exc.errors)
        raise ConfigError(f"{source}: expected 'option = value' lines: {lines}") from None
    except configparser.Error as exc:
        raise ConfigError(f"{source}: {exc.message}") from None
    return {name: dict(parser.items(name)) for name in parser.sections()}


def parse_config(text: str, source: str = "<string>") -> Config:
    """Parse and validate a whole configuration; raises ConfigError on the first mistake."""
    return _Parser(_read_ini(text, source)).parse(source)


def load_config(path: str | Path) -> Config:
    """Read and parse a file; an unreadable file is a ConfigError too (one error path)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        # utf-8-sig: a file saved with a byte-order mark (Windows editors) reads the same.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        line = data.count(b"\n", 0, at) + 1
        raise ConfigError(
            f"{path}, line {line}: not UTF-8 text ({exc.reason} at byte {at}); "
            "save the file as UTF-8"
        ) from None
    return parse_config(text, str(path))


def demo_config(demo_app_url: str) -> Config:
    """The built-in demo (no ``--config``), with the demo app served at ``demo_app_url``."""
    base = demo_app_url.strip().rstrip("/")
    text = resources.files("wwe_host").joinpath("demo.ini").read_text(encoding="utf-8")
    return parse_config(text.replace(DEMO_APP_PLACEHOLDER, base), "<demo>")


def with_server_overrides(
    config: Config, *, listen: str | None = None, data_dir: str | None = None
) -> Config:
    """Apply ``serve --listen/--data-dir``; defaults derived from them follow them.

    ``public-url`` and ``database`` are recomputed only when they still hold the value
    derived from the old listen address or data directory.
    """
    old = config.server
    changes: dict[str, object] = {}
    if listen is not None:
        try:
            changes["listen_host"], changes["listen_port"] = parse_listen(listen)
        except ValueError as exc:
            raise ConfigError(f"--listen {listen!r}: {exc}") from None
        if old.public_url == _default_public_url(old):
            changes["public_url"] = ""
    if data_dir is not None:
        if not data_dir.strip():
            raise ConfigError("--data-dir: expected a directory path")
        changes["data_dir"] = data_dir.strip()
        if old.database == _default_database(old.data_dir):
            changes["database"] = ""
    if not changes:
        return config
    server = dataclasses.replace(old, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(config, server=server)


# --------------------------------------------------------------------------- rendering


def _wrap(label: str, words: Iterable[str], indent: str = "      ") -> list[str]:
    text = ", ".join(words) or "(none)"
    return textwrap.wrap(
        text, width=100, initial_indent=indent + label, subsequent_indent=indent + " " * len(label)
    )


def _frame_set(config: Config, wc: WebContent, agent_level: bool) -> str:
    allowed = frame_allowed(
        config.security.origins,
        wc.origin,
        agent_level=agent_level,
        dial_only=config.security.dial_only,
    )
    if allowed is None:
        return "API: none (origin not accepted)"
    if allowed >= frozenset(catalog.REQUESTS):
        return "API: every request"
    if len(allowed) > 6:
        return f"API: {len(allowed)} requests (the origin's filter)"
    return "API: " + ", ".join(sorted(allowed))


def _setting_lines(options: AgentOptions) -> list[str]:
    reasons = ", ".join(f"{r} (code {c or 'none'})" for r, c in options.not_ready_reasons)
    timeout = options.inactivity_timeout_minutes
    alert = options.inactivity_alert_seconds
    auto = ", ".join(f"{m}={'yes' if v else 'no'}" for m, v in options.auto_ready.items())
    return [
        f"state actions: {', '.join(options.enabled_actions) or '(none)'}",
        f"not-ready reasons: {reasons or '(none)'}",
        "inactivity timeout: "
        + (f"{timeout:g} min, alert {alert:g} s before" if timeout else "off"),
        f"voice auto-answer: {'yes' if options.voice_auto_answer else 'no'}",
        f"auto-ready at login: {auto}",
        f"far end answers outbound calls after: {options.answer_delay:g} s",
    ]


def _web_content_lines(config: Config, options: AgentOptions) -> list[str]:
    lines: list[str] = []
    for title, contents, agent_level in (
        ("workspace web content", options.workspace_web_content, True),
        ("interaction web content", options.interaction_web_content, False),
    ):
        lines.append(f"{title}:" if contents else f"{title}: (none)")
        for wc in contents:
            mode = "tab (workspace)" if agent_level else wc.mode
            lines.append(
                f"  [{wc.section}] {wc.label!r}, {mode}, {_frame_set(config, wc, agent_level)}"
            )
            lines.append(f"    {wc.url}")
    return lines


def _lifetimes(server: ServerSettings) -> str:
    idle, most = server.session_idle_timeout_minutes, server.session_max_lifetime_minutes
    return (
        f"idle timeout {f'{idle:g} min' if idle else 'none'}, "
        f"max lifetime {f'{most:g} min' if most else 'none'}"
    )


def render_effective(config: Config) -> str:
    """The effective configuration as ``check-config`` prints it (no secrets)."""
    s = config.server
    sec = config.security
    plain = "ALLOWED (demo and tests only)" if s.insecure_plain_password else "refused"
    frame_src = ", ".join(config.web_content_origins()) or "(none)"
    app_settings = _setting_lines(config.options)
    out = [
        f"configuration: {config.source}",
        "",
        "server:",
        f"  listen: {_url_host(s.listen_host)}:{s.listen_port}",
        f"  public url: {s.public_url}",
        f"  data dir: {s.data_dir}",
        f"  database: {mask_secrets(s.database)}",
        f"  bus: {mask_secrets(s.bus)}",
        f"  admin token: {'set' if s.admin_token else 'not set (ROLE_ADMIN sessions only)'}",
        f"  smtp: {mask_secrets(s.smtp or 'none (outbound e-mail kept in the outbox)')}",
        f"  max message bytes: {s.max_message_bytes}",
        f"  max requests in flight per frame: {s.max_requests_in_flight}",
        f"  plain-text passwords: {plain}",
        f"  frame-ancestors: {s.frame_ancestors}",
        "  desktop origins (login, logout, desktop WebSocket, cookie changes): "
        + (", ".join(sorted(s.accepted_desktop_origins)) or "(none)"),
        f"  desktop connections per session: at most {s.max_desktop_connections}",
        f"  session tokens: {_lifetimes(s)}",
        f"  audit retention: {s.audit_retention.describe()}",
        f"  web-content origins (frame-src): {frame_src}",
        "",
        f"accepted origins ({ORIGINS_OPTION}):",
    ]
    if not sec.origins.entries:
        out.append("  (none: every request fails [NOT_ALLOWED])")
    for entry in sec.origins.entries:
        filters = f"({', '.join(entry.filters)})" if entry.filters else "(no filter)"
        out.append(f"  {entry.origin} {filters} -> {len(entry.requests)} request(s):")
        out += _wrap("", sorted(entry.requests), "      ")
    if sec.dial_only:
        out.append("  workspace tabs: click-to-dial only (voice.dial, system.getAllowedServices)")
    else:
        out.append("  workspace tabs: their origin's filter (dial-only = false)")
    rl = sec.rate_limits
    delay = rl.quarantine_delay
    out += [
        "",
        "rate limits (requests per minute per agent session; 0 = unlimited):",
        f"  default: {rl.default}",
        *(f"  {request}: {limit}" for request, limit in sorted(rl.per_request.items())),
        f"  quarantine: {f'{delay:g} s' if delay else 'forever'}",
        "",
        "attached data:",
        f"  read-allowed: {sec.read_allowed.describe()}",
        f"  write-allowed: {sec.write_allowed.describe()}",
        "",
        "application options:",
        *(f"  {line}" for line in app_settings),
        *(f"  {line}" for line in _web_content_lines(config, config.options)),
        "",
        f"agents ({len(config.agents)}):",
    ]
    for agent in config.agents.values():
        out.append(
            f"  {agent.username}: {agent.full_name}, employee {agent.employee_id}, "
            f"number {agent.number}, media {', '.join(agent.media)}, "
            f"roles {', '.join(agent.roles) or '(none)'}"
        )
        own = [line for line in _setting_lines(agent.options) if line not in app_settings]
        out += [f"    {line}" for line in own or ["other options: as the application"]]
        out += [f"    {line}" for line in _web_content_lines(config, agent.options)]
    out += ["", f"queues ({len(config.queues)}):"]
    for queue in config.queues.values():
        out.append(
            f"  {queue.name}: media {', '.join(queue.media)}; "
            f"agents {', '.join(queue.agents) or '(none)'}"
        )
    out += ["", "warnings:" if config.warnings else "warnings: none"]
    out += [f"  - {w}" for w in config.warnings]
    return "\n".join(out) + "\n"
