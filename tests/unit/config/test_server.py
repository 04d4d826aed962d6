"""The `serve` command's overrides of [wwe-host] (wwe_host.config.server)."""

from __future__ import annotations

import pytest
from config_support import minimal

from wwe_host.config import ConfigError, parse_config, with_server_overrides


def test_with_server_overrides_moves_derived_defaults() -> None:
    base = parse_config("")
    moved = with_server_overrides(base, listen="127.0.0.1:9100", data_dir="/tmp/w")
    assert moved.server.listen_port == 9100
    assert moved.server.public_url == "http://127.0.0.1:9100"
    assert moved.server.database == "sqlite:////tmp/w/wwe-host.db"
    # Values written differently from the derived default stay as written.
    explicit = parse_config(
        minimal().replace(
            "[wwe-host]\n",
            "[wwe-host]\npublic-url = https://wwe.example.com\ndatabase = postgresql://db/w\n",
        )
    )
    kept = with_server_overrides(explicit, listen="127.0.0.1:9100", data_dir="/tmp/w")
    assert (kept.server.listen_port, kept.server.data_dir) == (9100, "/tmp/w")
    assert kept.server.public_url == "https://wwe.example.com"
    assert kept.server.database == "postgresql://db/w"
    assert kept.agents == explicit.agents
    assert with_server_overrides(explicit) is explicit
    with pytest.raises(ConfigError, match="--listen"):
        with_server_overrides(base, listen="nope")
