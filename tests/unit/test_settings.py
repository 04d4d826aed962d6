"""The frozen settings types (wwe_host.settings)."""

from __future__ import annotations

import dataclasses

import pytest
from config_support import parse_example

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
