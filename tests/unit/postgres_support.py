"""A throwaway PostgreSQL database per test (the machine's server: 127.0.0.1:5432, trust).

Tests that need PostgreSQL check it explicitly and fail with a clear message when it is
not there (they are never skipped). ``WWE_TEST_POSTGRES`` names another server."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import psycopg
import pytest

SERVER = os.environ.get("WWE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def throwaway_database() -> AsyncIterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"wwe_test_{secrets.token_hex(6)}"
    try:
        admin = await psycopg.AsyncConnection.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.Error as problem:
        pytest.fail(f"this test needs PostgreSQL at {SERVER} ({problem})")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"'.encode())
        base = SERVER.rsplit("/", 1)[0]
        yield f"{base}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
        await admin.close()


@contextmanager
def throwaway_database_sync() -> Iterator[str]:
    """``throwaway_database`` for tests without an event loop (server processes)."""
    name = f"wwe_test_{secrets.token_hex(6)}"
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.Error as problem:
        pytest.fail(f"this test needs PostgreSQL at {SERVER} ({problem})")
    try:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
        yield f"{SERVER.rsplit('/', 1)[0]}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
        admin.close()
