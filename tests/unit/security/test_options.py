"""Option patterns and the configuration read list (security/options.py)."""

from __future__ import annotations

import pytest

from wwe_host.security.options import OptionPattern, OptionReadList
from wwe_host.security.secrets import is_secret_option


@pytest.mark.parametrize(
    ("text", "section", "option", "qualified"),
    [
        ("voice.auto-answer", "interaction-workspace", "voice.auto-answer", False),
        ("voice.*", "interaction-workspace", "voice.*", False),
        ("*", "interaction-workspace", "*", False),
        ("MySection/*", "MySection", "*", True),
        ("agent:jdoe/voice.*", "agent:jdoe", "voice.*", True),
        (" CRM/url ", "CRM", "url", True),
    ],
)
def test_patterns(text: str, section: str, option: str, qualified: bool) -> None:
    pattern = OptionPattern.parse(text)
    assert (pattern.section, pattern.option, pattern.qualified) == (section, option, qualified)


@pytest.mark.parametrize("text", ["", "a*", "a.*b", "/x", "a b", "S/", "S/a*", "x/y/*z"])
def test_bad_patterns(text: str) -> None:
    with pytest.raises(ValueError):
        OptionPattern.parse(text)


def test_matching_and_keys() -> None:
    prefix = OptionPattern.parse("voice.*")
    assert prefix.matches("interaction-workspace", "voice.auto-answer")
    assert not prefix.matches("interaction-workspace", "voicemail")
    assert not prefix.matches("Other", "voice.x")
    assert prefix.key("voice.x") == "voice.x"
    assert OptionPattern.parse("S/*").key("x") == "S/x"


def test_read_list_default_and_never_readable() -> None:
    default = OptionReadList.parse(None)
    assert default.items == ("interaction-workspace/*",)
    assert default.allows("interaction-workspace", "voice.auto-answer", "true")
    assert not default.allows("MySection", "x", "1")
    everything = OptionReadList.parse("*, wwe-host/*, S/*")
    assert not everything.allows("wwe-host", "listen-port", "8080")
    assert not everything.allows("S", "password", "x")
    assert not everything.allows("interaction-workspace", "crm.url", "https://u:pw@h/")
    assert OptionReadList.parse("").items == ()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("password", "x"),
        ("smtp-password", "x"),
        ("crm.api-key", "x"),
        ("crm.apiKey", "x"),
        ("crm.access_token", "x"),
        ("jwt-signing-key", "x"),
        ("client-secret", "x"),
        ("database", "x"),
        ("bus", "x"),
        ("reports.db.host", "x"),
        ("crm.backend", "https://svc:pw@crm.example/"),
        ("anything", "postgresql://db.example/wwe"),
        ("anything", "redis://bus.example:6379"),
    ],
)
def test_secret_options(option: str, value: str) -> None:
    assert is_secret_option(option, value)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("voice.auto-answer", "true"),
        ("keyboard.shortcut.answer", "ctrl+a"),
        ("crm.page", "https://crm.example/page"),
        ("service-client-api.user-data.read-allowed", "Key1, Key2"),
        ("busy-tone", "on"),
    ],
)
def test_ordinary_options(option: str, value: str) -> None:
    assert not is_secret_option(option, value)
