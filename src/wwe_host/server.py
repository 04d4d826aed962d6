"""``wwe-host serve``: build the configuration, the engine and the app, and run uvicorn.

With the demo configuration a second socket serves the demo app on the next port, so it
has an origin of its own, as a real third-party app would.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from pathlib import Path

import uvicorn

from . import log_repeats
from .config import (
    DEMO_LOGINS,
    ConfigError,
    demo_config,
    load_config,
    parse_listen,
    with_server_overrides,
)
from .engine import Engine
from .message_limits import websocket_max_size
from .security.secrets import install_log_masking, mask_secrets, url_secrets
from .security.signing import JwtSigner
from .settings import Config
from .store.health import StoreError
from .store.sqlite import SqliteStore
from .web.app import create_app

log = logging.getLogger("wwe_host")


def open_store(config: Config) -> SqliteStore:
    database = config.server.database
    if database.startswith("sqlite:///"):
        return SqliteStore(Path(database.removeprefix("sqlite:///")))
    raise ConfigError(
        f"[wwe-host] database = '{mask_secrets(database)}': only sqlite:///PATH is available "
        "in this version"
    )


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family in (socket.AF_INET, socket.AF_INET6):
        # Accepted sockets inherit it: replies are small and must not wait for an ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
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
            demo_sock = bind(host, 0 if port == 0 else port + 1)
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
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except OSError as problem:
        print(f"error: cannot listen: {problem}", file=sys.stderr)
        return 2
    for warning in config.warnings:
        log.warning("%s", warning)
    try:
        if config.server.bus != "memory":
            raise ConfigError(
                f"[wwe-host] bus = '{mask_secrets(config.server.bus)}': only 'memory' is "
                "available in this version (one server process)"
            )
        store = open_store(config)
    except ConfigError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        # Opened (checked, migrated, probed with a write) before the server serves: a store
        # that cannot be used stops the start with one line, not a traceback.
        asyncio.run(store.open())
    except StoreError as problem:
        print(f"error: cannot start: {problem.reason}", file=sys.stderr)
        return 2
    signer = None
    if config.server.jwt_signing_key is not None:
        try:
            signer = JwtSigner.from_file(config.server.jwt_signing_key)
        except ValueError as problem:
            print(f"error: [wwe-host] jwt-signing-key: {problem}", file=sys.stderr)
            return 2
    engine = Engine(config, store, signer=signer)
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
    asyncio.run(server.serve(sockets=sockets))
    return 0
