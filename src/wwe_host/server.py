"""``wwe-host serve``: build the configuration, the engine and the app, and run uvicorn.

With the demo configuration a second socket serves the demo app on the next port, so it
has an origin of its own, as a real third-party app would.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import sys
from pathlib import Path

import uvicorn

from . import log_repeats
from .bus.memory import MemoryBus
from .bus.redis import BusError, RedisBus
from .collector import FreezingCollector
from .config import (
    DEMO_LOGINS,
    ConfigError,
    demo_config,
    load_config,
    parse_listen,
    with_server_overrides,
)
from .core.ports import EventBus
from .engine import Engine
from .message_limits import websocket_max_size
from .security.secrets import install_log_masking, mask_secrets, url_secrets
from .security.signing import JwtSigner
from .settings import Config
from .store.base import Store
from .store.health import StoreError
from .store.postgresql import PostgresStore
from .store.sqlite import SqliteStore
from .web.app import create_app

log = logging.getLogger("wwe_host")


def open_store(config: Config) -> Store:
    """The store ``database`` names: a SQLite file, or PostgreSQL (docs/configuration.md)."""
    database = config.server.database
    if database.startswith("sqlite:///"):
        return SqliteStore(Path(database.removeprefix("sqlite:///")))
    if database.startswith(("postgresql://", "postgres://")):
        return PostgresStore(database)
    raise ConfigError(
        f"[wwe-host] database = '{mask_secrets(database)}': expected sqlite:///PATH or "
        "postgresql://USER@HOST/DB"
    )


def open_bus(config: Config) -> EventBus:
    """The bus ``bus`` names: ``memory`` (one process) or Redis (several)."""
    bus = config.server.bus
    if bus == "memory":
        return MemoryBus()
    # Processes on one database are one cluster: its channel and keys are named after
    # the database (its URL without the password), so clusters sharing a Redis stay apart.
    cluster = hashlib.sha256(mask_secrets(config.server.database).encode()).hexdigest()[:12]
    return RedisBus(bus, namespace=f"wwe-host:{cluster}")


async def check_bus(bus: EventBus) -> None:
    """Connect once before the server serves (the engine connects again in its loop)."""
    if isinstance(bus, RedisBus):
        await bus.start(lambda message: None)
        await bus.close()


async def check_store(store: Store) -> None:
    """Open the store (checked, migrated, probed with a write) before the server serves.
    A pool of connections belongs to the event loop that made it: a PostgreSQL store is
    closed again here and opened by the engine in the server's loop."""
    await store.open()
    if isinstance(store, PostgresStore):
        await store.close()


class BindError(Exception):
    """An address the server cannot listen on; the message names it and why."""


def bind(host: str, port: int, what: str = "the desktop") -> socket.socket:
    """A listening socket on ``host:port``; ``BindError`` names the address (and ``what``
    wanted it: the demo app takes the port after the desktop's) when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        raise BindError(f"cannot listen on {address} for {what}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family in (socket.AF_INET, socket.AF_INET6):
            # Accepted sockets inherit it: replies are small and must not wait for an ACK.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        if isinstance(exc, socket.gaierror):
            reason = f"unknown host '{host}'"
        raise BindError(f"cannot listen on {address} for {what}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def serve(config_path: str | None, listen: str | None, data_dir: str | None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    log_repeats.install(logging.getLogger().handlers)
    demo = config_path is None
    try:
        if demo:
            host, port = parse_listen(listen) if listen else ("127.0.0.1", 8080)
            main_sock = bind(host, port)
            port = main_sock.getsockname()[1]
            try:
                demo_sock = bind(host, 0 if port == 0 else port + 1, "the demo app")
            except BindError as exc:
                main_sock.close()
                raise BindError(
                    f"{exc}; the demo app takes the port after the desktop's: choose two free "
                    "ports with --listen"
                ) from None
            demo_url = f"http://{host}:{demo_sock.getsockname()[1]}"
            config = demo_config(demo_url)
            config = with_server_overrides(config, listen=f"{host}:{port}", data_dir=data_dir)
            sockets = [main_sock, demo_sock]
        else:
            assert config_path is not None
            config = with_server_overrides(
                load_config(config_path), listen=listen, data_dir=data_dir
            )
            main_sock = bind(config.server.listen_host, config.server.listen_port)
            if config.server.listen_port == 0:
                # Port 0: the kernel picked one; a derived public-url (and so the desktop's
                # origin, which the cookie doors check) must name the real port.
                host, port = config.server.listen_host, main_sock.getsockname()[1]
                listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
                config = with_server_overrides(config, listen=listen)
            sockets = [main_sock]
            demo_sock = None
    except ConfigError as problem:
        for line in problem.problems:
            print(f"error: {line}", file=sys.stderr)
        for warning in problem.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        return 2
    except BindError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    for warning in config.warnings:
        log.warning("%s", warning)
    try:
        store = open_store(config)
        bus = open_bus(config)
    except ConfigError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        # Opened (checked, migrated, probed with a write) before the server serves: a store
        # (or a bus) that cannot be used stops the start with one line, not a traceback.
        asyncio.run(check_store(store))
        asyncio.run(check_bus(bus))
    except StoreError as problem:
        print(f"error: cannot start: {problem.reason}", file=sys.stderr)
        return 2
    except BusError as problem:
        print(f"error: cannot start: {problem}", file=sys.stderr)
        return 2
    signer = None
    if config.server.jwt_signing_key is not None:
        try:
            signer = JwtSigner.from_file(config.server.jwt_signing_key)
        except ValueError as problem:
            print(f"error: [wwe-host] jwt-signing-key: {problem}", file=sys.stderr)
            return 2
    engine = Engine(config, store, bus=bus, signer=signer)
    app = create_app(engine, demo_sock.getsockname()[1] if demo_sock else None)
    host, port = main_sock.getsockname()[:2]
    server_settings = config.server
    print(f"wwe-host: agent desktop at http://{host}:{port}/", flush=True)
    print(
        f"wwe-host: database {mask_secrets(server_settings.database)}, "
        f"bus {mask_secrets(server_settings.bus)}",
        flush=True,
    )
    if demo_sock is not None:
        print(
            f"wwe-host: demo third-party app at http://{host}:{demo_sock.getsockname()[1]}/",
            flush=True,
        )
        logins = ", ".join(f"{u}/{p}" for u, p in DEMO_LOGINS)
        print(f"wwe-host: demo logins (username/password): {logins}", flush=True)
    uv_config = uvicorn.Config(
        app,
        log_level="warning",
        ws="websockets-sansio",
        # Above the desktop message limit, so that a message over it is answered, not cut.
        ws_max_size=websocket_max_size(config.server.max_message_bytes),
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    # After uvicorn configured its loggers, so that its handlers mask too.
    install_log_masking(
        [
            server_settings.admin_token,
            *url_secrets(server_settings.database, server_settings.bus, server_settings.smtp),
        ]
    )
    server = uvicorn.Server(uv_config)
    if server_settings.gc_full_scan_minutes > 0:
        FreezingCollector(server_settings.gc_full_scan_minutes * 60).install()
    asyncio.run(server.serve(sockets=sockets))
    return 0
