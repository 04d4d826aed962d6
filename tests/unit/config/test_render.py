"""check-config's rendering of the effective configuration (wwe_host.config.render)."""

from __future__ import annotations

import re

import pytest
from config_support import parse_example

from wwe_host.catalog import REQUESTS
from wwe_host.config import Config, render_effective
from wwe_host.security.passwords import hash_password


@pytest.fixture(scope="module")
def example() -> Config:
    return parse_example(hash_password("s3cret"))


def test_render_effective(example: Config) -> None:
    text = render_effective(example)
    dialer_entry = re.search(r"http://127\.0\.0\.1:9002 \(agent\.\*, voice\.dial\) -> 5", text)
    assert dialer_entry is not None
    assert "agent.get, agent.getState, agent.getStateList, agent.setState, voice.dial" in text
    assert f"http://127.0.0.1:9001 (*) -> {len(REQUESTS)} request(s)" in text
    assert "voice.dial: 4" in text and "email.create: 2" in text
    assert "quarantine: 30 s" in text
    assert "max requests in flight per frame: 32" in text
    assert "read-allowed: Key1, Key2, Key3" in text
    assert "write-allowed: Key1, Key3" in text
    assert "not-ready reasons: Break (code 1511), Lunch (code 1512)" in text
    assert "[Wiki] 'Wiki', tab (workspace), API: none (origin not accepted)" in text
    assert "[Notes] 'Notes', popup, API: every request" in text
    assert "sales: media voice, email, chat; agents jdoe, asmith" in text
    assert "warnings:\n  - web content whose origin is not in" in text
