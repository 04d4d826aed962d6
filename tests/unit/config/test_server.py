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


def test_jwt_options() -> None:
    default = parse_config("").server
    assert (default.jwt_lifetime, default.jwt_signing_key) == (300, None)
    server = parse_config(
        "[wwe-host]\njwt-lifetime = 60\njwt-signing-key = /etc/wwe-host/jwt.pem\n"
    ).server
    assert (server.jwt_lifetime, server.jwt_signing_key) == (60, "/etc/wwe-host/jwt.pem")
    assert parse_config("[wwe-host]\njwt-signing-key =\n").server.jwt_signing_key is None
    for bad in ("0", "1.5", "86401", "five"):
        with pytest.raises(ConfigError) as caught:
            parse_config(f"[wwe-host]\njwt-lifetime = {bad}\n")
        assert str(caught.value) == (
            f"[wwe-host] jwt-lifetime = '{bad}': expected a whole number of seconds from 1 to 86400"
        )
