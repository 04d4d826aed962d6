"""The configuration file parsed: one INI text turned into frozen, validated settings
(``wwe_host.settings``).

Everything is checked here, once, at start: a typo in a security list or a malformed
number must stop the server with a message naming the section, option and value, rather
than surface later as a refused request nobody can explain. The only I/O is
``load_config`` reading the file (``ini.read_text``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from wwe_host.security.options import OptionReadList
from wwe_host.security.origins import OriginPolicy, frame_allowed, normalize_origin
from wwe_host.security.passwords import is_hashed, validate_hash
from wwe_host.security.ratelimit import RateLimitPolicy
from wwe_host.security.userdata import KeyList
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

from .campaigns import CAMPAIGN_PREFIX, parse_campaigns
from .fields import split_template
from .ini import read_ini, read_text
from .names import (
    ACTION_CODES_SECTION,
    AFTER_CALL_WORK_OPTION,
    AGENT_OPTION_NAMES,
    AGENT_PERSON_OPTIONS,
    AGENT_PREFIX,
    APP_SECTION,
    AUTO_READY_OPTIONS,
    DIAL_ONLY_OPTION,
    DISPOSITION_CODES_OPTION,
    DISPOSITION_KEY_OPTION,
    DISPOSITION_MANDATORY_OPTION,
    INTERACTION_WC_OPTION,
    OPTIONS_READ_OPTION,
    ORIGINS_OPTION,
    QUARANTINE_OPTION,
    QUEUE_OPTIONS,
    QUEUE_PREFIX,
    READ_ALLOWED_OPTION,
    SCAPI_PREFIX,
    SECURITY_OPTIONS,
    SERVER_SECTION,
    WEB_CONTENT_OPTIONS,
    WORKSPACE_WC_OPTION,
    WRITE_ALLOWED_OPTION,
    is_rate_limit_option,
)
from .server import SERVER_OPTIONS, parse_server
from .values import (
    NAME_RE,
    NUMBER_RE,
    ConfigError,
    Problems,
    bad,
    check_bool,
    check_decimal,
    did_you_mean,
    http_url,
    missing,
    unique_list,
)

__all__ = ["load_config", "parse_config"]


_FIXED_SECTIONS: tuple[str, ...] = (SERVER_SECTION, APP_SECTION, ACTION_CODES_SECTION)
_APP_OPTIONS: frozenset[str] = SECURITY_OPTIONS | AGENT_OPTION_NAMES


def _check_name(section: str, kind: str, name: str, defined: Mapping[str, object]) -> None:
    """The name of an ``[agent:USERNAME]`` or ``[queue:NAME]`` section: usable, and once."""
    if not NAME_RE.fullmatch(name):
        wanted = "[agent:USERNAME] with a user name"
        if kind == "queue":
            wanted = "[queue:NAME] with a name"
        raise ConfigError(f"[{section}]: expected {wanted} of letters, digits and _ . @ + -")
    if name in defined:
        raise ConfigError(f"[{section}]: the {kind} '{name}' is defined twice")


class _Parser:
    """One parse: the INI sections plus what has been noticed along the way.

    A mistake does not stop the parse: ``problems`` records it (``Problems.check``), the
    option keeps its default, and the rest of the file is checked, so that one run reports
    every mistake. ``parse`` raises them all at the end, in the order of the checks."""

    def __init__(self, sections: dict[str, dict[str, str]]) -> None:
        self.sections = sections
        self.problems = Problems()
        self.unknown: list[str] = []
        # Sections with a mistake (reported once): what names them adds no second error.
        self.broken_content: set[str] = set()
        self.broken_agents: set[str] = set()
        self.ignored_agent_security: list[str] = []
        self.web_content: dict[str, WebContent] = {}
        self.used_at: dict[str, set[str]] = {}  # section -> {"workspace", "interaction"}
        self.action_codes: dict[str, str] = {}

    # -- sections ---------------------------------------------------------------------

    def parse(self, source: str) -> Config:
        server_values = self.sections.get(SERVER_SECTION, {})
        self._note_unknown_options(SERVER_SECTION, server_values, SERVER_OPTIONS)
        server = parse_server(server_values, self.problems)
        # A malformed `insecure-plain-password` is reported once, not again by every agent.
        self.plain_allowed_unknown = False
        if "insecure-plain-password" in server_values:
            try:
                check_bool(SERVER_SECTION, "", server_values["insecure-plain-password"])
            except ConfigError:
                self.plain_allowed_unknown = True
        self.action_codes = self._action_codes(self.sections.get(ACTION_CODES_SECTION, {}))
        app = self.sections.get(APP_SECTION, {})
        security = self._security(app)
        options = self._agent_options(APP_SECTION, app, AgentOptions())
        agents = self._agents(server, options)
        queues = self._queues(agents)
        base = Path.cwd() if source.startswith("<") else Path(source).parent
        campaigns = parse_campaigns(
            self.sections, agents, base, self.problems, self.unknown, self.broken_agents
        )
        self._note_unknown_sections()
        self.problems.raise_any(tuple(self._unknown_warnings()))
        warnings = self._warnings(security)
        return Config(
            server=server,
            security=security,
            options=options,
            agents=MappingProxyType(agents),
            queues=MappingProxyType(queues),
            campaigns=MappingProxyType(campaigns),
            warnings=tuple(warnings),
            source=source,
            sections=self._readable_sections(),
        )

    def _readable_sections(self) -> Mapping[str, Mapping[str, str]]:
        """The sections as written, for configuration.getOption, without the server's
        section and the agents' passwords (never readable, whatever the read list says)."""
        return MappingProxyType(
            {
                name: MappingProxyType(
                    {
                        k: v
                        for k, v in values.items()
                        if not (name.startswith(AGENT_PREFIX) and k == "password")
                    }
                )
                for name, values in self.sections.items()
                if name != SERVER_SECTION
            }
        )

    def _note_unknown_options(
        self,
        section: str,
        values: Mapping[str, str],
        known: frozenset[str],
        also_known: Callable[[str], bool] = lambda option: False,
    ) -> None:
        for option in values:
            if option not in known and not also_known(option):
                self.unknown.append(f"[{section}] {option}{did_you_mean(option, known)}")

    def _note_unknown_sections(self) -> None:
        for name in self.sections:
            kind = name in _FIXED_SECTIONS or name.startswith(
                (AGENT_PREFIX, QUEUE_PREFIX, CAMPAIGN_PREFIX)
            )
            if not kind and name not in self.web_content and name not in self.broken_content:
                # `[agnet:bob]` is close to `agent:bob`, `[interaction-worksapce]` to ours
                _, colon, rest = name.partition(":")
                known = [*_FIXED_SECTIONS, *(f"{p}{rest}" for p in (AGENT_PREFIX, QUEUE_PREFIX))]
                hint = did_you_mean(name, known) if colon or len(name) > 3 else ""
                self.unknown.append(f"[{name}] (section){hint}")

    def _action_codes(self, values: Mapping[str, str]) -> dict[str, str]:
        codes: dict[str, str] = {}
        for reason, code in values.items():
            text = code.strip()
            with self.problems.check():
                if not text or any(c.isspace() for c in text):
                    raise bad(ACTION_CODES_SECTION, reason, code, "a code without white space")
                codes[reason] = text
        return codes

    def _security(self, app: Mapping[str, str]) -> ApiSecurity:
        s = APP_SECTION

        def wrap(option: str, exc: ValueError) -> ConfigError:
            message = str(exc)
            if option not in message:
                message = f"{option}: {message}"
            return ConfigError(f"[{s}] {message}")

        # A mistake keeps the default (nothing accepted, no limit, empty lists) and is
        # recorded: the file does not start a server anyway.
        origins = OriginPolicy.parse(None)
        try:
            origins = OriginPolicy.parse(app.get(ORIGINS_OPTION))
        except ValueError as exc:  # OriginPolicyError quotes the entry
            self.problems.found.append(str(wrap(ORIGINS_OPTION, exc)))
        limits = {k: v for k, v in app.items() if is_rate_limit_option(k) or k == QUARANTINE_OPTION}
        rate_limits = RateLimitPolicy.from_options({})
        try:
            rate_limits = RateLimitPolicy.from_options(limits)
        except ValueError as exc:
            self.problems.found.append(str(wrap("service-client-api.rate-limit", exc)))
        lists: list[KeyList] = []
        for option in (READ_ALLOWED_OPTION, WRITE_ALLOWED_OPTION):
            try:
                lists.append(KeyList.parse(app.get(option)))
            except ValueError as exc:
                lists.append(KeyList.parse(None))
                self.problems.found.append(f"[{s}] {option} = {app[option]!r}: {exc}")
        dial_only = True
        if DIAL_ONLY_OPTION in app:
            with self.problems.check():
                dial_only = check_bool(s, DIAL_ONLY_OPTION, app[DIAL_ONLY_OPTION])
        options_read = OptionReadList.parse(None)
        try:
            options_read = OptionReadList.parse(app.get(OPTIONS_READ_OPTION))
        except ValueError as exc:
            self.problems.found.append(f"[{s}] {OPTIONS_READ_OPTION}: {exc}")
        self._note_unknown_options(
            s,
            {k: v for k, v in app.items() if k.startswith(SCAPI_PREFIX)},
            SECURITY_OPTIONS,
            is_rate_limit_option,
        )
        return ApiSecurity(origins, rate_limits, lists[0], lists[1], dial_only, options_read)

    def _agent_options(
        self, section: str, values: Mapping[str, str], base: AgentOptions
    ) -> AgentOptions:
        """Apply the options present in ``values`` over ``base`` (app defaults or app level)."""
        changes: dict[str, object] = {}
        auto_ready = dict(base.auto_ready)
        for option, value in values.items():
            with self.problems.check():
                if option in (WORKSPACE_WC_OPTION, INTERACTION_WC_OPTION):
                    level = "workspace" if option == WORKSPACE_WC_OPTION else "interaction"
                    contents: list[WebContent] = []
                    for name in unique_list(section, option, value):
                        with self.problems.check():
                            contents.append(self._web_content(section, option, value, name, level))
                    changes[f"{level}_web_content"] = tuple(contents)
                elif option == "agent-status.enabled-actions-global":
                    actions = unique_list(section, option, value)
                    for action in actions:
                        if action not in STATE_ACTIONS:
                            raise bad(
                                section,
                                option,
                                value,
                                f"entries from {', '.join(STATE_ACTIONS)} (not '{action}')",
                            )
                    changes["enabled_actions"] = tuple(actions)
                elif option == "agent-status.not-ready-reasons":
                    reasons = unique_list(section, option, value)
                    changes["not_ready_reasons"] = tuple(
                        (r, self.action_codes.get(r, "")) for r in reasons
                    )
                elif option == "security.inactivity-timeout":
                    changes["inactivity_timeout_minutes"] = check_decimal(
                        section, option, value, "minutes"
                    )
                elif option == "security.inactivity-alert-dialog-before-timeout":
                    changes["inactivity_alert_seconds"] = check_decimal(
                        section, option, value, "seconds"
                    )
                elif option == "voice.auto-answer":
                    changes["voice_auto_answer"] = check_bool(section, option, value)
                elif option == "sim.voice.answer-delay":
                    changes["answer_delay"] = check_decimal(section, option, value, "seconds")
                elif option == DISPOSITION_CODES_OPTION:
                    changes["disposition_codes"] = tuple(unique_list(section, option, value))
                elif option == DISPOSITION_MANDATORY_OPTION:
                    changes["disposition_mandatory"] = check_bool(section, option, value)
                elif option == DISPOSITION_KEY_OPTION:
                    if not value.strip():
                        raise bad(section, option, value, "an attached-data key name")
                    changes["disposition_key"] = value.strip()
                elif option == AFTER_CALL_WORK_OPTION:
                    changes["after_call_work"] = check_bool(section, option, value)
                elif option in AUTO_READY_OPTIONS:
                    auto_ready[AUTO_READY_OPTIONS[option]] = check_bool(section, option, value)
                elif section == APP_SECTION and not option.startswith(SCAPI_PREFIX):
                    self.unknown.append(f"[{section}] {option}{did_you_mean(option, _APP_OPTIONS)}")
        changes["auto_ready"] = MappingProxyType(auto_ready)
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]

    def _web_content(
        self, ref_section: str, ref_option: str, ref_value: str, name: str, level: str
    ) -> WebContent:
        self.used_at.setdefault(name, set()).add(level)
        if name in self.web_content:
            return self.web_content[name]
        reserved = name in (SERVER_SECTION, APP_SECTION, ACTION_CODES_SECTION)
        if reserved or name.startswith((AGENT_PREFIX, QUEUE_PREFIX, CAMPAIGN_PREFIX)):
            raise bad(ref_section, ref_option, ref_value, f"web-content sections, not [{name}]")
        if name not in self.sections:
            hint = did_you_mean(name, self.sections)
            raise bad(
                ref_section,
                ref_option,
                ref_value,
                f"names of existing sections (there is no section [{name}]){hint}",
            )
        if name in self.broken_content:
            raise ConfigError()  # its mistakes are recorded already
        values = self.sections[name]
        self._note_unknown_options(name, values, WEB_CONTENT_OPTIONS)
        problems = Problems()
        with problems.check():
            url, origin = self._web_content_url(name, values)
        with problems.check():
            mode = values.get("mode", "tab").strip()
            if mode not in WEB_CONTENT_MODES:
                raise bad(name, "mode", values["mode"], " | ".join(WEB_CONTENT_MODES))
        icon: str | None = None
        if values.get("icon", "").strip():
            with problems.check():
                icon = http_url(name, "icon", values["icon"], "an http(s) URL")
        allow = " ".join(values.get("allow", "").split())
        if any(c in allow for c in '"<>`'):
            problems.found.extend(
                bad(
                    name,
                    "allow",
                    values["allow"],
                    "an iframe allow list such as: microphone; camera; clipboard-write",
                ).problems
            )
        if problems.found:
            self.broken_content.add(name)
            problems.raise_any()
        label = values.get("label", "").strip() or name
        content = WebContent(name, label, url, mode, icon, allow, origin)
        self.web_content[name] = content
        return content

    def _web_content_url(self, name: str, values: Mapping[str, str]) -> tuple[str, str]:
        """A web-content section's ``url`` and the origin its frames will have."""
        if "url" not in values or not values["url"].strip():
            raise missing(name, "url", "the app's http(s) URL")
        url = values["url"].strip()
        try:
            split_template(url)
        except ValueError as exc:
            raise bad(name, "url", url, str(exc)) from None
        parts = urlsplit(url)
        origin_text = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme not in ("http", "https") or "$" in origin_text:
            raise bad(
                name, "url", url, "an http(s) URL whose scheme, host and port have no field codes"
            )
        try:
            origin = normalize_origin(origin_text)
        except ValueError as exc:
            raise bad(name, "url", url, f"an http(s) URL ({exc})") from None
        if any(c.isspace() for c in url):
            raise bad(name, "url", url, "a URL without white space (write a space as %20)")
        return url, origin

    def _agents(self, server: ServerSettings, app: AgentOptions) -> dict[str, AgentConfig]:
        agents: dict[str, AgentConfig] = {}
        numbers: dict[str, str] = {}
        for section, values in self.sections.items():
            if not section.startswith(AGENT_PREFIX):
                continue
            username = section[len(AGENT_PREFIX) :].strip()
            with self.problems.check():
                self.broken_agents.add(username)  # until it is checked: a queue naming it is not
                _check_name(section, "agent", username, agents)
                agent = self._agent(section, username, values, server, app)
                if agent.number in numbers:
                    raise bad(
                        section,
                        "number",
                        agent.number,
                        f"a number of its own (agent '{numbers[agent.number]}' has it already)",
                    )
                numbers[agent.number] = username
                agents[username] = agent
                self.broken_agents.discard(username)
        # `to` of a simulated call is a user name or a DN: both must name the same agent.
        for username in agents:
            owner = numbers.get(username)
            if owner is not None and owner != username:
                self.problems.found.append(
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
            elif option not in AGENT_PERSON_OPTIONS and option not in AGENT_OPTION_NAMES:
                hint = did_you_mean(option, AGENT_PERSON_OPTIONS | AGENT_OPTION_NAMES)
                self.unknown.append(f"[{section}] {option}{hint}")
        problems = Problems()  # every mistake of the section, then one error with them all

        def required(option: str, expected: str) -> str:
            text = values.get(option, "").strip()
            if not text:
                problems.found.extend(missing(section, option, expected).problems)
            return text

        firstname = required("firstname", "the agent's first name")
        lastname = required("lastname", "the agent's last name")
        employee_id = required("employeeId", "the agent's employee id")
        password = required("password", "a hash made by `wwe-host hash-password`")
        with problems.check():
            self._check_password(section, password, server)
        number = required("number", "the DN of the agent's place, e.g. 5001")
        if number and not NUMBER_RE.fullmatch(number):
            problems.found.extend(
                bad(section, "number", number, "a DN made of digits, e.g. 5001").problems
            )
        roles: tuple[str, ...] = ()
        with problems.check():
            roles = self._choices(section, "roles", values.get("roles", "ROLE_AGENT"), ROLES, True)
        media: tuple[str, ...] = ()
        with problems.check():
            media = self._choices(section, "media", values.get("media", ",".join(MEDIA)), MEDIA)
        overrides = {k: v for k, v in values.items() if k in AGENT_OPTION_NAMES}
        before = len(self.problems.found)
        options = self._agent_options(section, overrides, app)
        if problems.found or len(self.problems.found) > before:
            raise ConfigError(*problems.found)
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

    def _check_password(self, section: str, password: str, server: ServerSettings) -> None:
        if not password:
            return  # reported as missing
        plain_refused = not server.insecure_plain_password and not self.plain_allowed_unknown
        if plain_refused and not is_hashed(password):
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

    def _choices(
        self,
        section: str,
        option: str,
        value: str,
        allowed: tuple[str, ...],
        may_be_empty: bool = False,
    ) -> tuple[str, ...]:
        items = unique_list(section, option, value)
        for item in items:
            if item not in allowed:
                hint = did_you_mean(item, allowed)
                raise bad(section, option, value, f"entries from {', '.join(allowed)}{hint}")
        if not items and not may_be_empty:
            raise bad(section, option, value, f"one or more of {', '.join(allowed)}")
        return tuple(items)

    def _queues(self, agents: Mapping[str, AgentConfig]) -> dict[str, QueueConfig]:
        queues: dict[str, QueueConfig] = {}
        for section, values in self.sections.items():
            if not section.startswith(QUEUE_PREFIX):
                continue
            name = section[len(QUEUE_PREFIX) :].strip()
            with self.problems.check():
                _check_name(section, "queue", name, queues)
            self._note_unknown_options(section, values, QUEUE_OPTIONS)
            media: tuple[str, ...] = ()
            with self.problems.check():
                media = self._choices(section, "media", values.get("media", ",".join(MEDIA)), MEDIA)
            members = []
            with self.problems.check():
                members = unique_list(section, "agents", values.get("agents", ""))
            for member in members:
                if member not in agents and member not in self.broken_agents:
                    hint = did_you_mean(member, agents)
                    self.problems.found.extend(
                        bad(
                            section,
                            "agents",
                            values["agents"],
                            f"user names of [agent:...] sections (there is no agent "
                            f"'{member}'){hint}",
                        ).problems
                    )
            queues[name] = QueueConfig(name, media, tuple(members))
        return queues

    def _unknown_warnings(self) -> list[str]:
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
        return warnings

    def _warnings(self, security: ApiSecurity) -> list[str]:
        warnings = self._unknown_warnings()
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


def parse_config(text: str, source: str = "<string>") -> Config:
    """Parse and validate a whole configuration; raises one ConfigError naming every mistake
    found (``ConfigError.problems``, in the order of the file's checks)."""
    return _Parser(read_ini(text, source)).parse(source)


def load_config(path: str | Path) -> Config:
    """Read and parse a file; an unreadable file is a ConfigError too (one error path)."""
    return parse_config(read_text(path), str(path))
