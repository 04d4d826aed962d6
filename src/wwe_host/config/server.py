"""The ``[wwe-host]`` section (the server itself) and the ``serve`` command's overrides of it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

from wwe_host.protocol import MAX_IN_FLIGHT_PER_FRAME
from wwe_host.settings import Config, ServerSettings, default_database, default_public_url
from wwe_host.store.retention import parse_audit_retention

from .names import SERVER_SECTION
from .values import (
    ConfigError,
    Problems,
    bad,
    check_bool,
    check_decimal,
    check_int,
    desktop_origins,
    http_url,
    parse_listen,
)

__all__ = ["SERVER_OPTIONS", "parse_server", "with_server_overrides"]

SERVER_OPTIONS: Final = frozenset(
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
        "jwt-lifetime",
        "jwt-signing-key",
        "gc-full-scan",
    }
)
MAX_JWT_LIFETIME: Final = 86400


def parse_server(values: Mapping[str, str], problems: Problems) -> ServerSettings:
    """The ``[wwe-host]`` section; a malformed value is recorded in ``problems`` and its
    default kept, so that the other options are checked too. The parser notes unknown
    options (``SERVER_OPTIONS``)."""
    s = SERVER_SECTION
    kwargs: dict[str, object] = {}
    if "listen" in values:
        with problems.check():
            try:
                kwargs["listen_host"], kwargs["listen_port"] = parse_listen(values["listen"])
            except ValueError as exc:
                expected = str(exc).removeprefix("expected ")
                raise bad(s, "listen", values["listen"], expected) from None
    if "public-url" in values:
        with problems.check():
            url = http_url(s, "public-url", values["public-url"], "an http(s) URL")
            parts = urlsplit(url)
            if parts.query or parts.fragment:
                raise bad(s, "public-url", url, "an http(s) URL without query or fragment")
            kwargs["public_url"] = url.rstrip("/")
    if "data-dir" in values:
        with problems.check():
            data_dir = values["data-dir"].strip()
            if not data_dir:
                raise bad(s, "data-dir", values["data-dir"], "a directory path")
            kwargs["data_dir"] = data_dir
    if "database" in values:
        with problems.check():
            db = values["database"].strip()
            if not re.fullmatch(r"sqlite:///\S+|postgres(?:ql)?://\S+", db):
                raise bad(s, "database", db, "sqlite:///PATH or postgresql://USER@HOST/DB")
            kwargs["database"] = db
    if "bus" in values:
        with problems.check():
            bus = values["bus"].strip()
            if bus != "memory" and not re.fullmatch(r"rediss?://\S+", bus):
                raise bad(s, "bus", bus, "memory or redis://HOST:PORT/DB")
            kwargs["bus"] = bus
    if "admin-token" in values:
        with problems.check():
            token = values["admin-token"].strip()
            if any(c.isspace() for c in token):
                raise bad(s, "admin-token", "<hidden>", "a token without white space")
            kwargs["admin_token"] = token or None
    if "smtp" in values:
        with problems.check():
            smtp = values["smtp"].strip()
            if smtp:
                parts = urlsplit(smtp)
                try:
                    ok = parts.scheme in ("smtp", "smtps") and bool(parts.hostname)
                    ok = ok and parts.port is not None and not parts.path.strip("/")
                except ValueError:
                    ok = False
                if not ok:
                    raise bad(s, "smtp", smtp, "smtp://HOST:PORT (or smtps://HOST:PORT)")
            kwargs["smtp"] = smtp or None
    if "max-message-bytes" in values:
        with problems.check():
            kwargs["max_message_bytes"] = check_int(
                s,
                "max-message-bytes",
                values["max-message-bytes"],
                1024,
                2**31 - 1,
                "a whole number of bytes >= 1024",
            )
    if "max-requests-in-flight" in values:
        with problems.check():
            kwargs["max_requests_in_flight"] = check_int(
                s,
                "max-requests-in-flight",
                values["max-requests-in-flight"],
                1,
                MAX_IN_FLIGHT_PER_FRAME,
                f"a whole number from 1 to {MAX_IN_FLIGHT_PER_FRAME}",
            )
    if "insecure-plain-password" in values:
        with problems.check():
            kwargs["insecure_plain_password"] = check_bool(
                s, "insecure-plain-password", values["insecure-plain-password"]
            )
    if "frame-ancestors" in values:
        with problems.check():
            fa = " ".join(values["frame-ancestors"].split())
            if not fa or any(c in fa for c in ';,"<>'):
                raise bad(
                    s,
                    "frame-ancestors",
                    values["frame-ancestors"],
                    "a CSP source list such as 'self' https://portal.example.com",
                )
            kwargs["frame_ancestors"] = fa
    if "audit-retention" in values:
        with problems.check():
            try:
                kwargs["audit_retention"] = parse_audit_retention(values["audit-retention"])
            except ValueError as exc:
                raise bad(s, "audit-retention", values["audit-retention"], str(exc)) from None
    if "desktop-origins" in values:
        with problems.check():
            kwargs["desktop_origins"] = desktop_origins(s, values["desktop-origins"])
    if "max-desktop-connections" in values:
        with problems.check():
            kwargs["max_desktop_connections"] = check_int(
                s,
                "max-desktop-connections",
                values["max-desktop-connections"],
                1,
                1000,
                "a whole number of connections from 1 to 1000",
            )
    if "jwt-lifetime" in values:
        with problems.check():
            kwargs["jwt_lifetime"] = check_int(
                s,
                "jwt-lifetime",
                values["jwt-lifetime"],
                1,
                MAX_JWT_LIFETIME,
                f"a whole number of seconds from 1 to {MAX_JWT_LIFETIME}",
            )
    if "jwt-signing-key" in values:
        path = values["jwt-signing-key"].strip()
        kwargs["jwt_signing_key"] = path or None
    for option, name, expected in (
        ("session-idle-timeout", "session_idle_timeout_minutes", "minutes (0 = no limit)"),
        ("session-max-lifetime", "session_max_lifetime_minutes", "minutes (0 = no limit)"),
        ("gc-full-scan", "gc_full_scan_minutes", "minutes (0 = nothing frozen)"),
    ):
        if option in values:
            with problems.check():
                kwargs[name] = check_decimal(s, option, values[option], expected)
    server = ServerSettings(**kwargs)  # type: ignore[arg-type]
    derived = "public-url" not in values
    try:
        server.public_origin  # noqa: B018 - validates the origin the doors compare with
    except ValueError as exc:
        if derived and server.listen_port == 0:
            return server  # `serve` derives it again from the port it gets
        option = "listen" if derived else "public-url"
        problems.found.extend(
            bad(
                s,
                option,
                values.get(option, server.public_url),
                f"a host that can be part of an origin ({exc})",
            ).problems
        )
    return server


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
        if old.public_url == default_public_url(old):
            changes["public_url"] = ""
    if data_dir is not None:
        if not data_dir.strip():
            raise ConfigError("--data-dir: expected a directory path")
        changes["data_dir"] = data_dir.strip()
        if old.database == default_database(old.data_dir):
            changes["database"] = ""
    if not changes:
        return config
    server = dataclasses.replace(old, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(config, server=server)
