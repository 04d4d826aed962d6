"""The configuration file parsed (wwe_host.config.parser): the documented example, defaults,
every kind of error. (Field codes, the demo, the serve overrides and the rendering have
their own test_config_*.py; config_support.py holds the example.)"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from config_support import EXAMPLE, error_of, minimal, parse_example

from wwe_host import catalog
from wwe_host.config import (
    STATE_ACTIONS,
    AgentOptions,
    Config,
    ConfigError,
    ServerSettings,
    load_config,
    parse_config,
    render_effective,
    with_server_overrides,
)
from wwe_host.security.passwords import hash_password, is_hashed, verify_password


@pytest.fixture(scope="module")
def jdoe_hash() -> str:
    return hash_password("s3cret")


@pytest.fixture(scope="module")
def example(jdoe_hash: str) -> Config:
    return parse_example(jdoe_hash)


# ---------------------------------------------------------------------------- the example


def test_example_server(example: Config) -> None:
    assert example.source == "example.ini"
    assert example.server == ServerSettings(
        listen_host="127.0.0.1",
        listen_port=8080,
        public_url="http://127.0.0.1:8080",
        data_dir="./var",
        database="sqlite:///./var/wwe-host.db",
        bus="memory",
        admin_token="change-me",
        smtp="smtp://127.0.0.1:1025",
        max_message_bytes=65536,
        insecure_plain_password=False,
        frame_ancestors="'self'",
    )


def test_example_security(example: Config) -> None:
    sec = example.security
    assert sec.origins.origins() == ("http://127.0.0.1:9001", "http://127.0.0.1:9002")
    crm, dialer = sec.origins.entries
    assert crm.filters == ("*",)
    assert crm.requests == frozenset(catalog.REQUESTS)
    assert dialer.filters == ("agent.*", "voice.dial")
    assert dialer.requests == {
        "agent.get",
        "agent.getState",
        "agent.getStateList",
        "agent.setState",
        "voice.dial",
    }
    assert sec.rate_limits.default == 0
    assert sec.rate_limits.limit_for("voice.dial") == 4
    assert sec.rate_limits.limit_for("email.create") == 2
    assert sec.rate_limits.limit_for("agent.get") == 0
    assert sec.rate_limits.quarantine_delay == 30
    assert sec.read_allowed.describe() == "Key1, Key2, Key3"
    assert sec.write_allowed.describe() == "Key1, Key3"
    assert sec.dial_only is True


def test_example_application_options(example: Config) -> None:
    opts = example.options
    assert [wc.section for wc in opts.workspace_web_content] == ["Dialer"]
    assert [wc.section for wc in opts.interaction_web_content] == ["CRM", "Notes"]
    assert opts.enabled_actions == STATE_ACTIONS
    assert opts.not_ready_reasons == (("Break", "1511"), ("Lunch", "1512"))
    assert opts.inactivity_timeout_minutes == 0
    assert opts.inactivity_alert_seconds == 30
    assert opts.voice_auto_answer is False
    assert dict(opts.auto_ready) == {"voice": False, "email": False, "chat": False}
    assert opts.answer_delay == 1.0


def test_example_web_content(example: Config) -> None:
    crm, notes = example.options.interaction_web_content
    assert crm.label == "CRM"
    assert crm.url == (
        "http://127.0.0.1:9001/crm.html?case=$Interaction.CaseId$&ani=$Interaction.ANI$"
    )
    assert crm.mode == "tab"
    assert crm.icon == "http://127.0.0.1:9001/icon.svg"
    assert crm.allow == ""
    assert crm.origin == "http://127.0.0.1:9001"
    assert notes.label == "Notes"  # default: the section name
    assert notes.mode == "popup"
    assert notes.icon is None
    assert notes.allow == "clipboard-write"
    (dialer,) = example.options.workspace_web_content
    assert dialer.label == "Click to dial"
    assert dialer.mode == "tab"
    assert dialer.origin == "http://127.0.0.1:9002"
    assert example.web_content_origins() == (
        "http://127.0.0.1:9001",
        "http://127.0.0.1:9002",
        "https://wiki.example.com",
    )


def test_example_agents_and_queues(example: Config, jdoe_hash: str) -> None:
    assert list(example.agents) == ["jdoe", "asmith"]
    jdoe = example.agents["jdoe"]
    assert (jdoe.username, jdoe.firstname, jdoe.lastname) == ("jdoe", "John", "Doe")
    assert jdoe.employee_id == "1001"
    assert jdoe.password == jdoe_hash
    assert verify_password(jdoe.password, "s3cret", allow_plain=False)
    assert jdoe.roles == ("ROLE_AGENT", "ROLE_ADMIN")
    assert jdoe.number == "5001"
    assert jdoe.media == ("voice", "email", "chat")
    # The agent-level override replaces the list; everything else comes from the app level.
    assert [wc.section for wc in jdoe.options.workspace_web_content] == ["Dialer", "Wiki"]
    assert jdoe.options.interaction_web_content == example.options.interaction_web_content
    assert jdoe.options.not_ready_reasons == example.options.not_ready_reasons
    asmith = example.agents["asmith"]
    assert asmith.roles == ("ROLE_AGENT",)
    assert asmith.media == ("voice",)
    assert asmith.options == example.options
    assert example.agent_by_number("5002") is asmith
    assert example.agent_by_number("9999") is None
    assert dict(example.queues) == {}.fromkeys(["sales"], example.queues["sales"])
    sales = example.queues["sales"]
    assert (sales.name, sales.media, sales.agents) == (
        "sales",
        ("voice", "email", "chat"),
        ("jdoe", "asmith"),
    )
    # The Wiki's origin is not accepted: it loads but cannot use the API, which is worth saying.
    (warning,) = example.warnings
    assert "[Wiki] https://wiki.example.com" in warning


def test_url_fragment_is_kept_after_inline_comment_stripping(example: Config) -> None:
    wiki = example.agents["jdoe"].options.workspace_web_content[1]
    assert wiki.url == "https://wiki.example.com/#/home"
    notes = example.options.interaction_web_content[1]
    assert notes.url == "http://127.0.0.1:9001/notes.html#/case/$Interaction.CaseId$"


def test_secrets_are_not_in_repr_or_rendering(example: Config, jdoe_hash: str) -> None:
    assert jdoe_hash not in repr(example)
    assert "change-me" not in repr(example.server)
    text = render_effective(example)
    assert jdoe_hash not in text
    assert "change-me" not in text


# ---------------------------------------------------------------------------- defaults


def test_empty_file_gives_documented_defaults() -> None:
    config = parse_config("")
    assert config.server == ServerSettings()
    assert config.server.public_url == "http://127.0.0.1:8080"
    assert config.server.database == "sqlite:///./var/wwe-host.db"
    assert config.server.admin_token is None
    assert config.server.smtp is None
    assert config.server.frame_ancestors == "'self'"
    assert config.server.max_requests_in_flight == 32
    assert config.server.desktop_origins == ()
    assert config.server.accepted_desktop_origins == {"http://127.0.0.1:8080"}
    assert config.server.max_desktop_connections == 4
    assert config.server.session_idle_timeout_minutes == 480
    assert config.server.session_max_lifetime_minutes == 1440
    assert config.security.origins.entries == ()
    assert config.security.rate_limits.default == 0
    assert config.security.rate_limits.quarantine_delay == 30
    assert config.security.read_allowed.describe() == "*"
    assert config.security.write_allowed.describe() == "*"
    assert config.security.dial_only is True
    assert config.options == AgentOptions()
    assert config.options.enabled_actions == (
        "Ready",
        "NotReady",
        "NotReadyReason",
        "AfterCallWork",
        "Dnd",
        "LogOff",
    )
    assert dict(config.options.auto_ready) == {"voice": False, "email": False, "chat": False}
    assert config.agents == {} and config.queues == {}
    assert config.warnings == ()
    assert config.web_content_origins() == ()


def test_agent_defaults() -> None:
    agent = parse_config(minimal()).agents["a1"]
    assert agent.roles == ("ROLE_AGENT",)
    assert agent.media == ("voice", "email", "chat")
    assert agent.options == AgentOptions()
    assert agent.full_name == "A One"


def test_derived_defaults_follow_listen_and_data_dir() -> None:
    server = parse_config("[wwe-host]\nlisten = 0.0.0.0:9000\ndata-dir = /srv/wwe/\n").server
    assert (server.listen_host, server.listen_port) == ("0.0.0.0", 9000)
    assert server.public_url == "http://127.0.0.1:9000"  # a wildcard is not browsable
    assert server.database == "sqlite:////srv/wwe/wwe-host.db"
    v6 = parse_config("[wwe-host]\nlisten = [::1]:8443\n").server
    assert (v6.listen_host, v6.public_url) == ("::1", "http://[::1]:8443")


def test_desktop_doors_and_session_options() -> None:
    server = parse_config(
        "[wwe-host]\npublic-url = https://wwe.example.com/desk/\n"
        "desktop-origins = HTTPS://Desk.Example.com:443, http://10.0.0.5:8080,\n"
        "  https://wwe.example.com\n"
        "max-desktop-connections = 2\nsession-idle-timeout = 30.5\nsession-max-lifetime = 0\n"
    ).server
    assert server.public_origin == "https://wwe.example.com"
    assert server.desktop_origins == (
        "https://desk.example.com",
        "http://10.0.0.5:8080",
        "https://wwe.example.com",
    )
    assert server.accepted_desktop_origins == {
        "https://wwe.example.com",
        "https://desk.example.com",
        "http://10.0.0.5:8080",
    }
    assert server.max_desktop_connections == 2
    assert server.session_idle_timeout_minutes == 30.5
    assert server.session_max_lifetime_minutes == 0
    text = render_effective(parse_config("[wwe-host]\nsession-max-lifetime = 0\n"))
    assert (
        "desktop origins (login, logout, desktop WebSocket, cookie changes): "
        "http://127.0.0.1:8080" in text
    )
    assert "desktop connections per session: at most 4" in text
    assert "session tokens: idle timeout 480 min, max lifetime none" in text


def test_the_garbage_collector_option() -> None:
    assert parse_config("").server.gc_full_scan_minutes == 60
    assert "garbage collector: survivors frozen, a full scan at most every 60 minutes" in (
        render_effective(parse_config(""))
    )
    off = parse_config("[wwe-host]\ngc-full-scan = 0\n")
    assert off.server.gc_full_scan_minutes == 0
    assert "garbage collector: the interpreter's own policy" in render_effective(off)
    assert parse_config("[wwe-host]\ngc-full-scan = 7.5\n").server.gc_full_scan_minutes == 7.5


def test_the_desktops_origin_follows_a_derived_public_url() -> None:
    moved = with_server_overrides(parse_config(""), listen="127.0.0.1:9100")
    assert moved.server.accepted_desktop_origins == {"http://127.0.0.1:9100"}
    kept = with_server_overrides(
        parse_config("[wwe-host]\npublic-url = https://wwe.example.com\n"), listen="0.0.0.0:9100"
    )
    assert kept.server.accepted_desktop_origins == {"https://wwe.example.com"}
    # Port 0: no origin yet; `serve` derives public-url again from the port it got.
    anywhere = parse_config("[wwe-host]\nlisten = 127.0.0.1:0\n")
    assert anywhere.server.accepted_desktop_origins == frozenset()
    bound = with_server_overrides(anywhere, listen="127.0.0.1:41234")
    assert bound.server.accepted_desktop_origins == {"http://127.0.0.1:41234"}


def test_server_options_other_values() -> None:
    server = parse_config(
        "[wwe-host]\npublic-url = https://wwe.example.com/\n"
        "database = postgresql://wwe@db/wwe\nbus = redis://127.0.0.1:6379/0\n"
        "admin-token =\nsmtp =\nframe-ancestors = 'self'  https://portal.example.com\n"
    ).server
    assert server.public_url == "https://wwe.example.com"
    assert server.database == "postgresql://wwe@db/wwe"
    assert server.bus == "redis://127.0.0.1:6379/0"
    assert server.admin_token is None and server.smtp is None
    assert server.frame_ancestors == "'self' https://portal.example.com"
    for bound in ("1", "256"):
        in_flight = parse_config(f"[wwe-host]\nmax-requests-in-flight = {bound}\n").server
        assert in_flight.max_requests_in_flight == int(bound)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("Yes", True), ("1", True), ("FALSE", False), ("no", False), ("0", False)],
)
def test_booleans(text: str, expected: bool) -> None:
    config = parse_config(f"[interaction-workspace]\nvoice.auto-answer = {text}\n")
    assert config.options.voice_auto_answer is expected


def test_decimals_and_auto_ready() -> None:
    opts = parse_config(
        "[interaction-workspace]\nsecurity.inactivity-timeout = 0.5\n"
        "security.inactivity-alert-dialog-before-timeout = 10\nsim.voice.answer-delay = .25\n"
        "login.email.is-auto-ready = true\n"
    ).options
    assert opts.inactivity_timeout_minutes == 0.5
    assert opts.inactivity_alert_seconds == 10
    assert opts.answer_delay == 0.25
    assert dict(opts.auto_ready) == {"voice": False, "email": True, "chat": False}


def test_wrap_up_options() -> None:
    opts = parse_config(
        "[interaction-workspace]\n"
        "interaction.disposition.value-business-attribute = Resolved, Call back\n"
        "interaction.disposition.is-mandatory = yes\n"
        "interaction.disposition.key-name = Outcome\nvoice.after-call-work = true\n"
        "[agent:jdoe]\nfirstname = J\nlastname = D\nemployeeId = 1\npassword = x\nnumber = 5001\n"
        "interaction.disposition.is-mandatory = no\n"
        "[wwe-host]\ninsecure-plain-password = true\n"
    )
    assert opts.options.disposition_codes == ("Resolved", "Call back")
    assert opts.options.disposition_mandatory is True
    assert opts.options.disposition_key == "Outcome"
    assert opts.options.after_call_work is True
    assert opts.agents["jdoe"].options.disposition_mandatory is False  # an agent's override
    assert parse_config("").options.disposition_codes == ()
    assert parse_config("").options.disposition_key == "DispositionCode"


def test_not_ready_reason_without_action_code_gets_empty_code() -> None:
    opts = parse_config(
        "[interaction-workspace]\nagent-status.not-ready-reasons = Break, Training\n"
        "[action-codes]\nBreak = 1511\n"
    ).options
    assert opts.not_ready_reasons == (("Break", "1511"), ("Training", ""))


def test_multi_line_list_values() -> None:
    config = parse_config(
        "[interaction-workspace]\nagent-status.enabled-actions-global = Ready,\n"
        "    NotReady,\n    LogOff\n"
    )
    assert config.options.enabled_actions == ("Ready", "NotReady", "LogOff")


# ---------------------------------------------------------------------------- agent level


def test_agent_level_overrides(jdoe_hash: str) -> None:
    config = parse_config(
        minimal(
            "workspace.web-content = Tool\n"
            "agent-status.enabled-actions-global = Ready, LogOff\n"
            "security.inactivity-timeout = 5\n"
            "login.voice.is-auto-ready = yes\n"
            "[interaction-workspace]\n"
            "service-client-api.accepted-web-content-origins = https://tool.example.com\n"
            "login.chat.is-auto-ready = true\n"
            "[Tool]\nurl = https://tool.example.com/\n"
            "[agent:a2]\nfirstname = B\nlastname = Two\nemployeeId = 2\npassword = pw\n"
            "number = 5002\n"
        )
    )
    a1, a2 = config.agents["a1"], config.agents["a2"]
    assert [wc.section for wc in a1.options.workspace_web_content] == ["Tool"]
    assert a1.options.enabled_actions == ("Ready", "LogOff")
    assert a1.options.inactivity_timeout_minutes == 5
    # Overrides are applied on top of the application level, key by key.
    assert dict(a1.options.auto_ready) == {"voice": True, "email": False, "chat": True}
    assert a2.options == config.options
    assert config.options.workspace_web_content == ()
    assert config.web_content_origins() == ("https://tool.example.com",)
    assert config.warnings == ()


def test_agent_level_enabled_actions_are_checked() -> None:
    message = error_of(minimal("agent-status.enabled-actions-global = Ready, Pause\n"))
    assert message.startswith(
        "[agent:a1] agent-status.enabled-actions-global = 'Ready, Pause': expected entries from"
    )
    assert "'Pause'" in message


def test_service_client_api_in_agent_section_is_ignored_with_a_warning() -> None:
    config = parse_config(
        minimal(
            "service-client-api.accepted-web-content-origins = *\n"
            "service-client-api.rate-limit = 1\n"
        )
    )
    assert config.security.origins.entries == ()
    assert config.security.rate_limits.default == 0
    (warning,) = config.warnings
    assert "[interaction-workspace] only" in warning
    assert "[agent:a1] service-client-api.accepted-web-content-origins" in warning
    assert "[agent:a1] service-client-api.rate-limit" in warning


# ---------------------------------------------------------------------------- warnings


def test_unknown_sections_and_options_give_one_warning_with_the_closest_known_name() -> None:
    config = parse_config(
        minimal(
            "nmber = 1\n"
            "[wwe-host-typo]\nx = 1\n"
            "[interaction-workspace]\nsecurity.inactivity-timout = 3\n"
            "service-client-api.rate-limt = 3\n"
            "completely-unrelated = 1\n"
            "[queue:q]\nagent = a1\n"
            "[agnet:bob]\n"
        ).replace("insecure-plain-password = true\n", "insecure-plain-password = true\nlisen = 1\n")
    )
    (warning,) = config.warnings
    for hinted in (
        "[wwe-host] lisen (did you mean 'listen'?)",
        "[agent:a1] nmber (did you mean 'number'?)",
        "[wwe-host-typo] (section) (did you mean 'wwe-host'?)",
        "security.inactivity-timout (did you mean 'security.inactivity-timeout'?)",
        "service-client-api.rate-limt (did you mean 'service-client-api.rate-limit'?)",
        "[queue:q] agent (did you mean 'agents'?)",
        "[agnet:bob] (section) (did you mean 'agent:bob'?)",
    ):
        assert hinted in warning
    assert "[interaction-workspace] completely-unrelated;" in warning  # nothing close: no hint
    assert config.security.rate_limits.default == 0


def test_every_mistake_is_reported_in_one_error() -> None:
    text = minimal(
        "[interaction-workspace]\n"
        "voice.auto-answer = maybe\n"
        "security.inactivity-timeout = abc\n"
        "service-client-api.accepted-web-content-origins = ftp://x\n"
        "[action-codes]\nBreak = 1 2\n"
    ).replace("insecure-plain-password = true\n", "insecure-plain-password = true\nbus = x\n")
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    problems = info.value.problems
    assert [p.split(" = ")[0].split(": ")[0] for p in problems] == [
        "[wwe-host] bus",
        "[action-codes] Break",
        "[interaction-workspace] service-client-api.accepted-web-content-origins",
        "[interaction-workspace] voice.auto-answer",
        "[interaction-workspace] security.inactivity-timeout",
    ]
    assert str(info.value) == "\n".join(problems)


def test_a_web_content_section_with_mistakes_is_reported_once() -> None:
    text = minimal(
        "workspace.web-content = App\n"
        "[interaction-workspace]\ninteraction.web-content = App\n"
        "[App]\nurl = nope\nmode = big\n"
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert [p.split(" = ")[0] for p in info.value.problems] == ["[App] url", "[App] mode"]
    assert not info.value.warnings  # [App] is not "unknown" for having mistakes


def test_default_section_is_not_magic() -> None:
    config = parse_config(minimal("[DEFAULT]\nmedia = chat\n"))
    assert config.agents["a1"].media == ("voice", "email", "chat")
    assert "[DEFAULT] (section)" in config.warnings[0]


def test_web_content_origin_not_accepted_is_warned() -> None:
    config = parse_config(
        "[interaction-workspace]\ninteraction.web-content = App\n[App]\nurl = http://app:81/\n"
    )
    (warning,) = config.warnings
    assert "[App] http://app:81" in warning


def test_web_content_mode_at_workspace_level_is_warned() -> None:
    config = parse_config(
        "[interaction-workspace]\nworkspace.web-content = App\n"
        "service-client-api.accepted-web-content-origins = *\n"
        "[App]\nurl = http://app/\nmode = hidden\n"
    )
    (warning,) = config.warnings
    assert "[App] mode = hidden" in warning


# ---------------------------------------------------------------------------- errors

ERRORS = [
    pytest.param(
        "[interaction-workspace]\nsecurity.inactivity-timeout = abc\n",
        "[interaction-workspace] security.inactivity-timeout = 'abc': "
        "expected a number of minutes >= 0",
        id="decimal",
    ),
    pytest.param(
        "[interaction-workspace]\nsecurity.inactivity-alert-dialog-before-timeout = -1\n",
        "[interaction-workspace] security.inactivity-alert-dialog-before-timeout = '-1': "
        "expected a number of seconds >= 0",
        id="negative",
    ),
    pytest.param(
        "[interaction-workspace]\nsim.voice.answer-delay = inf\n",
        "[interaction-workspace] sim.voice.answer-delay = 'inf': expected",
        id="infinite",
    ),
    pytest.param(
        "[interaction-workspace]\nvoice.auto-answer = maybe\n",
        "[interaction-workspace] voice.auto-answer = 'maybe': expected true, false, yes, no",
        id="boolean",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.disposition.value-business-attribute = A, A\n",
        "[interaction-workspace] interaction.disposition.value-business-attribute = 'A, A': "
        "expected each entry once ('A' is listed twice)",
        id="disposition-twice",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.disposition.key-name =  \n",
        "[interaction-workspace] interaction.disposition.key-name = '': "
        "expected an attached-data key name",
        id="disposition-key",
    ),
    pytest.param(
        "[wwe-host]\nlisten = localhost\n",
        "[wwe-host] listen = 'localhost': expected HOST:PORT",
        id="listen",
    ),
    pytest.param(
        "[wwe-host]\nlisten = 127.0.0.1:70000\n",
        "[wwe-host] listen = '127.0.0.1:70000': expected a port from 0 to 65535",
        id="port",
    ),
    pytest.param(
        "[wwe-host]\nmax-message-bytes = 64k\n",
        "[wwe-host] max-message-bytes = '64k': expected a whole number of bytes >= 1024",
        id="int",
    ),
    pytest.param(
        "[wwe-host]\nmax-requests-in-flight = 0\n",
        "[wwe-host] max-requests-in-flight = '0': expected a whole number from 1 to 256",
        id="in-flight-zero",
    ),
    pytest.param(
        "[wwe-host]\nmax-requests-in-flight = 257\n",
        "[wwe-host] max-requests-in-flight = '257': expected a whole number from 1 to 256",
        id="in-flight-over-the-protocol-bound",
    ),
    pytest.param(
        "[wwe-host]\npublic-url = ftp://x\n",
        "[wwe-host] public-url = 'ftp://x': expected an http(s) URL",
        id="public-url",
    ),
    pytest.param(
        "[wwe-host]\ndatabase = mysql://x\n",
        "[wwe-host] database = 'mysql://x': expected sqlite:///PATH or postgresql://",
        id="database",
    ),
    pytest.param(
        "[wwe-host]\nbus = rabbit://x\n",
        "[wwe-host] bus = 'rabbit://x': expected memory or redis://",
        id="bus",
    ),
    pytest.param(
        "[wwe-host]\nsmtp = 127.0.0.1:25\n",
        "[wwe-host] smtp = '127.0.0.1:25': expected smtp://HOST:PORT",
        id="smtp",
    ),
    pytest.param(
        "[wwe-host]\nframe-ancestors = 'self'; script-src *\n",
        "[wwe-host] frame-ancestors = \"'self'; script-src *\": expected a CSP source list",
        id="frame-ancestors",
    ),
    pytest.param(
        "[wwe-host]\ndesktop-origins = https://desk.example.com/wwe\n",
        "[wwe-host] desktop-origins = 'https://desk.example.com/wwe': expected origins "
        "(scheme://host[:port]): 'https://desk.example.com/wwe' is not an origin",
        id="desktop-origins-path",
    ),
    pytest.param(
        "[wwe-host]\ndesktop-origins = https://a.example, *\n",
        "[wwe-host] desktop-origins = 'https://a.example, *': expected origins of the "
        "desktop's pages, not '*'",
        id="desktop-origins-star",
    ),
    pytest.param(
        "[wwe-host]\ndesktop-origins = null\n",
        "[wwe-host] desktop-origins = 'null': expected origins of the desktop's pages, not 'null'",
        id="desktop-origins-null",
    ),
    pytest.param(
        "[wwe-host]\ndesktop-origins = https://a.example, https://a.example\n",
        "[wwe-host] desktop-origins = 'https://a.example, https://a.example': expected each "
        "entry once ('https://a.example' is listed twice)",
        id="desktop-origins-twice",
    ),
    pytest.param(
        "[wwe-host]\npublic-url = http://caf\u00e9.example:8080\n",
        "[wwe-host] public-url = 'http://caf\u00e9.example:8080': expected a host that can be "
        "part of an origin ('http://caf\u00e9.example:8080' has an invalid host",
        id="public-url-origin",
    ),
    pytest.param(
        "[wwe-host]\nlisten = caf\u00e9:8080\n",
        "[wwe-host] listen = 'caf\u00e9:8080': expected a host that can be part of an origin",
        id="listen-origin",
    ),
    pytest.param(
        "[wwe-host]\nmax-desktop-connections = 0\n",
        "[wwe-host] max-desktop-connections = '0': expected a whole number of connections "
        "from 1 to 1000",
        id="max-desktop-connections",
    ),
    pytest.param(
        "[wwe-host]\nsession-idle-timeout = 8h\n",
        "[wwe-host] session-idle-timeout = '8h': expected a number of minutes (0 = no limit)",
        id="session-idle-timeout",
    ),
    pytest.param(
        "[wwe-host]\nsession-max-lifetime = -1\n",
        "[wwe-host] session-max-lifetime = '-1': expected a number of minutes (0 = no limit)",
        id="session-max-lifetime",
    ),
    pytest.param(
        "[wwe-host]\ngc-full-scan = hourly\n",
        "[wwe-host] gc-full-scan = 'hourly': expected a number of minutes (0 = nothing frozen)",
        id="gc-full-scan",
    ),
    pytest.param(
        "[wwe-host]\nadmin-token = two words\n",
        "[wwe-host] admin-token = '<hidden>': expected a token without white space",
        id="admin-token",
    ),
    pytest.param(
        "[interaction-workspace]\n"
        "service-client-api.accepted-web-content-origins = http://a (agent.*, voice.dail)\n",
        "[interaction-workspace] service-client-api.accepted-web-content-origins: "
        "entry 'http://a (agent.*, voice.dail)' names an unknown request 'voice.dail'",
        id="origin-filter",
    ),
    pytest.param(
        "[interaction-workspace]\n"
        "service-client-api.accepted-web-content-origins = http://a/path\n",
        "[interaction-workspace] service-client-api.accepted-web-content-origins: "
        "entry 'http://a/path'",
        id="origin-path",
    ),
    pytest.param(
        "[interaction-workspace]\nservice-client-api.rate-limit = many\n",
        "[interaction-workspace] service-client-api.rate-limit = 'many': "
        "expected a non-negative integer",
        id="rate-limit",
    ),
    pytest.param(
        "[interaction-workspace]\nservice-client-api.rate-limit.voice.dail = 3\n",
        "[interaction-workspace] service-client-api.rate-limit.voice.dail: "
        "'voice.dail' is not a known request name",
        id="rate-limit-request",
    ),
    pytest.param(
        "[interaction-workspace]\nservice-client-api.rate-limit-quarantine-delay = soon\n",
        "[interaction-workspace] service-client-api.rate-limit-quarantine-delay = 'soon'",
        id="quarantine",
    ),
    pytest.param(
        "[interaction-workspace]\nservice-client-api.user-data.read-allowed = a*b\n",
        "[interaction-workspace] service-client-api.user-data.read-allowed = 'a*b': key 'a*b'",
        id="read-allowed",
    ),
    pytest.param(
        "[interaction-workspace]\nservice-client-api.workspace-web-content.dial-only = nah\n",
        "[interaction-workspace] service-client-api.workspace-web-content.dial-only = 'nah'",
        id="dial-only",
    ),
    pytest.param(
        "[interaction-workspace]\nagent-status.enabled-actions-global = Ready, Away\n",
        "[interaction-workspace] agent-status.enabled-actions-global = 'Ready, Away': "
        "expected entries from Ready, NotReady",
        id="actions",
    ),
    pytest.param(
        "[interaction-workspace]\nagent-status.not-ready-reasons = Break, Break\n",
        "[interaction-workspace] agent-status.not-ready-reasons = 'Break, Break': "
        "expected each entry once ('Break' is listed twice)",
        id="duplicate-entry",
    ),
    pytest.param(
        "[action-codes]\nBreak =\n",
        "[action-codes] Break = '': expected a code without white space",
        id="action-code",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n",
        "[interaction-workspace] interaction.web-content = 'CRM': "
        "expected names of existing sections (there is no section [CRM])",
        id="web-content-missing",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = wwe-host\n[wwe-host]\n",
        "[interaction-workspace] interaction.web-content = 'wwe-host': "
        "expected web-content sections, not [wwe-host]",
        id="web-content-reserved",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n[CRM]\nlabel = x\n",
        "[CRM] url: missing; expected the app's http(s) URL",
        id="url-missing",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n[CRM]\nurl = ftp://a/\n",
        "[CRM] url = 'ftp://a/': expected an http(s) URL",
        id="url-scheme",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n[CRM]\nurl = http://a:0/\n",
        "[CRM] url = 'http://a:0/': expected an http(s) URL",
        id="url-port",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n"
        "[CRM]\nurl = http://a/?x=$Agent.Name$\n",
        "[CRM] url = 'http://a/?x=$Agent.Name$': expected known field codes (",
        id="field-code",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n[CRM]\nurl = http://a/?p=$5\n",
        "[CRM] url = 'http://a/?p=$5': expected field codes as $Name$ (a '$' is unbalanced",
        id="field-code-unbalanced",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n"
        "[CRM]\nurl = http://$Agent.UserName$.example.com/\n",
        "[CRM] url = 'http://$Agent.UserName$.example.com/': expected an http(s) URL whose "
        "scheme, host and port have no field codes",
        id="field-code-in-host",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n"
        "[CRM]\nurl = http://a/\nmode = window\n",
        "[CRM] mode = 'window': expected tab | popup | background | hidden",
        id="mode",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n"
        "[CRM]\nurl = http://a/\nicon = icon.svg\n",
        "[CRM] icon = 'icon.svg': expected an http(s) URL",
        id="icon",
    ),
    pytest.param(
        "[interaction-workspace]\ninteraction.web-content = CRM\n"
        '[CRM]\nurl = http://a/\nallow = camera" onload="x\n',
        "[CRM] allow = 'camera\" onload=\"x': expected an iframe allow list",
        id="allow",
    ),
    pytest.param(
        minimal().replace("number = 5001\n", ""),
        "[agent:a1] number: missing; expected the DN of the agent's place",
        id="number-missing",
    ),
    pytest.param(
        minimal().replace("employeeId = 1\n", ""),
        "[agent:a1] employeeId: missing",
        id="employee-id-missing",
    ),
    pytest.param(
        minimal().replace("number = 5001", "number = five"),
        "[agent:a1] number = 'five': expected a DN made of digits",
        id="number-format",
    ),
    pytest.param(
        minimal(
            "[agent:a2]\nfirstname = B\nlastname = T\nemployeeId = 2\npassword = p\nnumber = 5001\n"
        ),
        "[agent:a2] number = '5001': expected a number of its own (agent 'a1' has it already)",
        id="number-duplicate",
    ),
    pytest.param(
        minimal("roles = ROLE_AGENT, ROLE_BOSS\n"),
        "[agent:a1] roles = 'ROLE_AGENT, ROLE_BOSS': expected entries from ROLE_AGENT, "
        "ROLE_SUPERVISOR, ROLE_ADMIN",
        id="roles",
    ),
    pytest.param(
        minimal("media = voice, fax\n"),
        "[agent:a1] media = 'voice, fax': expected entries from voice, email, chat",
        id="media",
    ),
    pytest.param(
        minimal("media =\n"),
        "[agent:a1] media = '': expected one or more of voice, email, chat",
        id="media-empty",
    ),
    pytest.param(
        minimal("[agent:]\nfirstname = x\n"),
        "[agent:]: expected [agent:USERNAME]",
        id="username",
    ),
    pytest.param(
        minimal("[queue:sales]\nagents = a1, bob\n"),
        "[queue:sales] agents = 'a1, bob': expected user names of [agent:...] sections "
        "(there is no agent 'bob')",
        id="queue-agent",
    ),
    pytest.param(
        minimal("[queue:sales]\nmedia = phone\n"),
        "[queue:sales] media = 'phone': expected entries from voice, email, chat",
        id="queue-media",
    ),
    pytest.param(
        "[wwe-host]\nlisten = 1.2.3.4:1\nlisten = 1.2.3.4:2\n",
        "<string>, line 3: [wwe-host] listen is set twice",
        id="duplicate-option",
    ),
    pytest.param(
        "[wwe-host]\n[wwe-host]\n",
        "<string>, line 2: section [wwe-host] appears twice",
        id="duplicate-section",
    ),
    pytest.param(
        "listen = 1\n[wwe-host]\n",
        "<string>, line 1: an option before any [section]: 'listen = 1'",
        id="no-section",
    ),
    pytest.param(
        "[wwe-host]\nlisten: 127.0.0.1:8080\n",
        "<string>: expected 'option = value' lines: line 2: 'listen: 127.0.0.1:8080'",
        id="not-an-option-line",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ERRORS)
def test_config_errors(text: str, expected: str) -> None:
    assert error_of(text).startswith(expected)


@pytest.mark.parametrize(
    ("value", "days", "rows"),
    [
        ("30d", 30, None),
        ("100000 rows", None, 100000),
        ("30d, 1000000 rows", 30, 1000000),
        ("1000000 ROWS ,  7 d", 7, 1000000),
        ("1 row", None, 1),
        ("off", None, None),
        ("none", None, None),
    ],
)
def test_audit_retention(value: str, days: int | None, rows: int | None) -> None:
    retention = parse_config(f"[wwe-host]\naudit-retention = {value}\n").server.audit_retention
    assert (retention.days, retention.rows) == (days, rows)
    assert retention.enabled is (days is not None or rows is not None)


def test_audit_retention_default_is_30_days_and_a_million_rows() -> None:
    retention = parse_config("").server.audit_retention
    assert (retention.days, retention.rows) == (30, 1_000_000)
    assert retention.describe() == "30 days, 1000000 rows"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "'30d', '1000000 rows', '30d, 1000000 rows' or 'off'"),
        ("30", "'30d', '1000000 rows', '30d, 1000000 rows' or 'off'"),
        ("30 days", "'30d', '1000000 rows', '30d, 1000000 rows' or 'off'"),
        ("-1d", "'30d', '1000000 rows', '30d, 1000000 rows' or 'off'"),
        ("1.5d", "'30d', '1000000 rows', '30d, 1000000 rows' or 'off'"),
        ("0d", "a number of days from 1 to 1000000, or 'off'"),
        ("0 rows", "a number of rows from 1 to"),
        ("1d, 2d", "days at most once"),
        ("5 rows, 6 rows", "rows at most once"),
        ("1d, 2 rows, 3d", "'30d', '1000000 rows'"),
    ],
)
def test_audit_retention_errors(value: str, expected: str) -> None:
    message = error_of(f"[wwe-host]\naudit-retention = {value}\n")
    assert message.startswith(f"[wwe-host] audit-retention = {value!r}: expected {expected}")


def test_a_database_password_is_masked_in_errors_and_rendering() -> None:
    message = error_of("[wwe-host]\ndatabase = mysql://wwe:hunter22@db/wwe\n")
    assert "hunter22" not in message
    assert message.startswith("[wwe-host] database = 'mysql://wwe:***@db/wwe': expected")
    assert "hunter22" not in error_of("[wwe-host]\nbus = redis://:hunter22@ cache\n")
    assert "hunter22" not in error_of("[wwe-host]\nsmtp = smtp://u:hunter22@mail\n")
    config = parse_config(
        "[wwe-host]\ndatabase = postgresql://wwe:hunter22@db/wwe\n"
        "bus = rediss://:hunter23@cache:6380/0\nsmtp = smtp://mailer:hunter24@mail:587\n"
        "admin-token = the-admin-token\n"
    )
    text = render_effective(config)
    for secret in ("hunter22", "hunter23", "hunter24", "the-admin-token"):
        assert secret not in text
    assert "  database: postgresql://wwe:***@db/wwe\n" in text
    assert "  bus: rediss://:***@cache:6380/0\n" in text
    assert "  smtp: smtp://mailer:***@mail:587\n" in text
    assert "  admin token: set\n" in text
    assert "  audit retention: 30 days, 1000000 rows\n" in text


def test_plain_password_needs_insecure_plain_password() -> None:
    message = error_of(minimal(plain=False))
    assert message.startswith("[agent:a1] password: expected a hash made by `wwe-host hash-")
    assert "insecure-plain-password = true" in message
    assert "= 'pw'" not in message  # a password is never echoed


def test_plain_password_accepted_when_allowed() -> None:
    agent = parse_config(minimal(plain=True)).agents["a1"]
    assert agent.password == "pw"
    assert not is_hashed(agent.password)


def test_malformed_hash_is_an_error() -> None:
    message = error_of(minimal(plain=False).replace("password = pw", "password = $scrypt$x"))
    assert message.startswith("[agent:a1] password: a malformed hash (")


def test_username_that_is_another_agents_number_is_an_error() -> None:
    text = minimal(
        "[agent:5001x]\nfirstname = B\nlastname = T\nemployeeId = 2\npassword = p\nnumber = 77\n"
        "[agent:77]\nfirstname = C\nlastname = T\nemployeeId = 3\npassword = p\nnumber = 78\n"
    )
    assert error_of(text).startswith("[agent:77]: the user name '77' is the number of agent")


def test_load_config_reads_a_file(tmp_path: Path, jdoe_hash: str) -> None:
    path = tmp_path / "wwe.ini"
    path.write_text(EXAMPLE.replace("{hash}", jdoe_hash), encoding="utf-8")
    config = load_config(path)
    assert config.source == str(path)
    assert list(config.agents) == ["jdoe", "asmith"]


def test_load_config_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.ini")


def test_a_file_with_a_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.ini"
    path.write_bytes(codecs.BOM_UTF8 + minimal().encode("utf-8"))
    assert list(load_config(path).agents) == ["a1"]


def test_a_file_that_is_not_utf8_is_one_clear_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ini"
    path.write_bytes(minimal("[agent:b]\nfirstname = Jos\xe9\n").encode("latin-1"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 10: not UTF-8 text (invalid continuation byte")
    assert message.endswith("save the file as UTF-8")
    assert "\n" not in message
    # With a byte-order mark, the line and byte are still those of the file.
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    with pytest.raises(ConfigError, match=r"line 10: not UTF-8 text .* at byte 153\)"):
        load_config(path)


def test_a_malformed_plain_password_switch_is_reported_once() -> None:
    text = minimal().replace("insecure-plain-password = true", "insecure-plain-password = yess")
    with pytest.raises(ConfigError) as info:
        parse_config(
            text + "[agent:a2]\nfirstname = B\nlastname = Two\nemployeeId = 2\n"
            "password = pw\nnumber = 5002\n"
        )
    assert info.value.problems == (
        "[wwe-host] insecure-plain-password = 'yess': expected true, false, yes, no, 1 or 0",
    )
