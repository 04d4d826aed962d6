"""The frozen settings types (wwe_host.settings)."""

from __future__ import annotations

import dataclasses

import pytest
from config_support import parse_example
from engine_support import make_config

from wwe_host.security.passwords import hash_password
from wwe_host.settings import Config


@pytest.fixture(scope="module")
def example() -> Config:
    return parse_example(hash_password("s3cret"))


def test_config_is_frozen(example: Config) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.server.listen_port = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        example.agents["x"] = example.agents["jdoe"]  # type: ignore[index]


def test_framable_origins_are_web_content_and_listed_origins() -> None:
    config = make_config(origins="http://listed.example:81 (*), *")
    assert config.framable_origins() == (
        "http://crm.example:9001",
        "http://dialer.example:9003",
        "http://listed.example:81",
        "http://notes.example:9002",
    )
